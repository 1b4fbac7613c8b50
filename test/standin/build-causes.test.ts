/**
 * Why a build started, as Jenkins exports it (ParameterizedJobMixIn.getBuildCause, Cause.java):
 * `CauseAction` with `Cause$UserIdCause` (userId, userName; "Started by user X") for a user,
 * userId null and userName "anonymous" without one, `Cause$RemoteCause` when the job's
 * authentication token triggered it. A parameterized build lists its `ParametersAction` first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';

let standin: Standin;
let home: string;
const carol = { name: 'carol', token: 'carol-token-0001' };
const auth = { authorization: `Basic ${Buffer.from(`${carol.name}:${carol.token}`).toString('base64')}` };

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-causes-'));
  standin = await startStandin({ home, port: 0, users: [carol], buildDurationMs: 20, quietPeriodMs: 0 });
});
afterAll(async () => {
  await standin?.close();
  rmSync(home, { recursive: true, force: true });
});

async function waitForBuild(job: string, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await fetch(`${standin.url}/job/${job}/${n}/api/json`, { headers: auth })).status === 200) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`build ${job} #${n} never started`);
}

describe('build causes', () => {
  it('a user who presses Build with Parameters is the build\'s UserIdCause, after its ParametersAction', async () => {
    const api = new JenkinsClient({ url: standin.url + '/', user: carol.name, token: carol.token });
    await api.createJob(
      'param',
      "<?xml version='1.1' encoding='UTF-8'?>\n<project><properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions><hudson.model.StringParameterDefinition><name>P</name><defaultValue>d</defaultValue></hudson.model.StringParameterDefinition></parameterDefinitions></hudson.model.ParametersDefinitionProperty></properties><authToken>trigger-secret</authToken><builders/></project>",
    );
    const res = await fetch(`${standin.url}/job/param/buildWithParameters?P=x`, { method: 'POST', headers: auth, redirect: 'manual' });
    expect(res.status).toBe(201);
    await waitForBuild('param', 1);
    const body = (await (await fetch(`${standin.url}/job/param/1/api/json?tree=actions[parameters[name,value],causes[shortDescription,userId,userName]]`, { headers: auth })).json()) as { actions: unknown[] };
    expect(body.actions).toEqual([
      { _class: 'hudson.model.ParametersAction', parameters: [{ _class: 'hudson.model.StringParameterValue', name: 'P', value: 'x' }] },
      { _class: 'hudson.model.CauseAction', causes: [{ _class: 'hudson.model.Cause$UserIdCause', shortDescription: 'Started by user carol', userId: 'carol', userName: 'carol' }] },
    ]);
    expect(await api.buildCauses('param', 1)).toEqual([{ className: 'hudson.model.Cause$UserIdCause', shortDescription: 'Started by user carol', userId: 'carol', userName: 'carol' }]);

    // the job's authentication token: a RemoteCause, even for a signed-in caller (anonymous may not read this Jenkins)
    const remote = await fetch(`${standin.url}/job/param/buildWithParameters?token=trigger-secret&P=y`, { method: 'POST', headers: auth, redirect: 'manual' });
    expect(remote.status).toBe(201);
    await waitForBuild('param', 2);
    const causes = await api.buildCauses('param', 2);
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({ className: 'hudson.model.Cause$RemoteCause' });
    expect(causes[0]!.shortDescription).toMatch(/^Started by remote host /);
    expect(causes[0]!.userId).toBeUndefined();
    const console = await (await fetch(`${standin.url}/job/param/1/consoleText`, { headers: auth })).text();
    expect(console.split('\n')[0]).toBe('Started by user carol');
    await api.close();
  });
});
