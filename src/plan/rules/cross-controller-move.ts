/**
 * Rule (many controllers, docs/controllers.md): a project the definitions moved from one controller
 * to another is created on the new one first, and leaves the old one only after that succeeded.
 * Each controller is planned on its own (its own listing, guards and marker owner); this rule then
 * looks at the plans together. A delete (or disable) on controller A of a job whose project now
 * goes to controller B:
 * - B creates the job in this run: the delete waits for that create (`waitsFor`; apply does it only
 *   after the create succeeded);
 * - B already has it (unchanged, updated, ...): the delete goes ahead;
 * - B could not be planned (unreachable), its plan is refused, or the job is held there: the job
 *   is kept on A (`keep`), so a failure never leaves a project on no controller.
 * Build history cannot move between controllers: both sides say so in their reasons, a job held on
 * A by another rule too (a stale checkout, `--removed keep`): it goes to B, it did not leave the
 * definitions. A folder
 * deleted because it is empty after this run waits with the moved jobs it holds (it goes in the
 * second round, after them). Pure.
 */
import type { Change, Plan } from '../../model/plan.js';
import type { ReasonParams, ReasonRef } from '../../model/reason-code.js';
import { causeOf, emptySummary } from '../../model/plan.js';

export interface ControllerPlanned {
  controller: string;
  /** Undefined: the controller could not be planned (unreachable, listing failed), or is not part of this run. */
  plan?: Plan;
  /** The run does not talk to this controller (`--controller` named others). */
  notInRun?: boolean;
  /** `notInRun`: why, when not `--controller` (a plan set with no plan for it). */
  outsideWhy?: string;
}

const HISTORY = 'its build history stays on controller';

/** The wrapped reason `project P is no longer in the definitions` (and the words) of a job whose project went to `to`. */
function movedCause(ref: ReasonRef, to: string): ReasonRef {
  if (ref.code === 'project-removed') return { code: 'moved-to-controller', params: { controller: to, cause: ref } };
  if (ref.params === undefined) return ref;
  const params: ReasonParams = {};
  for (const [k, v] of Object.entries(ref.params)) params[k] = typeof v === 'object' && !Array.isArray(v) ? movedCause(v, to) : v;
  return { ...ref, params };
}

/**
 * A change kept on `here` by another rule (held, --removed keep) whose reason is the removal of a
 * project that now goes to other controllers: it says where the project went.
 */
function sayMoved(c: Change, here: string, to: string): Change {
  const removed = `project ${c.project} is no longer in the definitions`;
  if (!c.reason.includes(removed)) return c;
  const moved = movedCause(causeOf(c), to);
  return { ...c, reason: c.reason.split(removed).join(`project ${c.project} moved to controller ${to}; ${HISTORY} ${here}`), code: moved.code, ...(moved.params !== undefined ? { params: moved.params } : {}) };
}

function jobKey(c: { project?: string; template?: string; branch?: string }): string {
  return `${c.project ?? ''}\0${c.template ?? ''}\0${c.branch ?? ''}`;
}

/**
 * Mark the moves between controllers in place and return the plans. `controllersOf` gives the
 * controllers a project of the definitions goes to, or undefined when the definitions no longer
 * have the project (an ordinary removal, left to each controller's own rules).
 */
export function linkControllerMoves(planned: readonly ControllerPlanned[], controllersOf: (project: string) => readonly string[] | undefined): void {
  const byController = new Map(planned.map((p) => [p.controller, p]));
  // the jobs each controller's plan would make or keep, by project/template/branch and by name
  const index = new Map<string, { byKey: Map<string, Change>; byName: Map<string, Change> }>();
  for (const p of planned) {
    if (!p.plan) continue;
    const byKey = new Map<string, Change>();
    const byName = new Map<string, Change>();
    for (const c of p.plan.changes) {
      if (c.target !== 'job' || c.kind === 'delete' || c.kind === 'disable') continue;
      if (c.project !== undefined) byKey.set(jobKey(c), c);
      byName.set(c.fullName.toLowerCase(), c);
    }
    index.set(p.controller, { byKey, byName });
  }
  for (const p of planned) {
    const plan = p.plan;
    if (!plan) continue;
    let changed = false;
    plan.changes = plan.changes.map((c) => {
      if (c.target !== 'job' || c.project === undefined) return c;
      const targets = controllersOf(c.project);
      if (targets === undefined || targets.length === 0 || targets.includes(p.controller)) return c;
      if (c.kind !== 'delete' && c.kind !== 'disable') {
        const said = sayMoved(c, p.controller, targets.join(', '));
        if (said !== c) changed = true;
        return said;
      }
      if (c.after !== undefined) return c;
      let waitsFor: Change['waitsFor'];
      const notes: string[] = [];
      for (const t of targets) {
        const other = byController.get(t);
        const keep = (why: string): Change => {
          changed = true;
          return { ...c, kind: 'keep', reason: `project ${c.project} moved to controller ${t}; kept here: ${why}`, code: 'controller-move-held', params: { controller: t, detail: why } };
        };
        if (other?.notInRun) return keep(other.outsideWhy ?? `controller ${t} is not part of this run (--controller)`);
        if (!other?.plan) return keep(`controller ${t} could not be planned`);
        if (other.plan.refused) return keep(`the plan of controller ${t} is refused`);
        const idx = index.get(t)!;
        const there = idx.byKey.get(jobKey(c)) ?? idx.byName.get(c.fullName.toLowerCase());
        if (there === undefined) continue; // the project no longer makes this job: an ordinary removal
        if (there.kind === 'keep' || there.kind === 'conflict') return keep(`the job is held on controller ${t} (${there.reason})`);
        if (there.kind === 'create' || there.kind === 'adopt' || there.kind === 'replace') {
          waitsFor ??= { controller: t, fullName: there.fullName };
          there.reason = `${there.reason}; moved from controller ${p.controller} (${HISTORY} ${p.controller})`;
          there.params = { ...(there.params ?? {}), movedFrom: p.controller };
        }
        notes.push(t);
      }
      if (notes.length === 0) return c;
      changed = true;
      const moved: Change = { ...c, code: 'moved-to-controller', params: { controller: notes.join(', '), cause: causeOf(c) }, reason: `project ${c.project} moved to controller ${notes.join(', ')}; ${HISTORY} ${p.controller} (it cannot move between controllers)${waitsFor ? `; done after ${waitsFor.fullName} was created on ${waitsFor.controller}` : ''}` };
      if (waitsFor) moved.waitsFor = waitsFor;
      return moved;
    });
    // a folder deleted because its jobs moved away goes after them: in the round of the waiting deletes
    const waiting = plan.changes.filter((c) => c.waitsFor !== undefined);
    if (waiting.length > 0) {
      plan.changes = plan.changes.map((c) => {
        if (c.target !== 'folder' || c.kind !== 'delete' || c.waitsFor !== undefined) return c;
        const inside = waiting.find((w) => w.fullName.toLowerCase().startsWith(c.fullName.toLowerCase() + '/'));
        if (inside === undefined) return c;
        changed = true;
        return { ...c, waitsFor: inside.waitsFor!, reason: `${c.reason}; done after the moved jobs in it are deleted` };
      });
    }
    if (changed) {
      const summary = emptySummary();
      for (const c of plan.changes) summary[c.kind]++;
      plan.summary = summary;
    }
  }
}
