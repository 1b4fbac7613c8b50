/** Real repositories for branch tests: bare git remotes fed by a work clone, svnadmin repos over file://. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: os.tmpdir(),
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function tempDir(prefix = 'jobsmith-branches-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A bare git remote plus a work clone that pushes to it. */
export class GitRemote {
  readonly bare: string;
  readonly work: string;
  constructor(readonly root: string, name = 'remote') {
    this.bare = path.join(root, `${name}.git`);
    this.work = path.join(root, `${name}-work`);
    git(root, 'init', '-q', '--bare', this.bare);
    git(root, 'init', '-q', this.work);
    git(this.work, 'commit', '-q', '--allow-empty', '-m', 'initial');
  }
  get url(): string {
    return pathToFileURL(this.bare).href;
  }
  /** Create (push) branches on the remote. */
  push(...branches: string[]): void {
    if (branches.length === 0) return;
    git(this.work, 'push', '-q', this.bare, ...branches.map((b) => `HEAD:refs/heads/${b}`));
  }
  /** Push an arbitrary ref (e.g. refs/pull/7/head). */
  pushRef(ref: string): void {
    git(this.work, 'push', '-q', this.bare, `HEAD:${ref}`);
  }
  /** Delete branches on the remote. */
  delete(...branches: string[]): void {
    git(this.work, 'push', '-q', this.bare, ...branches.map((b) => `:refs/heads/${b}`));
  }
}

/** An `svnadmin create` repository with trunk/ and branches/, reached over file://. */
export class SvnRepo {
  readonly path: string;
  constructor(readonly root: string, name = 'svnrepo', layout = true) {
    this.path = path.join(root, name);
    execFileSync('svnadmin', ['create', this.path]);
    if (layout) this.mkdir('trunk', 'branches', 'tags');
  }
  get url(): string {
    return pathToFileURL(this.path).href;
  }
  mkdir(...dirs: string[]): void {
    execFileSync('svn', ['mkdir', '--parents', '--non-interactive', '-q', '-m', 'mkdir', ...dirs.map((d) => `${this.url}/${d}`)]);
  }
  branch(...names: string[]): void {
    this.mkdir(...names.map((n) => `branches/${n}`));
  }
  remove(...names: string[]): void {
    execFileSync('svn', ['rm', '--non-interactive', '-q', '-m', 'rm', ...names.map((n) => `${this.url}/branches/${n}`)]);
  }
  addFile(rel: string): void {
    const wc = path.join(this.root, `wc-${Date.now()}`);
    execFileSync('svn', ['checkout', '-q', '--non-interactive', `${this.url}/branches`, wc]);
    fs.writeFileSync(path.join(wc, rel), 'x');
    execFileSync('svn', ['add', '-q', path.join(wc, rel)]);
    execFileSync('svn', ['commit', '-q', '--non-interactive', '-m', 'file', wc]);
    removeDir(wc);
  }
}
