/**
 * When a failed request may be sent again. Only transient failures are retried (connection
 * errors, timeouts, 502/503/504, 429); a 4xx never is (the crumb refresh is handled apart), and a
 * 500 is Jenkins' answer to bad input (malformed XML) so it is final too.
 */
import { JenkinsError } from './jenkins-error.js';

export interface RetryPolicy {
  /** Extra attempts after the first (0 = no retry). */
  retries: number;
  /** First backoff, ms. */
  baseDelayMs: number;
  /** Upper bound of one backoff, ms. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 200, maxDelayMs: 5_000 };

export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export function isTransient(err: unknown): boolean {
  if (!(err instanceof JenkinsError)) return false;
  if (err.kind === 'network' || err.kind === 'timeout') return true;
  return err.status !== undefined && TRANSIENT_STATUSES.has(err.status);
}

/**
 * Delay before retry number `attempt` (1-based): exponential backoff with "full jitter"
 * (uniform in [cap/2, cap]), so concurrent clients do not retry in lockstep.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}
