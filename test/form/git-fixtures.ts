import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Run git synchronously in `cwd` with a fixed identity; returns trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Fixture',
      GIT_AUTHOR_EMAIL: 'fixture@example.test',
      GIT_COMMITTER_NAME: 'Fixture',
      GIT_COMMITTER_EMAIL: 'fixture@example.test',
      GIT_CONFIG_NOSYSTEM: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export interface DefinitionsRepo {
  root: string;
  /** Bare remote (file path). */
  bare: string;
  /** Working copy the store writes to (a clone of `bare`). */
  work: string;
  /** Make a second clone (another user) to move the remote on. */
  clone(name: string): string;
  cleanup(): void;
}

/**
 * A bare definitions remote seeded with `files` (path -> content) on branch main, and a clone of it.
 */
export function makeDefinitionsRepo(files: Record<string, string>): DefinitionsRepo {
  const root = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-form-'));
  const bare = path.join(root, 'definitions.git');
  const seed = path.join(root, 'seed');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  git(root, 'init', '--quiet', '--initial-branch=main', seed);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(seed, rel)), { recursive: true });
    writeFileSync(path.join(seed, rel), text);
  }
  git(seed, 'add', '.');
  git(seed, 'commit', '--quiet', '-m', 'seed');
  git(seed, 'remote', 'add', 'origin', bare);
  git(seed, 'push', '--quiet', 'origin', 'main');
  const clone = (name: string): string => {
    const dir = path.join(root, name);
    git(root, 'clone', '--quiet', bare, dir);
    git(dir, 'config', 'user.name', 'Fixture');
    git(dir, 'config', 'user.email', 'fixture@example.test');
    return dir;
  };
  const work = clone('work');
  return { root, bare, work, clone, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
