/**
 * Break-it report A, findings 2 and 3, end to end (the CLI against the stand-in, real git
 * repositories): a filter (`--only`) never splits a move, and `--adopt` never turns a move into
 * "adopt the copy at the target + delete the original" (builds are kept in both cases).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildNumbers, makeWorld, type World } from './break-a-fixture.js';
import { project } from './harness.js';

let w: World;
beforeEach(async () => {
  w = await makeWorld();
});
afterEach(async () => {
  await w.close();
});

async function buildOnce(job: string): Promise<void> {
  await w.api.build(job);
  for (let k = 0; k < 300 && (await buildNumbers(w, job)).length === 0; k++) await new Promise((r) => setTimeout(r, 20));
  await w.waitForBuild(job, 1);
}

describe('finding 2: --only during a pending move', () => {
  it('--only the old name keeps the job (no delete); --only the new folder moves it there with its builds; a plain sync then deletes nothing', async () => {
    const r = w.repo('moves', { pay: project('a'), web: project('b') });
    expect((await w.cli(r.work, ['sync'])).code).toBe(0);
    await buildOnce('pay-CI-build-trunk');
    writeFileSync(path.join(r.work, 'jobs', 'pay.yaml'), `${project('a')}folder: team\n`);
    w.commit(r.work, 'pay into team');

    const old = await w.cli(r.work, ['sync', '--only', 'pay-CI-build-trunk']);
    expect(old.code).toBe(0);
    expect(old.stdout).toContain('pay-CI-build-trunk  (the definitions want this job as team/pay-CI-build-trunk, which --only does not select: left for a run that selects both names (a filter never splits a move))');
    expect(old.stdout).not.toMatch(/- delete/);
    expect((await w.names()).filter((n) => n !== 'team')).toEqual(['pay-CI-build-trunk', 'web-CI-build-trunk']);
    expect(await buildNumbers(w, 'pay-CI-build-trunk')).toEqual([1]);

    const inTeam = await w.cli(r.work, ['sync', '--only', 'team/**']);
    expect(inTeam.code).toBe(0);
    expect(inTeam.stdout).toContain('> move      pay-CI-build-trunk -> team/pay-CI-build-trunk');
    expect(inTeam.stdout).not.toMatch(/\+ create\s+team\/pay-CI-build-trunk/);
    expect(await w.names()).toEqual(['team', 'team/pay-CI-build-trunk', 'web-CI-build-trunk']);
    expect(await buildNumbers(w, 'team/pay-CI-build-trunk')).toEqual([1]);

    const plain = await w.cli(r.work, ['sync']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('0 to delete');
    expect(await buildNumbers(w, 'team/pay-CI-build-trunk')).toEqual([1]);
  });
});

describe('finding 3: a copy at a move target', () => {
  it('plan and sync --adopt hold the move (exit 1), never adopt the copy and delete the original; the original keeps its builds', async () => {
    const r = w.repo('adopt', { store: `${project('s')}folder: web\n`, pay: project('a') });
    expect((await w.cli(r.work, ['sync'])).code).toBe(0);
    await buildOnce('web/store-CI-build-trunk');
    await w.api.ensureFolder('shop');
    await w.api.copyJob('web/store-CI-build-trunk', 'shop/store-CI-build-trunk');
    writeFileSync(path.join(r.work, 'jobs', 'store.yaml'), `${project('s')}folder: shop\n`);
    w.commit(r.work, 'store into shop');

    const plan = await w.cli(r.work, ['plan', '--adopt']);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain("shop/store-CI-build-trunk  (a copy of web/store-CI-build-trunk has this name, where web/store-CI-build-trunk moves to; not taken over by --adopt (that would lose web/store-CI-build-trunk's builds): delete or rename it, then sync)");
    expect(plan.stdout).not.toMatch(/- delete|~ adopt/);

    w.standin.resetCounts();
    const sync = await w.cli(r.work, ['sync', '--adopt']);
    expect(sync.code).toBe(1);
    expect(sync.stdout).toContain('shop/store-CI-build-trunk: a copy of web/store-CI-build-trunk holds the name web/store-CI-build-trunk moves to; the move is held and --adopt does not take it over');
    expect(w.posts()).toEqual([]);
    expect(await buildNumbers(w, 'web/store-CI-build-trunk')).toEqual([1]);

    // the person removes the copy: the next sync moves the original, builds and all
    await w.api.deleteJob('shop/store-CI-build-trunk');
    const moved = await w.cli(r.work, ['sync', '--adopt']);
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain('> move      web/store-CI-build-trunk -> shop/store-CI-build-trunk');
    expect(await buildNumbers(w, 'shop/store-CI-build-trunk')).toEqual([1]);
  });
});
