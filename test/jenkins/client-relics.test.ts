/**
 * The client's relic reads against the stand-in over loopback: every build in one request
 * (allBuilds, limited), each relic streamed to a writer (retried from the start after a transient
 * failure), 404 as absent, a limit that stops a download, errors that name the build.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import type { RelicWriter } from '../../src/model/build-relics.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { buildAndWait } from '../archive/fixtures.js';

const JOB = `<project><properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions><hudson.model.StringParameterDefinition><name>STANDIN_RESULT</name><defaultValue>SUCCESS</defaultValue></hudson.model.StringParameterDefinition></parameterDefinitions></hudson.model.ParametersDefinitionProperty></properties><canRoam>true</canRoam><disabled>false</disabled><builders><hudson.tasks.Shell><command>echo hi</command></hudson.tasks.Shell></builders><publishers><hudson.tasks.ArtifactArchiver><artifacts>dist/*.tgz</artifacts></hudson.tasks.ArtifactArchiver><hudson.tasks.junit.JUnitResultArchiver><testResults>*.xml</testResults></hudson.tasks.junit.JUnitResultArchiver></publishers></project>`;

let root: string;
let standin: Standin;
let api: JenkinsClient;

function memoryWriter(): { opened: number; aborted: number; text: () => string; open: () => Promise<RelicWriter> } {
  const state = { opened: 0, aborted: 0, chunks: [] as Buffer[] };
  return {
    get opened() {
      return state.opened;
    },
    get aborted() {
      return state.aborted;
    },
    text: () => Buffer.concat(state.chunks).toString('utf8'),
    open: async () => {
      state.opened++;
      state.chunks = [];
      return {
        write: async (c) => void state.chunks.push(Buffer.from(c)),
        close: async () => undefined,
        abort: async () => {
          state.aborted++;
          state.chunks = [];
        },
      };
    },
  };
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jobsmith-client-relics-'));
  standin = await startStandin({ home: root, buildDurationMs: 60, quietPeriodMs: 0 });
  api = new JenkinsClient({ url: standin.url, retries: 2, retryBaseDelayMs: 5 });
  await api.ensureFolder('f');
  await api.createJob('f/j', JOB);
  await buildAndWait(api, 'f/j');
  await buildAndWait(api, 'f/j', { STANDIN_RESULT: 'UNSTABLE' });
  await buildAndWait(api, 'f/j', { STANDIN_RESULT: 'ABORTED' });
});
afterAll(async () => {
  await api.close();
  await standin.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('listBuilds', () => {
  it('every build, newest first, in one request, with causes, parameters, test counts and artifacts', async () => {
    standin.resetCounts();
    const builds = await api.listBuilds('f/j');
    expect(standin.requestCounts()).toEqual({ 'GET api/json': 1 });
    expect(builds.map((b) => [b.number, b.result, b.building])).toEqual([[3, 'ABORTED', false], [2, 'UNSTABLE', false], [1, 'SUCCESS', false]]);
    expect(builds[1]).toMatchObject({ tests: { failCount: 1, skipCount: 0, totalCount: 3 }, artifacts: [{ relativePath: 'dist/build-2.tgz', fileName: 'build-2.tgz' }], parameters: [{ name: 'STANDIN_RESULT', className: 'hudson.model.StringParameterValue', value: 'UNSTABLE' }], causes: [{ className: 'hudson.model.Cause$UserIdCause', userName: 'anonymous' }] });
    expect(builds[0]!.tests).toBeUndefined(); // an aborted build ran no publisher
    expect(builds[0]!.artifacts).toEqual([]);
    expect(builds[0]!.timestamp).toBeGreaterThan(0);
    expect((await api.listBuilds('f/j', 2)).map((b) => b.number)).toEqual([3, 2]);
  });

  it('a job that is not there is a not-found error naming it', async () => {
    await expect(api.listBuilds('f/none')).rejects.toThrow("list builds 'f/none' failed: HTTP 404");
  });
});

describe('fetchRelic', () => {
  it('streams the console log, the test report and the artifacts zip; 404 is absent', async () => {
    const log = memoryWriter();
    expect(await api.fetchRelic('f/j', 2, 'console', log.open)).toEqual({ status: 'saved', bytes: Buffer.byteLength(log.text()) });
    expect(log.text()).toContain('+ echo hi\nArchiving artifacts\nRecording test results\nFinished: UNSTABLE\n');
    const report = memoryWriter();
    await api.fetchRelic('f/j', 2, 'test-report', report.open);
    expect(JSON.parse(report.text())).toMatchObject({ failCount: 1, passCount: 2 });
    const zip = memoryWriter();
    const z = await api.fetchRelic('f/j', 2, 'artifacts', zip.open);
    expect(z.status).toBe('saved');
    const none = memoryWriter();
    expect(await api.fetchRelic('f/j', 3, 'test-report', none.open)).toEqual({ status: 'absent' });
    expect(none.opened).toBe(0);
  });

  it('over the limit: nothing kept (the writer is aborted or never opened)', async () => {
    const w = memoryWriter();
    expect(await api.fetchRelic('f/j', 1, 'artifacts', w.open, 10)).toEqual({ status: 'too-large', limit: 10 });
    expect(w.text()).toBe('');
    expect(w.opened === 0 || w.aborted === 1).toBe(true);
  });

  it('a transient failure is retried from the start; a lasting one is an error naming the build', async () => {
    standin.faults.set({ errors: { 'GET run/consoleText': { status: 503, times: 1 } } });
    const w = memoryWriter();
    expect((await api.fetchRelic('f/j', 1, 'console', w.open)).status).toBe('saved');
    expect(w.text()).toContain('Finished: SUCCESS');
    standin.faults.set({ errors: { 'GET run/consoleText': { status: 500 } } });
    await expect(api.fetchRelic('f/j', 1, 'console', memoryWriter().open)).rejects.toThrow("download console log 'f/j #1' failed: HTTP 500");
    standin.faults.set({ dropResponse: { 'GET run/artifact/*zip*/archive.zip': { times: 3 } } });
    await expect(api.fetchRelic('f/j', 1, 'artifacts', memoryWriter().open)).rejects.toThrow(/download artifacts 'f\/j #1' failed/);
    standin.faults.clear();
  });
});
