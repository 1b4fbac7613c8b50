/**
 * Rule: fail closed. When anything that feeds the plan failed (an error diagnostic in the
 * definitions, a git error, a failed listing), the plan must not delete or retire anything:
 * every destructive change becomes `keep`, with the reason.
 */
import type { Change } from '../../model/plan.js';

export function isDestructive(c: Change): boolean {
  return c.kind === 'delete' || c.kind === 'replace' || (c.kind === 'disable' && c.retire !== undefined);
}

export function holdDestructive(changes: Change[], why: string): Change[] {
  return changes.map((c) =>
    isDestructive(c) ? { ...c, kind: 'keep' as const, reason: `not ${c.kind === 'disable' ? 'disabled' : 'deleted'}: ${why} (would: ${c.reason})`, config: undefined } : c,
  );
}
