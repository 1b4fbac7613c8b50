import http from 'node:http';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { Security, type StandinUser, type Grant, hasPermission } from './auth.js';
import { BuildSimulator } from './builds.js';
import { FaultState, seededRandom, type FaultControls, type FaultConfig } from './faults.js';
import type { Ctx, Settings } from './http-kit.js';
import { jettyError, noCrumb, notFound, oops, redirect, requirePost, send, sendJson, unauthorized, forbidden, elapsedMs } from './http-kit.js';
import { type Runtime, type RouteTiming, exportCtx, need, touchSession, track } from './runtime.js';
import { Store, fullNameOf, touch, type Container, type Item, type View, type Build } from './store.js';
import { parsePath, routeKey } from './url-path.js';
import { Bean, TreeSyntaxError, exportJson } from './export-tree.js';
import { buildBean, itemBean, queueBean, queueListBean, rootBean, viewBean, containerPath, viewPath } from './exported.js';
import { createItem, doDelete, httpDelete, itemConfig, rename, setDisabled } from './item-handlers.js';
import { moveItem } from './move-handler.js';
import { addJobNameToView, addRemoveJob, createView, deleteView, viewConfig } from './view-handlers.js';
import { build, buildWithParameters } from './build-handlers.js';
import { buildPage, configurePage, dashboard, itemPage, labelPage, loginPage, nodesPage, queuePage, viewPage } from './pages.js';
import { buildLog, consoleText, progressiveLog, workspaceOf } from './console-log.js';
import { BuildRecorder } from './build-records.js';
import { artifactAction, readTestReport, testResultBean } from './relic-handlers.js';
import { cancelItem, queueItemAction } from './queue-handlers.js';
import { computerAction, createAgentItem, doCreateAgent } from './node-handlers.js';
import { computerBean, computerSetBean, labelBean } from './node-export.js';
import { jenkinsLabel, type LabelExpr } from '../model/label-expression.js';
import { handleControl } from './control.js';
import { pluginManagerBean } from './plugins.js';
import { NodeStore, type StandinNode } from './nodes.js';
import { place } from './placement.js';
import { param } from './params.js';
import { lockHome } from './home-lock.js';

export interface StandinOptions {
  home: string;
  /** 0 = pick a free port (default). */
  port?: number;
  users?: StandinUser[];
  /** What anonymous may do (default: 'none' when users are given, else 'admin'). */
  anonymous?: Grant;
  /** X-Jenkins (default '2.479.3'). */
  version?: string;
  /** config.xml GET: re-serialised like Jenkins >= 2.568 (default) or the stored file verbatim. */
  configGet?: 'reserialise' | 'verbatim';
  /** 302 Location form: 'path' like Jetty 12 / Jenkins >= 2.472 (default) or 'absolute' like older Jenkins. */
  redirects?: 'path' | 'absolute';
  /** How long a simulated build runs (default 3000 ms). */
  buildDurationMs?: number;
  /** Quiet period of queued builds unless `delay=` is given (default 100 ms). */
  quietPeriodMs?: number;
  /** Request body limit; larger bodies get 413 (default 10 MiB). */
  maxBodyBytes?: number;
  /** Seed of the fault RNG (default 1). */
  seed?: number;
  /** Replacement for characters above U+00FF in headers: '?' (Jetty 12.1, default) or ' ' (older Jetty). */
  headerReplacement?: string;
  /** Initial faults. */
  faults?: FaultConfig;
}

export interface Standin {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  close(): Promise<void>;
  faults: FaultControls;
  /** Requests per route, e.g. `GET api/json`, `POST createItem`. */
  requestCounts(): Record<string, number>;
  /** Server-side time per route (ms), measured from request start to response headers. */
  requestTimings(): Record<string, RouteTiming>;
  resetCounts(): void;
  /** Problems met loading `home` (unreadable config.xml files are skipped). */
  loadWarnings: string[];
}

const ALWAYS_READABLE = new Set(['login', 'logout', 'loginError', 'signup', '404', 'error', 'oops', 'accessDenied', 'adjuncts', 'securityRealm', 'whoAmI', 'static']);

