/**
 * Detection: list each DISTINCT repository once per run (several projects may share one), at most
 * `concurrency` listings at a time, and give each project its own result. A failed listing (remote
 * unreachable, bad credentials, timeout, client error) is `failed` with a redacted detail, never an
 * empty list.
 */
import { BranchListError, DEFAULT_LIST_TIMEOUT_MS, sortUnique, type BranchSource, type ListedRef } from './branch-source.js';
import { mapLimit } from './map-limit.js';
import { redactUrlsInText } from '../model/redact-url.js';

/** Two or more refs that map to one branch name (e.g. a branch `pr/7` and `refs/pull/7/head`). */
export interface RefCollision {
  name: string;
  refs: string[];
}

export type BranchListing =
  | { status: 'ok'; branches: string[]; collisions?: RefCollision[] }
  | { status: 'failed'; detail: string; reason: string };

export interface DetectRequest {
  project: string;
  repo: string;
  /** Extra git ref patterns (pull requests). */
  refs?: string[];
}

export interface DetectOptions {
  /** Listings in flight at once (default 8). */
  concurrency?: number;
  /** Per listing (default 60 s). */
  timeoutMs?: number;
}

function repoKey(r: DetectRequest): string {
  return JSON.stringify([r.repo.trim(), [...(r.refs ?? [])].sort()]);
}

export async function detectBranches(
  requests: readonly DetectRequest[],
  source: BranchSource,
  options: DetectOptions = {},
): Promise<Map<string, BranchListing>> {
  const distinct = new Map<string, DetectRequest>();
  for (const r of requests) if (!distinct.has(repoKey(r))) distinct.set(repoKey(r), r);
  const keys = [...distinct.keys()];
  const timeoutMs = options.timeoutMs ?? DEFAULT_LIST_TIMEOUT_MS;
  const listings = await mapLimit(keys, options.concurrency ?? 8, async (key): Promise<BranchListing> => {
    const r = distinct.get(key) as DetectRequest;
    try {
      const opts = r.refs && r.refs.length > 0 ? { timeoutMs, refs: r.refs } : { timeoutMs };
      const budget = timeoutMs + Math.min(5_000, timeoutMs);
      if (!source.listRefs) return { status: 'ok', branches: await withTimeout(source.list(r.repo.trim(), opts), budget) };
      return listingOf(await withTimeout(source.listRefs(r.repo.trim(), opts), budget));
    } catch (e) {
      if (e instanceof BranchListError) return { status: 'failed', detail: e.message, reason: e.reason };
      const msg = e instanceof Error ? e.message : String(e);
      return { status: 'failed', detail: redactUrlsInText(msg, r.repo), reason: 'client' };
    }
  });
  const byKey = new Map(keys.map((k, i) => [k, listings[i] as BranchListing]));
  const out = new Map<string, BranchListing>();
  for (const r of requests) out.set(r.project, byKey.get(repoKey(r)) as BranchListing);
  return out;
}

/** Names (deduplicated, sorted) and the names several refs share. */
export function listingOf(refs: readonly ListedRef[]): BranchListing {
  const byName = new Map<string, string[]>();
  for (const r of refs) {
    const list = byName.get(r.name);
    if (list) {
      if (!list.includes(r.ref)) list.push(r.ref);
    } else byName.set(r.name, [r.ref]);
  }
  const collisions: RefCollision[] = [];
  for (const [name, list] of byName) if (list.length > 1) collisions.push({ name, refs: [...list].sort() });
  const branches = sortUnique(byName.keys());
  return collisions.length > 0 ? { status: 'ok', branches, collisions: collisions.sort((a, b) => (a.name < b.name ? -1 : 1)) } : { status: 'ok', branches };
}

/** A source that never settles must not hang the run. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BranchListError(`listing timed out after ${ms} ms`, 'timeout')), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
