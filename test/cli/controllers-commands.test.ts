/**
 * Many controllers through the built CLI, for the commands beyond plan/sync: apply of a plan set
 * (the plans made now are the authority, per controller), restore (per-controller backups, one
 * backup onto one controller, definitions split per controller), bulk and its undo, import (the
 * definitions it writes name their controller) and bootstrap (each controller's token bound in the
 * master jobs). Embedded stand-ins (one home per controller) and real ones on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { TEMPLATE } from '../sync/harness.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-ctl-cmds-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const EMBEDDED = 'controllers:\n  east: { url: http://east.invalid/ }\n  west: { url: http://west.invalid/ }\ndefault-controller: east\n';

/** A definitions directory with jobsmith.yaml and the given projects (name -> controller: value, or '' for the default). */
async function workspace(name: string, projects: Record<string, string>, config = EMBEDDED): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'job-templates'), { recursive: true });
  await mkdir(path.join(dir, 'jobs'), { recursive: true });
  await writeFile(path.join(dir, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
  await writeFile(path.join(dir, 'jobsmith.yaml'), config);
  for (const [p, c] of Object.entries(projects)) await writeFile(path.join(dir, 'jobs', `${p}.yaml`), `${c ? `controller: ${c}\n` : ''}templates: [CI-build-trunk]\ntokens:\n  SCM.PATH: https://svn.example.com/${p}\n`);
  return dir;
}

const jobs = (home: string): string[] => (existsSync(path.join(home, 'jobs')) ? readdirSync(path.join(home, 'jobs')).sort() : []);

/** A job a person made, straight into a stand-in's home (read when the stand-in starts). */
async function handJob(home: string, name: string, description = 'made by hand'): Promise<void> {
  await mkdir(path.join(home, 'jobs', name), { recursive: true });
  await writeFile(path.join(home, 'jobs', name, 'config.xml'), `<?xml version='1.1' encoding='UTF-8'?>\n<project>\n  <description>${description}</description>\n  <keepDependencies>false</keepDependencies>\n  <properties/>\n  <scm class="hudson.scm.NullSCM"/>\n  <canRoam>true</canRoam>\n  <disabled>false</disabled>\n  <builders/>\n</project>\n`);
}

describe('apply FILE of a plan set', () => {
  it('each plan is checked against its controller now: a stale one changes nothing there, the other is applied; exit 1', async () => {
    const dir = await workspace('apply', { alpha: '', beta: 'west' });
    const home = path.join(dir, 'state');
    const plan = path.join(dir, 'plan.json');
    expect((await runCli(['plan', '--embedded', home, '--out', plan], { cwd: dir })).code).toBe(0);
    await handJob(path.join(home, 'west'), 'hand');
    const r = await runCli(['apply', plan, '--embedded', home], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/west {2}refused \(nothing was changed on it\): Jenkins changed since the plan was made/);
    expect(r.stderr).toMatch(/east {2}ok: 1 applied, 0 failed, 0 skipped/);
    expect(r.stdout).toContain('== controller east ==');
    expect(jobs(path.join(home, 'east'))).toEqual(['alpha-CI-build-trunk']);
    expect(jobs(path.join(home, 'west'))).toEqual(['hand']);
    // --json: one document, the refused controller with its reasons
    const again = path.join(dir, 'plan2.json');
    expect((await runCli(['plan', '--embedded', home, '--out', again], { cwd: dir })).code).toBe(0);
    const saved = JSON.parse(await readFile(again, 'utf8')) as { plans: Array<{ controller: string; changes: Array<Record<string, unknown>> }> };
    // an edited plan: a delete of the hand-made job slipped into west's plan is refused, east's (nothing to do) goes on
    saved.plans.find((p) => p.controller === 'west')!.changes.push({ kind: 'delete', target: 'job', fullName: 'hand', reason: 'x', code: 'project-removed', params: { project: 'hand' }, controller: 'west' });
    await writeFile(again, JSON.stringify(saved));
    const j = await runCli(['apply', again, '--embedded', home, '--json'], { cwd: dir });
    expect(j.code).toBe(1);
    const out = JSON.parse(j.stdout) as { command: string; exitCode: number; controllers: Array<{ controller: string; status: string; exitCode: number; reasons?: string[] }> };
    expect([out.command, out.exitCode]).toEqual(['apply', 1]);
    expect(out.controllers.map((c) => [c.controller, c.status, c.exitCode])).toEqual([
      ['east', 'planned', 0],
      ['west', 'refused', 1],
    ]);
    expect(out.controllers[1]!.reasons!.join('\n')).toMatch(/delete hand: not what a plan made now would do/);
    expect(jobs(path.join(home, 'west'))).toEqual(['hand']);
    // --controller names a controller the file has no plan for: nothing is done
    const onlyEast = JSON.parse(await readFile(plan, 'utf8')) as { plans: Array<{ controller: string }> };
    onlyEast.plans = onlyEast.plans.filter((p) => p.controller === 'east');
    await writeFile(plan, JSON.stringify(onlyEast));
    const missing = await runCli(['apply', plan, '--embedded', home, '--controller', 'west'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('the plan set has no plan for controller(s) west (it has east); nothing was changed');
  });
});

describe('apply FILE of a plan set with a move', () => {
  it('the delete that waits for the create on the new controller is checked again: edited away, the old controller changes nothing; the project is never on none', async () => {
    const dir = await workspace('apply-move', { alpha: '', stays: '' });
    const home = path.join(dir, 'state');
    expect((await runCli(['sync', '--embedded', home], { cwd: dir })).code).toBe(0);
    await writeFile(path.join(dir, 'jobs', 'alpha.yaml'), 'controller: west\ntemplates: [CI-build-trunk]\ntokens:\n  SCM.PATH: https://svn.example.com/alpha\n');
    const plan = path.join(dir, 'plan.json');
    const p = await runCli(['plan', '--embedded', home, '--out', plan], { cwd: dir });
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('its build history stays on controller east');
    const saved = JSON.parse(await readFile(plan, 'utf8')) as { plans: Array<{ controller: string; changes: Array<{ kind: string; fullName: string; waitsFor?: unknown }> }> };
    const del = saved.plans.find((x) => x.controller === 'east')!.changes.find((c) => c.kind === 'delete')!;
    expect(del.waitsFor).toEqual({ controller: 'west', fullName: 'alpha-CI-build-trunk' });
    // the tie edited away: refused (a plan made now deletes it only once the job exists on west)
    const untied = JSON.parse(JSON.stringify(saved)) as typeof saved;
    delete untied.plans.find((x) => x.controller === 'east')!.changes.find((c) => c.kind === 'delete')!.waitsFor;
    const edited = path.join(dir, 'edited.json');
    await writeFile(edited, JSON.stringify(untied));
    const refused = await runCli(['apply', edited, '--embedded', home], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('a plan made now deletes it only once alpha-CI-build-trunk is created on controller west');
    // east's plan changed nothing; west's own plan (the create) was fine and went ahead: the project is on both, never on none
    expect(jobs(path.join(home, 'east'))).toEqual(['alpha-CI-build-trunk', 'stays-CI-build-trunk']);
    expect(jobs(path.join(home, 'west'))).toEqual(['alpha-CI-build-trunk']);
    // the saved plan as made is stale now on west (its job exists); a new plan deletes on east at once
    const stale = await runCli(['apply', plan, '--embedded', home], { cwd: dir });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/west {2}refused \(nothing was changed on it\)/);
    expect(jobs(path.join(home, 'east'))).toEqual(['alpha-CI-build-trunk', 'stays-CI-build-trunk']);
    const again = await runCli(['plan', '--embedded', home, '--out', plan], { cwd: dir });
    expect(again.code).toBe(0);
    const next = JSON.parse(await readFile(plan, 'utf8')) as typeof saved;
    expect(next.plans.find((x) => x.controller === 'east')!.changes.find((c) => c.kind === 'delete')).toMatchObject({ fullName: 'alpha-CI-build-trunk' });
    expect(next.plans.find((x) => x.controller === 'east')!.changes.find((c) => c.kind === 'delete')!.waitsFor).toBeUndefined();
    const a = await runCli(['apply', plan, '--embedded', home], { cwd: dir });
    expect(a.code).toBe(0);
    expect(jobs(path.join(home, 'east'))).toEqual(['stays-CI-build-trunk']);
    expect(jobs(path.join(home, 'west'))).toEqual(['alpha-CI-build-trunk']);
  });

  it('both sides in one apply: the create on the new controller, then the delete on the old one', async () => {
    const dir = await workspace('apply-move2', { alpha: '', stays: '' });
    const home = path.join(dir, 'state');
    expect((await runCli(['sync', '--embedded', home], { cwd: dir })).code).toBe(0);
    await writeFile(path.join(dir, 'jobs', 'alpha.yaml'), 'controller: west\ntemplates: [CI-build-trunk]\ntokens:\n  SCM.PATH: https://svn.example.com/alpha\n');
    const plan = path.join(dir, 'plan.json');
    expect((await runCli(['plan', '--embedded', home, '--out', plan], { cwd: dir })).code).toBe(0);
    const a = await runCli(['apply', plan, '--embedded', home, '--json'], { cwd: dir });
    expect(a.code).toBe(0);
    const out = JSON.parse(a.stdout) as { controllers: Array<{ controller: string; applied: { succeeded: Array<{ kind: string; fullName: string }> } }> };
    expect(out.controllers.map((c) => [c.controller, c.applied.succeeded.map((x) => `${x.kind} ${x.fullName}`)])).toEqual([
      ['east', ['delete alpha-CI-build-trunk']],
      ['west', ['create alpha-CI-build-trunk']],
    ]);
    expect(jobs(path.join(home, 'east'))).toEqual(['stays-CI-build-trunk']);
    expect(jobs(path.join(home, 'west'))).toEqual(['alpha-CI-build-trunk']);
  });
});

describe('restore', () => {
  it('a per-controller backup restores each controller from its own directory; one backup goes onto one controller', async () => {
    const dir = await workspace('restore', { alpha: '', beta: 'west', both: '[east, west]' });
    const home = path.join(dir, 'state');
    expect((await runCli(['sync', '--embedded', home], { cwd: dir })).code).toBe(0);
    const bk = path.join(dir, 'bk');
    expect((await runCli(['backup', '--embedded', home, '--out', bk], { cwd: dir })).code).toBe(0);
    const fresh = path.join(dir, 'fresh');
    const r = await runCli(['restore', bk, '--embedded', fresh, '--apply'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`== controller east (from ${path.join(bk, 'east')}) ==`);
    expect(r.stdout).toMatch(/Controllers:\n {2}east {2}ok: 2 restored, 0 failed, 0 skipped\n {2}west {2}ok: 2 restored, 0 failed, 0 skipped/);
    expect(jobs(path.join(fresh, 'east'))).toEqual(['alpha-CI-build-trunk', 'both-CI-build-trunk']);
    expect(jobs(path.join(fresh, 'west'))).toEqual(['beta-CI-build-trunk', 'both-CI-build-trunk']);
    // one controller's backup onto another (a staging copy): one --controller
    const two = await runCli(['restore', path.join(bk, 'east'), '--embedded', path.join(dir, 'f2'), '--controller', 'east', '--controller', 'west'], { cwd: dir });
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('is one backup: restore it onto one controller at a time');
    const staging = await runCli(['restore', path.join(bk, 'east'), '--embedded', path.join(dir, 'f2'), '--controller', 'west', '--apply'], { cwd: dir });
    expect(staging.code).toBe(0);
    expect(jobs(path.join(dir, 'f2', 'west'))).toEqual(['alpha-CI-build-trunk', 'both-CI-build-trunk']);
    expect(existsSync(path.join(dir, 'f2', 'east'))).toBe(false);
    // --only: matching on one controller's backup is enough; matching on none is a usage error, nothing done
    const only = await runCli(['restore', bk, '--embedded', path.join(dir, 'f3'), '--only', 'beta-*', '--apply'], { cwd: dir });
    expect(only.code).toBe(0);
    expect(jobs(path.join(dir, 'f3', 'west'))).toEqual(['beta-CI-build-trunk']);
    expect(jobs(path.join(dir, 'f3', 'east'))).toEqual([]);
    const typo = await runCli(['restore', bk, '--embedded', path.join(dir, 'f4'), '--only', 'bta-*', '--apply'], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--only "bta-*" matches no item or view of the backups; nothing was done');
    expect(jobs(path.join(dir, 'f4', 'east'))).toEqual([]);
  });

  it('from the definitions, each controller gets the projects that go to it; an unknown controller name is a located error', async () => {
    const dir = await workspace('restore-defs', { alpha: '', beta: 'west', both: '[east, west]' });
    const home = path.join(dir, 'state');
    const r = await runCli(['restore', dir, '--embedded', home, '--apply', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { command: string; controllers: Array<{ controller: string; kind: string; plan: { changes: Array<{ fullName: string; controller: string }> } }> };
    expect(out.controllers.map((c) => [c.controller, c.kind, c.plan.changes.map((ch) => `${ch.controller}:${ch.fullName}`)])).toEqual([
      ['east', 'definitions', ['east:alpha-CI-build-trunk', 'east:both-CI-build-trunk']],
      ['west', 'definitions', ['west:beta-CI-build-trunk', 'west:both-CI-build-trunk']],
    ]);
    expect(jobs(path.join(home, 'west'))).toEqual(['beta-CI-build-trunk', 'both-CI-build-trunk']);
    await writeFile(path.join(dir, 'jobs', 'beta.yaml'), 'controller: wset\ntemplates: [CI-build-trunk]\ntokens:\n  SCM.PATH: x\n');
    const bad = await runCli(['restore', dir, '--embedded', path.join(dir, 'other')], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('jobs/beta.yaml:1:13: error: unknown controller "wset" (did you mean west?)');
  });
});

describe('bulk', () => {
  let east: Standin;
  beforeAll(async () => {
    east = await startStandin({ home: path.join(root, 'bulk-east'), port: 0 });
  });
  afterAll(async () => {
    await east.close();
  });

  it('edits every controller in parallel, backs each up into BACKUP-DIR/<name>, and --undo puts each back', async () => {
    const dir = await workspace('bulk', {});
    const home = path.join(dir, 'state');
    await handJob(path.join(home, 'east'), 'hand-e', 'old');
    await handJob(path.join(home, 'west'), 'hand-w', 'old');
    const dry = await runCli(['bulk', '--embedded', home, '--match', 'hand-*', '--set', 'description=new'], { cwd: dir });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/== controller east ==[\s\S]*hand-e[\s\S]*bulk \(dry run\): 1 jobs selected: 1 to change[\s\S]*== controller west ==[\s\S]*hand-w/);
    const bk = path.join(dir, 'bulk-backup');
    const ap = await runCli(['bulk', '--embedded', home, '--match', 'hand-*', '--set', 'description=new', '--apply', '--backup-dir', bk], { cwd: dir });
    expect(ap.code).toBe(0);
    expect(await readFile(path.join(home, 'west', 'jobs', 'hand-w', 'config.xml'), 'utf8')).toContain('<description>new</description>');
    expect(existsSync(path.join(bk, 'east', 'jobsmith-bulk.json'))).toBe(true);
    expect(existsSync(path.join(bk, 'west', 'jobsmith-bulk.json'))).toBe(true);
    const undo = await runCli(['bulk', '--embedded', home, '--undo', bk, '--controller', 'west'], { cwd: dir });
    expect(undo.code).toBe(0);
    expect(undo.stdout).toContain('== controller west ==');
    expect(await readFile(path.join(home, 'west', 'jobs', 'hand-w', 'config.xml'), 'utf8')).toContain('<description>old</description>');
    expect(await readFile(path.join(home, 'east', 'jobs', 'hand-e', 'config.xml'), 'utf8')).toContain('<description>new</description>');
  });

  it('an unreachable controller: the other is edited, exit 3, the summary names it', async () => {
    const dir = await workspace('bulk-down', {}, `controllers:\n  east: { url: '${east.url}' }\n  west: { url: 'http://127.0.0.1:9/' }\ndefault-controller: east\n`);
    const { JenkinsClient } = await import('../../src/jenkins/jenkins-client.js');
    const api = new JenkinsClient({ url: east.url + '/' });
    await api.createJob('hand-e', '<project><description>old</description></project>');
    await api.close();
    const r = await runCli(['bulk', '--match', 'hand-*', '--set', 'description=new', '--apply', '--backup-dir', path.join(dir, 'bk'), '--retries', '0', '--json'], { cwd: dir, env: { JENKINS_URL: '' } });
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout) as { exitCode: number; controllers: Array<{ controller: string; exitCode: number; error?: string; applied?: number }> };
    expect(out.controllers.map((c) => [c.controller, c.exitCode, c.applied ?? null])).toEqual([
      ['east', 0, 1],
      ['west', 3, null],
    ]);
    expect(out.controllers[1]!.error).toMatch(/127\.0\.0\.1:9/);
  });
});

describe('import', () => {
  it('the definitions it writes name the controller the jobs were read from; the next plan keeps them there', async () => {
    const dir = await workspace('import', {});
    const home = path.join(dir, 'state');
    await handJob(path.join(home, 'west'), 'legacy', 'the legacy build');
    const r = await runCli(['import', '--embedded', home, '--controller', 'west', '--match', 'legacy', '--adopt'], { cwd: dir });
    expect(r.code).toBe(0);
    const def = await readFile(path.join(dir, 'jobs', 'legacy.yaml'), 'utf8');
    expect(def).toContain('controller: "west"\n');
    const p = await runCli(['plan', '--embedded', home, '--json'], { cwd: dir });
    expect(p.code).toBe(0);
    const out = JSON.parse(p.stdout) as { controllers: Array<{ controller: string; plan: { changes: Array<{ kind: string; fullName: string }> } }> };
    expect(out.controllers.map((c) => [c.controller, c.plan.changes.map((ch) => `${ch.kind} ${ch.fullName}`)])).toEqual([
      ['east', []],
      ['west', ['unchanged legacy']],
    ]);
  });
});

describe('bootstrap', () => {
  it("binds each controller's token-env from --controller-credentials in the master jobs; a missing or unknown one is a usage error", async () => {
    const config = 'controllers:\n  east: { url: http://east.invalid/, user: bot, token-env: EAST_TOKEN }\n  west: { url: http://west.invalid/, user: bot, token-env: WEST_TOKEN }\ndefault-controller: east\n';
    const dir = await workspace('bootstrap', {}, config);
    const home = path.join(dir, 'state');
    const base = ['bootstrap', '--embedded', home, '--repo', 'https://git.example.com/defs.git', '--git-credentials', 'defs-git', '--jenkins-credentials', 'jobsmith-api'];
    const missing = await runCli([...base, '--controller-credentials', 'east=east-token'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('give the Jenkins credential (secret text: the API token) of west (token-env WEST_TOKEN) with --controller-credentials west=ID');
    const typo = await runCli([...base, '--controller-credentials', 'east=east-token', '--controller-credentials', 'wst=w'], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--controller-credentials wst: no such controller (did you mean west?)');
    expect(existsSync(path.join(home, 'east', 'jobs'))).toBe(false);
    const ok = await runCli([...base, '--controller-credentials', 'east=east-token', '--controller-credentials', 'west=west-token'], { cwd: dir });
    expect(ok.code).toBe(0);
    for (const job of ['jobsmith-sync', 'create-job']) {
      const xml = await readFile(path.join(home, 'east', 'jobs', job, 'config.xml'), 'utf8');
      expect(xml).toMatch(/passwordVariable: &apos;JENKINS_API_TOKEN&apos;\), string\(credentialsId: &apos;east-token&apos;, variable: &apos;EAST_TOKEN&apos;\), string\(credentialsId: &apos;west-token&apos;, variable: &apos;WEST_TOKEN&apos;\)\]\)|passwordVariable: 'JENKINS_API_TOKEN'\), string\(credentialsId: 'east-token', variable: 'EAST_TOKEN'\), string\(credentialsId: 'west-token', variable: 'WEST_TOKEN'\)\]\)/);
    }
    expect(existsSync(path.join(home, 'west', 'jobs'))).toBe(false);
    await rm(path.join(dir, 'jobsmith.yaml'));
    const none = await runCli([...base, '--controller-credentials', 'east=x'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--controller-credentials needs a `controllers:` section in jobsmith.yaml');
  });
});
