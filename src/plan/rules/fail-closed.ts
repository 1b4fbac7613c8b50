/**
 * Rule: fail closed. When anything that feeds the plan failed (an error diagnostic in the
 * definitions, a git error, a failed listing, definitions behind their upstream), the plan must not
 * delete, retire or move anything: every such change becomes `keep`, with the reason.
 */
import { causeOf, type Change } from '../../model/plan.js';

export function isDestructive(c: Change): boolean {
  return c.kind === 'delete' || c.kind === 'replace' || c.kind === 'move' || (c.kind === 'disable' && c.retire !== undefined);
}

function action(c: Change): string {
  if (c.kind === 'disable') return 'disable';
  if (c.kind === 'move') return 'move';
  return 'delete';
}

function verb(c: Change): string {
  if (c.kind === 'disable') return 'disabled';
  if (c.kind === 'move') return `moved to ${c.fullName}`;
  return 'deleted';
}

/** Every destructive change becomes `keep` with `why`, except those `spare` lets through. */
export function holdDestructive(changes: Change[], why: string, spare: (c: Change) => boolean = () => false): Change[] {
  return changes.map((c) => {
    if (!isDestructive(c) || spare(c)) return c;
    const { config: _config, via: _via, ...rest } = c;
    // a held move stays where it is: the change is about the job's current name
    const name = c.kind === 'move' ? { fullName: c.from!, from: undefined } : {};
    const held: Change = { ...rest, ...name, kind: 'keep', reason: `not ${verb(c)}: ${why} (would: ${c.reason})`, code: 'held', params: { action: action(c), detail: why, cause: causeOf(c) } };
    if (held.from === undefined) delete held.from;
    return held;
  });
}
