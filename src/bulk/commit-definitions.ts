/**
 * Committing definitions that jobsmith writes itself (`import --adopt`): a job is marked managed
 * only once its definition is in a commit, so a sync from the committed state (the master job,
 * another clone, `git stash`) sees it. Only the written files go into the commit; other
 * uncommitted work in the tree makes the caller refuse instead (it would be left out, or swept in).
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { ExternalError } from '../model/errors.js';
import { definitionsGit, gitFailureText } from '../sync/definitions-git.js';

export interface WorkTreeState {
  /** The directory is inside a git work tree. */
  inGit: boolean;
  /** Top of the work tree (when in git). */
  top?: string;
  /** Uncommitted changes that would stand in the way (`XY path`, as `git status --porcelain` shows them). */
  changes: string[];
}

/**
 * Uncommitted changes of the work tree holding `dir`: every tracked file changed or staged, and
 * untracked files inside the definitions directories (`watch`, relative to `dir`).
 */
export async function uncommittedChanges(dir: string, watch: readonly string[]): Promise<WorkTreeState> {
  const abs = path.resolve(dir);
  if (!existsSync(abs)) return { inGit: false, changes: [] };
  const git = definitionsGit(abs);
  let top: string;
  try {
    top = (await git.raw(['rev-parse', '--show-toplevel'])).trim();
  } catch {
    return { inGit: false, changes: [] };
  }
  let status: string;
  try {
    status = await git.raw(['-c', 'core.quotePath=false', 'status', '--porcelain', '--untracked-files=all']);
  } catch (err) {
    throw new ExternalError(`git status in ${dir} failed: ${gitFailureText(err)}`);
  }
  const watched = watch.map((w) => path.relative(top, path.resolve(abs, w)).split(path.sep).join('/'));
  const changes = status
    .split('\n')
    .filter((l) => l.length > 3)
    .filter((l) => {
      if (!l.startsWith('??')) return true;
      const p = l.slice(3);
      return watched.some((w) => w === '' || p === w || p.startsWith(w + '/'));
    });
  return { inGit: true, top, changes };
}

/** Commit exactly `files` (new files, paths relative to `dir`); returns the commit id. A failed commit unstages and removes them. */
export async function commitFiles(dir: string, files: readonly string[], message: string): Promise<string> {
  const git = definitionsGit(path.resolve(dir));
  try {
    const top = (await git.raw(['rev-parse', '--show-toplevel'])).trim();
    const rel = files.map((f) => path.relative(top, path.resolve(dir, f)).split(path.sep).join('/'));
    const inTop = definitionsGit(top);
    await inTop.raw(['add', '--', ...rel]);
    await inTop.raw(['commit', '--quiet', '-m', message, '--', ...rel]);
    return (await inTop.raw(['rev-parse', 'HEAD'])).trim();
  } catch (err) {
    // The files are new (import never overwrites): out of the index and off the disk again, so that
    // the run leaves the tree as it found it and can simply be run again once git is fixed.
    const left: string[] = [];
    try {
      const top = (await git.raw(['rev-parse', '--show-toplevel'])).trim();
      const rel = files.map((f) => path.relative(top, path.resolve(dir, f)).split(path.sep).join('/'));
      await definitionsGit(top).raw(['rm', '--cached', '--quiet', '--ignore-unmatch', '--', ...rel]);
    } catch {
      left.push('(they may still be staged: git reset -- the files)');
    }
    for (const f of files) {
      try {
        await rm(path.resolve(dir, f), { force: true });
      } catch {
        left.push(f);
      }
    }
    const back = left.length ? `; left behind, remove by hand: ${left.join(', ')}` : '; the files it wrote were removed again';
    throw new ExternalError(`git: committing the imported definitions failed (nothing was adopted${back}): ${gitFailureText(err)}`);
  }
}
