import type { Build, Item } from './store.js';
import { isDisabled } from './store.js';
import { firstChild, textOf } from '../xml/tree.js';

export interface QueueItem {
  id: number;
  item: Item;
  params: Record<string, string>;
  inQueueSince: number;
  /** When the quiet period ends. */
  startAt: number;
  state: 'waiting' | 'blocked' | 'buildable' | 'left';
  cancelled: boolean;
  build?: Build;
  why(now: number): string | null;
}

/**
 * Simulated queue and executor: a queued build waits its quiet period, then runs for a set time and
 * finishes SUCCESS (or the result given by the `STANDIN_RESULT` parameter). Builds live in memory.
 */
export class BuildSimulator {
  private nextQueueId = 1;
  private readonly queue = new Map<number, QueueItem>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly durationMs: () => number,
    private readonly now: () => number = Date.now,
    /** Called on every queue or build state change of an item. */
    private readonly changed: (item: Item) => void = () => undefined,
  ) {}

  /** The waiting queue item of a job, if any. */
  queuedFor(item: Item): QueueItem | undefined {
    for (const q of this.queue.values()) if (q.item === item && q.state !== 'left') return q;
    return undefined;
  }
  get(id: number): QueueItem | undefined {
    return this.queue.get(id);
  }
  isBuilding(item: Item): boolean {
    const last = item.builds[item.builds.length - 1];
    return last !== undefined && last.result === null;
  }

  /** Queue a build; returns the existing item when an identical one waits (the queue merges them). */
  schedule(item: Item, params: Record<string, string>, quietMs: number): { q: QueueItem; merged: boolean } {
    const existing = this.queuedFor(item);
    if (existing && JSON.stringify(existing.params) === JSON.stringify(params)) return { q: existing, merged: true };
    const now = this.now();
    const q: QueueItem = {
      id: this.nextQueueId++,
      item,
      params,
      inQueueSince: now,
      startAt: now + quietMs,
      state: 'waiting',
      cancelled: false,
      why: (t: number) => {
        if (q.state === 'left') return null;
        if (q.state === 'blocked') {
          const b = item.builds[item.builds.length - 1];
          return `Build #${b?.number ?? '?'} is already in progress`;
        }
        return `In the quiet period. Expires in ${Math.max(0, (q.startAt - t) / 1000).toFixed(1)} sec`;
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
      q.state = 'blocked';
      this.changed(item);
      this.later(50, () => this.tryStart(q));
      return;
    }
    const duration = this.durationMs();
    const build: Build = {
      number: item.nextBuildNumber++,
      queueId: q.id,
      startMs: this.now(),
      durationMs: duration,
      result: null,
      plannedResult: q.params.STANDIN_RESULT ?? 'SUCCESS',
      params: q.params,
    };
    item.builds.push(build);
    if (item.builds.length > 200) item.builds.splice(0, item.builds.length - 200);
    q.state = 'left';
    q.build = build;
    this.changed(item);
    this.later(duration, () => {
      if (build.result === null) build.result = build.plannedResult;
      this.changed(item);
    });
  }

  /** Cancel waiting items of a job (disable, delete). */
  cancelFor(item: Item): void {
    for (const q of this.queue.values()) {
      if (q.item === item && q.state !== 'left') {
        q.state = 'left';
        q.cancelled = true;
        this.changed(item);
      }
    }
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
