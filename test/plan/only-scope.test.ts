import { describe, expect, it } from 'vitest';
import { makePlan } from '../../src/plan/make-plan.js';
import { NOW, desired, job, observed } from './fixtures.js';

/**
 * `--only` selects jobs (by full name or project) and with them exactly their folders and views:
 * the self-service form syncs `--only <project>`, which must make that project's folder and view
 * and nothing of the other projects.
 */
describe('--only touches exactly the selected projects: their jobs, folders and views', () => {
  const mine = [job('team-a/app/mine-Build', { project: 'mine', view: 'Mine' }), job('team-a/app/mine-Deploy', { project: 'mine', view: 'Mine' })];
  const theirs = [job('team-b/theirs-Build', { project: 'theirs', view: 'Theirs' }), job('team-a/shared-Build', { project: 'shared', view: 'Mine' })];
  const folder = (fullName: string) => ({ fullName, config: '<com.cloudbees.hudson.plugins.folder.Folder/>' });
  const state = desired([...mine, ...theirs], {
    folders: [folder('team-a'), folder('team-a/app'), folder('team-b')],
    views: [
      { name: 'Mine', folder: ['team-a', 'app'], jobs: mine.map((j) => j.fullName) },
      { name: 'Theirs', folder: ['team-b'], jobs: ['team-b/theirs-Build'] },
      { name: 'Mixed', folder: [], jobs: ['team-a/app/mine-Build', 'team-a/shared-Build'] },
    ],
  });

  it('by project name: the project\'s folders and view are created; no other project\'s', () => {
    const plan = makePlan({ desired: state, observed: observed([]), clock: NOW, branchScopes: {}, options: { only: ['mine'], removed: 'keep' } });
    const touched = plan.changes.map((c) => `${c.kind} ${c.target} ${c.fullName}`).sort();
    expect(touched).toEqual([
      'create folder team-a',
      'create folder team-a/app',
      'create job team-a/app/mine-Build',
      'create job team-a/app/mine-Deploy',
      'create view Mixed',
      'create view team-a/app/Mine',
    ]);
    // a view shared with another project gets only the selected project's jobs; a later run adds the rest
    expect(plan.changes.find((c) => c.fullName === 'Mixed')!.view!.add).toEqual(['team-a/app/mine-Build']);
    expect(plan.changes.find((c) => c.fullName === 'team-a/app/Mine')!.view!.add).toEqual(['mine-Build', 'mine-Deploy']);
  });

  it('by job glob: the same rule (folders holding a selected job)', () => {
    const plan = makePlan({ desired: state, observed: observed([]), clock: NOW, branchScopes: {}, options: { only: ['team-b/*'], removed: 'keep' } });
    expect(plan.changes.map((c) => `${c.kind} ${c.target} ${c.fullName}`).sort()).toEqual(['create folder team-b', 'create job team-b/theirs-Build', 'create view team-b/Theirs']);
  });

  it('without --only every folder and view is planned', () => {
    const plan = makePlan({ desired: state, observed: observed([]), clock: NOW, branchScopes: {}, options: { removed: 'keep' } });
    expect(plan.changes.filter((c) => c.target !== 'job').map((c) => c.fullName).sort()).toEqual(['Mixed', 'team-a', 'team-a/app', 'team-a/app/Mine', 'team-b', 'team-b/Theirs']);
  });
});

describe('--only never touches a managed job whose destination lies outside the filter', () => {
  it('a job the full plan would move (held here: the definitions have errors) is not re-disabled by a filtered run', async () => {
    const { managedItem } = await import('./fixtures.js');
    const owner = 'github.com/acme/ci-jobs';
    // ops/run was retired (gone=...) and re-enabled in Jenkins; the definitions now place project p3's T1 job at the root as Alpha
    const moved = job('ops/run', { project: 'p3', template: 'T1' });
    const observedItem = managedItem(moved, { marker: { owner, name: 'ops/run', gone: '2026-11-01T00:00:00.000Z' } });
    const d = desired([job('Alpha', { project: 'p3', template: 'T1' })]);
    const run = (only: string[]) =>
      makePlan({ desired: d, owner, observed: observed([observedItem]), clock: NOW, branchScopes: {}, holdDeletions: 'the definitions have errors', options: { removed: 'disable', only } });
    const full = run([]);
    expect(full.changes.map((c) => [c.kind, c.fullName])).toEqual([['keep', 'ops/run']]);
    const filtered = run(['ops/*']);
    // kept (said why), never disabled: the run that selects Alpha decides
    expect(filtered.changes.map((c) => [c.kind, c.fullName, c.reason])).toEqual([['keep', 'ops/run', expect.stringContaining('a filter never splits a move')]]);
    // without the hold, the full plan moves it; the filtered run still leaves it to the run that includes Alpha
    const free = makePlan({ desired: d, owner, observed: observed([observedItem]), clock: NOW, branchScopes: {}, options: { removed: 'disable', only: ['ops/*'] } });
    expect(free.changes.map((c) => [c.kind, c.fullName])).toEqual([['keep', 'ops/run']]);
  });
});
