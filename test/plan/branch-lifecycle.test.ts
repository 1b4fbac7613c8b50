import { describe, expect, it } from 'vitest';
import { makePlan } from '../../src/plan/make-plan.js';
import { readDescription } from '../../src/plan/config-description.js';
import { parseMarker } from '../../src/plan/marker.js';
import type { BranchScope } from '../../src/plan/rules/branch-grace.js';
import { clockAt, desired, item, job, managedItem, observed } from './fixtures.js';

const trunk = job('pay-ci', { project: 'pay' });
const fx = job('pay-feature-x', { project: 'pay', branch: 'feature/x', template: 'B' });
const fy = job('pay-feature-y', { project: 'pay', branch: 'feature/y', template: 'B' });
const ok = (keepDays: number, extra: Partial<BranchScope> = {}): Record<string, BranchScope> => ({ pay: { status: 'ok', keepDays, ...extra } });
const T0 = '2026-11-20T12:00:00.000Z';

function run(now: string, d: ReturnType<typeof job>[], o: ReturnType<typeof item>[], scopes: Record<string, BranchScope> | undefined) {
  return makePlan({ desired: desired(d), observed: observed(o), clock: clockAt(now), ...(scopes ? { branchScopes: scopes } : {}) });
}
const onlyFx = (p: ReturnType<typeof run>) => p.changes.filter((c) => c.fullName === 'pay-feature-x');

