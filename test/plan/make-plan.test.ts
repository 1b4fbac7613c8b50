import { describe, expect, it } from 'vitest';
import { DEFAULT_OWNER, makePlan, pushedJobConfig, type PlanInput } from '../../src/plan/make-plan.js';
import { readDescription } from '../../src/plan/config-description.js';
import { parseMarker } from '../../src/plan/marker.js';
import type { Change, ChangeKind } from '../../src/model/plan.js';
import { NOW, desired, item, job, managedItem, observed } from './fixtures.js';

function kinds(changes: Change[]): Record<string, ChangeKind[]> {
  const out: Record<string, ChangeKind[]> = {};
  for (const c of changes) (out[c.fullName] ??= []).push(c.kind);
  return out;
}

function plan(input: Partial<PlanInput> & Pick<PlanInput, 'desired' | 'observed'>) {
  return makePlan({ clock: NOW, branchScopes: {}, ...input });
}

describe('planner: desired × observed', () => {
  const a = job('p-a');
  const a2 = job('p-a', { token: 'changed' });
  const cases: Array<{ name: string; d: ReturnType<typeof job>[]; o: ReturnType<typeof item>[]; want: Record<string, ChangeKind[]> }> = [
    { name: 'absent → create', d: [a], o: [], want: { 'p-a': ['create'] } },
    { name: 'managed, same hash → unchanged', d: [a], o: [managedItem(a)], want: { 'p-a': ['unchanged'] } },
    { name: 'managed, other hash → update', d: [a2], o: [managedItem(a)], want: { 'p-a': ['update'] } },
    { name: 'managed, other template → update', d: [a], o: [managedItem(a, { marker: { template: 'U' } })], want: { 'p-a': ['update'] } },
    { name: 'unmanaged same name → conflict', d: [a], o: [item('p-a', { description: 'mine' })], want: { 'p-a': ['conflict'] } },
    { name: 'folder with the name → conflict', d: [a], o: [item('p-a', { isFolder: true, className: 'com.cloudbees.hudson.plugins.folder.Folder' })], want: { 'p-a': ['conflict'] } },
    { name: 'managed, not desired → delete', d: [], o: [managedItem(a)], want: { 'p-a': ['delete'] } },
    { name: 'managed, not desired, building → disable', d: [], o: [managedItem(a, { building: true })], want: { 'p-a': ['disable'] } },
    { name: 'managed, not desired, building, disabled → keep', d: [], o: [managedItem(a, { building: true, disabled: true })], want: { 'p-a': ['keep'] } },
    { name: 'unmanaged, not desired → untouched', d: [], o: [item('other')], want: {} },
    { name: 'JJB-managed, not desired → untouched', d: [], o: [item('jjb', { description: '<!-- Managed by Jenkins Job Builder -->' })], want: {} },
    { name: 'type change → replace', d: [job('p-a', { rootElement: 'flow-definition' })], o: [managedItem(a)], want: { 'p-a': ['replace'] } },
    { name: 'type change, building → keep', d: [job('p-a', { rootElement: 'flow-definition' })], o: [managedItem(a, { building: true })], want: { 'p-a': ['keep'] } },
    // the same job under another spelling: renamed to the spelling the definitions give (break-d: it was "no changes")
    { name: 'case-insensitive root match → rename', d: [job('P-A')], o: [managedItem(job('P-A'), { fullName: 'p-a' })], want: { 'P-A': ['move'] } },
    { name: 'retired job back → update + enable', d: [a], o: [managedItem(a, { disabled: true, marker: { gone: '2026-11-01T00:00:00.000Z' } })], want: { 'p-a': ['update', 'enable'] } },
    { name: 'user-disabled managed job stays disabled', d: [a], o: [managedItem(a, { disabled: true })], want: { 'p-a': ['unchanged'] } },
    { name: 'definition disables → disable', d: [job('p-a', { disabled: true })], o: [managedItem(job('p-a', { disabled: true }))], want: { 'p-a': ['unchanged', 'disable'] } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(kinds(plan({ desired: desired(c.d), observed: observed(c.o) }).changes)).toEqual(c.want);
    });
  }

  it('pushes the rendered config with the marker (hash of the rendered config) in the description', () => {
    const p = plan({ desired: desired([a]), observed: observed([]) });
    const c = p.changes[0]!;
    expect(c.config).toBe(pushedJobConfig(a, DEFAULT_OWNER));
    const m = parseMarker(readDescription(c.config!));
    expect(m).toEqual({ kind: 'job', owner: DEFAULT_OWNER, name: 'p-a', project: 'p', template: 'T', hash: a.hash });
    expect(readDescription(c.config!)).toMatch(/^Builds p-a\n<!-- jobsmith:v2 owner=default name=p%2Da project=p /);
  });

  it('gives reasons: project removed vs template removed', () => {
    const keep = job('p-keep');
    const gone = job('p-old', { template: 'Old' });
    const other = job('q-x', { project: 'q' });
    const p = plan({ desired: desired([keep]), observed: observed([managedItem(keep), managedItem(gone), managedItem(other)]) });
    const by = Object.fromEntries(p.changes.map((c) => [c.fullName, c.reason]));
    expect(by['p-old']).toBe('template Old is no longer used by project p');
    expect(by['q-x']).toBe('project q is no longer in the definitions');
  });

  it('--adopt takes over unmanaged jobs with desired names', () => {
    const p = plan({ desired: desired([a]), observed: observed([item('p-a')]), options: { adopt: true } });
    expect(p.changes.map((c) => c.kind)).toEqual(['adopt']);
    expect(p.problems).toEqual([]);
  });

  it('a desired job blocked by an unmanaged job (or a folder) is an input error, not a notice: the sync exits 1', () => {
    const p = plan({ desired: desired([a]), observed: observed([item('p-a')]) });
    expect(p.problems).toEqual([
      { severity: 'error', category: 'input', code: 'unmanaged-conflict', project: 'p', message: 'p-a: an unmanaged job has this name; not touched, so the desired job is not made (--adopt takes it over, or rename the job)' },
    ]);
    expect(p.refused).toBe(false); // the rest of the plan still applies
    const f = plan({ desired: desired([a]), observed: observed([item('p-a', { isFolder: true, className: 'com.cloudbees.hudson.plugins.folder.Folder' })]) });
    expect(f.problems.map((x) => [x.code, x.severity, x.category])).toEqual([['job-conflict', 'error', 'input']]);
  });

  it('--removed disable retires (marker records when), --removed keep keeps', () => {
    const d = plan({ desired: desired([]), observed: observed([managedItem(a)]), options: { removed: 'disable' } });
    expect(d.changes[0]).toMatchObject({ kind: 'disable', retire: '2026-11-25T10:00:00.000Z' });
    const again = plan({ desired: desired([]), observed: observed([managedItem(a, { disabled: true, marker: { gone: '2026-11-24T00:00:00.000Z' } })]), options: { removed: 'disable' } });
    expect(again.changes[0]!.kind).toBe('keep');
    // a job a person disabled is not retired (jobsmith would re-enable it when the project comes back)
    const byHand = plan({ desired: desired([]), observed: observed([managedItem(a, { disabled: true })]), options: { removed: 'disable' } });
    expect(byHand.changes[0]).toMatchObject({ kind: 'keep', code: 'removed-kept-disabled' });
    expect(byHand.changes[0]!.retire).toBeUndefined();
    const k = plan({ desired: desired([]), observed: observed([managedItem(a)]), options: { removed: 'keep' } });
    expect(k.changes[0]!.kind).toBe('keep');
  });

  it('--verify: a semantically equal fetched config is unchanged, an edited one is updated', () => {
    const o = observed([managedItem(a)]);
    // what Jenkins >= 2.568 serves back: its own declaration and layout, the marker still in the description
    const jenkinsCopy = pushedJobConfig(a, DEFAULT_OWNER).replace(/^<\?xml[^>]*>/, "<?xml version='1.1' encoding='UTF-8'?>").replace(/>\s+</g, '><');
    expect(jenkinsCopy).not.toBe(pushedJobConfig(a, DEFAULT_OWNER));
    expect(plan({ desired: desired([a]), observed: o, observedConfigs: new Map([['p-a', jenkinsCopy]]) }).changes[0]!.kind).toBe('unchanged');
    const edited = plan({ desired: desired([a]), observed: o, observedConfigs: new Map([['p-a', jenkinsCopy.replace('<token>x', '<token>y')]]) });
    expect(edited.changes[0]).toMatchObject({ kind: 'update', reason: 'edited in Jenkins (drift found by --verify)' });
  });
});

