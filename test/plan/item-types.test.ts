/**
 * Every kind of item a template can make, planned like a job: folders, multibranch projects and
 * organization folders (folder-type items), views from view templates; and what a config push
 * does to a job's enabled state.
 */
import { describe, expect, it } from 'vitest';
import { makePlan, pushedJobConfig, type PlanInput } from '../../src/plan/make-plan.js';
import { pushedViewConfig } from '../../src/plan/plan-template-views.js';
import { recheckPlan } from '../../src/plan/recheck-plan.js';
import { sha256 } from '../../src/model/hash.js';
import { formatMarker } from '../../src/plan/marker.js';
import type { DesiredTemplateView } from '../../src/model/desired-job.js';
import type { ObservedView } from '../../src/model/observed.js';
import type { Change } from '../../src/model/plan.js';
import { desired, item, job, managedItem, NOW, observed, OWNER } from './fixtures.js';

const FOLDER = 'com.cloudbees.hudson.plugins.folder.Folder';
const MB = 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject';
const ORG = 'jenkins.branch.OrganizationFolder';

function plan(i: Omit<PlanInput, 'clock'>) {
  return makePlan({ clock: NOW, ...i });
}
function kinds(changes: Change[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of changes) (out[`${c.target}:${c.fullName}`] ??= []).push(c.kind);
  return out;
}
const folderJob = (name: string, root: string, token = 'x') => job(name, { template: 'F', rootElement: root, config: `<?xml version="1.1" encoding="UTF-8"?>\n<${root}>\n  <properties/>\n  <token>${token}</token>\n</${root}>\n` });
const asFolder = (j: ReturnType<typeof folderJob>, cls: string, over = {}) => managedItem(j, { className: cls, isFolder: true, color: undefined, ...over } as never);

