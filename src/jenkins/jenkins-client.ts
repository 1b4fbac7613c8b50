/**
 * The Jenkins client: every JenkinsApi operation over undici (see http-transport.ts), with Basic
 * auth, lazy CSRF crumbs (crumb-session.ts), typed errors (jenkins-error.ts), retries only where a
 * repeat is safe (retry-policy.ts) and credential redaction on everything it says (redact.ts).
 */
import type { BuildCause, JenkinsApi, WriteGuard } from '../model/jenkins-api.js';
import { sameItemConfig } from './same-item-config.js';
import type { RelicBuild, RelicCause, RelicFetch, RelicKind, RelicParameter, RelicSource, RelicWriter } from '../model/build-relics.js';
import type { ObservedState, ObservedView } from '../model/observed.js';
import { CrumbSession, cookiePairs, type CrumbFetchResult } from './crumb-session.js';
import { FOLDER_CLASS, MINIMAL_FOLDER_XML } from './folder-config.js';
import { HttpTransport, type HttpRequest, type HttpResponse } from './http-transport.js';
import { JenkinsError, bestErrorText, decodeHeaderText, htmlText, kindForStatus, type JenkinsErrorInit } from './jenkins-error.js';
import { DEFAULT_LIST_DEPTH, flattenListing, listingTree } from './listing-tree.js';
import { Redactor } from './redact.js';
import { DEFAULT_RETRY, backoffDelay, isTransient, type RetryPolicy } from './retry-policy.js';
import { badFullName, itemPath, parentAndName, query, viewPath } from './url-names.js';

export interface ResponseEvent {
  method: string;
  /** Route label, e.g. `POST createItem`. */
  route: string;
  status: number;
  /** Client-side duration of the exchange, ms. */
  ms: number;
  /** Response headers (Set-Cookie removed). */
  headers: Record<string, string | string[] | undefined>;
}

export interface ClientOptions {
  /** Jenkins root URL, e.g. `https://ci.example.com/` or `http://host/jenkins/`. */
  url: string;
  user?: string;
  /** API token (or password; then crumbs are used). */
  token?: string;
  /** Most requests in flight at once (default 8); more wait in a queue. */
  concurrency?: number;
  /** Per request, headers and body (default 30 000). */
  timeoutMs?: number;
  /** Extra attempts for safe requests after a transient failure (default 3). */
  retries?: number;
  /** First retry backoff, ms (default 200; doubles per attempt, with jitter). */
  retryBaseDelayMs?: number;
  /** PEM files with extra CA certificates (added to the system roots). */
  caFiles?: string[];
  /** Proxy URL for requests to Jenkins (see resolveConnectionSettings for HTTPS_PROXY etc.). */
  proxy?: string;
  /** NO_PROXY-style list of hosts that bypass the proxy. */
  noProxy?: string;
  /** Nesting levels selected by the listing's tree (default 6); deeper folders get follow-ups. */
  listDepth?: number;
  /** --verbose output, one line per request/retry; never sees credentials. */
  logger?: (line: string) => void;
  /** Called after every HTTP response (benchmarks read server timing headers here). */
  onResponse?: (e: ResponseEvent) => void;
}

export interface ClientStats {
  requests: number;
  byRoute: Record<string, number>;
  /** Highest number of requests that were in flight at once. */
  maxInFlight: number;
  retries: number;
  crumbFetches: number;
}

interface Call {
  operation: string;
  target?: string;
  route: string;
  method: HttpRequest['method'];
  path: string;
  body?: string | Buffer;
  contentType?: string;
  /** Statuses that count as success (default: 2xx). */
  accept?: (status: number) => boolean;
}

const XML = 'application/xml; charset=utf-8';
const FORM = 'application/x-www-form-urlencoded; charset=UTF-8';
const is2xx = (s: number) => s >= 200 && s < 300;
const is2xxOr3xx = (s: number) => s >= 200 && s < 400;

function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function isCrumbFailure(res: HttpResponse): boolean {
  if (res.status !== 403) return false;
  if (header(res, 'x-required-permission') !== undefined) return false;
  return /no valid crumb/i.test(res.body.toString('utf8'));
}

function isJson(res: HttpResponse): unknown {
  return JSON.parse(res.body.toString('utf8'));
}

export class JenkinsClient implements JenkinsApi, RelicSource {
  private readonly transport: HttpTransport;
  private readonly redactor: Redactor;
  private readonly auth: string | undefined;
  private readonly crumbs: CrumbSession;
  private readonly retry: RetryPolicy;
  private readonly listDepth: number;
  private readonly log: (line: string) => void;
  private readonly statsValue: ClientStats = { requests: 0, byRoute: {}, maxInFlight: 0, retries: 0, crumbFetches: 0 };

  constructor(private readonly opts: ClientOptions) {
    let base: URL;
    try {
      base = new URL(opts.url);
    } catch {
      throw new JenkinsError({ kind: 'bad-request', operation: 'connect', detail: 'the Jenkins URL is not a valid URL' });
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new JenkinsError({ kind: 'bad-request', operation: 'connect', detail: `the Jenkins URL must be http or https, not ${base.protocol}` });
    }
    // Credentials in the URL are moved to Basic auth and never used in request lines.
    const urlUser = base.username ? decodeURIComponent(base.username) : undefined;
    const urlPass = base.password ? decodeURIComponent(base.password) : undefined;
    base.username = '';
    base.password = '';
    base.search = '';
    base.hash = '';
    const user = opts.user ?? urlUser;
    const token = opts.token ?? urlPass;
    this.redactor = new Redactor([token, urlPass, user !== undefined && token !== undefined ? `${user}:${token}` : undefined, opts.proxy]);
    this.auth = user !== undefined && token !== undefined ? 'Basic ' + Buffer.from(`${user}:${token}`, 'utf8').toString('base64') : undefined;
    this.retry = { ...DEFAULT_RETRY, retries: opts.retries ?? DEFAULT_RETRY.retries, baseDelayMs: opts.retryBaseDelayMs ?? DEFAULT_RETRY.baseDelayMs };
    this.listDepth = opts.listDepth ?? DEFAULT_LIST_DEPTH;
    const logger = opts.logger;
    this.log = logger ? (line) => logger(this.redactor.redact(line)) : () => {};
    this.transport = new HttpTransport({
      baseUrl: base,
      concurrency: opts.concurrency ?? 8,
      timeoutMs: opts.timeoutMs ?? 30_000,
      redact: (text) => this.redactor.redact(text),
      ...(opts.caFiles ? { caFiles: opts.caFiles } : {}),
      ...(opts.proxy ? { proxy: opts.proxy } : {}),
      ...(opts.noProxy !== undefined ? { noProxy: opts.noProxy } : {}),
    });
    this.crumbs = new CrumbSession(() => this.fetchCrumb());
  }

