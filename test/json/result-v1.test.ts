/**
 * `--json` results, format `jobsmith-result` version 1 (docs/json-output.md), as golden files:
 * whole processes against the stand-in, over a scenario that makes most kinds of change (create,
 * update, move, delete, a conflict, a held delete, a running build). Volatile values (times,
 * hashes) are replaced by placeholders; everything else must match byte for byte, so a renamed
 * field or reason code fails here. Regenerate after an intended, additive change with
 * JOBSMITH_UPDATE_GOLDEN=1 and review the diff.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { REASON_CODE_LIST, REASON_CODES } from '../../src/model/reason-code.js';
import { cliPath, runCli } from '../helpers/cli.js';
import { TEMPLATE, project } from '../sync/harness.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GOLDEN = path.join(HERE, '..', 'fixtures', 'json-v1');
const update = process.env['JOBSMITH_UPDATE_GOLDEN'] === '1';
const TOKEN = '11ffeeddccbbaa99887766554433221100';
let dir: string;
let standin: Standin;
let api: JenkinsClient;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-json-v1-'));
  await mkdir(path.join(dir, 'job-templates'));
  await mkdir(path.join(dir, 'jobs'));
  await writeFile(path.join(dir, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
  for (const p of ['pay', 'web', 'ops', 'db', 'ml', 'etl']) await writeFile(path.join(dir, 'jobs', `${p}.yaml`), project(p));
  standin = await startStandin({ home: path.join(dir, 'home'), port: 0, users: [{ name: 'ci', token: TOKEN }], buildDurationMs: 120_000 });
  api = new JenkinsClient({ url: standin.url + '/', user: 'ci', token: TOKEN, retries: 0 });
  env = { JENKINS_URL: standin.url, JENKINS_USER: 'ci', JENKINS_API_TOKEN: TOKEN, CI: '1' };
});
afterAll(async () => {
  await api.close();
  await standin.close();
  await rm(dir, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { cwd: dir, env });

/** Times, hashes and the stand-in's port vary between runs; nothing else may. */
function stable(text: string): string {
  return text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/sha256:[0-9a-f]{64}/g, 'sha256:<hash>')
    .replace(/"(inputsHash|observedFingerprint|revision)": "[^"]*"/g, '"$1": "<$1>"')
    .split(dir).join('<dir>')
    .split(standin.url).join('<jenkins>');
}

async function golden(name: string, actual: string): Promise<void> {
  const file = path.join(GOLDEN, name);
  if (update || !existsSync(file)) {
    if (!update) throw new Error(`golden file ${name} is missing: run with JOBSMITH_UPDATE_GOLDEN=1 and review it`);
    await mkdir(GOLDEN, { recursive: true });
    await writeFile(file, actual);
  }
  expect(actual).toBe(await readFile(file, 'utf8'));
}

