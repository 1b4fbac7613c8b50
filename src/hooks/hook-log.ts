/**
 * The last events `serve` received and what became of them (`GET /hooks/status`). Holds no secret
 * and no payload: the repository's short name, the refs, the projects, the outcome, all redacted.
 */
import type { Provider, RefChangeKind } from './hook-event.js';

export type EventStatus = 'queued' | 'running' | 'done' | 'failed' | 'ignored' | 'refused';

export interface EventRecord {
  id: string;
  provider: Provider;
  event: string;
  receivedAt: string;
  repo: string;
  refs: Array<{ ref: string; kind: RefChangeKind }>;
  /** Projects the event is about; `(definitions)` for a push to the definitions repository. */
  keys: string[];
  status: EventStatus;
  message?: string;
  /** Once synced: each of its projects' own outcome (a batch syncs several; `message` sums these up). */
  projects?: Array<{ project: string; status: 'done' | 'failed'; message: string }>;
  /** The sync (batch) that handled it; several events share one. */
  batch?: number;
  /** Branch jobs the sync created, and those a build was requested for. */
  created?: string[];
  built?: string[];
  finishedAt?: string;
  /** When the sync's changes were in Jenkins (the jobs exist), before any build request. */
  syncedAt?: string;
  /** When the first build request was accepted. */
  firstBuildAt?: string;
}

export const STATUS_LIMIT = 100;

export class HookLog {
  private readonly records: EventRecord[] = [];
  private readonly byId = new Map<string, EventRecord>();

  constructor(private readonly limit = STATUS_LIMIT) {}

  add(r: EventRecord): void {
    this.records.push(r);
    this.byId.set(r.id, r);
    while (this.records.length > this.limit) this.byId.delete(this.records.shift()!.id);
  }

  get(id: string): EventRecord | undefined {
    return this.byId.get(id);
  }

  update(id: string, patch: Partial<EventRecord>): void {
    const r = this.byId.get(id);
    if (r) Object.assign(r, patch);
  }

  /** Newest first, copies. */
  list(): EventRecord[] {
    return this.records.map((r) => structuredClone(r)).reverse();
  }
}
