/**
 * The plan's part of issue 19: which deletes archive first (decided here, recorded in the Plan so
 * a saved plan applies as recorded), who opts out, and what a saved plan may say about it.
 */
import { describe, expect, it } from 'vitest';
import type { ArchivePolicy } from '../../src/model/plan.js';
import { makePlan } from '../../src/plan/make-plan.js';
import { formatPlanText } from '../../src/plan/print-text.js';
import { serializePlan } from '../../src/plan/saved-plan.js';
import { parseSavedPlan } from '../../src/plan/saved-plan-schema.js';
import { NOW, desired, job, managedItem, observed } from './fixtures.js';

const policy: ArchivePolicy = { dir: '/srv/relics', maxArtifactsMb: 100, onCap: 'list', concurrency: 4 };
const keep = job('pay-trunk', { project: 'pay' });
const removedTemplate = job('pay-old', { project: 'pay', template: 'Old' });
const removedProject = job('gone-trunk', { project: 'gone' });
const branchGone = job('pay-feature-x', { project: 'pay', template: 'B', branch: 'feature/x' });
const retyped = job('pay-pipe', { project: 'pay', template: 'P', rootElement: 'flow-definition' });
const obs = observed([
  managedItem(keep),
  managedItem(removedTemplate),
  managedItem(removedProject),
  managedItem(branchGone, { disabled: true, marker: { gone: '2026-11-20T10:00:00.000Z' } }),
  managedItem(job('pay-pipe', { project: 'pay', template: 'P' })),
]);
const scopes = { pay: { status: 'ok' as const, keepDays: 0, listed: 1 } };
const archiveOf = (p: ReturnType<typeof makePlan>) => Object.fromEntries(p.changes.filter((c) => c.target === 'job' && c.kind !== 'unchanged').map((c) => [c.fullName, `${c.kind}:${c.archive ?? '-'}`]));

describe('archive first (src/plan/rules/archive-first.ts)', () => {
  it('with an archive, every job delete and replacement archives first; nothing else does; the policy is in the plan', () => {
    const p = makePlan({ desired: desired([keep, retyped]), observed: obs, clock: NOW, branchScopes: scopes, options: { archive: policy, allowMassDelete: true } });
    expect(archiveOf(p)).toEqual({
      'pay-old': 'delete:first',
      'gone-trunk': 'delete:first',
      'pay-feature-x': 'delete:first',
      'pay-pipe': 'replace:first',
    });
    expect(p.archive).toEqual(policy);
    expect(formatPlanText(p)).toContain('  - delete    gone-trunk  (project gone is no longer in the definitions; builds archived first)');
  });

  it('without an archive nothing is marked and the plan records none', () => {
    const p = makePlan({ desired: desired([keep, retyped]), observed: obs, clock: NOW, branchScopes: scopes, options: { allowMassDelete: true } });
    expect(Object.values(archiveOf(p)).every((v) => v.endsWith(':-'))).toBe(true);
    expect(p.archive).toBeUndefined();
    expect(formatPlanText(p)).not.toContain('archived');
  });

  it('archive: false opts a project out; in its branches block only its branch jobs; other projects are archived', () => {
    const project = makePlan({ desired: { ...desired([keep, retyped]), archiveOptOut: { projects: ['pay'], branches: [] } }, observed: obs, clock: NOW, branchScopes: scopes, options: { archive: policy, allowMassDelete: true } });
    expect(archiveOf(project)).toEqual({ 'pay-old': 'delete:opted-out', 'gone-trunk': 'delete:first', 'pay-feature-x': 'delete:opted-out', 'pay-pipe': 'replace:opted-out' });
    const branches = makePlan({ desired: { ...desired([keep, retyped]), archiveOptOut: { projects: [], branches: ['pay'] } }, observed: obs, clock: NOW, branchScopes: scopes, options: { archive: policy, allowMassDelete: true } });
    expect(archiveOf(branches)).toEqual({ 'pay-old': 'delete:first', 'gone-trunk': 'delete:first', 'pay-feature-x': 'delete:opted-out', 'pay-pipe': 'replace:first' });
    expect(formatPlanText(branches)).toContain('  - delete    pay-feature-x  (branch feature/x gone since 2026-11-20T10:00:00.000Z, keep_days 0 passed; not archived: archive: false)');
  });

  it('held deletes (fail closed) are not marked: nothing is deleted, nothing archived', () => {
    const p = makePlan({ desired: desired([keep, retyped]), observed: obs, clock: NOW, branchScopes: scopes, holdDeletions: 'the definitions have errors', options: { archive: policy } });
    expect(p.changes.filter((c) => c.archive !== undefined && c.kind !== 'replace')).toEqual([]);
  });

  it('a saved plan keeps the policy and the marks; a saved plan with a bad archive section is refused', () => {
    const p = { ...makePlan({ desired: desired([keep, retyped]), observed: obs, clock: NOW, branchScopes: scopes, options: { archive: policy, allowMassDelete: true } }), basis: { revision: null, inputsHash: 'sha256:x', observedFingerprint: 'sha256:y' } };
    const back = parseSavedPlan(serializePlan(p));
    expect(back.archive).toEqual(policy);
    expect(back.changes.filter((c) => c.archive === 'first').map((c) => c.fullName).sort()).toEqual(['gone-trunk', 'pay-feature-x', 'pay-old', 'pay-pipe']);
    const bad = (archive: unknown) => serializePlan({ ...p, archive } as never);
    expect(() => parseSavedPlan(bad({ ...policy, dir: 'relative/dir' }))).toThrow('archive.dir: must be an absolute directory path');
    expect(() => parseSavedPlan(bad({ ...policy, onCap: 'maybe' }))).toThrow('archive.onCap:');
    expect(() => parseSavedPlan(bad({ ...policy, concurrency: 0 }))).toThrow('archive.concurrency:');
    expect(() => parseSavedPlan(bad(undefined))).toThrow('archive: archives first, but the plan has no archive settings');
    const marked = JSON.parse(serializePlan(p));
    marked.changes[0].archive = 'later';
    expect(() => parseSavedPlan(JSON.stringify(marked))).toThrow('changes[0].archive:');
  });
});