describe('branch job lifecycle (injected clock)', () => {
  it('new branch → create; present → unchanged', () => {
    expect(onlyFx(run(T0, [trunk, fx, fy], [], ok(3)))[0]!.kind).toBe('create');
    expect(onlyFx(run(T0, [trunk, fx, fy], [managedItem(fx)], ok(3)))[0]!.kind).toBe('unchanged');
  });

  it('branch gone → disabled at once with gone=now recorded (retire)', () => {
    const c = onlyFx(run(T0, [trunk, fy], [managedItem(fx), managedItem(fy)], ok(3)));
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ kind: 'disable', retire: T0, branch: 'feature/x' });
  });

  it('within keep_days → kept (disabled); re-enabled in Jenkins → disabled again', () => {
    const gone = managedItem(fx, { disabled: true, marker: { gone: T0 } });
    const c = onlyFx(run('2026-11-23T11:59:59.999Z', [trunk, fy], [gone, managedItem(fy)], ok(3)));
    expect(c[0]).toMatchObject({ kind: 'keep' });
    expect(c[0]!.reason).toContain('deleted after 2026-11-23T12:00:00.000Z');
    const reenabled = managedItem(fx, { disabled: false, marker: { gone: T0 } });
    expect(onlyFx(run('2026-11-21T00:00:00.000Z', [trunk, fy], [reenabled, managedItem(fy)], ok(3)))[0]!.kind).toBe('disable');
  });

  it('a branch dropped by the cap is torn down like a gone one, but says so', () => {
    const capped = ok(3, { cap: { max: 1, dropped: ['feature/x'] } });
    const c = onlyFx(run(T0, [trunk, fy], [managedItem(fx), managedItem(fy)], capped));
    expect(c[0]).toMatchObject({ kind: 'disable', retire: T0, reason: 'branch feature/x exists but is dropped by the cap (max 1): disabled, deleted after 3 day(s)' });
    const retired = managedItem(fx, { disabled: true, marker: { gone: T0 } });
    expect(onlyFx(run('2026-11-21T00:00:00.000Z', [trunk, fy], [retired, managedItem(fy)], capped))[0]).toMatchObject({
      kind: 'keep',
      reason: `branch feature/x exists but is dropped by the cap (max 1); retired ${T0}, deleted after 2026-11-23T12:00:00.000Z`,
    });
    expect(onlyFx(run('2026-11-23T12:00:00.000Z', [trunk, fy], [retired, managedItem(fy)], capped))[0]).toMatchObject({ kind: 'delete', reason: expect.stringContaining('dropped by the cap (max 1); retired') });
    expect(onlyFx(run(T0, [trunk, fy], [managedItem(fx), managedItem(fy)], ok(0, { cap: { max: 1, dropped: ['feature/x'] } })))[0]).toMatchObject({ kind: 'delete', reason: 'branch feature/x exists but is dropped by the cap (max 1) (keep_days 0)' });
    // a branch not in the cap's list is gone
    expect(onlyFx(run(T0, [trunk, fy], [managedItem(fx), managedItem(fy)], ok(3, { cap: { max: 1, dropped: ['feature/z'] } })))[0]!.reason).toBe('branch feature/x is gone: disabled, deleted after 3 day(s)');
  });

  it('keep_days passed → delete (exactly at the boundary)', () => {
    const gone = managedItem(fx, { disabled: true, marker: { gone: T0 } });
    expect(onlyFx(run('2026-11-23T12:00:00.000Z', [trunk, fy], [gone, managedItem(fy)], ok(3)))[0]!.kind).toBe('delete');
  });

  it('keep_days 0 → delete at the first sync that sees it gone', () => {
    expect(onlyFx(run(T0, [trunk, fy], [managedItem(fx), managedItem(fy)], ok(0)))[0]!.kind).toBe('delete');
  });

  it('running build → never deleted: disabled (and retired) now, deleted later', () => {
    const c = onlyFx(run(T0, [trunk, fy], [managedItem(fx, { building: true }), managedItem(fy)], ok(0)));
    expect(c[0]).toMatchObject({ kind: 'disable', retire: T0, building: true });
    const due = managedItem(fx, { building: true, disabled: true, marker: { gone: T0 } });
    expect(onlyFx(run('2026-12-01T00:00:00.000Z', [trunk, fy], [due, managedItem(fy)], ok(3)))[0]!.kind).toBe('keep');
  });

  it('branch comes back within grace → update (marker cleared) + enable', () => {
    const gone = managedItem(fx, { disabled: true, marker: { gone: T0 } });
    const c = onlyFx(run('2026-11-21T00:00:00.000Z', [trunk, fx, fy], [gone, managedItem(fy)], ok(3)));
    expect(c.map((x) => x.kind)).toEqual(['update', 'enable']);
    expect(c[0]!.reason).toBe('branch feature/x is back');
    expect(parseMarker(readDescription(c[0]!.config!))?.gone).toBeUndefined();
  });

  it('failed listing → touch nothing for that project, report it, other projects still planned', () => {
    const other = job('web-feature-z', { project: 'web', branch: 'feature/z' });
    const p = makePlan({
      desired: desired([trunk]),
      observed: observed([managedItem(fx), managedItem(fy, { disabled: true, marker: { gone: T0 } }), managedItem(other)]),
      clock: clockAt('2027-01-01T00:00:00.000Z'),
      branchScopes: { pay: { status: 'failed', keepDays: 0, detail: 'remote unreachable' }, web: { status: 'ok', keepDays: 0, listed: 4 } },
    });
    const by = Object.fromEntries(p.changes.map((c) => [c.fullName, c.kind]));
    expect(by).toEqual({ 'pay-ci': 'create', 'pay-feature-x': 'keep', 'pay-feature-y': 'keep', 'web-feature-z': 'delete' });
    expect(p.problems).toEqual([expect.objectContaining({ code: 'branch-listing', category: 'external', project: 'pay', severity: 'error' })]);
    expect(p.problems[0]!.message).toContain('remote unreachable');
  });

  it('empty listing where branch jobs exist → touch nothing, report it', () => {
    const p = run(T0, [trunk], [managedItem(fx), managedItem(fy)], ok(0, { listed: 0 }));
    expect(p.changes.filter((c) => c.branch).map((c) => c.kind)).toEqual(['keep', 'keep']);
    expect(p.problems[0]!.message).toContain('empty');
    // without a listed count, "no desired branch jobs at all" counts as empty too
    expect(run(T0, [trunk], [managedItem(fx)], ok(0)).changes.find((c) => c.branch)!.kind).toBe('keep');
  });

  it('branch detection not run at all → branch jobs held', () => {
    expect(onlyFx(run(T0, [trunk], [managedItem(fx)], undefined))[0]!.kind).toBe('keep');
  });

  it('project dropped its branches section → branch jobs removed like other jobs', () => {
    expect(onlyFx(run(T0, [trunk], [managedItem(fx)], {}))[0]).toMatchObject({ kind: 'delete', reason: 'project pay no longer makes branch jobs' });
  });
});
