import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { runCli } from '../helpers/cli.js';
import { TEMPLATE, project } from './harness.js';

const TOKEN = '11ffffeeeeddddccccbbbbaaaa99998888';
const LABELLED = TEMPLATE.replace('<canRoam>true</canRoam>', '<assignedNode>$NODE.LABEL</assignedNode>\n  <canRoam>false</canRoam>');
let dir: string;
let standin: Standin;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-label-check-'));
  await mkdir(path.join(dir, 'job-templates'));
  await mkdir(path.join(dir, 'jobs'));
  await writeFile(path.join(dir, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
  await writeFile(path.join(dir, 'job-templates', 'Labelled-config.xml'), LABELLED);
  await writeFile(path.join(dir, 'jobs', 'pay.yaml'), project('a'));
  standin = await startStandin({ home: path.join(dir, 'home'), port: 0, users: [{ name: 'ci', token: TOKEN }] });
  env = { JENKINS_URL: standin.url, JENKINS_USER: 'ci', JENKINS_API_TOKEN: TOKEN, CI: '1' };
});
afterEach(async () => {
  await standin.close();
  await rm(dir, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { cwd: dir, env });
const labelled = (label: string) => `templates: [Labelled]\ntokens:\n  SCM.PATH: x\n  NODE.LABEL: "${label}"\n`;

describe('plan: label check', () => {
  it('no job sets a label: no extra request', async () => {
    standin.resetCounts();
    const p = await cli(['plan']);
    expect(p.code).toBe(0);
    expect(standin.requestCounts()['GET computer/api/json']).toBeUndefined();
    expect(p.stdout + p.stderr).not.toContain('label expression');
  });

  it('a label no node carries: a warning (exit code unchanged), one computer/api/json request; --no-label-check skips it', async () => {
    await writeFile(path.join(dir, 'jobs', 'ios.yaml'), labelled('mac && arm64'));
    standin.resetCounts();
    const p = await cli(['plan', '--detailed-exitcode']);
    expect(p.code).toBe(2); // changes; the warning does not change the exit code
    expect(p.stdout + p.stderr).toContain('warning: label expression "mac && arm64" matches no node of this Jenkins (nodes: Built-In Node): builds of ios-Labelled would wait in the queue; defined in jobs/ios.yaml');
    expect(standin.requestCounts()['GET computer/api/json']).toBe(1);
    const json = await cli(['plan', '--json']);
    expect(JSON.parse(json.stdout).plan.problems.map((x: { code: string }) => x.code)).toEqual(['label-no-node']);
    standin.resetCounts();
    const skipped = await cli(['plan', '--no-label-check']);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout + skipped.stderr).not.toContain('label expression');
    expect(standin.requestCounts()['GET computer/api/json']).toBeUndefined();
  });

  it('once an agent carries the labels, the warning goes away', async () => {
    await writeFile(path.join(dir, 'jobs', 'ios.yaml'), labelled('mac && arm64'));
    const form = new URLSearchParams({ json: JSON.stringify({ numExecutors: 1, remoteFS: '/srv', labelString: 'mac arm64', launcher: { 'stapler-class': 'hudson.slaves.JNLPLauncher' } }) });
    const res = await fetch(`${standin.url}/computer/doCreateItem?name=mini&type=hudson.slaves.DumbSlave`, {
      method: 'POST',
      redirect: 'manual',
      headers: { authorization: 'Basic ' + Buffer.from(`ci:${TOKEN}`).toString('base64'), 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(res.status).toBe(302);
    const p = await cli(['plan']);
    expect(p.code).toBe(0);
    expect(p.stdout + p.stderr).not.toContain('label expression');
  });

  it('a failed node listing is a warning, not a failed plan', async () => {
    await writeFile(path.join(dir, 'jobs', 'ios.yaml'), labelled('mac'));
    standin.faults.set({ errors: { 'GET computer/api/json': { status: 503 } } });
    const p = await cli(['plan', '--retries', '0']);
    expect(p.code).toBe(0);
    expect(p.stdout + p.stderr).toContain('warning: label check skipped: listing the nodes failed');
  });
});
