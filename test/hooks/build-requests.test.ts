/**
 * Which branch jobs a webhook's sync builds (one rule for both paths, src/hooks/hook-service.ts
 * createdIn): only those of (project, branch) pairs an event of the batch created; a job jobsmith
 * re-enables because its branch came back counts as created. Real loopback stand-in, bare remotes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { branchJobName } from '../../src/branches/branch-job-name.js';
import { GitRemote } from '../branches/fixtures.js';
import { git, hookEnv, pointedAt, type HookEnv } from './harness.js';

let env: HookEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const job = (project: string, branch: string): string => `team/${branchJobName(`${project}-Branch-build`, branch)}`;
const ZERO = '0'.repeat(40);

async function buildsOf(e: HookEnv, fullName: string): Promise<number> {
  // a build request is queued, then started: count both
  const started = (await e.api.listBuilds(fullName)).length;
  const queued = (await (await fetch(`${e.standin.url}/queue/api/json`)).json()) as { items: Array<{ task: { url: string } }> };
  return started + queued.items.filter((i) => decodeURIComponent(i.task.url).includes(`/job/${fullName.split('/').pop()}/`)).length;
}

/** A GitHub push to an existing branch (before and after both commits). */
function pushTo(url: string, branch: string): Record<string, any> {
  const p = pointedAt('github-push', url);
  Object.assign(p, { ref: `refs/heads/${branch}`, before: '1'.repeat(40), after: '2'.repeat(40), created: false, deleted: false });
  return p;
}

/** A GitHub push that created the branch. */
function created(url: string, branch: string): Record<string, any> {
  const p = pointedAt('github-push', url);
  Object.assign(p, { ref: `refs/heads/${branch}`, before: ZERO, created: true, deleted: false });
  return p;
}

describe('builds go only to the branches the events created', () => {
  it('a push to an existing branch builds none of the branch jobs its sync creates; a creating push builds just its branch', async () => {
    env = await hookEnv({ settleMs: 300 });
    const remote = new GitRemote(env.root, 'shop');
    remote.push('main');
    env.define('shop', remote.url, '  include: ["main"]\n');
    await env.post('github-push', pushTo(remote.url, 'main'));
    await env.service.idle();
    // the definitions widen include (not committed yet: serve's working copy has it); the repository has more branches
    remote.push('feature/a', 'feature/b', 'deploy/prod');
    env.define('shop', remote.url, '  include: ["*", "*/*"]\n');
    env.standin.resetCounts();
    const r = await env.post('github-push', pushTo(remote.url, 'main'));
    expect(r.json.status).toBe('queued');
    await env.service.idle();
    const [record] = await env.status();
    expect(record).toMatchObject({ status: 'done', created: [job('shop', 'deploy/prod'), job('shop', 'feature/a'), job('shop', 'feature/b')].sort(), built: [] });
    expect(record.message).toBe('3 jobs created, 0 builds requested, 0 jobs torn down');
    expect(env.standin.requestCounts()['POST build'] ?? 0).toBe(0);

    // a push to main and the creation of feature/new in one batch: only feature/new is built
    remote.push('feature/new', 'feature/other');
    await Promise.all([env.post('github-push', pushTo(remote.url, 'main')), env.post('github-push', created(remote.url, 'feature/new'))]);
    await env.service.idle();
    const last = env.batches.at(-1)!;
    expect(last.batch.events).toHaveLength(2);
    expect(last.result.created.map((c) => c.fullName)).toEqual([job('shop', 'feature/new'), job('shop', 'feature/other')].sort());
    expect(last.result.built.map((c) => c.fullName)).toEqual([job('shop', 'feature/new')]);
    expect(env.standin.requestCounts()['POST build']).toBe(1);
    expect(await buildsOf(env, job('shop', 'feature/new'))).toBe(1);
    expect(await buildsOf(env, job('shop', 'feature/other'))).toBe(0);
  });

  it('a new project gets its jobs through its first event: only the branch that event created is built', async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'shop');
    remote.push('main', 'release/1', 'feature/x');
    env.define('shop', remote.url);
    await env.post('gitlab-push', Object.assign(pointedAt('gitlab-push', remote.url), { ref: 'refs/heads/feature/x' }));
    await env.service.idle();
    const [record] = await env.status();
    expect(record.created).toEqual([job('shop', 'feature/x'), job('shop', 'main'), job('shop', 'release/1')].sort());
    expect(record.built).toEqual([job('shop', 'feature/x')]);
    expect(record.message).toBe('3 jobs created, 1 build requested, 0 jobs torn down');
  });

  it('the definitions path: a push (not a creation) served with a definitions change builds nothing; a creation is built', async () => {
    env = await hookEnv({ settleMs: 400 });
    const remote = new GitRemote(env.root, 'pay');
    remote.push('main');
    env.define('pay', remote.url, '  include: ["main"]\n');
    git(env.defs.work, 'add', '.');
    git(env.defs.work, 'commit', '-q', '-m', 'add pay');
    git(env.defs.work, 'push', '-q', 'origin', 'HEAD');
    await env.post('github-push', pushTo(remote.url, 'main'));
    await env.service.idle();
    // a colleague widens include; the repository has an old branch and a new one
    remote.push('feature/old', 'feature/new');
    const other = env.defs.clone('colleague');
    fs.writeFileSync(path.join(other, 'jobs', 'pay.yaml'), fs.readFileSync(path.join(env.defs.work, 'jobs', 'pay.yaml'), 'utf8').replace('include: ["main"]', 'include: ["*", "*/*"]'));
    git(other, 'commit', '-q', '-am', 'every branch');
    git(other, 'push', '-q', 'origin', 'HEAD');
    env.batches.length = 0;
    await Promise.all([
      env.post('github-push', pushTo(remote.url, 'feature/old')),
      env.post('github-push', created(remote.url, 'feature/new')),
      env.post('github-push', pointedAt('github-push', env.defs.bare)),
    ]);
    await env.service.idle();
    expect(env.batches.map((b) => b.batch.keys)).toEqual([['(definitions)', 'pay']]);
    const { result } = env.batches[0]!;
    expect(result.ok).toBe(true);
    expect(result.created.map((c) => c.fullName)).toEqual([job('pay', 'feature/new'), job('pay', 'feature/old')]);
    expect(result.built.map((c) => c.fullName)).toEqual([job('pay', 'feature/new')]);
  });
});

