/**
 * Stopping serve with webhook events answered `queued`: they are served before it exits (as the running
 * sync is), within a time limit; those left are marked failed and reported (id, repository, refs),
 * and `jobsmith serve` prints them on stderr and exits 3. Real loopback stand-in, bare remotes, the
 * built CLI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { branchJobName } from '../../src/branches/branch-job-name.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { GitRemote } from '../branches/fixtures.js';
import { makeDefinitionsRepo, type DefinitionsRepo } from '../form/git-fixtures.js';
import { cliPath } from '../helpers/cli.js';
import { BRANCH_TEMPLATE, hookEnv, pointedAt, SECRET, type HookEnv } from './harness.js';
import { headersFor } from './payloads.js';

let env: HookEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const job = (project: string, branch: string): string => `team/${branchJobName(`${project}-Branch-build`, branch)}`;

function createdPush(url: string, branch: string): Record<string, any> {
  const p = pointedAt('github-push', url);
  Object.assign(p, { ref: `refs/heads/${branch}`, before: '0'.repeat(40), created: true, deleted: false });
  return p;
}

describe('HookService.close: the events answered queued', () => {
  it('are served before it returns (without waiting for them to settle); nothing is left; later events are refused', async () => {
    env = await hookEnv({ settleMs: 60_000 });
    const a = new GitRemote(env.root, 'a');
    a.push('main', 'feature/new');
    env.define('alpha', a.url);
    const r = await env.post('github-push', createdPush(a.url, 'feature/new'));
    expect(r.json.status).toBe('queued');
    expect(env.service.unserved).toBe(1);
    const left = await env.service.close({ waitMs: 30_000 });
    expect(left).toEqual([]);
    expect(env.service.unserved).toBe(0);
    expect((await env.status())[0]).toMatchObject({ id: r.json.id, status: 'done', built: [job('alpha', 'feature/new')] });
    expect((await env.jobs()).has(job('alpha', 'feature/new'))).toBe(true);
    const late = await env.post('github-push', pointedAt('github-push', a.url));
    expect(late.json).toMatchObject({ status: 'failed', message: 'serve is stopping' });
  });

  it('within the time limit only: a sync that has not ended and the events behind it are returned and marked failed', async () => {
    env = await hookEnv({ settleMs: 0 });
    const a = new GitRemote(env.root, 'a');
    const b = new GitRemote(env.root, 'b');
    a.push('main');
    b.push('main', 'feature/b');
    env.define('alpha', a.url);
    env.define('beta', b.url);
    env.standin.faults.set({ slowListingMs: 3_000 });
    const first = await env.post('github-push', createdPush(a.url, 'main'));
    await new Promise((r) => setTimeout(r, 300)); // alpha's sync is running (its listing is slow)
    const second = await env.post('github-push', createdPush(b.url, 'feature/b'));
    const left = await env.service.close({ waitMs: 500 });
    expect(left).toEqual([
      { id: first.json.id, repo: 'acme/payments', refs: [{ ref: 'refs/heads/main', kind: 'created' }], status: 'running' },
      { id: second.json.id, repo: 'acme/payments', refs: [{ ref: 'refs/heads/feature/b', kind: 'created' }], status: 'queued' },
    ]);
    const status = await env.status();
    expect(status.find((e) => e.id === second.json.id)).toMatchObject({ status: 'failed', message: 'serve stopped before this event was synced' });
    expect(status.find((e) => e.id === first.json.id)).toMatchObject({ status: 'failed', message: 'serve stopped while the sync of this event ran: it may be partly applied' });
    env.standin.faults.clear();
  });

  it('an abort signal (a second Ctrl-C) stops the wait at once', async () => {
    env = await hookEnv({ settleMs: 60_000 });
    const a = new GitRemote(env.root, 'a');
    a.push('main');
    env.define('alpha', a.url);
    const stop = new AbortController();
    stop.abort();
    const r = await env.post('github-push', createdPush(a.url, 'main'));
    const left = await env.service.close({ waitMs: 30_000, signal: stop.signal });
    expect(left.map((e) => [e.id, e.status])).toEqual([[r.json.id, 'queued']]);
    expect(env.batches).toEqual([]);
    expect(await env.jobs()).toEqual(new Map());
  });
});

describe('jobsmith serve stopped with webhook events answered queued', () => {
  let repo: DefinitionsRepo | undefined;
  let standin: Standin | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    child?.kill('SIGKILL');
    await standin?.close();
    repo?.cleanup();
    repo = standin = child = undefined;
  });

  async function serve(extra: string[]): Promise<{ url: string; err: () => string; out: () => string; exit: Promise<number | null>; remote: GitRemote }> {
    repo = makeDefinitionsRepo({ 'job-templates/Branch-build-config.xml': BRANCH_TEMPLATE, 'jobs/_defaults.yaml': 'tokens: {}\n' });
    const remote = new GitRemote(repo.root, 'shop');
    remote.push('main', 'feature/new');
    fs.writeFileSync(path.join(repo.work, 'jobs', 'shop.yaml'), `project: shop\nbranches:\n  repo: ${remote.url}\n  templates: [Branch-build]\n`);
    standin = await startStandin({ home: path.join(repo.root, 'home'), buildDurationMs: 100, quietPeriodMs: 0 });
    const c = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--jenkins-url', standin.url, ...extra], {
      cwd: repo.work,
      env: { ...process.env, JOBSMITH_WEBHOOK_SECRET: SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    let out = '';
    let err = '';
    c.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exit = new Promise<number | null>((r) => c.once('exit', (code) => r(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`serve did not start: ${out} ${err}`)), 45_000);
      c.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
        if (m && /^webhooks: /m.test(out)) (clearTimeout(t), resolve(m[1]!));
      });
    });
    return { url, err: () => err, out: () => out, exit, remote };
  }

  async function post(url: string, body: object): Promise<any> {
    const text = JSON.stringify(body);
    const res = await fetch(`${url}/hooks/github`, { method: 'POST', headers: headersFor('github-push', text, SECRET), body: text });
    return res.json();
  }

  it('SIGTERM right after an event was answered queued: the event is served before exit (exit 0), its job exists and was built', async () => {
    const s = await serve([]);
    const answer = await post(s.url, createdPush(s.remote.url, 'feature/new'));
    expect(answer.status).toBe('queued');
    child!.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    const api = new JenkinsClient({ url: standin!.url + '/', retries: 0 });
    try {
      const names = (await api.list()).items.map((i) => i.fullName);
      expect(names).toContain(branchJobName('shop-Branch-build', 'feature/new'));
      expect(standin!.requestCounts()['POST build']).toBe(1);
    } finally {
      await api.close();
    }
    expect(s.err()).not.toMatch(/^error: /m);
    expect(s.out() + s.err()).not.toContain(SECRET);
  });

  it('events left when the time limit passes are printed on stderr (id, repository, refs; no secret) and serve exits 3', async () => {
    const s = await serve(['--stop-timeout', '0']);
    const answer = await post(s.url, createdPush(s.remote.url, 'feature/new'));
    expect(answer.status).toBe('queued');
    child!.kill('SIGTERM');
    expect(await s.exit).toBe(3);
    expect(s.err()).toContain(
      `error: serve stopped before 1 webhook event it had answered queued was synced (the git server will not send it again: the sync master job's next run catches up, or redeliver from the git server):\n  ${answer.id}  acme/payments  refs/heads/feature/new (created)\n`,
    );
    expect(s.out() + s.err()).not.toContain(SECRET);
    expect(standin!.requestCounts()['POST createItem'] ?? 0).toBe(0);
  });

  it('--stop-timeout out of range is a usage error (exit 2)', async () => {
    repo = makeDefinitionsRepo({ 'job-templates/Branch-build-config.xml': BRANCH_TEMPLATE, 'jobs/_defaults.yaml': 'tokens: {}\n' });
    const c = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--embedded', path.join(repo.root, 'standin'), '--stop-timeout', '-1'], { cwd: repo.work, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let err = '';
    c.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    expect(await new Promise((r) => c.once('exit', r))).toBe(2);
    expect(err).toContain('--stop-timeout must be a number of seconds from 0 to 3600, not -1');
  });
});
