/**
 * Webhooks, without HTTP: a request (provider, headers, body) → an answer (401, 400, 202), and the
 * queued syncs behind it. The signature is checked before anything is read; an event for a
 * repository no definition names, or of only tags, is "ignored" (saying which); while the
 * definitions do not load, one that matches no project "failed" (naming the loading errors);
 * otherwise it is queued (src/hooks/hook-queue.ts) and answered at once with its id. The sync
 * itself is the runner's (src/hooks/hook-runner.ts); which of its new jobs are built is the batch's
 * BuildRule (createdIn). Stopping (close) serves what was answered queued, within a time limit.
 *
 * Deletions are never taken from the payload: a "deleted" event only queues a sync, and the sync
 * lists the remote itself (git ls-remote) before it tears anything down, so a forged or stale
 * delete cannot remove a live branch's job.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../model/clock.js';
import { systemClock } from '../model/clock.js';
import { redactUrl, redactUrlsInText } from '../model/redact-url.js';
import { MalformedPayload, type Provider, type RepoEvent } from './hook-event.js';
import { HookLog, type EventRecord } from './hook-log.js';
import { DEFINITIONS_KEY, HookQueue, type Batch } from './hook-queue.js';
import type { HookSecrets } from './hook-secret.js';
import { branchOf, EVENT_HEADER, parsePayload } from './parse-payload.js';
import { RepoIndex, sameRepo } from './repo-match.js';
import { checkSignatureHeader, verifySignature, type HeaderGetter } from './verify-signature.js';

/** What the projects are and where the definitions come from (re-read when the definitions change). */
export interface HookCatalog {
  /** Projects with a `branches.repo`, and whether a new branch's jobs are built (`build_on_create`). */
  index(): Promise<RepoIndex>;
  /**
   * Why the definitions do not load (a YAML error, a missing templates or jobs directory), in one
   * redacted line; undefined when they load. A definition that does not load names no repository.
   */
  loadProblem(): Promise<string | undefined>;
  /** The definitions repository's remote URL (undefined: not a clone, no remote). */
  definitionsRemote(): Promise<string | undefined>;
  /** The directory relative repository paths are resolved against. */
  baseDir: string;
}

export interface BatchResult {
  ok: boolean;
  /** One line for people (already redacted by the runner). */
  message: string;
  created: Array<{ fullName: string; project: string }>;
  built: Array<{ fullName: string; project: string; at: number }>;
  /** When the sync's changes were applied (before the build requests), ms since the epoch. */
  appliedAt?: number;
  /**
   * A sync of projects: each project's own outcome (its jobs, its problems, and what belongs to no
   * project), so that an event is told how its projects fared, not the whole batch's line.
   */
  projects?: ProjectOutcome[];
}

export interface ProjectOutcome {
  project: string;
  ok: boolean;
  /** One line for people (redacted). */
  message: string;
}

/**
 * Whether the branch job of (project, branch) that a sync created (or re-enabled: its branch is back)
 * gets its build request: only when an event of the batch created that branch (HookService.createdIn,
 * the one rule for both paths). A push to an existing branch is built by Jenkins' own SCM trigger; a
 * definitions change (a new project, a wider `include`) is no push of the branches it brings in.
 */
export type BuildRule = (project: string, branch: string) => boolean;

export interface HookRunner {
  /** Sync just these projects' jobs (branch jobs included): create new branches', tear down gone ones'. */
  syncProjects(projects: string[], build: BuildRule): Promise<BatchResult>;
  /** `git pull --ff-only` the definitions working copy, then sync everything. */
  syncDefinitions(build: BuildRule): Promise<BatchResult>;
}

export interface HookServiceOptions {
  secrets: HookSecrets;
  catalog: HookCatalog;
  runner: HookRunner;
  clock?: Clock;
  /** Which controller (Jenkins) a project's jobs live on (default: one, `default`). */
  controllerOf?: (project: string) => string;
  /** See DEFAULT_SETTLE_MS; `maxWaitMs` bounds the wait of the oldest event (default 5 s). */
  settleMs?: number;
  maxWaitMs?: number;
  /** Called when a batch ends (tests, logs); never with secrets. */
  onBatch?: (batch: Batch, result: BatchResult) => void;
}

