/**
 * Issue 19 end to end, with the built CLI, a real git remote for the branches, the definitions in
 * a git working copy and the stand-in over loopback: a branch job is built twice, its branch is
 * deleted, `sync` tears it down (keep_days 0) and archives its builds first; `archive list/show`
 * read them back; `serve` shows them at /archive in real Chromium.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { branchJobName } from '../../src/branches/branch-job-name.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { GitRemote } from '../branches/fixtures.js';
import { git } from '../form/git-fixtures.js';
import { launchBrowser } from '../form/browser.js';
import { runCli } from '../helpers/cli.js';
import { buildAndWait, startCli, writeDefinitions } from './fixtures.js';

let root: string;
let defs: string;
let archiveDir: string;
let remote: GitRemote;
let standin: Standin;
let api: JenkinsClient;
let sha: string;
const job = `team/${branchJobName('pay-Relic-branch', 'feature/a')}`;

const cli = (args: string[]) => runCli([...args], { cwd: defs });
const sync = () => cli(['sync', '--jenkins-url', standin.url]);

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jobsmith-archive-e2e-'));
  remote = new GitRemote(root, 'pay');
  remote.push('main', 'feature/a');
  sha = execFileSync('git', ['ls-remote', remote.bare, 'refs/heads/feature/a'], { encoding: 'utf8' }).split('\t')[0]!;
  defs = path.join(root, 'defs');
  archiveDir = path.join(root, 'relics');
  writeDefinitions(defs, remote.url, { archive: 'archive:\n  dir: ../relics\n  keep_builds: 20\n' });
  git(defs, 'init', '-q', '-b', 'main');
  git(defs, 'add', '.');
  git(defs, 'commit', '-q', '-m', 'definitions');
  standin = await startStandin({ home: path.join(root, 'home'), buildDurationMs: 150, quietPeriodMs: 0 });
  api = new JenkinsClient({ url: standin.url, retries: 0 });
});

afterAll(async () => {
  await api?.close();
  await standin?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('a torn-down branch job keeps its builds in the archive', () => {
  it('sync creates the branch jobs; the branch is built twice, deleted, and the next sync archives then deletes its job', async () => {
    const first = await sync();
    expect(first.stderr).not.toContain('error');
    expect(first.code).toBe(0);
    expect((await api.list()).items.map((i) => i.fullName)).toContain(job);
    expect(await buildAndWait(api, job)).toBe(1);
    expect(await buildAndWait(api, job, { STANDIN_RESULT: 'UNSTABLE' })).toBe(2);

    remote.delete('feature/a');
    const plan = await cli(['plan', '--jenkins-url', standin.url]);
    expect(plan.stdout).toContain(`- delete    ${job}  (branch feature/a is gone (keep_days 0); builds archived first)`);
    const out = await sync();
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`Archived 2 build(s) of ${job} to ${archiveDir} (jobsmith archive show ${job})`);
    const names = (await api.list()).items.map((i) => i.fullName);
    expect(names).not.toContain(job);
    expect(names).toContain(`team/${branchJobName('pay-Relic-branch', 'main')}`);
  });

  it('the archive holds per build build.json, the log, the test report and the artifacts, plus config.xml and the marker', () => {
    const keyDir = path.join(archiveDir, 'jobs', encodeURIComponent(job).replace(/%2F/g, '%2F'));
    const stamps = fs.readdirSync(keyDir);
    expect(stamps).toHaveLength(1);
    const entry = path.join(keyDir, stamps[0]!);
    const jobJson = JSON.parse(fs.readFileSync(path.join(entry, 'job.json'), 'utf8'));
    expect(jobJson).toMatchObject({ format: 'jobsmith-archived-job', fullName: job, reason: 'branch feature/a is gone (keep_days 0)', marker: { project: 'pay', template: 'Relic-branch', branch: 'feature/a' }, buildsNotArchived: 0 });
    expect(jobJson.builds.map((b: { number: number; result: string }) => [b.number, b.result])).toEqual([[2, 'UNSTABLE'], [1, 'SUCCESS']]);
    expect(fs.readFileSync(path.join(entry, 'config.xml'), 'utf8')).toContain('<hudson.tasks.junit.JUnitResultArchiver>');
    for (const n of [1, 2]) {
      const b = JSON.parse(fs.readFileSync(path.join(entry, 'builds', String(n), 'build.json'), 'utf8'));
      expect(b).toMatchObject({ number: n, revision: { sha1: sha, branches: ['refs/remotes/origin/feature/a'], remoteUrls: [remote.url] }, artifacts: { copied: true, list: [{ relativePath: `target/build-${n}.jar` }] } });
      expect(b.causes[0]).toMatchObject({ className: 'hudson.model.Cause$UserIdCause' });
      expect(b.parameters).toEqual([{ name: 'STANDIN_RESULT', className: 'hudson.model.StringParameterValue', value: n === 1 ? 'SUCCESS' : 'UNSTABLE' }]);
      const log = fs.readFileSync(path.join(entry, 'builds', String(n), 'log.txt'), 'utf8');
      expect(log).toContain(`Checking out Revision ${sha} (refs/remotes/origin/feature/a)`);
      expect(log).toContain('+ make test\n');
      expect(log.endsWith(`Finished: ${n === 1 ? 'SUCCESS' : 'UNSTABLE'}\n`)).toBe(true);
      const report = JSON.parse(fs.readFileSync(path.join(entry, 'builds', String(n), 'test-report.json'), 'utf8'));
      expect(report).toMatchObject({ _class: 'hudson.tasks.junit.TestResult', failCount: n === 1 ? 0 : 1, passCount: n === 1 ? 3 : 2 });
      const zip = path.join(entry, 'builds', String(n), 'artifacts.zip');
      expect(execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim()).toBe(`archive/target/build-${n}.jar`);
    }
  });

  it('archive list and archive show read it back (text and --json)', async () => {
    const list = await cli(['archive', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${job.replace(/[/.]/g, '\\$&')}\\t2 build\\(s\\), last #2 UNSTABLE\\tarchived `, 'm'));
    expect(list.stdout).toContain(`1 archived job(s) in ${archiveDir}`);
    const filtered = await cli(['archive', 'list', '--job', 'other/*']);
    expect(filtered.stdout).toBe(`No archived job matches other/* in ${archiveDir}.\n`);

    const show = await cli(['archive', 'show', job]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('made by jobsmith from project pay, template Relic-branch, branch feature/a');
    expect(show.stdout).toMatch(/ {2}#2\tUNSTABLE .*\ttests 3 \(1 failed, 0 skipped\)\t1 artifact\(s\)/);
    expect(show.stdout).toMatch(/ {2}#1\tSUCCESS .*\ttests 3 \(0 failed, 0 skipped\)\t1 artifact\(s\)/);

    const one = await cli(['archive', 'show', job, '1']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(`${job} #1: SUCCESS`);
    expect(one.stdout).toContain(`revision: ${sha} (refs/remotes/origin/feature/a)`);
    expect(one.stdout).toContain('artifacts: target/build-1.jar');
    expect(one.stdout).toContain('--- console log ---\nStarted by user unknown or anonymous\n');
    expect(one.stdout).toContain('Finished: SUCCESS\n');

    const two = await cli(['archive', 'show', job, '2', '--json']);
    const j = JSON.parse(two.stdout);
    expect(j.build).toMatchObject({ number: 2, result: 'UNSTABLE', tests: { failCount: 1, skipCount: 0, totalCount: 3 } });
    expect(j.log).toContain('Recording test results\nFinished: UNSTABLE\n');

    const missing = await cli(['archive', 'show', job, '7']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: ${job} has no archived build #7 (archived: #2, #1)\n`);
    const typo = await cli(['archive', 'show', job.slice(0, -1)]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain(`(did you mean ${job}?)`);
  });

  describe('/archive in serve, in Chromium', () => {
    let browser: Browser;
    let server: Awaited<ReturnType<typeof startCli>>;
    beforeAll(async () => {
      server = await startCli(['serve', '--definitions', defs, '--sync', 'master-job', '--port', '0', '--no-push'], defs, /build archive: (http:\/\/127\.0\.0\.1:\d+)\/archive/);
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it('lists the job, shows its result history and a build with its test summary, log and artifact downloads', async () => {
      const base = server.match[1]!;
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(`${base}/archive`);
      await page.getByRole('link', { name: job }).click();
      await expect.poll(() => page.locator('#job-name').textContent()).toBe(job);
      const rows = await page.locator('#history tbody tr').allTextContents();
      expect(rows).toHaveLength(2);
      expect(rows[0]).toContain('#2');
      expect(rows[0]).toContain('UNSTABLE');
      expect(rows[0]).toContain('3 tests, 1 failed, 0 skipped');
      expect(rows[1]).toContain('SUCCESS');

      await page.getByRole('link', { name: '#2' }).click();
      await expect.poll(() => page.locator('#result').textContent()).toBe('UNSTABLE');
      expect(await page.locator('#tests').textContent()).toBe('3 tests, 1 failed, 0 skipped');
      expect(await page.locator('.failed-case').textContent()).toContain('passesUnitTests');
      expect(await page.locator('#log').textContent()).toContain('Finished: UNSTABLE');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'target/build-2.jar' }).click()]);
      const saved = path.join(root, 'downloaded.jar');
      await download.saveAs(saved);
      expect(fs.readFileSync(saved, 'utf8')).toBe(`artifact target/build-2.jar of ${job} #2\n`);
      const zip = await page.request.get(`${page.url()}artifacts.zip`);
      expect(zip.status()).toBe(200);
      expect(zip.headers()['content-disposition']).toMatch(/^attachment;/);
      const raw = await page.request.get(`${page.url()}log.txt`);
      expect(raw.headers()['content-type']).toBe('text/plain; charset=utf-8');
      expect(await raw.text()).toContain('+ make test');
      await ctx.close();
    });
  });
});
