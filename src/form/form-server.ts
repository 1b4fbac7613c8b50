import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ejs from 'ejs';
import type { Diagnostic } from '../model/diagnostic.js';
import type { GitIdentity } from './definitions-store.js';
import type { FormCatalog } from './form-catalog.js';
import { CSRF_COOKIE, CsrfGuard, parseCookies } from './csrf.js';
import { DEFAULT_AUTHOR_EMAIL } from './build-user.js';
import { fieldErrors, fieldId } from './field-errors.js';
import type { ProjectRequest } from './project-request.js';
import { createProject, previewProject, type CreateOutcome, type PreviewJob, type SelfServiceOptions } from './self-service.js';
import { formCss, formJs } from './views/assets.js';
import { formView, messageView, pageView, resultView } from './views/page-view.js';
import type { FormRoute } from './form-route.js';
import { hostCheck } from './host-check.js';

/** Who may create jobs. Without `allow`, anyone who reaches the server may. */
export interface AccessControl {
  /** Header carrying the authenticated user, set by the reverse proxy in front (e.g. `X-Forwarded-User`). */
  userHeader?: string;
  /** Users allowed to create jobs (`*`: any authenticated user). */
  allow?: string[];
  /** Author e-mail for an authenticated user; `{user}` is replaced (default `{user}@users.jobsmith.invalid`). */
  authorEmail?: string;
}

export interface FormServerOptions extends SelfServiceOptions {
  /** Shown on the page: where definitions are committed. */
  definitionsLabel: string;
  /** Link target for "Jenkins" on the page. */
  jenkinsUrl?: string;
  access?: AccessControl;
  /** Secret for the CSRF tokens (default: random per process). */
  csrfSecret?: Buffer;
  /** Fetch the definitions remote before showing the form at most this often (default 30 s; 0: never). */
  refreshMs?: number;
  /** More pages served beside the form (the build archive at /archive), behind the same access control. */
  routes?: FormRoute[];
  /**
   * Host names the server answers to besides IP literals, localhost and the listen address
   * (src/form/host-check.ts: a DNS-rebinding defence); `*`: any.
   */
  allowedHosts?: string[];
  /** Node's bounds on receiving a request (default SERVER_TIMEOUTS); tests shorten them. */
  timeouts?: { headersMs?: number; requestMs?: number };
}

/**
 * How long a client may take to send a request's headers (`headersTimeout`), and the whole request,
 * body included (`requestTimeout`): a client that trickles either is answered 408 by Node and its
 * connection closed (a slowloris holds no connection longer). The form's posts are at most 1 MB; a
 * webhook's body has its own, shorter bound (src/form/hook-routes.ts HOOK_BODY_TIMEOUT_MS). The time
 * a response takes (a sync behind a form post) is not bounded by either.
 */
export const SERVER_TIMEOUTS = { headersMs: 20_000, requestMs: 60_000 } as const;

export interface RunningFormServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface FormValues {
  project: string;
  folder: string;
  view: string;
  templates: string[];
  tokens: Record<string, string>;
  authorName: string;
  authorEmail: string;
}

const MAX_BODY = 1024 * 1024;

/** A page as sent: what a repeated submission gets again. */
interface Rendered {
  status: number;
  title: string;
  body: string;
  /** Something was committed: a repeat must get this page again, never a second attempt. */
  committed?: boolean;
}

/**
 * Submissions by id (a random value in each rendered form, bound to the CSRF cookie and to what
 * the post asks for): a repeat of a submission (double click, reload, a retry after a timeout)
 * gets the first one's page, waiting for it while it still runs, instead of a second attempt.
 * Only an attempt that committed is remembered (for `SUBMISSION_TTL_MS`): after "Jenkins is not
 * reachable", "busy" or a refused value nothing was written, so the next attempt runs again. A
 * post with a known id but other values (the same cached form used again) is a new submission.
 */
class Submissions {
  private readonly entries = new Map<string, { at: number; page: Promise<Rendered> }>();
  constructor(private readonly ttlMs = 30 * 60_000, private readonly max = 200) {}

  static key(cookie: string, id: string | null, params: URLSearchParams): string | undefined {
    if (!id || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) return undefined;
    const asked = [...params].filter(([k]) => k !== 'csrf' && k !== 'submission').map(([k, v]) => `${k}=${v}`).sort().join('\0');
    return createHash('sha256').update(`${cookie}\0${id}\0${asked}`).digest('hex');
  }

  get(key: string): Promise<Rendered> | undefined {
    return this.entries.get(key)?.page;
  }

  run(key: string, make: () => Promise<Rendered>): Promise<Rendered> {
    const now = Date.now();
    for (const [k, e] of this.entries) if (now - e.at > this.ttlMs || this.entries.size >= this.max) this.entries.delete(k);
    const page = make();
    const entry = { at: now, page };
    this.entries.set(key, entry);
    // only what committed stays: a failure (thrown or a page saying nothing was written) runs again next time
    const forget = (): void => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    page.then((r) => (r.committed ? undefined : forget()), forget);
    return page;
  }
}

