/**
 * Branch jobs end to end: real bare git remotes (and an svnadmin repository) → detection → render →
 * the real planner → apply through the real client against the stand-in over loopback.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBranchSource } from '../../src/branches/auto-branch-source.js';
import { branchJobName } from '../../src/branches/branch-job-name.js';
import type { BranchSource } from '../../src/branches/branch-source.js';
import { detectAndExpand } from '../../src/branches/workspace-branches.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { loadWorkspace, type Workspace } from '../../src/load/workspace.js';
import type { Clock } from '../../src/model/clock.js';
import type { ObservedItem } from '../../src/model/observed.js';
import { formatMarker, parseMarker } from '../../src/plan/marker.js';
import { renderWorkspace } from '../../src/render/render-workspace.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import type { DesiredSource } from '../../src/sync/desired-source.js';
import { runSync, type SyncOutcome } from '../../src/sync/run-sync.js';
import { workspaceSource } from '../../src/sync/workspace-source.js';
import { GitRemote, SvnRepo, removeDir, tempDir } from './fixtures.js';
import { repoRoot } from '../helpers/cli.js';

const DAY = 86_400_000;
let root: string;
let standin: Standin;
let api: JenkinsClient;
let defs: string;

beforeAll(() => {
  root = tempDir();
});
afterAll(() => removeDir(root));

let n = 0;
beforeEach(async () => {
  n++;
  const home = path.join(root, `home${n}`);
  // The shipped CI-build-branch template runs on agents labelled `linux` (BUILD.NODE): give this
  // Jenkins one (an agent in Jenkins' own layout), or its builds would wait in the queue.
  fs.mkdirSync(path.join(home, 'nodes', 'linux-1'), { recursive: true });
  fs.writeFileSync(path.join(home, 'nodes', 'linux-1', 'config.xml'), '<slave><name>linux-1</name><remoteFS>/srv/agent</remoteFS><numExecutors>2</numExecutors><mode>NORMAL</mode><label>linux</label></slave>');
  standin = await startStandin({ home, buildDurationMs: 1500, quietPeriodMs: 0 });
  api = new JenkinsClient({ url: standin.url, retries: 0 });
  defs = path.join(root, `defs${n}`);
  fs.mkdirSync(path.join(defs, 'job-templates'), { recursive: true });
  fs.mkdirSync(path.join(defs, 'jobs'));
  for (const f of ['CI-build-branch-config.xml', 'CI-build-branch.yaml']) {
    fs.copyFileSync(path.join(repoRoot, 'job-templates', f), path.join(defs, 'job-templates', f));
  }
});
afterEach(async () => {
  await standin.close();
});

function define(project: string, repo: string, extra = ''): void {
  fs.writeFileSync(
    path.join(defs, 'jobs', `${project}.yaml`),
    `project: ${project}\nfolder: team\nbranches:\n  repo: ${repo}\n  templates: [CI-build-branch]\n${extra}`,
  );
}

function source(branchSource: BranchSource = createBranchSource()): DesiredSource {
  let ws: Workspace | undefined;
  return {
    async render() {
      const loaded = await loadWorkspace({ templatesDir: path.join(defs, 'job-templates'), jobsDir: path.join(defs, 'jobs') });
      ws = loaded.workspace;
      const r = renderWorkspace(ws);
      return { desired: r.desired, diagnostics: [...loaded.diagnostics, ...r.diagnostics] };
    },
    branches(snapshot, observed) {
      return detectAndExpand(ws as Workspace, { source: branchSource, observed, timeoutMs: 10_000, otherJobNames: snapshot.desired.jobs.map((j) => j.fullName) });
    },
  };
}

const at = (ms: number): Clock => ({ now: () => new Date(ms) });

/** The number of a queued build once it starts (and its end). */
async function waitForBuildNumber(queueId: number): Promise<number> {
  for (let k = 0; k < 500; k++) {
    const q = await api.queueItem(queueId);
    if (q.buildNumber !== undefined) return q.buildNumber;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the build never started');
}
const T0 = Date.parse('2026-11-20T10:00:00.000Z');

async function sync(clock: Clock = at(T0), src: DesiredSource = source()): Promise<SyncOutcome & { status: 'planned' }> {
  const out = await runSync({ api, source: src, clock, settings: { concurrency: 4 } });
  if (out.status !== 'planned') throw new Error(`invalid: ${JSON.stringify(out.diagnostics)}`);
  expect(out.applied?.failed ?? []).toEqual([]);
  return out;
}

async function branchJobs(): Promise<Map<string, ObservedItem>> {
  const l = await api.list();
  return new Map(l.items.filter((i) => !i.isFolder).map((i) => [i.fullName, i]));
}

const job = (project: string, branch: string): string => `team/${branchJobName(`${project}-CI-build-branch`, branch)}`;
const kinds = (o: SyncOutcome & { status: 'planned' }): string[] =>
  o.plan.changes.filter((c) => c.target === 'job' && c.kind !== 'unchanged').map((c) => `${c.kind} ${c.fullName}`).sort();

describe('branch jobs against the stand-in', () => {
  it('creates one job per matching branch with the branch checked out; a second sync changes nothing', async () => {
    const r = new GitRemote(root, `create${n}`);
    r.push('main', 'feature/PAY-1', 'feature/wip-2', 'release/1.0');
    define('pay', r.url, '  include: ["feature/*", "release/*"]\n  exclude: ["feature/wip-*"]\n');
    const first = await sync();
    expect(kinds(first)).toEqual([`create ${job('pay', 'feature/PAY-1')}`, `create ${job('pay', 'release/1.0')}`].sort());
    const jobs = await branchJobs();
    expect([...jobs.keys()].sort()).toEqual([job('pay', 'feature/PAY-1'), job('pay', 'release/1.0')].sort());
    const config = await api.getConfig(job('pay', 'feature/PAY-1'));
    expect(config).toContain('<name>refs/heads/feature/PAY-1</name>');
    expect(config).toContain(`<url>${r.url}</url>`);
    const marker = parseMarker(jobs.get(job('pay', 'feature/PAY-1'))?.description);
    expect(marker).toMatchObject({ project: 'pay', template: 'CI-build-branch', branch: 'feature/PAY-1' });
    expect(marker?.gone).toBeUndefined();

    standin.resetCounts();
    const second = await sync();
    expect(kinds(second)).toEqual([]);
    expect(second.plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const writes = Object.entries(standin.requestCounts()).filter(([route]) => !route.startsWith('GET'));
    expect(writes).toEqual([]);
  });

  it('pull-request refs named in the definition (`refs:`) get jobs too; include/exclude apply to their names', async () => {
    const r = new GitRemote(root, `prs${n}`);
    r.push('main');
    r.pushRef('refs/pull/7/head');
    r.pushRef('refs/pull/8/head');
    define('pay', r.url, '  refs: ["refs/pull/*/head"]\n  exclude: ["pr/8"]\n');
    const first = await sync();
    expect(kinds(first)).toEqual([`create ${job('pay', 'main')}`, `create ${job('pay', 'pr/7')}`].sort());
    const marker = parseMarker((await branchJobs()).get(job('pay', 'pr/7'))?.description);
    expect(marker).toMatchObject({ project: 'pay', branch: 'pr/7' });
    expect(kinds(await sync())).toEqual([]);
  });

  it('a bad refs pattern is a located diagnostic and nothing is synced', async () => {
    const r = new GitRemote(root, `badrefs${n}`);
    r.push('main');
    define('pay', r.url, '  refs: ["refs/pull/[/head"]\n');
    const out = await runSync({ api, source: source(), clock: at(T0), settings: { concurrency: 4 } });
    expect(out.status).toBe('invalid');
    const d = (out as { diagnostics: Array<{ field?: string; file?: string; line?: number }> }).diagnostics.find((x) => x.field === 'branches.refs[0]');
    expect(d).toMatchObject({ file: expect.stringContaining('pay.yaml'), line: 6 });
    expect((await branchJobs()).size).toBe(0);
  });

  it('teardown with grace: disabled at once, deleted after keep_days, not before', async () => {
    const r = new GitRemote(root, `grace${n}`);
    r.push('main', 'feature/a');
    define('pay', r.url, '  keep_days: 2\n');
    await sync(at(T0));
    r.delete('feature/a');
    const gone = await sync(at(T0 + 1000));
    expect(kinds(gone)).toEqual([`disable ${job('pay', 'feature/a')}`]);
    let item = (await branchJobs()).get(job('pay', 'feature/a'));
    expect(item?.disabled).toBe(true);
    expect(parseMarker(item?.description)?.gone).toBe(new Date(T0 + 1000).toISOString());
    expect((await branchJobs()).get(job('pay', 'main'))?.disabled).toBe(false);

    const inGrace = await sync(at(T0 + 1000 + 2 * DAY - 1));
    expect(kinds(inGrace)).toEqual([`keep ${job('pay', 'feature/a')}`]);
    item = (await branchJobs()).get(job('pay', 'feature/a'));
    expect(item?.disabled).toBe(true);

    const after = await sync(at(T0 + 1000 + 2 * DAY));
    expect(kinds(after)).toEqual([`delete ${job('pay', 'feature/a')}`]);
    expect((await branchJobs()).has(job('pay', 'feature/a'))).toBe(false);
    expect((await branchJobs()).has(job('pay', 'main'))).toBe(true);
  });

  it('keep_days 0: deleted by the first sync that sees the branch gone', async () => {
    const r = new GitRemote(root, `nograce${n}`);
    r.push('main', 'feature/a');
    define('pay', r.url, '  keep_days: 0\n');
    await sync();
    r.delete('feature/a');
    const out = await sync(at(T0 + 1000));
    expect(kinds(out)).toEqual([`delete ${job('pay', 'feature/a')}`]);
    expect([...(await branchJobs()).keys()]).toEqual([job('pay', 'main')]);
  });

  it('a branch that comes back within the grace period gets its job re-enabled, with its history', async () => {
    const r = new GitRemote(root, `back${n}`);
    r.push('main', 'feature/a');
    define('pay', r.url, '  keep_days: 3\n');
    await sync();
    const name = job('pay', 'feature/a');
    const q = await api.build(name);
    for (let i = 0; i < 100 && (await api.queueItem(q)).buildNumber === undefined; i++) await new Promise((res) => setTimeout(res, 50));
    r.delete('feature/a');
    await sync(at(T0 + DAY));
    expect((await branchJobs()).get(name)?.disabled).toBe(true);
    r.push('feature/a');
    const back = await sync(at(T0 + 2 * DAY));
    expect(kinds(back)).toEqual([`enable ${name}`, `update ${name}`]);
    const item = (await branchJobs()).get(name);
    expect(item?.disabled).toBe(false);
    expect(parseMarker(item?.description)?.gone).toBeUndefined();
    expect((await api.buildStatus(name, 1)).result).not.toBe(undefined); // build #1 is still there
    expect(kinds(await sync(at(T0 + 2 * DAY)))).toEqual([]);
  });

  it('an unreachable remote tears nothing down and is reported; other projects still sync', async () => {
    const a = new GitRemote(root, `lost${n}`);
    a.push('main', 'feature/a');
    const b = new GitRemote(root, `fine${n}`);
    b.push('main');
    define('pay', a.url, '  keep_days: 0\n');
    define('web', b.url);
    await sync();
    removeDir(a.bare); // the remote is gone: listing fails
    b.push('feature/new');
    const out = await sync(at(T0 + DAY));
    expect(kinds(out).filter((k) => !k.startsWith('keep'))).toEqual([`create ${job('web', 'feature/new')}`]);
    const jobs = await branchJobs();
    expect(jobs.get(job('pay', 'feature/a'))?.disabled).toBe(false);
    expect(jobs.get(job('pay', 'main'))?.disabled).toBe(false);
    expect(jobs.has(job('web', 'feature/new'))).toBe(true);
    const errors = out.plan.problems.filter((p) => p.severity === 'error' && p.category === 'external');
    expect(errors.map((p) => p.project)).toEqual(['pay']);
  });

  it('an unreachable remote for a project without jobs yet is still an external error', async () => {
    define('pay', `file://${root}/never-there-${n}.git`);
    const out = await sync();
    expect(kinds(out)).toEqual([]);
    expect(out.plan.problems).toEqual([expect.objectContaining({ severity: 'error', category: 'external', code: 'branch-listing-failed', project: 'pay' })]);
  });

  it('a remote that suddenly lists no branches tears nothing down', async () => {
    const r = new GitRemote(root, `empty${n}`);
    r.push('main', 'feature/a');
    define('pay', r.url, '  keep_days: 0\n');
    await sync();
    r.delete('main', 'feature/a');
    const out = await sync(at(T0 + DAY));
    expect(out.plan.changes.filter((c) => c.kind === 'delete' || c.kind === 'disable')).toEqual([]);
    expect((await branchJobs()).size).toBe(2);
    expect(out.plan.problems.some((p) => p.severity === 'error' && p.project === 'pay')).toBe(true);
  });

  it('a job with a running build is not deleted: disabled now, deleted by a later sync', async () => {
    const r = new GitRemote(root, `running${n}`);
    r.push('main', 'feature/a');
    define('pay', r.url, '  keep_days: 0\n');
    await sync();
    const name = job('pay', 'feature/a');
    await api.build(name);
    for (let i = 0; i < 100 && !(await branchJobs()).get(name)?.building; i++) await new Promise((res) => setTimeout(res, 20));
    expect((await branchJobs()).get(name)?.building).toBe(true);
    r.delete('feature/a');
    const out = await sync(at(T0 + 1000));
    expect(kinds(out)).toEqual([`disable ${name}`]);
    expect((await branchJobs()).get(name)?.disabled).toBe(true);
    for (let i = 0; i < 200 && (await branchJobs()).get(name)?.building; i++) await new Promise((res) => setTimeout(res, 50));
    const later = await sync(at(T0 + 2000));
    expect(kinds(later)).toEqual([`delete ${name}`]);
    expect((await branchJobs()).has(name)).toBe(false);
  });

  it('names do not collide: feature/a-b vs feature-a/b, feature/a vs feature_a, Main vs main', async () => {
    const r = new GitRemote(root, `names${n}`);
    r.push('feature/a-b', 'feature-a/b', 'feature/a', 'feature_a', 'Main', 'main');
    define('pay', r.url);
    await sync();
    const names = [...(await branchJobs()).keys()];
    expect(names).toHaveLength(6);
    expect(new Set(names.map((x) => x.toLowerCase())).size).toBe(6);
  });

  it('the cap keeps existing branch jobs when a storm of new branches arrives', async () => {
    const r = new GitRemote(root, `storm${n}`);
    r.push('zz-1', 'zz-2');
    define('pay', r.url, '  max: 2\n');
    await sync();
    r.push(...Array.from({ length: 30 }, (_, i) => `aa-${i}`));
    const out = await sync(at(T0 + 1000));
    expect(kinds(out)).toEqual([]);
    expect(out.plan.problems).toEqual([expect.objectContaining({ code: 'branch-cap', project: 'pay' })]);
    expect([...(await branchJobs()).keys()].sort()).toEqual([job('pay', 'zz-1'), job('pay', 'zz-2')]);
  });

  it("the cap counts only this owner's branch jobs: another definitions' job for a project of the same name does not take a place", async () => {
    const r = new GitRemote(root, `capowner${n}`);
    r.push('aa-1', 'aa-2', 'zz-9');
    define('pay', r.url, '  max: 2\n');
    // another set of definitions (another owner) has a branch job for its own project "pay", branch zz-9
    await api.createJob('theirs', `<project><description>${formatMarker({ kind: 'job', owner: 'github.com/acme/other', name: 'theirs', project: 'pay', template: 'CI-build-branch', hash: 'sha256:1', branch: 'zz-9' }).replace(/</g, '&lt;').replace(/>/g, '&gt;')}</description></project>`);
    const src = workspaceSource({ templatesDir: path.join(defs, 'job-templates'), jobsDir: path.join(defs, 'jobs'), upstreamCheck: false, branchTimeoutMs: 10_000 });
    const out = await sync(at(T0), src);
    expect(kinds(out)).toEqual([`create ${job('pay', 'aa-1')}`, `create ${job('pay', 'aa-2')}`]);
    expect(out.plan.problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'branch-cap', message: expect.stringContaining('no jobs for 1 (zz-9)') })]));
  });

  it('the cap never retires a live branch for one that comes back (issue 14: max 2; a, b; a deleted; c; a back)', async () => {
    const r = new GitRemote(root, `capback${n}`);
    define('pay', r.url, '  max: 2\n  keep_days: 3\n');
    r.push('a', 'b');
    expect(kinds(await sync(at(T0)))).toEqual([`create ${job('pay', 'a')}`, `create ${job('pay', 'b')}`]);
    r.delete('a');
    const gone = await sync(at(T0 + 1000));
    expect(gone.plan.changes.find((c) => c.fullName === job('pay', 'a'))).toMatchObject({ kind: 'disable', reason: 'branch a is gone: disabled, deleted after 3 day(s)' });
    r.push('c');
    const withC = await sync(at(T0 + 2000));
    expect(kinds(withC)).toEqual([`create ${job('pay', 'c')}`, `keep ${job('pay', 'a')}`]);
    expect(withC.plan.changes.find((c) => c.fullName === job('pay', 'a'))!.reason).toMatch(/^branch a gone since /);
    r.push('a');
    const back = await sync(at(T0 + 3000));
    // c's job is live: it stays; a has no room under the cap and stays retired, for that reason
    expect(kinds(back)).toEqual([`keep ${job('pay', 'a')}`]);
    const a = back.plan.changes.find((c) => c.fullName === job('pay', 'a'))!;
    expect(a.reason).toMatch(/^branch a exists but is dropped by the cap \(max 2\); retired 2026-11-20T10:00:01\.000Z, deleted after 2026-11-23T10:00:01\.000Z$/);
    expect(back.plan.problems).toEqual([expect.objectContaining({ code: 'branch-cap', category: 'notice', message: 'project pay: 3 branches match, max 2: no jobs for 1 (a)' })]);
    const jobs = await branchJobs();
    expect(jobs.get(job('pay', 'c'))!.disabled).toBe(false);
    expect(jobs.get(job('pay', 'b'))!.disabled).toBe(false);
    expect(jobs.get(job('pay', 'a'))!.disabled).toBe(true);
    // a second run agrees; after keep_days, a's job goes (for the cap, not as "gone")
    expect(kinds(await sync(at(T0 + 4000)))).toEqual([`keep ${job('pay', 'a')}`]);
    const later = await sync(at(T0 + 1000 + 3 * DAY));
    expect(kinds(later)).toEqual([`delete ${job('pay', 'a')}`]);
    expect(later.plan.changes.find((c) => c.fullName === job('pay', 'a'))!.reason).toBe('branch a exists but is dropped by the cap (max 2); retired 2026-11-20T10:00:01.000Z, keep_days 3 passed');
    expect([...(await branchJobs()).keys()].sort()).toEqual([job('pay', 'b'), job('pay', 'c')]);
    // room again (b deleted): a gets a job again, created anew
    r.delete('b');
    const room = await sync(at(T0 + 4 * DAY));
    expect(kinds(room)).toEqual([`create ${job('pay', 'a')}`, `disable ${job('pay', 'b')}`]);
    expect(room.plan.changes.find((c) => c.fullName === job('pay', 'b'))!.reason).toBe('branch b is gone: disabled, deleted after 3 day(s)');
  });

  it('lowering max says "dropped by the cap (max N)" for branches that exist, and "gone" only for gone ones', async () => {
    const r = new GitRemote(root, `caplow${n}`);
    define('pay', r.url, '  max: 3\n');
    r.push('main', 'release', 'topic');
    await sync(at(T0));
    define('pay', r.url, '  max: 1\n');
    r.delete('topic');
    const out = await sync(at(T0 + 1000));
    const reasons = Object.fromEntries(out.plan.changes.filter((c) => c.target === 'job').map((c) => [c.fullName, `${c.kind}: ${c.reason}`]));
    expect(reasons).toEqual({
      [job('pay', 'main')]: 'unchanged: up to date',
      [job('pay', 'release')]: 'disable: branch release exists but is dropped by the cap (max 1): disabled, deleted after 3 day(s)',
      [job('pay', 'topic')]: 'disable: branch topic is gone: disabled, deleted after 3 day(s)',
    });
    // the retired release job does not push main out on the next run either
    expect(kinds(await sync(at(T0 + 2000)))).toEqual([`keep ${job('pay', 'release')}`, `keep ${job('pay', 'topic')}`]);
    // raising max again brings release back, re-enabled with its history
    define('pay', r.url, '  max: 2\n');
    const up = await sync(at(T0 + 3000));
    expect(kinds(up)).toEqual([`enable ${job('pay', 'release')}`, `keep ${job('pay', 'topic')}`, `update ${job('pay', 'release')}`]);
    expect((await branchJobs()).get(job('pay', 'release'))!.disabled).toBe(false);
  });

  it('a branch and a pull-request ref with one name (pr/7): a collision naming both refs; no job for either; the existing job is left as it is', async () => {
    const r = new GitRemote(root, `prclash${n}`);
    r.push('main', 'pr/7');
    define('pay', r.url, '  refs: ["refs/pull/*/head"]\n');
    expect(kinds(await sync(at(T0)))).toEqual([`create ${job('pay', 'main')}`, `create ${job('pay', 'pr/7')}`]);
    const before = await api.getConfig(job('pay', 'pr/7'));
    r.pushRef('refs/pull/7/head');
    r.pushRef('refs/pull/8/head');
    const clash = await sync(at(T0 + 1000));
    expect(kinds(clash)).toEqual([`create ${job('pay', 'pr/8')}`, `keep ${job('pay', 'pr/7')}`]);
    expect(clash.plan.problems).toContainEqual(
      expect.objectContaining({
        code: 'branch-ref-collision',
        project: 'pay',
        message: 'project pay: refs/heads/pr/7 and refs/pull/7/head both map to branch name pr/7: no job for either while both exist (a job for pr/7 is left as it is); rename one of them',
      }),
    );
    expect(clash.plan.changes.find((c) => c.fullName === job('pay', 'pr/7'))!.reason).toContain('several refs map to this name');
    expect(await api.getConfig(job('pay', 'pr/7'))).toBe(before);
    expect((await branchJobs()).get(job('pay', 'pr/7'))!.disabled).toBe(false);
    // a new colliding name gets no job at all
    r.push('pr/8');
    const clash8 = await sync(at(T0 + 2000));
    expect(clash8.plan.problems.filter((p) => p.code === 'branch-ref-collision').map((p) => p.message)).toEqual([
      expect.stringContaining('refs/heads/pr/7 and refs/pull/7/head'),
      expect.stringContaining('refs/heads/pr/8 and refs/pull/8/head'),
    ]);
    // the branch goes: the name is the pull request's alone again, its job carries on
    r.delete('pr/7');
    const after = await sync(at(T0 + 3000));
    expect(after.plan.problems.filter((p) => p.code === 'branch-ref-collision')).toHaveLength(1);
    expect(after.plan.changes.find((c) => c.fullName === job('pay', 'pr/7'))!.kind).toBe('unchanged');
  });

  it('a job of the definitions named like an existing branch job (finding 6): the branch job keeps its name, builds and marker; an input error (exit 1), not a failed listing', async () => {
    const r = new GitRemote(root, `defclash${n}`);
    r.push('main', 'dev');
    define('pay', r.url);
    await sync(at(T0));
    const main = job('pay', 'main');
    const queued = await api.build(main);
    const number = await waitForBuildNumber(queued);
    const before = await api.getConfig(main);
    fs.writeFileSync(path.join(defs, 'job-templates', 'Tool-config.xml'), '<project>\n  <description>$PROJECT.NAME tool</description>\n  <builders/>\n</project>\n');
    fs.appendFileSync(path.join(defs, 'jobs', 'pay.yaml'), `templates:\n  - template: Tool\n    job: ${main.slice('team/'.length)}\n`);
    const out = await runSync({ api, source: source(), clock: at(T0 + 1000), settings: { concurrency: 4 } });
    if (out.status !== 'planned') throw new Error(JSON.stringify(out.diagnostics));
    expect(out.applied!.failed).toEqual([]);
    expect(out.plan.changes.filter((c) => c.fullName === main).map((c) => [c.kind, c.reason])).toEqual([['conflict', 'the job of branch main of project pay has this name; not taken over (its builds are its own)']]);
    expect(out.plan.changes.filter((c) => c.kind !== 'unchanged' && c.kind !== 'conflict').map((c) => `${c.kind} ${c.fullName}`)).toEqual([`keep ${job('pay', 'dev')}`]);
    expect(out.plan.changes.find((c) => c.fullName === job('pay', 'dev'))!.reason).toBe(`not torn down: branch job names collide: ${main}: branch main and a job of the definitions get the same job name`);
    const errors = out.plan.problems.filter((p) => p.severity === 'error').sort((a, b) => a.code.localeCompare(b.code));
    expect(errors.map((p) => [p.category, p.code])).toEqual([
      ['input', 'branch-job-conflict'],
      ['input', 'branch-name-collision'],
    ]);
    expect(errors[0]!.message).toBe(`${main}: the job of branch main of project pay has this name, so this job of pay / Tool is not made: give it another name (job:)`);
    expect(errors[1]!.message).toBe(`project pay: ${main}: branch main and a job of the definitions get the same job name: give that job of the definitions another name (job:); its branch jobs are left as they are`);
    expect(errors.map((p) => p.message).join('\n')).not.toMatch(/listing failed/);
    expect(await api.getConfig(main)).toBe(before);
    expect(parseMarker((await branchJobs()).get(main)!.description)).toMatchObject({ template: 'CI-build-branch', branch: 'main' });
    // its build is still its own (a job deleted and made again would have none)
    expect(typeof (await api.buildStatus(main, number)).building).toBe('boolean');
  });

  it('$BRANCH.REPO keeps the user of an ssh URL and drops only the password', async () => {
    const r = new GitRemote(root, `ssh${n}`);
    r.push('main');
    // an ssh "client" that runs the remote command locally: git ls-remote over ssh:// without a server
    const fakeSsh = path.join(root, `fake-ssh-${n}.sh`);
    fs.writeFileSync(fakeSsh, '#!/bin/sh\nfor a; do last=$a; done\nexec sh -c "$last"\n', { mode: 0o755 });
    const viaSsh = createBranchSource({ git: { env: { ...process.env, GIT_SSH_COMMAND: fakeSsh } } });
    define('pay', `ssh://git:hunter2pw@localhost${r.bare}`);
    const out = await sync(at(T0), source(viaSsh));
    expect(kinds(out)).toEqual([`create ${job('pay', 'main')}`]);
    const config = await api.getConfig(job('pay', 'main'));
    expect(config).toContain(`<url>ssh://git@localhost${r.bare}</url>`);
    expect(config).toContain(`of ssh://git@localhost${r.bare}.`);
    expect(config).not.toContain('hunter2pw');
    expect(JSON.stringify(out.plan)).not.toContain('hunter2pw');
  });

  it('Subversion: non-ASCII branch names are read as they are (svn list --xml): "feature ünï" and "feature uni" are two jobs', async () => {
    const s = new SvnRepo(root, `svnu${n}`);
    s.branch('feature ünï', 'feature uni', 'rel-1');
    define('legacy', `svn+${s.url}`);
    const out = await sync();
    const expected = [job('legacy', 'feature ünï'), job('legacy', 'feature uni'), job('legacy', 'rel-1')];
    expect(new Set(expected).size).toBe(3);
    expect([...(await branchJobs()).keys()].sort()).toEqual(expected.sort());
    expect(out.plan.problems).toEqual([]);
    const marker = parseMarker((await branchJobs()).get(job('legacy', 'feature ünï'))!.description);
    expect(marker?.branch).toBe('feature ünï');
    expect(await api.getConfig(job('legacy', 'feature ünï'))).toContain('Continuous build of branch feature ünï of');
    expect(kinds(await sync(at(T0 + 1000)))).toEqual([]);
  });

  it('Subversion branches get jobs too', async () => {
    const s = new SvnRepo(root, `svn${n}`);
    s.branch('rel-1', 'Feature X');
    define('legacy', `svn+${s.url}`);
    await sync();
    expect([...(await branchJobs()).keys()].sort()).toEqual([job('legacy', 'Feature X'), job('legacy', 'rel-1')].sort());
    s.remove('rel-1');
    const out = await sync(at(T0 + 1000));
    expect(kinds(out)).toEqual([`disable ${job('legacy', 'rel-1')}`]);
  });
});
