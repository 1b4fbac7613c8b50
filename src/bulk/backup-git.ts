import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CheckRepoActions, simpleGit, type SimpleGit } from 'simple-git';
import type { Clock } from '../model/clock.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import { ExternalError, InputError } from '../model/errors.js';
import { makeDirs, outputDirProblem, writing } from '../output/output-tree.js';
import { redactUrl } from '../model/redact-url.js';
import { BACKUP_MANIFEST, backupJenkins, type BackupResult } from './backup-jenkins.js';
import { errorText } from './error-text.js';

export interface GitBackupResult extends BackupResult {
  /** The new commit, or null when nothing changed. */
  commit: string | null;
}

/**
 * The repository whose top level is `dir`: `git init` when `dir` is new (missing or empty), even
 * inside another work tree (the backup never lands in an enclosing repository); an existing,
 * non-empty `dir` that is not a repository's top level is refused.
 */
async function git(dir: string, isNew: boolean): Promise<SimpleGit> {
  const g = simpleGit(dir);
  const isRoot = await g.checkIsRepo(CheckRepoActions.IS_REPO_ROOT).catch(() => false);
  if (!isRoot) {
    if (!isNew) throw new InputError(`cannot back up into ${dir}: it exists and is not the top level of a git work tree (${await g.revparse(['--show-toplevel']).then((t) => `it is inside ${t.trim()}`, () => 'not a repository')}); name a new or empty directory, or a repository's top level; nothing written`);
    await g.init();
  }
  const email = await g.raw(['config', '--get', 'user.email']).catch(() => '');
  if (email.trim() === '') return simpleGit(dir, { config: ['user.name=jobsmith backup', 'user.email=jobsmith@localhost'] });
  return g;
}

/** Run `fn` with a file listing `paths` NUL-separated (for git's --pathspec-from-file: any number of paths, any characters). */
async function withPathspecFile<R>(paths: readonly string[], fn: (file: string) => Promise<R>): Promise<R> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-pathspec-'));
  try {
    const file = path.join(tmp, 'paths');
    // Literal paths: a job named `*` or `:(glob)x` is a file name here, not a pattern.
    await writeFile(file, paths.map((p) => `:(literal)${p}`).join('\0'));
    return await fn(file);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Paths git knows in the directory (index and HEAD), relative to it (git's default in a subdirectory). */
async function knownToGit(g: SimpleGit): Promise<Set<string>> {
  const split = (out: string) => out.split('\0').filter((p) => p !== '');
  const known = new Set(split(await g.raw(['ls-files', '-z'])));
  const head = await g.raw(['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '');
  if (head.trim()) for (const p of split(await g.raw(['ls-tree', '-r', '-z', '--name-only', 'HEAD', '--', '.']).then((o) => o, () => ''))) known.add(p);
  return known;
}

/**
 * Back up into a git work tree whose top level is `dir` (created with `git init` when `dir` is new;
 * an existing directory that is not a repository's top level is refused) and commit the
 * backup's own files once: no commit when nothing changed. Only the paths of this backup are
 * staged and committed (the items' files, written or confirmed unchanged, and the files it
 * removed): anything else in the work tree or already staged (notes, an edited definition) is left
 * as it was.
 */
export async function backupToGit(api: JenkinsApi, dir: string, opts: { concurrency: number; clock: Clock; jenkinsUrl?: string; source?: string; onItem?: (d: number, t: number) => void; allowMassRemove?: boolean }): Promise<GitBackupResult> {
  const problem = outputDirProblem(dir);
  if (problem) throw new InputError(`cannot back up into ${dir}: ${problem}; nothing written`);
  const isNew = ((): boolean => {
    try {
      return readdirSync(dir).length === 0;
    } catch {
      return true;
    }
  })();
  writing(dir, () => makeDirs(dir));
  let g: SimpleGit;
  try {
    g = await git(dir, isNew);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new ExternalError(`git: cannot use ${dir} as a repository: ${errorText(err)}`);
  }
  const result = await backupJenkins(api, dir, opts);
  try {
    const ours = [...result.entries.map((e) => e.file), ...(existsSync(path.join(dir, BACKUP_MANIFEST)) ? [BACKUP_MANIFEST] : [])];
    const known = await knownToGit(g);
    const gone = result.removedFiles.filter((f) => known.has(f));
    if (ours.length) await withPathspecFile(ours, (f) => g.raw(['add', `--pathspec-from-file=${f}`, '--pathspec-file-nul']));
    if (gone.length) await withPathspecFile(gone, (f) => g.raw(['rm', '--cached', '--quiet', '--ignore-unmatch', `--pathspec-from-file=${f}`, '--pathspec-file-nul']));
    const mine = new Set([...ours, ...gone]);
    const staged = (await g.raw(['diff', '--cached', '--name-only', '--relative', '-z'])).split('\0').filter((p) => mine.has(p));
    if (staged.length === 0) return { ...result, commit: null };
    const jobs = result.entries.filter((e) => e.kind !== 'view').length;
    const views = result.entries.length - jobs;
    const source = opts.jenkinsUrl ? ` of ${redactUrl(opts.jenkinsUrl)}` : '';
    const failed = result.failed.length ? `, ${result.failed.length} failed` : '';
    const msg = `jobsmith backup${source} at ${opts.clock.now().toISOString()}\n\n${jobs} jobs and folders, ${views} views: ${result.written} written, ${result.removed} removed${failed}\n`;
    // Commit only these paths (git commit --only), whatever else is staged.
    await withPathspecFile(staged, (f) => g.raw(['commit', '--quiet', '-m', msg, `--pathspec-from-file=${f}`, '--pathspec-file-nul']));
    return { ...result, commit: (await g.revparse(['HEAD'])).trim() };
  } catch (err) {
    throw new ExternalError(`git: committing the backup in ${dir} failed: ${errorText(err)}`);
  }
}
