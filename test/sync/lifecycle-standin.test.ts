import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { kindsOf, makeEnv, planned, project, type Env } from './harness.js';
import { planSync } from '../../src/sync/plan-sync.js';
import { workspaceSource } from '../../src/sync/workspace-source.js';
import { applySavedPlan, planBasis } from '../../src/sync/saved-plan-io.js';
import { serializePlan } from '../../src/plan/saved-plan.js';
import { parseSavedPlan } from '../../src/plan/saved-plan-schema.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function waitFor(cond: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}

describe('lifecycle against the stand-in', () => {
  it('running build → disabled now, deleted by a later sync once it finished', async () => {
    env = await makeEnv({ buildDurationMs: 1_500 });
    await env.writeProject('pay', project('a'));
    await env.writeProject('old', project('b'));
    await env.sync();
    await env.api.build('old-CI-build-trunk');
    const e = env;
    await waitFor(async () => (await e.api.list()).items.some((i) => i.fullName === 'old-CI-build-trunk' && i.building));
    await env.removeProject('old');
    const first = await env.sync();
    expect(kindsOf(first)['job:old-CI-build-trunk']).toEqual(['disable']);
    const item = (await env.api.list()).items.find((i) => i.fullName === 'old-CI-build-trunk')!;
    expect(item.disabled).toBe(true);
    expect(item.building).toBe(true); // the build was not aborted
    const second = await env.sync();
    expect(kindsOf(second)['job:old-CI-build-trunk']).toEqual(['keep']);
    await waitFor(async () => !(await e.api.list()).items.some((i) => i.fullName === 'old-CI-build-trunk' && i.building));
    const third = await env.sync();
    expect(kindsOf(third)['job:old-CI-build-trunk']).toEqual(['delete']);
    expect((await env.api.list()).items.map((i) => i.fullName)).toEqual(['pay-CI-build-trunk']);
  });

  it('folders are created first, views get their jobs; folder removed only when empty', async () => {
    env = await makeEnv();
    await env.writeProject('pay', project('a', 'folder: team/backend\nview: Payments\n'));
    await env.writeProject('web', project('b', 'folder: team\n'));
    const o = planned(await env.sync());
    expect(o.applied!.failed).toEqual([]);
    const listing = await env.api.list();
    expect(listing.items.map((i) => `${i.fullName}${i.isFolder ? '/' : ''}`).sort()).toEqual(['team/', 'team/backend/', 'team/backend/pay-CI-build-trunk', 'team/web-CI-build-trunk']);
    const views = await env.api.listViews('team/backend');
    const pv = views.find((v) => v.name === 'Payments')!;
    expect(pv.className).toBe('hudson.model.ListView');
    expect(pv.jobs.map((j) => j.replace(/^team\/backend\//, ''))).toEqual(['pay-CI-build-trunk']);
    env.standin.resetCounts();
    const again = planned(await env.sync());
    expect(again.plan.summary.create + again.plan.summary.update + again.plan.summary.delete).toBe(0);
    expect(env.counts()).toEqual({ 'GET api/json': 1 });
    // remove pay: its job goes; team/backend (created by jobsmith) is empty afterwards and goes too; team stays (holds web)
    await env.removeProject('pay');
    const rm = planned(await env.sync());
    expect(kindsOf(rm)).toMatchObject({ 'job:team/backend/pay-CI-build-trunk': ['delete'], 'folder:team/backend': ['delete'], 'folder:team': ['unchanged'] });
    expect((await env.api.list()).items.map((i) => i.fullName).sort()).toEqual(['team', 'team/web-CI-build-trunk']);
  });

  it('saved plan applies when nothing moved, and is refused (changing nothing) when Jenkins or the definitions changed', async () => {
    env = await makeEnv();
    await env.writeProject('pay', project('a'));
    const dirs = { templatesDir: env.templatesDir, jobsDir: env.jobsDir };
    const make = async () => {
      const o = await planSync({ api: env!.api, source: workspaceSource({ ...dirs, branches: false }) });
      if (o.status !== 'planned') throw new Error('invalid');
      o.plan.basis = await planBasis(dirs, o.observed, o.plan);
      return parseSavedPlan(serializePlan(o.plan));
    };
    const p1 = await make();
    await env.api.createJob('someone-else', '<project/>');
    expect(await applySavedPlan(env.api, p1, dirs)).toEqual({ status: 'stale', reasons: ['Jenkins changed since the plan was made'] });
    expect((await env.api.list()).items.map((i) => i.fullName)).toEqual(['someone-else']);
    const p2 = await make();
    await writeFile(path.join(env.jobsDir, 'pay.yaml'), project('changed'));
    const stale = await applySavedPlan(env.api, p2, dirs);
    expect(stale).toEqual({ status: 'stale', reasons: ['the template or definition files changed'] });
    const p3 = await make();
    const ok = await applySavedPlan(env.api, p3, dirs);
    expect(ok.status).toBe('applied');
    expect((await env.api.getConfig('pay-CI-build-trunk'))).toContain('changed');
  });

  it('--verify reports a UI edit as drift and repairs it; the re-serialised copy alone is not drift', async () => {
    env = await makeEnv();
    await env.writeProject('pay', project('a'));
    await env.sync();
    const verified = planned(await env.sync({ verify: true }));
    expect(kindsOf(verified)).toEqual({ 'job:pay-CI-build-trunk': ['unchanged'] });
    const cfg = await env.api.getConfig('pay-CI-build-trunk');
    await env.api.updateJob('pay-CI-build-trunk', cfg.replace('echo a', 'echo edited-in-ui'));
    expect(kindsOf(await env.sync({ dryRun: true }))).toEqual({ 'job:pay-CI-build-trunk': ['unchanged'] }); // marker unchanged: not seen without --verify
    const drift = planned(await env.sync({ verify: true }));
    expect(drift.plan.changes[0]).toMatchObject({ kind: 'update', reason: 'edited in Jenkins (drift found by --verify)' });
    expect(await env.api.getConfig('pay-CI-build-trunk')).toContain('echo a');
  });

  it('injected faults (503s, dropped connections) → partial failure, then the next sync converges', async () => {
    env = await makeEnv();
    for (let i = 0; i < 20; i++) await env.writeProject(`p${String(i).padStart(2, '0')}`, project(`s${i}`));
    env.standin.faults.set({ errors: { 'POST createItem': { rate: 0.5, status: 503 } }, dropRequest: { 'POST createItem': { rate: 0.2 } } });
    const first = planned(await env.sync());
    expect(first.applied!.failed.length).toBeGreaterThan(0);
    expect(first.applied!.succeeded.length).toBeGreaterThan(0);
    env.standin.faults.clear();
    const second = planned(await env.sync());
    expect(second.applied!.failed).toEqual([]);
    expect(second.plan.summary.create).toBe(first.applied!.failed.length);
    expect((await env.api.list()).items).toHaveLength(20);
    env.standin.resetCounts();
    const third = planned(await env.sync());
    expect(third.plan.summary.unchanged).toBe(20);
    expect(env.counts()).toEqual({ 'GET api/json': 1 });
  });
});
