import { realpathSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseMarker } from '../../src/plan/marker.js';
import { readDescription } from '../../src/plan/config-description.js';
import { kindsOf, makeEnv, planned, project, type Env } from './harness.js';

let env: Env;
beforeEach(async () => {
  env = await makeEnv();
});
afterEach(async () => {
  await env.close();
});

describe('sync against the stand-in', () => {
  it('cold create, then a no-op sync costs one listing request', async () => {
    await env.writeProject('pay', project('https://svn.example.com/pay'));
    await env.writeProject('web', project('https://svn.example.com/web'));
    const first = planned(await env.sync());
    expect(first.plan.summary.create).toBe(2);
    expect(first.applied!.failed).toEqual([]);
    const listing = await env.api.list();
    const pay = listing.items.find((i) => i.fullName === 'pay-CI-build-trunk')!;
    expect(parseMarker(pay.description)).toMatchObject({ kind: 'job', project: 'pay', template: 'CI-build-trunk' });
    // a plain directory's owner is its own path (two plain directories never share one)
    expect(parseMarker(pay.description)!.owner).toBe(`dir:${realpathSync(env.jobsDir)}`);
    expect(pay.description).toMatch(/^Trunk build of pay\n<!-- jobsmith:v2 owner=dir%3A%2F\S+ name=pay%2DCI%2Dbuild%2Dtrunk project=pay /);

    env.standin.resetCounts();
    const again = planned(await env.sync());
    expect(again.plan.summary).toMatchObject({ create: 0, update: 0, delete: 0, unchanged: 2 });
    expect(again.applied!.succeeded).toEqual([]);
    expect(env.counts()).toEqual({ 'GET api/json': 1 });
  });

  it('one changed token → exactly one update request', async () => {
    await env.writeProject('pay', project('https://svn.example.com/pay'));
    await env.writeProject('web', project('https://svn.example.com/web'));
    await env.sync();
    await env.writeProject('web', project('https://svn.example.com/web2'));
    env.standin.resetCounts();
    const o = await env.sync();
    expect(kindsOf(o)).toMatchObject({ 'job:web-CI-build-trunk': ['update'], 'job:pay-CI-build-trunk': ['unchanged'] });
    const writes = Object.entries(env.counts()).filter(([k]) => k.startsWith('POST'));
    expect(writes).toHaveLength(1);
    expect(writes[0]![1]).toBe(1);
    expect(await env.api.getConfig('web-CI-build-trunk')).toContain('https://svn.example.com/web2');
  });

  it('removed project → its jobs deleted; unmanaged job untouched; adopt takes one over', async () => {
    await env.writeProject('pay', project('a'));
    await env.writeProject('old', project('b'));
    await env.sync();
    await env.api.createJob('hand-made', '<project><description>mine</description></project>');
    await env.api.createJob('web-CI-build-trunk', '<project><description>theirs</description></project>');
    await env.removeProject('old');
    await env.writeProject('web', project('c'));
    const o = await env.sync();
    expect(kindsOf(o)).toEqual({ 'job:pay-CI-build-trunk': ['unchanged'], 'job:web-CI-build-trunk': ['conflict'], 'job:old-CI-build-trunk': ['delete'] });
    const names = (await env.api.list()).items.map((i) => i.fullName).sort();
    expect(names).toEqual(['hand-made', 'pay-CI-build-trunk', 'web-CI-build-trunk']);
    expect(await env.api.getConfig('web-CI-build-trunk')).toContain('theirs');
    const adopted = await env.sync({ adopt: true });
    expect(kindsOf(adopted)['job:web-CI-build-trunk']).toEqual(['adopt']);
    expect(parseMarker(readDescription(await env.api.getConfig('web-CI-build-trunk')))?.project).toBe('web');
  });

  it('broken definition → nothing pushed, nothing deleted', async () => {
    await env.writeProject('pay', project('a'));
    await env.writeProject('web', project('b'));
    await env.sync();
    await env.writeProject('web', 'templates: [No-such-template]\n');
    await env.removeProject('pay');
    env.standin.resetCounts();
    const o = await env.sync();
    expect(o.status).toBe('invalid');
    expect(o.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(env.totalRequests()).toBe(0);
    expect((await env.api.list()).items).toHaveLength(2);
  });

  it('failed listing → error, nothing changed', async () => {
    await env.writeProject('pay', project('a'));
    await env.sync();
    await env.removeProject('pay');
    env.standin.faults.set({ errors: { 'GET api/json': { status: 503 } } });
    await expect(env.sync()).rejects.toThrow(/listing Jenkins failed/);
    env.standin.faults.clear();
    env.standin.faults.set({ truncateListing: true });
    await expect(env.sync()).rejects.toThrow(/listing Jenkins failed/);
    env.standin.faults.clear();
    expect((await env.api.list()).items.map((i) => i.fullName)).toEqual(['pay-CI-build-trunk']);
  });

  it('mass-delete refusal changes nothing; --allow-mass-delete deletes', async () => {
    for (let i = 0; i < 12; i++) await env.writeProject(`p${i}`, project(`s${i}`));
    await env.sync();
    for (let i = 0; i < 11; i++) await env.removeProject(`p${i}`);
    env.standin.resetCounts();
    const o = planned(await env.sync());
    expect(o.plan.refused).toBe(true);
    expect(o.applied).toBeUndefined();
    expect(env.counts()).toEqual({ 'GET api/json': 1 });
    const ok = planned(await env.sync({ allowMassDelete: true }));
    expect(ok.applied!.succeeded.filter((c) => c.kind === 'delete')).toHaveLength(11);
    expect((await env.api.list()).items).toHaveLength(1);
  });
});
