/**
 * Self-service hardening (break-it findings on create, create --from-env, bootstrap): each test
 * runs the built CLI against a real stand-in over loopback and a real definitions repository with
 * a bare remote.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
