import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { runCli } from '../helpers/cli.js';
import { TEMPLATE, project } from './harness.js';

const TOKEN = '11ffffeeeeddddccccbbbbaaaa99998888';
let dir: string;
let standin: Standin;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-cli-sync-'));
  await mkdir(path.join(dir, 'job-templates'));
  await mkdir(path.join(dir, 'jobs'));
  await writeFile(path.join(dir, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
  await writeFile(path.join(dir, 'jobs', 'pay.yaml'), project('a'));
  await writeFile(path.join(dir, 'jobs', 'web.yaml'), project('b'));
  standin = await startStandin({ home: path.join(dir, 'home'), port: 0, users: [{ name: 'ci', token: TOKEN }] });
  env = { JENKINS_URL: standin.url, JENKINS_USER: 'ci', JENKINS_API_TOKEN: TOKEN, CI: '1' };
});
afterEach(async () => {
  await standin.close();
  await rm(dir, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { cwd: dir, env });

describe('jobsmith plan / sync / apply (CLI)', () => {
  it('plan --detailed-exitcode: 2 with changes; sync: 0 and plain progress lines; then plan: 0, nothing to do', async () => {
    const p = await cli(['plan', '--detailed-exitcode']);
    expect(p.code).toBe(2);
    expect(p.stdout).toContain('Plan: 2 to create');
    const s = await cli(['sync']);
    expect(s.code).toBe(0);
    expect(s.stderr).toContain('created job pay-CI-build-trunk');
    expect(s.stdout + s.stderr).not.toContain(TOKEN);
    const again = await cli(['plan', '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes');
  });

  it('--json result for scripts', async () => {
    const s = await cli(['sync', '--json']);
    expect(s.code).toBe(0);
    const j = JSON.parse(s.stdout);
    expect(j.status).toBe('planned');
    expect(j.plan.summary.create).toBe(2);
    expect(j.applied.succeeded).toHaveLength(2);
    expect(j.plan.changes[0]).not.toHaveProperty('config');
  });

  it('partial failure exits 3 and the next sync converges with exit 0', async () => {
    standin.faults.set({ errors: { 'POST createItem': { status: 503 } } });
    const s = await cli(['sync', '--retries', '0']);
    expect(s.code).toBe(3);
    expect(s.stderr).toMatch(/2 change\(s\) failed/);
    standin.faults.clear();
    expect((await cli(['sync'])).code).toBe(0);
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('bad definitions exit 1 with file:line diagnostics and change nothing', async () => {
    await writeFile(path.join(dir, 'jobs', 'web.yaml'), 'templates: [CI-build-trunk]\ntokens:\n  SCM.PATHH: x\n');
    standin.resetCounts();
    const s = await cli(['sync']);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/jobs\/web\.yaml:\d+(:\d+)?: error/);
    expect(s.stderr).toContain('nothing was changed');
    expect(standin.requestCounts()).toEqual({});
  });

  it('unreachable Jenkins exits 3', async () => {
    await standin.close();
    standin = await startStandin({ home: path.join(dir, 'home2'), port: 0 });
    const s = await runCli(['sync', '--retries', '0', '--jenkins-url', 'http://127.0.0.1:9/'], { cwd: dir, env: { CI: '1' } });
    expect(s.code).toBe(3);
    expect(s.stderr).toMatch(/listing Jenkins failed/);
  });

  it('plan --out FILE + apply FILE; a stale plan is refused with exit 1 and changes nothing', async () => {
    const planFile = path.join(dir, 'plan.json');
    expect((await cli(['plan', '--out', planFile])).code).toBe(0);
    const saved = JSON.parse(await readFile(planFile, 'utf8'));
    expect(saved.basis.inputsHash).toMatch(/^sha256:/);
    expect(JSON.stringify(saved)).not.toContain(TOKEN);
    const ok = await cli(['apply', planFile]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Applied 2 change(s)');
    // the same plan again: Jenkins moved (the jobs now exist) → refused
    standin.resetCounts();
    const stale = await cli(['apply', planFile]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('Jenkins changed since the plan was made');
    expect(Object.keys(standin.requestCounts()).filter((k) => k.startsWith('POST'))).toEqual([]);
    expect((await cli(['apply', path.join(dir, 'jobs', 'pay.yaml')])).code).toBe(1);
  });

  it('mass delete refused with exit 1 unless --allow-mass-delete', async () => {
    for (let i = 0; i < 12; i++) await writeFile(path.join(dir, 'jobs', `p${i}.yaml`), project(`s${i}`));
    expect((await cli(['sync'])).code).toBe(0);
    for (let i = 0; i < 12; i++) await rm(path.join(dir, 'jobs', `p${i}.yaml`));
    const refused = await cli(['sync']);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/refusing to apply: the plan deletes 12 of 14 managed jobs/);
    const allowed = await cli(['sync', '--allow-mass-delete']);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('deleted job p0-CI-build-trunk');
  });

  it('plan --diff shows the XML change of an update; --only limits the plan', async () => {
    expect((await cli(['sync'])).code).toBe(0);
    await writeFile(path.join(dir, 'jobs', 'pay.yaml'), project('a-changed'));
    await writeFile(path.join(dir, 'jobs', 'web.yaml'), project('b-changed'));
    const d = await cli(['plan', '--diff', '--only', 'pay']);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/~ update\s+pay-CI-build-trunk/);
    expect(d.stdout).not.toContain('web-CI-build-trunk  (');
    expect(d.stdout).toContain('+++ jobsmith/pay-CI-build-trunk/config.xml');
    expect(d.stdout).toMatch(/^-.*echo a<\/command>/m);
    expect(d.stdout).toMatch(/^\+.*echo a-changed<\/command>/m);
    // only the real difference (and the marker's hash): not Jenkins' declaration, `<a/>`, quotes or final newline
    const lines = d.stdout.split('\n').filter((l) => /^[-+][^-+]/.test(l));
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l.includes('jobsmith:v2'))).toHaveLength(2);
    expect(d.stdout).not.toMatch(/^[-+]<\?xml/m);
    expect(d.stdout).not.toContain('No newline at end of file');
  });

  it('a failure no retry fixes says what to change and exits 1; a transient one says run sync again and exits 3', async () => {
    standin.faults.set({ errors: { 'POST createItem': { status: 400, times: 1 } } });
    const refused = await cli(['sync', '--retries', '0', '--concurrency', '1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/1 change\(s\) failed, 0 skipped; 1 applied\./);
    expect(refused.stderr).toMatch(/^ {4}→ Jenkins refused the request \(4xx\) and will refuse it again/m);
    expect(refused.stderr).toMatch(/1 failure\(s\) will fail again until the definitions change/);
    standin.faults.set({ errors: { 'POST createItem': { status: 500, times: 1 } } });
    const transient = await cli(['sync', '--retries', '0']);
    expect(transient.code).toBe(3);
    expect(transient.stderr).toContain('Run sync again to converge.');
    expect(transient.stderr).not.toContain('→');
    standin.faults.clear();
    expect((await cli(['sync'])).code).toBe(0);
  });

  it('sync --json records each failure\'s class and what to do', async () => {
    standin.faults.set({ errors: { 'POST createItem': { status: 500 } } });
    const s = await cli(['sync', '--json', '--retries', '0']);
    expect(s.code).toBe(3);
    const j = JSON.parse(s.stdout);
    expect(j.applied.failed).toEqual([
      expect.objectContaining({ kind: 'create', class: 'transient', hint: 'run sync again' }),
      expect.objectContaining({ kind: 'create', class: 'transient', hint: 'run sync again' }),
    ]);
  });
});
