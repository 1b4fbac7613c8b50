import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { runCli } from '../helpers/cli.js';
import { definitionsFiles } from './fixtures.js';
import { git, makeDefinitionsRepo, type DefinitionsRepo } from './git-fixtures.js';

let standin: Standin;
let home: string;
let repo: DefinitionsRepo;

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-create-home-'));
  standin = await startStandin({ home, port: 0 });
});
afterAll(async () => {
  await standin?.close();
  rmSync(home, { recursive: true, force: true });
});
afterEach(() => repo?.cleanup());

async function jobNames(): Promise<string[]> {
  const res = await fetch(`${standin.url}/api/json?tree=jobs[name]`);
  return ((await res.json()) as { jobs: Array<{ name: string }> }).jobs.map((j) => j.name).sort();
}
async function config(name: string): Promise<string> {
  const res = await fetch(`${standin.url}/job/${encodeURIComponent(name)}/config.xml`);
  expect(res.status).toBe(200);
  return res.text();
}
const remoteSubjects = (): string[] => git(repo.bare, 'log', '--format=%s', 'main').split('\n');

describe('jobsmith create', () => {
  it('writes, commits, pushes and syncs the project; values are XML-escaped', async () => {
    repo = makeDefinitionsRepo(definitionsFiles());
    const r = await runCli(
      ['create', '--project', 'cli-good', '--template', 'Build', '--template', 'Pipeline', '--set', 'SCM.URL=https://svn.example.com/a&b', '--set', 'MVN.GOALS=verify </command><x>', '--jenkins-url', standin.url, '--author', 'Ada Dev <ada@example.test>'],
      { cwd: repo.work },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Committed jobs/cli-good.yaml');
    expect(r.stdout).toContain(`created   cli-good-Build  ${standin.url}/job/cli-good-Build/`);
    expect(await jobNames()).toEqual(expect.arrayContaining(['cli-good-Build', 'cli-good-Pipeline']));
    const xml = await config('cli-good-Build');
    expect(xml).toContain('mvn verify &lt;/command&gt;&lt;x&gt;');
    expect(xml).toContain('from https://svn.example.com/a&amp;b');
    expect(git(repo.bare, 'log', '-1', '--format=%an|%s', 'main')).toBe('Ada Dev|Add project cli-good (Build, Pipeline) via jobsmith create');
    expect(git(repo.bare, 'show', 'main:jobs/cli-good.yaml')).toContain('MVN.GOALS: verify </command><x>');
    expect(git(repo.work, 'status', '--porcelain')).toBe('');
  });

  it('bad input: every error at once, exit 1, nothing written, committed or created', async () => {
    repo = makeDefinitionsRepo(definitionsFiles());
    const before = remoteSubjects();
    const r = await runCli(
      ['create', '--project', 'cli-bad', '--template', 'Build', '--set', 'SCM.URL=ftp://nope', '--set', 'BUILD.FARM=solaris', '--set', 'MVN.GOLAS=x', '--jenkins-url', standin.url],
      { cwd: repo.work },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/jobs\/cli-bad\.yaml:\d+:\d+: error: SCM\.URL must match/);
    expect(r.stderr).toMatch(/BUILD\.FARM/);
    expect(r.stderr).toContain('did you mean MVN.GOALS?');
    expect(r.stderr).toContain('Nothing was written or committed.');
    expect(remoteSubjects()).toEqual(before);
    expect(existsSync(path.join(repo.work, 'jobs/cli-bad.yaml'))).toBe(false);
    expect(await jobNames()).not.toContain('cli-bad-Build');
  });

  it('an existing project is refused with exit 1', async () => {
    repo = makeDefinitionsRepo(definitionsFiles());
    const r = await runCli(['create', '--project', 'Existing', '--template', 'Build', '--set', 'SCM.URL=https://x/y', '--jenkins-url', standin.url], { cwd: repo.work });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('project "Existing" already exists (jobs/existing.yaml)');
  });

  it('unreachable Jenkins: exit 3 and nothing committed', async () => {
    repo = makeDefinitionsRepo(definitionsFiles());
    const before = remoteSubjects();
    const r = await runCli(['create', '--project', 'cli-down', '--template', 'Build', '--set', 'SCM.URL=https://x/y', '--jenkins-url', 'http://127.0.0.1:9/', '--retries', '0', '--timeout', '5'], {
      cwd: repo.work,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Jenkins is not reachable, nothing was committed');
    expect(remoteSubjects()).toEqual(before);
    expect(existsSync(path.join(repo.work, 'jobs/cli-down.yaml'))).toBe(false);
  });

  it('--sync master-job commits and pushes only; --from-env reads the create-job build parameters', async () => {
    repo = makeDefinitionsRepo(definitionsFiles());
    const r = await runCli(['create', '--from-env', '--sync', 'master-job', '--json'], {
      cwd: repo.work,
      env: { JOBSMITH_PROJECT: 'from-env', JOBSMITH_TEMPLATE_Build: 'true', JOBSMITH_TEMPLATE_Pipeline: 'false', SCM_URL: 'https://svn.example.com/env', BUILD_FARM: 'windows', NOTIFY_ON_FAILURE: 'true' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { status: string; sync: string; jobs: Array<{ fullName: string }> };
    expect(out).toMatchObject({ status: 'created', sync: 'deferred', jobs: [{ fullName: 'from-env-Build' }] });
    const yaml = git(repo.bare, 'show', 'main:jobs/from-env.yaml');
    expect(yaml).toContain('BUILD.FARM: windows');
    expect(yaml).toContain('NOTIFY.ON.FAILURE: "true"');
    expect(yaml).not.toContain('Pipeline');
    expect(remoteSubjects()[0]).toBe('Add project from-env (Build) via the create-job job');
    expect(await jobNames()).not.toContain('from-env-Build');
  });

  it('usage errors exit 2', async () => {
    repo = makeDefinitionsRepo(definitionsFiles());
    const r = await runCli(['create', '--project', 'x', '--template', 'Build', '--set', 'NOEQUALS', '--sync', 'master-job'], { cwd: repo.work });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--set takes TOKEN=VALUE');
  });

  it('a job name held by an unmanaged job is refused before committing: exit 1, nothing committed (also with --sync master-job)', async () => {
    repo = makeDefinitionsRepo(definitionsFiles());
    const api = new JenkinsClient({ url: standin.url + '/' });
    await api.createJob('cli-clash-Pipeline', "<?xml version='1.1' encoding='UTF-8'?>\n<project><description>by hand</description></project>");
    const before = remoteSubjects();
    for (const mode of ['now', 'master-job']) {
      const r = await runCli(['create', '--project', 'cli-clash', '--template', 'Build', '--template', 'Pipeline', '--set', 'SCM.URL=https://x/y', '--sync', mode, '--jenkins-url', standin.url], { cwd: repo.work });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Jenkins already has a job named "cli-clash-Pipeline" that jobsmith may not change');
      expect(r.stderr).toContain('Nothing was written or committed.');
    }
    expect(remoteSubjects()).toEqual(before);
    expect(await jobNames()).not.toContain('cli-clash-Build');
    expect(await config('cli-clash-Pipeline')).toContain('by hand');
    await api.close();
  });

  it('many controllers: the new project is synced on the controller it goes to (the default); one it does not go to may be down', async () => {
    repo = makeDefinitionsRepo(
      definitionsFiles({ 'jobsmith.yaml': `controllers:\n  east: { url: '${standin.url}' }\n  west: { url: 'http://127.0.0.1:9/' }\ndefault-controller: east\n` }),
    );
    const r = await runCli(['create', '--project', 'cli-ctl', '--template', 'Build', '--set', 'SCM.URL=https://svn.example.com/ctl', '--retries', '0'], { cwd: repo.work, env: { JENKINS_URL: '' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`created   cli-ctl-Build  ${standin.url}/job/cli-ctl-Build/`);
    expect(await jobNames()).toContain('cli-ctl-Build');
    // --controller that leaves out the default one: the project goes elsewhere; committed, the master job creates it
    const away = await runCli(['create', '--project', 'cli-away', '--template', 'Build', '--set', 'SCM.URL=https://svn.example.com/away', '--controller', 'west', '--retries', '0'], { cwd: repo.work, env: { JENKINS_URL: '' } });
    expect(away.code).toBe(3);
    expect(away.stdout + away.stderr).toContain('project cli-away goes to controller east, which this run does not talk to');
    expect(git(repo.bare, 'show', 'main:jobs/cli-away.yaml')).toContain('project: cli-away');
    expect(await jobNames()).not.toContain('cli-away-Build');
  });
});

describe('the create-job job: jobsmith create --from-env inside a Jenkins build', () => {
  let jenkins: Standin;
  let jhome: string;
  const bot = { name: 'jobsmith-bot', token: 'bot-token-1234' };
  beforeAll(async () => {
    jhome = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-create-job-home-'));
    jenkins = await startStandin({ home: jhome, port: 0, users: [bot, { name: 'alice', token: 'alice-token-1234' }], buildDurationMs: 50, quietPeriodMs: 0 });
  });
  afterAll(async () => {
    await jenkins?.close();
    rmSync(jhome, { recursive: true, force: true });
  });

  /** Build create-job as `user` (Build with Parameters), wait until it runs, and return the environment Jenkins gives the build. */
  async function startBuild(user: { name: string; token: string }, params: Record<string, string>): Promise<NodeJS.ProcessEnv> {
    const auth = { authorization: `Basic ${Buffer.from(`${user.name}:${user.token}`).toString('base64')}` };
    const res = await fetch(`${jenkins.url}/job/create-job/buildWithParameters?${new URLSearchParams(params)}`, { method: 'POST', headers: auth, redirect: 'manual' });
    expect(res.status).toBe(201);
    const queue = res.headers.get('location')!;
    let number: number | undefined;
    for (let i = 0; i < 100 && number === undefined; i++) {
      const q = (await (await fetch(`${queue}api/json`, { headers: auth })).json()) as { executable?: { number: number } };
      number = q.executable?.number;
      if (number === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    const build = (await (await fetch(`${jenkins.url}/job/create-job/${number}/api/json?tree=actions[parameters[name,value]]`, { headers: auth })).json()) as {
      actions: Array<{ parameters?: Array<{ name: string; value: string }> }>;
    };
    const env: NodeJS.ProcessEnv = { JOB_NAME: 'create-job', BUILD_NUMBER: String(number), JENKINS_URL: jenkins.url + '/', JENKINS_USER: bot.name, JENKINS_API_TOKEN: bot.token };
    for (const p of build.actions.flatMap((a) => a.parameters ?? [])) env[p.name] = p.value;
    return env;
  }

  it('the commit author is the user who started the build; only values changed from what the form showed are written', async () => {
    repo = makeDefinitionsRepo(definitionsFiles({ 'jobs/_defaults.yaml': 'tokens:\n  MVN.GOALS: verify\n' }));
    writeFileSync(path.join(repo.work, 'package.json'), JSON.stringify({ dependencies: { jobsmith: '0.1.0' } }));
    writeFileSync(
      path.join(repo.work, 'package-lock.json'),
      JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/jobsmith': { version: '0.1.0', integrity: 'sha512-0NTbql7fe5snPkJA9YF5W/WwjeyVhnDEiNZI2Y1c7RI6WY6BjaNTO35hIaJ8/e7m99Mu/JGwupbdKhqglcCZQg==' } } }),
    );
    const boot = await runCli(['bootstrap', '--repo', repo.bare, '--git-credentials', 'defs-git', '--jenkins-credentials', 'bot-api', '--create-sync', 'master-job', '--jenkins-url', jenkins.url, '--user', bot.name], {
      cwd: repo.work,
      env: { JENKINS_API_TOKEN: bot.token },
    });
    expect(boot.stderr).not.toContain('error');
    expect(boot.code).toBe(0);
    // Since bootstrap, the shared default moved on: an untouched field must not freeze the old one.
    git(repo.work, 'pull', '--quiet');
    writeFileSync(path.join(repo.work, 'jobs/_defaults.yaml'), 'tokens:\n  MVN.GOALS: verify -Pci\n');
    git(repo.work, 'commit', '--quiet', '-am', 'set-default MVN.GOALS');
    git(repo.work, 'push', '--quiet', 'origin', 'main');

    // alice fills in the name, picks Build, types the URL, and leaves MVN.GOALS ("verify") and BUILD.FARM as shown
    const env = await startBuild({ name: 'alice', token: 'alice-token-1234' }, { JOBSMITH_PROJECT: 'alices-app', JOBSMITH_TEMPLATE_Build: 'true', SCM_URL: 'https://svn.example.com/alice' });
    expect(env['MVN_GOALS']).toBe('verify');
    const r = await runCli(['create', '--from-env', '--sync', 'master-job'], { cwd: repo.work, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(git(repo.bare, 'log', '-1', '--format=%an <%ae>|%s', 'main')).toBe('alice <alice@users.jobsmith.invalid>|Add project alices-app (Build) via the create-job job');
    const yaml = git(repo.bare, 'show', 'main:jobs/alices-app.yaml');
    expect(yaml).toContain('SCM.URL: https://svn.example.com/alice');
    expect(yaml).not.toContain('MVN.GOALS');
    expect(yaml).not.toContain('BUILD.FARM');
    expect(yaml).not.toContain('NOTIFY.ON.FAILURE');

    // a value the user did change is written, even when it equals a later default
    const env2 = await startBuild({ name: 'alice', token: 'alice-token-1234' }, { JOBSMITH_PROJECT: 'alices-other', JOBSMITH_TEMPLATE_Build: 'true', SCM_URL: 'https://svn.example.com/o', BUILD_FARM: 'windows', MVN_GOALS: 'deploy' });
    const r2 = await runCli(['create', '--from-env', '--sync', 'master-job'], { cwd: repo.work, env: env2 });
    expect(r2.code).toBe(0);
    const yaml2 = git(repo.bare, 'show', 'main:jobs/alices-other.yaml');
    expect(yaml2).toContain('BUILD.FARM: windows');
    expect(yaml2).toContain('MVN.GOALS: deploy');
  });

  it('BUILD_USER_ID (build-user-vars plugin) wins; a build with no user cause is authored by the committer, with a note', async () => {
    repo = makeDefinitionsRepo(definitionsFiles());
    const base = { JOBSMITH_PROJECT: 'p1', JOBSMITH_TEMPLATE_Build: 'true', SCM_URL: 'https://svn.example.com/p1' };
    const r = await runCli(['create', '--from-env', '--sync', 'master-job'], {
      cwd: repo.work,
      env: { ...base, BUILD_USER_ID: 'bob', BUILD_USER: 'Bob Builder', BUILD_USER_EMAIL: 'bob@corp.example', JOB_NAME: 'create-job', BUILD_NUMBER: '7' },
    });
    expect(r.code).toBe(0);
    expect(git(repo.bare, 'log', '-1', '--format=%an <%ae>', 'main')).toBe('Bob Builder <bob@corp.example>');

    // started anonymously (a Jenkins without security: UserIdCause with no user id): the committer is the author, and the log says why
    const openHome = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-anon-home-'));
    const open = await startStandin({ home: openHome, port: 0, buildDurationMs: 50, quietPeriodMs: 0 });
    try {
      const api = new JenkinsClient({ url: open.url + '/' });
      await api.createJob('create-job', "<?xml version='1.1' encoding='UTF-8'?>\n<flow-definition><properties/><definition/></flow-definition>");
      // an anonymous POST needs a crumb bound to its session, as in Jenkins
      const crumbRes = await fetch(`${open.url}/crumbIssuer/api/json`);
      const session = crumbRes.headers.get('set-cookie')!.split(';')[0]!;
      const crumb = (await crumbRes.json()) as { crumb: string; crumbRequestField: string };
      const res = await fetch(`${open.url}/job/create-job/build`, { method: 'POST', redirect: 'manual', headers: { cookie: session, [crumb.crumbRequestField]: crumb.crumb } });
      expect(res.status).toBe(201);
      for (let i = 0; i < 100; i++) {
        if ((await fetch(`${open.url}/job/create-job/1/api/json`)).status === 200) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const causes = await api.buildCauses!('create-job', 1);
      expect(causes).toEqual([{ className: 'hudson.model.Cause$UserIdCause', shortDescription: 'Started by user anonymous', userName: 'anonymous' }]);
      const anon = await runCli(['create', '--from-env', '--sync', 'master-job'], {
        cwd: repo.work,
        env: { ...base, JOBSMITH_PROJECT: 'p2', JOB_NAME: 'create-job', BUILD_NUMBER: '1', JENKINS_URL: open.url + '/' },
      });
      expect(anon.code).toBe(0);
      expect(anon.stderr).toContain('note: commit authored by the committer: create-job #1 was not started by a signed-in user (Started by user anonymous)');
      await api.close();
    } finally {
      await open.close();
      rmSync(openHome, { recursive: true, force: true });
    }
    expect(git(repo.bare, 'log', '-1', '--format=%an', 'main')).toBe('Fixture');
  });
});
