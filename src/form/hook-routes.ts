/**
 * Webhooks in `jobsmith serve` (a route module of the form server; the work is src/hooks/):
 *
 *   POST /hooks/github | /hooks/gitlab | /hooks/gitea | /hooks/bitbucket
 *        401 missing or wrong signature (nothing done), 400 malformed JSON, 413 too large,
 *        202 {"id", "status": "queued" | "ignored" | "failed", "message"?} otherwise, at once (the
 *        sync runs behind; "failed": the definitions do not load, or serve is stopping).
 *   GET  /hooks/status   the last 100 events and their outcomes: JSON, or a small HTML table when
 *        the client accepts text/html (behind the form's access control, like every page).
 *
 * Webhook posts are authenticated by their signature, not by the reverse proxy's user header.
 */
import type http from 'node:http';
import ejs from 'ejs';
import { isProvider, PROVIDERS } from '../hooks/hook-event.js';
import type { HookService } from '../hooks/hook-service.js';
import type { EventRecord } from '../hooks/hook-log.js';
import type { FormRoute } from './form-route.js';

/** GitHub caps payloads at 25 MB; a push event is far smaller. */
export const MAX_HOOK_BODY = 25 * 1024 * 1024;

const statusPage = ejs.compile(String.raw`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Webhook events · jobsmith</title>
<link rel="stylesheet" href="/assets/form.css">
</head>
<body>
<header class="top"><span class="brand">jobsmith</span> <span class="sub">webhook events</span></header>
<main>
<h1>Webhook events</h1>
<p class="lead">The last <%= limit %> events received at <code>/hooks/&lt;provider&gt;</code>, newest first.</p>
<% if (events.length === 0) { %><p id="empty">No events yet.</p><% } else { %>
<table class="runs" id="events"><thead><tr><th>Received</th><th>From</th><th>Repository</th><th>Refs</th><th>Projects</th><th>Status</th><th>Outcome</th></tr></thead><tbody>
<% events.forEach(function (e) { %><tr id="event-<%= e.id %>">
<td><%= e.receivedAt %></td>
<td><%= e.provider %> <%= e.event %></td>
<td><%= e.repo %></td>
<td><%= e.refs.map(function (r) { return r.ref + ' (' + r.kind + ')'; }).join(', ') %></td>
<td><%= e.keys.join(', ') %></td>
<td class="status s-<%= e.status %>"><%= e.status %></td>
<td><%= e.message || '' %><% if (e.created && e.created.length) { %><br>created: <%= e.created.join(', ') %><% } %><% if (e.built && e.built.length) { %><br>built: <%= e.built.join(', ') %><% } %></td>
</tr><% }) %></tbody></table><% } %>
</main>
</body>
</html>
`);

function sendJson(res: http.ServerResponse, status: number, headers: Record<string, string>, value: unknown): void {
  const body = JSON.stringify(value, null, 2) + '\n';
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function readLimited(req: http.IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function acceptsHtml(req: http.IncomingMessage): boolean {
  const accept = String(req.headers.accept ?? '');
  return /\btext\/html\b/i.test(accept);
}

export function hookRoutes(service: HookService, opts: { maxBody?: number } = {}): FormRoute {
  const maxBody = opts.maxBody ?? MAX_HOOK_BODY;
  return {
    async handle(req, res, url, ctx) {
      if (url.pathname !== '/hooks' && !url.pathname.startsWith('/hooks/')) return false;
      const rest = url.pathname.slice('/hooks/'.length);
      if (rest === 'status') {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          sendJson(res, 405, { ...ctx.headers, allow: 'GET' }, { status: 'error', message: 'method not allowed' });
          return true;
        }
        if (ctx.refusal !== undefined) {
          sendJson(res, 403, ctx.headers, { status: 'refused', message: ctx.refusal });
          return true;
        }
        const events: EventRecord[] = service.log.list();
        if (acceptsHtml(req)) {
          const html = statusPage({ events, limit: 100 });
          res.writeHead(200, { ...ctx.headers, 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html), vary: 'Accept' });
          res.end(req.method === 'HEAD' ? undefined : html);
        } else sendJson(res, 200, { ...ctx.headers, vary: 'Accept' }, { events });
        return true;
      }
      if (!isProvider(rest)) {
        sendJson(res, 404, ctx.headers, { status: 'error', message: `no such webhook endpoint; use /hooks/${PROVIDERS.join(', /hooks/')} or GET /hooks/status` });
        return true;
      }
      if (req.method !== 'POST') {
        sendJson(res, 405, { ...ctx.headers, allow: 'POST' }, { status: 'error', message: 'webhooks are POST requests' });
        return true;
      }
      const body = await readLimited(req, maxBody);
      if (body === undefined) {
        sendJson(res, 413, { ...ctx.headers, connection: 'close' }, { status: 'error', message: `the body is larger than ${maxBody} bytes` });
        return true;
      }
      const header = (name: string): string | undefined => {
        const v = req.headers[name.toLowerCase()];
        return Array.isArray(v) ? v[0] : v;
      };
      const answer = await service.receive(rest, header, body);
      sendJson(res, answer.status, ctx.headers, answer.body);
      return true;
    },
  };
}
