import { mkdir } from 'node:fs/promises';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { Clock } from '../model/clock.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import { ExternalError } from '../model/errors.js';
import { backupJenkins, type BackupResult } from './backup-jenkins.js';
import { errorText } from './error-text.js';

export interface GitBackupResult extends BackupResult {
  /** The new commit, or null when nothing changed. */
  commit: string | null;
}

async function git(dir: string): Promise<SimpleGit> {
  const g = simpleGit(dir);
  const isRepo = await g.checkIsRepo().catch(() => false);
  if (!isRepo) await g.init();
  const email = await g.raw(['config', '--get', 'user.email']).catch(() => '');
  if (email.trim() === '') return simpleGit(dir, { config: ['user.name=jobsmith backup', 'user.email=jobsmith@localhost'] });
  return g;
}

/**
 * Back up into a git work tree (created with `git init` when `dir` is not one yet) and commit the
 * layout files (jobs/, views/) once: no commit when nothing changed.
 */
export async function backupToGit(api: JenkinsApi, dir: string, opts: { concurrency: number; clock: Clock; jenkinsUrl?: string; onItem?: (d: number, t: number) => void; allowMassRemove?: boolean }): Promise<GitBackupResult> {
  await mkdir(dir, { recursive: true });
  let g: SimpleGit;
  try {
    g = await git(dir);
  } catch (err) {
    throw new ExternalError(`git: cannot use ${dir} as a repository: ${errorText(err)}`);
  }
  const result = await backupJenkins(api, dir, opts);
  try {
    await g.raw(['add', '-A', '--', '.']);
    const status = await g.status();
    const staged = status.files.filter((f) => f.index !== ' ' && f.index !== '?');
    if (staged.length === 0) return { ...result, commit: null };
    const jobs = result.entries.filter((e) => e.kind !== 'view').length;
    const views = result.entries.length - jobs;
    const source = opts.jenkinsUrl ? ` of ${opts.jenkinsUrl}` : '';
    const failed = result.failed.length ? `, ${result.failed.length} failed` : '';
    const msg = `jobsmith backup${source} at ${opts.clock.now().toISOString()}\n\n${jobs} jobs and folders, ${views} views: ${result.written} written, ${result.removed} removed${failed}\n`;
    const c = await g.commit(msg);
    return { ...result, commit: c.commit || (await g.revparse(['HEAD'])).trim() };
  } catch (err) {
    throw new ExternalError(`git: committing the backup in ${dir} failed: ${errorText(err)}`);
  }
}
