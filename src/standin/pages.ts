import type { Ctx } from './http-kit.js';
import { layoutPage } from './http-kit.js';
import { type Runtime, touchSession } from './runtime.js';
import type { Build, Container, Item, View } from './store.js';
import { descriptionOf, fullNameOf } from './store.js';
import { escapeHtml, rawEncode } from './names.js';
import { colorOf, containerPath, itemPath, viewItems, viewPath } from './exported.js';

function itemsTable(items: Item[], base: string): string {
  if (items.length === 0) return '<p>No jobs.</p>';
  const rows = items.map((i) => `<tr><td>${escapeHtml(i.type.kind === 'job' ? colorOf(i) : 'folder')}</td><td><a href="${base}job/${rawEncode(i.name)}/">${escapeHtml(i.name)}</a></td><td>${escapeHtml(descriptionOf(i) ?? '')}</td></tr>`);
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
  let body = `<h1>${escapeHtml(item.type.kind === 'job' ? 'Project' : 'Folder')} ${escapeHtml(fullNameOf(item))}</h1>\n<div id="description">${escapeHtml(desc ?? '')}</div>`;
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

export function loginPage(rt: Runtime, ctx: Ctx): void {
  layoutPage(ctx, 200, 'Sign in', '<h1>Sign in</h1>\n<p>The stand-in accepts HTTP Basic authentication with a user name and an API token or password.</p>', {}, () => touchSession(rt, ctx));
}

export function consoleText(b: Build): string {
  const lines = ['Started by user', ...Object.entries(b.params).map(([k, v]) => `${k}=${v}`)];
  if (b.result !== null) lines.push(`Finished: ${b.result}`);
  return lines.join('\n') + '\n';
}
