/**
 * Folders on their way out (break-c findings 2 and 3), against the stand-in over loopback:
 * - a folder the plan judged empty after this run is listed again right before its delete: an
 *   item someone made in it since the plan's listing keeps it (reported, never deleted with it);
 * - a multibranch project's branch jobs (Jenkins' own children, deleted with the project) are
 *   archived before the project is deleted, from a listing made at that moment.
 */
import fs from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { FsArchiveStore } from '../../src/archive/fs-archive-store.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import type { ArchivePolicy } from '../../src/model/plan.js';
import { formatChange } from '../../src/plan/print-text.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { planSync } from '../../src/sync/plan-sync.js';
import { runSync } from '../../src/sync/run-sync.js';
import { workspaceSource } from '../../src/sync/workspace-source.js';
import { TEMPLATE, planned, project } from '../sync/harness.js';
import { buildAndWait } from './fixtures.js';

const MULTIBRANCH = `<?xml version='1.1' encoding='UTF-8'?>
<org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject plugin="workflow-multibranch">
  <description>multibranch of $PROJECT.NAME</description>
  <properties/>
  <sources class="jenkins.branch.MultiBranchProject$BranchSourceList" plugin="branch-api"><data/></sources>
  <factory class="org.jenkinsci.plugins.workflow.multibranch.WorkflowBranchProjectFactory"><scriptPath>Jenkinsfile</scriptPath></factory>
</org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject>
`;

const BRANCH_JOB = `<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job"><description/><definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition"><script>node { sh "make" }</script></definition></flow-definition>
`;

interface World {
  dir: string;
  home: string;
  standin: Standin;
  api: JenkinsClient;
  policy: ArchivePolicy;
  source: ReturnType<typeof workspaceSource>;
}

let w: World | undefined;
afterEach(async () => {
  if (!w) return;
  await w.api.close();
  await w.standin.close();
  await rm(w.dir, { recursive: true, force: true });
  w = undefined;
});

async function world(templates: Record<string, string>): Promise<World> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-archive-folders-'));
  await mkdir(path.join(dir, 'job-templates'), { recursive: true });
  await mkdir(path.join(dir, 'jobs'), { recursive: true });
  for (const [name, text] of Object.entries(templates)) await writeFile(path.join(dir, 'job-templates', `${name}-config.xml`), text);
  const home = path.join(dir, 'home');
  const standin = await startStandin({ home, port: 0, buildDurationMs: 50, quietPeriodMs: 0 });
  const api = new JenkinsClient({ url: standin.url, retries: 0 });
  const source = workspaceSource({ templatesDir: path.join(dir, 'job-templates'), jobsDir: path.join(dir, 'jobs'), branches: false });
  return { dir, home, standin, api, source, policy: { dir: path.join(dir, 'archive'), maxArtifactsMb: 100, onCap: 'list', concurrency: 2 } };
}

async function plan(x: World) {
  const p = planned(await planSync({ api: x.api, source: x.source, settings: { archive: x.policy, allowMassDelete: true } })).plan;
  expect(p.refused).toBe(false);
  return p;
}

describe('a folder is listed again right before its delete', () => {
  it('an item made in it after the plan keeps it: reported, the item and its build untouched', async () => {
    w = await world({ 'CI-build-trunk': TEMPLATE });
    const x = w;
    await writeFile(path.join(x.dir, 'jobs', 'pay.yaml'), project('p', 'folder: team\n'));
    for (const k of ['k1', 'k2', 'k3']) await writeFile(path.join(x.dir, 'jobs', `${k}.yaml`), project(k));
    expect((await runSync({ api: x.api, source: x.source })).applied?.failed).toEqual([]);
    await buildAndWait(x.api, 'team/pay-CI-build-trunk');
    await rm(path.join(x.dir, 'jobs', 'pay.yaml'));
    const p = await plan(x);
    expect(p.changes.find((c) => c.fullName === 'team')).toMatchObject({ kind: 'delete', target: 'folder' });
    // a colleague makes a job in the folder after jobsmith listed Jenkins, and builds it
    await x.api.createJob('team/other', '<project><description>not jobsmith</description><builders/></project>');
    await buildAndWait(x.api, 'team/other');
    const result = await applyPlan(x.api, p, { archive: { store: new FsArchiveStore(x.policy.dir), relics: x.api } });
    const names = (await x.api.list()).items.map((i) => i.fullName);
    expect(names).toContain('team/other');
    expect(names).not.toContain('team/pay-CI-build-trunk');
    expect((await x.api.buildStatus('team/other', 1)).result).toBe('SUCCESS');
    expect(result.failed.map((f) => [f.change.fullName, f.class])).toEqual([['team', 'transient']]);
    expect(result.failed[0]!.error).toContain('it holds team/other, which this plan did not delete');
    // the next sync sees it and keeps the folder (nothing to fail)
    const next = await plan(x);
    expect(next.changes.find((c) => c.fullName === 'team')).toMatchObject({ kind: 'keep' });
  });
});

