/**
 * Issue 13, end to end: the CLI (whole process) against the stand-in, with real git repositories
 * (bare remotes, clones). One test per numbered case of the issue:
 * 1 copies and renames made in Jenkins are left alone; 2 moves keep history; 3 empty definitions
 * delete nothing; 4 `--only` that matches nothing is a usage error; 5 a checkout behind its
 * upstream holds deletions; 6 two definitions repositories leave each other alone; 7 `import
 * --adopt` commits what it writes before adopting.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { readDescription } from '../../src/plan/config-description.js';
import { parseMarker } from '../../src/plan/marker.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { git } from '../form/git-fixtures.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { TEMPLATE, project } from './harness.js';

const TOKEN = '11aabbccddeeff00112233445566778899';
const root = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-own-e2e-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let standin: Standin;
let api: JenkinsClient;
let env: NodeJS.ProcessEnv;
let n = 0;

beforeEach(async () => {
  n++;
  standin = await startStandin({ home: path.join(root, `home-${n}`), port: 0, users: [{ name: 'ci', token: TOKEN }], buildDurationMs: 30, quietPeriodMs: 0 });
  api = new JenkinsClient({ url: standin.url + '/', user: 'ci', token: TOKEN, retries: 0 });
  env = { JENKINS_URL: standin.url, JENKINS_USER: 'ci', JENKINS_API_TOKEN: TOKEN, CI: '1', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.test' };
});
afterEach(async () => {
  await api.close();
  await standin.close();
});

/** A bare definitions remote seeded with the template and `projects` (name → yaml), and a clone. */
function definitionsRepo(name: string, projects: Record<string, string>): { bare: string; clone: (c: string) => string; work: string } {
  const bare = path.join(root, `${name}-${n}.git`);
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  const seed = path.join(root, `${name}-${n}-seed`);
  git(root, 'init', '--quiet', '--initial-branch=main', seed);
  mkdirSync(path.join(seed, 'job-templates'));
  mkdirSync(path.join(seed, 'jobs'));
  writeFileSync(path.join(seed, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
  writeFileSync(path.join(seed, 'jobs', '_defaults.yaml'), 'tokens: {}\n');
  for (const [p, text] of Object.entries(projects)) writeFileSync(path.join(seed, 'jobs', `${p}.yaml`), text);
  git(seed, 'add', '.');
  git(seed, 'commit', '--quiet', '-m', 'seed');
  git(seed, 'remote', 'add', 'origin', bare);
  git(seed, 'push', '--quiet', 'origin', 'main');
  const clone = (c: string): string => {
    const dir = path.join(root, `${name}-${n}-${c}`);
    git(root, 'clone', '--quiet', bare, dir);
    return dir;
  };
  return { bare, clone, work: clone('work') };
}

function commit(dir: string, message: string, push = true): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '-m', message);
  if (push) git(dir, 'push', '--quiet', 'origin', 'HEAD:main');
}

const cli = (cwd: string, args: string[]): Promise<CliResult> => runCli(args, { cwd, env });
const names = async (): Promise<string[]> => (await api.list()).items.map((i) => i.fullName).sort();
const posts = (): string[] => Object.keys(standin.requestCounts()).filter((k) => k.startsWith('POST'));
const out = (r: CliResult): string => r.stdout + r.stderr;

async function waitForBuild(job: string, number: number): Promise<void> {
  for (let k = 0; k < 200; k++) {
    const s = await api.buildStatus(job, number).catch(() => undefined);
    if (s && !s.building) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`build ${job} #${number} did not finish`);
}

