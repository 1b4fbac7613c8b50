/**
 * Rule: never delete a job while it has a running build (Jenkins would abort it).
 * Disable it now (no new builds start), delete it at a later sync.
 */
import { causeOf, type Change } from '../../model/plan.js';
import type { ObservedItem } from '../../model/observed.js';

export function deleteOrPostpone(item: ObservedItem, base: Omit<Change, 'kind' | 'reason' | 'code'>, why: Pick<Change, 'reason' | 'code' | 'params'>, retire?: string): Change {
  const { reason } = why;
  const cause = { cause: causeOf(why) };
  // `retire` on a delete: if apply has to keep the job after all (its builds could not be archived),
  // it is retired (gone= in the marker) so that it is re-enabled when it comes back
  const del: Change = { ...base, kind: 'delete', reason, code: why.code };
  if (why.params !== undefined) del.params = why.params;
  if (!item.building) return retire !== undefined ? { ...del, retire } : del;
  if (!item.disabled || retire !== undefined) {
    const c: Change = { ...base, kind: 'disable', building: true, reason: `${reason}; a build is running: disabled now, deleted by a later sync`, code: 'build-running', params: cause };
    if (retire !== undefined) c.retire = retire;
    return c;
  }
  return { ...base, kind: 'keep', building: true, reason: `${reason}; a build is running: deleted by a later sync`, code: 'build-running-keep', params: cause };
}
