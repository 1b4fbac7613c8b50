import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Principal, Permission } from './auth.js';
import { PERMISSION_IDS } from './auth.js';
import { escapeHtml, latin1Header } from './names.js';

export interface Settings {
  version: string;
  /** X-Jenkins-Session: 8 hex, new per start. */
  sessionHash: string;
  /** 302 Location form: path only (Jetty 12, Jenkins >= 2.472) or absolute (older). */
  redirects: 'path' | 'absolute';
  configGet: 'reserialise' | 'verbatim';
  buildDurationMs: number;
  quietPeriodMs: number;
  maxBodyBytes: number;
  /** What replaces characters above U+00FF in headers ('?' like Jetty 12.1, ' ' like older Jetty). */
  headerReplacement: string;
}

/** Everything known about one request while it is handled. */
export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Decoded path segments without empty ones. */
  segments: string[];
  trailingSlash: boolean;
  /** Raw path and query as received (for redirects that keep the query). */
  rawPath: string;
  rawQuery: string;
  query: URLSearchParams;
  body: Buffer;
  principal: Principal;
  sessionId?: string;
  /** Set-Cookie to send when a session was created during this request. */
  newCookie?: string;
  route: string;
  /** `http://host:port` from the Host header. */
  origin: string;
  settings: Settings;
  /** Drop the connection halfway through the response body (fault). */
  dropResponse: boolean;
  startNs: bigint;
  onElapsed: (ctx: Ctx, ms: number) => void;
}

export type Headers = Record<string, string | string[]>;

export function jenkinsHeaders(ctx: Ctx, withHudson: boolean): Headers {
  const h: Headers = { 'X-Jenkins': ctx.settings.version, 'X-Jenkins-Session': ctx.settings.sessionHash };
  if (withHudson) h['X-Hudson'] = '1.395';
  return h;
}

export function elapsedMs(ctx: Ctx): number {
  return Number(process.hrtime.bigint() - ctx.startNs) / 1e6;
}

/** The only place responses are written: always with Content-Length, honouring the drop fault. */
export function send(ctx: Ctx, status: number, headers: Headers, body: string | Buffer = ''): void {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const res = ctx.res;
  if (res.headersSent || res.destroyed) return;
  const ms = elapsedMs(ctx);
  ctx.onElapsed(ctx, ms);
  const h: Headers = { ...headers, 'Content-Length': String(buf.length), 'X-Standin-Elapsed-Ms': ms.toFixed(3) };
  if (ctx.newCookie) h['Set-Cookie'] = ctx.newCookie;
  res.writeHead(status, h);
  if (ctx.dropResponse) {
    res.write(buf.subarray(0, Math.floor(buf.length / 2)));
    res.socket?.destroy();
    return;
  }
  if (ctx.method === 'HEAD') res.end();
  else res.end(buf);
}

/** Status 200 with no body and `Content-Length: 0` (createItem, config.xml POST, createView). */
export function sendEmpty(ctx: Ctx, status = 200, headers: Headers = {}): void {
  send(ctx, status, headers, '');
}

export function sendJson(ctx: Ctx, json: string): void {
  send(ctx, 200, {
    'Content-Type': 'application/json;charset=utf-8',
    ...jenkinsHeaders(ctx, false),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'deny',
  }, json);
}

export function sendXml(ctx: Ctx, xml: string): void {
  send(ctx, 200, { 'Content-Type': 'application/xml' }, xml);
}

