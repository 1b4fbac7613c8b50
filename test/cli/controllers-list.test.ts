/**
 * `jenkins list` over many controllers (docs/controllers.md): every controller of the run listed in
 * parallel, grouped `== controller NAME ==`; `--json` items carry their controller; one controller
 * that cannot be listed does not hide the others (exit 3, per-controller summary). Without
 * `controllers:` the output is the one-Jenkins listing as before. Real stand-ins on loopback ports,
 * the built CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { TEMPLATE } from '../sync/harness.js';

const TOKENS = { east: 'tok-list-east-0a1b2c3d4e5f6071', west: 'tok-list-west-9f8e7d6c5b4a3928' };
const ENV = { EAST_TOK: TOKENS.east, WEST_TOK: TOKENS.west };
let dir: string;
let east: Standin;
let west: Standin;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-ctl-list-'));
  await mkdir(path.join(dir, 'job-templates'));
  await mkdir(path.join(dir, 'jobs'));
  await writeFile(path.join(dir, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
  east = await startStandin({ home: path.join(dir, 'east-home'), users: [{ name: 'ci-bot', token: TOKENS.east }] });
  west = await startStandin({ home: path.join(dir, 'west-home'), users: [{ name: 'ci-bot', token: TOKENS.west }] });
  await writeFile(path.join(dir, 'jobsmith.yaml'), `controllers:\n  east: { url: "${east.url}/", user: ci-bot, token-env: EAST_TOK }\n  west: { url: "${west.url}/", user: ci-bot, token-env: WEST_TOK, retries: 0 }\ndefault-controller: east\n`);
  for (const [p, c] of [['pay', ''], ['web', 'controller: west\n'], ['both', 'controller: [east, west]\n']] as const) {
    await writeFile(path.join(dir, 'jobs', `${p}.yaml`), `${c}templates: [CI-build-trunk]\ntokens:\n  SCM.PATH: https://svn.example.com/${p}\n`);
  }
  const s = await runCli(['sync'], { cwd: dir, env: ENV });
  expect(s.code).toBe(0);
});
afterAll(async () => {
  await east.close();
  await west.close();
  await rm(dir, { recursive: true, force: true });
});

describe('jenkins list with controllers', () => {
  it('lists every controller, grouped, with a summary; --controller (repeatable) limits it', async () => {
    const r = await runCli(['jenkins', 'list'], { cwd: dir, env: ENV });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\n== controller east ==\nboth-CI-build-trunk\thudson.model.FreeStyleProject\t[^\n]*\npay-CI-build-trunk\t[^\n]*\nview all\t[^\n]*\n2 item\(s\), 1 view\(s\)\n\n== controller west ==\nboth-CI-build-trunk\t[^\n]*\nweb-CI-build-trunk\t[^\n]*\nview all\t[^\n]*\n2 item\(s\), 1 view\(s\)\n/);
    expect(r.stdout).toContain('\nControllers:\n  east  ok: 2 item(s), 1 view(s)\n  west  ok: 2 item(s), 1 view(s)\n');
    expect(r.stdout + r.stderr).not.toContain(TOKENS.east);
    const w = await runCli(['jenkins', 'list', '--controller', 'west', '--controller', 'west'], { cwd: dir, env: ENV });
    expect(w.code).toBe(0);
    expect(w.stdout).toContain('== controller west ==\nboth-CI-build-trunk');
    expect(w.stdout).not.toContain('controller east');
    expect(w.stdout).not.toContain('pay-CI-build-trunk');
    const bad = await runCli(['jenkins', 'list', '--controller', 'wets'], { cwd: dir, env: ENV });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--controller wets: no such controller');
  });

  it('--json: every item and view carries its controller; each controller has a status', async () => {
    const r = await runCli(['jenkins', 'list', '--json'], { cwd: dir, env: ENV });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { exitCode: number; controllers: { controller: string; status: string; exitCode: number; items: number; views: number }[]; items: { controller: string; fullName: string }[]; views: { controller: string; name: string }[] };
    expect(out.exitCode).toBe(0);
    expect(out.controllers.map((c) => [c.controller, c.status, c.exitCode, c.items, c.views])).toEqual([['east', 'listed', 0, 2, 1], ['west', 'listed', 0, 2, 1]]);
    expect(out.items.map((i) => [i.controller, i.fullName])).toEqual([['east', 'both-CI-build-trunk'], ['east', 'pay-CI-build-trunk'], ['west', 'both-CI-build-trunk'], ['west', 'web-CI-build-trunk']]);
    expect(out.views.map((v) => [v.controller, v.name])).toEqual([['east', 'all'], ['west', 'all']]);
  });

  it('a controller that cannot be listed: the others are listed, exit 3 with the per-controller summary', async () => {
    west.faults.set({ errors: { 'GET api/json': { status: 503 } } });
    try {
      const r = await runCli(['jenkins', 'list'], { cwd: dir, env: ENV });
      expect(r.code).toBe(3);
      expect(r.stdout).toContain('== controller east ==\nboth-CI-build-trunk');
      expect(r.stdout).toMatch(/== controller west ==\nerror: [^\n]*503/);
      expect(r.stderr).toMatch(/Controllers:\n {2}east {2}ok: 2 item\(s\), 1 view\(s\)\n {2}west {2}FAILED at http:\/\/127\.0\.0\.1:\d+\/: [^\n]*503/);
      const j = await runCli(['jenkins', 'list', '--json'], { cwd: dir, env: ENV });
      expect(j.code).toBe(3);
      const out = JSON.parse(j.stdout) as { exitCode: number; controllers: { controller: string; status: string; exitCode: number; error?: string }[]; items: { controller: string }[] };
      expect(out.exitCode).toBe(3);
      expect(out.controllers.map((c) => [c.controller, c.status, c.exitCode])).toEqual([['east', 'listed', 0], ['west', 'failed', 3]]);
      expect(out.controllers[1]!.error).toMatch(/503/);
      expect([...new Set(out.items.map((i) => i.controller))]).toEqual(['east']);
    } finally {
      west.faults.clear();
    }
  });

  it('without controllers: the one-Jenkins listing, as before (no groups, no summary)', async () => {
    const single = path.join(dir, 'single.yaml');
    await writeFile(single, `jenkins: { url: "${east.url}/", user: ci-bot }\n`);
    const r = await runCli(['jenkins', 'list', '--config', single], { cwd: dir, env: { JENKINS_API_TOKEN: TOKENS.east } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^both-CI-build-trunk\thudson.model.FreeStyleProject\t[^\n]*\npay-CI-build-trunk\thudson.model.FreeStyleProject\t[^\n]*\nview all\t[^\n]*\t\d+ job\(s\)\n2 item\(s\), 1 view\(s\)\n$/);
    const j = await runCli(['jenkins', 'list', '--config', single, '--json'], { cwd: dir, env: { JENKINS_API_TOKEN: TOKENS.east } });
    const state = JSON.parse(j.stdout) as Record<string, unknown> & { items: Record<string, unknown>[] };
    expect(Object.keys(state).filter((k) => k !== 'session').sort()).toEqual(['items', 'views']);
    expect(state.items.every((i) => !('controller' in i))).toBe(true);
  });
});