describe('a multibranch project on its way out', () => {
  it('its branch jobs are archived before it is deleted (the plan says so)', async () => {
    w = await world({ 'CI-build-trunk': TEMPLATE, MB: MULTIBRANCH });
    let x = w;
    await writeFile(path.join(x.dir, 'jobs', 'shop.yaml'), 'templates: [MB]\n');
    for (const k of ['k1', 'k2', 'k3']) await writeFile(path.join(x.dir, 'jobs', `${k}.yaml`), project(k));
    expect((await runSync({ api: x.api, source: x.source })).applied?.failed).toEqual([]);
    // what branch indexing does in Jenkins: a branch job inside the project (made on disk, then a restart)
    await x.api.close();
    await x.standin.close();
    fs.mkdirSync(path.join(x.home, 'jobs', 'shop-MB', 'jobs', 'main'), { recursive: true });
    fs.writeFileSync(path.join(x.home, 'jobs', 'shop-MB', 'jobs', 'main', 'config.xml'), BRANCH_JOB);
    const standin = await startStandin({ home: x.home, port: 0, buildDurationMs: 50, quietPeriodMs: 0 });
    w = x = { ...x, standin, api: new JenkinsClient({ url: standin.url, retries: 0 }) };
    await buildAndWait(x.api, 'shop-MB/main');
    await buildAndWait(x.api, 'shop-MB/main');
    await rm(path.join(x.dir, 'jobs', 'shop.yaml'));
    const p = await plan(x);
    const del = p.changes.find((c) => c.fullName === 'shop-MB');
    expect(del).toMatchObject({ kind: 'delete', archive: 'first', folderType: 'computed' });
    expect(formatChange(del!)).toContain('the builds of the jobs in it archived first');
    const result = await applyPlan(x.api, p, { archive: { store: new FsArchiveStore(x.policy.dir), relics: x.api } });
    expect(result.failed).toEqual([]);
    expect((await x.api.list()).items.map((i) => i.fullName)).not.toContain('shop-MB');
    expect(result.archived.map((a) => [a.fullName, a.builds])).toEqual([['shop-MB/main', 2]]);
    const entries = await new FsArchiveStore(x.policy.dir).list();
    expect(entries.map((e) => [e.fullName, e.builds.map((b) => b.number)])).toEqual([['shop-MB/main', [2, 1]]]);
    expect(entries[0]!.reason).toContain('a job in shop-MB, deleted with it');
  });

  it('a branch job whose builds cannot be archived keeps the project', async () => {
    w = await world({ 'CI-build-trunk': TEMPLATE, MB: MULTIBRANCH });
    let x = w;
    await writeFile(path.join(x.dir, 'jobs', 'shop.yaml'), 'templates: [MB]\n');
    for (const k of ['k1', 'k2', 'k3']) await writeFile(path.join(x.dir, 'jobs', `${k}.yaml`), project(k));
    expect((await runSync({ api: x.api, source: x.source })).applied?.failed).toEqual([]);
    await x.api.close();
    await x.standin.close();
    fs.mkdirSync(path.join(x.home, 'jobs', 'shop-MB', 'jobs', 'main'), { recursive: true });
    fs.writeFileSync(path.join(x.home, 'jobs', 'shop-MB', 'jobs', 'main', 'config.xml'), BRANCH_JOB);
    const standin = await startStandin({ home: x.home, port: 0, buildDurationMs: 50, quietPeriodMs: 0 });
    w = x = { ...x, standin, api: new JenkinsClient({ url: standin.url, retries: 0 }) };
    await buildAndWait(x.api, 'shop-MB/main');
    await rm(path.join(x.dir, 'jobs', 'shop.yaml'));
    const p = await plan(x);
    standin.faults.set({ errors: { 'GET run/consoleText': { status: 500 } } });
    const result = await applyPlan(x.api, p, { archive: { store: new FsArchiveStore(x.policy.dir), relics: x.api } });
    standin.faults.clear();
    expect(result.failed.map((f) => f.change.fullName)).toEqual(['shop-MB']);
    expect(result.failed[0]!.error).toContain('archiving the builds of shop-MB/main (in it, deleted with it) failed');
    const names = (await x.api.list()).items.map((i) => i.fullName);
    expect(names).toEqual(expect.arrayContaining(['shop-MB', 'shop-MB/main']));
  });
});
