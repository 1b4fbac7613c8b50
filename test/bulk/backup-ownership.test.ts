/**
 * backup replaces and removes only files it wrote (break-it review h): `.jobsmith-backup.json`
 * lists them; any other JENKINS_HOME-layout file in the directory is refused (exit 1, named,
 * nothing written), unless it already holds exactly what Jenkins gives. Files are replaced by a
 * rename (a hard-linked copy keeps its content). `--git DIR` is a repository of its own. The built
 * CLI against embedded stand-ins, real git repositories.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

let box: string;
beforeEach(() => {
  box = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-backup-own-'));
});
afterEach(() => rmSync(box, { recursive: true, force: true }));

const xml = (d: string) => `<?xml version="1.1" encoding="UTF-8"?>\n<project><description>${d}</description><builders/></project>\n`;

/** A JENKINS_HOME for an embedded stand-in, with these jobs (name -> description). */
function jenkins(name: string, jobs: Record<string, string>): string {
  const home = path.join(box, name);
  for (const [job, d] of Object.entries(jobs)) {
    mkdirSync(path.join(home, 'jobs', job), { recursive: true });
    writeFileSync(path.join(home, 'jobs', job, 'config.xml'), xml(d));
  }
  return home;
}

/** Every file below `root` except .git (relative path -> content). */
function files(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out[r] = readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(root, '');
  return out;
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=u', '-c', 'user.email=u@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
const backup = (...args: string[]) => runCli(['backup', ...args], { cwd: box });

describe('backup touches only files it wrote', () => {
  it('--out: hand-written layout files are refused, named, and nothing is written or removed', async () => {
    const j = jenkins('j', { alpha: 'alpha' });
    const mine = path.join(box, 'mine');
    mkdirSync(path.join(mine, 'jobs/handmade'), { recursive: true });
    mkdirSync(path.join(mine, 'views'));
    writeFileSync(path.join(mine, 'jobs/handmade/config.xml'), '<project><description>my notes</description></project>\n');
    writeFileSync(path.join(mine, 'views/keep.xml'), '<hudson.model.ListView/>\n');
    const before = files(mine);
    const r = await backup('--embedded', j, '--out', mine);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path.join(mine, 'jobs/handmade/config.xml')}: exists, and backup did not write it (it is not in .jobsmith-backup.json)`);
    expect(r.stderr).toContain(`${path.join(mine, 'views/keep.xml')}: exists, and backup did not write it`);
    expect(r.stderr).toContain('nothing written');
    expect(files(mine)).toEqual(before);
  });

  it("--out into render's out/ is refused: render's files and manifest stay", async () => {
    cpSync(path.join(repoRoot, 'job-templates'), path.join(box, 'job-templates'), { recursive: true });
    cpSync(path.join(repoRoot, 'jobs'), path.join(box, 'jobs'), { recursive: true });
    expect((await runCli(['render'], { cwd: box })).code).toBe(0);
    const before = files(path.join(box, 'out'));
    const r = await backup('--embedded', jenkins('j', { alpha: 'alpha' }), '--out', 'out');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('out/jobs/payments-CI-build-trunk/config.xml: exists, and backup did not write it');
    expect(files(path.join(box, 'out'))).toEqual(before);
  });

  it("a job deleted in Jenkins: its file (the backup's own) is removed, and its manifest entry", async () => {
    const one = jenkins('one', { alpha: 'a', beta: 'b' });
    const dir = path.join(box, 'bk');
    expect((await backup('--embedded', one, '--out', dir)).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, '.jobsmith-backup.json'), 'utf8'))).toEqual({ format: 'jobsmith-backup', version: 1, source: `embedded stand-in, state in ${one}`, files: ['jobs/alpha/config.xml', 'jobs/beta/config.xml', 'views/all.xml'] });
    rmSync(path.join(one, 'jobs/beta'), { recursive: true });
    const again = await backup('--embedded', one, '--out', dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 written, 2 unchanged, 1 removed/);
    expect(Object.keys(files(dir)).sort()).toEqual(['.jobsmith-backup.json', 'jobs/alpha/config.xml', 'views/all.xml']);
    expect(JSON.parse(readFileSync(path.join(dir, '.jobsmith-backup.json'), 'utf8')).files).toEqual(['jobs/alpha/config.xml', 'views/all.xml']);
  });

  it('files at the paths of the backup that hold exactly what Jenkins gives are taken over (a backup made before the manifest); one that differs is refused', async () => {
    const j = jenkins('j', { alpha: 'a', beta: 'b' });
    const dir = path.join(box, 'old');
    expect((await backup('--embedded', j, '--out', dir)).code).toBe(0);
    rmSync(path.join(dir, '.jobsmith-backup.json'));
    const r = await backup('--embedded', j, '--out', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 written, 3 unchanged, 0 removed/);
    expect(JSON.parse(readFileSync(path.join(dir, '.jobsmith-backup.json'), 'utf8')).files).toEqual(['jobs/alpha/config.xml', 'jobs/beta/config.xml', 'views/all.xml']);
    rmSync(path.join(dir, '.jobsmith-backup.json'));
    writeFileSync(path.join(dir, 'jobs/beta/config.xml'), '<project><description>edited by hand</description></project>\n');
    const before = files(dir);
    const refused = await backup('--embedded', j, '--out', dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${path.join(dir, 'jobs/beta/config.xml')}: exists, and backup did not write it`);
    expect(refused.stderr).not.toContain('alpha');
    expect(files(dir)).toEqual(before);
  });

  it('files are replaced by a rename: a hard-linked copy of the backup (cp -al) keeps its content', async () => {
    const j = jenkins('j', { alpha: 'first' });
    const dir = path.join(box, 'bk');
    expect((await backup('--embedded', j, '--out', dir)).code).toBe(0);
    mkdirSync(path.join(box, 'snap/jobs/alpha'), { recursive: true });
    linkSync(path.join(dir, 'jobs/alpha/config.xml'), path.join(box, 'snap/jobs/alpha/config.xml'));
    writeFileSync(path.join(j, 'jobs/alpha/config.xml'), xml('second'));
    const r = await backup('--embedded', j, '--out', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 written/);
    expect(readFileSync(path.join(dir, 'jobs/alpha/config.xml'), 'utf8')).toContain('second');
    expect(readFileSync(path.join(box, 'snap/jobs/alpha/config.xml'), 'utf8')).toContain('first');
    expect(readdirSync(dir).filter((n) => n.startsWith('.jobsmith-tmp-'))).toEqual([]);
  });

  it('--git into a repository with a committed layout file of its own: refused, nothing written or committed', async () => {
    const repo = path.join(box, 'repo');
    mkdirSync(path.join(repo, 'jobs/legacy'), { recursive: true });
    git(repo, 'init', '-q');
    writeFileSync(path.join(repo, 'jobs/legacy/config.xml'), '<project/>\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'my legacy job');
    const head = git(repo, 'rev-parse', 'HEAD');
    const r = await backup('--embedded', jenkins('j', { alpha: 'a' }), '--git', repo);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path.join(repo, 'jobs/legacy/config.xml')}: exists, and backup did not write it`);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('--git NEW inside a work tree: NEW becomes a repository of its own, the enclosing one gets no commit', async () => {
    const defs = path.join(box, 'defs');
    mkdirSync(defs);
    git(defs, 'init', '-q');
    writeFileSync(path.join(defs, 'README.md'), 'defs\n');
    git(defs, 'add', '-A');
    git(defs, 'commit', '-qm', 'definitions');
    const head = git(defs, 'rev-parse', 'HEAD');
    const r = await runCli(['backup', '--embedded', jenkins('j', { alpha: 'a' }), '--git', 'jenkins-backup'], { cwd: defs });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/; commit [0-9a-f]{12}/);
    expect(git(defs, 'rev-parse', 'HEAD')).toBe(head);
    expect(existsSync(path.join(defs, 'jenkins-backup/.git'))).toBe(true);
    expect(git(path.join(defs, 'jenkins-backup'), 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual(['.jobsmith-backup.json', 'jobs/alpha/config.xml', 'views/all.xml']);
    // an existing directory that is not a repository's top level: refused
    const r2 = await runCli(['backup', '--embedded', jenkins('j2', { alpha: 'a' }), '--git', '.'], { cwd: path.join(defs) });
    expect(r2.code).toBe(0); // defs itself is a top level: fine (its README stays out of the commit)
    const sub = path.join(defs, 'sub');
    mkdirSync(sub);
    writeFileSync(path.join(sub, 'x.txt'), 'x\n');
    const r3 = await runCli(['backup', '--embedded', jenkins('j3', { alpha: 'a' }), '--git', 'sub'], { cwd: defs });
    expect(r3.code).toBe(1);
    expect(r3.stderr).toContain('sub: it exists and is not the top level of a git work tree');
    expect(readdirSync(sub)).toEqual(['x.txt']);
  });
});
