import { promises as fs } from 'node:fs';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { Diagnostic } from '../model/diagnostic.js';
import { hasErrors } from '../model/diagnostic.js';
import { tryLock, type FileLock } from './file-lock.js';
import { redactUrlsInText } from '../model/redact-url.js';

/** A git identity (`name <email>`). */
export interface GitIdentity {
  name: string;
  email: string;
}

export interface DefinitionsStoreOptions {
  /** The git working copy holding `job-templates/` and `jobs/` (a clone of the definitions remote). */
  dir: string;
  /** Definitions directory, relative to `dir` (default `jobs`). */
  jobsDir?: string;
  /** Remote to push to (default `origin`). */
  remote?: string;
  /** Branch to push (default: the checked-out branch). */
  branch?: string;
  /** Committer identity, and the author when a submission names none (default: git config). */
  identity?: GitIdentity;
  /** Push after committing (default true). */
  push?: boolean;
  /** How long to wait for another submission in the same working copy (default 60 s). */
  lockWaitMs?: number;
}

export interface DefinitionSubmission {
  project: string;
  /** Full text of `jobs/<project>.yaml`. */
  text: string;
  /** Author of the commit (the form's user); the committer stays the configured identity. */
  author?: GitIdentity;
  /** Commit message (default: `Add project <project>`). */
  message?: string;
  /**
   * Validate the prospective definition (exactly `jobsmith validate`'s code, with the file given
   * as an overlay). Called before anything is written; errors abort with nothing written.
   */
  validate(overlay: { file: string; text: string }): Promise<Diagnostic[]>;
  /**
   * Last check before committing, against Jenkins: errors (a job name held by a job jobsmith may
   * not change) abort like validation errors; throw when Jenkins cannot be asked. Nothing is written.
   */
  preflight?(overlay: { file: string; text: string }): Promise<Diagnostic[]>;
}

export type SubmitOutcome =
  | { kind: 'committed'; file: string; commit: string; branch: string; pushed: boolean; retried: boolean; warnings: Diagnostic[] }
  | { kind: 'invalid'; diagnostics: Diagnostic[] }
  | { kind: 'exists'; file: string; message: string }
  | { kind: 'busy'; message: string }
  | { kind: 'failed'; stage: 'fetch' | 'preflight' | 'commit' | 'push'; message: string };

/** Project names that are also safe file names (and Jenkins job-name prefixes). */
export const PROJECT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * The definitions repository: writes `jobs/<project>.yaml`, commits it and pushes it, atomically.
 * Either the definition is committed and pushed, or the working copy is as it was (apart from
 * having fetched/fast-forwarded to the remote).
 */
export class DefinitionsStore {
  readonly dir: string;
  readonly jobsDir: string;
  private readonly remote: string;
  private readonly branchOption: string | undefined;
  private readonly identity: GitIdentity | undefined;
  private readonly push: boolean;
  private readonly lockWaitMs: number;

  constructor(opts: DefinitionsStoreOptions) {
    this.dir = path.resolve(opts.dir);
    this.jobsDir = opts.jobsDir ?? 'jobs';
    this.remote = opts.remote ?? 'origin';
    this.branchOption = opts.branch;
    this.identity = opts.identity;
    this.push = opts.push ?? true;
    this.lockWaitMs = opts.lockWaitMs ?? 60_000;
  }

  private git(): SimpleGit {
    const config = this.identity ? [`user.name=${this.identity.name}`, `user.email=${this.identity.email}`] : [];
    return simpleGit({ baseDir: this.dir, config, timeout: { block: 60_000 } });
  }

  /** Absolute path of a project's definition file. */
  fileFor(project: string): string {
    return path.join(this.dir, this.jobsDir, `${project}.yaml`);
  }

  /** Project names present in the working copy (file names in the jobs directory). */
  async localProjects(): Promise<string[]> {
    const entries = await fs.readdir(path.join(this.dir, this.jobsDir)).catch(() => [] as string[]);
    return entries.filter((e) => /\.ya?ml$/.test(e)).map((e) => e.replace(/\.ya?ml$/, ''));
  }

  async submit(sub: DefinitionSubmission): Promise<SubmitOutcome> {
    if (!PROJECT_NAME_PATTERN.test(sub.project)) {
      return {
        kind: 'invalid',
        diagnostics: [
          {
            severity: 'error',
            code: 'bad-project-name',
            field: 'project',
            message: `project name "${sub.project}" must start with a letter or digit and contain only letters, digits, ".", "_" and "-" (at most 100 characters)`,
          },
        ],
      };
    }
    const gitDir = await this.gitDir();
    const projectLock = await tryLock(path.join(gitDir, `jobsmith-project-${sub.project.toLowerCase()}.lock`));
    if (!projectLock) {
      return { kind: 'busy', message: `a submission for project "${sub.project}" is already in progress; try again in a moment` };
    }
    let storeLock: FileLock | undefined;
    try {
      storeLock = await tryLock(path.join(gitDir, 'jobsmith-store.lock'), { waitMs: this.lockWaitMs });
      if (!storeLock) return { kind: 'busy', message: 'the definitions working copy is busy with another submission; try again in a moment' };
      if (projectLock.stale) await this.recoverAbandoned(projectLock.stale);
      return await this.submitLocked(sub, projectLock);
    } finally {
      await storeLock?.release();
      await projectLock.release();
    }
  }