/** A Jenkins page in the standard layout (carries X-Jenkins, X-Hudson and creates a session). */
export function layoutPage(ctx: Ctx, status: number, title: string, bodyHtml: string, extra: Headers = {}, touchSession?: () => void): void {
  touchSession?.();
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)} [Jenkins]</title></head>\n<body>\n${bodyHtml}\n</body></html>\n`;
  send(ctx, status, { 'Content-Type': 'text/html;charset=utf-8', ...jenkinsHeaders(ctx, true), ...extra }, html);
}

/** Jetty's default error page (sendError): 401, crumb 403, 409 from build triggers, 400 on config.xml methods. */
export function jettyError(ctx: Ctx, status: number, reason: string, message: string, extra: Headers = {}): void {
  const uri = escapeHtml(ctx.rawPath);
  const m = escapeHtml(message);
  const html = `<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>\n<title>Error ${status} ${m}</title>\n</head>\n<body>\n<h2>HTTP ERROR ${status} ${m}</h2>\n<table>\n<tr><th>URI:</th><td>${uri}</td></tr>\n<tr><th>STATUS:</th><td>${status}</td></tr>\n<tr><th>MESSAGE:</th><td>${m}</td></tr>\n<tr><th>SERVLET:</th><td>Stapler</td></tr>\n</table>\n\n</body>\n</html>\n`;
  void reason;
  send(ctx, status, { 'Content-Type': 'text/html;charset=iso-8859-1', 'Cache-Control': 'must-revalidate,no-cache,no-store', ...extra }, Buffer.from(html, 'latin1'));
}

export function unauthorized(ctx: Ctx): void {
  jettyError(ctx, 401, 'Unauthorized', 'Unauthorized', { 'WWW-Authenticate': 'Basic realm="Jenkins"' });
}

export function noCrumb(ctx: Ctx): void {
  jettyError(ctx, 403, 'Forbidden', 'No valid crumb was included in the request');
}

/** `hudson.model.Failure`: 400, `X-Error`, message in a `<p>`. */
export function failure(ctx: Ctx, message: string, opts: { escapeHtml?: boolean } = {}): void {
  const shown = opts.escapeHtml ? message : escapeHtml(message);
  layoutPage(ctx, 400, 'Error', `<h1>Error</h1>\n<p>${shown}</p>`, { 'X-Error': latin1Header(message, ctx.settings.headerReplacement) });
}

export function notFound(ctx: Ctx): void {
  layoutPage(ctx, 404, 'Not Found', `<h2>Not Found</h2>\n<p>This page may not exist, or you may not have permission to see it.</p>`);
}

export function requirePost(ctx: Ctx): void {
  layoutPage(ctx, 405, 'This URL requires POST', `<h1>This URL requires POST</h1>\n<p>The URL you're trying to access requires that requests be sent using POST (like a form submission).</p>\n<form method="post" action="${escapeHtml(ctx.rawPath)}"><input type="submit" value="Proceed"></form>`, { Allow: 'POST' });
}

/** The "Oops!" page for any uncaught exception (500, or the code of HttpResponses.error). */
export function oops(ctx: Ctx, detail: string, status = 500): void {
  const id = randomUUID();
  layoutPage(ctx, status, 'Jenkins', `<h1>Oops!</h1>\n<p>A problem occurred while processing the request.</p>\n<p>Logging ID=${id}</p>\n<pre class="standin-detail">${escapeHtml(detail)}</pre>`);
}

function permissionHeaders(p: Principal, perm: Permission): Headers {
  const info = PERMISSION_IDS[perm];
  const h: Headers = {
    'X-You-Are-Authenticated-As': p.name,
    'X-You-Are-In-Group-Disabled': 'JENKINS-39402: use -Dhudson.security.AccessDeniedException2.REPORT_GROUP_HEADERS=true or use /whoAmI to diagnose',
    'X-Required-Permission': info.id,
  };
  if (info.impliedBy.length > 0) h['X-Permission-Implied-By'] = info.impliedBy;
  return h;
}

/**
 * Missing permission: anonymous gets the 403 login-redirect page, a user the access-denied page
 * `<user> is missing the <Group>/<Perm> permission`.
 */
export function forbidden(ctx: Ctx, perm: Permission | undefined, touchSession: () => void): void {
  const p = ctx.principal;
  const diag = perm ? permissionHeaders(p, perm) : {};
  if (p.anonymous) {
    if (String(ctx.req.headers['x-requested-with'] ?? '') === 'XMLHttpRequest') {
      jettyError(ctx, 403, 'Forbidden', 'Forbidden', diag);
      return;
    }
    const from = encodeURIComponent(ctx.rawPath + (ctx.rawQuery ? `?${ctx.rawQuery}` : ''));
    const html = `<html><head><meta http-equiv='refresh' content='1;url=/login?from=${from}'/><script id='redirect' data-redirect-url='/login?from=${from}' src='/static/redirect.js'></script></head><body style='background-color:white; color:white;'>\nAuthentication required\n<!--\n-->\n</body></html>\n`;
    send(ctx, 403, { 'Content-Type': 'text/html;charset=utf-8', ...jenkinsHeaders(ctx, true), ...diag }, html);
    return;
  }
  const msg = perm ? `${p.name} is missing the ${perm} permission` : `${p.name} is missing a permission`;
  layoutPage(ctx, 403, 'Access Denied', `<h1>Access Denied</h1>\n<p>${escapeHtml(msg)}</p>`, diag, touchSession);
}

/** 302 in the configured Location form; `target` is a root-relative path. */
export function redirect(ctx: Ctx, target: string): void {
  const loc = ctx.settings.redirects === 'absolute' ? ctx.origin + target : target;
  send(ctx, 302, { Location: loc });
}