describe('--json results (jobsmith-result, version 1)', () => {
  it('sync, plan, apply and restore print the versioned envelope; changes carry codes and parameters, no prose', async () => {
    const first = await cli(['sync', '--json']);
    expect(first.code).toBe(0);
    await golden('sync-create.json', stable(first.stdout));

    // a scenario with most kinds of change
    await writeFile(path.join(dir, 'jobs', 'pay.yaml'), project('pay-changed')); // update
    await writeFile(path.join(dir, 'jobs', 'web.yaml'), project('web', 'folder: team\n')); // move into a folder
    await unlink(path.join(dir, 'jobs', 'ops.yaml')); // delete
    await api.build('db-CI-build-trunk');
    const end = Date.now() + 10_000;
    while (!(await api.list()).items.some((i) => i.building) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    await unlink(path.join(dir, 'jobs', 'db.yaml')); // delete held by a running build
    await writeFile(path.join(dir, 'jobs', 'new.yaml'), project('new')); // create
    await api.createJob('hand-CI-build-trunk', '<?xml version="1.1" encoding="UTF-8"?>\n<project><description>by hand</description></project>\n');
    await writeFile(path.join(dir, 'jobs', 'hand.yaml'), project('hand')); // conflict with an unmanaged job

    const plan = await cli(['plan', '--json']);
    expect(plan.code).toBe(1); // a desired job blocked by an unmanaged one is an input error
    await golden('plan-scenario.json', stable(plan.stdout));
    const parsed = JSON.parse(plan.stdout) as { format: string; version: number; command: string; plan: { changes: Array<Record<string, unknown>> } };
    expect([parsed.format, parsed.version, parsed.command]).toEqual(['jobsmith-result', 1, 'plan']);
    for (const c of parsed.plan.changes) {
      expect(c).not.toHaveProperty('reason');
      expect(c).not.toHaveProperty('config');
      expect(REASON_CODE_LIST).toContain(c['code']);
    }
    const kinds = new Set(parsed.plan.changes.map((c) => c['kind']));
    for (const k of ['create', 'update', 'move', 'delete', 'disable', 'conflict', 'unchanged']) expect(kinds, k).toContain(k);

    await unlink(path.join(dir, 'jobs', 'hand.yaml'));
    const out = path.join(dir, 'plan.json');
    expect((await cli(['plan', '--out', out])).code).toBe(0);
    const applied = await cli(['apply', out, '--json']);
    expect(applied.code).toBe(0);
    // changes run concurrently: what succeeded is listed in the order it finished
    const a = JSON.parse(applied.stdout) as { applied: { succeeded: Array<{ kind: string; fullName: string }> } };
    a.applied.succeeded.sort((x, y) => `${x.kind} ${x.fullName}`.localeCompare(`${y.kind} ${y.fullName}`));
    await golden('apply-scenario.json', stable(JSON.stringify(a, null, 1) + '\n'));

    const text = await cli(['plan']);
    expect(text.stdout).not.toMatch(/"code"|up-to-date\b/); // the text printer speaks words, not codes
  });

  it('a run that fails before it has a plan still prints one document: status error, the exit code, the message (redacted)', async () => {
    const parse = (out: string) => JSON.parse(out) as { format: string; version: number; command: string; status: string; exitCode: number; error: { class: string; message: string }; diagnostics: Array<{ code: string }> };
    const down = await runCli(['sync', '--json'], { cwd: dir, env: { ...env, JENKINS_URL: 'http://127.0.0.1:1/', JENKINS_API_TOKEN: 's3cr3t-token-value' } });
    expect(down.code).toBe(3);
    expect(parse(down.stdout)).toMatchObject({ format: 'jobsmith-result', version: 1, command: 'sync', status: 'error', exitCode: 3, error: { class: 'external' } });
    expect(down.stdout).not.toContain('s3cr3t-token-value');
    const badUrl = await runCli(['plan', '--json'], { cwd: dir, env: { ...env, JENKINS_URL: 'htp://bob:hunter2@x/' } });
    expect(badUrl.code).toBe(1);
    expect(parse(badUrl.stdout)).toMatchObject({ command: 'plan', status: 'error', exitCode: 1, error: { class: 'input' }, diagnostics: [{ code: 'bad-jenkins-url' }] });
    expect(badUrl.stdout).not.toContain('hunter2');
    const usage = await cli(['plan', '--json', '--no-such-flag']);
    expect(usage.code).toBe(2);
    expect(parse(usage.stdout)).toMatchObject({ status: 'error', exitCode: 2, error: { class: 'usage' } });
    const noFile = await cli(['apply', path.join(dir, 'missing-plan.json'), '--json']);
    expect(noFile.code).toBe(1);
    expect(parse(noFile.stdout)).toMatchObject({ command: 'apply', status: 'error', exitCode: 1 });
    // Ctrl-C while Jenkins is being listed: nothing was changed, and the document says so
    standin.faults.set({ slowListingMs: 20_000 });
    try {
      const child = spawn(process.execPath, [cliPath, 'sync', '--json'], { cwd: dir, env: { ...process.env, ...env, NO_COLOR: '1' } });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
      // once the listing has been asked for (the handler is in place by then)
      standin.resetCounts();
      const until = Date.now() + 20_000;
      while (Object.keys(standin.requestCounts()).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200));
      child.kill('SIGINT');
      expect(await closed).toBe(130);
      expect(err).toContain('interrupted: nothing was changed in Jenkins');
      expect(parse(out)).toMatchObject({ command: 'sync', status: 'interrupted', exitCode: 130 });
    } finally {
      standin.faults.set({});
    }
  });

  it('every reason code is documented in docs/json-output.md', async () => {
    const doc = await readFile(path.join(HERE, '..', '..', 'docs', 'json-output.md'), 'utf8');
    const missing = REASON_CODE_LIST.filter((c) => !doc.includes(`\`${c}\``));
    expect(missing).toEqual([]);
    expect(Object.keys(REASON_CODES).length).toBe(REASON_CODE_LIST.length);
  });
});