  /**
   * Catch up with the remote (fetch, fast-forward only) so the form shows the current templates.
   * Best effort: returns false when the remote is unreachable or another submission holds the lock.
   */
  async refresh(): Promise<boolean> {
    if (!this.push) return true;
    const lock = await tryLock(path.join(await this.gitDir(), 'jobsmith-store.lock'));
    if (!lock) return false;
    try {
      const git = this.git();
      const branch = await this.currentBranch(git);
      await git.fetch(this.remote, branch);
      await git.raw(['merge', '--ff-only', '--quiet', `${this.remote}/${branch}`]);
      return true;
    } catch {
      return false;
    } finally {
      await lock.release();
    }
  }

  private async gitDir(): Promise<string> {
    const out = await this.git().revparse(['--absolute-git-dir']);
    return out.trim();
  }

  private async currentBranch(git: SimpleGit): Promise<string> {
    if (this.branchOption) return this.branchOption;
    const b = (await git.revparse(['--abbrev-ref', 'HEAD'])).trim();
    if (b === 'HEAD') throw new Error('the definitions working copy is on a detached HEAD; check out a branch');
    return b;
  }

  /**
   * A submission for this project was killed (Ctrl-C, SIGTERM from an aborted create-job build)
   * while it wrote or committed its file: its project lock says how far it got. Undo what it left
   * in the working copy (the file, staged or not; its commit when that is still HEAD), so the
   * project is not "already there" although no commit on the remote has it.
   */
  private async recoverAbandoned(note: string): Promise<void> {
    const m = /^(writing|committed) (\S+)(?: ([0-9a-f]{40,64}))?$/.exec(note.trim());
    if (!m) return;
    const relFile = m[2]!;
    const expected = path.posix.join(this.jobsDir.split(path.sep).join('/'), path.posix.basename(relFile));
    if (relFile !== expected || !/^[A-Za-z0-9][A-Za-z0-9._-]*\.yaml$/.test(path.posix.basename(relFile))) return;
    const git = this.git();
    const commit = m[1] === 'committed' ? m[3] : undefined;
    if (commit === undefined) {
      // only a file that no commit has: a committed one is not this submission's to remove
      const tracked = await git.raw(['ls-tree', '--name-only', 'HEAD', '--', relFile]).catch(() => '');
      if (tracked.trim() !== '') return;
    }
    await this.rollback(git, relFile, path.join(this.dir, relFile), commit);
  }