describe('a branch created again within the grace period', () => {
  it('the job jobsmith re-enables counts as created: it gets its one build request and the message counts it', async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'shop');
    remote.push('main', 'feat');
    env.define('shop', remote.url, '  keep_days: 7\n');
    await env.post('github-push', pushTo(remote.url, 'main'));
    await env.service.idle();
    expect((await env.jobs()).get(job('shop', 'feat'))).toMatchObject({ disabled: false });

    remote.delete('feat');
    const del = pointedAt('github-delete', remote.url);
    del.ref = 'feat';
    await env.post('github-delete', del);
    await env.service.idle();
    expect((await env.jobs()).get(job('shop', 'feat'))).toMatchObject({ disabled: true, description: expect.stringMatching(/gone=/) });
    env.standin.resetCounts();

    remote.push('feat');
    const r = await env.post('github-push', created(remote.url, 'feat'));
    expect(r.json.status).toBe('queued');
    await env.service.idle();
    const back = (await env.jobs()).get(job('shop', 'feat'));
    expect(back?.disabled).toBe(false);
    expect(back?.description).not.toMatch(/gone=/);
    const [record] = await env.status();
    expect(record).toMatchObject({ status: 'done', created: [job('shop', 'feat')], built: [job('shop', 'feat')] });
    expect(record.message).toBe('1 job created (1 re-enabled: its branch is back), 1 build requested, 0 jobs torn down');
    expect(env.standin.requestCounts()['POST build']).toBe(1);
    expect(await buildsOf(env, job('shop', 'feat'))).toBe(1);
  });

  it('a retired job that comes back through a push that did not create its branch is re-enabled and counted, not built', async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'shop');
    remote.push('main', 'feat');
    env.define('shop', remote.url, '  keep_days: 7\n');
    await env.post('github-push', pushTo(remote.url, 'main'));
    await env.service.idle();
    remote.delete('feat');
    await env.post('github-push', pushTo(remote.url, 'main'));
    await env.service.idle();
    expect((await env.jobs()).get(job('shop', 'feat'))).toMatchObject({ disabled: true });
    // the branch came back, but its creation event was missed: a later push to main serves it
    remote.push('feat');
    env.standin.resetCounts();
    await env.post('github-push', pushTo(remote.url, 'main'));
    await env.service.idle();
    const [record] = await env.status();
    expect(record).toMatchObject({ status: 'done', created: [job('shop', 'feat')], built: [] });
    expect(record.message).toBe('1 job created (1 re-enabled: its branch is back), 0 builds requested, 0 jobs torn down');
    expect((await env.jobs()).get(job('shop', 'feat'))).toMatchObject({ disabled: false });
    expect(env.standin.requestCounts()['POST build'] ?? 0).toBe(0);
  });
});
