import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { findSecretLeaks, testSecret } from '../helpers/secret-scan.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';

describe('jobsmith jenkins ping|list (built CLI against the stand-in)', () => {
  const secret = testSecret('cli-user');
  let home: string;
  let cwd: string;
  let standin: Standin;
  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-cli-home-'));
    cwd = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-cli-cwd-'));
    standin = await startStandin({ home, users: [{ name: secret.user, token: secret.token }] });
    const c = new JenkinsClient({ url: standin.url, user: secret.user, token: secret.token });
    await c.ensureFolder('team');
    await c.createJob('team/build me', '<project/>');
    await c.close();
  });
  afterAll(async () => {
    await standin.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  });
  const env = () => ({ JENKINS_URL: standin.url, JENKINS_USER: secret.user, JENKINS_API_TOKEN: secret.token });

  test('ping: version and identity; --verbose logs requests without credentials', async () => {
    const r = await runCli(['jenkins', 'ping', '--verbose'], { cwd, env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Jenkins 2.479.3 at ' + standin.url + '/');
    expect(r.stdout).toContain(`authenticated as ${secret.user}`);
    expect(r.stderr).toMatch(/jenkins: GET whoAmI\/api\/json → 200/);
    expect(findSecretLeaks(r.stdout + r.stderr, secret)).toEqual([]);
  });

  test('list --json: the one-request listing', async () => {
    const r = await runCli(['jenkins', 'list', '--json'], { cwd, env: env() });
    expect(r.code).toBe(0);
    const state = JSON.parse(r.stdout) as { items: Array<{ fullName: string; isFolder: boolean }> };
    expect(state.items.map((i) => [i.fullName, i.isFolder])).toEqual([
      ['team', true],
      ['team/build me', false],
    ]);
  });

  test('a refused token: exit 3, message without the token', async () => {
    const r = await runCli(['jenkins', 'list', '--verbose'], { cwd, env: { ...env(), JENKINS_API_TOKEN: secret.token + 'x' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('HTTP 401');
    expect(findSecretLeaks(r.stdout + r.stderr, secret)).toEqual([]);
  });

  test('bad settings: exit 1 with every diagnostic (no URL; a token in the config file)', async () => {
    const none = await runCli(['jenkins', 'ping'], { cwd, env: { JENKINS_URL: '', JENKINS_USER: '', JENKINS_API_TOKEN: '' } });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no Jenkins URL');
    writeFileSync(path.join(cwd, 'jobsmith.yaml'), `jenkins:\n  url: ${standin.url}\n  token: ${secret.token}\n`);
    try {
      const r = await runCli(['jenkins', 'ping'], { cwd, env: { JENKINS_URL: '', JENKINS_USER: secret.user, JENKINS_API_TOKEN: secret.token } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/jobsmith\.yaml:3:3: error: a secret does not belong in jobsmith\.yaml/);
      expect(findSecretLeaks(r.stdout + r.stderr, secret)).toEqual([]);
    } finally {
      rmSync(path.join(cwd, 'jobsmith.yaml'));
    }
  });

  test('unreachable Jenkins: exit 3 with a network error', async () => {
    const r = await runCli(['jenkins', 'ping', '--jenkins-url', 'http://127.0.0.1:1/', '--retries', '0'], { cwd, env: env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/ECONNREFUSED/);
  });
});
