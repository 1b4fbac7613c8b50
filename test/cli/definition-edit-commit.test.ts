/**
 * set-default / rename-token commit exactly the diff they show (a file with uncommitted edits is
 * refused, dry run included), and a name or `--where` that matches nothing is an error, not
 * "nothing to change" with exit 0 (break-it findings on issue 16). Real git repositories.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

let dir: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
const cli = (args: string[]) => runCli(args, { cwd: dir, env: { JENKINS_URL: '', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-defedit-'));
  cpSync(path.join(repoRoot, 'job-templates'), path.join(dir, 'job-templates'), { recursive: true });
  cpSync(path.join(repoRoot, 'jobs'), path.join(dir, 'jobs'), { recursive: true });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the commit equals the diff shown', () => {
  const unfinished = () => {
    const f = path.join(dir, 'jobs/_defaults.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace("BUILD.KEEP: '30'", "BUILD.KEEP: '999'"));
    expect(readFileSync(f, 'utf8')).toContain("'999'");
    return f;
  };

  it('set-default refuses a file with uncommitted edits: nothing written, nothing committed, exit 1 (and its dry run says the same)', async () => {
    const f = unfinished();
    const before = readFileSync(f, 'utf8');
    const head = git('rev-parse', 'HEAD');
    for (const extra of [['--dry-run'], []]) {
      const r = await cli(['set-default', 'MVN.VERSION', 'maven-4', ...extra]);
      expect(r.code, extra.join(' ')).toBe(1);
      expect(r.stderr).toContain('jobs/_defaults.yaml: error: uncommitted changes in this file: the commit would take them in with this edit');
      expect(readFileSync(f, 'utf8')).toBe(before);
      expect(git('rev-parse', 'HEAD')).toBe(head);
    }
  });

  it('a staged edit of the same file is refused too; --no-commit writes the edit and commits nothing', async () => {
    unfinished();
    git('add', 'jobs/_defaults.yaml');
    expect((await cli(['set-default', 'MVN.VERSION', 'maven-4'])).code).toBe(1);
    const head = git('rev-parse', 'HEAD');
    const r = await cli(['set-default', 'MVN.VERSION', 'maven-4', '--no-commit']);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'jobs/_defaults.yaml'), 'utf8')).toContain('MVN.VERSION: maven-4');
    expect(git('rev-parse', 'HEAD')).toBe(head);
  });

  it('with a clean file the commit holds exactly the shown line; edits of other files stay out of it', async () => {
    writeFileSync(path.join(dir, 'jobs/notes.txt'), 'mine\n');
    const r = await cli(['set-default', 'MVN.VERSION', 'maven-4']);
    expect(r.code).toBe(0);
    const diff = git('show', '--format=', 'HEAD').split('\n').filter((l) => /^[-+] /.test(l));
    expect(diff).toEqual(['-  MVN.VERSION: maven-3.9.6', '+  MVN.VERSION: maven-4']);
    expect(git('status', '--porcelain')).toBe('?? jobs/notes.txt\n');
  });

  it('a commit that fails puts the edited file back and exits 3', async () => {
    // Another git process holds the index: the commit fails after the file was written.
    writeFileSync(path.join(dir, '.git/index.lock'), '');
    const f = path.join(dir, 'jobs/_defaults.yaml');
    const before = readFileSync(f, 'utf8');
    const r = await cli(['set-default', 'MVN.VERSION', 'maven-4']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the files were put back as they were');
    expect(readFileSync(f, 'utf8')).toBe(before);
    rmSync(path.join(dir, '.git/index.lock'));
    expect(git('status', '--porcelain')).toBe('');
  });
});

describe('a name or filter that matches nothing is an error, not "nothing to change"', () => {
  it('rename-token of a token used nowhere: exit 1 with a did-you-mean (like set-default of an unknown token), dry run too', async () => {
    for (const extra of [['--dry-run'], []]) {
      const r = await cli(['rename-token', 'MVN.GOAL', 'MVN.TARGETS', ...extra]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('error: no template, sidecar or definition uses the token MVN.GOAL (did you mean MVN.GOALS?); nothing was changed\n');
    }
    expect(git('status', '--porcelain')).toBe('');
  });

  it('set-default --where that matches no project: usage error (exit 2) naming the filter, with a did-you-mean', async () => {
    const r = await cli(['set-default', 'MVN.VERSION', 'maven-4', '--where', 'project=paymnets']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --where project=paymnets matches no definition in jobs (did you mean payments?); nothing was changed\n');
    const both = await cli(['set-default', 'MVN.VERSION', 'maven-4', '--where', 'project=payments', '--where', 'project=billing']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('no definition in jobs matches all of them');
    expect(git('status', '--porcelain')).toBe('');
  });

  it('a --where that matches, where the value is already set, is still "nothing to change" (exit 0)', async () => {
    const r = await cli(['set-default', 'MVN.VERSION', 'maven-4', '--where', 'project=payments']);
    expect(r.code).toBe(0);
    const again = await cli(['set-default', 'MVN.VERSION', 'maven-4', '--where', 'project=payments']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to change');
  });
});
