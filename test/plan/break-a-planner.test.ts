/**
 * Break-it report A, the planner's part: findings 2 (a filter never splits a move), 3 (`--adopt`
 * never turns a move into adopt-copy + delete-original) and the truth of delete reasons. Each
 * has an end-to-end twin in test/sync/ (against the stand-in, with real git repositories).
 */
import { describe, expect, it } from 'vitest';
import { makePlan, type PlanInput } from '../../src/plan/make-plan.js';
import type { Change, ChangeKind } from '../../src/model/plan.js';
import { NOW, OWNER, desired, item, job, managedItem, observed } from './fixtures.js';
import type { ObservedView } from '../../src/model/observed.js';
import { formatMarker } from '../../src/plan/marker.js';
import { listViewConfig } from '../../src/plan/list-view-config.js';

function kinds(changes: Change[]): Record<string, ChangeKind[]> {
  const out: Record<string, ChangeKind[]> = {};
  for (const c of changes) (out[c.fullName] ??= []).push(c.kind);
  return out;
}

function plan(input: Partial<PlanInput> & Pick<PlanInput, 'desired' | 'observed'>) {
  return makePlan({ clock: NOW, branchScopes: {}, owner: OWNER, ...input });
}

const FOLDER = 'com.cloudbees.hudson.plugins.folder.Folder';
const folderItem = (name: string) => item(name, { isFolder: true, className: FOLDER, color: undefined });

describe('finding 2: --only never splits a move', () => {
  // payments moves into the folder web
  const before = [managedItem(job('pay-CI', { project: 'pay', template: 'CI' })), managedItem(job('pay-RC', { project: 'pay', template: 'RC' }))];
  const want = desired([job('web/pay-CI', { project: 'pay', template: 'CI' }), job('web/pay-RC', { project: 'pay', template: 'RC' })], { folders: [{ fullName: 'web', config: `<${FOLDER}/>` }] });

  it('unfiltered: two moves', () => {
    const p = plan({ desired: want, observed: observed(before) });
    expect(kinds(p.changes)).toEqual({ web: ['create'], 'web/pay-CI': ['move'], 'web/pay-RC': ['move'] });
  });

  it('--only the old name: the job is kept where it is (never deleted as "template no longer used")', () => {
    const p = plan({ desired: want, observed: observed(before), options: { only: ['pay-CI'] } });
    expect(p.changes.filter((c) => c.target === 'job')).toEqual([
      expect.objectContaining({ kind: 'keep', fullName: 'pay-CI', reason: 'the definitions want this job as web/pay-CI, which --only does not select: left for a run that selects both names (a filter never splits a move)' }),
    ]);
    expect(p.summary.delete).toBe(0);
  });

  it('--only the new place: the jobs are moved there (the same jobs, builds kept), never created anew beside the originals', () => {
    const p = plan({ desired: want, observed: observed(before), options: { only: ['web/**'] } });
    expect(kinds(p.changes)).toEqual({ web: ['create'], 'web/pay-CI': ['move'], 'web/pay-RC': ['move'] });
    expect(p.summary.create).toBe(1); // the folder only
    // and after it, the plain run has nothing left to delete
    const after = observed([folderItem('web'), managedItem(job('web/pay-CI', { project: 'pay', template: 'CI' })), managedItem(job('web/pay-RC', { project: 'pay', template: 'RC' }))]);
    const next = plan({ desired: desired(want.jobs), observed: after });
    expect(next.summary).toMatchObject({ delete: 0, create: 0, move: 0 });
  });
});

