/**
 * The stand-in keeps builds like Jenkins: on disk under the job (builds/N/build.xml, log,
 * archive/, junitResult.xml, nextBuildNumber), through restarts, renames and deletes; shell steps
 * in the console; artifacts from ArtifactArchiver (files and the zip); test reports from
 * JUnitResultArchiver (`testReport/api/json`); the git revision a local repository resolves to.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRemote } from '../branches/fixtures.js';
import { call, json, post, sleep, startTemp, tokenAuth, type Running } from './standin-harness.js';

const RELIC_JOB = (repo: string, branch: string) => `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <description>relics</description>
  <scm class="hudson.plugins.git.GitSCM" plugin="git">
    <userRemoteConfigs><hudson.plugins.git.UserRemoteConfig><url>${repo}</url></hudson.plugins.git.UserRemoteConfig></userRemoteConfigs>
    <branches><hudson.plugins.git.BranchSpec><name>refs/heads/${branch}</name></hudson.plugins.git.BranchSpec></branches>
  </scm>
  <canRoam>true</canRoam>
  <disabled>false</disabled>
  <builders>
    <hudson.tasks.Shell><command>make clean
# a comment
make test  </command></hudson.tasks.Shell>
  </builders>
  <publishers>
    <hudson.tasks.ArtifactArchiver><artifacts>target/*.jar, reports/**</artifacts><allowEmptyArchive>false</allowEmptyArchive></hudson.tasks.ArtifactArchiver>
    <hudson.tasks.junit.JUnitResultArchiver plugin="junit"><testResults>target/surefire-reports/*.xml</testResults></hudson.tasks.junit.JUnitResultArchiver>
  </publishers>
</project>`;

const PARAM_JOB = `<project><properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions><hudson.model.StringParameterDefinition><name>STANDIN_RESULT</name><defaultValue>SUCCESS</defaultValue></hudson.model.StringParameterDefinition></parameterDefinitions></hudson.model.ParametersDefinitionProperty></properties><canRoam>true</canRoam><disabled>false</disabled><builders><hudson.tasks.Shell><command>./run-tests</command></hudson.tasks.Shell></builders><publishers><hudson.tasks.junit.JUnitResultArchiver><testResults>**/TEST-*.xml</testResults></hudson.tasks.junit.JUnitResultArchiver></publishers></project>`;

let root: string;
let r: Running;
let remote: GitRemote;
let sha: string;

async function waitFor<T>(what: string, f: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

async function buildAndWait(job: string, query = ''): Promise<number> {
  const res = await post(r.s, `/job/${job}/${query ? `buildWithParameters?${query}` : 'build'}`);
  expect([201, 303]).toContain(res.status);
  const id = Number(/\/queue\/item\/(\d+)\/$/.exec(String(res.headers.location))![1]);
  const num = await waitFor('start', async () => {
    const q = await json(r.s, `/queue/item/${id}/api/json`);
    return q.executable ? ((q.executable as { number: number }).number) : undefined;
  });
  await waitFor('finish', async () => ((await json(r.s, `/job/${job}/${num}/api/json?tree=building`)).building === false ? true : undefined));
  return num;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'standin-relics-'));
  remote = new GitRemote(root, 'app');
  remote.push('feature/x');
  sha = execFileSync('git', ['ls-remote', remote.bare, 'refs/heads/feature/x'], { encoding: 'utf8' }).split('\t')[0]!;
  r = await startTemp({ home: path.join(root, 'home'), buildDurationMs: 150, quietPeriodMs: 0 });
  expect((await post(r.s, '/createItem?name=app', RELIC_JOB(remote.url, 'feature/x'))).status).toBe(200);
  expect((await post(r.s, '/createItem?name=tests', PARAM_JOB)).status).toBe(200);
});
afterAll(async () => {
  await r.s.close();
  rmSync(root, { recursive: true, force: true });
});

describe('builds of a job with shell steps, artifacts, a test report and git', () => {
  it('the console shows the checkout, the shell commands (sh -xe), the publishers and the result', async () => {
    const n = await buildAndWait('app');
    const log = (await call(r.s, `/job/app/${n}/consoleText`)).text;
    const lines = log.split('\n');
    expect(lines[0]).toBe('Started by user alice');
    expect(lines).toContain(`Cloning repository ${remote.url}`);
    expect(lines).toContain(`Checking out Revision ${sha} (refs/remotes/origin/feature/x)`);
    const sh = lines.findIndex((l) => /^\[app\] \$ \/bin\/sh -xe \/tmp\/jenkins\d+\.sh$/.test(l));
    expect(sh).toBeGreaterThan(0);
    expect(lines.slice(sh + 1, sh + 3)).toEqual(['+ make clean', '+ make test']);
    expect(lines.slice(-4)).toEqual(['Archiving artifacts', 'Recording test results', 'Finished: SUCCESS', '']);
  });

  it('build api/json lists the artifacts, the git BuildData and the TestResultAction', async () => {
    const b = await json(r.s, '/job/app/1/api/json');
    expect(b.artifacts).toEqual([
      { displayPath: 'build-1.txt', fileName: 'build-1.txt', relativePath: 'reports/build-1.txt' },
      { displayPath: 'build-1.jar', fileName: 'build-1.jar', relativePath: 'target/build-1.jar' },
    ]);
    const actions = b.actions as Array<Record<string, unknown>>;
    const git = actions.find((a) => a._class === 'hudson.plugins.git.util.BuildData');
    expect(git).toMatchObject({ lastBuiltRevision: { SHA1: sha, branch: [{ SHA1: sha, name: 'refs/remotes/origin/feature/x' }] }, remoteUrls: [remote.url], scmName: '' });
    expect(actions.find((a) => a._class === 'hudson.tasks.junit.TestResultAction')).toEqual({ _class: 'hudson.tasks.junit.TestResultAction', failCount: 0, skipCount: 0, totalCount: 3, urlName: 'testReport' });
    expect(actions.find((a) => a._class === 'hudson.model.CauseAction')).toMatchObject({ causes: [{ userId: 'alice' }] });
  });

  it('testReport/api/json: counts, then suites with their cases, in the junit plugin field order', async () => {
    const t = await json(r.s, '/job/app/1/testReport/api/json');
    expect(Object.keys(t)).toEqual(['_class', 'testActions', 'duration', 'empty', 'failCount', 'passCount', 'skipCount', 'suites']);
    expect(t).toMatchObject({ _class: 'hudson.tasks.junit.TestResult', empty: false, failCount: 0, passCount: 3, skipCount: 0 });
    const [suite] = t.suites as Array<Record<string, unknown>>;
    expect(Object.keys(suite!)).toEqual(['cases', 'duration', 'enclosingBlockNames', 'enclosingBlocks', 'id', 'name', 'nodeId', 'properties', 'stderr', 'stdout', 'timestamp']);
    const cases = suite!.cases as Array<Record<string, unknown>>;
    expect(cases.map((c) => [c.className, c.name, c.status])).toEqual([
      ['standin.appTest', 'compiles', 'PASSED'],
      ['standin.appTest', 'passesUnitTests', 'PASSED'],
      ['standin.appTest', 'packages', 'PASSED'],
    ]);
    expect(Object.keys(cases[0]!)).toEqual(['testActions', 'age', 'className', 'duration', 'errorDetails', 'errorStackTrace', 'failedSince', 'flakyFailures', 'name', 'properties', 'rerunFailures', 'skipped', 'skippedMessage', 'status', 'stderr', 'stdout']);
    // tree= works on the report like on any other exported object
    expect(await json(r.s, '/job/app/1/testReport/api/json?tree=failCount,suites[cases[name]]{0,1}')).toEqual({ _class: 'hudson.tasks.junit.TestResult', failCount: 0, suites: [{ cases: [{ name: 'compiles' }, { name: 'passesUnitTests' }, { name: 'packages' }] }] });
  });

  it('an UNSTABLE build records a failing case; a build without a test publisher has no report (404)', async () => {
    const n = await buildAndWait('tests', 'STANDIN_RESULT=UNSTABLE');
    const t = await json(r.s, `/job/tests/${n}/testReport/api/json`);
    expect(t).toMatchObject({ failCount: 1, passCount: 2, skipCount: 0 });
    const failed = ((t.suites as Array<{ cases: Array<Record<string, unknown>> }>)[0]!.cases).find((c) => c.status === 'FAILED')!;
    expect(failed).toMatchObject({ name: 'passesUnitTests', errorDetails: 'expected:<0> but was:<1>', failedSince: n, age: 1 });
    expect(String(failed.errorStackTrace)).toContain('java.lang.AssertionError');
    const log = (await call(r.s, `/job/tests/${n}/consoleText`)).text;
    expect(log.endsWith('+ ./run-tests\nRecording test results\nFinished: UNSTABLE\n')).toBe(true);
    expect((await call(r.s, `/job/tests/${n}/artifact/*zip*/archive.zip`)).status).toBe(404);
    const failing = await buildAndWait('tests', 'STANDIN_RESULT=FAILURE');
    expect((await call(r.s, `/job/tests/${failing}/consoleText`)).text).toContain("+ ./run-tests\nBuild step 'Execute shell' marked build as failure\nRecording test results\nFinished: FAILURE\n");
  });

  it('artifacts: each file, and all of them as a zip whose entries start with archive/ (read by unzip)', async () => {
    const jar = await call(r.s, '/job/app/1/artifact/target/build-1.jar');
    expect(jar.status).toBe(200);
    expect(jar.headers['content-type']).toBe('application/java-archive');
    expect(jar.text).toBe('artifact target/build-1.jar of app #1\n');
    const res = await request(`${r.s.url}/job/app/1/artifact/*zip*/archive.zip`, { headers: { authorization: tokenAuth } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const zip = path.join(root, 'a.zip');
    writeFileSync(zip, Buffer.from(await res.body.arrayBuffer()));
    const listing = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(listing).toEqual(['archive/reports/build-1.txt', 'archive/target/build-1.jar']);
    expect(execFileSync('unzip', ['-p', zip, 'archive/reports/build-1.txt'], { encoding: 'utf8' })).toBe('artifact reports/build-1.txt of app #1\n');
    // nothing outside the build's archive is reachable
    for (const p of ['/job/app/1/artifact/../build.xml', '/job/app/1/artifact/%2E%2E/build.xml', '/job/app/1/artifact/target/..%2F..%2Fbuild.xml', '/job/app/1/artifact/nope.txt']) {
      const x = await call(r.s, p);
      expect(x.status, p).not.toBe(200);
      expect(x.text).not.toContain('<build>');
    }
  });

  it('an artifact pattern whose file name could not exist on a disk (a segment over 255 bytes) archives no such file', async () => {
    const long = 'x'.repeat(300);
    const job = `<project><canRoam>true</canRoam><disabled>false</disabled><builders/><publishers><hudson.tasks.ArtifactArchiver><artifacts>${long}/*.jar, out/*.txt</artifacts></hudson.tasks.ArtifactArchiver></publishers></project>`;
    expect((await post(r.s, '/createItem?name=longart', job)).status).toBe(200);
    const n = await buildAndWait('longart');
    const b = await json(r.s, `/job/longart/${n}/api/json?tree=artifacts[relativePath]`);
    expect(b.artifacts).toEqual([{ relativePath: `out/build-${n}.txt` }]);
    expect((await call(r.s, `/job/longart/${n}/artifact/out/build-${n}.txt`)).text).toBe(`artifact out/build-${n}.txt of longart #${n}\n`);
  });

  it('on disk in Jenkins layout under the job', () => {
    const dir = path.join(r.home, 'jobs', 'app');
    expect(readFileSync(path.join(dir, 'nextBuildNumber'), 'utf8')).toBe('2\n');
    const xml = readFileSync(path.join(dir, 'builds', '1', 'build.xml'), 'utf8');
    expect(xml).toContain('<result>SUCCESS</result>');
    expect(xml).toContain('<hudson.tasks.junit.TestResultAction');
    expect(xml).toContain(`<sha1>${sha}</sha1>`);
    expect(readFileSync(path.join(dir, 'builds', '1', 'log'), 'utf8')).toContain('+ make test\n');
    expect(readFileSync(path.join(dir, 'builds', '1', 'archive', 'target', 'build-1.jar'), 'utf8')).toBe('artifact target/build-1.jar of app #1\n');
    expect(readFileSync(path.join(dir, 'builds', '1', 'junitResult.xml'), 'utf8')).toContain('<testName>passesUnitTests</testName>');
  });

  it('allBuilds: only when asked for by tree, every build, with ranges', async () => {
    await buildAndWait('app');
    const plain = await json(r.s, '/job/app/api/json');
    expect('allBuilds' in plain).toBe(false);
    const all = await json(r.s, '/job/app/api/json?tree=allBuilds[number,result]');
    expect(all.allBuilds).toEqual([{ _class: 'hudson.model.FreeStyleBuild', number: 2, result: 'SUCCESS' }, { _class: 'hudson.model.FreeStyleBuild', number: 1, result: 'SUCCESS' }]);
    expect((await json(r.s, '/job/app/api/json?tree=allBuilds[number]{0,1}')).allBuilds).toEqual([{ _class: 'hudson.model.FreeStyleBuild', number: 2 }]);
  });
});

describe('builds survive restarts and follow renames; deletes take them', () => {
  it('a restart keeps every build (result, log, artifacts, test report, next number); a build running at the stop is ABORTED', async () => {
    const home = path.join(root, 'restart-home');
    let s = await startTemp({ home, buildDurationMs: 100, quietPeriodMs: 0 });
    const r0 = r;
    r = s;
    try {
      expect((await post(s.s, '/createItem?name=app', RELIC_JOB(remote.url, 'feature/x'))).status).toBe(200);
      await buildAndWait('app');
      const before = await json(s.s, '/job/app/1/api/json');
      const log = (await call(s.s, '/job/app/1/consoleText')).text;
      await s.s.close();
      // a build still running when the stand-in stops
      s = await startTemp({ home, buildDurationMs: 60_000, quietPeriodMs: 0 });
      r = s;
      await post(s.s, '/job/app/build');
      await waitFor('running', async () => ((await json(s.s, '/job/app/api/json?tree=lastBuild[number,building]')).lastBuild as { building?: boolean } | null)?.building === true ? true : undefined);
      await s.s.close();

      s = await startTemp({ home, buildDurationMs: 100, quietPeriodMs: 0 });
      r = s;
      const after = await json(s.s, '/job/app/1/api/json');
      for (const k of ['number', 'result', 'timestamp', 'duration', 'artifacts', 'queueId']) expect(after[k], k).toEqual(before[k]);
      expect(after.actions).toEqual(before.actions);
      expect((await call(s.s, '/job/app/1/consoleText')).text).toBe(log);
      expect((await json(s.s, '/job/app/1/testReport/api/json')).passCount).toBe(3);
      expect((await call(s.s, '/job/app/1/artifact/target/build-1.jar')).text).toBe('artifact target/build-1.jar of app #1\n');
      const two = await json(s.s, '/job/app/2/api/json?tree=result,building');
      expect(two).toMatchObject({ result: 'ABORTED', building: false });
      expect((await json(s.s, '/job/app/api/json?tree=nextBuildNumber')).nextBuildNumber).toBe(3);
      expect(await buildAndWait('app')).toBe(3);
    } finally {
      await s.s.close();
      r = r0;
    }
  });

  it('a renamed job keeps its builds (files move with its directory); a deleted one loses them, and a new job of that name starts at #1', async () => {
    expect((await post(r.s, '/createItem?name=old-name', RELIC_JOB(remote.url, 'feature/x'))).status).toBe(200);
    await buildAndWait('old-name');
    expect((await post(r.s, '/job/old-name/doRename?newName=new%20name')).status).toBe(302);
    expect(existsSync(path.join(r.home, 'jobs', 'old-name'))).toBe(false);
    expect((await json(r.s, '/job/new%20name/1/api/json?tree=result')).result).toBe('SUCCESS');
    expect((await call(r.s, '/job/new%20name/1/artifact/target/build-1.jar')).text).toBe('artifact target/build-1.jar of old-name #1\n');
    expect(readFileSync(path.join(r.home, 'jobs', 'new name', 'builds', '1', 'log'), 'utf8')).toContain('+ make clean');
    expect((await post(r.s, '/job/new%20name/doDelete')).status).toBe(302);
    expect(existsSync(path.join(r.home, 'jobs', 'new name'))).toBe(false);
    expect((await post(r.s, '/createItem?name=new%20name', RELIC_JOB(remote.url, 'feature/x'))).status).toBe(200);
    expect((await call(r.s, '/job/new%20name/1/api/json')).status).toBe(404);
    expect(await buildAndWait('new%20name')).toBe(1);
  });

  it('a job moved into a folder (move/move) keeps its builds, their files move with it, and it builds on from its next number', async () => {
    expect((await post(r.s, '/createItem?name=mover', RELIC_JOB(remote.url, 'feature/x'))).status).toBe(200);
    expect((await post(r.s, '/createItem?name=dest', '<com.cloudbees.hudson.plugins.folder.Folder><properties/></com.cloudbees.hudson.plugins.folder.Folder>')).status).toBe(200);
    await buildAndWait('mover');
    const before = await json(r.s, '/job/mover/1/api/json?tree=result,timestamp,artifacts[relativePath]');
    expect((await post(r.s, '/job/mover/move/move?destination=%2Fdest')).status).toBe(302);
    expect((await call(r.s, '/job/mover/1/api/json')).status).toBe(404);
    expect(await json(r.s, '/job/dest/job/mover/1/api/json?tree=result,timestamp,artifacts[relativePath]')).toEqual(before);
    expect((await call(r.s, '/job/dest/job/mover/1/artifact/target/build-1.jar')).text).toBe('artifact target/build-1.jar of mover #1\n');
    expect((await json(r.s, '/job/dest/job/mover/1/testReport/api/json')).passCount).toBe(3);
    expect(existsSync(path.join(r.home, 'jobs', 'dest', 'jobs', 'mover', 'builds', '1', 'build.xml'))).toBe(true);
    expect(existsSync(path.join(r.home, 'jobs', 'mover'))).toBe(false);
    expect(await buildAndWait('dest/job/mover')).toBe(2);
  });

  it('a job deleted while a build runs leaves no directory behind when the build ends', async () => {
    const s = await startTemp({ home: path.join(root, 'delete-home'), buildDurationMs: 300, quietPeriodMs: 0 });
    try {
      expect((await post(s.s, '/createItem?name=gone', RELIC_JOB(remote.url, 'feature/x'))).status).toBe(200);
      await post(s.s, '/job/gone/build');
      await sleep(100);
      expect((await post(s.s, '/job/gone/doDelete')).status).toBe(302);
      await sleep(500);
      expect(existsSync(path.join(s.home, 'jobs', 'gone'))).toBe(false);
    } finally {
      await s.s.close();
    }
  });
});