export interface HookAnswer {
  status: 202 | 400 | 401;
  body: { id?: string; status: string; message?: string };
}

/** An event answered `queued` that serve stopped without serving (close): what serve prints of it, no secret. */
export interface UnservedEvent {
  id: string;
  /** The repository's short name (redacted). */
  repo: string;
  /** Its refs (at most the first 20, as in the status). */
  refs: EventRecord['refs'];
  /** Still waiting, or in a sync that had not ended. */
  status: 'queued' | 'running';
}

/** How long stopping serves the events already answered `queued` (and the running sync), by default. */
export const DEFAULT_STOP_MS = 30_000;

export const DEFAULT_CONTROLLER = 'default';
const NO_DEFINITION = 'no definition names this repository';
const MAX_REFS = 20;
/**
 * A burst (one push of many branches, a mirror's catch-up, a provider's redelivery) gathers this long
 * after its last event before the sync starts, so it runs once; a steady stream starts after 5 s.
 */
export const DEFAULT_SETTLE_MS = 200;

/** Why an event of only tags syncs nothing, naming (the first few of) its tags. */
function tagsWhy(refs: string[]): string {
  const shown = refs.slice(0, 3).map((r) => r.slice(0, 300));
  const list = refs.length > shown.length ? `${shown.join(', ')} and ${refs.length - shown.length} more` : shown.join(', ');
  return `${refs.length === 1 ? 'a tag' : 'tags'} (${list}): tags make no branch jobs`;
}

function newId(): string {
  return randomBytes(9).toString('base64url');
}

export class HookService {
  readonly log = new HookLog();
  private readonly queue: HookQueue;
  private readonly clock: Clock;
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<void>>();
  /** Stopping: no new event is taken; what was answered queued is served at once (close). */
  private closed = false;
  /** Stopped: nothing more starts. */
  private stopped = false;
  private idleWaiters: Array<() => void> = [];
  /**
   * Queued and running events: their projects and the branches they created (all of them, not the
   * status's first 20), and what close() reports of one left unserved (the status may have dropped it).
   */
  private readonly pending = new Map<string, { keys: string[]; created: Set<string>; repo: string; refs: EventRecord['refs']; running: boolean }>();