describe('planner: safety rules', () => {
  const many = Array.from({ length: 30 }, (_, i) => job(`p-${String(i).padStart(2, '0')}`, { template: `T${i}` }));

  it('fail closed: holdDeletions turns deletes/retirements into keep, creates still planned', () => {
    const p = plan({ desired: desired([many[0]!]), observed: observed([managedItem(many[1]!)]), holdDeletions: 'the definitions have errors', options: { removed: 'delete' } });
    expect(kinds(p.changes)).toEqual({ 'p-00': ['create'], 'p-01': ['keep'] });
    expect(p.changes[1]!.reason).toContain('the definitions have errors');
  });

  it('mass-delete guard: refuses > 10 jobs and > 20% of managed, unless allowed', () => {
    const o = observed(many.map((j) => managedItem(j)));
    const eleven = plan({ desired: desired(many.slice(11)), observed: o }); // 11 of 30 = 37%
    expect(eleven.refused).toBe(true);
    expect(eleven.problems.find((x) => x.code === 'mass-delete')?.message).toMatch(/deletes 11 of 30 managed jobs/);
    const ten = plan({ desired: desired(many.slice(10)), observed: o }); // 10: at the limit
    expect(ten.refused).toBe(false);
    const allowed = plan({ desired: desired(many.slice(11)), observed: o, options: { allowMassDelete: true } });
    expect(allowed.refused).toBe(false);
    expect(allowed.summary.delete).toBe(11);
    // 11 deletions but under 20% of managed: allowed
    const big = Array.from({ length: 100 }, (_, i) => job(`b-${i}`));
    const under = plan({ desired: desired(big.slice(11)), observed: observed(big.map((j) => managedItem(j))) });
    expect(under.refused).toBe(false);
  });

  it('--only limits creates and updates and never widens deletions', () => {
    const pa = job('pay-ci', { project: 'pay' });
    const pb = job('web-ci', { project: 'web', token: 'new' });
    const stale = job('pay-old', { project: 'pay', template: 'Old' });
    const o = observed([managedItem(job('web-ci', { project: 'web' })), managedItem(stale), managedItem(job('ops-x', { project: 'ops' }))]);
    const p = plan({ desired: desired([pa, pb]), observed: o, options: { only: ['pay'] } });
    expect(kinds(p.changes)).toEqual({ 'pay-ci': ['create'], 'pay-old': ['delete'] });
    const byName = plan({ desired: desired([pa, pb]), observed: o, options: { only: ['web-*'] } });
    expect(kinds(byName.changes)).toEqual({ 'web-ci': ['update'] });
  });

  it('a filtered desired set never deletes the jobs outside it', () => {
    // the caller renders everything; even a filter matching nothing deletes nothing
    const o = observed(many.map((j) => managedItem(j)));
    expect(plan({ desired: desired(many), observed: o, options: { only: ['nothing'] } }).changes).toEqual([]);
  });
});