  private async submitLocked(sub: DefinitionSubmission, lock?: FileLock): Promise<SubmitOutcome> {
    const git = this.git();
    let branch: string;
    try {
      branch = await this.currentBranch(git);
    } catch (err) {
      return { kind: 'failed', stage: 'fetch', message: errorText(err) };
    }
    const remoteRef = `${this.remote}/${branch}`;
    if (this.push) {
      try {
        await git.fetch(this.remote, branch);
      } catch (err) {
        return { kind: 'failed', stage: 'fetch', message: `cannot fetch the definitions remote "${this.remote}": ${errorText(err)}` };
      }
      // Catch up with the remote when that is a fast-forward; otherwise the push retry rebases.
      await git.raw(['merge', '--ff-only', '--quiet', remoteRef]).catch(() => undefined);
    }

    const relFile = path.posix.join(this.jobsDir.split(path.sep).join('/'), `${sub.project}.yaml`);
    const absFile = this.fileFor(sub.project);
    const clash = await this.findExisting(git, sub.project, this.push ? remoteRef : undefined);
    if (clash) return { kind: 'exists', file: relFile, message: clash };

    const diagnostics = await sub.validate({ file: absFile, text: sub.text });
    if (hasErrors(diagnostics)) return { kind: 'invalid', diagnostics };
    const warnings = diagnostics.filter((d) => d.severity !== 'error');

    if (sub.preflight) {
      let found: Diagnostic[];
      try {
        found = await sub.preflight({ file: absFile, text: sub.text });
      } catch (err) {
        return { kind: 'failed', stage: 'preflight', message: errorText(err) };
      }
      if (hasErrors(found)) return { kind: 'invalid', diagnostics: found };
      warnings.push(...found.filter((d) => d.severity !== 'error'));
    }

    // Write atomically, commit only this path.
    let commit: string | undefined;
    try {
      await lock?.note(`writing ${relFile}`);
      await fs.mkdir(path.dirname(absFile), { recursive: true });
      const tmp = path.join(path.dirname(absFile), `.${sub.project}.yaml.${process.pid}.tmp`);
      await fs.writeFile(tmp, sub.text);
      await fs.rename(tmp, absFile);
      await git.add(['--', relFile]);
      const options: Record<string, string | null> = {};
      if (sub.author) options['--author'] = `${sub.author.name} <${sub.author.email}>`;
      const result = await git.commit(sub.message ?? `Add project ${sub.project}`, [relFile], options);
      if (!result.commit) throw new Error('git made no commit');
      commit = (await git.revparse(['HEAD'])).trim();
      await lock?.note(`committed ${relFile} ${commit}`);
    } catch (err) {
      await this.rollback(git, relFile, absFile, commit);
      return { kind: 'failed', stage: 'commit', message: `cannot commit ${relFile}: ${errorText(err)}` };
    }

    if (!this.push) return { kind: 'committed', file: relFile, commit, branch, pushed: false, retried: false, warnings };

    try {
      await git.push(this.remote, `HEAD:${branch}`);
      return { kind: 'committed', file: relFile, commit, branch, pushed: true, retried: false, warnings };
    } catch (err) {
      if (!isRejectedPush(err)) {
        await this.rollback(git, relFile, absFile, commit);
        return { kind: 'failed', stage: 'push', message: `cannot push to "${this.remote}": ${errorText(err)}; nothing was committed` };
      }
    }

    // The remote moved on: fetch, rebase our one commit, check again, retry once.
    try {
      await git.fetch(this.remote, branch);
    } catch (err) {
      await this.rollback(git, relFile, absFile, commit);
      return { kind: 'failed', stage: 'fetch', message: `push was rejected and fetching "${this.remote}" failed: ${errorText(err)}; nothing was committed` };
    }
    const clashAfter = await this.findExisting(git, sub.project, remoteRef, true);
    if (clashAfter) {
      await this.rollback(git, relFile, absFile, commit);
      return { kind: 'exists', file: relFile, message: clashAfter };
    }
    try {
      await git.raw(['rebase', '--quiet', remoteRef]);
      commit = (await git.revparse(['HEAD'])).trim();
      await lock?.note(`committed ${relFile} ${commit}`);
    } catch (err) {
      await git.raw(['rebase', '--abort']).catch(() => undefined);
      await this.rollback(git, relFile, absFile, commit);
      return { kind: 'failed', stage: 'push', message: `push was rejected and rebasing onto ${remoteRef} failed: ${errorText(err)}; nothing was committed` };
    }
    const again = await sub.validate({ file: absFile, text: sub.text });
    if (hasErrors(again)) {
      await this.rollback(git, relFile, absFile, commit);
      return { kind: 'invalid', diagnostics: again };
    }
    try {
      await git.push(this.remote, `HEAD:${branch}`);
      return { kind: 'committed', file: relFile, commit, branch, pushed: true, retried: true, warnings: again.filter((d) => d.severity !== 'error') };
    } catch (err) {
      await this.rollback(git, relFile, absFile, commit);
      return {
        kind: 'failed',
        stage: 'push',
        message: `push to "${this.remote}" was rejected twice (the remote keeps changing): ${errorText(err)}; nothing was committed, submit again`,
      };
    }
  }

  /** A message when the project already exists (case-insensitively, as Jenkins compares names). */
  private async findExisting(git: SimpleGit, project: string, remoteRef: string | undefined, remoteOnly = false): Promise<string | undefined> {
    const lower = project.toLowerCase();
    if (!remoteOnly) {
      const local = (await this.localProjects()).find((p) => p.toLowerCase() === lower);
      if (local !== undefined) return `project "${project}" already exists (${this.jobsDir}/${local}.yaml); choose another name`;
    }
    if (remoteRef) {
      const listing = await git.raw(['ls-tree', '--name-only', `${remoteRef}:${this.jobsDir.split(path.sep).join('/')}`]).catch(() => '');
      const names = listing
        .split('\n')
        .filter((e) => /\.ya?ml$/.test(e))
        .map((e) => e.replace(/\.ya?ml$/, ''));
      const remote = names.find((p) => p.toLowerCase() === lower);
      if (remote !== undefined) return `project "${project}" already exists on ${remoteRef} (${this.jobsDir}/${remote}.yaml); choose another name`;
    }
    return undefined;
  }

  /** Undo our commit (if it is HEAD) and remove the file from the index and the working tree. */
  private async rollback(git: SimpleGit, relFile: string, absFile: string, commit: string | undefined): Promise<void> {
    if (commit) {
      const head = (await git.revparse(['HEAD']).catch(() => '')).trim();
      if (head === commit) await git.raw(['reset', '--soft', '--quiet', 'HEAD~1']).catch(() => undefined);
    }
    await git.raw(['rm', '--cached', '--quiet', '--ignore-unmatch', '--', relFile]).catch(() => undefined);
    await fs.rm(absFile, { force: true });
  }
}

function isRejectedPush(err: unknown): boolean {
  const text = String((err as Error)?.message ?? err);
  return /\[rejected\]|non-fast-forward|fetch first|Updates were rejected|failed to push some refs/i.test(text) && !/Could not read from remote|does not appear to be a git repository|Authentication failed/i.test(text);
}

function errorText(err: unknown): string {
  const raw = String((err as Error)?.message ?? err).trim();
  const lines = raw.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('hint:'));
  return redactUrlsInText(lines.slice(0, 4).join(' / '));
}
