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