const compiled = {
  page: ejs.compile(pageView),
  form: ejs.compile(formView),
  result: ejs.compile(resultView),
  message: ejs.compile(messageView),
};

/** Start the create-job web form on `host:port` (port 0: any free port). */
export async function startFormServer(opts: FormServerOptions, listen: { host?: string; port?: number } = {}): Promise<RunningFormServer> {
  const csrf = new CsrfGuard(opts.csrfSecret);
  const submissions = new Submissions();
  const refreshMs = opts.refreshMs ?? 30_000;
  let lastRefresh = 0;
  const refresh = async (): Promise<void> => {
    if (refreshMs <= 0 || Date.now() - lastRefresh < refreshMs) return;
    lastRefresh = Date.now();
    await opts.store.refresh();
  };
  const checkHost = hostCheck(listen.host ?? '127.0.0.1', opts.allowedHosts ?? []);
  const headersMs = opts.timeouts?.headersMs ?? SERVER_TIMEOUTS.headersMs;
  const requestMs = Math.max(headersMs, opts.timeouts?.requestMs ?? SERVER_TIMEOUTS.requestMs);
  // Node checks both bounds every connectionsCheckingInterval (default 30 s): check often enough that they hold
  const server = http.createServer({ connectionsCheckingInterval: Math.max(50, Math.min(5_000, Math.floor(headersMs / 4))) }, (req, res) => {
    const misdirected = checkHost(req);
    if (misdirected !== undefined) {
      // answered without reading the body: the connection is closed behind the answer
      return send(res, 421, 'text/plain; charset=utf-8', `${misdirected}\n`, { connection: 'close' });
    }
    handle(opts, csrf, submissions, req, res, refresh).catch((err: unknown) => {
      if (!res.headersSent) {
        send(res, 500, 'text/plain; charset=utf-8', `internal error: ${(err as Error)?.message ?? String(err)}\n`);
      } else res.destroy();
    });
  });
  // `Expect: 100-continue` (curl sends it for larger bodies): the client holds its body back until it
  // hears 100 Continue. A webhook can be refused from its headers alone, so /hooks/ answers before
  // any 100 and the body is never sent (hook-routes.ts sends the 100 when it reads the body);
  // everything else gets its 100 at once, as Node gives it without this listener.
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!(req.url ?? '').startsWith('/hooks/')) res.writeContinue();
    server.emit('request', req, res);
  });
  server.headersTimeout = headersMs;
  server.requestTimeout = requestMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port ?? 0, listen.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    port: addr.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy':
      "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
  };
}

function send(res: http.ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...securityHeaders(), ...extra });
  res.end(body);
}

function currentUser(opts: FormServerOptions, req: http.IncomingMessage): string | undefined {
  const h = opts.access?.userHeader;
  if (!h) return undefined;
  const v = req.headers[h.toLowerCase()];
  const user = (Array.isArray(v) ? v[0] : v)?.trim();
  return user ? user : undefined;
}