const BUILD_PERMALINKS: Record<string, (b: Build[]) => Build | undefined> = {
  lastBuild: (b) => b[b.length - 1],
  lastCompletedBuild: (b) => [...b].reverse().find((x) => x.result !== null),
  lastSuccessfulBuild: (b) => [...b].reverse().find((x) => x.result === 'SUCCESS' || x.result === 'UNSTABLE'),
  lastStableBuild: (b) => [...b].reverse().find((x) => x.result === 'SUCCESS'),
  lastFailedBuild: (b) => [...b].reverse().find((x) => x.result === 'FAILURE'),
};

type Target =
  | { kind: 'root' }
  | { kind: 'item'; item: Item; via?: { c: Container; v: View } }
  | { kind: 'view'; c: Container; v: View }
  | { kind: 'build'; item: Item; build: Build }
  | { kind: 'queue'; id: number }
  | { kind: 'queueList' }
  | { kind: 'computerSet' }
  | { kind: 'computer'; node: StandinNode }
  | { kind: 'label'; label: LabelExpr };

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
      } else if (!over) chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Crumb from the `Jenkins-Crumb` header, else the request parameter (query or urlencoded form). */
function crumbOf(ctx: Ctx): string | undefined {
  const h = ctx.req.headers['jenkins-crumb'];
  if (typeof h === 'string') return h;
  return param(ctx, 'Jenkins-Crumb') ?? undefined;
}

function isListing(t: Target): boolean {
  return t.kind === 'root' || t.kind === 'view' || (t.kind === 'item' && t.item.container !== undefined);
}

export async function startStandin(opts: StandinOptions): Promise<Standin> {
  const home = path.resolve(opts.home);
  const version = opts.version ?? '2.479.3';
  const settings: Settings = {
    version,
    sessionHash: createHash('md5').update(version + Date.now() + randomBytes(4).toString('hex')).digest('hex').slice(0, 8),
    redirects: opts.redirects ?? 'path',
    configGet: opts.configGet ?? 'reserialise',
    buildDurationMs: opts.buildDurationMs ?? 3000,
    quietPeriodMs: opts.quietPeriodMs ?? 100,
    maxBodyBytes: opts.maxBodyBytes ?? 10 * 1024 * 1024,
    headerReplacement: opts.headerReplacement ?? '?',
  };
  // One stand-in per home (a second one, `--embedded` or not, would overwrite this one's files).
  const lock = await lockHome(home);
  const store = new Store(home);
  const nodes = new NodeStore(home);
  try {
    await store.load();
    nodes.setBuiltInFrom(store.rootDoc);
    await nodes.load();
  } catch (err) {
    await lock.release();
    throw err;
  }
  store.loadWarnings.push(...nodes.loadWarnings);
  const users = opts.users ?? [];
  const security = new Security(users, opts.anonymous ?? (users.length > 0 ? 'none' : 'admin'));
  const faultState = new FaultState(seededRandom(opts.seed ?? 1));
  if (opts.faults) faultState.config = opts.faults;
  const recorder = new BuildRecorder({
    dirOf: (item) => store.dirOf(item),
    enqueue: (item, op) => track(rt, store.enqueue(item, op)),
    live: (item) => !item.deleted,
    version,
    workspaceOf: (item, b) => workspaceOf(rt, item, b),
    fullNameOf,
    logOf: (item, b) => buildLog(rt, item, b),
  });
  // the whole start (checkout resolution included) is tracked: close() waits for it, so no write of
  // this stand-in lands in the home after it closed (another may be loading it)
  const life = {
    started: (item: Item, b: Build) => track(rt, recorder.started(item, b)),
    finished: (item: Item, b: Build, result: string) => track(rt, recorder.finished(item, b, result)),
    discard: (item: Item, numbers: number[]) => track(rt, recorder.discard(item, numbers)),
  };
  const builds: BuildSimulator = new BuildSimulator(() => settings.buildDurationMs, Date.now, touch, (item) => place(nodes, item, (n) => builds.runningOn(n.name)), life);
  const rt: Runtime = {
    store,
    nodes,
    security,
    builds,
    settings,
    faults: faultState,
    counts: new Map(),
    timings: new Map(),
    inflight: new Set(),
    epoch: 0,
  };

  const onElapsed = (ctx: Ctx, ms: number): void => {
    if (ctx.route.startsWith('__standin')) return;
    let t = rt.timings.get(ctx.route);
    if (!t) rt.timings.set(ctx.route, (t = { count: 0, totalMs: 0, maxMs: 0, lastMs: 0 }));
    t.count++;
    t.totalMs += ms;
    t.lastMs = ms;
    if (ms > t.maxMs) t.maxMs = ms;
  };

  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    handle(rt, req, res, onElapsed).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain', 'Content-Length': '0' });
        res.end();
      }
      void e;
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    rt.builds.close();
    await store.close();
    await lock.release();
    throw err;
  });
  const port = (server.address() as import('node:net').AddressInfo).port;

  const faults: FaultControls = {
    set: (c) => {
      faultState.config = { ...c };
    },
    update: (c) => {
      faultState.config = { ...faultState.config, ...c };
    },
    get: () => faultState.config,
    clear: () => {
      faultState.config = {};
    },
    expireSessions: () => security.expireSessions(),
    revokeCredentials: (u) => security.revoke(u),
    restoreCredentials: (u) => security.restore(u),
  };

  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    faults,
    loadWarnings: store.loadWarnings,
    requestCounts: () => Object.fromEntries(rt.counts),
    requestTimings: () => Object.fromEntries([...rt.timings].map(([k, v]) => [k, { ...v }])),
    resetCounts: () => {
      rt.counts.clear();
      rt.timings.clear();
    },
    close: () => {
      closed ??= (async () => {
        rt.builds.close();
        const done = new Promise<void>((r) => server.close(() => r()));
        server.closeIdleConnections();
        const deadline = setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 2000);
        await done;
        clearTimeout(deadline);
        await Promise.allSettled([...rt.inflight]);
        await store.close();
        await lock.release();
      })();
      return closed;
    },
  };
}

