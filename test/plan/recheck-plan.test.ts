/**
 * `apply FILE` re-checks a saved plan against the plan the planner makes NOW (issue 14 item 1,
 * break-it findings 1 and 10): the file may only be a subset of the fresh plan, every acting change
 * identical; options that lift a guard come from apply's own flags, never from the file.
 */
import { describe, expect, it } from 'vitest';
import { makePlan, type PlanOptions } from '../../src/plan/make-plan.js';
import { recheckPlan, type ApplyFlags } from '../../src/plan/recheck-plan.js';
import { formatMarker } from '../../src/plan/marker.js';
import { withMarker } from '../../src/plan/config-description.js';
import type { Change, Plan } from '../../src/model/plan.js';
import type { DesiredState } from '../../src/model/desired-job.js';
import type { ObservedState } from '../../src/model/observed.js';
import { NOW, OWNER, desired, item, job, managedItem, observed } from './fixtures.js';

const a = job('p-a', { template: 'A' });
const b = job('p-b', { template: 'B', token: 'new' });
const c = job('p-c', { template: 'C' });
const d = desired([a, b, c]);
const obs = observed([managedItem(job('p-b', { template: 'B' })), managedItem(c), item('precious', { description: 'made by hand' }), managedItem(job('theirs', { template: 'X' }), { marker: { owner: 'github.com/other/defs' } })]);

const planNow = (want: DesiredState = d, o: ObservedState = obs, options: PlanOptions = {}) => makePlan({ desired: want, owner: OWNER, observed: o, clock: NOW, branchScopes: {}, projectCount: 3, options });
const made = planNow();

function edited(extra: Change[], over: Partial<Plan> = {}): Plan {
  return { ...made, ...over, changes: [...made.changes, ...extra] };
}

const check = (plan: Plan, fresh: Plan = made, flags: ApplyFlags = {}) => recheckPlan({ plan, fresh, owner: OWNER, flags });

