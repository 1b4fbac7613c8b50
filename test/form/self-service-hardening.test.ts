/**
 * Self-service hardening (break-it findings on create, create --from-env, bootstrap): each test
 * runs the built CLI against a real stand-in over loopback and a real definitions repository with
 * a bare remote.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { cliPath, repoRoot, runCli } from '../helpers/cli.js';
import { definitionsFiles } from './fixtures.js';
import { git, makeDefinitionsRepo, type DefinitionsRepo } from './git-fixtures.js';

let standin: Standin;
let home: string;
let repo: DefinitionsRepo;

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-harden-home-'));
  standin = await startStandin({ home, port: 0 });
});
afterAll(async () => {
  await standin?.close();
  rmSync(home, { recursive: true, force: true });
});
afterEach(() => repo?.cleanup());

async function config(name: string): Promise<string> {
  const res = await fetch(`${standin.url}/job/${encodeURIComponent(name)}/config.xml`);
  expect(res.status).toBe(200);
  return res.text();
}

describe('create syncs exactly the new project (by identity, not by a name glob)', () => {
  it("creating project gamma leaves alone another project's job named gamma", async () => {
    repo = makeDefinitionsRepo(
      definitionsFiles({ 'jobs/alpha.yaml': 'templates:\n  - template: Build\n    job: gamma\ntokens:\n  SCM.URL: https://svn.example.com/alpha-v1\n' }),
    );
    const first = await runCli(['sync', '--jenkins-url', standin.url], { cwd: repo.work });
    expect(first.code).toBe(0);
    expect(await config('gamma')).toContain('alpha-v1');
    // alpha's owners push a change; the sync master job has not run yet
    writeFileSync(path.join(repo.work, 'jobs/alpha.yaml'), 'templates:\n  - template: Build\n    job: gamma\ntokens:\n  SCM.URL: https://svn.example.com/alpha-v2\n');
    git(repo.work, 'commit', '--quiet', '-am', 'alpha: new repository');
    git(repo.work, 'push', '--quiet', 'origin', 'main');
    const r = await runCli(['create', '--project', 'gamma', '--template', 'Pipeline', '--set', 'SCM.URL=https://git.example.com/g.git', '--jenkins-url', standin.url], { cwd: repo.work });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created   gamma-Pipeline');
    expect(r.stdout).not.toMatch(/updated\s+gamma\b/);
    expect(await config('gamma')).toContain('alpha-v1');
  });
});

/** What `bootstrap --init` leaves in a definitions repository (see bootstrap-cli.test.ts). */
function pinJobsmith(dir: string): void {
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true, dependencies: { jobsmith: '0.1.0' } }));
  writeFileSync(
    path.join(dir, 'package-lock.json'),
    JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: { jobsmith: '0.1.0' } }, 'node_modules/jobsmith': { version: '0.1.0', resolved: 'https://registry.example.test/jobsmith/-/jobsmith-0.1.0.tgz', integrity: 'sha512-0NTbql7fe5snPkJA9YF5W/WwjeyVhnDEiNZI2Y1c7RI6WY6BjaNTO35hIaJ8/e7m99Mu/JGwupbdKhqglcCZQg==' } } }),
  );
}

describe('create-job parameters never set a variable jobsmith or its tools read', () => {
  it('a token HTTP.PROXY becomes the parameter TOKEN_HTTP_PROXY, and --from-env reads it from there', async () => {
    const proxyTemplate = "<?xml version='1.1' encoding='UTF-8'?>\n<project><description>proxy $HTTP.PROXY node $NODE.OPTIONS</description></project>\n";
    repo = makeDefinitionsRepo(definitionsFiles({ 'job-templates/Proxied-config.xml': proxyTemplate, 'job-templates/Proxied.yaml': 'tokens:\n  HTTP.PROXY:\n    description: Proxy the Maven build uses\n  NODE.OPTIONS:\n    default: none\n' }));
    pinJobsmith(repo.work);
    const boot = await runCli(['bootstrap', '--repo', 'https://git.example.com/defs.git', '--git-credentials', 'g', '--jenkins-credentials', 'j', '--folder', 'harden-admin', '--jenkins-url', standin.url], { cwd: repo.work });
    expect(boot.stderr).not.toContain('error');
    expect(boot.code).toBe(0);
    const xml = await (await fetch(`${standin.url}/job/harden-admin/job/create-job/config.xml`)).text();
    const names = [...xml.matchAll(/<name>([^<]*)<\/name>/g)].map((m) => m[1]);
    expect(names).toContain('TOKEN_HTTP_PROXY');
    expect(names).toContain('TOKEN_NODE_OPTIONS');
    expect(names).not.toContain('HTTP_PROXY');
    expect(names).not.toContain('NODE_OPTIONS');
    const r = await runCli(['create', '--from-env', '--sync', 'master-job'], {
      cwd: repo.work,
      env: { JOBSMITH_PROJECT: 'prox', JOBSMITH_TEMPLATE_Proxied: 'true', TOKEN_HTTP_PROXY: 'http://maven-proxy.example:3128', TOKEN_NODE_OPTIONS: 'fast' },
    });
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const yaml = git(repo.bare, 'show', 'main:jobs/prox.yaml');
    expect(yaml).toContain('HTTP.PROXY: http://maven-proxy.example:3128');
    expect(yaml).toContain('NODE.OPTIONS: fast');
  });
});

