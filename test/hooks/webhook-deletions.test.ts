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
import { hookRunner, STALE_REMEDY } from '../../src/hooks/hook-runner.js';
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

  it("a definitions remote rewound by a force-push: serve's working copy is ahead (then diverged), the event fails and syncs nothing", async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'shop');
    remote.push('main');
    const def = (p: string): string => `project: ${p}\nfolder: team\nbranches:\n  repo: ${remote.url}\n  templates: [Branch-build]\n`;
    commitAndPush(env, { 'jobs/shop.yaml': def('shop'), 'jobs/web.yaml': def('web'), 'jobs/legacy.yaml': def('legacy') });
    const defsEvent = { ...pointedAt('github-push', env.defs.bare), forced: true };
    await env.post('github-push', defsEvent);
    await env.service.idle();
    expect((await env.jobs()).has(job('legacy', 'main'))).toBe(true);
    const good = git(env.defs.work, 'rev-parse', 'HEAD').trim();

    // a commit drops legacy; its event deletes legacy's job (as it should for that commit)
    fs.rmSync(path.join(env.defs.work, 'jobs', 'legacy.yaml'));
    git(env.defs.work, 'commit', '-q', '-am', 'drop legacy');
    git(env.defs.work, 'push', '-q', 'origin', 'HEAD');
    const bad = git(env.defs.work, 'rev-parse', 'HEAD').trim();
    await env.post('github-push', defsEvent);
    await env.service.idle();
    expect((await env.jobs()).has(job('legacy', 'main'))).toBe(false);

    // the team rewinds the remote; the master job (a fresh checkout of the remote) makes legacy's job again
    const admin = env.defs.clone('admin');
    git(admin, 'push', '-q', '-f', 'origin', `${good}:refs/heads/main`);
    const master = env.defs.clone('master');
    const masterSync = await hookRunner({ api: env.api, dir: master, templatesDir: path.join(master, 'job-templates'), jobsDir: path.join(master, 'jobs'), buildOnCreate: async () => false, cwd: master }).syncDefinitions(() => false);
    expect(masterSync.ok).toBe(true);
    expect((await env.jobs()).has(job('legacy', 'main'))).toBe(true);

    // the force-push's event: serve's working copy still has the dropped commit (ahead of the remote)
    await env.post('github-push', defsEvent);
    await env.service.idle();
    let [record] = await env.status();
    expect(record.status).toBe('failed');
    expect(record.message).toBe(
      `git pull --ff-only origin failed, nothing was synced: serve's working copy is ahead of origin/main (its HEAD ${bad.slice(0, 7)} has 1 commit(s) that origin/main, at ${good.slice(0, 7)}, does not: a commit that was never pushed, or the remote was rewound by a force-push); serve syncs only definitions the remote has: push those commits, or set the working copy back to the remote's (git reset --hard origin/main in ${env.defs.work}, after saving what you need)`,
    );
    expect((await env.jobs()).get(job('legacy', 'main'))).toMatchObject({ disabled: false });
    expect(git(env.defs.work, 'rev-parse', 'HEAD').trim()).toBe(bad);

    // someone pushes on top of the rewound branch: now diverged, still nothing synced
    git(admin, 'reset', '-q', '--hard', good);
    fs.writeFileSync(path.join(admin, 'jobs', 'web.yaml'), def('web') + '  keep_days: 4\n');
    git(admin, 'commit', '-q', '-am', 'web keeps longer');
    git(admin, 'push', '-q', 'origin', 'HEAD:main');
    await env.post('github-push', defsEvent);
    await env.service.idle();
    [record] = await env.status();
    expect(record.status).toBe('failed');
    expect(record.message).toMatch(/^git pull --ff-only origin failed, nothing was synced: serve's working copy has diverged from origin\/main \(its HEAD [0-9a-f]{7} has 1 commit\(s\) that origin\/main, at [0-9a-f]{7}, does not: /);
    expect((await env.jobs()).get(job('legacy', 'main'))).toMatchObject({ disabled: false });

    // set back to the remote's, the next event pulls and syncs
    git(env.defs.work, 'reset', '-q', '--hard', 'origin/main');
    await env.post('github-push', defsEvent);
    await env.service.idle();
    [record] = await env.status();
    expect(record).toMatchObject({ status: 'done', message: '0 jobs created, 0 builds requested, 0 jobs torn down' });
    expect((await env.jobs()).get(job('legacy', 'main'))).toMatchObject({ disabled: false });
  });

  it("a teardown held because serve's working copy is behind names serve's remedy (the definitions webhook), not a sync flag", async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'shop');
    remote.push('main', 'feature/a');
    commitAndPush(env, { 'jobs/shop.yaml': `project: shop\nfolder: team\nbranches:\n  repo: ${remote.url}\n  templates: [Branch-build]\n  keep_days: 0\n` });
    await env.post('github-push', pointedAt('github-push', remote.url));
    await env.service.idle();
    expect((await env.jobs()).has(job('shop', 'feature/a'))).toBe(true);
    // someone else pushes a definitions commit; no event of the definitions repository reaches serve
    const other = env.defs.clone('colleague');
    fs.appendFileSync(path.join(other, 'jobs', '_defaults.yaml'), '# a comment\n');
    git(other, 'commit', '-q', '-am', 'elsewhere');
    git(other, 'push', '-q', 'origin', 'HEAD:main');
    const theirs = git(other, 'rev-parse', 'HEAD').trim();
    remote.delete('feature/a');
    const deleted = pointedAt('github-delete', remote.url);
    deleted.ref = 'feature/a';
    await env.post('github-delete', deleted);
    await env.service.idle();
    expect((await env.jobs()).get(job('shop', 'feature/a'))).toMatchObject({ disabled: false });
    const [record] = await env.status();
    expect(record.message).toContain(`deletions held: the definitions are behind origin/main (its head ${theirs.slice(0, 7)} is not in this checkout): ${STALE_REMEDY}`);
    expect(record.message).not.toContain('--allow-stale');
    expect(record.message).not.toContain('pull first');
    expect(record).toMatchObject({ status: 'failed', message: `0 jobs created, 0 builds requested, 0 jobs torn down; deletions held: the definitions are behind origin/main (its head ${theirs.slice(0, 7)} is not in this checkout): ${STALE_REMEDY}` });
  });
});
