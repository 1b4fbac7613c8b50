/**
 * Rule: restore only adds. `jobsmith restore` (from a backup or from the definitions at a git
 * revision) creates what is missing and never deletes or retires anything; an item that exists in
 * Jenkins is changed only with `--overwrite`, and even then a job is never deleted to change its
 * type (that is sync's `replace`). Everything else becomes `keep`, with what it would have done.
 */
import { causeOf, emptySummary, type Change, type Plan } from '../../model/plan.js';

export const RESTORE_NO_OVERWRITE = 'exists in Jenkins: restore changes existing items only with --overwrite';

function held(c: Change, why: string): Change {
  const { config: _config, retire: _retire, view: _view, ...rest } = c;
  return { ...rest, kind: 'keep', reason: `${why} (would: ${c.kind}, ${c.reason})`, code: 'restore-never', params: { detail: why, would: c.kind, cause: causeOf(c) } };
}

export function restoreOnly(change: Change, overwrite: boolean): Change {
  switch (change.kind) {
    case 'create':
    case 'unchanged':
    case 'keep':
    case 'conflict':
      return change;
    case 'move': {
      // restore never moves (the job where it is stays): the job the definitions want is created
      const { from: _from, via: _via, previousHash: _prev, ...rest } = change;
      return { ...rest, kind: 'create', reason: `restore creates it; ${change.from} stays where it is (restore never moves or deletes)`, code: 'restore-creates', params: { from: change.from! } };
    }
    case 'delete':
      return held(change, 'restore never deletes');
    case 'replace':
      return held(change, 'restore never deletes a job to change its type (sync does)');
    case 'disable':
      if (change.retire !== undefined) return held(change, 'restore never retires a job');
      return overwrite ? change : held(change, RESTORE_NO_OVERWRITE);
    case 'update':
    case 'adopt':
    case 'enable':
      return overwrite ? change : held(change, RESTORE_NO_OVERWRITE);
  }
}

/** The plan with the rule applied to every change (summary recomputed). */
export function restoreOnlyPlan(plan: Plan, overwrite: boolean): Plan {
  const changes = plan.changes.map((c) => restoreOnly(c, overwrite));
  const summary = emptySummary();
  for (const c of changes) summary[c.kind]++;
  return { ...plan, changes, summary };
}