describe('folder-type templates are managed like jobs', () => {
  const f = folderJob('p-F', FOLDER);
  const m = folderJob('p-MB', MB);

  it('a managed folder-type item is unchanged, updated when its template changes, never "a folder has this name"', () => {
    expect(kinds(plan({ desired: desired([f, m]), observed: observed([asFolder(f, FOLDER), asFolder(m, MB)]) }).changes)).toEqual({ 'job:p-F': ['unchanged'], 'job:p-MB': ['unchanged'] });
    const changed = folderJob('p-MB', MB, 'y');
    const p = plan({ desired: desired([changed]), observed: observed([asFolder(m, MB)]) });
    expect(p.changes[0]).toMatchObject({ kind: 'update', reason: expect.stringContaining('rendered config changed'), config: pushedJobConfig(changed, OWNER) });
    expect(p.problems).toEqual([]);
  });

  it('--verify compares with what was pushed, leaving out the views Jenkins builds for a folder', () => {
    const pushed = pushedJobConfig(f, OWNER);
    const jenkins = pushed.replace('<properties/>', '<properties/>\n  <folderViews class="com.cloudbees.hudson.plugins.folder.views.DefaultFolderViewHolder"><views><hudson.model.AllView><name>All</name></hudson.model.AllView></views><tabBar class="hudson.views.DefaultViewsTabBar"/></folderViews>');
    expect(plan({ desired: desired([f]), observed: observed([asFolder(f, FOLDER)]), observedConfigs: new Map([['p-F', jenkins]]) }).changes[0]!.kind).toBe('unchanged');
    const edited = jenkins.replace('<token>x</token>', '<token>edited</token>');
    expect(plan({ desired: desired([f]), observed: observed([asFolder(f, FOLDER)]), observedConfigs: new Map([['p-F', edited]]) }).changes[0]).toMatchObject({ kind: 'update', reason: 'edited in Jenkins (drift found by --verify)' });
  });

  it('a removed project: an empty folder, and a multibranch project with its branch jobs, are deleted', () => {
    const items = [asFolder(f, FOLDER), asFolder(m, MB), item('p-MB/main', { className: 'org.jenkinsci.plugins.workflow.job.WorkflowJob' }), item('p-MB/PR-1', { className: 'org.jenkinsci.plugins.workflow.job.WorkflowJob' })];
    const p = plan({ desired: desired([]), observed: observed(items), projectCount: 1, options: { allowMassDelete: true } });
    expect(kinds(p.changes)).toEqual({ 'job:p-F': ['delete'], 'job:p-MB': ['delete'] });
  });

  it('a folder that holds items jobsmith does not own is kept and reported', () => {
    const items = [asFolder(f, FOLDER), item('p-F/hand-made')];
    const p = plan({ desired: desired([]), observed: observed(items), projectCount: 1, options: { allowMassDelete: true } });
    expect(kinds(p.changes)).toEqual({ 'job:p-F': ['keep'] });
    expect(p.changes[0]!.reason).toMatch(/not deleted: it holds p-F\/hand-made, which jobsmith does not own/);
    expect(p.problems).toContainEqual(expect.objectContaining({ code: 'folder-holds-items', message: expect.stringContaining('p-F: not deleted') }));
  });

  it('a folder is deleted when what it holds goes in the same plan (its own managed jobs)', () => {
    const inner = job('p-F/p-inner', { template: 'T2' });
    const items = [asFolder(f, FOLDER), managedItem(inner)];
    const p = plan({ desired: desired([]), observed: observed(items), projectCount: 1, options: { allowMassDelete: true } });
    expect(kinds(p.changes)).toEqual({ 'job:p-F': ['delete'], 'job:p-F/p-inner': ['delete'] });
  });

  it('a multibranch project whose branch job is building is not deleted now', () => {
    const items = [asFolder(m, MB), item('p-MB/main', { building: true, color: 'blue_anime' })];
    const p = plan({ desired: desired([]), observed: observed(items), projectCount: 1, options: { allowMassDelete: true } });
    expect(p.changes[0]).toMatchObject({ kind: 'keep', reason: expect.stringContaining('a build is running inside it') });
  });

  it('the folder jobsmith made for a project goes once the multibranch project in it (and its branches) go', () => {
    const tm = folderJob('team/p-MB', MB);
    const teamMarker = formatMarker({ kind: 'folder', owner: OWNER, name: 'team', hash: 'sha256:0' });
    const items = [item('team', { className: FOLDER, isFolder: true, color: undefined, description: teamMarker } as never), asFolder(tm, MB), item('team/p-MB/main')];
    const p = plan({ desired: desired([]), observed: observed(items), projectCount: 1, options: { allowMassDelete: true } });
    expect(kinds(p.changes)).toEqual({ 'job:team/p-MB': ['delete'], 'folder:team': ['delete'] });
  });

  it('--removed disable keeps a folder-type item (a folder cannot be disabled)', () => {
    const p = plan({ desired: desired([]), observed: observed([asFolder(m, MB)]), projectCount: 1, options: { removed: 'disable' } });
    expect(p.changes[0]).toMatchObject({ kind: 'keep', reason: expect.stringContaining('a folder cannot be disabled') });
  });

  it('a type change replaces an empty or computed folder (renamed aside first), never one holding items', () => {
    const org = folderJob('p-MB', ORG);
    const p = plan({ desired: desired([org]), observed: observed([asFolder(m, MB), item('p-MB/main')]) });
    expect(p.changes[0]).toMatchObject({ kind: 'replace', via: expect.stringMatching(/^jobsmith-replaced-[0-9a-f]{12}$/) });
    const mbFromFolder = folderJob('p-F', MB);
    const held = plan({ desired: desired([mbFromFolder]), observed: observed([asFolder(f, FOLDER), item('p-F/hand-made')]) });
    expect(held.changes[0]).toMatchObject({ kind: 'keep', reason: expect.stringContaining('replacing it would delete what it holds: p-F/hand-made') });
    expect(held.problems.map((x) => x.code)).toContain('folder-holds-items');
  });

  it('--adopt takes over an unmanaged folder of the same class (children kept), never one of another class', () => {
    const plain = item('p-F', { className: FOLDER, isFolder: true, color: undefined } as never);
    expect(plan({ desired: desired([f]), observed: observed([plain, item('p-F/x')]), options: { adopt: true } }).changes[0]!.kind).toBe('adopt');
    expect(plan({ desired: desired([f]), observed: observed([plain]) }).changes[0]!.kind).toBe('conflict');
    const other = plan({ desired: desired([m]), observed: observed([item('p-MB', { className: FOLDER, isFolder: true } as never)]), options: { adopt: true } });
    expect(other.changes[0]!.kind).toBe('conflict');
  });

  it('--adopt never pushes a config of another type onto a job (Jenkins would refuse it every run)', () => {
    const pipeline = job('p-a', { rootElement: 'flow-definition' });
    const p = plan({ desired: desired([pipeline]), observed: observed([item('p-a')]), options: { adopt: true } });
    expect(p.changes[0]).toMatchObject({ kind: 'conflict', reason: expect.stringContaining('a config push cannot change the type') });
    expect(p.problems.map((x) => x.code)).toContain('adopt-type-differs');
  });

  it('apply FILE re-checks folder-type items: accepts the plan, refuses when the folder now holds an unmanaged item', () => {
    const o = observed([asFolder(f, FOLDER)]);
    const p = plan({ desired: desired([]), observed: o, projectCount: 1, options: { allowMassDelete: true } });
    const freshAgainst = (obs: typeof o) => plan({ desired: desired([]), observed: obs, projectCount: 1, options: { allowMassDelete: true } });
    expect(recheckPlan({ plan: p, fresh: freshAgainst(o), owner: OWNER, flags: { allowMassDelete: true } }).reasons).toEqual([]);
    const now = observed([asFolder(f, FOLDER), item('p-F/new-by-hand')]);
    expect(recheckPlan({ plan: p, fresh: freshAgainst(now), owner: OWNER, flags: { allowMassDelete: true } }).reasons).toEqual([expect.stringMatching(/^delete p-F: not what a plan made now would do \(a plan made now: keep \(.*p-F\/new-by-hand/)]);
  });
});

describe('a config push and the enabled state', () => {
  it('a job the definition disables is created, then disabled', () => {
    const d = job('p-a', { disabled: true });
    expect(kinds(plan({ desired: desired([d]), observed: observed([]) }).changes)).toEqual({ 'job:p-a': ['create', 'disable'] });
  });

  it('an update of a job disabled by hand (or by the definition) disables it again after the push', () => {
    const d = job('p-a', { token: 'new' });
    const before = job('p-a');
    expect(kinds(plan({ desired: desired([d]), observed: observed([managedItem(before, { disabled: true, color: 'disabled' })]) }).changes)).toEqual({ 'job:p-a': ['update', 'disable'] });
    const off = job('p-a', { token: 'new', disabled: true });
    expect(kinds(plan({ desired: desired([off]), observed: observed([managedItem(before, { disabled: true, color: 'disabled' })]) }).changes)).toEqual({ 'job:p-a': ['update', 'disable'] });
    // no push: nothing to assert again
    expect(kinds(plan({ desired: desired([before]), observed: observed([managedItem(before, { disabled: true, color: 'disabled' })]) }).changes)).toEqual({ 'job:p-a': ['unchanged'] });
  });

  it('a template that says <disabled>true</disabled> leaves the job disabled by its own push: no extra disable', () => {
    const cfg = (t: string) => `<project>\n  <disabled>true</disabled>\n  <token>${t}</token>\n</project>\n`;
    const before = job('p-a', { config: cfg('1') });
    const after = job('p-a', { config: cfg('2') });
    expect(kinds(plan({ desired: desired([after]), observed: observed([managedItem(before, { disabled: true, color: 'disabled' })]) }).changes)).toEqual({ 'job:p-a': ['update'] });
    const off = job('p-a', { config: cfg('2'), disabled: true });
    expect(kinds(plan({ desired: desired([off]), observed: observed([managedItem(before, { disabled: true, color: 'disabled' })]) }).changes)).toEqual({ 'job:p-a': ['update'] });
  });

  it('--verify does not count a disabled job as drift (disable/enable write it)', () => {
    const d = job('p-a');
    const live = pushedJobConfig(d, OWNER).replace('</project>', '  <disabled>true</disabled>\n</project>');
    expect(plan({ desired: desired([d]), observed: observed([managedItem(d, { disabled: true })]), observedConfigs: new Map([['p-a', live]]) }).changes[0]!.kind).toBe('unchanged');
  });

  it('a replacement renames the old job to a free name beside it', () => {
    const pipeline = job('team/p-a', { rootElement: 'flow-definition' });
    const old = managedItem(job('team/p-a'));
    const p = plan({ desired: desired([pipeline]), observed: observed([old]) });
    expect(p.changes[0]).toMatchObject({ kind: 'replace', via: expect.stringMatching(/^team\/jobsmith-replaced-[0-9a-f]{12}$/) });
    // the name it would take is taken: another one
    const taken = item(p.changes[0]!.via!);
    const again = plan({ desired: desired([pipeline]), observed: observed([old, taken]) });
    expect(again.changes.find((c) => c.kind === 'replace')!.via).not.toBe(p.changes[0]!.via);
  });
});

describe('views from view templates', () => {
  const config = (cols: string) => `<?xml version="1.1" encoding="UTF-8"?>\n<hudson.model.ListView>\n  <name>x</name>\n  <columns>${cols}</columns>\n</hudson.model.ListView>\n`;
  const view = (name: string, folder: string[], cols = '<hudson.views.JobColumn/>', root = 'hudson.model.ListView'): DesiredTemplateView => {
    const c = config(cols).replace(/hudson\.model\.ListView/g, root);
    return { name, folder, fullName: [...folder, name].join('/'), project: 'p', template: 'Dash', config: c, hash: sha256(c), rootElement: root, source: { file: 'jobs/p.yaml' } };
  };
  const live = (v: DesiredTemplateView, over: Partial<ObservedView> = {}): ObservedView => ({
    name: v.name,
    folder: v.folder,
    className: v.rootElement,
    jobs: [],
    description: formatMarker({ kind: 'view', owner: OWNER, name: v.fullName, project: v.project, template: v.template, hash: v.hash }),
    ...over,
  });
  const run = (views: DesiredTemplateView[], o: ObservedView[], extra: Partial<PlanInput> = {}) => plan({ desired: { ...desired([]), templateViews: views }, observed: observed([], o), ...extra });

  it('missing → created with its marker; the same → unchanged; changed → updated with its config', () => {
    const v = view('p-Dash', ['team']);
    const created = run([v], []);
    expect(created.changes[0]).toMatchObject({ kind: 'create', target: 'view', fullName: 'team/p-Dash', config: pushedViewConfig(v, OWNER), view: { name: 'p-Dash', folder: ['team'] } });
    expect(pushedViewConfig(v, OWNER)).toContain('kind=view owner=default name=team%2Fp%2DDash project=p template=Dash');
    expect(run([v], [live(v)]).changes[0]!.kind).toBe('unchanged');
    const v2 = view('p-Dash', ['team'], '<hudson.views.StatusColumn/>');
    expect(run([v2], [live(v)]).changes[0]).toMatchObject({ kind: 'update', config: pushedViewConfig(v2, OWNER) });
  });

  it('--verify: the name Jenkins writes is not drift; an edited column is', () => {
    const v = view('p-Dash', []);
    const jenkins = pushedViewConfig(v, OWNER).replace('<name>x</name>', '<name>p-Dash</name>');
    expect(run([v], [live(v)], { observedViewConfigs: new Map([['p-Dash', jenkins]]) }).changes[0]!.kind).toBe('unchanged');
    const edited = jenkins.replace('JobColumn', 'WeatherColumn');
    expect(run([v], [live(v)], { observedViewConfigs: new Map([['p-Dash', edited]]) }).changes[0]).toMatchObject({ kind: 'update', reason: 'edited in Jenkins (drift found by --verify)' });
  });

  it('no longer made → deleted; another class → replaced; unmanaged or foreign → conflict (adopt takes an unmanaged one)', () => {
    const v = view('p-Dash', []);
    expect(run([], [live(v)]).changes).toEqual([expect.objectContaining({ kind: 'delete', target: 'view', fullName: 'p-Dash' })]);
    const other = view('p-Dash', [], undefined, 'hudson.plugins.sectioned_view.SectionedView');
    expect(run([other], [live(v)]).changes[0]!.kind).toBe('replace');
    const plain = live(v, { description: 'my own view' });
    expect(run([v], [plain]).changes[0]!.kind).toBe('conflict');
    expect(run([v], [plain], { options: { adopt: true } }).changes[0]!.kind).toBe('adopt');
    const theirs = live(v, { description: formatMarker({ kind: 'view', owner: 'someone-else', name: 'p-Dash', project: 'p', template: 'Dash', hash: v.hash }) });
    expect(run([v], [theirs], { options: { adopt: true } }).changes[0]!.kind).toBe('conflict');
    expect(run([], [theirs]).changes).toEqual([]); // never deleted
    expect(run([], [plain]).changes).toEqual([]);
  });

  it('a view of the former shared owner `default` (plain directories): taken over where wanted under its name, never deleted by another owner', () => {
    const v = view('p-Dash', []);
    const shared = live(v, { description: formatMarker({ kind: 'view', owner: 'default', name: 'p-Dash', project: 'p', template: 'Dash', hash: v.hash }) });
    const owner = 'dir:/srv/a/jobs';
    const taken = run([v], [shared], { owner });
    expect(taken.changes[0]).toMatchObject({ kind: 'update', reason: 'marker of the former shared owner default now records this owner (the definitions want exactly this view)', config: pushedViewConfig(v, owner) });
    expect(run([], [shared], { owner }).changes).toEqual([]);
  });

  it('fail closed: with the definitions in error, no view is deleted', () => {
    const v = view('p-Dash', []);
    expect(run([], [live(v)], { holdDeletions: 'the definitions have errors' }).changes[0]!.kind).toBe('keep');
  });

  it('apply FILE re-checks view changes: marker, existence, owner', () => {
    const v = view('p-Dash', []);
    const p = run([v], []);
    expect(recheckPlan({ plan: p, fresh: run([v], []), owner: OWNER }).reasons).toEqual([]);
    expect(recheckPlan({ plan: p, fresh: run([v], [live(v, { description: null })]), owner: OWNER }).reasons).toEqual([expect.stringMatching(/^create view p-Dash: not what a plan made now would do \(a plan made now: conflict/)]);
    const del = run([], [live(v)]);
    expect(recheckPlan({ plan: del, fresh: run([], [live(v)]), owner: OWNER }).reasons).toEqual([]);
    expect(recheckPlan({ plan: del, fresh: run([], [live(v, { description: 'taken over by hand' })]), owner: OWNER }).reasons).toEqual(['delete view p-Dash: not what a plan made now would do (a plan made now does nothing to it)']);
  });
});
