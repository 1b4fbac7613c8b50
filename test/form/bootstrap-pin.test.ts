/**
 * `jobsmith bootstrap --init` for real: this repository packed with `npm pack` (jobsmith is not
 * published), vendored into a definitions repository, pinned with npm's own resolver, then
 * installed with `npm ci` exactly as the master jobs do, and run from node_modules/.bin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, runCli } from '../helpers/cli.js';
import { git } from './git-fixtures.js';

let root: string;
let defs: string;
let tarball: string;
let packedIntegrity: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-pin-'));
  defs = path.join(root, 'defs');
  mkdirSync(path.join(defs, 'vendor'), { recursive: true });
  git(root, 'init', '--quiet', '--initial-branch=main', defs);
  // --ignore-scripts: dist/ is already built (the suite runs on the build); never rebuild it under other tests
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', path.join(defs, 'vendor')], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const packed = (JSON.parse(out) as Array<{ filename: string; integrity: string }>)[0]!;
  tarball = `vendor/${packed.filename}`;
  packedIntegrity = packed.integrity;
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const read = (rel: string): string => readFileSync(path.join(defs, rel), 'utf8');

describe('bootstrap --init pins jobsmith in the definitions repository', () => {
  it('writes package.json and package-lock.json with the tarball and its integrity; npm ci installs exactly that', async () => {
    const r = await runCli(['bootstrap', '--init', '--definitions', defs, '--package', `file:${tarball}`, '--package-integrity', packedIntegrity], { timeoutMs: 300_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`created      ${path.join(defs, 'package.json')}`);
    expect(r.stdout).toContain(`created      ${path.join(defs, 'package-lock.json')}`);
    // the vendored tarball is among the files to commit: without it the master jobs' npm ci fails
    expect(r.stdout).toContain(`Commit and push package.json, package-lock.json, .gitignore and ${tarball}; `);
    expect(JSON.parse(read('package.json'))).toEqual({ private: true, dependencies: { jobsmith: `file:${tarball}` } });
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string; resolved?: string; integrity?: string }> };
    const entry = lock.packages['node_modules/jobsmith']!;
    const own = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(entry.version).toBe(own.version);
    expect(entry.resolved).toBe(`file:${tarball}`);
    // the integrity is the tarball's own sha512, as npm pack computed it
    expect(entry.integrity).toBe(packedIntegrity);
    expect(entry.integrity).toBe(`sha512-${createHash('sha512').update(readFileSync(path.join(defs, tarball))).digest('base64')}`);
    // every dependency of jobsmith is locked with an integrity too (npm ci refuses otherwise)
    const deps = Object.entries(lock.packages).filter(([k]) => k.startsWith('node_modules/') && k !== 'node_modules/jobsmith');
    expect(deps.length).toBeGreaterThan(5);
    for (const [, d] of deps) expect(d.integrity).toMatch(/^sha(512|1)-/);
    expect(read('.gitignore')).toBe('node_modules/\n');

    // What the master jobs run: npm ci (no install scripts), then the locked binary.
    const ci = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: defs, encoding: 'utf8', timeout: 300_000 });
    expect(ci.stderr).not.toMatch(/npm (ERR!|error)/);
    expect(ci.status).toBe(0);
    const installed = JSON.parse(read('node_modules/jobsmith/package.json')) as { version: string };
    expect(installed.version).toBe(own.version);
    mkdirSync(path.join(defs, 'job-templates'));
    mkdirSync(path.join(defs, 'jobs'));
    writeFileSync(path.join(defs, 'job-templates/T-config.xml'), '<project><description>$X.Y</description></project>\n');
    writeFileSync(path.join(defs, 'jobs/p.yaml'), 'templates: [T]\ntokens:\n  X.Y: hello\n');
    const run = spawnSync(path.join(defs, 'node_modules/.bin/jobsmith'), ['validate'], { cwd: defs, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    expect(git(defs, 'status', '--porcelain', '--ignored', 'node_modules')).toBe('!! node_modules/');
  }, 600_000);

  it('a re-run that changes nothing says "unchanged" and leaves both files byte for byte', async () => {
    const before = [read('package.json'), read('package-lock.json')];
    const r = await runCli(['bootstrap', '--init', '--definitions', defs, '--package', `file:${tarball}`], { timeoutMs: 300_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`unchanged    ${path.join(defs, 'package.json')}`);
    expect(r.stdout).toContain(`unchanged    ${path.join(defs, 'package-lock.json')}`);
    expect(r.stdout).toContain(`unchanged    ${path.join(defs, '.gitignore')}`);
    expect(r.stdout).not.toContain('Commit and push');
    expect([read('package.json'), read('package-lock.json')]).toEqual(before);
  }, 300_000);

  it('refuses floating specs, a wrong integrity, a tarball outside the repository and a broken tarball: exit 1 or 3, files as they were', async () => {
    const before = [read('package.json'), read('package-lock.json')];
    for (const spec of ['jobsmith', 'jobsmith@^0.1.0', 'jobsmith@latest', 'git+https://git.example.com/jobsmith.git#main']) {
      const r = await runCli(['bootstrap', '--init', '--definitions', defs, '--package', spec]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: --package /);
    }
    const wrong = await runCli(['bootstrap', '--init', '--definitions', defs, '--package', `file:${tarball}`, '--package-integrity', `sha512-${Buffer.alloc(64).toString('base64')}`]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`does not match --package-integrity (its integrity is ${packedIntegrity})`);

    const nowhere = await runCli(['bootstrap', '--init', '--definitions', path.join(root, 'no-such-dir'), '--package', 'jobsmith@0.1.0']);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('no-such-dir: no such directory');

    const outside = path.join(root, 'elsewhere.tgz');
    writeFileSync(outside, readFileSync(path.join(defs, tarball)));
    const out = await runCli(['bootstrap', '--init', '--definitions', defs, '--package', outside]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('is outside the definitions repository');

    // a symbolic link inside the repository to a tarball outside it (it would dangle on the agent)
    symlinkSync(outside, path.join(defs, 'vendor/linked.tgz'));
    const linked = await runCli(['bootstrap', '--init', '--definitions', defs, '--package', 'file:vendor/linked.tgz']);
    expect(linked.code).toBe(1);
    expect(linked.stderr).toContain(`the tarball vendor/linked.tgz is a symbolic link to ${outside}, outside the definitions repository`);
    // ... or through a linked directory
    mkdirSync(path.join(root, 'outdir'));
    writeFileSync(path.join(root, 'outdir/j.tgz'), readFileSync(path.join(defs, tarball)));
    symlinkSync(path.join(root, 'outdir'), path.join(defs, 'vendor/outdir'));
    const viaDir = await runCli(['bootstrap', '--init', '--definitions', defs, '--package', 'file:vendor/outdir/j.tgz']);
    expect(viaDir.code).toBe(1);
    expect(viaDir.stderr).toContain('is a symbolic link');
    expect([read('package.json'), read('package-lock.json')]).toEqual(before);

    writeFileSync(path.join(defs, 'vendor/broken-9.9.9.tgz'), 'this is not a gzip file');
    const broken = await runCli(['bootstrap', '--init', '--definitions', defs, '--package', 'file:vendor/broken-9.9.9.tgz'], { timeoutMs: 300_000 });
    expect(broken.code).toBe(3);
    expect(broken.stderr).toContain('npm could not resolve file:vendor/broken-9.9.9.tgz');
    expect(broken.stderr).toContain('package.json and package-lock.json are as they were');
    expect([read('package.json'), read('package-lock.json')]).toEqual(before);
  }, 600_000);
});
