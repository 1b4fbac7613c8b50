import type { Build, Item } from './store.js';
import { isDisabled } from './store.js';
import { firstChild, textOf } from '../xml/tree.js';
import { normaliseValues, parameterValueClasses } from './parameter-values.js';

const RESULTS = ['SUCCESS', 'UNSTABLE', 'FAILURE', 'NOT_BUILT', 'ABORTED'];

/**
 * The result a build given `STANDIN_RESULT` ends with, read as Jenkins reads a result name
 * (`Result.fromString`, core/src/main/java/hudson/model/Result.java): one of SUCCESS, UNSTABLE,
 * FAILURE, NOT_BUILT, ABORTED in any case, anything else FAILURE. Unset or empty: SUCCESS.
 */
export function plannedResult(given: string | undefined): string {
  if (given === undefined || given.trim() === '') return 'SUCCESS';
  return RESULTS.find((r) => r === given.trim().toUpperCase()) ?? 'FAILURE';
}

/** Where a buildable item can run now, or why it cannot (`BuildableItem.getCauseOfBlockage`). */
export type Placement = { node: string } | { why: string; stuck: boolean };

export interface QueueItem {
  id: number;
  item: Item;
  params: Record<string, string>;
  /** Value class of the parameters that are not strings (parameter-values.ts). */
  paramClasses: Record<string, string>;
  /** Who triggered it (`Cause$UserIdCause`); null for anonymous. */
  user: string | null;
  /** Triggered with the job's authentication token (`Cause$RemoteCause` from this address). */
  remoteAddr?: string;
  inQueueSince: number;
  /** When the quiet period ends. */
  startAt: number;
  /** waiting: quiet period; blocked: a build of a non-concurrent job runs; buildable: no node can take it. */
  state: 'waiting' | 'blocked' | 'buildable' | 'left';
  cancelled: boolean;
  /** Since when it left the quiet period (`NotWaitingItem.buildableStartMilliseconds`). */
  buildableSince?: number;
  /** Why a buildable item waits (no node for its label, ...). */
  blockage?: string;
  stuck: boolean;
  build?: Build;
  why(now: number): string | null;
}

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