describe('a secret query value in a URL is a credential (the redactor\'s rule)', () => {
  it('create --set with ?private_token= is refused: exit 1, named, redacted, nothing committed or created', async () => {
    repo = makeDefinitionsRepo(definitionsFiles());
    const before = git(repo.bare, 'rev-parse', 'main');
    for (const url of ['https://git.example.com/qt.git?private_token=glpat-s3cr3tvalue', 'https://git.example.com/qt.git?ref=main&Access_Token=glpat-s3cr3tvalue', 'https://git.example.com/qt.git?password=glpat-s3cr3tvalue']) {
      const r = await runCli(['create', '--project', 'qt', '--template', 'Pipeline', '--set', `SCM.URL=${url}`, '--jenkins-url', standin.url], { cwd: repo.work });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('secret query value');
      expect(r.stderr).toContain('SCM.URL');
      expect(r.stdout + r.stderr).not.toContain('glpat-s3cr3tvalue');
    }
    expect(git(repo.bare, 'rev-parse', 'main')).toBe(before);
    expect((await fetch(`${standin.url}/job/qt-Pipeline/config.xml`)).status).toBe(404);
    // a query without secrets is fine
    const ok = await runCli(['create', '--project', 'qt', '--template', 'Pipeline', '--set', 'SCM.URL=https://git.example.com/qt.git?ref=main', '--jenkins-url', standin.url], { cwd: repo.work });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
  });

  it('bootstrap --repo with ?access_token= is refused: exit 1, redacted, no master job created', async () => {
    repo = makeDefinitionsRepo(definitionsFiles());
    pinJobsmith(repo.work);
    const r = await runCli(['bootstrap', '--repo', 'https://git.example.com/defs.git?access_token=glpat-s3cr3tvalue', '--git-credentials', 'g', '--jenkins-credentials', 'j', '--folder', 'qs-admin', '--jenkins-url', standin.url], { cwd: repo.work });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--repo');
    expect(r.stderr).toContain('secret query value');
    expect(r.stdout + r.stderr).not.toContain('glpat-s3cr3tvalue');
    expect((await fetch(`${standin.url}/job/qs-admin/api/json`)).status).toBe(404);
  });
});