  constructor(private readonly opts: HookServiceOptions) {
    this.queue = new HookQueue({ settleMs: opts.settleMs ?? DEFAULT_SETTLE_MS, ...(opts.maxWaitMs !== undefined ? { maxWaitMs: opts.maxWaitMs } : {}) });
    this.clock = opts.clock ?? systemClock;
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private refused(provider: Provider): HookAnswer {
    const message = this.opts.secrets[provider] === undefined ? `no webhook secret is set for ${provider} (JOBSMITH_WEBHOOK_SECRET): every event is refused` : 'missing or wrong signature';
    return { status: 401, body: { status: 'refused', message } };
  }

  /**
   * The answer to a request its headers alone refuse (no secret for the provider, the signature
   * header missing or malformed, a wrong GitLab token), before its body is read; undefined: read the
   * body and call receive. Nothing is recorded for a refused request.
   */
  precheck(provider: Provider, header: HeaderGetter): HookAnswer | undefined {
    return checkSignatureHeader(provider, this.opts.secrets[provider], header) === undefined ? undefined : this.refused(provider);
  }

  /** Handle one request. Nothing is read from the body before the signature is checked. */
  async receive(provider: Provider, header: HeaderGetter, body: Buffer): Promise<HookAnswer> {
    if (!verifySignature(provider, this.opts.secrets[provider], header, body)) return this.refused(provider);
    let parsed;
    try {
      parsed = parsePayload(provider, header(EVENT_HEADER[provider]), body);
    } catch (err) {
      if (err instanceof MalformedPayload) return { status: 400, body: { status: 'malformed', message: redactUrlsInText(err.message) } };
      throw err;
    }
    const id = newId();
    const receivedAt = this.clock.now().toISOString();
    if (parsed.kind === 'other') {
      this.log.add({ id, provider, event: parsed.event, receivedAt, repo: '', refs: [], keys: [], status: 'ignored', message: parsed.why });
      return { status: 202, body: { id, status: 'ignored', message: parsed.why } };
    }
    const ev = parsed.event;
    const { keys, why } = await this.keysFor(ev);
    const record: EventRecord = {
      id,
      provider,
      event: ev.event,
      receivedAt,
      repo: redactUrl(ev.repoName),
      // a valid signature still bounds what is kept: at most MAX_REFS refs of one event
      refs: ev.changes.slice(0, MAX_REFS).map((c) => ({ ref: c.ref.slice(0, 300), kind: c.kind })),
      keys,
      status: keys.length === 0 ? 'ignored' : 'queued',
    };
    if (keys.length === 0) {
      // a definition that does not load names no repository: this one may be its, so say why
      const problem = why === NO_DEFINITION ? await this.opts.catalog.loadProblem() : undefined;
      if (problem !== undefined) {
        record.status = 'failed';
        record.message = `the definitions do not load, so this repository could not be matched to a project (nothing was synced): ${problem}`;
      } else record.message = why;
      this.log.add(record);
      return { status: 202, body: { id, status: record.status, message: record.message } };
    }
    this.log.add(record);
    if (this.closed) {
      this.log.update(id, { status: 'failed', message: 'serve is stopping' });
      return { status: 202, body: { id, status: 'failed', message: 'serve is stopping' } };
    }
    const byController = new Map<string, string[]>();
    for (const k of keys) {
      const c = k === DEFINITIONS_KEY ? DEFAULT_CONTROLLER : (this.opts.controllerOf?.(k) ?? DEFAULT_CONTROLLER);
      byController.set(c, [...(byController.get(c) ?? []), k]);
    }
    const created = new Set<string>();
    for (const c of ev.changes) {
      const b = branchOf(c.ref);
      if (b !== undefined && c.kind === 'created') created.add(b);
    }
    this.pending.set(id, { keys, created, repo: record.repo, refs: record.refs, running: false });
    for (const [c, ks] of byController) this.queue.enqueue(c, ks, id, this.now());
    this.pump();
    return { status: 202, body: { id, status: 'queued' } };
  }

  /** The keys an event queues, and why none when there are none (said in the answer and the status). */
  private async keysFor(ev: RepoEvent): Promise<{ keys: string[]; why: string }> {
    const keys: string[] = [];
    if (sameRepo(ev.repoUrls, await this.opts.catalog.definitionsRemote(), this.opts.catalog.baseDir)) keys.push(DEFINITIONS_KEY);
    // tags never make branch jobs; a push of only tags to a branch repository changes nothing
    const tags = ev.changes.filter((c) => c.ref.startsWith('refs/tags/'));
    if (tags.length < ev.changes.length) keys.push(...(await this.opts.catalog.index()).projectsFor(ev.repoUrls));
    else if (keys.length === 0) return { keys, why: tags.length === 0 ? 'the event names no ref' : tagsWhy(tags.map((c) => c.ref)) };
    return { keys, why: NO_DEFINITION };
  }

  /** Start whatever may start; arm a timer for what must wait. */
  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.stopped) return;
    const { start, wakeAt } = this.queue.take(this.now(), this.closed);
    for (const b of start) {
      const p = this.run(b).finally(() => {
        this.running.delete(p);
        this.queue.finish(b);
        this.pump();
      });
      this.running.add(p);
    }
    if (wakeAt !== undefined && !this.closed && !this.stopped) {
      this.timer = setTimeout(() => this.pump(), Math.max(0, wakeAt - this.now()));
      this.timer.unref?.();
    }
    if (!this.queue.busy) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const f of w) f();
    }
  }

  private async run(b: Batch): Promise<void> {
    for (const id of b.events) {
      this.log.update(id, { status: 'running', batch: b.id });
      const e = this.pending.get(id);
      if (e) e.running = true;
    }
    let result: BatchResult;
    try {
      const build = this.createdIn(b);
      result = b.keys.includes(DEFINITIONS_KEY) ? await this.opts.runner.syncDefinitions(build) : await this.opts.runner.syncProjects(b.keys, build);
    } catch (err) {
      result = { ok: false, message: redactUrlsInText(err instanceof Error ? err.message : String(err)), created: [], built: [] };
    }
    for (const id of b.events) this.pending.delete(id);
    const finishedAt = this.clock.now().toISOString();
    for (const id of b.events) {
      const r = this.log.get(id);
      if (!r) continue;
      const mine = (x: { project: string }): boolean => r.keys.includes(DEFINITIONS_KEY) || b.keys.includes(DEFINITIONS_KEY) || r.keys.includes(x.project);
      const built = result.built.filter(mine);
      // each of the event's projects as it fared (a batch of several: one failing is not all failing)
      const own = b.keys.includes(DEFINITIONS_KEY) ? [] : (result.projects ?? []).filter((o) => r.keys.includes(o.project));
      const ok = own.length > 0 ? own.every((o) => o.ok) : result.ok;
      const message = own.length === 0 ? result.message : own.length === 1 ? own[0]!.message : own.map((o) => `${o.project}: ${o.message}`).join('; ');
      this.log.update(id, {
        status: ok ? 'done' : 'failed',
        message,
        ...(own.length > 0 ? { projects: own.map((o) => ({ project: o.project, status: o.ok ? ('done' as const) : ('failed' as const), message: o.message })) } : {}),
        created: result.created.filter(mine).map((c) => c.fullName),
        built: built.map((c) => c.fullName),
        finishedAt,
        ...(result.appliedAt !== undefined ? { syncedAt: new Date(result.appliedAt).toISOString() } : {}),
        ...(built.length > 0 ? { firstBuildAt: new Date(Math.min(...built.map((x) => x.at))).toISOString() } : {}),
      });
    }
    this.opts.onBatch?.(b, result);
  }

  /** The build rule of a batch (BuildRule): the (project, branch) pairs its events created. */
  private createdIn(b: Batch): BuildRule {
    const pairs = new Set<string>();
    for (const id of b.events) {
      const e = this.pending.get(id);
      if (!e) continue;
      for (const branch of e.created) for (const k of e.keys) if (k !== DEFINITIONS_KEY) pairs.add(JSON.stringify([k, branch]));
    }
    return (project, branch) => pairs.has(JSON.stringify([project, branch]));
  }

  /** Resolves when nothing runs or waits (tests, the benchmark, shutdown). */
  idle(): Promise<void> {
    if (this.stopped || !this.queue.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Events answered `queued` and not served (yet): the queued and running ones. */
  get unserved(): number {
    return this.pending.size;
  }

  /**
   * Stop: take no more events, and serve those already answered `queued` (at once, without letting
   * them settle) as well as the running sync, for at most `waitMs` (default DEFAULT_STOP_MS) or until
   * `signal` aborts. The events left (still waiting, or in a sync that had not ended) are marked
   * failed and returned, for serve to print: they were answered 202, so the git server will not send
   * them again.
   */
  async close(opts: { waitMs?: number; signal?: AbortSignal } = {}): Promise<UnservedEvent[]> {
    if (this.stopped) return [];
    this.closed = true;
    const waitMs = Math.max(0, opts.waitMs ?? DEFAULT_STOP_MS);
    if (waitMs > 0 && !opts.signal?.aborted) {
      this.pump();
      if (this.queue.busy) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            opts.signal?.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, waitMs);
          opts.signal?.addEventListener('abort', done, { once: true });
          this.idleWaiters.push(done);
        });
      }
    }
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const left: UnservedEvent[] = [];
    for (const [id, e] of this.pending) {
      left.push({ id, repo: e.repo, refs: e.refs, status: e.running ? 'running' : 'queued' });
      this.log.update(id, { status: 'failed', message: e.running ? 'serve stopped while the sync of this event ran: it may be partly applied' : 'serve stopped before this event was synced' });
    }
    this.pending.clear();
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
    return left;
  }
}
