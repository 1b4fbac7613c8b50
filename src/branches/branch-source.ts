/**
 * Where branch names come from: a small interface so detection can be driven by real git / svn
 * remotes (and by anything else a caller passes in). Implementations list the branches of ONE
 * repository without cloning it and reject with a `BranchListError` when the listing cannot be
 * trusted (unreachable remote, bad credentials, timeout, client error): a failed listing is never
 * an empty list.
 */
export interface BranchListOptions {
  /** Give up after this many milliseconds (default 60 000). */
  timeoutMs?: number;
  /**
   * Extra git ref patterns to list besides `refs/heads/*`, e.g. `refs/pull/* /head` (GitHub pull
   * requests → branch `pr/123`) or `refs/merge-requests/* /head` (GitLab → `mr/123`). Git only.
   */
  refs?: string[];
}

/** One listed ref and the branch name it gets (`refs/pull/7/head` → `pr/7`). */
export interface ListedRef {
  name: string;
  /** The ref as the remote lists it (`refs/heads/main`); for Subversion `branches/<name>`. */
  ref: string;
}

export interface BranchSource {
  /** Branch names as written (`feature/x`), deduplicated, sorted by code point. */
  list(repo: string, opts?: BranchListOptions): Promise<string[]>;
  /**
   * Every listed ref with its branch name (optional; detection prefers it): two refs that map to
   * one name (a branch `pr/7` and the pull request ref `refs/pull/7/head`) are a collision, which
   * `list` alone cannot show.
   */
  listRefs?(repo: string, opts?: BranchListOptions): Promise<ListedRef[]>;
}

/** A listing failed. `message` never contains credentials (URLs are redacted). */
export class BranchListError extends Error {
  override name = 'BranchListError';
  constructor(
    message: string,
    /** `unreachable`, `auth`, `timeout`, `not-found`, `bad-url`, `client` */
    readonly reason: BranchListFailure,
  ) {
    super(message);
  }
}

export type BranchListFailure = 'unreachable' | 'auth' | 'timeout' | 'not-found' | 'bad-url' | 'client';

export const DEFAULT_LIST_TIMEOUT_MS = 60_000;

/** Sort by code point (stable across locales), dropping duplicates. */
export function sortUnique(names: Iterable<string>): string[] {
  return [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
