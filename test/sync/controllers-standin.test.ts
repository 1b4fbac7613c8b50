/**
 * Many controllers against real stand-ins over loopback: three controllers synced in parallel from
 * one set of definitions, one made unreachable mid-run, a project moved between controllers (the
 * old job goes only after the new one exists; when the create fails the old job stays).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { workspaceSource } from '../../src/sync/workspace-source.js';
import { applyControllers, planControllers, type ControllerTarget, type ControllersOutcome } from '../../src/sync/controllers-sync.js';
import { parseControllers } from '../../src/controllers/controllers-config.js';
import { parseMarker } from '../../src/plan/marker.js';
import { TEMPLATE } from './harness.js';
import { projectSyncer } from '../../src/form/project-syncer.js';

const NAMES = ['east', 'west', 'north'];
let dir: string;
let jobsDir: string;
let templatesDir: string;
let standins: Map<string, Standin>;
let apis: Map<string, JenkinsClient>;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-ctl-'));
  templatesDir = path.join(dir, 'job-templates');
  jobsDir = path.join(dir, 'jobs');
  await mkdir(templatesDir, { recursive: true });
  await mkdir(jobsDir, { recursive: true });
  await writeFile(path.join(templatesDir, 'CI-build-trunk-config.xml'), TEMPLATE);
  standins = new Map();
  apis = new Map();
  for (const n of NAMES) {
    const s = await startStandin({ home: path.join(dir, 'home', n), port: 0 });
    standins.set(n, s);
    apis.set(n, new JenkinsClient({ url: s.url + '/', retries: 0, timeoutMs: 5000 }));
  }
});
afterEach(async () => {
  for (const a of apis.values()) await a.close();
  for (const s of standins.values()) await s.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const config = () => {
  const text = `controllers:\n${NAMES.map((n) => `  ${n}: { url: ${standins.get(n)!.url} }`).join('\n')}\ndefault-controller: east\n`;
  const r = parseControllers(text, 'jobsmith.yaml', dir);
  expect(r.diagnostics).toEqual([]);
  return r.config!;
};

async function project(name: string, controller?: string | string[]): Promise<void> {
  const c = controller === undefined ? '' : `controller: ${Array.isArray(controller) ? `[${controller.join(', ')}]` : controller}\n`;
  await writeFile(path.join(jobsDir, `${name}.yaml`), `${c}templates: [CI-build-trunk]\ntokens:\n  SCM.PATH: https://svn.example.com/${name}\n`);
}

const targets = (names = NAMES): ControllerTarget[] => names.map((n) => ({ name: n, api: apis.get(n)!, where: n, concurrency: 4 }));

async function sync(opts: { names?: string[]; dryRun?: boolean } = {}): Promise<Extract<ControllersOutcome, { status: 'planned' }>> {
  const cfg = config();
  const source = workspaceSource({ templatesDir, jobsDir, branches: false, upstreamCheck: false, cwd: dir, controllers: cfg });
  const ts = targets(opts.names);
  const outcome = await planControllers({ targets: ts, names: cfg.names, source });
  if (outcome.status !== 'planned') throw new Error(JSON.stringify(outcome.diagnostics));
  if (!opts.dryRun) await applyControllers(outcome, ts);
  return outcome;
}

const jobsOn = async (n: string) => (await apis.get(n)!.list()).items.map((i) => i.fullName).sort();
const of = (o: Extract<ControllersOutcome, { status: 'planned' }>, n: string) => o.controllers.find((c) => c.controller === n)!;

describe('many controllers against stand-ins', () => {
  it('each project goes to its controllers; a no-op sync is one listing per controller; every change names its controller', async () => {
    await project('pay');
    await project('web', 'west');
    await project('both', ['east', 'north']);
    const first = await sync();
    expect(first.controllers.map((c) => [c.controller, c.status, c.applied?.failed.length])).toEqual([
      ['east', 'planned', 0],
      ['west', 'planned', 0],
      ['north', 'planned', 0],
    ]);
    expect(await jobsOn('east')).toEqual(['both-CI-build-trunk', 'pay-CI-build-trunk']);
    expect(await jobsOn('west')).toEqual(['web-CI-build-trunk']);
    expect(await jobsOn('north')).toEqual(['both-CI-build-trunk']);
    for (const c of first.controllers) {
      expect(c.plan!.controller).toBe(c.controller);
      for (const ch of c.plan!.changes) expect(ch.controller).toBe(c.controller);
    }
    for (const s of standins.values()) s.resetCounts();
    const again = await sync();
    for (const c of again.controllers) expect(c.plan!.summary).toMatchObject({ create: 0, update: 0, delete: 0 });
    for (const [n, s] of standins) expect([n, s.requestCounts()]).toEqual([n, { 'GET api/json': 1 }]);
  });

  it('a controller that becomes unreachable mid-run changes nothing on itself and does not stop the others', async () => {
    await project('pay');
    await project('web', 'west');
    await sync();
    await project('pay2');
    await project('web2', 'west');
    await standins.get('west')!.close();
    const o = await sync();
    expect(of(o, 'west').status).toBe('failed');
    expect(of(o, 'west').error).toMatch(/listing Jenkins failed \(nothing was changed\)/);
    expect(of(o, 'east').applied!.succeeded.map((c) => c.fullName)).toEqual(['pay2-CI-build-trunk']);
    expect(await jobsOn('east')).toEqual(['pay-CI-build-trunk', 'pay2-CI-build-trunk']);
    expect(await jobsOn('north')).toEqual([]);
  });

  it('a project moved to another controller is created there first, then deleted from the old one; the plan says history does not move', async () => {
    await project('pay');
    await project('stays');
    await sync();
    await project('pay', 'west');
    const o = await sync();
    const del = of(o, 'east').plan!.changes.find((c) => c.fullName === 'pay-CI-build-trunk')!;
    expect(del.kind).toBe('delete');
    expect(del.waitsFor).toEqual({ controller: 'west', fullName: 'pay-CI-build-trunk' });
    expect(del.reason).toMatch(/build history stays on controller east/);
    expect(of(o, 'west').plan!.changes.find((c) => c.fullName === 'pay-CI-build-trunk')!.reason).toMatch(/moved from controller east/);
    expect(await jobsOn('east')).toEqual(['stays-CI-build-trunk']);
    expect(await jobsOn('west')).toEqual(['pay-CI-build-trunk']);
    expect(parseMarker((await apis.get('west')!.list()).items[0]!.description)).toMatchObject({ project: 'pay' });
  });

  it('moving every job off a controller is a mass delete there: refused unless allowed (build history does not move)', async () => {
    await project('pay');
    await sync();
    await project('pay', 'west');
    const o = await sync();
    expect(of(o, 'east').plan!.refused).toBe(true);
    expect(of(o, 'east').plan!.problems.map((p) => p.code)).toEqual(['mass-delete']);
    expect(await jobsOn('east')).toEqual(['pay-CI-build-trunk']);
    expect(await jobsOn('west')).toEqual(['pay-CI-build-trunk']);
  });

  it('a move whose create fails on the new controller keeps the old job', async () => {
    await project('pay');
    await project('stays');
    await sync();
    await project('pay', 'west');
    standins.get('west')!.faults.set({ errors: { 'POST createItem': { status: 500 } } });
    const o = await sync();
    expect(of(o, 'west').applied!.failed.map((f) => f.change.fullName)).toEqual(['pay-CI-build-trunk']);
    expect(of(o, 'east').applied!.succeeded).toEqual([]);
    expect(of(o, 'east').applied!.skipped.map((f) => [f.change.fullName, f.error])).toEqual([['pay-CI-build-trunk', 'kept: pay-CI-build-trunk was not created on controller west']]);
    expect(await jobsOn('east')).toEqual(['pay-CI-build-trunk', 'stays-CI-build-trunk']);
    expect(await jobsOn('west')).toEqual([]);
    // once the new controller accepts it, the next sync converges
    standins.get('west')!.faults.clear();
    await sync();
    expect(await jobsOn('east')).toEqual(['stays-CI-build-trunk']);
    expect(await jobsOn('west')).toEqual(['pay-CI-build-trunk']);
  });

  it('a move to a controller that cannot be listed keeps the old job (never on no controller)', async () => {
    await project('pay');
    await project('stays');
    await sync();
    await project('pay', 'west');
    standins.get('west')!.faults.set({ errors: { 'GET api/json': { status: 503 } } });
    const o = await sync();
    expect(of(o, 'west').status).toBe('failed');
    const kept = of(o, 'east').plan!.changes.find((c) => c.fullName === 'pay-CI-build-trunk')!;
    expect([kept.kind, kept.reason]).toEqual(['keep', 'project pay moved to controller west; kept here: controller west could not be planned']);
    expect(await jobsOn('east')).toEqual(['pay-CI-build-trunk', 'stays-CI-build-trunk']);
  });

  it('--controller limits the run; a move to a controller outside the run is held', async () => {
    await project('pay');
    await project('stays');
    await project('web', 'west');
    await sync();
    await project('pay', 'west');
    await project('new-east');
    const o = await sync({ names: ['east'] });
    expect(o.controllers.map((c) => c.controller)).toEqual(['east']);
    const kept = of(o, 'east').plan!.changes.find((c) => c.fullName === 'pay-CI-build-trunk')!;
    expect(kept.kind).toBe('keep');
    expect(kept.reason).toMatch(/not part of this run/);
    expect(await jobsOn('east')).toEqual(['new-east-CI-build-trunk', 'pay-CI-build-trunk', 'stays-CI-build-trunk']);
    expect(await jobsOn('west')).toEqual(['web-CI-build-trunk']);
  });

  it("the form's sync plans the project on the controllers of the run it goes to, and says when it goes elsewhere", async () => {
    await project('pay');
    await project('web', 'west');
    await project('both', ['east', 'west']);
    const cfg = config();
    const target = (n: string) => ({ name: n, api: apis.get(n)!, where: n, concurrency: 4, url: standins.get(n)!.url + '/' });
    const onEast = projectSyncer(apis.get('east')!, { templatesDir, jobsDir }, { jenkinsUrl: standins.get('east')!.url, controllers: { config: cfg, targets: [target('east')] } });
    const pay = await onEast.sync('pay');
    expect([pay.ok, pay.jobs.map((j) => [j.fullName, j.action, j.controller])]).toEqual([true, [['pay-CI-build-trunk', 'created', 'east']]]);
    expect(pay.jobs[0]!.url).toBe(`${standins.get('east')!.url}/job/pay-CI-build-trunk/`);
    const web = await onEast.sync('web');
    expect(web.jobs).toEqual([]);
    expect(web.ok).toBe(false);
    expect(web.message).toMatch(/project web goes to controller west, which this run does not talk to/);
    expect(await jobsOn('east')).toEqual(['pay-CI-build-trunk']);
    expect(await jobsOn('west')).toEqual([]);
    // over both controllers: a project on both is created on each, its job URLs on its controller
    const onBoth = projectSyncer(apis.get('east')!, { templatesDir, jobsDir }, { jenkinsUrl: standins.get('east')!.url, controllers: { config: cfg, targets: [target('east'), target('west')] } });
    const both = await onBoth.sync('both');
    expect(both.ok).toBe(true);
    expect(both.jobs.map((j) => [j.controller, j.action, j.url])).toEqual([
      ['east', 'created', `${standins.get('east')!.url}/job/both-CI-build-trunk/`],
      ['west', 'created', `${standins.get('west')!.url}/job/both-CI-build-trunk/`],
    ]);
    expect((await onBoth.sync('web')).jobs.map((j) => [j.controller, j.action])).toEqual([['west', 'created']]);
    expect(await jobsOn('west')).toEqual(['both-CI-build-trunk', 'web-CI-build-trunk']);
    // a collision on one controller is named with it (a hand-made job holds the name on west)
    await apis.get('west')!.createJob('taken-CI-build-trunk', '<project><description>made by hand</description></project>');
    await project('taken', ['east', 'west']);
    const found = await onBoth.preflight('taken', { file: path.join(jobsDir, 'taken.yaml'), text: `controller: [east, west]\ntemplates: [CI-build-trunk]\ntokens:\n  SCM.PATH: https://svn.example.com/taken\n` });
    expect(found.map((d) => d.code)).toEqual(['job-name-taken']);
    expect(found[0]!.message).toMatch(/^on controller west: Jenkins already has a job named "taken-CI-build-trunk"/);
    // a controller that cannot be reached: the preflight of a project that goes there says which (the
    // form then commits nothing); one that goes only elsewhere is checked where it goes
    await standins.get('west')!.close();
    await expect(onBoth.preflight('web', { file: path.join(jobsDir, 'web.yaml'), text: `controller: west\ntemplates: [CI-build-trunk]\ntokens:\n  SCM.PATH: https://svn.example.com/web\n` })).rejects.toThrow(/^controller west: /);
    expect(await onBoth.preflight('pay', { file: path.join(jobsDir, 'pay.yaml'), text: `templates: [CI-build-trunk]\ntokens:\n  SCM.PATH: https://svn.example.com/pay\n` })).toEqual([]);
    const payAgain = await onBoth.sync('pay');
    expect([payAgain.ok, payAgain.jobs.map((j) => [j.controller, j.action])]).toEqual([true, [['east', 'unchanged']]]);
  });
});