describe('finding 3: --adopt never takes over a move target at the cost of the original', () => {
  const original = managedItem(job('web/store', { project: 'store', template: 'P' }), { className: 'org.jenkinsci.plugins.workflow.job.WorkflowJob' });
  const want = desired([job('shop/store', { project: 'store', template: 'P', rootElement: 'flow-definition' })]);
  const copy = item('shop/store', { className: 'org.jenkinsci.plugins.workflow.job.WorkflowJob', description: original.description });

  for (const [what, occupant] of [
    ['a copy of the original (its marker)', copy],
    ['an unmanaged job', item('shop/store', { className: 'org.jenkinsci.plugins.workflow.job.WorkflowJob' })],
  ] as const) {
    it(`${what} at the move target: the move is held, --adopt or not; the original is kept`, () => {
      for (const adopt of [false, true]) {
        const p = plan({ desired: want, observed: observed([folderItem('web'), folderItem('shop'), original, occupant]), options: { adopt, allowMassDelete: true } });
        expect(kinds(p.changes)).toEqual({ 'shop/store': ['conflict'], 'web/store': ['keep'] });
        expect(p.changes.find((c) => c.fullName === 'web/store')!.reason).toBe('not deleted: the job that replaces it, shop/store, cannot be made (its name is taken)');
        if (adopt) {
          expect(p.changes.find((c) => c.fullName === 'shop/store')!.reason).toMatch(/has this name, where web\/store moves to; not taken over by --adopt \(that would lose web\/store's builds\): delete or rename it, then sync$/);
          expect(p.problems).toContainEqual(expect.objectContaining({ code: 'move-target-taken', severity: 'error', category: 'input' }));
        }
      }
    });
  }

  it('without a job to move there, --adopt still takes over an item at a desired name', () => {
    const p = plan({ desired: want, observed: observed([folderItem('shop'), item('shop/store', { className: 'org.jenkinsci.plugins.workflow.job.WorkflowJob' })]), options: { adopt: true } });
    expect(kinds(p.changes)).toEqual({ 'shop/store': ['adopt'] });
  });
});

describe('delete reasons are true', () => {
  it('a second managed job of an identity the definitions make elsewhere is not "template no longer used"', () => {
    const a = job('pay-CI', { project: 'pay', template: 'CI' });
    const p = plan({ desired: desired([a]), observed: observed([managedItem(a), managedItem(job('old-pay-CI', { project: 'pay', template: 'CI' }))]), options: { allowMassDelete: true } });
    expect(p.changes.find((c) => c.fullName === 'old-pay-CI')).toMatchObject({ kind: 'delete', reason: 'a second job of pay / CI: the definitions make it as pay-CI' });
  });

  it('"template X is no longer used" only when the project uses it nowhere', () => {
    const p = plan({ desired: desired([job('pay-CI', { project: 'pay', template: 'CI' })]), observed: observed([managedItem(job('pay-CI', { project: 'pay', template: 'CI' })), managedItem(job('pay-RC', { project: 'pay', template: 'RC' }))]), options: { allowMassDelete: true } });
    expect(p.changes.find((c) => c.fullName === 'pay-RC')).toMatchObject({ kind: 'delete', reason: 'template RC is no longer used by project pay' });
  });
});

describe('finding 6: a branch job and a job of the definitions are two jobs, never one re-rendered as the other', () => {
  const branchJob = job('pay-CI-branch-main', { project: 'pay', template: 'CI-branch', branch: 'main' });
  const toolJob = job('pay-CI-branch-main', { project: 'pay', template: 'Tool', token: 'tool' });

  it('a job of the definitions at a branch job\'s name: a conflict and an input error; the branch job is neither updated nor deleted', () => {
    const p = plan({ desired: desired([toolJob]), observed: observed([managedItem(branchJob)]), branchScopes: { pay: { status: 'failed', keepDays: 3, collision: 'definitions', detail: 'x' } } });
    expect(p.changes.map((c) => [c.kind, c.fullName, c.reason])).toEqual([['conflict', 'pay-CI-branch-main', 'the job of branch main of project pay has this name; not taken over (its builds are its own)']]);
    expect(p.problems).toEqual([expect.objectContaining({ severity: 'error', category: 'input', code: 'branch-job-conflict', message: 'pay-CI-branch-main: the job of branch main of project pay has this name, so this job of pay / Tool is not made: give it another name (job:)' })]);
  });

  it('a branch job at the name of a job that is not a branch job: a conflict too (its builds are not handed to the branch)', () => {
    const p = plan({ desired: desired([branchJob]), observed: observed([managedItem(toolJob)]), branchScopes: { pay: { status: 'ok', keepDays: 3, listed: 1 } } });
    expect(p.changes.map((c) => [c.kind, c.fullName])).toEqual([['conflict', 'pay-CI-branch-main']]);
    expect(p.problems.map((x) => x.message)).toEqual(['pay-CI-branch-main: a job of pay / Tool that is not a branch job has this name, so the job of branch main is not made: delete or rename pay-CI-branch-main in Jenkins']);
  });

  it('the same job re-rendered from another template (no branch on either side) is still an update', () => {
    const p = plan({ desired: desired([toolJob]), observed: observed([managedItem(job('pay-CI-branch-main', { project: 'pay', template: 'Old' }))]) });
    expect(p.changes.map((c) => [c.kind, c.reason])).toEqual([['update', 'now rendered from pay / Tool (was pay / Old)']]);
  });
});

describe('finding 7: a folder goes only when nothing a person added is in it or on it', () => {
  const teamFolder = item('team', { isFolder: true, className: FOLDER, color: undefined, description: formatMarker({ kind: 'folder', owner: OWNER, name: 'team', hash: 'sha256:0' }) });
  const gone = managedItem(job('team/x-CI', { project: 'x', template: 'CI' }));
  const view = (name: string, className = 'hudson.model.ListView') => ({ name, folder: ['team'], className, jobs: [], description: null });
  const run = (views: ObservedView[], extra: Partial<PlanInput> = {}) =>
    plan({ desired: desired([job('a-CI', { project: 'a', template: 'CI' })]), observed: observed([teamFolder, gone, managedItem(job('a-CI', { project: 'a', template: 'CI' }))], views), projectCount: 1, options: { allowMassDelete: true }, ...extra });
  const folderChange = (p: ReturnType<typeof run>) => p.changes.filter((c) => c.target === 'folder').map((c) => [c.kind, c.reason]);

  it('Jenkins\' All view does not hold it; any other view does, unless its config is exactly a definition\'s list view', () => {
    expect(folderChange(run([view('All', 'hudson.model.AllView')]))).toEqual([['delete', 'folder no longer needed and empty after this run']]);
    expect(folderChange(run([view('Mine')]))).toEqual([['keep', 'folder no longer needed, but it holds view team/Mine, which jobsmith does not delete']]);
    const configs = new Map([['team/Mine', listViewConfig('Mine', ['x-CI'])]]);
    expect(folderChange(run([view('Mine')], { folderViewConfigs: configs }))).toEqual([['delete', 'folder no longer needed and empty after this run']]);
    const edited = new Map([['team/Mine', listViewConfig('Mine', []).replace('<hudson.views.WeatherColumn/>', '')]]);
    expect(folderChange(run([view('Mine')], { folderViewConfigs: edited }))[0]![0]).toBe('keep');
  });

  it('its config, when read: a description or folder properties keep it; an unreadable one keeps it this run', () => {
    const pushed = `<?xml version='1.1' encoding='UTF-8'?>\n<com.cloudbees.hudson.plugins.folder.Folder>\n  <description>${formatMarker({ kind: 'folder', owner: OWNER, name: 'team', hash: 'sha256:0' }).replace(/</g, '&lt;').replace(/>/g, '&gt;')}</description>\n  <properties/>\n  <folderViews/>\n</com.cloudbees.hudson.plugins.folder.Folder>\n`;
    expect(folderChange(run([], { observedFolderConfigs: new Map([['team', pushed]]) }))[0]![0]).toBe('delete');
    const props = pushed.replace('<properties/>', '<properties><org.jenkinsci.plugins.envinject.EnvInjectFolderProperty/></properties>');
    expect(folderChange(run([], { observedFolderConfigs: new Map([['team', props]]) }))).toEqual([['keep', 'folder no longer needed, but it was configured in Jenkins since jobsmith made it (folder properties (EnvInjectFolderProperty))']]);
    expect(folderChange(run([], { observedFolderConfigs: new Map() }))).toEqual([['keep', 'folder no longer needed, but it was configured in Jenkins since jobsmith made it (its config could not be read: kept this run)']]);
  });

  it('a folder-type item made from a template holding a person\'s view is kept too; a multibranch project\'s views are its own', () => {
    const f = job('p-F', { project: 'p', template: 'F', rootElement: FOLDER });
    const asFolder = managedItem(f, { className: FOLDER, isFolder: true, color: undefined } as never);
    const p1 = plan({ desired: desired([]), observed: observed([asFolder], [{ name: 'Mine', folder: ['p-F'], className: 'hudson.model.ListView', jobs: [] }]), projectCount: 1, options: { allowMassDelete: true } });
    expect(p1.changes.map((c) => [c.kind, c.fullName])).toEqual([['keep', 'p-F']]);
    const MB = 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject';
    const mb = managedItem(job('p-MB', { project: 'p', template: 'MB', rootElement: MB }), { className: MB, isFolder: true, color: undefined } as never);
    const p2 = plan({ desired: desired([]), observed: observed([mb], [{ name: 'Branches', folder: ['p-MB'], className: 'jenkins.branch.MultiBranchProjectViewHolder$ViewImpl', jobs: [] }]), projectCount: 1, options: { allowMassDelete: true } });
    expect(p2.changes.map((c) => [c.kind, c.fullName])).toEqual([['delete', 'p-MB']]);
  });
});