/** Java's MessageFormat of a small float (`4.9`, `4`, `0.12`). */
function num(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

/** `hudson.Util.getTimeSpanString` (English messages): `4.9 sec`, `1 min 5 sec`, `12 min`, `2 days`. */
export function timeSpan(duration: number): string {
  let d = Math.max(0, Math.floor(duration));
  const take = (unit: number): number => {
    const n = Math.floor(d / unit);
    d %= unit;
    return n;
  };
  const years = take(YEAR);
  const months = take(MONTH);
  const days = take(DAY);
  const hours = take(HOUR);
  const minutes = take(MIN);
  const seconds = take(SEC);
  const ms = d;
  const day = (n: number): string => `${n} ${n === 1 ? 'day' : 'days'}`;
  const two = (big: number, bigLabel: string, smallLabel: string): string => (big < 10 ? `${bigLabel} ${smallLabel}` : bigLabel);
  if (years > 0) return two(years, `${years} yr`, `${months} mo`);
  if (months > 0) return two(months, `${months} mo`, day(days));
  if (days > 0) return two(days, day(days), `${hours} hr`);
  if (hours > 0) return two(hours, `${hours} hr`, `${minutes} min`);
  if (minutes > 0) return two(minutes, `${minutes} min`, `${seconds} sec`);
  if (seconds >= 10) return `${seconds} sec`;
  if (seconds >= 1) return `${num(seconds + Math.floor(ms / 100) / 10)} sec`;
  if (ms >= 100) return `${num(Math.floor(ms / 10) / 100)} sec`;
  return `${ms} ms`;
}

/** What happens to a build's files as it starts and ends (see build-records.ts). */
export interface BuildLifecycle {
  started(item: Item, build: Build): Promise<void>;
  finished(item: Item, build: Build, result: string): Promise<void>;
  /** Builds dropped from memory (the newest 200 per job are kept). */
  discard(item: Item, numbers: number[]): Promise<void>;
}

/**
 * Simulated queue and executors: a queued build waits its quiet period, then starts on a node its
 * label allows (see placement.ts) and runs for a set time, finishing SUCCESS (or the result given by
 * the `STANDIN_RESULT` parameter). A build whose label no online node carries stays in the queue as
 * a buildable item with Jenkins' "why" text until a node comes online. Builds are kept in memory
 * and, through the lifecycle hooks, on disk under the job (build-records.ts).
 */
export class BuildSimulator {
  private nextQueueId = 1;
  private readonly queue = new Map<number, QueueItem>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Map<Build, Item>();
  /** A running build's start (its first files written), and the builds whose end is under way. */
  private readonly starts = new Map<Build, Promise<unknown>>();
  private readonly ending = new Set<Build>();
  private closed = false;

  constructor(
    private readonly durationMs: () => number,
    private readonly now: () => number = Date.now,
    /** Called on every queue or build state change of an item. */
    private readonly changed: (item: Item) => void = () => undefined,
    /** Where a build of this item can start now (default: the built-in node). */
    private readonly place: (item: Item) => Placement = () => ({ node: '' }),
    /** Writes builds to disk (none: memory only). */
    private readonly life?: BuildLifecycle,
  ) {}

  /** The waiting queue item of a job, if any. */
  queuedFor(item: Item): QueueItem | undefined {
    for (const q of this.queue.values()) if (q.item === item && q.state !== 'left') return q;
    return undefined;
  }
  get(id: number): QueueItem | undefined {
    return this.queue.get(id);
  }
  /** Items still in the queue, in `Queue.getItems()` order: waiting, blocked, then buildable (newest first). */
  items(): QueueItem[] {
    const live = [...this.queue.values()].filter((q) => q.state !== 'left');
    const waiting = live.filter((q) => q.state === 'waiting').sort((a, b) => a.startAt - b.startAt || a.id - b.id);
    const blocked = live.filter((q) => q.state === 'blocked');
    const buildable = live.filter((q) => q.state === 'buildable').reverse();
    return [...waiting, ...blocked, ...buildable];
  }
  isBuilding(item: Item): boolean {
    const last = item.builds[item.builds.length - 1];
    return last !== undefined && last.result === null;
  }
  /** Builds running on a node now. */
  runningOn(node: string): number {
    let n = 0;
    for (const [b] of this.running) {
      if (b.result !== null) this.running.delete(b);
      else if (b.builtOn === node) n++;
    }
    return n;
  }
  /** Running builds on a node, oldest first. */
  runningBuildsOn(node: string): Array<{ item: Item; build: Build }> {
    const out: Array<{ item: Item; build: Build }> = [];
    for (const [build, item] of this.running) {
      if (build.result !== null) this.running.delete(build);
      else if (build.builtOn === node) out.push({ item, build });
    }
    return out;
  }

  /** Queue a build; returns the existing item when an identical one waits (the queue merges them). */
  schedule(item: Item, params: Record<string, string>, quietMs: number, user: string | null = null, remoteAddr?: string): { q: QueueItem; merged: boolean } {
    const paramClasses = parameterValueClasses(item);
    params = normaliseValues(params, paramClasses);
    const existing = this.queuedFor(item);
    if (existing && JSON.stringify(existing.params) === JSON.stringify(params)) return { q: existing, merged: true };
    const now = this.now();
    const q: QueueItem = {
      id: this.nextQueueId++,
      item,
      params,
      paramClasses,
      user,
      ...(remoteAddr !== undefined ? { remoteAddr } : {}),
      inQueueSince: now,
      startAt: now + quietMs,
      state: 'waiting',
      cancelled: false,
      stuck: false,
      why: (t: number) => {
        if (q.state === 'left') return null;
        if (q.state === 'blocked') {
          const b = item.builds[item.builds.length - 1];
          return `Build #${b?.number ?? '?'} is already in progress`;
        }
        if (q.state === 'buildable') return q.blockage ?? 'Waiting for next available executor';
        const left = q.startAt - t;
        return left >= 0 ? `In the quiet period. Expires in ${timeSpan(left)}` : 'Finished waiting';
      },
    };
    this.queue.set(q.id, q);
    this.changed(item);
    this.trimLeft();
    this.later(quietMs, () => this.tryStart(q));
    return { q, merged: false };
  }

  private later(ms: number, fn: () => void): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, Math.max(0, ms));
    t.unref();
    this.timers.add(t);
  }

  private concurrent(item: Item): boolean {
    const c = firstChild(item.doc, 'concurrentBuild');
    return c !== undefined && textOf(c).trim() === 'true';
  }

  private tryStart(q: QueueItem): void {
    if (q.state === 'left') return;
    const item = q.item;
    if (this.isBuilding(item) && !this.concurrent(item)) {
      q.buildableSince ??= this.now();
      q.state = 'blocked';
      this.changed(item);
      this.later(50, () => this.tryStart(q));
      return;
    }
    const p = this.place(item);
    if ('why' in p) {
      const first = q.state !== 'buildable' || q.blockage !== p.why || q.stuck !== p.stuck;
      q.buildableSince ??= this.now();
      q.state = 'buildable';
      q.blockage = p.why;
      q.stuck = p.stuck;
      if (first) this.changed(item);
      this.later(250, () => this.tryStart(q));
      return;
    }
    const duration = this.durationMs();
    const build: Build = {
      number: item.nextBuildNumber++,
      queueId: q.id,
      startMs: this.now(),
      durationMs: duration,
      result: null,
      plannedResult: plannedResult(q.params.STANDIN_RESULT),
      params: q.params,
      ...(Object.keys(q.paramClasses).length > 0 ? { paramClasses: q.paramClasses } : {}),
      builtOn: p.node,
      user: q.user,
      ...(q.remoteAddr !== undefined ? { remoteAddr: q.remoteAddr } : {}),
    };
    item.builds.push(build);
    this.running.set(build, item);
    if (item.builds.length > 200) {
      const dropped = item.builds.splice(0, item.builds.length - 200);
      void this.life?.discard(item, dropped.map((b) => b.number));
    }
    q.state = 'left';
    q.build = build;
    this.changed(item);
    const ready = this.life ? this.life.started(item, build).catch(() => undefined) : Promise.resolve();
    this.starts.set(build, ready);
    this.later(duration, () => void this.finish(item, build, ready));
  }

  /** The end of a build: its relics and files are written first, then it shows as finished. */
  private async finish(item: Item, build: Build, ready: Promise<unknown>): Promise<void> {
    if (this.ending.has(build)) return;
    this.ending.add(build);
    await ready;
    this.starts.delete(build);
    if (this.closed) return;
    const result = build.result ?? build.plannedResult;
    if (this.life) await this.life.finished(item, build, result).catch(() => undefined);
    if (build.result === null) build.result = result;
    this.running.delete(build);
    this.changed(item);
  }

  /**
   * `POST job/J/N/stop` (Run.doStop → Executor.doStop → interrupt(ABORTED) with a
   * `UserInterruption`): the build ends now, as ABORTED, after the time it ran; its log gets
   * `Build was aborted` and `Aborted by <user>` before `Finished: ABORTED`, and it shows as finished
   * (`building: false`) only once that log is complete. False when it was not running.
   */
  stop(item: Item, build: Build, user: string): boolean {
    if (build.result !== null || this.ending.has(build)) return false;
    build.abortedBy = user;
    build.plannedResult = 'ABORTED';
    build.durationMs = Math.max(1, this.now() - build.startMs);
    void this.finish(item, build, this.starts.get(build) ?? Promise.resolve());
    return true;
  }

  /** Nodes changed (created, online, offline): try the items waiting for one right away. */
  poke(): void {
    for (const q of this.queue.values()) if (q.state === 'buildable') this.tryStart(q);
  }

  /** `Queue.cancel(item)`: true when it was still in the queue. */
  cancel(q: QueueItem): boolean {
    if (q.state === 'left') return false;
    q.state = 'left';
    q.cancelled = true;
    this.changed(q.item);
    return true;
  }

  /** Cancel waiting items of a job (disable, delete). */
  cancelFor(item: Item): void {
    for (const q of this.queue.values()) if (q.item === item) this.cancel(q);
  }
  /** Abort running builds (delete). */
  abortRunning(item: Item): void {
    for (const b of item.builds) if (b.result === null) b.result = 'ABORTED';
    this.changed(item);
  }

  private trimLeft(): void {
    if (this.queue.size <= 10_000) return;
    for (const [id, q] of this.queue) {
      if (q.state === 'left') this.queue.delete(id);
      if (this.queue.size <= 9_000) break;
    }
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

export { isDisabled };