async function handle(rt: Runtime, req: http.IncomingMessage, res: http.ServerResponse, onElapsed: (c: Ctx, ms: number) => void): Promise<void> {
  const startNs = process.hrtime.bigint();
  const method = (req.method ?? 'GET').toUpperCase();
  const parsed = parsePath(req.url ?? '/');
  const host = req.headers.host ?? `127.0.0.1:${(req.socket.localPort ?? 0)}`;
  const base: Ctx = {
    req, res, method, segments: [], trailingSlash: false, rawPath: req.url ?? '/', rawQuery: '', query: new URLSearchParams(),
    body: Buffer.alloc(0), principal: rt.security.anonymous(), route: `${method} ?`, origin: `http://${host}`,
    settings: rt.settings, dropResponse: false, startNs, onElapsed,
  };
  if (!parsed.ok) {
    req.resume();
    return jettyError(base, 400, 'Bad Request', parsed.message);
  }
  const ctx: Ctx = { ...base, segments: parsed.segments, trailingSlash: parsed.trailingSlash, rawPath: parsed.rawPath, rawQuery: parsed.rawQuery, query: new URLSearchParams(parsed.rawQuery) };

  // Loopback control endpoint: not counted, no auth, no faults.
  if (ctx.segments[0] === '__standin') {
    ctx.route = '__standin';
    const body = await readBody(req, 1024 * 1024);
    ctx.body = body === 'too-large' ? Buffer.alloc(0) : body;
    return handleControl(rt, ctx);
  }

  ctx.route = routeKey(method, ctx.segments);
  rt.counts.set(ctx.route, (rt.counts.get(ctx.route) ?? 0) + 1);

  const f = rt.faults;
  if (f.config.latencyMs) await sleep(f.config.latencyMs);
  if (f.dropRequest(ctx.route)) {
    req.socket.destroy();
    return;
  }
  const injected = f.errorFor(ctx.route);
  if (injected !== undefined) {
    req.resume();
    return send(ctx, injected, { 'Content-Type': 'text/html;charset=utf-8' }, `<html><body><h1>${injected} (injected by the stand-in)</h1></body></html>\n`);
  }
  ctx.dropResponse = f.dropResponse(ctx.route);

  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > rt.settings.maxBodyBytes) {
    res.setHeader('Connection', 'close');
    jettyError(ctx, 413, 'Payload Too Large', 'Payload Too Large');
    req.socket.once('drain', () => undefined);
    setImmediate(() => req.destroy());
    return;
  }
  const body = await readBody(req, rt.settings.maxBodyBytes);
  if (body === 'too-large') {
    res.setHeader('Connection', 'close');
    return jettyError(ctx, 413, 'Payload Too Large', 'Payload Too Large');
  }
  ctx.body = body;

  // 1. Basic authentication (401 on any URL).
  const auth = rt.security.authenticate(req.headers.authorization);
  if (!auth.ok) return unauthorized(ctx);
  ctx.principal = auth.principal;
  ctx.sessionId = rt.security.sessionFrom(req.headers.cookie);
  // A browser signed in through the login form is that user for the session's lifetime.
  if (ctx.principal.anonymous) ctx.principal = rt.security.sessionPrincipal(ctx.sessionId) ?? ctx.principal;

  // The login form is handled by the security filter chain, before the CSRF filter.
  if (ctx.segments.length === 1 && ctx.segments[0] === 'j_spring_security_check' && method === 'POST') return formLogin(rt, ctx);

  // 2. CSRF: POSTs only; API-token requests are exempt; checked before the URL is resolved.
  if (method === 'POST' && !ctx.principal.viaToken && !rt.security.checkCrumb(ctx.principal, ctx.sessionId, crumbOf(ctx))) return noCrumb(ctx);

  if (method === 'TRACE') return jettyError(ctx, 405, 'Method Not Allowed', 'Method Not Allowed');

  // 3. Overall/Read for all but a few paths.
  const first = ctx.segments[0] ?? '';
  if (!ALWAYS_READABLE.has(first) && !hasPermission(ctx.principal, 'Overall/Read')) return forbidden(ctx, 'Overall/Read', () => touchSession(rt, ctx));

  try {
    await dispatch(rt, ctx);
  } catch (e) {
    oops(ctx, (e as Error)?.stack ?? String(e));
  }
}