describe('planner: folders', () => {
  const folderCfg = '<com.cloudbees.hudson.plugins.folder.Folder><description>team</description></com.cloudbees.hudson.plugins.folder.Folder>';
  it('creates missing folders parents first, uses unmanaged folders, conflicts on non-folders', () => {
    const j = job('team/sub/ci');
    const d = desired([j], { folders: [{ fullName: 'team/sub', config: folderCfg }, { fullName: 'team', config: folderCfg }] });
    const p = plan({ desired: d, observed: observed([]) });
    expect(p.changes.filter((c) => c.target === 'folder').map((c) => `${c.kind} ${c.fullName}`)).toEqual(['create team', 'create team/sub']);
    const withTeam = plan({ desired: d, observed: observed([item('team', { isFolder: true, className: 'com.cloudbees.hudson.plugins.folder.Folder', description: 'theirs' })]) });
    expect(withTeam.changes.find((c) => c.fullName === 'team')!.kind).toBe('unchanged');
    const blocked = plan({ desired: d, observed: observed([item('team')]) });
    expect(blocked.changes.find((c) => c.fullName === 'team')!.kind).toBe('conflict');
    expect(blocked.problems.some((x) => x.code === 'folder-conflict')).toBe(true);
  });

  it('deletes a managed folder only when everything in it goes', () => {
    const created = plan({ desired: desired([job('team/ci')], { folders: [{ fullName: 'team', config: folderCfg }] }), observed: observed([]) });
    const folderItem = item('team', { isFolder: true, className: 'com.cloudbees.hudson.plugins.folder.Folder', description: readDescription(created.changes[0]!.config!) });
    const ci = managedItem(job('team/ci'));
    const unchanged = plan({ desired: desired([job('team/ci')], { folders: [{ fullName: 'team', config: folderCfg }] }), observed: observed([folderItem, ci]) });
    expect(kinds(unchanged.changes)).toEqual({ team: ['unchanged'], 'team/ci': ['unchanged'] });
    const gone = plan({ desired: desired([]), observed: observed([folderItem, ci]) });
    expect(kinds(gone.changes)).toEqual({ 'team/ci': ['delete'], team: ['delete'] });
    const userJob = plan({ desired: desired([]), observed: observed([folderItem, ci, item('team/mine')]) });
    expect(kinds(userJob.changes)).toEqual({ 'team/ci': ['delete'], team: ['keep'] });
    const running = plan({ desired: desired([]), observed: observed([folderItem, { ...ci, building: true }]) });
    expect(kinds(running.changes)).toEqual({ 'team/ci': ['disable'], team: ['keep'] });
  });
});

