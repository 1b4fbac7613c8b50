/**
 * `apply FILE` re-checks a saved plan against a fresh listing with the planner's rules
 * (issue 14 item 1): anything a hand-edited or outdated file asks for that the planner would not
 * do refuses the whole plan.
 */
import { describe, expect, it } from 'vitest';
import { makePlan } from '../../src/plan/make-plan.js';
import { recheckPlan } from '../../src/plan/recheck-plan.js';
import { formatMarker } from '../../src/plan/marker.js';
import { withMarker } from '../../src/plan/config-description.js';
import type { Change, Plan } from '../../src/model/plan.js';
import type { ObservedState } from '../../src/model/observed.js';
import { NOW, OWNER, desired, item, job, managedItem, observed } from './fixtures.js';

const a = job('p-a', { template: 'A' });
const b = job('p-b', { template: 'B', token: 'new' });
const c = job('p-c', { template: 'C' });
const obs = observed([managedItem(job('p-b', { template: 'B' })), managedItem(c), item('precious', { description: 'made by hand' }), managedItem(job('theirs', { template: 'X' }), { marker: { owner: 'github.com/other/defs' } })]);
const made = makePlan({ desired: desired([a, b, c]), owner: OWNER, observed: obs, clock: NOW, branchScopes: {} });

function withChanges(extra: Change[], over: Partial<Plan> = {}): Plan {
  return { ...made, ...over, changes: [...made.changes, ...extra] };
}

const check = (plan: Plan, o: ObservedState = obs, projectCount = 3) => recheckPlan({ plan, observed: o, owner: OWNER, projectCount });