function walk(rt: Runtime, segs: string[]): { target: Target; rest: string[] } | undefined {
  let target: Target = { kind: 'root' };
  let k = 0;
  if (segs[0] === 'queue' && segs[1] === 'item' && segs[2] !== undefined) {
    if (!/^\d+$/.test(segs[2])) return undefined;
    return { target: { kind: 'queue', id: Number(segs[2]) }, rest: segs.slice(3) };
  }
  if (segs[0] === 'queue') return { target: { kind: 'queueList' }, rest: segs.slice(1) };
  if (segs[0] === 'computer') {
    const s1 = segs[1];
    if (s1 === undefined || s1 === 'api' || s1 === 'doCreateItem' || s1 === 'createItem') return { target: { kind: 'computerSet' }, rest: segs.slice(1) };
    const node = rt.nodes.computer(s1);
    if (!node) return undefined;
    return { target: { kind: 'computer', node }, rest: segs.slice(2) };
  }
  if (segs[0] === 'label' && segs[1] !== undefined) {
    // Jenkins.getLabel(expr): any expression names a label (one that may match no node)
    return { target: { kind: 'label', label: jenkinsLabel(segs[1]) }, rest: segs.slice(2) };
  }
  while (k < segs.length) {
    const s = segs[k]!;
    const cur = target as Target;
    const group: Container | undefined = cur.kind === 'root' ? rt.store.root : cur.kind === 'view' ? cur.c : cur.kind === 'item' ? cur.item.container : undefined;
    if (s === 'job' && k + 1 < segs.length && group) {
      const item = group.items.get(segs[k + 1]!);
      if (!item || item.pending) return undefined;
      target = { kind: 'item', item, ...(cur.kind === 'view' ? { via: { c: cur.c, v: cur.v } } : {}) };
      k += 2;
    } else if (s === 'view' && k + 1 < segs.length && group && cur.kind !== 'view') {
      const v: View | undefined = group.views.find((x) => x.name === segs[k + 1]);
      if (!v) return undefined;
      target = { kind: 'view', c: group, v };
      k += 2;
    } else if (cur.kind === 'item' && cur.item.type.kind === 'job' && (/^\d+$/.test(s) || BUILD_PERMALINKS[s])) {
      const b: Build | undefined = /^\d+$/.test(s) ? cur.item.builds.find((x) => x.number === Number(s)) : BUILD_PERMALINKS[s]!(cur.item.builds);
      if (!b) return undefined;
      target = { kind: 'build', item: cur.item, build: b };
      k += 1;
    } else break;
  }
  return { target, rest: segs.slice(k) };
}

