/**
 * Credentials never appear in any output, log, saved plan, error message or backup (issue 10).
 * One test secret (user + random API token) is given to jobsmith in every way it accepts
 * (JENKINS_API_TOKEN, --token-file, a Jenkins URL with user info, a git remote URL with user
 * info), then commands run through success and through every failure we can cause (injected
 * 5xx, dropped connections, revoked and wrong credentials, unreachable Jenkins, unreachable git
 * remote), and everything they produced is scanned for the secret in all its forms
 * (test/helpers/secret-scan.ts: token, user:token, base64 of the Basic header, URL-encoded).
 * Failures must also exit 3 with a message and no stack trace.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { repoRoot, runCli, type CliResult } from '../helpers/cli.js';
import { findSecretLeaks, scanTreeForSecret, testSecret, urlWithUserInfo, type SecretLeak } from '../helpers/secret-scan.js';
import { countFault, newFigures, saveFigures } from '../reliability/figures.js';

const figures = newFigures();
afterAll(() => saveFigures('credential-leaks', figures));

const secret = testSecret('leak-user');
const wrong = testSecret('leak-user');
const STACK = /^\s+at .+:\d+:\d+\)?$/m;

let dir = '';
let home = '';
let standin: Standin;
const leaks: SecretLeak[] = [];

function scan(label: string, r: CliResult): void {
  for (const s of [secret, wrong]) {
    figures.leakScans++;
    const found = findSecretLeaks(r.stdout + '\n' + r.stderr, s, label);
    figures.leaksFound += found.length;
    leaks.push(...found);
  }
}

async function cli(label: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const r = await runCli(args, { cwd: dir, env: { JENKINS_URL: '', JENKINS_USER: '', JENKINS_API_TOKEN: '', ...env }, timeoutMs: 120_000 });
  scan(label, r);
  expect(r.stderr + r.stdout, `${label}: stack trace`).not.toMatch(STACK);
  return r;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-sec-cred-'));
  home = path.join(dir, 'home');
  await mkdir(path.join(dir, 'job-templates'), { recursive: true });
  await mkdir(path.join(dir, 'jobs'), { recursive: true });
  for (const t of ['CI-build-trunk', 'RC-build-branch', 'Pipeline-git']) {
    for (const ext of ['-config.xml', '.yaml']) await writeFile(path.join(dir, 'job-templates', t + ext), await readFile(path.join(repoRoot, 'job-templates', t + ext)));
  }
  for (const d of ['_defaults.yaml', 'payments.yaml', 'billing.yaml', 'storefront.yaml']) await writeFile(path.join(dir, 'jobs', d), await readFile(path.join(repoRoot, 'jobs', d)));
  await writeFile(path.join(dir, 'token.txt'), secret.token + '\n');
  standin = await startStandin({ home, port: 0, users: [{ name: secret.user, token: secret.token }] });
});

afterAll(async () => {
  await standin?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('credentials never leak', () => {
  it('through success, saved plans, failures and backups', async () => {
    const url = standin.url;
    const env = { JENKINS_URL: url, JENKINS_USER: secret.user, JENKINS_API_TOKEN: secret.token };

    // success paths
    const s1 = await cli('sync (env token)', ['sync', '--no-branches', '--json'], env);
    expect(s1.code, s1.stderr).toBe(0);
    const p1 = await cli('plan --out (token file)', ['plan', '--no-branches', '--out', 'plan.json', '--jenkins-url', url, '--user', secret.user, '--token-file', 'token.txt', '--diff', '--verbose']);
    expect(p1.code, p1.stderr).toBe(0);
    const a1 = await cli('apply saved plan', ['apply', 'plan.json'], env);
    expect([0, 3]).toContain(a1.code);
    const u1 = await cli('sync (URL with user info)', ['sync', '--no-branches', '--jenkins-url', urlWithUserInfo(url, secret)]);
    expect([0, 2]).toContain(u1.code); // accepted, or refused as a usage error: never echoed
    const ping = await cli('jenkins ping', ['jenkins', 'ping'], env);
    expect(ping.code, ping.stderr).toBe(0);
    const list = await cli('jenkins list', ['jenkins', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);

    // bulk edit with a backup, then undo
    const bulk = await cli('bulk --apply (backup)', ['bulk', '--match', '*', '--force', '--unmanage', '--set', 'description=bulk edited', '--apply', '--backup-dir', 'backup'], env);
    expect([0, 3], bulk.stderr).toContain(bulk.code);
    const undo = await cli('bulk --undo', ['bulk', '--undo', 'backup', '--force'], env);
    expect([0, 1, 3]).toContain(undo.code);

    // failures: each exits 3 (Jenkins/network) with a message
    const failures: Array<[string, () => void, NodeJS.ProcessEnv, string[]?]> = [
      ['every request answers 503', () => standin.faults.set({ errors: { '*': { rate: 1, status: 503 } } }), env],
      ['every request answers 500', () => standin.faults.set({ errors: { '*': { rate: 1, status: 500 } } }), env],
      ['connections dropped mid-request', () => standin.faults.set({ dropRequest: { '*': { rate: 1 } } }), env],
      ['connections dropped mid-response', () => standin.faults.set({ dropResponse: { '*': { rate: 1 } } }), env],
      ['credentials revoked', () => standin.faults.revokeCredentials(secret.user), env],
      ['wrong token', () => undefined, { ...env, JENKINS_API_TOKEN: wrong.token }],
      ['wrong token in the URL', () => undefined, { JENKINS_URL: urlWithUserInfo(url, wrong) }],
      ['Jenkins unreachable (URL with user info)', () => undefined, { JENKINS_URL: urlWithUserInfo('http://127.0.0.1:9/', secret) }],
      ['Jenkins unreachable (token in env)', () => undefined, { ...env, JENKINS_URL: 'http://127.0.0.1:9/' }],
    ];
    for (const [label, inject, e] of failures) {
      inject();
      countFault(figures, `CLI: ${label}`);
      // sync for every failure; plan too for the ones whose message differs most
      const cmds = [['sync', '--no-branches', '--retries', '1', '--timeout', '5']];
      if (/wrong token|unreachable \(URL|503/.test(label)) cmds.push(['plan', '--no-branches', '--retries', '1', '--timeout', '5']);
      for (const cmd of cmds) {
        const r = await cli(`${cmd[0]}: ${label}`, cmd, e);
        figures.syncs++;
        expect(r.code, `${cmd[0]} ${label}: ${r.stderr}`).toBe(3);
        expect(r.stderr.trim().length, label).toBeGreaterThan(0);
      }
      standin.faults.clear();
      standin.faults.restoreCredentials();
    }

    // a git remote URL with credentials that cannot be reached: reported, redacted
    await writeFile(
      path.join(dir, 'jobs', 'gitproj.yaml'),
      `templates: [Pipeline-git]\ntokens:\n  GIT.URL: https://git.example.com/x.git\n  GIT.CREDENTIALS: c\nbranches:\n  repo: ${urlWithUserInfo('http://127.0.0.1:9/repo.git', secret)}\n  templates: [Pipeline-git]\n`,
    );
    const g = await cli('sync with an unreachable git remote with user info', ['sync'], env);
    countFault(figures, 'CLI: git remote with credentials unreachable');
    expect(g.code, g.stderr).toBe(3);
    const gv = await cli('validate with a git remote with user info', ['validate'], env);
    expect([0, 1]).toContain(gv.code);
    await rm(path.join(dir, 'jobs', 'gitproj.yaml'));

    // files written: saved plan, backup, anything else in the work dir (not the stand-in's home,
    // which holds only what Jenkins holds), and the stand-in's home too
    for (const d of [dir]) {
      const found = (await scanTreeForSecret(d, secret)).filter((l) => !l.where.endsWith('token.txt'));
      figures.leakScans++;
      figures.leaksFound += found.length;
      leaks.push(...found);
    }
    expect(leaks.map((l) => `${l.where}: ${l.form}: ${l.context}`)).toEqual([]);
  }, 600_000);
});
