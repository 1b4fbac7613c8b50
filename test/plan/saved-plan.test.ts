import { describe, expect, it } from 'vitest';
import { makePlan } from '../../src/plan/make-plan.js';
import { observedFingerprint } from '../../src/plan/observed-fingerprint.js';
import { SavedPlanError, serializePlan, staleness } from '../../src/plan/saved-plan.js';
import { parseSavedPlan } from '../../src/plan/saved-plan-schema.js';
import { formatPlanText } from '../../src/plan/print-text.js';
import { planToJson } from '../../src/plan/print-json.js';
import { configDiff } from '../../src/plan/print-diff.js';
import { NOW, desired, item, job, managedItem, observed } from './fixtures.js';

const a = job('p-a');
const b = job('p-b', { token: 'new' });
const old = job('p-old', { project: 'gone' });
const obs = observed([managedItem(job('p-b')), managedItem(old), item('theirs', { color: 'blue' })]);
const plan = makePlan({ desired: desired([a, b]), observed: obs, clock: NOW, branchScopes: {} });

describe('saved plan', () => {
  it('round-trips through the file format, configs included', () => {
    const withBasis = { ...plan, basis: { revision: 'abc', inputsHash: 'sha256:1', observedFingerprint: observedFingerprint(obs, plan.changes) } };
    const back = parseSavedPlan(serializePlan(withBasis));
    expect(back).toEqual(withBasis);
    expect(back.changes.find((c) => c.kind === 'create')!.config).toContain('jobsmith:v2');
  });

  it('rejects other files with a clear message', () => {
    expect(() => parseSavedPlan('{')).toThrow(SavedPlanError);
    expect(() => parseSavedPlan('{"format":"terraform"}')).toThrow(/not a jobsmith plan/);
    expect(() => parseSavedPlan(JSON.stringify({ ...plan, version: 2 }))).toThrow(/unsupported plan version 2/);
    expect(() => parseSavedPlan(JSON.stringify(plan))).toThrow(/no basis/);
  });

  it('is checked against the schema, not cast: every mistake named with its path, all at once', () => {
    const basis = { revision: 'abc', inputsHash: 'sha256:1', observedFingerprint: 'sha256:2' };
    const good = JSON.parse(serializePlan({ ...plan, basis })) as Record<string, unknown> & { changes: Array<Record<string, unknown>> };
    const bad = structuredClone(good);
    bad.changes[0]!.kind = 'obliterate';
    delete bad.changes[1]!.config;
    bad.changes.push({ target: 'job', fullName: 'x', kind: 'move', reason: 'r', config: '<project/>' });
    bad.managedCount = -1;
    (bad as Record<string, unknown>).refused = 'no';
    let msg = '';
    try {
      parseSavedPlan(JSON.stringify(bad));
    } catch (e) {
      expect(e).toBeInstanceOf(SavedPlanError);
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/^the plan file does not match the plan format \(version 1\):/);
    expect(msg).toMatch(/changes\[0\]\.kind: /);
    expect(msg).toContain('changes[1].config: create needs the config it writes');
    expect(msg).toContain('changes[3].from: a move needs the name it moves from');
    expect(msg).toMatch(/managedCount: /);
    expect(msg).toMatch(/refused: /);
    // the counts come from the changes, whatever the file says
    const lying = structuredClone(good);
    lying.summary = { ...(good.summary as Record<string, number>), delete: 0, create: 9 };
    lying.changes.push({ target: 'job', fullName: 'precious', kind: 'delete', reason: 'x' });
    const back = parseSavedPlan(JSON.stringify(lying));
    expect(back.summary).toMatchObject({ create: 1, delete: 2 });
  });

  it('fingerprint: build results do not matter; names, markers, disabled flags and builds on deleted jobs do', () => {
    const fp = observedFingerprint(obs, plan.changes);
    const recolored = observed(obs.items.map((i) => ({ ...i, color: 'red' })));
    expect(observedFingerprint(recolored, plan.changes)).toBe(fp);
    const building = observed(obs.items.map((i) => (i.fullName === 'theirs' ? { ...i, building: true } : i)));
    expect(observedFingerprint(building, plan.changes)).toBe(fp); // not a job the plan deletes
    const deletedBuilding = observed(obs.items.map((i) => (i.fullName === 'p-old' ? { ...i, building: true } : i)));
    expect(observedFingerprint(deletedBuilding, plan.changes)).not.toBe(fp);
    expect(observedFingerprint(observed([...obs.items, item('new')]), plan.changes)).not.toBe(fp);
    expect(observedFingerprint(observed(obs.items.map((i) => ({ ...i, disabled: true }))), plan.changes)).not.toBe(fp);
    expect(observedFingerprint(observed(obs.items.map((i) => (i.fullName === 'p-b' ? { ...i, description: 'edited' } : i))), plan.changes)).not.toBe(fp);
  });

  it('staleness names what changed', () => {
    const basis = { revision: 'r1', inputsHash: 'h1', observedFingerprint: 'f1' };
    expect(staleness(basis, { ...basis })).toEqual([]);
    expect(staleness(basis, { ...basis, revision: 'r2' })[0]).toMatch(/revision changed \(r1 → r2\)/);
    expect(staleness(basis, { ...basis, inputsHash: 'h2' })).toEqual(['the template or definition files changed']);
    expect(staleness(basis, { ...basis, observedFingerprint: 'f2' })).toEqual(['Jenkins changed since the plan was made']);
  });
});

describe('printing', () => {
  it('text: one line per change with reason, unchanged only counted, summary line', () => {
    const text = formatPlanText(plan);
    expect(text).toContain('  + create    p-a  (new job from p / T)');
    expect(text).toMatch(/~ update\s+p-b\s+\(rendered config changed/);
    expect(text).toContain('  - delete    p-old  (project gone is no longer in the definitions)');
    expect(text).toContain('Plan: 1 to create, 1 to update, 0 to disable, 1 to delete, 0 unchanged.');
    expect(text).not.toContain('theirs');
    const same = makePlan({ desired: desired([a]), observed: observed([managedItem(a)]), clock: NOW });
    expect(formatPlanText(same)).toContain('No changes: Jenkins matches the definitions.');
    expect(formatPlanText(same, { verbose: true })).toContain('= unchanged p-a');
  });

  it('JSON leaves config bodies out unless asked', () => {
    const j = planToJson(plan) as { changes: Array<Record<string, unknown>> };
    expect(j.changes.every((c) => !('config' in c))).toBe(true);
    expect(JSON.stringify(planToJson(plan, { includeConfigs: true }))).toContain('jobsmith:v2');
  });

  it('diff shows the XML change of an update', () => {
    const upd = plan.changes.find((c) => c.kind === 'update')!;
    const d = configDiff(upd, job('p-b').config);
    expect(d).toContain('-  <token>x</token>');
    expect(d).toContain('+  <token>new</token>');
  });
});
