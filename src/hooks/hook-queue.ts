/**
 * The webhook queue, as a pure state machine (no timers, no I/O: the caller passes the time in).
 *
 * Events are queued per controller (the Jenkins a project's jobs live on; one for now, a key so that
 * several plug in) and coalesced per key (a project, or the definitions repository): while a key
 * waits, more events for it only join the waiting entry. At most one sync runs per controller; when
 * it is free, every waiting key of that controller goes into the next batch (one sync of all those
 * projects). So a burst of events for one project runs at most two syncs of it: the one running when
 * the burst began, and one more for everything that arrived meanwhile.
 *
 * `settleMs` lets a burst gather before the first sync starts: a batch starts once its newest entry
 * has waited that long, or its oldest `maxWaitMs` (so a steady stream cannot starve it).
 */

/** The definitions repository's key: its batch pulls the working copy and syncs everything. */
export const DEFINITIONS_KEY = '(definitions)';

export interface QueueOptions {
  settleMs?: number;
  maxWaitMs?: number;
}

export interface Batch {
  id: number;
  controller: string;
  /** Projects (and possibly DEFINITIONS_KEY), sorted. */
  keys: string[];
  /** Event ids the batch answers for, in arrival order. */
  events: string[];
  startedAt: number;
}

interface Waiting {
  events: string[];
  firstAt: number;
  lastAt: number;
}

interface ControllerState {
  waiting: Map<string, Waiting>;
  running?: Batch;
}

export class HookQueue {
  private readonly controllers = new Map<string, ControllerState>();
  private nextBatch = 1;
  private readonly settleMs: number;
  private readonly maxWaitMs: number;

  constructor(opts: QueueOptions = {}) {
    this.settleMs = Math.max(0, opts.settleMs ?? 0);
    this.maxWaitMs = Math.max(this.settleMs, opts.maxWaitMs ?? 5_000);
  }

  private state(controller: string): ControllerState {
    let s = this.controllers.get(controller);
    if (!s) this.controllers.set(controller, (s = { waiting: new Map() }));
    return s;
  }

  /** Queue event `id` for `keys` on `controller` at time `now`. */
  enqueue(controller: string, keys: readonly string[], id: string, now: number): void {
    const s = this.state(controller);
    for (const key of keys) {
      const w = s.waiting.get(key);
      if (w) {
        if (!w.events.includes(id)) w.events.push(id);
        w.lastAt = now;
      } else s.waiting.set(key, { events: [id], firstAt: now, lastAt: now });
    }
  }

  /** When the controller's waiting keys may start (undefined: nothing waits). */
  private readyAt(s: ControllerState): number | undefined {
    if (s.waiting.size === 0) return undefined;
    let first = Infinity;
    let last = -Infinity;
    for (const w of s.waiting.values()) {
      first = Math.min(first, w.firstAt);
      last = Math.max(last, w.lastAt);
    }
    return Math.min(last + this.settleMs, first + this.maxWaitMs);
  }

  /**
   * Batches that may start now (one per idle controller with waiting keys), marked running; and
   * when to ask again (the earliest time a waiting batch becomes ready), if some wait. `flush`: start
   * whatever waits without letting it settle (serve is stopping and serves what it answered queued).
   */
  take(now: number, flush = false): { start: Batch[]; wakeAt?: number } {
    const start: Batch[] = [];
    let wakeAt: number | undefined;
    for (const [controller, s] of [...this.controllers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (s.running) continue;
      const settled = this.readyAt(s);
      if (settled === undefined) continue;
      const ready = flush ? now : settled;
      if (ready > now) {
        wakeAt = wakeAt === undefined ? ready : Math.min(wakeAt, ready);
        continue;
      }
      const keys = [...s.waiting.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const events: string[] = [];
      for (const k of keys) for (const e of s.waiting.get(k)!.events) if (!events.includes(e)) events.push(e);
      const batch: Batch = { id: this.nextBatch++, controller, keys, events, startedAt: now };
      s.waiting.clear();
      s.running = batch;
      start.push(batch);
    }
    return wakeAt === undefined ? { start } : { start, wakeAt };
  }

  /** The batch finished (however it ended): its controller may start the next one. */
  finish(batch: Batch): void {
    const s = this.controllers.get(batch.controller);
    if (s?.running?.id === batch.id) delete s.running;
  }

  /** Is anything running or waiting? */
  get busy(): boolean {
    for (const s of this.controllers.values()) if (s.running || s.waiting.size > 0) return true;
    return false;
  }

  /** Keys waiting on a controller (for status). */
  waiting(controller: string): string[] {
    return [...(this.controllers.get(controller)?.waiting.keys() ?? [])].sort();
  }
}
