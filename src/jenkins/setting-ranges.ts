/**
 * The allowed range of every numeric connection setting, one home for the flag check (exit 2), the
 * config-file check (exit 1) and the documentation (docs/architecture.md, "Exit codes").
 * No imports: the command line reads this while it is still being built.
 */
export interface NumberRange {
  min: number;
  max: number;
  /** Whole numbers only. */
  integer: boolean;
  /** `min` itself is not allowed (timeouts: above 0). */
  minExclusive?: boolean;
  /** Unit in messages, e.g. "seconds". */
  unit?: string;
}

export const SETTING_RANGES = {
  /** Requests in flight at once (and branch listings at once). */
  concurrency: { min: 1, max: 256, integer: true },
  /** Seconds per request. */
  timeout: { min: 0, max: 3600, integer: false, minExclusive: true, unit: 'seconds' },
  /** Retries of a safe request after a transient failure. */
  retries: { min: 0, max: 10, integer: true },
} as const satisfies Record<string, NumberRange>;

/** Defaults when neither a flag, the environment nor the config file sets a value. */
export const SETTING_DEFAULTS = { concurrency: 8, timeout: 30, retries: 3 } as const;

export function inRange(n: number, r: NumberRange): boolean {
  if (!Number.isFinite(n) || (r.integer && !Number.isInteger(n))) return false;
  return (r.minExclusive ? n > r.min : n >= r.min) && n <= r.max;
}

/** "a whole number from 1 to 256", "a number of seconds above 0, at most 3600". */
export function describeRange(r: NumberRange): string {
  const what = `${r.integer ? 'a whole number' : 'a number'}${r.unit ? ` of ${r.unit}` : ''}`;
  return r.minExclusive ? `${what} above ${r.min}, at most ${r.max}` : `${what} from ${r.min} to ${r.max}`;
}