describe('locks do not outlive their process', () => {
  it('a create killed (SIGTERM) while asking Jenkins leaves no lock that blocks the next one', async () => {
    repo = makeDefinitionsRepo(definitionsFiles());
    const slowHome = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-slow-home-'));
    const slow = await startStandin({ home: slowHome, port: 0, faults: { latencyMs: 1500 } });
    try {
      const gitDir = path.join(repo.work, '.git');
      const args = (p: string): string[] => ['create', '--project', p, '--template', 'Build', '--set', `SCM.URL=https://svn.example.com/${p}`, '--jenkins-url', slow.url];
      const child = spawn(process.execPath, [cliPath, ...args('one')], { cwd: repo.work, stdio: ['ignore', 'ignore', 'pipe'] });
      let killedErr = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (killedErr += d));
      const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
      for (let i = 0; i < 200 && !existsSync(path.join(gitDir, 'jobsmith-store.lock')); i++) await new Promise((r) => setTimeout(r, 25));
      expect(existsSync(path.join(gitDir, 'jobsmith-project-one.lock'))).toBe(true);
      child.kill('SIGTERM');
      expect(await exited).toBe(143);
      expect(killedErr).toContain('interrupted (SIGTERM): the submission of project "one" stopped before it finished');
      const again = await runCli(args('one'), { cwd: repo.work, timeoutMs: 40_000 });
      expect(again.stderr).not.toContain('already in progress');
      expect(again.code).toBe(0);
      const other = await runCli(args('two'), { cwd: repo.work, timeoutMs: 40_000 });
      expect(other.stderr).not.toContain('busy');
      expect(other.code).toBe(0);
      expect(git(repo.bare, 'log', '--format=%s', 'main').split('\n').slice(0, 2)).toEqual(['Add project two (Build) via jobsmith create', 'Add project one (Build) via jobsmith create']);
    } finally {
      await slow.close();
      rmSync(slowHome, { recursive: true, force: true });
    }
  });

  it('a submission killed between writing and committing its file: the next one takes over the lock and removes the uncommitted file', async () => {
    repo = makeDefinitionsRepo(definitionsFiles());
    const gitDir = path.join(repo.work, '.git');
    const lockModule = pathToFileURL(path.join(repoRoot, 'dist/form/file-lock.js')).href;
    // a holder that records what it does, writes and stages the file, then dies without cleaning up
    const script = `
      import { tryLock } from ${JSON.stringify(lockModule)};
      import { writeFileSync } from 'node:fs';
      import { execFileSync } from 'node:child_process';
      const project = await tryLock(${JSON.stringify(path.join(gitDir, 'jobsmith-project-one.lock'))});
      await tryLock(${JSON.stringify(path.join(gitDir, 'jobsmith-store.lock'))});
      await project.note('writing jobs/one.yaml');
      writeFileSync('jobs/one.yaml', 'templates: [Build]\\ntokens:\\n  SCM.URL: https://svn.example.com/killed\\n');
      execFileSync('git', ['add', 'jobs/one.yaml']);
      process.kill(process.pid, 'SIGKILL');`;
    const died = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repo.work });
    expect(died.signal).toBe('SIGKILL');
    expect(git(repo.work, 'status', '--porcelain')).toBe('A  jobs/one.yaml');
    expect(readFileSync(path.join(gitDir, 'jobsmith-project-one.lock'), 'utf8')).toMatch(/^\d+ \S+ \S+ \S+ writing jobs\/one\.yaml/);
    const r = await runCli(['create', '--project', 'one', '--template', 'Build', '--set', 'SCM.URL=https://svn.example.com/one', '--sync', 'master-job'], { cwd: repo.work, timeoutMs: 40_000 });
    expect(r.stderr).not.toContain('already');
    expect(r.code).toBe(0);
    expect(git(repo.bare, 'show', 'main:jobs/one.yaml')).toContain('https://svn.example.com/one');
    expect(git(repo.work, 'status', '--porcelain')).toBe('');
    expect(existsSync(path.join(gitDir, 'jobsmith-project-one.lock'))).toBe(false);
    expect(existsSync(path.join(gitDir, 'jobsmith-store.lock'))).toBe(false);
  });

  it('a live holder keeps its lock; a reused pid (another start time) does not', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-lock-'));
    try {
      const { tryLock, processStart } = await import('../../src/form/file-lock.js');
      const file = path.join(dir, 'x.lock');
      const first = await tryLock(file);
      expect(first).not.toBeUndefined();
      // another live process on this host holds it (the parent of this test: alive, its own start time)
      writeFileSync(file, `${process.ppid} ${processStart(process.ppid) || '-'} ${os.hostname()} 2026-01-01T00:00:00Z writing jobs/a.yaml\n`);
      expect(await tryLock(file)).toBeUndefined();
      // the same pid, but started at another time: the holder is gone
      writeFileSync(file, `${process.ppid} 1 ${os.hostname()} 2026-01-01T00:00:00Z writing jobs/a.yaml\n`);
      const taken = await tryLock(file);
      expect(taken?.stale).toBe('writing jobs/a.yaml');
      await taken!.release();
      // another host's lock: only its age counts
      writeFileSync(file, `1 1 some-other-host 2026-01-01T00:00:00Z \n`);
      expect(await tryLock(file)).toBeUndefined();
      expect(await tryLock(file, { staleMs: -1 })).not.toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bootstrap errors name the flag', () => {
  it('--sync-job, --create-job and --folder problems name the flag, never a temporary file: exit 1, nothing created', async () => {
    repo = makeDefinitionsRepo(definitionsFiles());
    pinJobsmith(repo.work);
    const base = ['bootstrap', '--repo', 'https://git.example.com/defs.git', '--git-credentials', 'g', '--jenkins-credentials', 'j', '--jenkins-url', standin.url];
    const cases: Array<[string[], RegExp]> = [
      [['--sync-job', '../x', '--folder', 'flag-admin'], /^error: --sync-job: job name "\.\.\/x": .*unsafe character/m],
      [['--create-job', 'a/b', '--folder', 'flag-admin'], /^error: --create-job: job name "a\/b": .*unsafe character/m],
      [['--folder', '../admin'], /^error: --folder: folder "\.\.\/admin": /m],
      [['--sync-job', 'Create-Job', '--folder', 'flag-admin'], /^error: --create-job: job flag-admin\/create-job has the same name as flag-admin\/Create-Job \(Jenkins compares names case-insensitively\), given with --sync-job$/m],
    ];
    for (const [flags, expected] of cases) {
      const r = await runCli([...base, ...flags], { cwd: repo.work });
      expect([flags, r.code]).toEqual([flags, 1]);
      expect(r.stderr).toMatch(expected);
      expect(r.stderr).not.toMatch(/jobsmith-standalone|jobsmith\.yaml|templates\[/);
      expect(r.stderr).toContain('Nothing was changed in Jenkins.');
    }
    expect((await fetch(`${standin.url}/job/flag-admin/api/json`)).status).toBe(404);
  });
});