describe('issue 13: ownership, end to end', () => {
  it('1: a copy or a rename made in Jenkins is never updated or deleted; the renamed job is made again', async () => {
    const r = definitionsRepo('case1', { pay: project('a'), web: project('b') });
    expect((await cli(r.work, ['sync'])).code).toBe(0);
    await api.copyJob('pay-CI-build-trunk', 'pay-hotfix');
    await api.renameJob('web-CI-build-trunk', 'web-renamed');
    const hotfix = await api.getConfig('pay-hotfix');
    const renamed = await api.getConfig('web-renamed');
    // the definitions change: a sync updates pay's job, and must leave the copy alone
    writeFileSync(path.join(r.work, 'jobs', 'pay.yaml'), project('a-changed'));
    commit(r.work, 'pay changes');
    const s = await cli(r.work, ['sync']);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/~ update\s+pay-CI-build-trunk/);
    expect(s.stdout).toMatch(/\+ create\s+web-CI-build-trunk/);
    expect(s.stdout).toContain('warning: pay-hotfix: copy of pay-CI-build-trunk, not managed');
    expect(s.stdout).toContain('warning: web-renamed: copy of web-CI-build-trunk, not managed');
    expect(s.stdout).not.toMatch(/- delete/);
    expect(s.stdout).toContain('0 to delete');
    expect(await names()).toEqual(['pay-CI-build-trunk', 'pay-hotfix', 'web-CI-build-trunk', 'web-renamed']);
    expect(await api.getConfig('pay-hotfix')).toBe(hotfix);
    expect(await api.getConfig('web-renamed')).toBe(renamed);
    // and the project leaving the definitions takes only its own job
    unlinkSync(path.join(r.work, 'jobs', 'web.yaml'));
    commit(r.work, 'web goes');
    const gone = await cli(r.work, ['sync']);
    expect(gone.code).toBe(0);
    expect(gone.stdout).toMatch(/- delete\s+web-CI-build-trunk\s+\(project web is no longer in the definitions\)/);
    expect(await names()).toEqual(['pay-CI-build-trunk', 'pay-hotfix', 'web-renamed']);
    expect(await api.getConfig('web-renamed')).toBe(renamed);
  });

  it('2: a project moved to a folder, or a job renamed with job:, is moved in Jenkins with its builds; its view follows', async () => {
    const r = definitionsRepo('case2', { pay: `${project('a')}view: Payments\n`, web: project('b') });
    expect((await cli(r.work, ['sync'])).code).toBe(0);
    const q = await api.build('pay-CI-build-trunk');
    expect(q).toBeGreaterThan(0);
    await new Promise((res) => setTimeout(res, 100));
    await waitForBuild('pay-CI-build-trunk', 1);
    // rename with job: (same folder): doRename
    writeFileSync(path.join(r.work, 'jobs', 'pay.yaml'), `templates:\n  - template: CI-build-trunk\n    job: payments-ci\ntokens:\n  SCM.PATH: a\nview: Payments\n`);
    commit(r.work, 'rename pay job');
    const plan = await cli(r.work, ['plan']);
    expect(plan.stdout).toContain('> move      pay-CI-build-trunk -> payments-ci  (renamed by the definitions (same project pay and template CI-build-trunk); builds kept)');
    const s1 = await cli(r.work, ['sync']);
    expect(s1.code).toBe(0);
    expect(await names()).toEqual(['payments-ci', 'web-CI-build-trunk']);
    expect(await api.buildStatus('payments-ci', 1)).toMatchObject({ building: false });
    const views = await api.listViews();
    expect(views.find((v) => v.name === 'Payments')?.jobs).toEqual(['payments-ci']);
    // into a folder: the Folders plugin's move
    writeFileSync(path.join(r.work, 'jobs', 'pay.yaml'), `templates:\n  - template: CI-build-trunk\n    job: payments-ci\ntokens:\n  SCM.PATH: a\nfolder: team/pay\n`);
    commit(r.work, 'pay into a folder');
    const s2 = await cli(r.work, ['sync']);
    expect(s2.code).toBe(0);
    expect(s2.stdout).toContain('> move      payments-ci -> team/pay/payments-ci');
    expect(s2.stderr).toContain('moved job payments-ci -> team/pay/payments-ci');
    expect(s2.stdout).not.toMatch(/- delete/);
    expect(await names()).toEqual(['team', 'team/pay', 'team/pay/payments-ci', 'web-CI-build-trunk']);
    expect(await api.buildStatus('team/pay/payments-ci', 1)).toMatchObject({ building: false });
    const marker = parseMarker(readDescription(await api.getConfig('team/pay/payments-ci')));
    expect(marker).toMatchObject({ name: 'team/pay/payments-ci', project: 'pay', template: 'CI-build-trunk' });
    // converged: nothing left to do
    const again = await cli(r.work, ['plan', '--detailed-exitcode']);
    expect(again.code).toBe(0);
  });

  it('3: definitions without a project delete nothing (exit 1) unless --allow-empty; a small set is guarded too', async () => {
    const r = definitionsRepo('case3', { pay: project('a'), web: project('b'), ops: project('c') });
    expect((await cli(r.work, ['sync'])).code).toBe(0);
    for (const p of ['pay', 'web']) unlinkSync(path.join(r.work, 'jobs', `${p}.yaml`));
    commit(r.work, 'two of three go');
    standin.resetCounts();
    const half = await cli(r.work, ['sync']);
    expect(half.code).toBe(1);
    expect(out(half)).toContain('refusing to apply: the plan deletes 2 of 3 managed jobs (67%), more than half of them');
    expect(posts()).toEqual([]);
    unlinkSync(path.join(r.work, 'jobs', 'ops.yaml'));
    commit(r.work, 'no project left');
    const empty = await cli(r.work, ['sync', '--allow-mass-delete']);
    expect(empty.code).toBe(1);
    expect(out(empty)).toContain('refusing to apply: the definitions hold no project (no jobs/<project>.yaml), so all 3 managed job(s) would be deleted');
    expect(posts()).toEqual([]);
    expect(await names()).toEqual(['ops-CI-build-trunk', 'pay-CI-build-trunk', 'web-CI-build-trunk']);
    const allowed = await cli(r.work, ['sync', '--allow-empty', '--allow-mass-delete']);
    expect(allowed.code).toBe(0);
    expect(await names()).toEqual([]);
  });

  it('4: --only with an empty pattern, no value, or a pattern matching nothing is a usage error (exit 2) that names it; nothing is done', async () => {
    const r = definitionsRepo('case4', { pay: project('a') });
    standin.resetCounts();
    const empty = await cli(r.work, ['sync', '--only', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--only was given an empty pattern (an unset variable?)');
    expect(empty.stderr).not.toMatch(/internal error/);
    const unset = await cli(r.work, ['sync', '--only']);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('--only was given an empty pattern');
    const typo = await cli(r.work, ['sync', '--only', 'pya', '--only', 'pay']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--only "pya" matches no project and no job of these definitions');
    expect(posts()).toEqual([]);
    expect(await names()).toEqual([]);
    expect((await cli(r.work, ['sync', '--only', 'pay'])).code).toBe(0);
    expect(await names()).toEqual(['pay-CI-build-trunk']);
  });

  it("5b (break-it A, finding 9): a pushed feature branch holds deletions of what the remote's default branch added since; merged, it deletes nothing of it", async () => {
    const r = definitionsRepo('case5b', { pay: project('a'), web: project('b'), ops: project('c') });
    const feature = r.clone('feature');
    git(feature, 'switch', '--quiet', '-c', 'feature');
    git(feature, 'push', '--quiet', '-u', 'origin', 'feature');
    // main gets a new project after the branch point, and the master job syncs it
    writeFileSync(path.join(r.work, 'jobs', 'extra.yaml'), project('e'));
    commit(r.work, 'extra');
    expect((await cli(r.work, ['sync'])).code).toBe(0);
    // someone syncs from the feature branch (its own upstream, current): extra is not deleted
    writeFileSync(path.join(feature, 'jobs', 'pay.yaml'), project('a-feature'));
    commit(feature, 'pay on the branch', false);
    git(feature, 'push', '--quiet');
    const fromBranch = await cli(feature, ['sync']);
    expect(fromBranch.code).toBe(1);
    expect(out(fromBranch)).toMatch(/deletions held: the definitions do not contain origin\/main \(the remote's default branch\): its head [0-9a-f]{7} is not in this checkout: fetch, then merge origin\/main into this branch first \(or sync from origin\/main\), or pass --allow-stale/);
    expect(fromBranch.stdout).toMatch(/\. keep\s+extra-CI-build-trunk\s+\(not deleted: the definitions are not current/);
    expect(fromBranch.stdout).toMatch(/~ update\s+pay-CI-build-trunk/);
    expect(await names()).toContain('extra-CI-build-trunk');
    git(feature, 'fetch', '--quiet');
    expect(out(await cli(feature, ['plan']))).toContain("deletions held: the definitions lack 1 commit of origin/main (the remote's default branch): merge origin/main into this branch first (or sync from origin/main), or pass --allow-stale");
    git(feature, 'merge', '--quiet', '--no-edit', 'origin/main');
    git(feature, 'push', '--quiet');
    const merged = await cli(feature, ['sync']);
    expect(merged.code).toBe(0);
    expect(await names()).toEqual(['extra-CI-build-trunk', 'ops-CI-build-trunk', 'pay-CI-build-trunk', 'web-CI-build-trunk']);
    // the branch deleted on the remote: one whole sentence says so
    git(feature, 'push', '--quiet', 'origin', '--delete', 'feature');
    rmSync(path.join(feature, 'jobs', 'web.yaml'));
    commit(feature, 'drop web', false);
    const gone = await cli(feature, ['plan']);
    expect(out(gone)).toContain('deletions held: origin/feature no longer exists on the remote, so it cannot be checked that the definitions are current: push this branch again or switch to one the remote has, or pass --allow-stale');
  });

  it('5: a checkout behind its upstream holds deletions (creates and updates still go), exit 1; pulled, it converges', async () => {
    const r = definitionsRepo('case5', { pay: project('a'), web: project('b'), ops: project('c') });
    const other = r.clone('other');
    expect((await cli(r.work, ['sync'])).code).toBe(0);
    // someone adds a project upstream and syncs it
    writeFileSync(path.join(other, 'jobs', 'new.yaml'), project('n'));
    commit(other, 'new project');
    expect((await cli(other, ['sync'])).code).toBe(0);
    expect(await names()).toContain('new-CI-build-trunk');
    // the stale checkout (not pulled, not even fetched) changes pay and syncs
    writeFileSync(path.join(r.work, 'jobs', 'pay.yaml'), project('a-changed'));
    commit(r.work, 'pay changes', false);
    const stale = await cli(r.work, ['sync']);
    expect(stale.code).toBe(1);
    expect(out(stale)).toMatch(/deletions held: the definitions are behind origin\/main \(its head [0-9a-f]{7} is not in this checkout\): pull first, or pass --allow-stale/);
    expect(stale.stdout).toMatch(/\. keep\s+new-CI-build-trunk\s+\(not deleted: the definitions are not current/);
    expect(stale.stdout).toMatch(/~ update\s+pay-CI-build-trunk/);
    expect(await names()).toContain('new-CI-build-trunk');
    git(r.work, 'fetch', '--quiet');
    const fetched = await cli(r.work, ['plan']);
    expect(out(fetched)).toContain('deletions held: the definitions have diverged from origin/main (1 commit behind, 1 ahead): pull first, or pass --allow-stale');
    // an unreachable remote holds them too (exit 3: a git failure); same URL, so the same owner
    renameSync(r.bare, `${r.bare}.away`);
    const unreachable = await cli(r.work, ['sync']);
    expect(unreachable.code).toBe(3);
    expect(out(unreachable)).toMatch(/cannot check that the definitions are current: git ls-remote origin failed/);
    expect(await names()).toContain('new-CI-build-trunk');
    renameSync(`${r.bare}.away`, r.bare);
    git(r.work, 'pull', '--quiet', '--no-rebase', '--no-edit', 'origin', 'main');
    const fresh = await cli(r.work, ['sync']);
    expect(fresh.code).toBe(0);
    expect(await names()).toEqual(['new-CI-build-trunk', 'ops-CI-build-trunk', 'pay-CI-build-trunk', 'web-CI-build-trunk']);
    // plain directories (no git) keep working
    const plain = path.join(root, `plain-${n}`);
    mkdirSync(path.join(plain, 'jobs'), { recursive: true });
    mkdirSync(path.join(plain, 'job-templates'));
    writeFileSync(path.join(plain, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
    writeFileSync(path.join(plain, 'jobs', 'solo.yaml'), project('s'));
    expect((await cli(plain, ['sync'])).code).toBe(0);
    expect(await names()).toContain('solo-CI-build-trunk');
  });

  it('6: two definitions repositories syncing into one Jenkins never delete or change each other\'s jobs', async () => {
    const x = definitionsRepo('case6x', { pay: project('a'), web: project('b') });
    const y = definitionsRepo('case6y', { ops: project('c'), pay: project('y-wants-pay') });
    expect((await cli(x.work, ['sync'])).code).toBe(0);
    const pay = await api.getConfig('pay-CI-build-trunk');
    const sy = await cli(y.work, ['sync']);
    // y's pay job cannot be made while x owns the name: an error of y's run (exit 1), nothing of x's touched
    expect(sy.code).toBe(1);
    expect(sy.stdout).toMatch(/\? conflict\s+pay-CI-build-trunk\s+\(it is managed by other definitions \(owner file:.*case6x-\d+\.git\); not touched\)/);
    expect(sy.stdout).toContain('2 item(s) managed by other definitions (owner file:');
    expect(sy.stdout).not.toMatch(/- delete/);
    expect(await names()).toEqual(['ops-CI-build-trunk', 'pay-CI-build-trunk', 'web-CI-build-trunk']);
    expect(await api.getConfig('pay-CI-build-trunk')).toBe(pay);
    const sx = await cli(x.work, ['sync']);
    expect(sx.code).toBe(0);
    expect(sx.stdout).toContain('1 item(s) managed by other definitions');
    expect(sx.stdout).toContain('No changes');
    expect(await names()).toEqual(['ops-CI-build-trunk', 'pay-CI-build-trunk', 'web-CI-build-trunk']);
    // each owner deletes only its own
    unlinkSync(path.join(y.work, 'jobs', 'pay.yaml'));
    writeFileSync(path.join(y.work, 'jobs', 'ops2.yaml'), project('d'));
    commit(y.work, 'y drops pay');
    expect((await cli(y.work, ['sync'])).code).toBe(0);
    expect(await names()).toEqual(['ops-CI-build-trunk', 'ops2-CI-build-trunk', 'pay-CI-build-trunk', 'web-CI-build-trunk']);
  });

  it("6b (break-it A, finding 15): a --config file of connection settings keeps the owner written beside the definitions; a quoted owner: key is read", async () => {
    const r = definitionsRepo('case6b', { pay: project('a'), web: project('b') });
    writeFileSync(path.join(r.work, 'jobsmith.yaml'), 'owner: team-a\n');
    commit(r.work, 'owner');
    expect((await cli(r.work, ['sync'])).code).toBe(0);
    expect(parseMarker(readDescription(await api.getConfig('pay-CI-build-trunk')))).toMatchObject({ owner: 'team-a' });
    const conn = path.join(root, `conn-${n}.yaml`);
    writeFileSync(conn, 'jenkins:\n  timeout: 30\n');
    const withConfig = await cli(r.work, ['plan', '--config', conn]);
    expect(withConfig.code).toBe(0);
    expect(withConfig.stdout).toContain('No changes');
    writeFileSync(path.join(r.work, 'jobsmith.yaml'), '"owner": team-a\n');
    commit(r.work, 'owner, quoted');
    const quoted = await cli(r.work, ['plan']);
    expect(quoted.code).toBe(0);
    expect(quoted.stdout).toContain('No changes');
    // a --config file with another owner still wins, and says so
    writeFileSync(conn, 'owner: team-b\n');
    const other = await cli(r.work, ['plan', '--config', conn]);
    expect(out(other)).toContain(`owner team-b here overrides owner team-a in jobsmith.yaml beside the definitions`);
    expect(other.code).toBe(1); // team-b's run finds team-a's jobs at its names: conflicts
  });

  it('break-a 4: two plain directories (no git remote) are two owners: one never deletes the other\'s jobs; jobs of the former shared owner `default` are taken over by the directory that wants them, never deleted by another', async () => {
    const plainDir = (name: string, projects: Record<string, string>): string => {
      const dir = path.join(root, `${name}-${n}`);
      mkdirSync(path.join(dir, 'job-templates'), { recursive: true });
      mkdirSync(path.join(dir, 'jobs'));
      writeFileSync(path.join(dir, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
      for (const [p, yaml] of Object.entries(projects)) writeFileSync(path.join(dir, 'jobs', `${p}.yaml`), yaml);
      return dir;
    };
    // team A made its jobs with an earlier jobsmith, when every plain directory was owner `default`
    const a = plainDir('team-a', { pay: project('a'), web: project('b', 'folder: shop\n') });
    writeFileSync(path.join(a, 'jobsmith.yaml'), 'owner: default\n');
    expect((await cli(a, ['sync'])).code).toBe(0);
    unlinkSync(path.join(a, 'jobsmith.yaml'));
    expect(parseMarker(readDescription(await api.getConfig('pay-CI-build-trunk')))?.owner).toBe('default');
    const b = plainDir('team-b', Object.fromEntries(['t1', 't2', 't3', 't4', 't5'].map((p) => [p, project(p)])));
    expect((await cli(b, ['sync', '--only', 't*'])).code).toBe(0);
    // team B's plain sync: A's jobs and folder stay (they were deleted: "project pay is no longer in the definitions")
    const sb = await cli(b, ['sync']);
    expect(sb.code, out(sb)).toBe(0);
    expect(sb.stdout).not.toMatch(/- delete/);
    expect(sb.stdout).toContain('3 item(s) with the former shared owner default (made from a plain directory by an earlier jobsmith)');
    const all = ['pay-CI-build-trunk', 'shop', 'shop/web-CI-build-trunk', 't1-CI-build-trunk', 't2-CI-build-trunk', 't3-CI-build-trunk', 't4-CI-build-trunk', 't5-CI-build-trunk'];
    expect(await names()).toEqual(all);
    // team A (upgraded) takes its own jobs over: the markers now record A's directory
    const sa = await cli(a, ['sync']);
    expect(sa.code, out(sa)).toBe(0);
    expect(sa.stdout).toMatch(/~ update\s+pay-CI-build-trunk\s+\(marker of the former shared owner default now records this owner/);
    expect(sa.stdout).not.toMatch(/- delete/);
    const ownerA = parseMarker(readDescription(await api.getConfig('pay-CI-build-trunk')))!.owner!;
    expect(ownerA).toBe(`dir:${realpathSync(path.join(a, 'jobs'))}`);
    expect(parseMarker(readDescription(await api.getConfig('shop')))?.owner).toBe(ownerA);
    // from now on each directory deletes only its own
    unlinkSync(path.join(b, 'jobs', 't5.yaml'));
    expect((await cli(b, ['sync'])).code).toBe(0);
    unlinkSync(path.join(a, 'jobs', 'web.yaml'));
    const sa2 = await cli(a, ['sync']);
    expect(sa2.code, out(sa2)).toBe(0);
    expect(await names()).toEqual(all.filter((x) => !['shop', 'shop/web-CI-build-trunk', 't5-CI-build-trunk'].includes(x)));
  });

  it('7: import --adopt refuses over uncommitted work, else commits the definitions it writes before adopting', async () => {
    const r = definitionsRepo('case7', { pay: project('a') });
    expect((await cli(r.work, ['sync'])).code).toBe(0);
    const hand = '<?xml version="1.1" encoding="UTF-8"?>\n<project>\n  <description>made by hand</description>\n  <keepDependencies>false</keepDependencies>\n  <properties/>\n  <canRoam>true</canRoam>\n  <disabled>false</disabled>\n  <builders/>\n</project>\n';
    await api.createJob('legacy-build', hand);
    writeFileSync(path.join(r.work, 'jobs', 'pay.yaml'), project('a-local-edit'));
    const dirty = await cli(r.work, ['import', '--match', 'legacy-*', '--adopt']);
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toContain('the work tree has uncommitted changes; nothing was written or adopted');
    expect(dirty.stdout).toContain(' M jobs/pay.yaml');
    expect(parseMarker(readDescription(await api.getConfig('legacy-build')))).toBeUndefined();
    git(r.work, 'checkout', '--', 'jobs/pay.yaml');
    const ok = await cli(r.work, ['import', '--match', 'legacy-*', '--adopt']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/committed [0-9a-f]{12}: the imported definitions/);
    expect(git(r.work, 'status', '--porcelain')).toBe('');
    const files = git(r.work, 'show', '--name-only', '--format=%s', 'HEAD').split('\n');
    expect(files[0]).toMatch(/^jobsmith import --adopt: 1 job\(s\)/);
    expect(files).toContain('jobs/legacy-build.yaml');
    expect(parseMarker(readDescription(await api.getConfig('legacy-build')))).toMatchObject({ name: 'legacy-build' });
    // a sync from the committed state (here: after `git stash -u`, which finds nothing to stash) keeps the job
    git(r.work, 'stash', '-u');
    const s = await cli(r.work, ['sync']);
    expect(s.code).toBe(0);
    expect(await names()).toEqual(['legacy-build', 'pay-CI-build-trunk']);
    expect(readFileSync(path.join(r.work, 'jobs', 'legacy-build.yaml'), 'utf8')).toContain('template');
  });

  it('7b (break-it A, finding 14): until the import commit is pushed, the master job (a current clone) holds the adopted jobs instead of deleting them; a project really removed still goes', async () => {
    const r = definitionsRepo('case7b', { pay: project('a'), web: project('b'), ops: project('c') });
    const master = r.clone('master');
    expect((await cli(r.work, ['sync'])).code).toBe(0);
    const hand = '<?xml version="1.1" encoding="UTF-8"?>\n<project>\n  <description>made by hand</description>\n  <builders/>\n</project>\n';
    await api.createJob('legacy-api', hand);
    expect((await cli(r.work, ['import', '--match', 'legacy-*', '--adopt'])).code).toBe(0);
    expect(parseMarker(readDescription(await api.getConfig('legacy-api')))).toMatchObject({ project: 'legacy-api' });
    // the master job syncs its clone of origin/main (current; the import commit is not pushed yet)
    const early = await cli(master, ['sync']);
    expect(early.code).toBe(1);
    expect(early.stdout).toMatch(/\. keep\s+legacy-api\s+\(not deleted: project legacy-api was never in these definitions \(no commit of this checkout has it\): its jobs were made or adopted from a commit that is not here\)/);
    expect(out(early)).toContain('deletions held: project legacy-api was never in these definitions (no commit of this checkout has it): its jobs were made or adopted from a commit that is not here: push that commit (or pull it), or pass --allow-stale to delete them');
    expect(out(early)).not.toContain('no longer in the definitions');
    expect(await names()).toContain('legacy-api');
    // pushed and pulled: the job is managed from the definitions
    git(r.work, 'push', '--quiet', 'origin', 'HEAD:main');
    git(master, 'pull', '--quiet', '--no-rebase', '--no-edit', 'origin', 'main');
    const later = await cli(master, ['sync']);
    expect(later.code).toBe(0);
    expect(await names()).toEqual(['legacy-api', 'ops-CI-build-trunk', 'pay-CI-build-trunk', 'web-CI-build-trunk']);
    // a project removed in a commit was in the definitions: its jobs go as always
    rmSync(path.join(master, 'jobs', 'web.yaml'));
    commit(master, 'web goes');
    const removed = await cli(master, ['sync']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/- delete\s+web-CI-build-trunk\s+\(project web is no longer in the definitions\)/);
    // a job of a project that never was here, with --allow-stale: deleted
    await api.createJob('stray-CI-build-trunk', (await api.getConfig('ops-CI-build-trunk')).replace(/name=ops%2DCI%2Dbuild%2Dtrunk project=ops/, 'name=stray%2DCI%2Dbuild%2Dtrunk project=stray'));
    expect((await cli(master, ['sync'])).code).toBe(1);
    expect((await cli(master, ['sync', '--allow-stale'])).code).toBe(0);
    expect(await names()).toEqual(['legacy-api', 'ops-CI-build-trunk', 'pay-CI-build-trunk']);
  });
});

describe('moves that stop half-way', () => {
  it('a move whose config update fails is finished by the next sync (the job sits where it belongs, its marker names the old place)', async () => {
    const { makeEnv, planned } = await import('./harness.js');
    const e = await makeEnv();
    try {
      await e.writeProject('pay', project('a'));
      expect(planned(await e.sync()).applied!.failed).toEqual([]);
      await e.writeProject('pay', 'templates:\n  - template: CI-build-trunk\n    job: payments\ntokens:\n  SCM.PATH: a\n');
      e.standin.faults.set({ errors: { 'POST config.xml': { status: 500 } } });
      const first = planned(await e.sync());
      expect(first.plan.changes.find((c) => c.kind === 'move')).toMatchObject({ from: 'pay-CI-build-trunk', fullName: 'payments' });
      expect(first.applied!.failed.map((f) => f.change.kind)).toEqual(['move']);
      e.standin.faults.clear();
      const listed = (await e.api.list()).items.map((i) => i.fullName);
      expect(listed).toEqual(['payments']); // renamed, but its marker still names pay-CI-build-trunk
      expect(parseMarker(readDescription(await e.api.getConfig('payments')))).toMatchObject({ name: 'pay-CI-build-trunk' });
      const second = planned(await e.sync());
      expect(second.plan.changes.map((c) => [c.kind, c.fullName, c.reason])).toEqual([['update', 'payments', 'moved here from pay-CI-build-trunk in Jenkins: marker updated']]);
      expect(second.applied!.failed).toEqual([]);
      expect(parseMarker(readDescription(await e.api.getConfig('payments')))).toMatchObject({ name: 'payments' });
      expect(planned(await e.sync({ dryRun: true })).plan.summary).toMatchObject({ unchanged: 1, update: 0, create: 0, delete: 0 });
    } finally {
      await e.close();
    }
  });

  it('a delete that is half of a replacement (renamed and a new type: created anew) waits for the create: a failed create keeps the old job', async () => {
    const { makeEnv, planned } = await import('./harness.js');
    const { writeFile } = await import('node:fs/promises');
    const e = await makeEnv({ templates: { 'CI-build-trunk': TEMPLATE, Other: TEMPLATE } });
    try {
      await e.writeProject('pay', project('a'));
      for (const [p, v] of [['web', 'b'], ['ops', 'c']] as const) await e.writeProject(p, `templates: [Other]\ntokens:\n  SCM.PATH: ${v}\n`);
      expect(planned(await e.sync()).applied!.failed).toEqual([]);
      // the template becomes a pipeline and pay's job is renamed: no move is possible (Jenkins cannot change a job's type)
      await writeFile(path.join(e.templatesDir, 'CI-build-trunk-config.xml'), '<?xml version="1.1" encoding="UTF-8"?>\n<flow-definition>\n  <description>$PROJECT.NAME $SCM.PATH</description>\n</flow-definition>\n');
      await e.writeProject('pay', 'templates:\n  - template: CI-build-trunk\n    job: pay-new\ntokens:\n  SCM.PATH: a\n');
      e.standin.faults.set({ errors: { 'POST createItem': { status: 500 } } });
      const r = planned(await e.sync({ allowMassDelete: true }));
      const del = r.plan.changes.find((c) => c.kind === 'delete')!;
      expect(del).toMatchObject({ fullName: 'pay-CI-build-trunk', after: 'pay-new' });
      expect(del.reason).toMatch(/^replaced by pay-new, same project pay and template CI-build-trunk \(not moved: the job type changes/);
      expect(r.applied!.failed.map((f) => f.change.fullName)).toEqual(['pay-new']);
      expect(r.applied!.skipped).toEqual([{ change: del, error: 'the job that replaces it, pay-new, was not created' }]);
      expect((await e.api.list()).items.map((i) => i.fullName)).toContain('pay-CI-build-trunk');
      e.standin.faults.clear();
      expect(planned(await e.sync({ allowMassDelete: true })).applied!.failed).toEqual([]);
      expect((await e.api.list()).items.map((i) => i.fullName).sort()).toEqual(['ops-Other', 'pay-new', 'web-Other']);
    } finally {
      await e.close();
    }
  });
});
