import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandin, type Standin } from '../../src/standin/server.js';
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
});