async function serveApi(rt: Runtime, ctx: Ctx, t: Target, via?: { c: Container; v: View }): Promise<void> {
  if (param(ctx, 'jsonp') !== null) return forbidden(ctx, undefined, () => touchSession(rt, ctx));
  const x = exportCtx(rt, ctx);
  if (via) x.viaView = { container: via.c, view: via.v };
  let bean: Bean;
  switch (t.kind) {
    case 'root': bean = rootBean(x, rt.store.root, true); break;
    case 'item': bean = itemBean(x, t.item); break;
    case 'view': bean = viewBean(x, t.c, t.v); break;
    case 'build': bean = buildBean(x, t.item, t.build); break;
    case 'queue': {
      const q = rt.builds.get(t.id);
      if (!q) return notFound(ctx);
      bean = queueBean(x, q);
      break;
    }
    case 'queueList': bean = queueListBean(x, rt.builds.items()); break;
    case 'computerSet': bean = computerSetBean(x, rt.nodes); break;
    case 'computer': bean = computerBean(x, t.node); break;
    case 'label': bean = labelBean(x, t.label); break;
  }
  return serveBean(rt, ctx, bean, isListing(t));
}

/** `Api.doJson`: a bean with `tree` (wins) or `depth`; `jsonp` is refused. */
async function serveBean(rt: Runtime, ctx: Ctx, bean: Bean, listing = false): Promise<void> {
  if (param(ctx, 'jsonp') !== null) return forbidden(ctx, undefined, () => touchSession(rt, ctx));
  const depthRaw = param(ctx, 'depth');
  let depth = 0;
  if (depthRaw !== null) {
    if (!/^-?\d+$/.test(depthRaw.trim())) return oops(ctx, 'javax.servlet.ServletException: Depth parameter must be a number');
    depth = Number(depthRaw.trim());
  }
  const tree = param(ctx, 'tree') ?? undefined;
  let json: string;
  try {
    json = exportJson(bean, tree, depth);
  } catch (e) {
    if (e instanceof TreeSyntaxError) return oops(ctx, `javax.servlet.ServletException: ${e.message}`);
    throw e;
  }
  if (listing) {
    const slow = rt.faults.config.slowListingMs;
    if (slow) await sleep(slow);
    if (rt.faults.truncateListing()) json = json.slice(0, Math.floor(json.length / 2));
  }
  sendJson(ctx, json);
}

function redirectToSlash(ctx: Ctx): void {
  redirect(ctx, ctx.rawPath + '/' + (ctx.rawQuery ? `?${ctx.rawQuery}` : ''));
}

