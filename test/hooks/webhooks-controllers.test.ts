/**
 * Webhooks with many controllers (docs/controllers.md): serve's runner syncs every controller it
 * talks to, each project on the controllers it goes to, builds asked of the new job's controller;
 * one unreachable controller changes nothing on itself and does not stop the others; a project
 * moved between controllers by a definitions push is created on the new one before it leaves the
 * old one. Real stand-ins on loopback, real bare git remotes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { branchJobName } from '../../src/branches/branch-job-name.js';
import { parseControllers } from '../../src/controllers/controllers-config.js';
import { hookRunner } from '../../src/hooks/hook-runner.js';
import type { HookRunner } from '../../src/hooks/hook-service.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { GitRemote } from '../branches/fixtures.js';
import { git, makeDefinitionsRepo, type DefinitionsRepo } from '../form/git-fixtures.js';
import { BRANCH_TEMPLATE } from './harness.js';

let defs: DefinitionsRepo;
let remote: GitRemote;
let standins: Map<string, Standin>;
let apis: Map<string, JenkinsClient>;
let runner: HookRunner;

/** The build rule of a batch whose events created branch `feature` (of any project). */
const featureCreated = (_project: string, branch: string): boolean => branch === 'feature';
const job = (project: string, branch: string): string => `team/${branchJobName(`${project}-Branch-build`, branch)}`;
const definition = (project: string, controller: string): string => `project: ${project}\ncontroller: ${controller}\nfolder: team\nbranches:\n  repo: ${remote.url}\n  templates: [Branch-build]\n`;

async function jobsOn(name: string): Promise<string[]> {
  const l = await apis.get(name)!.list();
  return l.items.filter((i) => !i.isFolder).map((i) => i.fullName).sort();
}

function commit(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) fs.writeFileSync(path.join(defs.work, rel), text);
  git(defs.work, 'add', '.');
  git(defs.work, 'commit', '--quiet', '-m', 'change');
  git(defs.work, 'push', '--quiet', 'origin', 'main');
}

beforeEach(async () => {
  defs = makeDefinitionsRepo({ 'job-templates/Branch-build-config.xml': BRANCH_TEMPLATE, 'jobs/_defaults.yaml': 'tokens: {}\n' });
  remote = new GitRemote(defs.root);
  remote.push('main', 'feature');
  standins = new Map();
  apis = new Map();
  for (const n of ['east', 'west']) {
    const s = await startStandin({ home: path.join(defs.root, 'home', n), buildDurationMs: 50, quietPeriodMs: 0 });
    standins.set(n, s);
    apis.set(n, new JenkinsClient({ url: s.url + '/', retries: 0, timeoutMs: 5000 }));
  }
  commit({ 'jobs/app.yaml': definition('app', 'west'), 'jobs/lib.yaml': definition('lib', '[east, west]') });
  const parsed = parseControllers(`controllers:\n  east: { url: '${standins.get('east')!.url}' }\n  west: { url: '${standins.get('west')!.url}' }\ndefault-controller: east\n`, 'jobsmith.yaml', defs.work);
  expect(parsed.diagnostics).toEqual([]);
  const targets = ['east', 'west'].map((n) => ({ name: n, api: apis.get(n)!, where: n, concurrency: 4 }));
  runner = hookRunner({
    api: apis.get('east')!,
    dir: defs.work,
    templatesDir: path.join(defs.work, 'job-templates'),
    jobsDir: path.join(defs.work, 'jobs'),
    buildOnCreate: async () => true,
    concurrency: 4,
    cwd: defs.work,
    controllers: { config: parsed.config!, targets },
  });
});
afterEach(async () => {
  for (const a of apis.values()) await a.close();
  for (const s of standins.values()) await s.close().catch(() => undefined);
  defs.cleanup();
});

describe('webhooks over many controllers', () => {
  it("a project's push syncs it on its controllers only, and builds there the jobs of the branch the push created", async () => {
    const app = await runner.syncProjects(['app'], featureCreated);
    expect(app.ok).toBe(true);
    expect(app.created.map((c) => c.fullName).sort()).toEqual([job('app', 'feature'), job('app', 'main')]);
    expect(await jobsOn('west')).toEqual([job('app', 'feature'), job('app', 'main')]);
    expect(await jobsOn('east')).toEqual([]);
    expect(app.built.map((b) => b.fullName).sort()).toEqual([job('app', 'feature')]);
    expect((await apis.get('west')!.listBuilds(job('app', 'feature'))).length).toBe(1);
    expect((await apis.get('west')!.listBuilds(job('app', 'main'))).length).toBe(0);
    const lib = await runner.syncProjects(['lib'], featureCreated);
    expect(lib.ok).toBe(true);
    // one per controller: the same names on both
    expect(lib.created.map((c) => c.fullName).sort()).toEqual([job('lib', 'feature'), job('lib', 'feature'), job('lib', 'main'), job('lib', 'main')]);
    expect(await jobsOn('east')).toEqual([job('lib', 'feature'), job('lib', 'main')]);
    expect(lib.built.map((b) => b.fullName)).toEqual([job('lib', 'feature'), job('lib', 'feature')]);
    expect((await apis.get('east')!.listBuilds(job('lib', 'feature'))).length).toBe(1);
  });

  it('an unreachable controller changes nothing on itself and does not stop the other; the event fails naming it', async () => {
    await standins.get('east')!.close();
    const lib = await runner.syncProjects(['lib'], featureCreated);
    expect(lib.ok).toBe(false);
    expect(lib.message).toMatch(/controller east: .*nothing was changed on it/);
    expect(lib.message).toMatch(/controller west: 2 jobs created, 1 build requested/);
    // the project's own outcome names each controller's part too
    expect(lib.projects?.map((o) => [o.project, o.ok])).toEqual([['lib', false]]);
    expect(lib.projects?.[0]?.message).toMatch(/^controller east: .*\(nothing was changed on it\); controller west: 2 jobs created, 1 build requested, 0 jobs torn down$/);
    expect(await jobsOn('west')).toEqual([job('lib', 'feature'), job('lib', 'main')]);
  });

  it('a definitions push that moves a project: created on the new controller first, then gone from the old one', async () => {
    expect((await runner.syncDefinitions(() => false)).ok).toBe(true);
    expect(await jobsOn('west')).toEqual([job('app', 'feature'), job('app', 'main'), job('lib', 'feature'), job('lib', 'main')]);
    commit({ 'jobs/app.yaml': definition('app', 'east') });
    const moved = await runner.syncDefinitions(() => false);
    expect(moved.ok).toBe(true);
    expect(await jobsOn('east')).toEqual([job('app', 'feature'), job('app', 'main'), job('lib', 'feature'), job('lib', 'main')]);
    expect(await jobsOn('west')).toEqual([job('lib', 'feature'), job('lib', 'main')]);
  });
});
