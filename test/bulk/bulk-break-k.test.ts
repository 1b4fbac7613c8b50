/**
 * Break-it review k, bulk and import: `bulk --undo` saves the live configs it replaces (so a forced
 * undo over a later edit loses nothing) and has a dry run; two `bulk --apply` at once never share a
 * default backup directory; `import --adopt` whose commit fails leaves no files behind, so a retry
 * works. The built CLI against embedded stand-ins, real files and git.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let box: string;
beforeEach(() => {
  box = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-bulk-k-'));
});
afterEach(() => rmSync(box, { recursive: true, force: true }));

const cfg = (d: string, node: string, builders = '<builders/>') => `<?xml version="1.1" encoding="UTF-8"?>\n<project>\n  <description>${d}</description>\n  <assignedNode>${node}</assignedNode>\n  ${builders}\n</project>\n`;
function put(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(box, rel)), { recursive: true });
  writeFileSync(path.join(box, rel), text);
}
const cli = (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => runCli(args, { cwd: opts.cwd ?? box, ...(opts.env ? { env: opts.env } : {}) });

describe('bulk --undo keeps what it replaces', () => {
  beforeEach(async () => {
    for (const j of ['svc-a', 'svc-b']) put(`h/jobs/${j}/config.xml`, cfg(j, 'linux-old'));
    const r = await cli(['bulk', '--embedded', 'h', '--match', 'svc-*', '--set', 'assignedNode=linux-new', '--apply', '--backup-dir', 'bd', '--no-diff']);
    expect(r.code).toBe(0);
    // a colleague's later edit of svc-a
    put('h/jobs/svc-a/config.xml', cfg('svc-a', 'linux-new', '<builders><hudson.tasks.Shell><command>./deploy --colleague</command></hudson.tasks.Shell></builders>'));
  });

  it('--dry-run changes nothing and says what it would do', async () => {
    const before = readFileSync(path.join(box, 'h/jobs/svc-b/config.xml'), 'utf8');
    const r = await cli(['bulk', '--embedded', 'h', '--undo', 'bd', '--force', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('would-restore svc-a: would post the backup back (changed in Jenkins since the bulk edit; --force)');
    expect(r.stdout).toContain('undo: 2 to restore');
    expect(readFileSync(path.join(box, 'h/jobs/svc-b/config.xml'), 'utf8')).toBe(before);
    expect(readFileSync(path.join(box, 'h/jobs/svc-a/config.xml'), 'utf8')).toContain('--colleague');
    expect(existsSync(path.join(box, 'bd/.undone'))).toBe(false);
  });

  it('--force: the later edit is saved (named in the output) before the backup is posted back', async () => {
    const r = await cli(['bulk', '--embedded', 'h', '--undo', 'bd', '--force']);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(box, 'h/jobs/svc-a/config.xml'), 'utf8')).toContain('linux-old');
    const m = /the live configs undo replaced are saved in (\S+)/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(m![1]).toMatch(/^bd\/\.undone\/\d{8}-\d{6}-\d+$/);
    expect(readFileSync(path.join(box, m![1]!, 'jobs/svc-a/config.xml'), 'utf8')).toContain('./deploy --colleague');
    expect(readFileSync(path.join(box, m![1]!, 'jobs/svc-b/config.xml'), 'utf8')).toContain('linux-new');
    // a second undo replaces nothing, so saves nothing
    const again = await cli(['bulk', '--embedded', 'h', '--undo', 'bd', '--json']);
    const j = JSON.parse(again.stdout);
    expect(j.summary.unchanged).toBe(2);
    expect('savedDir' in j).toBe(false); // nothing replaced: everything already as in the backup
  });

  it('--dry-run without --undo is a usage error', async () => {
    const r = await cli(['bulk', '--embedded', 'h', '--match', 'svc-*', '--set', 'assignedNode=x', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--dry-run is for --undo DIR');
  });
});

describe('bulk --apply default backup directories', () => {
  it('two runs started together get two directories (named with the pid), both exit 0', async () => {
    for (const j of ['a-1', 'b-1']) put(`h1/jobs/${j}/config.xml`, cfg(j, 'old'));
    for (const j of ['a-2']) put(`h2/jobs/${j}/config.xml`, cfg(j, 'old'));
    const [one, two] = await Promise.all([
      cli(['bulk', '--embedded', 'h1', '--match', '*', '--set', 'assignedNode=new', '--apply', '--no-diff']),
      cli(['bulk', '--embedded', 'h2', '--match', '*', '--set', 'assignedNode=new', '--apply', '--no-diff']),
    ]);
    expect([one.code, two.code, one.stderr + two.stderr]).toEqual([0, 0, expect.any(String)]);
    const dirs = readdirSync(box).filter((d) => d.startsWith('jobsmith-backup-')).sort();
    expect(dirs).toHaveLength(2);
    for (const d of dirs) expect(d).toMatch(/^jobsmith-backup-\d{4}-\d\d-\d\d-\d{6}-\d+$/);
  });

  it('an existing directory is taken only when empty; a non-empty one is refused with nothing changed', async () => {
    put('h/jobs/x/config.xml', cfg('x', 'old'));
    mkdirSync(path.join(box, 'empty'));
    expect((await cli(['bulk', '--embedded', 'h', '--match', 'x', '--set', 'assignedNode=new', '--apply', '--backup-dir', 'empty', '--no-diff'])).code).toBe(0);
    const r = await cli(['bulk', '--embedded', 'h', '--match', 'x', '--set', 'assignedNode=newer', '--apply', '--backup-dir', 'empty', '--no-diff']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('backup directory empty is not empty; name a new one');
    expect(readFileSync(path.join(box, 'h/jobs/x/config.xml'), 'utf8')).toContain('<assignedNode>new</assignedNode>');
  });
});

describe('import --adopt whose commit fails', () => {
  it('removes and unstages the files it wrote (exit 3); the retry after fixing git works', async () => {
    for (const j of ['legacy-a', 'legacy-b']) put(`h/jobs/${j}/config.xml`, cfg(j, `node-${j}`));
    const defs = path.join(box, 'defs');
    mkdirSync(path.join(defs, 'jobs'), { recursive: true });
    mkdirSync(path.join(defs, 'job-templates'));
    writeFileSync(path.join(defs, 'jobs/.keep'), '');
    const git = (...a: string[]) => execFileSync('git', a, { cwd: defs, encoding: 'utf8', env: { ...process.env, HOME: path.join(box, 'home'), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
    mkdirSync(path.join(box, 'home'));
    git('init', '-q');
    git('-c', 'user.name=x', '-c', 'user.email=x@y', 'add', '.');
    git('-c', 'user.name=x', '-c', 'user.email=x@y', 'commit', '-qm', 'init');
    const env = { HOME: path.join(box, 'home'), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: undefined, GIT_COMMITTER_NAME: undefined, EMAIL: undefined, GIT_AUTHOR_EMAIL: undefined, GIT_COMMITTER_EMAIL: undefined };
    const first = await cli(['import', '--embedded', '../h', '--match', 'legacy-*', '--adopt'], { cwd: defs, env });
    expect(first.code).toBe(3);
    expect(first.stderr).toContain('nothing was adopted; the files it wrote were removed again');
    expect(git('status', '--porcelain')).toBe('');
    expect(readdirSync(path.join(defs, 'job-templates'))).toEqual([]);
    git('config', 'user.name', 'x');
    git('config', 'user.email', 'x@y');
    const retry = await cli(['import', '--embedded', '../h', '--match', 'legacy-*', '--adopt'], { cwd: defs, env });
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain('adopted: 2 job(s), 0 failed');
  });
});
