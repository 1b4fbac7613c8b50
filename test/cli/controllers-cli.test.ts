/**
 * Many controllers through the built CLI: validate's located errors, sync/plan/apply over
 * controllers (embedded stand-ins and real ones on loopback), --json per controller, --controller,
 * exit 3 with a per-controller summary when one is unreachable, tokens never printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { TEMPLATE } from '../sync/harness.js';

const TOKEN = 'tok-east-5ecr3t-9f8e7d';
let dir: string;
let east: Standin;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-ctl-cli-'));
  await mkdir(path.join(dir, 'job-templates'));
  await mkdir(path.join(dir, 'jobs'));
  await writeFile(path.join(dir, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
  east = await startStandin({ home: path.join(dir, 'east-home'), users: [{ name: 'ci-bot', token: TOKEN }] });
});
afterAll(async () => {
  await east.close();
  await rm(dir, { recursive: true, force: true });
});

const project = (name: string, controller?: string) => writeFile(path.join(dir, 'jobs', `${name}.yaml`), `${controller ? `controller: ${controller}\n` : ''}templates: [CI-build-trunk]\ntokens:\n  SCM.PATH: https://svn.example.com/${name}\n`);
const config = (text: string) => writeFile(path.join(dir, 'jobsmith.yaml'), text);
const EMBEDDED = 'controllers:\n  east: { url: http://east.invalid/ }\n  west: { url: http://west.invalid/ }\ndefault-controller: east\n';

describe('controllers on the command line', () => {
  it('validate: an unknown controller name is a located error with a did-you-mean; all errors at once', async () => {
    await config(EMBEDDED);
    await project('pay', 'wset');
    await project('web', 'north');
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('jobs/pay.yaml:1:13: error: unknown controller "wset" (did you mean west?) (known: east, west) [controller]');
    expect(r.stderr).toContain('jobs/web.yaml:1:13: error: unknown controller "north" (known: east, west) [controller]');
    await config('controllers:\n  east: { url: http://e/, usr: x }\ndefault-controller: est\n');
    const bad = await runCli(['validate'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('jobsmith.yaml:2:27: error: unknown controller setting "usr" (did you mean user?)');
    expect(bad.stderr).not.toContain('no controllers are configured');
    expect(bad.stderr).toContain('jobsmith.yaml:3:21: error: default-controller names an unknown controller "est" (did you mean east?)');
  });

  it('sync --embedded keeps one home per controller; --json names the controller of every change; --controller limits the run', async () => {
    await config(EMBEDDED);
    await project('pay');
    await project('web', 'west');
    const home = path.join(dir, 'st');
    const r = await runCli(['sync', '--embedded', home, '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { format: string; version: number; command: string; status: string; controllers: Array<{ controller: string; status: string; plan: { controller: string; changes: Array<{ kind: string; fullName: string; controller: string }> }; applied: { succeeded: Array<{ fullName: string; controller: string }> } }> };
    expect(out.controllers.map((c) => [c.controller, c.status, c.plan.changes.map((ch) => [ch.kind, ch.fullName, ch.controller])])).toEqual([
      ['east', 'planned', [['create', 'pay-CI-build-trunk', 'east']]],
      ['west', 'planned', [['create', 'web-CI-build-trunk', 'west']]],
    ]);
    expect(out.controllers[1]!.applied.succeeded).toEqual([{ kind: 'create', target: 'job', fullName: 'web-CI-build-trunk', code: 'new-job', controller: 'west' }]);
    expect([out.format, out.version, out.command, out.status]).toEqual(['jobsmith-result', 1, 'sync', 'planned']);
    expect(readdirSync(path.join(home, 'east', 'jobs'))).toEqual(['pay-CI-build-trunk']);
    expect(readdirSync(path.join(home, 'west', 'jobs'))).toEqual(['web-CI-build-trunk']);
    await project('web2', 'west');
    await project('pay2');
    const only = await runCli(['sync', '--embedded', home, '--controller', 'west'], { cwd: dir });
    expect(only.code).toBe(0);
    expect(only.stdout).toContain('== controller west ==');
    expect(only.stdout).not.toContain('== controller east ==');
    expect(readdirSync(path.join(home, 'east', 'jobs'))).toEqual(['pay-CI-build-trunk']);
    expect(readdirSync(path.join(home, 'west', 'jobs')).sort()).toEqual(['web-CI-build-trunk', 'web2-CI-build-trunk']);
    const typo = await runCli(['sync', '--embedded', home, '--controller', 'wst'], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--controller wst: no such controller (did you mean west?)');
  });

  it('plan --out saves one plan per controller; apply FILE applies them', async () => {
    await config(EMBEDDED);
    for (const p of ['pay', 'web', 'web2', 'pay2']) await rm(path.join(dir, 'jobs', `${p}.yaml`), { force: true });
    await project('alpha');
    await project('beta', 'west');
    const home = path.join(dir, 'st2');
    const planFile = path.join(dir, 'plan.json');
    const p = await runCli(['plan', '--embedded', home, '--out', planFile], { cwd: dir });
    expect(p.code).toBe(0);
    const saved = JSON.parse(await readFile(planFile, 'utf8')) as { format: string; plans: Array<{ controller: string; changes: Array<{ controller: string }> }> };
    expect(saved.format).toBe('jobsmith-plan-set');
    expect(saved.plans.map((x) => [x.controller, x.changes.map((c) => c.controller)])).toEqual([
      ['east', ['east']],
      ['west', ['west']],
    ]);
    const a = await runCli(['apply', planFile, '--embedded', home], { cwd: dir });
    expect(a.code).toBe(0);
    expect(readdirSync(path.join(home, 'east', 'jobs'))).toEqual(['alpha-CI-build-trunk']);
    expect(readdirSync(path.join(home, 'west', 'jobs'))).toEqual(['beta-CI-build-trunk']);
  });

  it('one controller unreachable: the other is synced, exit 3 with a per-controller summary; the token is never printed', async () => {
    for (const p of ['alpha', 'beta']) await rm(path.join(dir, 'jobs', `${p}.yaml`), { force: true });
    await project('gamma');
    await project('delta', 'west');
    await config(`controllers:\n  east: { url: '${east.url}', user: ci-bot, token-env: EAST_TOKEN }\n  west: { url: 'http://127.0.0.1:9/' }\ndefault-controller: east\n`);
    const env = { EAST_TOKEN: TOKEN, JENKINS_URL: '', JENKINS_API_TOKEN: '' };
    const r = await runCli(['sync', '--retries', '0', '--timeout', '5'], { cwd: dir, env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Controllers:\n {2}east {2}ok: 1 applied, 0 failed, 0 skipped\n {2}west {2}FAILED \(nothing was changed on it\): listing Jenkins failed \(nothing was changed\)/);
    const ping = await runCli(['jenkins', 'ping', '--verbose', '--retries', '0'], { cwd: dir, env });
    expect(ping.code).toBe(3);
    expect(ping.stdout).toMatch(/^east: Jenkins [\d.]+ at http:\/\/127\.0\.0\.1:\d+\/, authenticated as ci-bot/m);
    expect(ping.stdout).toMatch(/^west: FAILED at http:\/\/127\.0\.0\.1:9\//m);
    for (const text of [r.stdout, r.stderr, ping.stdout, ping.stderr]) expect(text).not.toContain(TOKEN);
    const missing = await runCli(['sync'], { cwd: dir, env: { JENKINS_URL: '' } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('controller east: the environment variable EAST_TOKEN (token-env) is not set [controllers.east.token-env]');
  });

  it('backup writes each controller into DIR/<name>; usage mistakes are exit 2 and change nothing', async () => {
    await config(EMBEDDED);
    for (const p of ['gamma', 'delta']) await rm(path.join(dir, 'jobs', `${p}.yaml`), { force: true });
    await project('one');
    await project('two', 'west');
    const home = path.join(dir, 'st3');
    expect((await runCli(['sync', '--embedded', home], { cwd: dir })).code).toBe(0);
    const out = path.join(dir, 'bk');
    const b = await runCli(['backup', '--embedded', home, '--out', out], { cwd: dir });
    expect(b.code).toBe(0);
    expect(b.stdout).toContain(`east: backup of 1 jobs and folders, 1 views in ${path.join(out, 'east')}`);
    expect(readdirSync(path.join(out, 'east', 'jobs'))).toEqual(['one-CI-build-trunk']);
    expect(readdirSync(path.join(out, 'west', 'jobs'))).toEqual(['two-CI-build-trunk']);
    const withUrl = await runCli(['plan', '--jenkins-url', 'http://127.0.0.1:9/'], { cwd: dir });
    expect(withUrl.code).toBe(2);
    expect(withUrl.stderr).toContain('--jenkins-url cannot be used with the controllers of jobsmith.yaml');
    const two = await runCli(['import', '--match', '*', '--embedded', home, '--controller', 'east', '--controller', 'west'], { cwd: dir });
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('this command talks to one controller at a time');
    const one = await runCli(['jenkins', 'list', '--embedded', home, '--controller', 'west'], { cwd: dir });
    expect([one.code, one.stdout]).toEqual([0, expect.stringContaining('two-CI-build-trunk')]);
    expect(one.stdout).not.toContain('one-CI-build-trunk');
    await rm(path.join(dir, 'jobsmith.yaml'));
    const none = await runCli(['plan', '--embedded', home, '--controller', 'east'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--controller needs a `controllers:` section in jobsmith.yaml');
  });
});
