/**
 * A list view gets only jobs that exist after the run: Jenkins refuses to add an unknown item to a
 * view (`addJobToView`: "Query parameter 'name' does not correspond to a known item"), so a desired
 * job that this run does not make (its move waits for a running build) is added by a later run.
 * Found by the plan-safety property test (a view update failing at every sync until the build ended).
 */
import { describe, expect, it } from 'vitest';
import { makePlan } from '../../src/plan/make-plan.js';
import { desired, item, job, managedItem, NOW, observed } from './fixtures.js';

describe('list views and jobs that do not exist yet', () => {
  const renamed = job('new-name', { view: 'team-view' });
  const other = job('other', { view: 'team-view', template: 'T2' });
  // the job renamed by the definitions is building: its move waits, so new-name does not exist this run
  const old = managedItem(renamed, { fullName: 'old-name', building: true });
  const state = (views: Parameters<typeof observed>[1]) =>
    makePlan({ clock: NOW, desired: desired([renamed, other], { views: [{ name: 'team-view', folder: [], jobs: ['new-name', 'other'] }] }), observed: observed([old, managedItem(other)], views) });

  it('an existing view is not asked to add a job whose move waits for a build', () => {
    const plan = state([{ name: 'team-view', folder: [], className: 'hudson.model.ListView', jobs: ['other'], description: null }]);
    expect(plan.changes.find((c) => c.fullName === 'old-name')?.code).toBe('move-waits-for-build');
    const view = plan.changes.find((c) => c.target === 'view')!;
    expect(view.kind).toBe('unchanged');
  });

  it('a new view lists only the jobs that exist after the run', () => {
    const plan = state([]);
    const view = plan.changes.find((c) => c.target === 'view')!;
    expect(view.kind).toBe('create');
    expect(view.view?.add).toEqual(['other']);
  });

  it('a job created in the same run is added', () => {
    const fresh = job('fresh', { view: 'team-view', template: 'T3' });
    const plan = makePlan({ clock: NOW, desired: desired([fresh], { views: [{ name: 'team-view', folder: [], jobs: ['fresh'] }] }), observed: observed([item('unrelated')], [{ name: 'team-view', folder: [], className: 'hudson.model.ListView', jobs: [], description: null }]) });
    expect(plan.changes.find((c) => c.fullName === 'fresh')?.kind).toBe('create');
    expect(plan.changes.find((c) => c.target === 'view')?.view?.add).toEqual(['fresh']);
  });
});
