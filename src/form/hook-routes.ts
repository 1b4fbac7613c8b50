/**
 * Webhooks in `jobsmith serve` (a route module of the form server; the work is src/hooks/):
 *
 *   POST /hooks/github | /hooks/gitlab | /hooks/gitea | /hooks/bitbucket
 *        401 missing or wrong signature (nothing done), 400 malformed JSON, 413 too large,
 *        408 the body did not arrive within the body timeout, 503 (Retry-After) the body budget is taken,
 *        202 {"id", "status": "queued" | "ignored" | "failed", "message"?} otherwise, at once (the
 *        sync runs behind; "failed": the definitions do not load, or serve is stopping).
 *
 * An unauthenticated request costs no body read: what the headers alone refuse (no secret for the
 * provider, the signature header missing or malformed, a wrong GitLab token) and a declared
 * `Content-Length` over the limit are answered at once, with `connection: close`, before a byte of the
 * body is read. Only a well-formed signature leads to reading the body, bounded in size (MAX_HOOK_BODY)
 * and in time (HOOK_BODY_TIMEOUT_MS, against a body that trickles in), and then to the HMAC check.
 * The bodies being read at once share a budget (HOOK_BODY_BUDGET_FACTOR x the largest body): each
 * read reserves its declared length (the largest body when it declares none, a chunked body) until
 * its answer; one that does not fit is answered 503 with Retry-After and `connection: close`, before
 * a byte of its body is read, so no number of connections with forged signatures holds more.
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

/**
 * How long a webhook's body may take to arrive once its headers are in (a body that trickles in is
 * answered 408 and the connection closed). GitHub itself gives up on a delivery after 10 s.
 */
export const HOOK_BODY_TIMEOUT_MS = 10_000;

/** The bodies read at once may hold this many times the largest body, together (see bodyBudget). */
export const HOOK_BODY_BUDGET_FACTOR = 2;

/** Retry-After of a 503 for a full budget: a read ends within the body timeout. */
const BUDGET_RETRY_AFTER_S = Math.ceil(HOOK_BODY_TIMEOUT_MS / 1000);

export interface HookRouteOptions {
  /** Largest body read (default MAX_HOOK_BODY). */
  maxBody?: number;
  /** Bytes all webhook bodies being read at once may hold together (default HOOK_BODY_BUDGET_FACTOR x maxBody). */
  bodyBudget?: number;
  /** Time for the body to arrive (default HOOK_BODY_TIMEOUT_MS). */
  bodyTimeoutMs?: number;
}

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

type BodyRead = { body: Buffer } | { problem: 'too-large' | 'timeout' | 'aborted' };

/** The body, read up to `max` bytes and for at most `timeoutMs`; reading stops at the first problem. */
function readBounded(req: http.IncomingMessage, max: number, timeoutMs: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (r: BodyRead): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAborted);
      req.off('close', onAborted);
      if (!('body' in r)) req.pause();
      resolve(r);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > max) finish({ problem: 'too-large' });
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish({ body: Buffer.concat(chunks, size) });
    const onAborted = (): void => finish({ problem: 'aborted' });
    const timer = setTimeout(() => finish({ problem: 'timeout' }), timeoutMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAborted);
    req.on('close', onAborted);
  });
}

/** The declared body length; undefined when there is none (chunked) or it is not a plain number. */
function declaredLength(req: http.IncomingMessage): number | undefined {
  const v = req.headers['content-length'];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

function acceptsHtml(req: http.IncomingMessage): boolean {
  const accept = String(req.headers.accept ?? '');
  return /\btext\/html\b/i.test(accept);
}

export function hookRoutes(service: HookService, opts: HookRouteOptions = {}): FormRoute {
  const maxBody = opts.maxBody ?? MAX_HOOK_BODY;
  const bodyTimeoutMs = opts.bodyTimeoutMs ?? HOOK_BODY_TIMEOUT_MS;
  const budget = opts.bodyBudget ?? HOOK_BODY_BUDGET_FACTOR * maxBody;
  /** Bytes reserved by the bodies being read (or held until their answer) right now. */
  let reserved = 0;
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
      const header = (name: string): string | undefined => {
        const v = req.headers[name.toLowerCase()];
        return Array.isArray(v) ? v[0] : v;
      };
      // before a byte of the body: `connection: close` on every early answer, so the client cannot
      // keep streaming a body nobody reads (Node closes the socket once the answer is written)
      const close = { ...ctx.headers, connection: 'close' };
      const early = service.precheck(rest, header);
      if (early !== undefined) {
        sendJson(res, early.status, close, early.body);
        return true;
      }
      const tooLarge = { status: 'error', message: `the body is larger than ${maxBody} bytes` };
      if ((declaredLength(req) ?? 0) > maxBody) {
        sendJson(res, 413, close, tooLarge);
        return true;
      }
      // the bodies read at once share the budget: one that does not fit is not read at all
      const need = declaredLength(req) ?? maxBody;
      if (reserved + need > budget) {
        sendJson(res, 503, { ...close, 'retry-after': String(BUDGET_RETRY_AFTER_S) }, { status: 'error', message: `too many webhook bodies are being read at once (${budget} bytes together); try again in ${BUDGET_RETRY_AFTER_S} s` });
        return true;
      }
      reserved += need;
      try {
        // a client waiting for the go-ahead (Expect: 100-continue) gets it only now, once the headers passed
        if (/^\s*100-continue\s*$/i.test(header('expect') ?? '')) res.writeContinue();
        const read = await readBounded(req, Math.min(maxBody, need), bodyTimeoutMs);
        if (!('body' in read)) {
          if (read.problem === 'too-large') sendJson(res, 413, close, tooLarge);
          else if (read.problem === 'timeout') sendJson(res, 408, close, { status: 'error', message: `the body did not arrive within ${bodyTimeoutMs / 1000} s` });
          else res.destroy();
          return true;
        }
        const answer = await service.receive(rest, header, read.body);
        sendJson(res, answer.status, ctx.headers, answer.body);
        return true;
      } finally {
        reserved -= need;
      }
    },
  };
}
