import type { Ctx } from './http-kit.js';
import { layoutPage } from './http-kit.js';
import { type Runtime, touchSession } from './runtime.js';
import type { Build, Container, Item, View } from './store.js';
import { descriptionOf, fullNameOf } from './store.js';
import { escapeHtml, rawEncode } from './names.js';
import { colorOf, containerPath, itemPath, viewItems, viewPath } from './exported.js';
import { computerSegment, displayNameOf, isOnline, labelsOf } from './nodes.js';
import { labelName, type LabelExpr } from '../model/label-expression.js';

/**
 * A description as the page shows it. Jenkins renders descriptions through its markup formatter; the
 * stand-in imitates the "Safe HTML" one (OWASP Markup Formatter plugin), which drops HTML comments,
 * so the jobsmith marker is not visible. The rest is escaped rather than rendered (a narrower,
 * always-safe subset of what that formatter allows).
 */
export function descriptionHtml(desc: string | null): string {
  return escapeHtml((desc ?? '').replace(/<!--[^]*?(?:-->|$)/g, ''));
}

function itemsTable(items: Item[], base: string): string {
  if (items.length === 0) return '<p>No jobs.</p>';
  const rows = items.map((i) => `<tr><td>${escapeHtml(i.type.kind === 'job' ? colorOf(i) : 'folder')}</td><td><a href="${base}job/${rawEncode(i.name)}/">${escapeHtml(i.name)}</a></td><td>${descriptionHtml(descriptionOf(i))}</td></tr>`);
  return `<table id="projectstatus">\n<tr><th>S</th><th>Name</th><th>Description</th></tr>\n${rows.join('\n')}\n</table>`;
}
function viewsList(c: Container): string {
  const li = c.views.map((v) => `<li><a href="${viewPath(c, v)}">${escapeHtml(v.name)}</a></li>`);
  return `<h2>Views</h2>\n<ul id="views">\n${li.join('\n')}\n</ul>`;
}

/** `GET /`: the dashboard, a plain list of jobs and views. */
export function dashboard(rt: Runtime, ctx: Ctx): void {
  const c = rt.store.root;
  layoutPage(ctx, 200, 'Dashboard', `<h1>Jenkins (jobsmith stand-in)</h1>\n${viewsList(c)}\n<h2>Jobs</h2>\n${itemsTable(c.items.list(), '/')}`, {}, () => touchSession(rt, ctx));
}

export function itemPage(rt: Runtime, ctx: Ctx, item: Item): void {
  const desc = descriptionOf(item);
  let body = `<h1>${escapeHtml(item.type.kind === 'job' ? 'Project' : 'Folder')} ${escapeHtml(fullNameOf(item))}</h1>\n<div id="description">${descriptionHtml(desc)}</div>`;
  if (item.container) body += `\n${viewsList(item.container)}\n<h2>Jobs</h2>\n${itemsTable(item.container.items.list(), itemPath(item))}`;
  else body += `\n<p>Status: ${escapeHtml(colorOf(item))}</p>\n<ul>${item.builds.slice().reverse().map((b) => `<li><a href="${itemPath(item)}${b.number}/">#${b.number}</a> ${escapeHtml(b.result ?? 'running')}</li>`).join('')}</ul>`;
  layoutPage(ctx, 200, fullNameOf(item), body, {}, () => touchSession(rt, ctx));
}

export function configurePage(rt: Runtime, ctx: Ctx, item: Item): void {
  layoutPage(ctx, 200, `${fullNameOf(item)} Config`, `<h1>Configure ${escapeHtml(fullNameOf(item))}</h1>\n<p>Edit <a href="${itemPath(item)}config.xml">config.xml</a> through the API.</p>`, {}, () => touchSession(rt, ctx));
}

export function viewPage(rt: Runtime, ctx: Ctx, c: Container, v: View): void {
  layoutPage(ctx, 200, v.name, `<h1>View ${escapeHtml(v.name)}</h1>\n${viewsList(c)}\n<h2>Jobs</h2>\n${itemsTable(viewItems(c, v), `${containerPath(c)}view/${rawEncode(v.name)}/`)}`, {}, () => touchSession(rt, ctx));
}

export function buildPage(rt: Runtime, ctx: Ctx, item: Item, b: Build): void {
  layoutPage(ctx, 200, `${fullNameOf(item)} #${b.number}`, `<h1>Build #${b.number}</h1>\n<p>Result: ${escapeHtml(b.result ?? 'running')}</p>`, {}, () => touchSession(rt, ctx));
}

/** `GET /login`: Jenkins' sign-in form (posts `j_username`/`j_password` to `j_spring_security_check`). */
export function loginPage(rt: Runtime, ctx: Ctx, failed = false): void {
  const from = ctx.query.get('from') ?? '';
  const error = failed ? '<p class="error" id="login-error">Invalid username or password</p>\n' : '';
  layoutPage(ctx, 200, 'Sign in', `<h1>Sign in to Jenkins</h1>
${error}<form method="post" name="login" action="/j_spring_security_check">
<label>Username <input type="text" name="j_username" id="j_username" autocomplete="username" autofocus></label>
<label>Password <input type="password" name="j_password" id="j_password" autocomplete="current-password"></label>
<input type="hidden" name="from" value="${escapeHtml(from)}">
<button type="submit" name="Submit">Sign in</button>
</form>
<p>Scripts and tools use HTTP Basic authentication with a user name and an API token (or the password).</p>`, {}, () => touchSession(rt, ctx));
}

/** `GET computer/`: the nodes list. */
export function nodesPage(rt: Runtime, ctx: Ctx): void {
  const rows = rt.nodes.list().map((n) => `<tr><td><a href="/computer/${rawEncode(computerSegment(n))}/">${escapeHtml(displayNameOf(n))}</a></td><td>${escapeHtml([...labelsOf(n)].join(' '))}</td><td>${isOnline(n) ? 'online' : 'offline'}</td></tr>`);
  layoutPage(ctx, 200, 'Nodes', `<h1>Nodes</h1>\n<table id="computers">\n<tr><th>Name</th><th>Labels</th><th>State</th></tr>\n${rows.join('\n')}\n</table>`, {}, () => touchSession(rt, ctx));
}

/** `GET queue/`: the build queue. */
export function queuePage(rt: Runtime, ctx: Ctx): void {
  const now = Date.now();
  const li = rt.builds.items().map((q) => `<li>${escapeHtml(fullNameOf(q.item))}: ${escapeHtml(q.why(now) ?? '')}</li>`);
  layoutPage(ctx, 200, 'Build Queue', `<h1>Build Queue</h1>\n${li.length ? `<ul id="queue">${li.join('')}</ul>` : '<p>No builds in the queue.</p>'}`, {}, () => touchSession(rt, ctx));
}

/** `GET label/NAME/`. */
export function labelPage(rt: Runtime, ctx: Ctx, label: LabelExpr): void {
  const nodes = rt.nodes.nodesFor(label);
  layoutPage(ctx, 200, labelName(label), `<h1>Label ${escapeHtml(labelName(label))}</h1>\n<ul id="nodes">${nodes.map((n) => `<li>${escapeHtml(displayNameOf(n))}</li>`).join('')}</ul>`, {}, () => touchSession(rt, ctx));
}