describe('recheck of a saved plan against the plan made now', () => {
  it('the plan as made passes; apply runs the fresh plan\'s own changes', () => {
    expect(made.changes.map((x) => x.kind).sort()).toEqual(['create', 'unchanged', 'update']);
    const r = check(made);
    expect(r.reasons).toEqual([]);
    expect(r.changes.map((x) => `${x.kind} ${x.fullName}`)).toEqual(['update p-b', 'create p-a']);
  });

  it('a subset of the fresh plan passes (changes left out of the file are not applied)', () => {
    const r = check({ ...made, changes: made.changes.filter((x) => x.kind !== 'create') });
    expect(r.reasons).toEqual([]);
    expect(r.changes.map((x) => `${x.kind} ${x.fullName}`)).toEqual(['update p-b']);
  });

  it('finding 1: a hand-added delete, replace or disable of a job the definitions still want is refused', () => {
    const upd = made.changes.find((x) => x.kind === 'update')!;
    const plan = {
      ...made,
      changes: [
        ...made.changes.map((x) => (x === upd ? { ...upd, kind: 'replace' as const } : x)),
        { target: 'job' as const, fullName: 'p-c', project: 'p', template: 'C', kind: 'delete' as const, reason: 'added by hand', code: 'project-removed' as const },
        { target: 'job' as const, fullName: 'p-c', kind: 'disable' as const, reason: 'by hand', code: 'removed-disable' as const },
      ],
    };
    const r = check(plan);
    expect(r.reasons).toEqual([
      'replace p-b: not what a plan made now would do (a plan made now: update (rendered config changed (template B or project p)))',
      'delete p-c: not what a plan made now would do (a plan made now: unchanged (up to date))',
      'disable p-c: not what a plan made now would do (a plan made now: unchanged (up to date))',
    ]);
    expect(r.changes).toEqual([]);
  });

  it('a delete of an unmanaged job, of another owner\'s job or of a job that does not exist is refused', () => {
    const r = check(
      edited([
        { target: 'job', fullName: 'precious', kind: 'delete', reason: 'x', code: 'project-removed' },
        { target: 'job', fullName: 'theirs', kind: 'delete', reason: 'x', code: 'project-removed' },
        { target: 'job', fullName: 'ghost', kind: 'delete', reason: 'x', code: 'project-removed' },
      ]),
    );
    expect(r.reasons).toEqual([
      'delete precious: not what a plan made now would do (a plan made now does nothing to it)',
      'delete theirs: not what a plan made now would do (a plan made now does nothing to it)',
      'delete ghost: not what a plan made now would do (a plan made now does nothing to it)',
    ]);
  });

  it('a config edited in the file, or without the marker, is refused', () => {
    const upd = made.changes.find((x) => x.kind === 'update')!;
    for (const config of [upd.config!.replace('<token>new</token>', '<token>rm -rf /</token>'), '<project><description>no marker</description></project>', withMarker(upd.config!, formatMarker({ kind: 'job', owner: 'x', name: 'p-b', project: 'p', template: 'B', hash: 'h' }))]) {
      const r = check({ ...made, changes: made.changes.map((x) => (x === upd ? { ...upd, config } : x)) });
      expect(r.reasons).toEqual(['update p-b: a plan made now writes another config (the file was edited, or Jenkins or the definitions changed)']);
    }
  });

  it('finding 10: a mass delete made allowed by editing the file is refused; the flag on apply is what counts', () => {
    const gone = desired([a]);
    const refusedNow = planNow(gone);
    expect(refusedNow.refused).toBe(true);
    const withFlag = planNow(gone, obs, { allowMassDelete: true });
    // the file: made with --allow-mass-delete (or edited to say so, refused flipped to false)
    const file: Plan = { ...withFlag, refused: false, problems: [] };
    expect(check(file, refusedNow).reasons).toEqual([
      'the plan was made with --allow-mass-delete: apply needs --allow-mass-delete too (a saved plan never lifts a guard by itself)',
      'the plan deletes 2 of 2 managed jobs (100%), more than half of them; check the definitions, then pass --allow-mass-delete if this is intended',
    ]);
    // the same file with the option switched off by hand: the fresh plan (no flag) still refuses
    expect(check({ ...file, options: { ...file.options, allowMassDelete: false } }, refusedNow).reasons).toEqual([
      'the plan deletes 2 of 2 managed jobs (100%), more than half of them; check the definitions, then pass --allow-mass-delete if this is intended',
    ]);
    // apply --allow-mass-delete: the fresh plan is made with it and agrees
    const ok = check(file, withFlag, { allowMassDelete: true });
    expect(ok.reasons).toEqual([]);
    expect(ok.changes.filter((x) => x.kind === 'delete').map((x) => x.fullName).sort()).toEqual(['p-b', 'p-c']);
  });

  it('weakening options of the file need apply\'s own flag: --adopt, --allow-empty, --allow-stale', () => {
    const adoptNow = planNow(desired([a, b, c, job('precious', { template: 'P' })]), obs, { adopt: true });
    const adopt = adoptNow.changes.find((x) => x.kind === 'adopt')!;
    expect(adopt.fullName).toBe('precious');
    expect(check(adoptNow, adoptNow).reasons).toEqual(['the plan was made with --adopt: apply needs --adopt too (a saved plan never lifts a guard by itself)']);
    expect(check(adoptNow, adoptNow, { adopt: true }).reasons).toEqual([]);
    // an adoption slipped into a plan made without --adopt: the plan made now (no --adopt) has a conflict there
    const noAdopt = planNow(desired([a, b, c, job('precious', { template: 'P' })]));
    expect(check({ ...noAdopt, changes: [...noAdopt.changes, adopt] }, noAdopt).reasons).toEqual([
      'adopt precious: not what a plan made now would do (a plan made now: conflict (an unmanaged job has this name (not touched; --adopt takes it over)))',
    ]);
    for (const [opt, flag] of [['allowEmpty', '--allow-empty'], ['allowStale', '--allow-stale']] as const) {
      expect(check({ ...made, options: { ...made.options, [opt]: true } }).reasons).toEqual([`the plan was made with ${flag}: apply needs ${flag} too (a saved plan never lifts a guard by itself)`]);
      expect(check({ ...made, options: { ...made.options, [opt]: true } }, made, { [opt]: true }).reasons).toEqual([]);
    }
  });

  it('Jenkins changed since: a create whose name is taken now, a job that became a copy, a delete of a job now building', () => {
    const gone = desired([a, b]);
    const file = planNow(gone, obs, { allowMassDelete: true });
    expect(file.changes.find((x) => x.fullName === 'p-c')!.kind).toBe('delete');
    const now = observed([...obs.items.filter((i) => i.fullName !== 'p-b' && i.fullName !== 'p-c'), item('p-a'), managedItem(job('p-b', { template: 'B' }), { marker: { name: 'p-a' } }), managedItem(c, { building: true })]);
    const r = check(file, planNow(gone, now, { allowMassDelete: true }), { allowMassDelete: true });
    expect(r.reasons).toEqual([
      'update p-b: not what a plan made now would do (a plan made now: conflict (a job has this name, but it carries the marker of p-a (a copy, or renamed or moved in Jenkins): not managed (not touched; --adopt takes it over)))',
      'create p-a: not what a plan made now would do (a plan made now: conflict (an unmanaged job has this name (not touched; --adopt takes it over)))',
      'delete p-c: not what a plan made now would do (a plan made now: disable (template C is no longer used by project p; a build is running: disabled now, deleted by a later sync))',
    ]);
  });

  it('a subset keeps what its changes depend on: a folder delete needs what empties it, a delete that waits for its replacement needs that create', () => {
    const folder = item('team', { isFolder: true, className: 'com.cloudbees.hudson.plugins.folder.Folder', description: formatMarker({ kind: 'folder', owner: OWNER, name: 'team', hash: 'h' }) });
    const x = job('team/x', { template: 'TX' });
    const o = observed([...obs.items, folder, managedItem(x)]);
    // x moves out of team to the root: the folder is deleted once it is empty
    const moved = job('x', { template: 'TX' });
    const fresh = planNow(desired([a, b, c, moved]), o);
    expect(fresh.changes.filter((ch) => ch.kind === 'move' || ch.kind === 'delete').map((ch) => `${ch.kind} ${ch.target} ${ch.fullName}`)).toEqual(['move job x', 'delete folder team']);
    const onlyFolder = { ...fresh, changes: fresh.changes.filter((ch) => ch.kind !== 'move') };
    expect(check(onlyFolder, fresh).reasons).toEqual(['delete folder team: the file leaves out what empties it first (move team/x -> x)']);
    expect(check(fresh, fresh).reasons).toEqual([]);
    // a type change elsewhere that cannot be a move: create the new one, delete the old one after it
    const pipe = job('pipes/x', { template: 'TX', rootElement: 'flow-definition' });
    const replaced = planNow(desired([a, b, c, pipe]), observed([...obs.items, managedItem(moved)]));
    const del = replaced.changes.find((ch) => ch.kind === 'delete')!;
    expect(del.after).toBe('pipes/x');
    expect(check({ ...replaced, changes: replaced.changes.filter((ch) => ch.kind !== 'create' || ch.fullName !== 'pipes/x') }, replaced).reasons).toEqual([
      'delete x: the file leaves out create pipes/x, the job that replaces it',
    ]);
  });

  it('a change listed twice, a refused plan, a plan for another owner: refused', () => {
    const upd = made.changes.find((x) => x.kind === 'update')!;
    expect(check(edited([upd])).reasons).toEqual(['update p-b: listed more than once']);
    expect(check({ ...made, refused: true }).reasons).toEqual(['the plan was refused when it was made']);
    expect(recheckPlan({ plan: made, fresh: made, owner: 'github.com/someone/else' }).reasons[0]).toBe('the plan was made for owner default; these definitions are owner github.com/someone/else');
  });
});
