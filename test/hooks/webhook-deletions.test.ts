/**
 * What a webhook's sync may delete: an event on a branch repository tears down only the jobs of that
 * project's branches that are gone (with the grace); anything else a definitions change would delete
 * waits for a full sync, which a push to the definitions repository runs (with every guard).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { branchJobName } from '../../src/branches/branch-job-name.js';
import { GitRemote } from '../branches/fixtures.js';
import { BRANCH_TEMPLATE, git, hookEnv, pointedAt, type HookEnv } from './harness.js';

let env: HookEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const job = (project: string, branch: string): string => `team/${branchJobName(`${project}-Branch-build`, branch)}`;

function commitAndPush(e: HookEnv, files: Record<string, string>): void {
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(e.defs.work, f), text);
  git(e.defs.work, 'add', '.');
  git(e.defs.work, 'commit', '-q', '-m', 'definitions change');
  git(e.defs.work, 'push', '-q', 'origin', 'HEAD');
}

describe("what a webhook's sync deletes", () => {
  it("a branch event tears down only the gone branch's job; a template the project dropped waits for the definitions push's full sync", async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'shop');
    remote.push('main', 'feature/gone');
    const alpha = (withPlain: boolean): string =>
      `project: alpha\nfolder: team\n${withPlain ? 'templates: [Plain]\n' : ''}branches:\n  repo: ${remote.url}\n  templates: [Branch-build]\n  keep_days: 3\n`;
    commitAndPush(env, { 'job-templates/Plain-config.xml': BRANCH_TEMPLATE.replaceAll('$BRANCH.NAME', 'plain'), 'jobs/alpha.yaml': alpha(true) });
    await env.post('github-push', pointedAt('github-push', remote.url));
    await env.service.idle();
    const before = await env.jobs();
    const plain = [...before.keys()].find((n) => n.includes('Plain'));
    expect([...before.keys()].sort()).toEqual([plain, job('alpha', 'feature/gone'), job('alpha', 'main')].sort());

    // the project drops its Plain template (committed and pushed: the working copy is current), and a branch goes
    commitAndPush(env, { 'jobs/alpha.yaml': alpha(false) });
    remote.delete('feature/gone');
    const deleted = pointedAt('github-delete', remote.url);
    deleted.ref = 'feature/gone';
    await env.post('github-delete', deleted);
    await env.service.idle();
    const after = await env.jobs();
    expect(after.get(job('alpha', 'feature/gone'))).toMatchObject({ disabled: true });
    expect(after.get(job('alpha', 'feature/gone'))?.description).toMatch(/gone=/);
    expect(after.get(plain!)).toMatchObject({ disabled: false });
    expect(after.get(job('alpha', 'main'))).toMatchObject({ disabled: false });
    const [record] = await env.status();
    expect(record.status).toBe('done');
    expect(record.message).toBe('0 jobs created, 0 builds requested, 1 job torn down; 1 deletion or move left for a full sync (a webhook tears down only the jobs of branches that are gone)');

    // a push to the definitions repository runs the full sync: the dropped template's job goes
    await env.post('github-push', pointedAt('github-push', env.defs.bare));
    await env.service.idle();
    const full = await env.jobs();
    expect(full.has(plain!)).toBe(false);
    expect(full.get(job('alpha', 'feature/gone'))).toMatchObject({ disabled: true }); // still within its grace
    expect((await env.status())[0]).toMatchObject({ status: 'done', keys: ['(definitions)'], message: '0 jobs created, 0 builds requested, 1 job torn down' });
  });

  // A definitions change that narrows which of the remote's branches get jobs (include, exclude, a lower
  // max) is a definitions change: a branch event leaves those live branches' jobs for a full sync.
  it.each([
    { narrowing: 'include', block: '  include: ["main", "feature/*"]\n', keepDays: 0 },
    { narrowing: 'exclude', block: '  exclude: ["release/*"]\n', keepDays: 2 },
    { narrowing: 'max', block: '  max: 3\n', keepDays: 0 },
  ])("a push keeps the jobs of branches the remote still lists but a new $narrowing drops; the definitions push's full sync tears them down", async ({ block, keepDays }) => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'shop');
    remote.push('main', 'feature/a', 'feature/b', 'release/1');
    const shop = (extra: string): string => `project: shop\nfolder: team\nbranches:\n  repo: ${remote.url}\n  templates: [Branch-build]\n  keep_days: ${keepDays}\n${extra}`;
    commitAndPush(env, { 'jobs/shop.yaml': shop('') });
    await env.post('github-push', pointedAt('github-push', remote.url));
    await env.service.idle();
    const all = ['main', 'feature/a', 'feature/b', 'release/1'].map((b) => job('shop', b)).sort();
    expect([...(await env.jobs()).keys()].sort()).toEqual(all);

    // the definitions narrow the branches (committed and pushed; no event of the definitions repository yet)
    commitAndPush(env, { 'jobs/shop.yaml': shop(block) });
    await env.post('github-push', pointedAt('github-push', remote.url));
    await env.service.idle();
    const after = await env.jobs();
    expect([...after.keys()].sort()).toEqual(all);
    expect(after.get(job('shop', 'release/1'))).toMatchObject({ disabled: false });
    expect(after.get(job('shop', 'release/1'))?.description).not.toMatch(/gone=/);
    const [record] = await env.status();
    expect(record.status).toBe('done');
    expect(record.message).toBe('0 jobs created, 0 builds requested, 0 jobs torn down; 1 deletion or move left for a full sync (a webhook tears down only the jobs of branches that are gone)');

    // the definitions push runs the full sync, which drops the job as sync always has
    await env.post('github-push', pointedAt('github-push', env.defs.bare));
    await env.service.idle();
    const full = await env.jobs();
    expect((await env.status())[0]).toMatchObject({ status: 'done', keys: ['(definitions)'], message: '0 jobs created, 0 builds requested, 1 job torn down' });
    if (keepDays === 0) expect(full.has(job('shop', 'release/1'))).toBe(false);
    else expect(full.get(job('shop', 'release/1'))).toMatchObject({ disabled: true, description: expect.stringMatching(/gone=/) });
  });

  it('a branch the remote no longer lists is still torn down by a push while include drops others', async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'shop');
    remote.push('main', 'feature/a', 'release/1');
    const shop = (extra: string): string => `project: shop\nfolder: team\nbranches:\n  repo: ${remote.url}\n  templates: [Branch-build]\n  keep_days: 0\n${extra}`;
    commitAndPush(env, { 'jobs/shop.yaml': shop('') });
    await env.post('github-push', pointedAt('github-push', remote.url));
    await env.service.idle();
    commitAndPush(env, { 'jobs/shop.yaml': shop('  include: ["main", "feature/*"]\n') });
    remote.delete('feature/a');
    const deleted = pointedAt('github-delete', remote.url);
    deleted.ref = 'feature/a';
    await env.post('github-delete', deleted);
    await env.service.idle();
    const after = await env.jobs();
    expect([...after.keys()].sort()).toEqual([job('shop', 'main'), job('shop', 'release/1')].sort());
    expect((await env.status())[0].message).toBe('0 jobs created, 0 builds requested, 1 job torn down; 1 deletion or move left for a full sync (a webhook tears down only the jobs of branches that are gone)');
  });
});