async function dispatch(rt: Runtime, ctx: Ctx): Promise<void> {
  const segs = ctx.segments;
  const m = ctx.method === 'HEAD' ? 'GET' : ctx.method;
  const w = walk(rt, segs);
  if (!w) return notFound(ctx);
  const { target: t, rest } = w;
  const action = rest.join('/');
  const isPost = m === 'POST';

  // Object index pages need the trailing slash (DirectoryishDispatcher).
  if (action === '' && t.kind !== 'root' && !ctx.trailingSlash) return redirectToSlash(ctx);
  if (action === 'api/json' || action === 'api/json/') return serveApi(rt, ctx, t, t.kind === 'item' ? t.via : undefined);

  switch (t.kind) {
    case 'root': return dispatchRoot(rt, ctx, action, m);
    case 'queue': {
      const q = rt.builds.get(t.id);
      return q ? queueItemAction(rt, ctx, q, action) : notFound(ctx);
    }
    case 'queueList':
      if (action === 'cancelItem') return cancelItem(rt, ctx);
      if (action === '') return m === 'GET' ? queuePage(rt, ctx) : notFound(ctx);
      return notFound(ctx);
    case 'computerSet':
      if (action === '') return m === 'GET' ? nodesPage(rt, ctx) : notFound(ctx);
      // ComputerSet.doDoCreateItem is @POST (other verbs fall through to 404); doCreateItem is @RequirePOST
      if (action === 'doCreateItem') return isPost ? doCreateAgent(rt, ctx) : notFound(ctx);
      if (action === 'createItem') return isPost ? createAgentItem(rt, ctx) : requirePost(ctx);
      return notFound(ctx);
    case 'computer':
      return computerAction(rt, ctx, t.node, action);
    case 'label':
      if (action === '') return m === 'GET' ? labelPage(rt, ctx, t.label) : notFound(ctx);
      return notFound(ctx);
    case 'build': {
      if (action === '' && m === 'GET') return buildPage(rt, ctx, t.item, t.build);
      if (action === 'consoleText' && m === 'GET') return consoleText(rt, ctx, t.item, t.build);
      if (rest[0] === 'artifact') return artifactAction(rt, ctx, t.item, t.build, rest.slice(1));
      if (action === 'testReport/api/json' || action === 'testReport/api/json/') {
        const report = await readTestReport(rt, t.item, t.build);
        return report ? serveBean(rt, ctx, testResultBean(report, t.build.number)) : notFound(ctx);
      }
      if (action === 'logText/progressiveText' || action === 'logText/progressiveHtml') {
        if (m !== 'GET' && m !== 'POST') return notFound(ctx);
        return progressiveLog(rt, ctx, t.item, t.build, action.endsWith('Html'));
      }
      if (action === 'stop') {
        if (!isPost) return requirePost(ctx);
        if (!need(rt, ctx, 'Job/Build')) return;
        rt.builds.stop(t.item, t.build, ctx.principal.anonymous ? 'anonymous' : ctx.principal.name);
        touch(t.item);
        return redirect(ctx, `${containerPath(t.item.parent)}job/${encodeURIComponent(t.item.name)}/${t.build.number}/`);
      }
      return notFound(ctx);
    }
    case 'view': {
      const { c, v } = t;
      if (action === '') return m === 'GET' ? viewPage(rt, ctx, c, v) : notFound(ctx);
      if (action === 'config.xml') return viewConfig(rt, ctx, c, v);
      if (action === 'doDelete') return isPost ? deleteView(rt, ctx, c, v) : requirePost(ctx);
      if ((action === 'addJobToView' || action === 'removeJobFromView') && v.listView) {
        return isPost ? addRemoveJob(rt, ctx, c, v, action === 'addJobToView') : requirePost(ctx);
      }
      if (action === 'createItem' && c.kind === 'root') return isPost ? createItemInView(rt, ctx, c, v) : requirePost(ctx);
      return notFound(ctx);
    }
    case 'item': {
      const item = t.item;
      const isJob = item.type.kind === 'job';
      const folder = item.container;
      if (action === '') {
        if (m === 'DELETE') return httpDelete(rt, ctx, item);
        if (m === 'GET') return itemPage(rt, ctx, item);
        return notFound(ctx);
      }
      switch (action) {
        case 'config.xml': return itemConfig(rt, ctx, item);
        case 'configure': return m === 'GET' && need(rt, ctx, 'Job/Configure') ? configurePage(rt, ctx, item) : m === 'GET' ? undefined : notFound(ctx);
        case 'doDelete': {
          if (!isPost) return requirePost(ctx);
          const to = t.via ? viewPath(t.via.c, t.via.v) : containerPath(item.parent);
          return doDelete(rt, ctx, item, to);
        }
        case 'disable':
        case 'enable':
          if (!isJob) return notFound(ctx);
          return isPost ? setDisabled(rt, ctx, item, action === 'disable') : requirePost(ctx);
        case 'doRename':
        case 'confirmRename':
          return isPost ? rename(rt, ctx, item) : requirePost(ctx);
        case 'move/move':
          // the Folders plugin's RelocationAction (@RequirePOST)
          return isPost ? moveItem(rt, ctx, item) : requirePost(ctx);
        case 'build':
          return isJob ? build(rt, ctx, item) : notFound(ctx);
        case 'buildWithParameters':
          return isJob ? buildWithParameters(rt, ctx, item) : notFound(ctx);
        case 'createItem':
          // Folder.doCreateItem is @POST: other verbs fall through to 404.
          return folder && item.type.kind === 'folder' && isPost ? createItem(rt, ctx, folder) : notFound(ctx);
        case 'createView':
          return folder && isPost ? createView(rt, ctx, folder) : notFound(ctx);
      }
      return notFound(ctx);
    }
  }
}

/** Percent-encode what a header value cannot carry (controls, spaces, non-ASCII), keep the rest. */
function headerSafePath(s: string): string {
  return s.replace(/[^\x21-\x7e]/gu, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '%EF%BF%BD'; // a lone surrogate
    }
  });
}

/** `POST j_spring_security_check` (the login form): 302 to `from` (same site only) or `/loginError`. */
function formLogin(rt: Runtime, ctx: Ctx): void {
  const id = rt.security.formLogin(param(ctx, 'j_username') ?? '', param(ctx, 'j_password') ?? '', ctx.sessionId);
  if (id === undefined) return redirect(ctx, '/loginError');
  ctx.sessionId = id;
  ctx.newCookie = rt.security.setCookie(id);
  const from = param(ctx, 'from') ?? '';
  // only a path on this server (never `//host` or an absolute URL), like Jenkins' safe-redirect check;
  // characters a header cannot carry are percent-encoded
  redirect(ctx, /^\/(?![/\\])/.test(from) ? headerSafePath(from) : '/');
}

