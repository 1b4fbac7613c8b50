/**
 * Webhooks against real parts: serve's HTTP server on loopback, bare git remotes, the stand-in.
 * Each provider's signed events create a new branch's jobs and build them; unsigned ones do nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { branchJobName } from '../../src/branches/branch-job-name.js';
import { GitRemote } from '../branches/fixtures.js';
import { hookEnv, pointedAt, SECRET, type HookEnv } from './harness.js';
import type { PayloadName } from './payloads.js';
import { findSecretLeaks, testSecret } from '../helpers/secret-scan.js';

let env: HookEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const job = (project: string, branch: string): string => `team/${branchJobName(`${project}-Branch-build`, branch)}`;

async function waitFor<T>(what: string, f: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function builds(e: HookEnv, fullName: string): Promise<number> {
  return (await e.api.listBuilds(fullName)).length;
}

describe('webhooks: each provider', () => {
  const cases: Array<{ name: PayloadName; patch?: (p: any) => void }> = [
    { name: 'github-push' },
    { name: 'github-create' },
    { name: 'gitlab-push' },
    { name: 'gitea-create' },
    { name: 'bitbucket-refs-changed', patch: (p) => (p.changes = [p.changes[0]]) },
  ];
  for (const c of cases) {
    it(`${c.name}: unsigned is 401 and does nothing; signed creates the project's branch jobs and builds the new branch's once`, async () => {
      env = await hookEnv();
      const remote = new GitRemote(env.root, 'payments');
      remote.push('main');
      env.define('pay', remote.url);
      remote.push('feature/PAY-1');
      const body = pointedAt(c.name, remote.url);
      c.patch?.(body);

      const unsigned = await env.post(c.name, body, { secret: null });
      expect(unsigned.status).toBe(401);
      expect(unsigned.json).toEqual({ status: 'refused', message: 'missing or wrong signature' });
      const wrong = await env.post(c.name, body, { secret: 'not-the-secret' });
      expect(wrong.status).toBe(401);
      await env.service.idle();
      expect(env.batches).toEqual([]);
      expect(await env.jobs()).toEqual(new Map());
      expect(await env.status()).toEqual([]); // refused requests are not even recorded

      const signed = await env.post(c.name, body);
      expect(signed.status).toBe(202);
      expect(signed.json).toMatchObject({ status: 'queued', id: expect.stringMatching(/^[A-Za-z0-9_-]{12}$/) });
      await env.service.idle();
      const jobs = await env.jobs();
      expect([...jobs.keys()].sort()).toEqual([job('pay', 'feature/PAY-1'), job('pay', 'main')].sort());
      const [record] = await env.status();
      expect(record).toMatchObject({ id: signed.json.id, status: 'done', keys: ['pay'], created: [job('pay', 'feature/PAY-1'), job('pay', 'main')].sort() });
      // only the branch the event created is built (main existed before: no push created it)
      expect(record.built).toEqual([job('pay', 'feature/PAY-1')]);
      expect(record.message).toBe('2 jobs created, 1 build requested, 0 jobs torn down');
      // the build request was real: the new branch's job gets exactly one build
      await waitFor('the builds', async () => ((await builds(env!, job('pay', 'feature/PAY-1'))) === 1 ? true : undefined));
      expect(await builds(env, job('pay', 'main'))).toBe(0);

      // the same event again: the jobs exist, nothing new is built
      const again = await env.post(c.name, body);
      expect(again.status).toBe(202);
      await env.service.idle();
      expect((await env.status())[0]).toMatchObject({ status: 'done', created: [], built: [], message: '0 jobs created, 0 builds requested, 0 jobs torn down' });
      expect(await builds(env, job('pay', 'feature/PAY-1'))).toBe(1);
    });
  }
});

describe('webhooks: what an event may and may not do', () => {
  it('400 on malformed JSON (after the signature), 202 ignored for a repository no definition names, a ping, a tag', async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'payments');
    remote.push('main');
    env.define('pay', remote.url);
    const bad = await env.post('github-push', '{"ref": "refs/heads/x", ');
    expect(bad.status).toBe(400);
    expect(bad.json.status).toBe('malformed');
    expect(bad.json.message).toMatch(/the body is not JSON/);
    const badUnsigned = await env.post('github-push', '{"ref": ', { secret: null });
    expect(badUnsigned.status).toBe(401);

    const other = new GitRemote(env.root, 'unrelated');
    other.push('main');
    const ignored = await env.post('github-push', pointedAt('github-push', other.url));
    expect(ignored).toMatchObject({ status: 202, json: { status: 'ignored', message: 'no definition names this repository' } });
    const ping = await env.post('github-push', { zen: 'Keep it logically awesome.', hook_id: 1 }, { headers: { 'X-GitHub-Event': 'ping' } });
    expect(ping).toMatchObject({ status: 202, json: { status: 'ignored', message: 'a ping' } });
    const tag = pointedAt('github-create', remote.url);
    tag.ref = 'v1.0';
    tag.ref_type = 'tag';
    expect((await env.post('github-create', tag)).json.status).toBe('ignored');
    await env.service.idle();
    expect(env.batches).toEqual([]);
    expect(await env.jobs()).toEqual(new Map());
    expect((await env.status()).map((r) => r.status)).toEqual(['ignored', 'ignored', 'ignored']);
  });

  it('build_on_create: false creates the job without building it', async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'quiet');
    remote.push('main');
    env.define('quiet', remote.url, '  build_on_create: false\n');
    const r = await env.post('github-push', pointedAt('github-push', remote.url));
    expect(r.status).toBe(202);
    await env.service.idle();
    expect([...(await env.jobs()).keys()]).toEqual([job('quiet', 'main')]);
    const [record] = await env.status();
    expect(record).toMatchObject({ status: 'done', created: [job('quiet', 'main')], built: [] });
    expect(env.standin.requestCounts()['POST build'] ?? 0).toBe(0);
    expect(await builds(env, job('quiet', 'main'))).toBe(0);
  });

  it('a forged delete (valid signature, branch still on the remote) tears nothing down; a real one retires the job with its grace', async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'payments');
    remote.push('main', 'feature/live');
    env.define('pay', remote.url, '  keep_days: 3\n');
    await env.post('github-push', pointedAt('github-push', remote.url));
    await env.service.idle();
    expect((await env.jobs()).get(job('pay', 'feature/live'))).toMatchObject({ disabled: false });

    const forged = pointedAt('github-delete', remote.url);
    forged.ref = 'feature/live';
    expect((await env.post('github-delete', forged)).status).toBe(202);
    await env.service.idle();
    expect((await env.jobs()).get(job('pay', 'feature/live'))).toMatchObject({ disabled: false });
    expect((await env.status())[0]).toMatchObject({ status: 'done', message: '0 jobs created, 0 builds requested, 0 jobs torn down' });

    remote.delete('feature/live');
    await env.post('github-delete', forged);
    await env.service.idle();
    const gone = (await env.jobs()).get(job('pay', 'feature/live'));
    expect(gone?.disabled).toBe(true); // disabled at once, deleted after keep_days
    expect(gone?.description).toMatch(/gone=/);
    expect((await env.status())[0].message).toBe('0 jobs created, 0 builds requested, 1 job torn down');
  });

  it('an unreachable remote tears nothing down and the event fails, saying why', async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'moving');
    remote.push('main');
    env.define('pay', remote.url);
    await env.post('gitlab-push', pointedAt('gitlab-push', remote.url));
    await env.service.idle();
    fs.renameSync(remote.bare, remote.bare + '-moved');
    await env.post('gitlab-push', pointedAt('gitlab-push', remote.url));
    await env.service.idle();
    expect((await env.jobs()).get(job('pay', 'main'))).toMatchObject({ disabled: false });
    const [record] = await env.status();
    expect(record.status).toBe('failed');
    expect(record.message).toMatch(/branch listing failed/);
  });

  it('a push to an existing branch changes nothing in Jenkins', async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'payments');
    remote.push('main');
    env.define('pay', remote.url);
    await env.post('gitea-push', pointedAt('gitea-create', remote.url), { headers: { 'X-Gitea-Event': 'create' } });
    await env.service.idle();
    env.standin.resetCounts();
    const push = pointedAt('gitea-push', remote.url);
    push.ref = 'refs/heads/main';
    expect((await env.post('gitea-push', push)).status).toBe(202);
    await env.service.idle();
    const writes = Object.keys(env.standin.requestCounts()).filter((route) => !route.startsWith('GET'));
    expect(writes).toEqual([]);
    expect((await env.status())[0]).toMatchObject({ status: 'done', refs: [{ ref: 'refs/heads/main', kind: 'pushed' }] });
  });

  it("an event for one project never touches another project's jobs (even when the other's branches are gone)", async () => {
    env = await hookEnv();
    const a = new GitRemote(env.root, 'a');
    const b = new GitRemote(env.root, 'b');
    a.push('main');
    b.push('main', 'feature/b1');
    env.define('alpha', a.url, '  keep_days: 0\n');
    env.define('beta', b.url, '  keep_days: 0\n');
    await env.post('github-push', pointedAt('github-push', a.url));
    await env.post('github-push', pointedAt('github-push', b.url));
    await env.service.idle();
    expect([...(await env.jobs()).keys()].sort()).toEqual([job('alpha', 'main'), job('beta', 'feature/b1'), job('beta', 'main')].sort());
    b.delete('feature/b1');
    a.push('feature/a1');
    env.batches.length = 0;
    await env.post('github-push', pointedAt('github-push', a.url));
    await env.service.idle();
    expect(env.batches.map((x) => x.batch.keys)).toEqual([['alpha']]);
    const jobs = await env.jobs();
    expect(jobs.get(job('beta', 'feature/b1'))).toMatchObject({ disabled: false });
    expect(jobs.has(job('alpha', 'feature/a1'))).toBe(true);
  });

  it('a burst of 50 pushes to one repository runs at most two syncs of it, and every event gets the outcome', async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'busy');
    remote.push('main', 'feature/PAY-1');
    env.define('busy', remote.url);
    const body = pointedAt('github-push', remote.url);
    const answers = await Promise.all(Array.from({ length: 50 }, () => env!.post('github-push', body)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(202));
    expect(new Set(answers.map((a) => a.json.id)).size).toBe(50);
    await env.service.idle();
    expect(env.batches.length).toBeGreaterThanOrEqual(1);
    expect(env.batches.length).toBeLessThanOrEqual(2);
    const events = env.batches.flatMap((b) => b.batch.events);
    expect(events.sort()).toEqual(answers.map((a) => a.json.id).sort());
    const status = await env.status();
    expect(status).toHaveLength(50);
    expect(status.every((r) => r.status === 'done')).toBe(true);
    // the burst created feature/PAY-1 (50 times): its job is built once; main's job is created, not built
    expect(await builds(env, job('busy', 'feature/PAY-1'))).toBeLessThanOrEqual(1);
    expect(await builds(env, job('busy', 'main'))).toBe(0);
    expect((env.standin.requestCounts()['POST build'] ?? 0)).toBe(1);
  });

  it('neither the webhook secret nor a repository credential appears in answers, the status (JSON and HTML) or failures', async () => {
    const hook = testSecret('hook');
    const repoCred = testSecret('git-user');
    env = await hookEnv({ secrets: { github: hook.token, gitlab: hook.token, gitea: hook.token, bitbucket: hook.token } });
    const remote = new GitRemote(env.root, 'payments');
    remote.push('main');
    // a definition naming its repository with credentials (the sync's listing fails: file:// with user info)
    env.define('pay', `https://${repoCred.user}:${repoCred.token}@git.example.invalid/acme/payments.git`);
    const texts: string[] = [];
    const body = pointedAt('gitlab-push', 'https://git.example.invalid/acme/payments.git');
    body.project.path_with_namespace = `https://${repoCred.user}:${repoCred.token}@git.example.invalid/acme/payments`;
    texts.push((await env.post('gitlab-push', body, { secret: hook.token })).text);
    texts.push((await env.post('gitlab-push', body, { secret: hook.token + 'x' })).text);
    texts.push((await env.post('github-push', 'not json', { secret: hook.token })).text);
    texts.push((await env.post('gitea-push', pointedAt('gitea-push', remote.url), { secret: hook.token })).text);
    await env.service.idle();
    const status = await env.status();
    expect(status.map((r) => r.status)).toEqual(['ignored', 'failed']);
    expect(status[1].message).toMatch(/branch listing failed/);
    texts.push(JSON.stringify(status));
    texts.push(await (await fetch(`${env.server.url}/hooks/status`, { headers: { accept: 'text/html' } })).text());
    for (const t of texts) {
      expect(findSecretLeaks(t, hook)).toEqual([]);
      expect(findSecretLeaks(t, repoCred)).toEqual([]);
    }
  });
});

describe('webhooks: the status page', () => {
  it('JSON by default, an HTML table for browsers with every value escaped; 404 and 405 elsewhere under /hooks', async () => {
    env = await hookEnv();
    const body = pointedAt('github-push', 'https://github.com/acme/<script>alert(1)</script>.git');
    body.repository.full_name = 'acme/<script>alert(1)</script>';
    await env.post('github-push', body);
    const html = await fetch(`${env.server.url}/hooks/status`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const page = await html.text();
    expect(page).toContain('acme/&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert');
    expect(page).toMatch(/<td class="status s-ignored">ignored<\/td>/);
    const json = await fetch(`${env.server.url}/hooks/status`);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(((await json.json()) as any).events[0]).toMatchObject({ provider: 'github', event: 'push', repo: 'acme/<script>alert(1)</script>', status: 'ignored' });
    expect((await fetch(`${env.server.url}/hooks/jenkins`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${env.server.url}/hooks/github`)).status).toBe(405);
    expect((await fetch(`${env.server.url}/hooks/status`, { method: 'POST' })).status).toBe(405);
  });

  it('keeps the last 100 events', async () => {
    env = await hookEnv();
    for (let i = 0; i < 105; i++) await env.post('github-push', { zen: `z${i}` }, { headers: { 'X-GitHub-Event': 'ping' } });
    const status = await env.status();
    expect(status).toHaveLength(100);
  });

  it('no secret configured: every event is refused and says which variable to set', async () => {
    env = await hookEnv({ secrets: { gitlab: SECRET } });
    const r = await env.post('github-push', { zen: 'x' }, { headers: { 'X-GitHub-Event': 'ping' } });
    expect(r.status).toBe(401);
    expect(r.json.message).toMatch(/JOBSMITH_WEBHOOK_SECRET/);
    expect((await env.post('gitlab-push', { zen: 'x' }, { headers: { 'X-Gitlab-Event': 'Note Hook' } })).status).toBe(202);
  });
});

describe('webhooks: the definitions repository', () => {
  it("a push to it pulls serve's working copy (fast-forward) and syncs: a new project's branch jobs appear", async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'payments');
    remote.push('main', 'feature/x');
    const other = env.defs.clone('colleague');
    fs.writeFileSync(path.join(other, 'jobs', 'pay.yaml'), `project: pay\nfolder: team\nbranches:\n  repo: ${remote.url}\n  templates: [Branch-build]\n`);
    const { git } = await import('./harness.js');
    git(other, 'add', '.');
    git(other, 'commit', '-q', '-m', 'add pay');
    git(other, 'push', '-q', 'origin', 'main');
    const r = await env.post('github-push', pointedAt('github-push', env.defs.bare));
    expect(r.json.status).toBe('queued');
    await env.service.idle();
    expect(fs.existsSync(path.join(env.defs.work, 'jobs', 'pay.yaml'))).toBe(true);
    expect(git(env.defs.work, 'rev-parse', 'HEAD')).toBe(git(other, 'rev-parse', 'HEAD'));
    expect([...(await env.jobs()).keys()].sort()).toEqual([job('pay', 'feature/x'), job('pay', 'main')].sort());
    const [record] = await env.status();
    // a new project's existing branches are no push: their jobs are created, not built
    expect(record).toMatchObject({ status: 'done', keys: ['(definitions)'], created: [job('pay', 'feature/x'), job('pay', 'main')].sort(), built: [] });
    expect(env.standin.requestCounts()['POST build'] ?? 0).toBe(0);
  });

  it('a definitions push and a branch push in one batch: everything synced once, only the pushed branch built', async () => {
    env = await hookEnv({ settleMs: 400 });
    const remote = new GitRemote(env.root, 'payments');
    remote.push('main');
    const other = env.defs.clone('colleague');
    const { git } = await import('./harness.js');
    fs.writeFileSync(path.join(other, 'jobs', 'pay.yaml'), `project: pay\nfolder: team\nbranches:\n  repo: ${remote.url}\n  templates: [Branch-build]\n`);
    git(other, 'add', '.');
    git(other, 'commit', '-q', '-m', 'add pay');
    git(other, 'push', '-q', 'origin', 'main');
    remote.push('feature/new');
    const branchPush = pointedAt('github-push', remote.url);
    branchPush.ref = 'refs/heads/feature/new';
    // the branch event first: serve does not know the project yet, so it is ignored...
    expect((await env.post('github-push', branchPush)).json.status).toBe('ignored');
    await env.post('github-push', pointedAt('github-push', env.defs.bare));
    await env.service.idle();
    expect(env.batches.map((b) => b.batch.keys)).toEqual([['(definitions)']]);
    // ...and once the definitions name it, the same push arriving with a definitions push is built
    remote.push('feature/second');
    const second = pointedAt('github-push', remote.url);
    second.ref = 'refs/heads/feature/second';
    fs.writeFileSync(path.join(other, 'jobs', 'pay.yaml'), `project: pay\nfolder: team\nbranches:\n  repo: ${remote.url}\n  templates: [Branch-build]\n  keep_days: 5\n`);
    git(other, 'commit', '-q', '-am', 'keep longer');
    git(other, 'push', '-q', 'origin', 'main');
    await Promise.all([env.post('github-push', second), env.post('github-push', pointedAt('github-push', env.defs.bare))]);
    await env.service.idle();
    expect(env.batches.map((b) => b.batch.keys)).toEqual([['(definitions)'], ['(definitions)', 'pay']]);
    expect(env.batches[1]!.result.created.map((c) => c.fullName)).toEqual([job('pay', 'feature/second')]);
    expect(env.batches[1]!.result.built.map((c) => c.fullName)).toEqual([job('pay', 'feature/second')]);
  });

  it('a pull that fails (diverged working copy) syncs nothing and the event fails', async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'payments');
    remote.push('main');
    const other = env.defs.clone('colleague');
    const { git } = await import('./harness.js');
    fs.writeFileSync(path.join(other, 'jobs', 'pay.yaml'), `project: pay\nfolder: team\nbranches:\n  repo: ${remote.url}\n  templates: [Branch-build]\n`);
    git(other, 'add', '.');
    git(other, 'commit', '-q', '-m', 'add pay');
    git(other, 'push', '-q', 'origin', 'main');
    fs.writeFileSync(path.join(env.defs.work, 'jobs', 'local.yaml'), `project: local\nfolder: team\nbranches:\n  repo: ${remote.url}\n  templates: [Branch-build]\n`);
    git(env.defs.work, 'add', '.');
    git(env.defs.work, 'commit', '-q', '-m', 'local change');
    await env.post('gitlab-push', pointedAt('gitlab-push', env.defs.bare));
    await env.service.idle();
    const [record] = await env.status();
    expect(record.status).toBe('failed');
    expect(record.message).toMatch(/^git pull --ff-only origin failed, nothing was synced: /);
    expect(fs.existsSync(path.join(env.defs.work, 'jobs', 'pay.yaml'))).toBe(false);
    expect(await env.jobs()).toEqual(new Map());
  });
});
