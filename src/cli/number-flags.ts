/**
 * Range checks of numeric flags, as a yargs check: a value out of range (or not a number, or given
 * twice) is a usage error (exit 2) whose message names the range. Ranges of connection settings
 * live in src/jenkins/setting-ranges.ts (shared with the config-file check).
 */
import { UsageError } from '../model/errors.js';
import { describeRange, inRange, type NumberRange } from '../jenkins/setting-ranges.js';

/** A TCP port to listen on; 0 picks a free one. */
export const PORT_RANGE: NumberRange = { min: 0, max: 65535, integer: true };

/** `serve --stop-timeout`: how long stopping serves the webhook events already answered queued. */
export const STOP_TIMEOUT_RANGE: NumberRange = { min: 0, max: 3600, integer: false, unit: 'seconds' };

export function numberFlagProblem(flag: string, value: unknown, range: NumberRange): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return `--${flag} was given more than once`;
  if (typeof value !== 'number' || Number.isNaN(value)) return `--${flag} must be ${describeRange(range)}, not a text`;
  if (!inRange(value, range)) return `--${flag} must be ${describeRange(range)}, not ${value}`;
  return undefined;
}

/** A yargs check over the named flags; throws a UsageError listing every bad value. */
export function checkNumberFlags(ranges: Record<string, NumberRange>): (argv: Record<string, unknown>) => true {
  return (argv) => {
    const problems = Object.entries(ranges)
      .map(([flag, range]) => numberFlagProblem(flag, argv[flag], range))
      .filter((p): p is string => p !== undefined);
    if (problems.length) throw new UsageError(problems.join('\n'));
    return true;
  };
}
