/**
 * Rule (many controllers, docs/controllers.md): a backup of one controller restored onto another
 * (`restore DIR/east --controller staging`) is a copy. Its jobs carry jobsmith's marker of the
 * definitions, naming projects that go to the controller it was made of; on the other controller
 * the next sync would see them as its own, no longer wanted there, and delete them (as "moved").
 * So the copies are written without the marker: unmanaged on the controller they were copied
 * onto, never changed or deleted by a sync. To have jobsmith manage a project there, the project
 * names that controller in its `controller:` list (a copy in the way is then a conflict until
 * adopted with `--adopt`). Pure.
 */
import { withoutMarker } from '../config-description.js';
import type { Plan } from '../../model/plan.js';

export function restoreAsCopy(plan: Plan, from: string, onto: string): Plan {
  return {
    ...plan,
    changes: plan.changes.map((c) => {
      if ((c.kind !== 'create' && c.kind !== 'update') || c.config === undefined || !c.config.includes('jobsmith:v')) return c;
      const config = withoutMarker(c.config);
      if (config === c.config) return c;
      return { ...c, config, reason: `${c.reason}; a copy of controller ${from}'s item: written without jobsmith's marker, unmanaged on ${onto} (no sync changes or deletes it)`, code: 'restored-copy', params: { from } };
    }),
  };
}
