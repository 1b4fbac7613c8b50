/**
 * Fail closed: when a job's builds cannot be archived (Jenkins errors, a read-only archive, a full
 * volume, artifacts over the cap with on_cap: hold) the job is not deleted: it is disabled,
 * reported, and the next sync tries again. The built CLI against the stand-in over loopback, with
 * real git remotes; a stand-in restart between the failure and the retry keeps the builds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { branchJobName } from '../../src/branches/branch-job-name.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { GitRemote } from '../branches/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { buildAndWait, writeDefinitions } from './fixtures.js';
import { nearlyFullVolume, readOnlyDir, type Volume } from './volumes.js';

let root: string;
let home: string;
let standin: Standin;
let api: JenkinsClient;
let n = 0;
const volumes: Volume[] = [];

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jobsmith-archive-fail-'));
});
// one Jenkins per test: each test's definitions are all that Jenkins should hold
beforeEach(async () => {
  home = path.join(root, `home${n + 1}`);
  standin = await startStandin({ home, buildDurationMs: 100, quietPeriodMs: 0 });
  api = new JenkinsClient({ url: standin.url, retries: 0 });
});
afterEach(async () => {
  await api.close();
  await standin.close();
  for (const v of volumes.splice(0)) {
    try {
      v.release();
    } catch {
      // released by the test already
    }
  }
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

interface Setup {
  defs: string;
  job: string;
  archive: string;
  remote: GitRemote;
  sync(): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** A project with a branch job built `builds` times whose branch is then deleted. */
async function branchJobGone(archiveYaml: (dir: string) => string, builds = 1, branchesExtra = ''): Promise<Setup> {
  n++;
  const project = `p${n}`;
  const remote = new GitRemote(root, `r${n}`);
  remote.push('main', 'feature/x');
  const defs = path.join(root, `defs${n}`);
  const archive = path.join(root, `archive${n}`);
  writeDefinitions(defs, remote.url, { project, archive: archiveYaml(archive), branchesExtra });
  const sync = () => runCli(['sync', '--jenkins-url', standin.url], { cwd: defs });
  expect((await sync()).code).toBe(0);
  const job = `team/${branchJobName(`${project}-Relic-branch`, 'feature/x')}`;
  for (let k = 0; k < builds; k++) await buildAndWait(api, job);
  remote.delete('feature/x');
  return { defs, job, archive, remote, sync };
}

async function item(name: string) {
  return (await api.list()).items.find((i) => i.fullName === name);
}

function entries(archive: string): string[] {
  const jobs = path.join(archive, 'jobs');
  if (!fs.existsSync(jobs)) return [];
  return fs.readdirSync(jobs).flatMap((k) => fs.readdirSync(path.join(jobs, k)).map((s) => `${k}/${s}`));
}

