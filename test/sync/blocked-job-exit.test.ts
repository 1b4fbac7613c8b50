/**
 * A desired job whose name an unmanaged job holds is an error of the run, not a notice: `plan` and
 * `sync` exit 1 (the sync master job goes red instead of staying green while the job is never
 * made). The rest of the plan still applies; the unmanaged job is not touched.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { runCli } from '../helpers/cli.js';
import { TEMPLATE, project } from './harness.js';

let dir: string;
let standin: Standin;
let env: NodeJS.ProcessEnv;
const HANDMADE = "<?xml version='1.1' encoding='UTF-8'?>\n<project><description>made by hand</description><builders/></project>";

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-blocked-'));
  await mkdir(path.join(dir, 'job-templates'));
  await mkdir(path.join(dir, 'jobs'));
  await writeFile(path.join(dir, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
  await writeFile(path.join(dir, 'jobs', 'pay.yaml'), project('a'));
  await writeFile(path.join(dir, 'jobs', 'web.yaml'), project('b'));
  standin = await startStandin({ home: path.join(dir, 'home'), port: 0 });
  env = { JENKINS_URL: standin.url, CI: '1' };
  const api = new JenkinsClient({ url: standin.url + '/' });
  await api.createJob('pay-CI-build-trunk', HANDMADE);
  await api.close();
});
afterEach(async () => {
  await standin.close();
  await rm(dir, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { cwd: dir, env });

describe('a desired job blocked by an unmanaged one', () => {
  it('plan exits 1 and says why', async () => {
    const p = await cli(['plan']);
    expect(p.code).toBe(1);
    expect(p.stdout + p.stderr).toContain('pay-CI-build-trunk: an unmanaged job has this name; not touched, so the desired job is not made (--adopt takes it over, or rename the job)');
  });

  it('sync creates the rest, leaves the unmanaged job alone, and exits 1; --adopt takes it over and exits 0', async () => {
    const s = await cli(['sync']);
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('created job web-CI-build-trunk');
    const cfg = await (await fetch(`${standin.url}/job/pay-CI-build-trunk/config.xml`)).text();
    expect(cfg).toContain('made by hand');
    const adopt = await cli(['sync', '--adopt']);
    expect(adopt.code).toBe(0);
    expect(await (await fetch(`${standin.url}/job/pay-CI-build-trunk/config.xml`)).text()).not.toContain('made by hand');
  });
});