async function createItemInView(rt: Runtime, ctx: Ctx, c: Container, v: View): Promise<void> {
  // View.doCreateItem: create in the owner, then a ListView also lists the new job.
  await createItem(rt, ctx, c, async (item) => {
    if (v.listView) await addJobNameToView(rt, c, v, item.name);
  });
}

function dispatchRoot(rt: Runtime, ctx: Ctx, action: string, m: string): Promise<void> | void {
  const isPost = m === 'POST';
  const root = rt.store.root;
  switch (action) {
    case '':
      return m === 'GET' ? dashboard(rt, ctx) : notFound(ctx);
    case 'createItem':
      return isPost ? createItem(rt, ctx, root) : requirePost(ctx);
    case 'createView':
      return isPost ? createView(rt, ctx, root) : notFound(ctx);
    case 'crumbIssuer/api/json':
    case 'crumbIssuer/api/xml': {
      touchSession(rt, ctx);
      const crumb = rt.security.crumbFor(ctx.principal.name, ctx.sessionId);
      if (action.endsWith('xml')) {
        const xp = param(ctx, 'xpath');
        if (xp === 'concat(//crumbRequestField,":",//crumb)') return send(ctx, 200, { 'Content-Type': 'text/plain;charset=utf-8' }, `Jenkins-Crumb:${crumb}`);
        return send(ctx, 200, { 'Content-Type': 'application/xml;charset=utf-8' }, `<defaultCrumbIssuer _class='hudson.security.csrf.DefaultCrumbIssuer'><crumb>${crumb}</crumb><crumbRequestField>Jenkins-Crumb</crumbRequestField></defaultCrumbIssuer>`);
      }
      const bean = Bean.of<null>('hudson.security.csrf.DefaultCrumbIssuer', [
        { name: 'crumb', vis: 1, get: () => crumb },
        { name: 'crumbRequestField', vis: 1, get: () => 'Jenkins-Crumb' },
      ], null);
      return sendJson(ctx, exportJson(bean, param(ctx, 'tree') ?? undefined, 0));
    }
    case 'whoAmI/api/json': {
      const p = ctx.principal;
      const bean = Bean.of<null>('hudson.security.WhoAmI', [
        { name: 'anonymous', vis: 1, get: () => p.anonymous },
        { name: 'authenticated', vis: 1, get: () => true },
        { name: 'authorities', vis: 1, get: () => (p.anonymous ? ['anonymous'] : ['authenticated']) },
        { name: 'name', vis: 1, get: () => p.name },
      ], null);
      return sendJson(ctx, exportJson(bean, param(ctx, 'tree') ?? undefined, 0));
    }
    case 'me/api/json': {
      const p = ctx.principal;
      if (p.anonymous) return forbidden(ctx, undefined, () => touchSession(rt, ctx));
      const bean = Bean.of<null>('hudson.model.User', [
        { name: 'absoluteUrl', vis: 1, get: () => `${ctx.origin}/user/${encodeURIComponent(p.name)}` },
        { name: 'description', vis: 1, get: () => null },
        { name: 'fullName', vis: 1, get: () => p.name },
        { name: 'id', vis: 1, get: () => p.name },
        { name: 'property', vis: 1, get: () => [] },
      ], null);
      return sendJson(ctx, exportJson(bean, param(ctx, 'tree') ?? undefined, Number(param(ctx, 'depth') ?? 0) || 0));
    }
    case 'pluginManager/api/json': {
      if (!need(rt, ctx, 'Overall/Administer')) return;
      return serveBean(rt, ctx, pluginManagerBean());
    }
    case 'login':
      return m === 'GET' ? loginPage(rt, ctx) : notFound(ctx);
    case 'loginError':
      return m === 'GET' ? loginPage(rt, ctx, true) : notFound(ctx);
    case 'logout': {
      if (ctx.sessionId) rt.security.logout(ctx.sessionId);
      return redirect(ctx, '/');
    }
  }
  void elapsedMs;
  return notFound(ctx);
}
