/**
 * Detection: list each DISTINCT repository once per run (several projects may share one), at most
 * `concurrency` listings at a time, and give each project its own result. A failed listing (remote
 * unreachable, bad credentials, timeout, client error) is `failed` with a redacted detail, never an
 * empty list.
 */
import { BranchListError, DEFAULT_LIST_TIMEOUT_MS, type BranchSource } from './branch-source.js';
import { mapLimit } from './map-limit.js';
import { redactText } from './redact-url.js';

export type BranchListing =
  | { status: 'ok'; branches: string[] }
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
      const branches = await withTimeout(source.list(r.repo.trim(), opts), timeoutMs + Math.min(5_000, timeoutMs));
      return { status: 'ok', branches };
    } catch (e) {
      if (e instanceof BranchListError) return { status: 'failed', detail: e.message, reason: e.reason };
      const msg = e instanceof Error ? e.message : String(e);
      return { status: 'failed', detail: redactText(msg, r.repo), reason: 'client' };
    }
  });
  const byKey = new Map(keys.map((k, i) => [k, listings[i] as BranchListing]));
  const out = new Map<string, BranchListing>();
  for (const r of requests) out.set(r.project, byKey.get(repoKey(r)) as BranchListing);
  return out;
}

/** A source that never settles must not hang the run. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BranchListError(`listing timed out after ${ms} ms`, 'timeout')), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
