/**
 * Builds that start around the archiving of a job on its way out (break-c finding 1): a job about
 * to be deleted after archiving gains no unarchived build. Apply disables the job before archiving
 * it and checks, right before the delete, that no build newer than the archived ones exists and
 * none runs; otherwise the job stays disabled and the next sync archives and deletes it. The real
 * client against the stand-in over loopback.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { RelicSource } from '../../src/model/build-relics.js';
import type { ArchivePolicy } from '../../src/model/plan.js';
import { FsArchiveStore } from '../../src/archive/fs-archive-store.js';
import { planSync } from '../../src/sync/plan-sync.js';
import { workspaceSource } from '../../src/sync/workspace-source.js';
import { makeEnv, planned, project, type Env } from '../sync/harness.js';
import { buildAndWait } from './fixtures.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const JOB = 'gone-CI-build-trunk';

function policy(e: Env): ArchivePolicy {
  return { dir: path.join(e.dir, 'archive'), maxArtifactsMb: 100, onCap: 'list', concurrency: 2 };
}

async function planWithArchive(e: Env) {
  const o = await planSync({ api: e.api, source: workspaceSource({ templatesDir: e.templatesDir, jobsDir: e.jobsDir, branches: false }), settings: { archive: policy(e) } });
  const plan = planned(o).plan;
  expect(plan.refused).toBe(false);
  return plan;
}

/** Build numbers in every archive entry of the job. */
function archivedNumbers(e: Env): number[] {
  const dir = path.join(policy(e).dir, 'jobs', JOB);
  if (!fs.existsSync(dir)) return [];
  const out = new Set<number>();
  for (const entry of fs.readdirSync(dir).filter((d) => !d.startsWith('.'))) {
    for (const b of fs.readdirSync(path.join(dir, entry, 'builds'))) out.add(Number(b));
  }
  return [...out].sort((a, b) => a - b);
}

async function jobItem(e: Env) {
  return (await e.api.list()).items.find((i) => i.fullName === JOB);
}

describe('a job archived on its way out gains no unarchived build', () => {
  it('a build someone starts while the job is being archived is not deleted with it', async () => {
    env = await makeEnv({ buildDurationMs: 100 });
    const e = env;
    await e.writeProject('gone', project('g'));
    for (const k of ['k1', 'k2', 'k3']) await e.writeProject(k, project(k)); // stay: no mass delete
    await e.sync();
    await buildAndWait(e.api, JOB);
    await buildAndWait(e.api, JOB);
    await e.removeProject('gone');
    const plan = await planWithArchive(e);
    expect(plan.changes.find((c) => c.fullName === JOB)).toMatchObject({ kind: 'delete', archive: 'first' });
    // someone starts a build just as jobsmith lists the job's builds for the archive
    let started: number | undefined;
    let refused: unknown;
    const relics: RelicSource = {
      listBuilds: async (name, limit) => {
        const listed = await e.api.listBuilds(name, limit);
        if (started === undefined && refused === undefined) {
          try {
            started = await buildAndWait(e.api, JOB);
          } catch (err) {
            refused = err;
          }
        }
        return listed;
      },
      countBuilds: (name) => e.api.countBuilds(name),
      fetchRelic: (...a) => e.api.fetchRelic(...a),
    };
    const result = await applyPlan(e.api, plan, { archive: { store: new FsArchiveStore(policy(e).dir), relics } });
    const item = await jobItem(e);
    if (item === undefined) {
      // deleted: then every build it had is in the archive
      expect(archivedNumbers(e)).toEqual(started === undefined ? [1, 2] : [1, 2, started]);
    } else {
      expect(item.disabled).toBe(true);
      expect(result.failed.map((f) => f.change.fullName)).toEqual([JOB]);
    }
    // the job was disabled before its builds were listed: the build could not start (Jenkins answers 409)
    expect(started).toBeUndefined();
    expect(String(refused)).toMatch(/409|disabled|conflict/i);
    expect(item).toBeUndefined();
    expect(archivedNumbers(e)).toEqual([1, 2]);
  });

  it('a build that started after the plan and still runs keeps the job (disabled) until the next sync, which archives it whole', async () => {
    env = await makeEnv({ buildDurationMs: 1500 });
    const e = env;
    await e.writeProject('gone', project('g'));
    for (const k of ['k1', 'k2', 'k3']) await e.writeProject(k, project(k)); // stay: no mass delete
    await e.sync();
    await buildAndWait(e.api, JOB);
    await e.removeProject('gone');
    const plan = await planWithArchive(e);
    expect(plan.changes.find((c) => c.fullName === JOB)).toMatchObject({ kind: 'delete', archive: 'first' });
    const q = await e.api.build(JOB);
    let running: number | undefined;
    for (let i = 0; i < 200 && running === undefined; i++) {
      running = (await e.api.queueItem(q)).buildNumber;
      if (running === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    expect(running).toBe(2);
    const again = await applyPlan(e.api, plan, { archive: { store: new FsArchiveStore(policy(e).dir), relics: e.api } });
    expect(again.failed).toHaveLength(1);
    expect(again.failed[0]!.error).toMatch(/^not deleted: build #2 (is running|was still running when it was archived) \(the 2 build\(s\) archived stay in the archive\); it was disabled and kept/);
    expect(again.failed[0]!.class).toBe('transient');
    expect(await jobItem(e)).toMatchObject({ disabled: true });
    // the next sync, once the build is over, archives it with its whole log and deletes the job
    for (let i = 0; i < 200 && (await e.api.buildStatus(JOB, 2)).building; i++) await new Promise((r) => setTimeout(r, 25));
    const next = await planWithArchive(e);
    expect(next.changes.find((c) => c.fullName === JOB)).toMatchObject({ kind: 'delete', archive: 'first' });
    const last = await applyPlan(e.api, next, { archive: { store: new FsArchiveStore(policy(e).dir), relics: e.api } });
    expect(last.failed).toEqual([]);
    expect(await jobItem(e)).toBeUndefined();
    const entries = fs.readdirSync(path.join(policy(e).dir, 'jobs', JOB)).filter((d) => !d.startsWith('.')).sort();
    const newest = path.join(policy(e).dir, 'jobs', JOB, entries.at(-1)!);
    expect(fs.readdirSync(path.join(newest, 'builds')).sort()).toEqual(['1', '2']);
    expect(fs.readFileSync(path.join(newest, 'builds', '2', 'log.txt'), 'utf8')).toMatch(/Finished: SUCCESS\n?$/);
  });
});
