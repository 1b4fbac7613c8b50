/**
 * Hostile-user checks of the archive: a job with an odd name (a folder and a name with non-ASCII,
 * spaces, quotes, 200 characters) archived and read back by name; keep_builds leaves older builds
 * out and says so; and no credential given to jobsmith (token in the environment, user info in the
 * Jenkins URL) appears in any output or archived file, through success and an archive failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { findSecretLeaks, scanTreeForSecret, testSecret, urlWithUserInfo, type SecretLeak } from '../helpers/secret-scan.js';
import { buildAndWait } from './fixtures.js';

const secret = testSecret('archive-user');
const FOLDER = 'tëam x';
const NAME = `ünïcødé "job" it's ${'long-'.repeat(36)}end`;
const FULL = `${FOLDER}/${NAME}`;
const TEMPLATE = `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <description>$PROJECT.NOTE</description>
  <canRoam>true</canRoam>
  <disabled>false</disabled>
  <builders><hudson.tasks.Shell><command>echo building</command></hudson.tasks.Shell></builders>
  <publishers>
    <hudson.tasks.ArtifactArchiver><artifacts>out/*.bin</artifacts></hudson.tasks.ArtifactArchiver>
    <hudson.tasks.junit.JUnitResultArchiver><testResults>reports/*.xml</testResults></hudson.tasks.junit.JUnitResultArchiver>
  </publishers>
</project>
`;

let root: string;
let defs: string;
let standin: Standin;
let api: JenkinsClient;
const leaks: SecretLeak[] = [];
const env = () => ({ JENKINS_URL: standin.url, JENKINS_USER: secret.user, JENKINS_API_TOKEN: secret.token });

async function cli(args: string[], e: NodeJS.ProcessEnv = env()): Promise<CliResult> {
  const r = await runCli(args, { cwd: defs, env: { JENKINS_URL: '', JENKINS_USER: '', JENKINS_API_TOKEN: '', ...e } });
  leaks.push(...findSecretLeaks(r.stdout + '\n' + r.stderr, secret, args.join(' ')));
  return r;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jobsmith-archive-odd-'));
  defs = path.join(root, 'defs');
  fs.mkdirSync(path.join(defs, 'job-templates'), { recursive: true });
  fs.mkdirSync(path.join(defs, 'jobs'), { recursive: true });
  fs.writeFileSync(path.join(defs, 'job-templates', 'Odd-config.xml'), TEMPLATE);
  fs.writeFileSync(path.join(defs, 'jobs', 'odd.yaml'), `project: odd\nfolder: "${FOLDER}"\ntemplates:\n  - template: Odd\n    job: '${NAME.replace(/'/g, "''")}'\ntokens:\n  PROJECT.NOTE: odd names\n`);
  fs.writeFileSync(path.join(defs, 'jobs', 'keep.yaml'), 'project: keep\ntemplates: [Odd]\ntokens:\n  PROJECT.NOTE: stays\n');
  fs.writeFileSync(path.join(defs, 'jobsmith.yaml'), 'archive:\n  dir: archive\n  keep_builds: 1\n');
  standin = await startStandin({ home: path.join(root, 'home'), buildDurationMs: 80, quietPeriodMs: 0, users: [{ name: secret.user, token: secret.token }] });
  api = new JenkinsClient({ url: standin.url, user: secret.user, token: secret.token, retries: 0 });
});
afterAll(async () => {
  await api.close();
  await standin.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('odd names, keep_builds and credentials', () => {
  it('a removed project with an odd job name: archived (newest build only), read back by its name; no secret anywhere', async () => {
    const first = await cli(['sync', '--no-branches']);
    expect(first.code, first.stderr).toBe(0);
    expect((await api.list()).items.map((i) => i.fullName)).toContain(FULL);
    await buildAndWait(api, FULL);
    await buildAndWait(api, FULL);

    fs.rmSync(path.join(defs, 'jobs', 'odd.yaml'));
    // first attempt: Jenkins fails the logs (the failure path prints errors: they must not leak either)
    standin.faults.set({ errors: { 'GET run/consoleText': { status: 502 } } });
    const failed = await cli(['sync', '--no-branches', '--retries', '0'], { JENKINS_URL: urlWithUserInfo(standin.url, secret) });
    expect(failed.code, failed.stderr).toBe(3);
    expect((await api.list()).items.find((i) => i.fullName === FULL)?.disabled).toBe(true);
    standin.faults.clear();

    const out = await cli(['sync', '--no-branches']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`Archived 1 build(s) of ${FULL} to ${path.join(defs, 'archive')}`);
    expect(out.stdout).toContain('  note: older builds not archived (keep_builds 1)');
    expect((await api.list()).items.map((i) => i.fullName)).not.toContain(FULL);

    const show = await cli(['archive', 'show', FULL, '--json']);
    expect(show.code, show.stderr).toBe(0);
    const [entry] = JSON.parse(show.stdout).entries;
    expect(entry).toMatchObject({ fullName: FULL, buildsNotArchived: 1, marker: { project: 'odd', template: 'Odd' } });
    expect(entry.builds.map((b: { number: number }) => b.number)).toEqual([2]);
    const build = await cli(['archive', 'show', FULL, '2']);
    expect(build.stdout).toContain(`${FULL} #2: SUCCESS`);
    expect(build.stdout).toContain('+ echo building');
    const list = await cli(['archive', 'list', '--job', `${FOLDER}/*`]);
    expect(list.stdout.split('\n')[0]).toMatch(new RegExp(`^${FULL.replace(/[.*+?^${}()|[\]\\"']/g, '\\$&')}\\t1 build\\(s\\), last #2 SUCCESS`));

    leaks.push(...(await scanTreeForSecret(root, secret)).filter((l) => !l.where.includes(`${path.sep}home${path.sep}`)));
    expect(leaks.map((l) => `${l.where}: ${l.form}: ${l.context}`)).toEqual([]);
  });
});