describe('an archive failure keeps the job (disabled, reported, retried by the next sync)', () => {
  it('Jenkins fails serving a console log: exit 3, the job is disabled and kept, nothing half-written; after a stand-in restart the next sync archives and deletes it', async () => {
    const s = await branchJobGone((dir) => `archive:\n  dir: ${dir}\n`, 2);
    standin.faults.set({ errors: { 'GET run/consoleText': { status: 500 } } });
    const failed = await s.sync();
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain(`failed delete ${s.job}: not deleted: archiving its builds failed: downloading #`);
    expect(failed.stderr).toContain('console log failed: ');
    expect(failed.stderr).toContain('HTTP 500');
    expect(failed.stderr).toContain('it was disabled and kept; the next sync tries again');
    expect((await item(s.job))?.disabled).toBe(true);
    expect(entries(s.archive)).toEqual([]);
    expect(fs.readdirSync(path.join(s.archive, 'jobs')).flatMap((k) => fs.readdirSync(path.join(s.archive, 'jobs', k)))).toEqual([]); // no .partial left

    // the stand-in restarts: the builds are still there for the retry
    standin.faults.clear();
    await api.close();
    await standin.close();
    standin = await startStandin({ home, buildDurationMs: 100, quietPeriodMs: 0 });
    api = new JenkinsClient({ url: standin.url, retries: 0 });

    const retried = await s.sync();
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain(`Archived 2 build(s) of ${s.job}`);
    expect(await item(s.job)).toBeUndefined();
    expect(entries(s.archive)).toHaveLength(1);
    const show = await runCli(['archive', 'show', s.job, '2'], { cwd: s.defs });
    expect(show.stdout).toContain('Finished: SUCCESS');
  });

  it('a read-only archive directory: exit 3, disabled and kept; writable again, the next sync archives it', async () => {
    const s = await branchJobGone((dir) => `archive:\n  dir: ${dir}\n`);
    volumes.push(readOnlyDir(s.archive));
    const failed = await s.sync();
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(new RegExp(`not deleted: archiving its builds failed: the archive ${s.archive.replace(/[/.]/g, '\\$&')} cannot be written: (the archive is on a read-only file system \\(EROFS\\)|the archive directory is not writable \\(EACCES\\))`));
    expect((await item(s.job))?.disabled).toBe(true);
    volumes.pop()!.release();
    const retried = await s.sync();
    expect(retried.code).toBe(0);
    expect(await item(s.job)).toBeUndefined();
    expect(entries(s.archive)).toHaveLength(1);
  });

  it('a full archive volume: exit 3, the entry is removed again, the job disabled and kept', async () => {
    const s = await branchJobGone((dir) => `archive:\n  dir: ${dir}\n`);
    volumes.push(nearlyFullVolume(s.archive, 1024));
    const failed = await s.sync();
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain('no space left on the archive volume (ENOSPC)');
    expect((await item(s.job))?.disabled).toBe(true);
    expect(entries(s.archive)).toEqual([]);
    volumes.pop()!.release();
    expect((await s.sync()).code).toBe(0);
    expect(await item(s.job)).toBeUndefined();
  });

  it('artifacts over the cap with on_cap: hold: exit 1, held (disabled); with on_cap: list they are listed, not copied, and the job goes', async () => {
    const s = await branchJobGone((dir) => `archive:\n  dir: ${dir}\n  max_artifacts_mb: 0.0001\n  on_cap: hold\n`);
    const held = await s.sync();
    expect(held.code).toBe(1);
    expect(held.stderr).toContain(`not deleted: archiving its builds failed: artifacts of #1 are over the cap of 0.0001 MB (on_cap: hold); it was disabled and kept`);
    // what must change is the archive settings, not the definitions; the sentence reads whole
    expect(held.stderr).toContain('1 failure(s) will fail again until the archive settings change (see → above). Then run sync again to converge.\n');
    expect((await item(s.job))?.disabled).toBe(true);
    const json = await runCli(['sync', '--jenkins-url', standin.url, '--json'], { cwd: s.defs });
    expect(JSON.parse(json.stdout).applied.failed).toEqual([expect.objectContaining({ kind: 'delete', fullName: s.job, held: true })]);

    fs.writeFileSync(path.join(s.defs, 'jobsmith.yaml'), `archive:\n  dir: ${s.archive}\n  max_artifacts_mb: 0.0001\n  on_cap: list\n`);
    const listed = await s.sync();
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('  note: artifacts of #1 are over the cap of 0.0001 MB: listed, not copied');
    expect(await item(s.job)).toBeUndefined();
    const show = await runCli(['archive', 'show', s.job, '1'], { cwd: s.defs });
    expect(show.stdout).toContain('artifacts: target/build-1.jar\n    not copied: artifacts of #1 are over the cap of 0.0001 MB: listed, not copied');
  });

  it('archive: false in the branches block opts out: the job is deleted without archiving, and the plan says so', async () => {
    const s = await branchJobGone((dir) => `archive:\n  dir: ${dir}\n`, 1, '  archive: false\n');
    const plan = await runCli(['plan', '--jenkins-url', standin.url], { cwd: s.defs });
    expect(plan.stdout).toContain(`- delete    ${s.job}  (branch feature/x is gone (keep_days 0); not archived: archive: false)`);
    const out = await s.sync();
    expect(out.code).toBe(0);
    expect(out.stdout).not.toContain('Archived');
    expect(await item(s.job)).toBeUndefined();
    expect(entries(s.archive)).toEqual([]);
  });

  it('a saved plan archives as recorded: apply FILE uses the plan\'s archive settings, not today\'s jobsmith.yaml', async () => {
    const s = await branchJobGone((dir) => `archive:\n  dir: ${dir}\n`);
    const planned = await runCli(['plan', '--jenkins-url', standin.url, '--out', 'plan.json', '--no-label-check'], { cwd: s.defs });
    expect(planned.code, planned.stderr).toBe(0);
    const saved = JSON.parse(fs.readFileSync(path.join(s.defs, 'plan.json'), 'utf8'));
    expect(saved.archive).toEqual({ dir: s.archive, maxArtifactsMb: 100, onCap: 'list', concurrency: 4 });
    fs.writeFileSync(path.join(s.defs, 'jobsmith.yaml'), `archive:\n  dir: ${s.archive}-elsewhere\n`);
    const applied = await runCli(['apply', 'plan.json', '--jenkins-url', standin.url], { cwd: s.defs });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`Archived 1 build(s) of ${s.job} to ${s.archive} `);
    expect(entries(s.archive)).toHaveLength(1);
    expect(fs.existsSync(`${s.archive}-elsewhere`)).toBe(false);
    expect(await item(s.job)).toBeUndefined();
  });

  it('bad archive settings are located errors and change nothing', async () => {
    const s = await branchJobGone((dir) => `archive:\n  dir: ${dir}\n`);
    fs.writeFileSync(path.join(s.defs, 'jobsmith.yaml'), 'archive:\n  dir: ""\n  keep_builds: 0\n  on_cap: maybe\n  colour: blue\n');
    const out = await s.sync();
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('jobsmith.yaml:2:8: error: archive.dir must be a directory path [archive.dir]');
    expect(out.stderr).toContain('jobsmith.yaml:3:16: error: archive.keep_builds must be a whole number from 1 to 1000000 [archive.keep_builds]');
    expect(out.stderr).toContain('jobsmith.yaml:4:11: error: archive.on_cap must be "list"');
    expect(out.stderr).toContain('jobsmith.yaml:5:3: warning: unknown archive setting "colour"');
    expect(out.stderr).toContain('nothing was changed in Jenkins');
    expect((await item(s.job))?.disabled).toBe(false);
  });
});