  /** Request counts (per route label such as `POST createItem`), retries, crumb fetches, peak concurrency. */
  get stats(): ClientStats {
    return { ...this.statsValue, byRoute: { ...this.statsValue.byRoute }, maxInFlight: this.transport.gate.maxInFlight, crumbFetches: this.crumbs.fetches };
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  // ---------------------------------------------------------------- plumbing

  private error(init: JenkinsErrorInit): JenkinsError {
    const r = (s: string | undefined) => (s === undefined ? undefined : this.redactor.redact(s));
    const clean: JenkinsErrorInit = { kind: init.kind, operation: init.operation };
    if (init.target !== undefined) clean.target = r(init.target)!;
    if (init.status !== undefined) clean.status = init.status;
    if (init.xError !== undefined) clean.xError = r(init.xError)!;
    if (init.detail !== undefined) clean.detail = r(init.detail)!;
    return new JenkinsError(clean);
  }

  private errorFromResponse(c: Call, res: HttpResponse, crumb = false): JenkinsError {
    const body = res.body.toString('utf8');
    const rawX = header(res, 'x-error');
    const init: JenkinsErrorInit = { kind: crumb ? 'crumb' : kindForStatus(res.status), operation: c.operation, status: res.status };
    if (c.target !== undefined) init.target = c.target;
    if (rawX !== undefined) init.xError = bestErrorText(rawX, body);
    else init.detail = describeFailure(res, body, this.auth !== undefined);
    return this.error(init);
  }

  private headersFor(c: Call, extra: Record<string, string>): Record<string, string> {
    const h: Record<string, string> = { 'accept-language': 'en', 'user-agent': 'jobsmith', ...extra };
    if (this.auth) h.authorization = this.auth;
    if (c.contentType) h['content-type'] = c.contentType;
    return h;
  }

  private async exchange(c: Call, extra: Record<string, string>): Promise<HttpResponse> {
    const req: HttpRequest = { method: c.method, path: c.path, headers: this.headersFor(c, extra) };
    if (c.body !== undefined) req.body = typeof c.body === 'string' ? Buffer.from(c.body, 'utf8') : c.body;
    const started = performance.now();
    this.statsValue.requests++;
    this.statsValue.byRoute[c.route] = (this.statsValue.byRoute[c.route] ?? 0) + 1;
    let res: HttpResponse;
    try {
      res = await this.transport.send(req, c.target !== undefined ? { operation: c.operation, target: c.target } : { operation: c.operation });
    } catch (err) {
      if (err instanceof JenkinsError) this.log(`${c.method} ${c.path} → ${err.kind} (${Math.round(performance.now() - started)} ms)`);
      throw err;
    }
    const ms = performance.now() - started;
    this.log(`${c.method} ${c.path} → ${res.status} (${Math.round(ms)} ms)`);
    if (this.opts.onResponse) {
      const headers = { ...res.headers };
      delete headers['set-cookie'];
      this.opts.onResponse({ method: c.method, route: c.route, status: res.status, ms, headers });
    }
    return res;
  }

  /** One logical request: crumb on POSTs, one crumb refresh on a crumb failure, typed errors. */
  private async call(c: Call): Promise<HttpResponse> {
    const accept = c.accept ?? is2xx;
    if (c.method !== 'POST') {
      const cookie = this.crumbs.cookieHeader();
      const res = await this.exchange(c, cookie !== undefined ? { cookie } : {});
      if (!accept(res.status)) throw this.errorFromResponse(c, res);
      return res;
    }
    const first = await this.crumbs.headersForPost();
    let res = await this.exchange(c, first.headers);
    if (isCrumbFailure(res)) {
      this.log(`crumb refused; fetching a new one`);
      await this.crumbs.refetch(first.generation);
      res = await this.exchange(c, this.crumbs.currentHeaders());
      if (isCrumbFailure(res)) {
        if (this.crumbs.refused) {
          throw this.error({ kind: 'forbidden', operation: c.operation, ...(c.target !== undefined ? { target: c.target } : {}), status: 403, detail: this.auth ? 'forbidden (no crumb could be obtained)' : 'forbidden for anonymous access (set JENKINS_USER and JENKINS_API_TOKEN)' });
        }
        throw this.errorFromResponse(c, res, true);
      }
    }
    if (!accept(res.status)) throw this.errorFromResponse(c, res);
    return res;
  }

  private async fetchCrumb(): Promise<CrumbFetchResult> {
    const c: Call = { operation: 'get CSRF crumb', route: 'GET crumbIssuer', method: 'GET', path: 'crumbIssuer/api/json', accept: () => true };
    const res = await this.withRetries(c.operation, async () => {
      const r = await this.exchange(c, {});
      if (isTransientStatus(r.status)) throw this.errorFromResponse(c, r);
      return r;
    });
    // 404: CSRF protection disabled. 403: no Overall/Read (anonymous); the POST will tell.
    if (res.status === 404) return { crumb: 'none', cookies: [] };
    if (res.status === 403) return { crumb: 'refused', cookies: [] };
    if (!is2xx(res.status)) throw this.errorFromResponse(c, res);
    let json: { crumb?: unknown; crumbRequestField?: unknown };
    try {
      json = isJson(res) as typeof json;
    } catch {
      throw this.error({ kind: 'server', operation: c.operation, status: res.status, detail: 'the crumb issuer did not answer JSON' });
    }
    if (typeof json.crumb !== 'string' || typeof json.crumbRequestField !== 'string') return { crumb: 'none', cookies: [] };
    return { crumb: { field: json.crumbRequestField, value: json.crumb }, cookies: cookiePairs(res.headers['set-cookie']) };
  }

  /** Run `attempt` again after transient failures (only for requests that are safe to repeat). */
  private async withRetries<T>(operation: string, attempt: (n: number) => Promise<T>, onTransient?: (err: JenkinsError) => Promise<'retry' | { done: T }>): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await attempt(n);
      } catch (err) {
        if (!isTransient(err) || n >= this.retry.retries) throw err;
        if (onTransient) {
          const verdict = await onTransient(err as JenkinsError);
          if (verdict !== 'retry') return verdict.done;
        }
        const delay = backoffDelay(n + 1, this.retry);
        this.statsValue.retries++;
        this.log(`retry ${n + 1}/${this.retry.retries} of ${operation} in ${delay} ms: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** A call that may be repeated freely (GETs, idempotent POSTs). */
  private safe(c: Call): Promise<HttpResponse> {
    return this.withRetries(c.operation, () => this.call(c));
  }

  private checkName(operation: string, fullName: string): void {
    const why = badFullName(fullName);
    if (why) throw this.error({ kind: 'bad-request', operation, target: fullName, detail: `invalid name: ${why}` });
  }

  private json(c: Call, res: HttpResponse): unknown {
    try {
      return isJson(res);
    } catch {
      // A 200 with a cut-off body is a transport failure, so GETs retry it.
      throw this.error({ kind: 'network', operation: c.operation, ...(c.target !== undefined ? { target: c.target } : {}), status: res.status, detail: 'the answer is not valid JSON (truncated?)' });
    }
  }

  private async getJson(c: Omit<Call, 'method'>): Promise<unknown> {
    const call: Call = { ...c, method: 'GET' };
    return this.withRetries(call.operation, async () => this.json(call, await this.call(call)));
  }

  /** Does the item exist? (GET `api/json?tree=name`; 404 → false). With its folder-ness. */
  private async probe(fullName: string): Promise<{ exists: false } | { exists: true; isFolder: boolean; className: string }> {
    try {
      const j = (await this.getJson({ operation: 'check item', target: fullName, route: 'GET item api/json', path: `${itemPath(fullName)}api/json${query({ tree: 'name,jobs[name]{0,1}' })}` })) as { _class?: string; jobs?: unknown };
      return { exists: true, isFolder: Array.isArray(j.jobs) || j._class === FOLDER_CLASS, className: j._class ?? '' };
    } catch (err) {
      if (err instanceof JenkinsError && err.kind === 'not-found') return { exists: false };
      throw err;
    }
  }

  /** probe(), looking again a few times while the item is absent (a create may be under way). */
  private async probeSettled(fullName: string): ReturnType<JenkinsClient['probe']> {
    let p = await this.probe(fullName);
    for (let k = 1; !p.exists && k <= 5; k++) {
      await new Promise((r) => setTimeout(r, 25 * 2 ** k));
      p = await this.probe(fullName);
    }
    return p;
  }

  private async viewExists(name: string, folder: string): Promise<boolean> {
    try {
      await this.getJson({ operation: 'check view', target: viewLabel(name, folder), route: 'GET view api/json', path: `${viewPath(name, folder)}api/json?tree=name` });
      return true;
    } catch (err) {
      if (err instanceof JenkinsError && err.kind === 'not-found') return false;
      throw err;
    }
  }

  // ---------------------------------------------------------------- identity

  async version(): Promise<string> {
    const c: Call = { operation: 'read Jenkins version', route: 'GET api/json', method: 'GET', path: 'api/json?tree=url', accept: () => true };
    const res = await this.withRetries(c.operation, async () => {
      const r = await this.call(c);
      if (isTransientStatus(r.status) || r.status === 401) throw this.errorFromResponse(c, r);
      return r;
    });
    const v = header(res, 'x-jenkins');
    if (v === undefined) {
      throw this.error({ kind: is2xx(res.status) ? 'server' : kindForStatus(res.status), operation: c.operation, status: res.status, detail: 'no X-Jenkins header: is the URL the Jenkins root?' });
    }
    return decodeHeaderText(v);
  }

  async whoAmI(): Promise<{ name: string; anonymous: boolean; authorities: string[] }> {
    try {
      const j = (await this.getJson({ operation: 'who am I', route: 'GET whoAmI', path: 'whoAmI/api/json' })) as { name?: unknown; anonymous?: unknown; authorities?: unknown };
      const name = typeof j.name === 'string' ? j.name : 'anonymous';
      return {
        name,
        anonymous: typeof j.anonymous === 'boolean' ? j.anonymous : name === 'anonymous',
        authorities: Array.isArray(j.authorities) ? j.authorities.filter((a): a is string => typeof a === 'string') : [],
      };
    } catch (err) {
      if (!(err instanceof JenkinsError && err.kind === 'not-found')) throw err;
      // Very old Jenkins without whoAmI's API: the user object.
      const j = (await this.getJson({ operation: 'who am I', route: 'GET me', path: 'me/api/json?tree=id' })) as { id?: unknown };
      const name = typeof j.id === 'string' ? j.id : 'anonymous';
      return { name, anonymous: name === 'anonymous', authorities: [] };
    }
  }

  // ---------------------------------------------------------------- nodes

  async listNodes(): Promise<Array<{ name: string; labels: string[]; offline: boolean }>> {
    const j = (await this.getJson({ operation: 'list nodes', route: 'GET computer/api/json', path: `computer/api/json${query({ tree: 'computer[displayName,offline,assignedLabels[name]]' })}` })) as { computer?: unknown };
    if (!Array.isArray(j.computer)) throw this.error({ kind: 'server', operation: 'list nodes', detail: 'computer/api/json has no computer list' });
    return j.computer.map((c: { displayName?: unknown; offline?: unknown; assignedLabels?: unknown }) => ({
      name: typeof c.displayName === 'string' ? c.displayName : '',
      offline: c.offline === true,
      labels: Array.isArray(c.assignedLabels) ? c.assignedLabels.map((l: { name?: unknown }) => l.name).filter((n): n is string => typeof n === 'string') : [],
    }));
  }

  // ---------------------------------------------------------------- listing

  async list(): Promise<ObservedState> {
    const tree = listingTree(this.listDepth);
    const rootCall: Call = { operation: 'list items', route: 'GET api/json (listing)', method: 'GET', path: `api/json${query({ tree })}` };
    let session: string | undefined;
    const root = await this.withRetries(rootCall.operation, async () => {
      const res = await this.call(rootCall);
      const j = this.json(rootCall, res);
      session = header(res, 'x-jenkins-session');
      return j;
    });
    let flat;
    try {
      flat = flattenListing(root);
    } catch (err) {
      throw this.error({ kind: 'server', operation: 'list items', detail: (err as Error).message });
    }
    const items = flat.items;
    const views: ObservedView[] = flat.views;
    const pending = [...flat.deeper];
    // Folders deeper than the tree: one follow-up each, bounded by the number of items seen.
    for (let guard = 0; pending.length > 0 && guard < 1_000_000; guard++) {
      const batch = pending.splice(0, pending.length);
      const results = await Promise.all(
        batch.map(async (folder) => {
          const j = await this.getJson({ operation: 'list folder', target: folder, route: 'GET api/json (listing)', path: `${itemPath(folder)}api/json${query({ tree })}` });
          try {
            return flattenListing(j, folder, { rootViews: false });
          } catch (err) {
            throw this.error({ kind: 'server', operation: 'list folder', target: folder, detail: (err as Error).message });
          }
        }),
      );
      for (const r of results) {
        items.push(...r.items);
        views.push(...r.views);
        pending.push(...r.deeper);
      }
    }
    return { items, views, ...(session !== undefined ? { session } : {}) };
  }

  // ---------------------------------------------------------------- jobs

  async listFolder(fullName: string): Promise<Array<{ fullName: string; className: string; isFolder: boolean }>> {
    this.checkName('list folder', fullName);
    const j = (await this.getJson({ operation: 'list folder', target: fullName, route: 'GET item api/json', path: `${itemPath(fullName)}api/json${query({ tree: 'jobs[name,fullName,jobs[name]{0,1}]' })}` })) as { jobs?: unknown };
    if (!Array.isArray(j.jobs)) throw this.error({ kind: 'server', operation: 'list folder', target: fullName, detail: 'the answer has no jobs list (not a folder?)' });
    return j.jobs
      .filter((i): i is Record<string, unknown> => i !== null && typeof i === 'object')
      .map((i) => {
        const className = typeof i['_class'] === 'string' ? i['_class'] : '';
        const leaf = typeof i['name'] === 'string' ? i['name'] : '';
        const full = typeof i['fullName'] === 'string' ? i['fullName'] : `${fullName}/${leaf}`;
        return { fullName: full, className, isFolder: Array.isArray(i['jobs']) || className === FOLDER_CLASS };
      });
  }

  async getConfig(fullName: string): Promise<string> {
    this.checkName('get config', fullName);
    const res = await this.safe({ operation: 'get config', target: fullName, route: 'GET config.xml', method: 'GET', path: `${itemPath(fullName)}config.xml` });
    return res.body.toString('utf8');
  }

  async createJob(fullName: string, configXml: string, created?: WriteGuard): Promise<void> {
    this.checkName('create', fullName);
    const { parent, name } = parentAndName(fullName);
    const c: Call = { operation: 'create', target: fullName, route: 'POST createItem', method: 'POST', path: `${itemPath(parent)}createItem${query({ name })}`, body: configXml, contentType: XML };
    // createItem is not idempotent: after a transient failure, look before trying again. An item
    // found at the name counts as this create's only when it is what this create sent: someone may
    // have made or renamed another item to that name meanwhile, and it is never written over.
    const isThisCreate = created ?? ((current: string) => (sameItemConfig(current, configXml) ? undefined : 'it does not hold the config this create sent'));
    const settle = async (): Promise<void> => {
      let current: string;
      try {
        current = await this.getConfig(fullName);
      } catch (err) {
        if (err instanceof JenkinsError && err.kind === 'not-found') throw this.takenMeanwhile(fullName, 'it went away again while it was read');
        throw err;
      }
      const why = isThisCreate(current);
      if (why !== undefined) throw this.takenMeanwhile(fullName, why);
    };
    await this.withRetries(
      c.operation,
      async (n) => {
        try {
          await this.call(c);
        } catch (err) {
          // A repeat refused as a duplicate: our earlier attempt went through, or someone else's item is there.
          if (n === 0 || !(err instanceof JenkinsError && err.status === 400 && (await this.probeSettled(fullName)).exists)) throw err;
          await settle();
        }
      },
      async () => {
        if (!(await this.probe(fullName)).exists) return 'retry';
        await settle();
        this.log(`${fullName} exists after a failed create and is what it sent: created`);
        return { done: undefined };
      },
    );
  }

  private takenMeanwhile(fullName: string, why: string): JenkinsError {
    return this.error({
      kind: 'conflict',
      operation: 'create',
      target: fullName,
      detail: `an item with this name appeared after an attempt whose answer was lost, but it is not this create's (${why}): someone made or renamed an item to this name meanwhile; not written over`,
    });
  }

  async updateJob(fullName: string, configXml: string, guard?: WriteGuard): Promise<void> {
    this.checkName('update', fullName);
    const c: Call = { operation: 'update', target: fullName, route: 'POST config.xml', method: 'POST', path: `${itemPath(fullName)}config.xml`, body: configXml, contentType: XML };
    if (!guard) {
      await this.safe(c);
      return;
    }
    // the answer was lost (it may have gone through): before a repeat, the item must still be the one this write is for
    await this.withRetries(c.operation, async () => void (await this.call(c)), async () => {
      const why = guard(await this.getConfig(fullName));
      if (why !== undefined) throw this.error({ kind: 'conflict', operation: 'update', target: fullName, detail: `it is no longer the item this write is for (${why}); not written again` });
      return 'retry';
    });
  }

  async deleteJob(fullName: string): Promise<void> {
    this.checkName('delete', fullName);
    const c: Call = { operation: 'delete', target: fullName, route: 'POST doDelete', method: 'POST', path: `${itemPath(fullName)}doDelete`, accept: is2xxOr3xx };
    await this.withRetries(
      c.operation,
      async () => void (await this.call(c)),
      async () => ((await this.probe(fullName)).exists ? 'retry' : { done: undefined }),
    );
  }

  async disableJob(fullName: string): Promise<void> {
    this.checkName('disable', fullName);
    await this.safe({ operation: 'disable', target: fullName, route: 'POST disable', method: 'POST', path: `${itemPath(fullName)}disable`, accept: is2xxOr3xx });
  }

  async enableJob(fullName: string): Promise<void> {
    this.checkName('enable', fullName);
    await this.safe({ operation: 'enable', target: fullName, route: 'POST enable', method: 'POST', path: `${itemPath(fullName)}enable`, accept: is2xxOr3xx });
  }

  /** Rename within the same folder; `newName` is the new short name (or a full name in the same folder). */
  async renameJob(fullName: string, newName: string): Promise<void> {
    this.checkName('rename', fullName);
    const { parent } = parentAndName(fullName);
    let short = newName;
    if (newName.includes('/')) {
      const n = parentAndName(newName);
      if (n.parent !== parent) throw this.error({ kind: 'bad-request', operation: 'rename', target: fullName, detail: `Jenkins renames within a folder; cannot move to ${newName}` });
      short = n.name;
    }
    const target = parent ? `${parent}/${short}` : short;
    this.checkName('rename', target);
    const mk = (action: string): Call => ({
      operation: 'rename',
      target: fullName,
      route: `POST ${action}`,
      method: 'POST',
      path: `${itemPath(fullName)}${action}${query({ newName: short })}`,
      accept: is2xxOr3xx,
    });
    const once = async () => {
      try {
        await this.call(mk('confirmRename'));
      } catch (err) {
        // Jenkins before 2.110 has only the older doRename (jobs; folders lack it).
        if (!(err instanceof JenkinsError && err.kind === 'not-found' && (await this.probe(fullName)).exists)) throw err;
        await this.call(mk('doRename'));
      }
    };
    await this.withRetries('rename', once, async () => {
      const [from, to] = await Promise.all([this.probe(fullName), this.probe(target)]);
      if (!from.exists && to.exists) return { done: undefined };
      return from.exists ? 'retry' : { done: undefined };
    });
  }

  /**
   * Move to another folder (`''` = the root) with the folders plugin's `move/move?destination=/F`.
   * Jenkins answers a destination it will not use (taken name, no permission there, the item's own
   * folder) with a silent redirect to the previous page, so the move is checked afterwards.
   */
  async moveJob(fullName: string, destinationFolder: string): Promise<void> {
    this.checkName('move', fullName);
    if (destinationFolder !== '') this.checkName('move', destinationFolder);
    const { name } = parentAndName(fullName);
    const target = destinationFolder ? `${destinationFolder}/${name}` : name;
    const where = destinationFolder || 'the root';
    const c: Call = {
      operation: 'move',
      target: fullName,
      route: 'POST move/move',
      method: 'POST',
      path: `${itemPath(fullName)}move/move${query({ destination: `/${destinationFolder}` })}`,
      accept: is2xxOr3xx,
    };
    const state = async () => {
      const [from, to] = await Promise.all([this.probe(fullName), this.probe(target)]);
      return { from: from.exists, to: to.exists };
    };
    try {
      await this.withRetries('move', async () => void (await this.call(c)), async () => {
        const s = await state();
        return !s.from && s.to ? { done: undefined } : s.from ? 'retry' : { done: undefined };
      });
    } catch (err) {
      if (err instanceof JenkinsError && err.kind === 'not-found' && (await this.probe(fullName)).exists) {
        throw this.error({ kind: 'not-found', operation: 'move', target: fullName, status: 404, detail: 'this Jenkins cannot move items between folders (the Folders plugin\u2019s move action is missing)' });
      }
      throw err;
    }
    const s = await state();
    if (s.from || !s.to) {
      throw this.error({ kind: 'conflict', operation: 'move', target: fullName, detail: `Jenkins did not move it to ${where} (the Folders plugin silently refuses a destination that holds that name already, or where the user may not create items)` });
    }
  }

  async copyJob(fromFullName: string, toFullName: string): Promise<void> {
    this.checkName('copy', fromFullName);
    this.checkName('copy', toFullName);
    const from = parentAndName(fromFullName);
    const to = parentAndName(toFullName);
    // `from` is resolved relative to the target folder; an absolute path works across folders.
    const fromParam = from.parent === to.parent ? from.name : `/${fromFullName}`;
    const c: Call = {
      operation: 'copy',
      target: toFullName,
      route: 'POST createItem (copy)',
      method: 'POST',
      path: `${itemPath(to.parent)}createItem${query({ name: to.name, mode: 'copy', from: fromParam })}`,
      accept: is2xxOr3xx,
    };
    await this.withRetries(
      'copy',
      async () => void (await this.call(c)),
      async () => ((await this.probe(toFullName)).exists ? { done: undefined } : 'retry'),
    );
  }

  async ensureFolder(fullName: string): Promise<void> {
    this.checkName('create folder', fullName);
    const segs = fullName.split('/');
    const prefix = (n: number) => segs.slice(0, n).join('/');
    let have = segs.length;
    for (; have > 0; have--) {
      const p = await this.probe(prefix(have));
      if (p.exists) {
        if (!p.isFolder) throw this.error({ kind: 'conflict', operation: 'create folder', target: prefix(have), detail: `an item of type ${p.className || 'unknown'} has this name; it is not a folder` });
        break;
      }
    }
    for (let n = have + 1; n <= segs.length; n++) {
      const name = prefix(n);
      try {
        await this.createJob(name, MINIMAL_FOLDER_XML);
      } catch (err) {
        // Someone else made it meanwhile: fine if it is a folder. Their create may still be under
        // way (the name is taken but the item not yet visible), so look a few times.
        if (!(err instanceof JenkinsError && ((err.kind === 'bad-request' && err.status === 400) || (err.kind === 'conflict' && err.operation === 'create')))) throw err;
        const p = await this.probeSettled(name);
        if (!p.exists || !p.isFolder) throw err;
      }
    }
  }

  // ---------------------------------------------------------------- views

  async listViews(folder = ''): Promise<Array<{ name: string; className: string; jobs: string[]; description?: string | null }>> {
    if (folder) this.checkName('list views', folder);
    const j = await this.getJson({ operation: 'list views', ...(folder ? { target: folder } : {}), route: 'GET views api/json', path: `${itemPath(folder)}api/json${query({ tree: 'views[name,description,jobs[fullName]]' })}` });
    return flattenListing({ jobs: [], views: (j as { views?: unknown }).views ?? [] }, folder).views.map((v) => ({ name: v.name, className: v.className, jobs: v.jobs, description: v.description ?? null }));
  }

  async createView(name: string, configXml: string, folder = ''): Promise<void> {
    if (folder) this.checkName('create view', folder);
    const target = viewLabel(name, folder);
    const c: Call = { operation: 'create view', target, route: 'POST createView', method: 'POST', path: `${itemPath(folder)}createView${query({ name })}`, body: configXml, contentType: XML };
    await this.withRetries(
      c.operation,
      async () => void (await this.call(c)),
      async () => {
        if (!(await this.viewExists(name, folder))) return 'retry';
        await this.updateViewConfig(name, configXml, folder);
        return { done: undefined };
      },
    );
  }

  async getViewConfig(name: string, folder = ''): Promise<string> {
    const res = await this.safe({ operation: 'get view config', target: viewLabel(name, folder), route: 'GET view config.xml', method: 'GET', path: `${viewPath(name, folder)}config.xml` });
    return res.body.toString('utf8');
  }

  async updateViewConfig(name: string, configXml: string, folder = ''): Promise<void> {
    await this.safe({ operation: 'update view', target: viewLabel(name, folder), route: 'POST view config.xml', method: 'POST', path: `${viewPath(name, folder)}config.xml`, body: configXml, contentType: XML });
  }

  async deleteView(name: string, folder = ''): Promise<void> {
    const c: Call = { operation: 'delete view', target: viewLabel(name, folder), route: 'POST view doDelete', method: 'POST', path: `${viewPath(name, folder)}doDelete`, accept: is2xxOr3xx };
    await this.withRetries(
      c.operation,
      async () => void (await this.call(c)),
      async () => ((await this.viewExists(name, folder)) ? 'retry' : { done: undefined }),
    );
  }

  async addJobToView(view: string, jobName: string, folder = ''): Promise<void> {
    await this.safe({ operation: 'add job to view', target: `${viewLabel(view, folder)} ← ${jobName}`, route: 'POST addJobToView', method: 'POST', path: `${viewPath(view, folder)}addJobToView${query({ name: jobName })}` });
  }

  async removeJobFromView(view: string, jobName: string, folder = ''): Promise<void> {
    await this.safe({ operation: 'remove job from view', target: `${viewLabel(view, folder)} → ${jobName}`, route: 'POST removeJobFromView', method: 'POST', path: `${viewPath(view, folder)}removeJobFromView${query({ name: jobName })}` });
  }

  // ---------------------------------------------------------------- builds

  /**
   * Queue a build. Without `parameters` it posts `build`; with them (even `{}`, meaning "the
   * defaults") `buildWithParameters`, parameters sent as a UTF-8 form body. Never retried (a
   * repeat could start a second build).
   */
  async build(fullName: string, parameters?: Record<string, string>): Promise<number> {
    this.checkName('build', fullName);
    const withParams = parameters !== undefined;
    const form = withParams ? new URLSearchParams(parameters).toString() : undefined;
    const c: Call = {
      operation: 'build',
      target: fullName,
      route: withParams ? 'POST buildWithParameters' : 'POST build',
      method: 'POST',
      path: `${itemPath(fullName)}${withParams ? 'buildWithParameters' : 'build'}`,
      accept: is2xxOr3xx,
      ...(form !== undefined ? { body: form, contentType: FORM } : {}),
    };
    const res = await this.call(c);
    const location = header(res, 'location');
    const id = location ? queueIdOf(location) : undefined;
    if (id === undefined) throw this.error({ kind: 'server', operation: 'build', target: fullName, status: res.status, detail: 'no queue item in the Location header' });
    return id;
  }

  async queueItem(id: number): Promise<{ id: number; cancelled: boolean; buildNumber?: number; why?: string | null }> {
    const j = (await this.getJson({ operation: 'read queue item', target: String(id), route: 'GET queue item', path: `queue/item/${id}/api/json` })) as {
      id?: unknown;
      cancelled?: unknown;
      why?: unknown;
      executable?: { number?: unknown } | null;
    };
    const out: { id: number; cancelled: boolean; buildNumber?: number; why?: string | null } = {
      id: typeof j.id === 'number' ? j.id : id,
      cancelled: j.cancelled === true,
      why: typeof j.why === 'string' ? j.why : null,
    };
    if (j.executable && typeof j.executable.number === 'number') out.buildNumber = j.executable.number;
    return out;
  }

  async buildStatus(fullName: string, number: number): Promise<{ building: boolean; result: string | null }> {
    this.checkName('read build', fullName);
    const j = (await this.getJson({ operation: 'read build', target: `${fullName} #${number}`, route: 'GET build api/json', path: `${itemPath(fullName)}${number}/api/json?tree=building,result` })) as {
      building?: unknown;
      result?: unknown;
    };
    return { building: j.building === true, result: typeof j.result === 'string' ? j.result : null };
  }
  /** Why a build started (its CauseActions): see JenkinsApi.buildCauses. */
  async buildCauses(fullName: string, number: number): Promise<BuildCause[]> {
    this.checkName('read build', fullName);
    const j = (await this.getJson({
      operation: 'read build',
      target: `${fullName} #${number}`,
      route: 'GET build api/json',
      path: `${itemPath(fullName)}${number}/api/json?tree=actions[causes[shortDescription,userId,userName]]`,
    })) as { actions?: Array<{ causes?: Array<Record<string, unknown>> } | null> };
    const out: BuildCause[] = [];
    for (const a of j.actions ?? []) {
      for (const c of a?.causes ?? []) {
        const cause: BuildCause = { className: typeof c['_class'] === 'string' ? c['_class'] : '' };
        if (typeof c['shortDescription'] === 'string') cause.shortDescription = c['shortDescription'];
        if (typeof c['userId'] === 'string') cause.userId = c['userId'];
        if (typeof c['userName'] === 'string') cause.userName = c['userName'];
        out.push(cause);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- build relics

  /**
   * Every build Jenkins holds for a job (newest first, at most `limit`), with what an archive keeps
   * of each: result, times, causes, parameters, the SCM revision, test counts, artifact names. One
   * request (`allBuilds`, which unlike `builds` is not cut at 100).
   */
  async listBuilds(fullName: string, limit?: number): Promise<RelicBuild[]> {
    this.checkName('list builds', fullName);
    const fields =
      'number,result,building,timestamp,duration,artifacts[relativePath,fileName],' +
      'actions[causes[shortDescription,userId,userName,upstreamProject,upstreamBuild],parameters[name,value],lastBuiltRevision[SHA1,branch[name]],remoteUrls,failCount,skipCount,totalCount,urlName]';
    const tree = `allBuilds[${fields}]${limit !== undefined ? `{0,${limit}}` : ''}`;
    const j = (await this.getJson({ operation: 'list builds', target: fullName, route: 'GET item builds', path: `${itemPath(fullName)}api/json${query({ tree })}` })) as { allBuilds?: unknown };
    if (!Array.isArray(j.allBuilds)) throw this.error({ kind: 'server', operation: 'list builds', target: fullName, detail: 'the answer has no allBuilds list' });
    return j.allBuilds.filter((b): b is Record<string, unknown> => b !== null && typeof b === 'object').map(relicBuildOf).filter((b): b is RelicBuild => b !== undefined);
  }

  /** How many builds Jenkins holds for a job: `allBuilds[number]` (one request, numbers only). */
  async countBuilds(fullName: string): Promise<number> {
    this.checkName('count builds', fullName);
    const j = (await this.getJson({ operation: 'count builds', target: fullName, route: 'GET item builds', path: `${itemPath(fullName)}api/json${query({ tree: 'allBuilds[number]' })}` })) as { allBuilds?: unknown };
    if (!Array.isArray(j.allBuilds)) throw this.error({ kind: 'server', operation: 'count builds', target: fullName, detail: 'the answer has no allBuilds list' });
    return j.allBuilds.length;
  }

  async fetchRelic(fullName: string, number: number, kind: RelicKind, open: () => Promise<RelicWriter>, maxBytes?: number): Promise<RelicFetch> {
    this.checkName('download', fullName);
    const tail = kind === 'console' ? 'consoleText' : kind === 'test-report' ? 'testReport/api/json' : 'artifact/*zip*/archive.zip';
    const what = kind === 'console' ? 'console log' : kind === 'test-report' ? 'test report' : 'artifacts';
    const c: Call = { operation: `download ${what}`, target: `${fullName} #${number}`, route: `GET build ${kind}`, method: 'GET', path: `${itemPath(fullName)}${number}/${tail}` };
    return this.withRetries(c.operation, async () => {
      const cookie = this.crumbs.cookieHeader();
      const req: HttpRequest = { method: 'GET', path: c.path, headers: this.headersFor(c, cookie !== undefined ? { cookie } : {}) };
      this.statsValue.requests++;
      this.statsValue.byRoute[c.route] = (this.statsValue.byRoute[c.route] ?? 0) + 1;
      const started = performance.now();
      return this.transport.stream(req, { operation: c.operation, target: c.target! }, async (res) => {
        this.log(`GET ${c.path} → ${res.status} (${Math.round(performance.now() - started)} ms)`);
        if (res.status === 404) return { status: 'absent' };
        if (res.status < 200 || res.status >= 300) {
          const parts: Buffer[] = [];
          let size = 0;
          for await (const chunk of res.chunks) {
            parts.push(chunk);
            if ((size += chunk.length) > 65_536) break;
          }
          throw this.errorFromResponse(c, { status: res.status, headers: res.headers, body: Buffer.concat(parts) });
        }
        const length = res.headers['content-length'];
        const declared = Number(Array.isArray(length) ? length[0] : length);
        if (maxBytes !== undefined && Number.isFinite(declared) && declared > maxBytes) return { status: 'too-large', limit: maxBytes };
        const w = await open();
        let bytes = 0;
        try {
          for await (const chunk of res.chunks) {
            bytes += chunk.length;
            if (maxBytes !== undefined && bytes > maxBytes) {
              await w.abort();
              return { status: 'too-large', limit: maxBytes };
            }
            await w.write(chunk);
          }
          await w.close();
        } catch (err) {
          await w.abort().catch(() => undefined);
          throw err;
        }
        return { status: 'saved', bytes };
      });
    });
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** One entry of `allBuilds` as a RelicBuild (undefined without a number). */
function relicBuildOf(b: Record<string, unknown>): RelicBuild | undefined {
  if (typeof b.number !== 'number') return undefined;
  const out: RelicBuild = {
    number: b.number,
    result: str(b.result) ?? null,
    building: b.building === true,
    timestamp: typeof b.timestamp === 'number' ? b.timestamp : 0,
    duration: typeof b.duration === 'number' ? b.duration : 0,
    causes: [],
    parameters: [],
    artifacts: [],
  };
  for (const a of Array.isArray(b.artifacts) ? b.artifacts : []) {
    const rel = str((a as Record<string, unknown> | null)?.relativePath);
    if (rel !== undefined) out.artifacts.push({ relativePath: rel, fileName: str((a as Record<string, unknown>).fileName) ?? rel.slice(rel.lastIndexOf('/') + 1) });
  }
  for (const raw of Array.isArray(b.actions) ? b.actions : []) {
    if (raw === null || typeof raw !== 'object') continue;
    const a = raw as Record<string, unknown>;
    for (const c of Array.isArray(a.causes) ? a.causes : []) {
      if (c === null || typeof c !== 'object') continue;
      const x = c as Record<string, unknown>;
      const cause: RelicCause = { className: str(x._class) ?? '' };
      if (str(x.shortDescription) !== undefined) cause.shortDescription = str(x.shortDescription)!;
      if (x.userId === null || typeof x.userId === 'string') cause.userId = x.userId;
      if (str(x.userName) !== undefined) cause.userName = str(x.userName)!;
      if (str(x.upstreamProject) !== undefined) cause.upstreamProject = str(x.upstreamProject)!;
      if (typeof x.upstreamBuild === 'number') cause.upstreamBuild = x.upstreamBuild;
      out.causes.push(cause);
    }
    for (const p of Array.isArray(a.parameters) ? a.parameters : []) {
      if (p === null || typeof p !== 'object') continue;
      const x = p as Record<string, unknown>;
      const name = str(x.name);
      if (name === undefined) continue;
      const param: RelicParameter = { name };
      if (str(x._class) !== undefined) param.className = str(x._class)!;
      // only what Jenkins exported, and only plain values (file and run parameters export objects)
      if (x.value === null || ['string', 'number', 'boolean'].includes(typeof x.value)) param.value = x.value as RelicParameter['value'];
      out.parameters.push(param);
    }
    const rev = a.lastBuiltRevision as Record<string, unknown> | null | undefined;
    if (out.revision === undefined && rev && typeof rev === 'object' && str(rev.SHA1)) {
      const branches = (Array.isArray(rev.branch) ? rev.branch : []).map((x) => str((x as Record<string, unknown> | null)?.name)).filter((x): x is string => x !== undefined);
      const urls = (Array.isArray(a.remoteUrls) ? a.remoteUrls : []).filter((x): x is string => typeof x === 'string');
      out.revision = { sha1: str(rev.SHA1)!, branches, remoteUrls: urls };
    }
    if (out.tests === undefined && a.urlName === 'testReport' && typeof a.totalCount === 'number') {
      out.tests = { failCount: typeof a.failCount === 'number' ? a.failCount : 0, skipCount: typeof a.skipCount === 'number' ? a.skipCount : 0, totalCount: a.totalCount };
    }
  }
  return out;
}

function isTransientStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** A view in messages (`create view 'team/Dashboard'`): the operation already says it is a view. */
function viewLabel(name: string, folder: string): string {
  return folder ? `${folder}/${name}` : name;
}

/** `…/queue/item/42/` (absolute URL of older and current Jenkins, or a bare path) → 42. */
export function queueIdOf(location: string): number | undefined {
  const m = /\/queue\/item\/(\d+)\/?(?:[?#].*)?$/.exec(location);
  return m ? Number(m[1]) : undefined;
}

/** A short explanation of a failure without X-Error, from status and diagnostic headers. */
function describeFailure(res: HttpResponse, body: string, authenticated: boolean): string {
  switch (res.status) {
    case 401:
      return 'the user name or API token was refused';
    case 403: {
      const perm = header(res, 'x-required-permission');
      const who = header(res, 'x-you-are-authenticated-as');
      if (perm) return `${who ? `${decodeHeaderText(who)} is ` : ''}missing the permission ${perm}`;
      return authenticated ? 'forbidden' : 'forbidden for anonymous access (set JENKINS_USER and JENKINS_API_TOKEN)';
    }
    case 404:
      return 'not found';
    case 405:
      return 'method not allowed';
    case 301:
    case 302:
    case 303:
    case 307:
    case 308:
      return `redirected to ${header(res, 'location') ?? '(no Location)'}: is the Jenkins URL right (https, context path)?`;
    default: {
      if (res.status >= 500) {
        const m = /(?:[\w.$]+(?:Exception|Error))(?::[^\n<]{0,200})?/.exec(body);
        // the root cause, when the page shows the chain (`Caused by: ...`): it says what is wrong
        const causes = [...body.matchAll(/Caused by: ((?:[\w.$]+(?:Exception|Error))(?::[^\n<]{0,200})?)/g)];
        const cause = causes.length > 0 ? htmlText(causes[causes.length - 1]![1]!).trim() : undefined;
        if (!m) return 'Jenkins reported an internal error';
        const first = htmlText(m[0]).trim();
        return `Jenkins reported ${first}${cause !== undefined && cause !== first ? ` (caused by ${cause})` : ''}`;
      }
      const text = htmlText(body).trim();
      return text.slice(0, 200) || `HTTP ${res.status}`;
    }
  }
}