describe('planner: views', () => {
  it('creates a ListView with its jobs, adds and removes managed jobs, leaves others', () => {
    const a = job('p-a', { view: 'P' });
    const b = job('p-b', { view: 'P' });
    const d = desired([a, b], { views: [{ name: 'P', folder: [], jobs: ['p-a', 'p-b'] }] });
    const created = plan({ desired: d, observed: observed([]) });
    const v = created.changes.find((c) => c.target === 'view')!;
    expect(v.kind).toBe('create');
    expect(v.config).toContain('<string>p-a</string>');
    expect(v.config).toContain('<string>p-b</string>');
    const old = job('p-old');
    const o = observed([managedItem(a), managedItem(b), managedItem(old, { marker: { project: 'p2' } }), item('mine')], [
      { name: 'P', folder: [], className: 'hudson.model.ListView', jobs: ['p-a', 'p-old', 'mine'] },
    ]);
    const upd = plan({ desired: d, observed: { ...o, items: o.items } , options: { removed: 'keep' } });
    expect(upd.changes.find((c) => c.target === 'view')).toMatchObject({ kind: 'update', view: { add: ['p-b'], remove: ['p-old'] } });
    const same = plan({ desired: d, observed: observed([managedItem(a), managedItem(b)], [{ name: 'P', folder: [], className: 'hudson.model.ListView', jobs: ['p-a', 'p-b', 'mine'] }]) });
    expect(same.changes.find((c) => c.target === 'view')!.kind).toBe('unchanged');
    const wrong = plan({ desired: d, observed: observed([], [{ name: 'P', folder: [], className: 'hudson.model.AllView', jobs: [] }]) });
    expect(wrong.changes.find((c) => c.target === 'view')!.kind).toBe('conflict');
  });
});