function accessRefusal(opts: FormServerOptions, user: string | undefined): string | undefined {
  const allow = opts.access?.allow;
  if (!allow) return undefined;
  if (user === undefined) return 'you are not signed in; only listed users may create jobs';
  if (allow.includes('*') || allow.includes(user)) return undefined;
  return `user "${user}" may not create jobs here; ask the build team to add you`;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function valuesFrom(params: URLSearchParams): FormValues {
  const tokens: Record<string, string> = {};
  for (const [k, v] of params) {
    // A checkbox posts a hidden "false" then "true" when ticked: the last value wins.
    if (k.startsWith('token.')) tokens[k.slice(6)] = v;
  }
  return {
    project: (params.get('project') ?? '').trim(),
    folder: (params.get('folder') ?? '').trim(),
    view: (params.get('view') ?? '').trim(),
    templates: params.getAll('templates'),
    tokens,
    authorName: (params.get('author_name') ?? '').trim(),
    authorEmail: (params.get('author_email') ?? '').trim(),
  };
}

function emptyValues(): FormValues {
  return { project: '', folder: '', view: '', templates: [], tokens: {}, authorName: '', authorEmail: '' };
}

function requestFrom(v: FormValues): ProjectRequest {
  return {
    project: v.project,
    templates: v.templates,
    tokens: v.tokens,
    ...(v.folder ? { folder: v.folder } : {}),
    ...(v.view ? { view: v.view } : {}),
  };
}

function authorFor(opts: FormServerOptions, user: string | undefined, v: FormValues): GitIdentity | undefined {
  if (user !== undefined) {
    const email = v.authorEmail || (opts.access?.authorEmail ?? DEFAULT_AUTHOR_EMAIL).replaceAll('{user}', user);
    return { name: user, email };
  }
  if (v.authorName && v.authorEmail && !/[<>\n]/.test(v.authorName + v.authorEmail)) return { name: v.authorName, email: v.authorEmail };
  return undefined;
}

async function handle(
  opts: FormServerOptions,
  csrf: CsrfGuard,
  submissions: Submissions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  refresh: () => Promise<void>,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://form.invalid');
  if (req.method === 'GET' && url.pathname === '/assets/form.css') return send(res, 200, 'text/css; charset=utf-8', formCss);
  if (req.method === 'GET' && url.pathname === '/assets/form.js') return send(res, 200, 'text/javascript; charset=utf-8', formJs);
  if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
  if (opts.routes?.length) {
    const who = currentUser(opts, req);
    const refusal = accessRefusal(opts, who);
    const ctx = { headers: securityHeaders(), ...(who !== undefined ? { user: who } : {}), ...(refusal !== undefined ? { refusal } : {}) };
    for (const route of opts.routes) if (await route.handle(req, res, url, ctx)) return;
  }
  if (url.pathname !== '/') return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  if (req.method !== 'GET' && req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, POST' });

  const user = currentUser(opts, req);
  const page = (r: Rendered, cookie?: string): void => {
    const html = compiled.page({ title: r.title, body: r.body, base: '', user });
    send(res, r.status, 'text/html; charset=utf-8', html, cookie ? { 'set-cookie': `${CSRF_COOKIE}=${cookie}; Path=/; HttpOnly; SameSite=Strict` } : {});
  };
  const refused = accessRefusal(opts, user);
  if (refused) return page({ status: 403, title: 'Not allowed', body: compiled.message({ heading: 'Not allowed', message: refused, base: '' }) });

  let cookie = parseCookies(req)[CSRF_COOKIE];
  let setCookie: string | undefined;
  if (!cookie || !/^[A-Za-z0-9_-]{16,64}$/.test(cookie)) {
    cookie = csrf.newCookieValue();
    setCookie = cookie;
  }

  if (req.method === 'GET') await refresh();
  const catalogChecked = await opts.checker.catalog();
  const catalog: FormCatalog = catalogChecked.value ?? { templates: [], fields: [] };
  const catalogErrors = catalogChecked.diagnostics.filter((d) => d.severity === 'error');

  const formPage = (
    status: number,
    values: FormValues,
    diagnostics: readonly Diagnostic[],
    extra: { notice?: { kind: string; message: string }; preview?: { jobs: PreviewJob[]; text: string; file: string }; creating?: boolean } = {},
  ): Rendered => {
    const { errors, general, summary } = fieldErrors([...catalogErrors, ...diagnostics], catalog, opts.store.dir);
    const body = compiled.form({
      base: '',
      catalog,
      values,
      errors,
      general,
      summary,
      fieldId,
      creating: extra.creating ?? false,
      notice: extra.notice,
      preview: extra.preview,
      csrf: csrf.tokenFor(cookie!),
      submission: randomBytes(18).toString('base64url'),
      user,
      jenkinsUrl: opts.jenkinsUrl ?? '',
      definitionsLabel: opts.definitionsLabel,
    });
    return { status, title: 'Create jobs', body };
  };

  if (req.method === 'GET') return page(formPage(200, emptyValues(), []), setCookie);

  // POST: CSRF first, before reading anything the post asks for.
  const ctype = String(req.headers['content-type'] ?? '');
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(await readBody(req));
  } catch (err) {
    return send(res, 413, 'text/plain; charset=utf-8', `${(err as Error).message}\n`);
  }
  const why = csrf.refusal(req, parseCookies(req)[CSRF_COOKIE], params.get('csrf') ?? undefined);
  if (why || !ctype.startsWith('application/x-www-form-urlencoded')) {
    return page({ status: 403, title: 'Refused', body: compiled.message({ heading: 'Request refused', message: why ?? 'unsupported content type', base: '' }) }, setCookie);
  }

  const values = valuesFrom(params);
  const request = requestFrom(values);
  const previewFile = `${opts.store.jobsDir}/${values.project || '<project>'}.yaml`;
  if (params.get('action') !== 'create') {
    const p = await previewProject(opts.checker, opts.store, catalog, request);
    return page(formPage(200, values, p.diagnostics, { preview: { jobs: p.jobs, text: p.text, file: previewFile } }), setCookie);
  }

  const create = async (): Promise<Rendered> => {
    const outcome: CreateOutcome = await createProject(opts, catalog, request, authorFor(opts, user, values));
    switch (outcome.kind) {
      case 'invalid':
        return formPage(422, values, outcome.diagnostics, { creating: true, preview: { jobs: [], text: outcome.text ?? '', file: previewFile } });
      case 'exists':
        return formPage(409, values, [{ severity: 'error', code: 'project-exists', field: 'project', message: outcome.message }], { creating: true });
      case 'busy':
        return formPage(409, values, [], { notice: { kind: 'busy', message: `Nothing was created: ${outcome.message}.` } });
      case 'failed':
        return formPage(503, values, [], { notice: { kind: 'failed', message: `Nothing was created: ${outcome.message}` } });
      case 'created': {
        const ok = outcome.sync === 'deferred' || outcome.sync.ok;
        return { status: ok ? 201 : 502, title: ok ? 'Jobs created' : 'Jobs not created', body: compiled.result({ outcome, base: '' }), committed: true };
      }
    }
  };
  const key = Submissions.key(cookie, params.get('submission'), params);
  const first = key ? submissions.get(key) : undefined;
  const rendered = await (first ?? (key ? submissions.run(key, create) : create()));
  return page(rendered, setCookie);
}