describe('recheck of a saved plan', () => {
  it('the plan as made passes against the same Jenkins', () => {
    expect(made.changes.map((x) => x.kind).sort()).toEqual(['create', 'unchanged', 'update']);
    expect(check(made)).toEqual([]);
  });

  it('an old (v1) job is claimed only where the plan writes the marker into it: a bare disable of one is refused', () => {
    const v1 = managedItem(job('legacy', { template: 'L' }), { marker: { owner: undefined, name: undefined } });
    const o = observed([...obs.items, v1]);
    expect(check(withChanges([{ target: 'job', fullName: 'legacy', kind: 'disable', reason: 'x', code: 'removed-disable' }]), o)).toEqual(['disable legacy: it has an old jobsmith marker (v1) that this run cannot claim']);
  });

  it('with the definitions at hand: a config other than what they render, or an adoption of a name they do not want, is refused', () => {
    const upd = made.changes.find((x) => x.kind === 'update')!;
    const tampered = { ...upd, config: upd.config!.replace('<token>new</token>', '<token>rm -rf /</token>') };
    const d = desired([a, b, c]);
    const plan = { ...made, options: { ...made.options, adopt: true }, changes: [...made.changes.map((x) => (x === upd ? tampered : x)), { target: 'job' as const, fullName: 'precious', kind: 'adopt' as const, reason: 'x', code: 'adopted' as const, config: withMarker('<project/>', formatMarker({ kind: 'job', owner: OWNER, name: 'precious', project: 'p', template: 'T', hash: 'h' })) }] };
    expect(recheckPlan({ plan, observed: obs, owner: OWNER, projectCount: 3, desired: d })).toEqual([
      'update p-b: the config it would write is not what the definitions render',
      'adopt precious: the definitions do not make this job',
    ]);
    expect(recheckPlan({ plan: made, observed: obs, owner: OWNER, projectCount: 3, desired: d })).toEqual([]);
  });

  it('a delete of an unmanaged job or of another owner\'s job is refused', () => {
    const edited = withChanges([
      { target: 'job', fullName: 'precious', kind: 'delete', reason: 'x', code: 'project-removed' },
      { target: 'job', fullName: 'theirs', kind: 'delete', reason: 'x', code: 'project-removed' },
      { target: 'job', fullName: 'ghost', kind: 'delete', reason: 'x', code: 'project-removed' },
    ], { options: { ...made.options, allowMassDelete: true } });
    expect(check(edited)).toEqual([
      'delete precious: it is not managed by jobsmith',
      'delete theirs: it is managed by other definitions (owner github.com/other/defs)',
      'delete ghost: it does not exist in Jenkins',
    ]);
  });

  it('an update whose config carries no marker, or the marker of another name or owner, is refused', () => {
    const upd = made.changes.find((x) => x.kind === 'update')!;
    const bare = { ...upd, config: '<project><description>no marker</description></project>' };
    expect(check({ ...made, changes: made.changes.map((x) => (x === upd ? bare : x)) })).toEqual(["update p-b: the config it would write does not carry this owner's marker for p-b"]);
    const otherName = { ...upd, config: withMarker(upd.config!, formatMarker({ kind: 'job', owner: OWNER, name: 'p-a', project: 'p', template: 'B', hash: 'h' })) };
    expect(check({ ...made, changes: made.changes.map((x) => (x === upd ? otherName : x)) })).toHaveLength(1);
    const otherOwner = { ...upd, config: withMarker(upd.config!, formatMarker({ kind: 'job', owner: 'x', name: 'p-b', project: 'p', template: 'B', hash: 'h' })) };
    expect(check({ ...made, changes: made.changes.map((x) => (x === upd ? otherOwner : x)) })).toHaveLength(1);
  });

  it('Jenkins changed since: a create whose name is taken now, an update of a job that became a copy, a delete of a job now building', () => {
    // (a marker naming a job that is gone, on the job wanted here, is an interrupted move: claimed, as the planner does)
    const moved = observed([...obs.items.filter((i) => i.fullName !== 'p-b'), managedItem(job('p-b', { template: 'B' }), { marker: { name: 'gone-now' } })]);
    expect(check(made, moved)).toEqual([]);
    const now = observed([...obs.items.filter((i) => i.fullName !== 'p-b'), item('p-a'), managedItem(job('p-b', { template: 'B' }), { marker: { name: 'p-c' } }), managedItem(c, { building: true })]);
    const withDelete = withChanges([{ target: 'job', fullName: 'p-c', kind: 'delete', reason: 'x', code: 'project-removed' }], { options: { ...made.options, allowMassDelete: true } });
    expect(check(withDelete, now)).toEqual([
      'update p-b: it carries the marker of p-c (a copy, or renamed or moved in Jenkins): not managed',
      'create p-a: p-a exists already in Jenkins (it is not managed by jobsmith)',
      'delete p-c: a build is running',
    ]);
  });

  it('the guards are computed again: mass delete, empty definitions, a refused plan, another owner, adopt without --adopt', () => {
    const del = withChanges([{ target: 'job', fullName: 'p-c', kind: 'delete', reason: 'x', code: 'project-removed' }, { target: 'job', fullName: 'p-b', kind: 'delete', reason: 'x', code: 'project-removed' }]);
    expect(check(del)).toContain('the plan deletes 2 of 2 managed jobs (100%), more than half of them; check the definitions, then pass --allow-mass-delete if this is intended');
    expect(check(made, obs, 0)[0]).toMatch(/^the definitions hold no project/);
    expect(check({ ...made, refused: true })).toEqual(['the plan was refused when it was made']);
    expect(recheckPlan({ plan: made, observed: obs, owner: 'github.com/someone/else', projectCount: 3 })[0]).toBe(
      'the plan was made for owner default; these definitions are owner github.com/someone/else',
    );
    const adopt = withChanges([{ target: 'job', fullName: 'precious', kind: 'adopt', reason: 'x', code: 'adopted', config: withMarker('<project/>', formatMarker({ kind: 'job', owner: OWNER, name: 'precious', project: 'p', template: 'T', hash: 'h' })) }]);
    expect(check(adopt)).toEqual(['adopt precious: the plan was made without --adopt']);
    const adoptTheirs = withChanges([{ target: 'job', fullName: 'theirs', kind: 'adopt', reason: 'x', code: 'adopted', config: withMarker('<project/>', formatMarker({ kind: 'job', owner: OWNER, name: 'theirs', project: 'p', template: 'T', hash: 'h' })) }], { options: { ...made.options, adopt: true } });
    expect(check(adoptTheirs)).toEqual(['adopt theirs: it is managed by other definitions (owner github.com/other/defs)']);
  });

  it('a folder is deleted only with all it holds; a view loses only managed jobs; a move needs its own source and a free destination', () => {
    const folder = item('team', { isFolder: true, className: 'com.cloudbees.hudson.plugins.folder.Folder', description: formatMarker({ kind: 'folder', owner: OWNER, name: 'team', hash: 'h' }) });
    const o = observed([...obs.items, folder, item('team/by-hand'), managedItem(job('team/x', { template: 'TX' }))], [{ name: 'V', folder: [], className: 'hudson.model.ListView', jobs: ['precious', 'p-c'] }]);
    const plan = withChanges(
      [
        { target: 'job', fullName: 'team/x', kind: 'delete', reason: 'x', code: 'project-removed' },
        { target: 'folder', fullName: 'team', kind: 'delete', reason: 'x', code: 'project-removed' },
        { target: 'view', fullName: 'V', kind: 'update', reason: 'x', code: 'view-jobs-changed', view: { name: 'V', folder: [], add: [], remove: ['precious', 'p-c'] } },
        { target: 'job', fullName: 'moved', kind: 'move', from: 'theirs', reason: 'x', code: 'moved', config: withMarker('<project/>', formatMarker({ kind: 'job', owner: OWNER, name: 'moved', project: 'p', template: 'X', hash: 'h' })) },
        { target: 'job', fullName: 'p-b', kind: 'move', from: 'p-c', reason: 'x', code: 'moved', config: withMarker('<project/>', formatMarker({ kind: 'job', owner: OWNER, name: 'p-b', project: 'p', template: 'X', hash: 'h' })) },
      ],
      { options: { ...made.options, allowMassDelete: true } },
    );
    expect(check(plan, o)).toEqual([
      'delete folder team: it still holds team/by-hand',
      'update view V: would remove precious, which is not managed by jobsmith',
      'move theirs -> moved: it is managed by other definitions (owner github.com/other/defs)',
      'move p-b: p-b exists already in Jenkins (it is managed by these definitions)',
    ]);
  });
});
