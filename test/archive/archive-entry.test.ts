/**
 * What an archive entry records, and what a failed archiving leaves (break-c findings 7 and 8),
 * with the real client against the stand-in over loopback:
 * - `keep_builds` leaves older builds out: the entry counts them as Jenkins holds them;
 * - a download that fails while others are in flight leaves nothing in the archive (no
 *   `.partial` directory refilled by the downloads still running when it was removed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { FsArchiveStore } from '../../src/archive/fs-archive-store.js';
import type { ArchivePolicy } from '../../src/model/plan.js';
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

async function removedWithBuilds(builds: number, policy: (dir: string) => ArchivePolicy) {
  env = await makeEnv({ buildDurationMs: 20 });
  const e = env;
  await e.writeProject('gone', project('g'));
  for (const k of ['k1', 'k2', 'k3']) await e.writeProject(k, project(k));
  await e.sync();
  for (let i = 0; i < builds; i++) await buildAndWait(e.api, JOB);
  await e.removeProject('gone');
  const p = policy(path.join(e.dir, 'archive'));
  const plan = planned(await planSync({ api: e.api, source: workspaceSource({ templatesDir: e.templatesDir, jobsDir: e.jobsDir, branches: false }), settings: { archive: p } })).plan;
  expect(plan.refused).toBe(false);
  return { e, plan, p };
}

describe('an archive entry', () => {
  it('counts the builds keep_builds left out as Jenkins holds them', async () => {
    const { e, plan, p } = await removedWithBuilds(6, (dir) => ({ dir, keepBuilds: 2, maxArtifactsMb: 100, onCap: 'list', concurrency: 2 }));
    const result = await applyPlan(e.api, plan, { archive: { store: new FsArchiveStore(p.dir), relics: e.api } });
    expect(result.failed).toEqual([]);
    expect(result.archived.map((a) => [a.builds, a.buildsNotArchived])).toEqual([[2, 4]]);
    const [entry] = await new FsArchiveStore(p.dir).list();
    expect(entry!.builds.map((b) => b.number)).toEqual([6, 5]);
    expect(entry!.buildsNotArchived).toBe(4);
  });

  it('notes a build whose console log Jenkins did not serve (404)', async () => {
    const { e, plan, p } = await removedWithBuilds(2, (dir) => ({ dir, maxArtifactsMb: 100, onCap: 'list', concurrency: 1 }));
    e.standin.faults.set({ errors: { 'GET run/consoleText': { status: 404, times: 1 } } });
    const result = await applyPlan(e.api, plan, { concurrency: 1, archive: { store: new FsArchiveStore(p.dir), relics: e.api } });
    expect(result.failed).toEqual([]);
    expect(result.archived[0]!.notes).toEqual([expect.stringMatching(/^#[12]: Jenkins served no console log \(404\): archived without one$/)]);
  });

  it('a failed download leaves nothing half-written, even with other downloads in flight', async () => {
    const { e, plan, p } = await removedWithBuilds(12, (dir) => ({ dir, maxArtifactsMb: 100, onCap: 'list', concurrency: 4 }));
    // the first console log asked for fails (the client tries twice: the fault hits both); others are in flight
    e.standin.faults.set({ errors: { 'GET run/consoleText': { status: 500, times: 2 } } });
    const result = await applyPlan(e.api, plan, { concurrency: 4, archive: { store: new FsArchiveStore(p.dir), relics: e.api } });
    expect(result.failed.map((f) => f.change.fullName)).toEqual([JOB]);
    expect(result.failed[0]!.error).toContain('console log failed');
    const left = () => (fs.existsSync(path.join(p.dir, 'jobs')) ? fs.readdirSync(path.join(p.dir, 'jobs', JOB), { withFileTypes: false }) : []);
    expect(left()).toEqual([]);
    // nothing comes back later either (no download was still running)
    await new Promise((r) => setTimeout(r, 300));
    expect(left()).toEqual([]);
    expect((await e.api.list()).items.find((i) => i.fullName === JOB)).toMatchObject({ disabled: true });
  });
});
