/**
 * Build parameters and results as Jenkins keeps them (break-c findings 5 and 10), over loopback:
 * a password parameter is exported without its value and never written to disk
 * (PasswordParameterValue), a boolean one is a BooleanParameterValue with a JSON boolean, and
 * `STANDIN_RESULT` is read like Jenkins reads a result name (Result.fromString: the five results
 * in any case, anything else FAILURE). The archive made from such a build keeps no password.
 * Stopping a build (finding 9) ends it like Jenkins' executor interrupt: `Build was aborted`,
 * `Aborted by <user>`, `Finished: ABORTED`, the time it ran, and `building: false` only then.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, json, post, sleep, startTemp, type Running } from './standin-harness.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { USER, TOKEN } from './standin-harness.js';

const JOB = `<project><properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions>
<hudson.model.PasswordParameterDefinition><name>PW</name><defaultValue>dflt-secret</defaultValue></hudson.model.PasswordParameterDefinition>
<hudson.model.BooleanParameterDefinition><name>FLAG</name><defaultValue>false</defaultValue></hudson.model.BooleanParameterDefinition>
<hudson.model.StringParameterDefinition><name>STANDIN_RESULT</name><defaultValue>SUCCESS</defaultValue></hudson.model.StringParameterDefinition>
</parameterDefinitions></hudson.model.ParametersDefinitionProperty></properties><canRoam>true</canRoam><disabled>false</disabled><concurrentBuild>true</concurrentBuild><builders/></project>`;

let r: Running;
beforeAll(async () => {
  r = await startTemp({ buildDurationMs: 30, quietPeriodMs: 0 });
  expect((await post(r.s, '/createItem?name=p', JOB)).status).toBe(200);
});
afterAll(async () => {
  await r.stop();
});

async function buildAndWait(query: string): Promise<{ number: number; queue: Record<string, unknown> }> {
  const res = await post(r.s, `/job/p/buildWithParameters?${query}`);
  expect(res.status).toBe(201);
  const id = Number(/\/queue\/item\/(\d+)\/$/.exec(String(res.headers.location))![1]);
  const queue = await json(r.s, `/queue/item/${id}/api/json`);
  for (let i = 0; i < 400; i++) {
    const q = await json(r.s, `/queue/item/${id}/api/json`);
    const n = (q.executable as { number?: number } | undefined)?.number;
    if (n !== undefined) {
      for (let k = 0; k < 400 && (await json(r.s, `/job/p/${n}/api/json?tree=building`)).building === true; k++) await sleep(10);
      return { number: n, queue };
    }
    await sleep(10);
  }
  throw new Error('the build did not start');
}

function parametersOf(b: Record<string, unknown>): unknown[] {
  const actions = b.actions as Array<{ _class?: string; parameters?: unknown[] }>;
  return actions.find((a) => a._class === 'hudson.model.ParametersAction')!.parameters!;
}

describe('password and boolean parameters', () => {
  it('a password is exported without its value, a boolean as a boolean; build.xml holds no password', async () => {
    const { number, queue } = await buildAndWait('PW=TOPSECRET42&FLAG=TRUE');
    expect(queue.params).toBe('\nPW=****\nFLAG=true\nSTANDIN_RESULT=SUCCESS');
    const b = await json(r.s, `/job/p/${number}/api/json`);
    expect(parametersOf(b)).toEqual([
      { _class: 'hudson.model.PasswordParameterValue', name: 'PW' },
      { _class: 'hudson.model.BooleanParameterValue', name: 'FLAG', value: true },
      { _class: 'hudson.model.StringParameterValue', name: 'STANDIN_RESULT', value: 'SUCCESS' },
    ]);
    const xml = readFileSync(path.join(r.home, 'jobs', 'p', 'builds', String(number), 'build.xml'), 'utf8');
    expect(xml).not.toContain('TOPSECRET42');
    expect(xml).toContain('<hudson.model.PasswordParameterValue>');
    expect(xml).toContain('<hudson.model.BooleanParameterValue>');
    // the default password is not exported or stored either; "yes" is not "true" (Boolean.parseBoolean)
    const d = await buildAndWait('FLAG=yes');
    expect(parametersOf(await json(r.s, `/job/p/${d.number}/api/json`)).slice(0, 2)).toEqual([
      { _class: 'hudson.model.PasswordParameterValue', name: 'PW' },
      { _class: 'hudson.model.BooleanParameterValue', name: 'FLAG', value: false },
    ]);
    const all = readdirSync(path.join(r.home, 'jobs', 'p', 'builds')).filter((n) => /^\d+$/.test(n));
    for (const n of all) expect(readFileSync(path.join(r.home, 'jobs', 'p', 'builds', n, 'build.xml'), 'utf8')).not.toMatch(/TOPSECRET42|dflt-secret/);
  });

  it('after a restart the builds read back with the same classes; the relic listing holds no password', async () => {
    const { number } = await buildAndWait('PW=TOPSECRET42&FLAG=true');
    const home = r.home;
    await r.s.close();
    r = await startTemp({ home, buildDurationMs: 30, quietPeriodMs: 0 });
    const b = await json(r.s, `/job/p/${number}/api/json`);
    expect(parametersOf(b).slice(0, 2)).toEqual([
      { _class: 'hudson.model.PasswordParameterValue', name: 'PW' },
      { _class: 'hudson.model.BooleanParameterValue', name: 'FLAG', value: true },
    ]);
    const api = new JenkinsClient({ url: r.s.url, user: USER, token: TOKEN });
    try {
      const listed = (await api.listBuilds('p')).find((x) => x.number === number)!;
      expect(listed.parameters.slice(0, 2)).toEqual([
        { name: 'PW', className: 'hudson.model.PasswordParameterValue' },
        { name: 'FLAG', className: 'hudson.model.BooleanParameterValue', value: true },
      ]);
      expect(JSON.stringify(listed)).not.toContain('TOPSECRET42');
    } finally {
      await api.close();
    }
  });
});

describe('STANDIN_RESULT is read as Jenkins reads a result name (Result.fromString)', () => {
  it.each([
    ['UNSTABLE', 'UNSTABLE'],
    ['failure', 'FAILURE'],
    ['Not_Built', 'NOT_BUILT'],
    ['aborted', 'ABORTED'],
    ['banana', 'FAILURE'],
    ['%3Cb%3EUNSTABLE%3C%2Fb%3E', 'FAILURE'],
    ['', 'SUCCESS'],
  ])('%s ends as %s', async (given, result) => {
    const { number } = await buildAndWait(`STANDIN_RESULT=${given}`);
    expect((await json(r.s, `/job/p/${number}/api/json?tree=result`)).result).toBe(result);
  });
});

describe('stopping a running build (Run.doStop: the executor is interrupted)', () => {
  it('ends it now: its log says who aborted it and ends with Finished: ABORTED before it shows as finished', async () => {
    const long = await startTemp({ buildDurationMs: 8_000, quietPeriodMs: 0 });
    try {
      expect((await post(long.s, '/createItem?name=s', '<project><builders><hudson.tasks.Shell><command>make test</command></hudson.tasks.Shell></builders></project>')).status).toBe(200);
      expect((await post(long.s, '/job/s/build')).status).toBe(201);
      for (let i = 0; i < 200 && (await json(long.s, '/job/s/api/json?tree=lastBuild[number]')).lastBuild == null; i++) await sleep(10);
      await sleep(300);
      const started = Date.now();
      expect((await post(long.s, '/job/s/1/stop')).status).toBe(302);
      let b = await json(long.s, '/job/s/1/api/json?tree=building,result,duration');
      for (let i = 0; i < 300 && b.building === true; i++) {
        // while it still shows as running it has no result yet
        expect(b.result).toBeNull();
        await sleep(10);
        b = await json(long.s, '/job/s/1/api/json?tree=building,result,duration');
      }
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(b).toMatchObject({ building: false, result: 'ABORTED' });
      expect(b.duration as number).toBeLessThan(5_000);
      const log = await call(long.s, '/job/s/1/logText/progressiveText?start=0');
      expect(log.headers['x-more-data']).toBeUndefined();
      expect(log.text).toMatch(/Build was aborted\r?\nAborted by alice\r?\nFinished: ABORTED\r?\n$/);
      expect((await call(long.s, '/job/s/1/consoleText')).text).toMatch(/Aborted by alice\nFinished: ABORTED\n$/);
      expect((await json(long.s, '/job/s/api/json?tree=color')).color).toBe('aborted');
      // a second stop changes nothing
      expect((await post(long.s, '/job/s/1/stop')).status).toBe(302);
      expect((await call(long.s, '/job/s/1/consoleText')).text.match(/Finished:/g)).toHaveLength(1);
    } finally {
      await long.stop();
    }
  });
});
