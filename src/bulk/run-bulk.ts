import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Clock } from '../model/clock.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import { runLimited } from '../apply/run-limited.js';
import { sha256 } from '../model/hash.js';
import type { BulkScript } from './bulk-script.js';
import type { EditOp } from './edit-ops.js';
import { editJobConfig } from './edit-job.js';
import { jobConfigPath } from './home-layout.js';
import { selectJobs, type JobSelector, type SelectedJob } from './select-jobs.js';
import { conditionHolds, type ConfigCondition } from '../xml/condition.js';
import { XmlConfig } from '../xml/config-editor.js';
import { errorText } from './error-text.js';
import { JenkinsError } from '../jenkins/jenkins-error.js';
import { markerEdit, markerEditRefusal } from '../plan/rules/bulk-keeps-marker.js';

/**
 * - `changed`      the edit changes the config (dry run: would change; with apply: see `applied`)
 * - `unchanged`    the edit leaves the config as it is
 * - `not-matched`  the config does not meet the --where conditions
 * - `skipped`      the script returned null/false
 * - `refused`      managed by jobsmith and no --force, or the edit would touch the jobsmith marker
 * - `failed`       reading the config, editing it (bad path, script error) or writing it failed
 * - `interrupted`  not looked at: the run was interrupted (Ctrl-C) before this job's turn
 */
export type BulkJobStatus = 'changed' | 'unchanged' | 'not-matched' | 'skipped' | 'refused' | 'failed' | 'interrupted';

export interface BulkJobResult {
  fullName: string;
  status: BulkJobStatus;
  /** Unified diff of the change (status changed). */
  diff?: string;
  /** With apply: the new config was posted. */
  applied?: boolean;
  /** Why refused or failed, in words. */
  message?: string;
  /** refused: `managed` (a managed job without --force) or `marker` (the edit would touch the jobsmith marker). */
  refusal?: 'managed' | 'marker';
}

export interface BulkOptions {
  selector: JobSelector;
  where: ConfigCondition[];
  ops: EditOp[];
  script?: BulkScript;
  /** Post the changes (after writing the backup). Without it: a dry run. */
  apply: boolean;
  /** Edit managed jobs too (the jobsmith marker is kept: an edit that would touch it is refused). */
  force: boolean;
  /** The owner id of the definitions bulk runs beside (for the words of a refusal: whose files to change). */
  owner?: string;
  /** Let edits remove the jobsmith marker (the jobs stop being managed); implies `force` for managed jobs. */
  unmanage?: boolean;
  /** Abort (Ctrl-C): no new job is started; posts in flight end, then the manifest is written. */
  signal?: AbortSignal;
  concurrency: number;
  /** Required with apply: a new or empty directory for the backup. */
  backupDir?: string;
  /** Compute unified diffs (default true). */
  diffs?: boolean;
  clock: Clock;
  onEvent?: (e: BulkEvent) => void;
}

export type BulkEvent =
  | { type: 'start'; total: number; apply: boolean }
  | { type: 'job'; result: BulkJobResult; done: number; total: number }
  | { type: 'end'; summary: Record<BulkJobStatus, number> };

export interface BulkResult {
  apply: boolean;
  jobs: BulkJobResult[];
  summary: Record<BulkJobStatus, number>;
  /** With apply: changes posted / failed to post. */
  applied: number;
  applyFailed: number;
  /** With apply: posts whose answer was lost (they may or may not have been applied; undo checks). */
  applyUnknown: number;
  backupDir?: string;
  /** The run was interrupted (signal): the jobs not yet looked at are `interrupted`. */
  interrupted: boolean;
}

/**
 * What became of one config POST:
 * - `posting`  the POST was sent and had not ended when the manifest was written (interrupted run);
 * - `applied`  Jenkins answered 2xx;
 * - `failed`   Jenkins answered with an error status (nothing posted, as far as Jenkins says);
 * - `unknown`  no answer (connection lost, timeout): it may have been applied.
 * Undo checks every entry against the live config, whatever its outcome.
 */
export type BulkPostOutcome = 'posting' | 'applied' | 'failed' | 'unknown';

export interface BulkManifestEntry {
  fullName: string;
  /** sha256 of the config as read (the bytes in the backup). */
  before: string;
  /** sha256 of the config posted (its text is kept under `.after/` for the undo guard's semantic check). */
  after: string;
  /** outcome === 'applied' (kept for readers of manifests written before `outcome`). */
  applied: boolean;
  outcome?: BulkPostOutcome;
  /** Why the POST failed or has no answer. */
  error?: string;
}

export interface BulkManifest {
  format: 'jobsmith-bulk-backup';
  version: 1;
  createdAt: string;
  operations: string[];
  /** `running` while posts go on (a manifest left so was cut short: see the journal), then `complete` or `interrupted`. */
  state?: 'running' | 'complete' | 'interrupted';
  jobs: BulkManifestEntry[];
}

export class BackupDirError extends Error {
  override name = 'BackupDirError';
}

export const BULK_MANIFEST = 'jobsmith-bulk.json';
/**
 * One JSON line per POST event (`posting` before it is sent, then its outcome), appended as it
 * happens: what a run killed outright leaves for `--undo` besides its manifest.
 */
export const BULK_JOURNAL = 'jobsmith-bulk.journal';
/** Where the configs bulk posted are kept inside a backup (not part of the JENKINS_HOME layout). */
export const AFTER_DIR = '.after';

export function emptyBulkSummary(): Record<BulkJobStatus, number> {
  return { changed: 0, unchanged: 0, 'not-matched': 0, skipped: 0, refused: 0, failed: 0, interrupted: 0 };
}

/**
 * Why a managed job is refused without --force, in the terms of the definitions that manage it: the
 * files to change when they are the definitions here (`owner`, the owner id of the working
 * directory's definitions), else whose they are.
 */
export function managedRefusal(s: SelectedJob, owner?: string): string {
  const m = s.marker!;
  const branch = m.branch !== undefined ? ` (branch ${m.branch})` : '';
  if (m.owner === undefined || m.owner === owner) {
    return `managed by jobsmith${branch}: change template job-templates/${m.template}-config.xml or definition jobs/${m.project}.yaml instead (the next sync that re-renders it, or sync --verify, reverts a live edit); --force edits it anyway`;
  }
  return `managed by other definitions${branch} (owner ${m.owner}, project ${m.project}, template ${m.template}): change them there instead (their next sync that re-renders it, or sync --verify, reverts a live edit); --force edits it anyway`;
}

/** A POST error with no answer from Jenkins (it may have been applied) vs an error answer. */
function postOutcome(err: unknown): BulkPostOutcome {
  return err instanceof JenkinsError && err.kind !== 'network' && err.kind !== 'timeout' ? 'failed' : 'unknown';
}

/** Write the manifest whole under a temporary name, then rename it into place (never half a file). */
function writeManifest(dir: string, m: BulkManifest): void {
  const file = path.join(dir, BULK_MANIFEST);
  writeFileSync(`${file}.tmp`, JSON.stringify(m, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

/**
 * `jobsmith bulk`: list Jenkins once, select jobs, fetch and edit each config, report a diff per job.
 * With `apply`, the manifest (for `--undo`) is written before the first POST, each changed job's
 * current config is written to the backup directory before its new config is posted, every POST is
 * journalled as it starts and ends, and the manifest is written again at the end (also when the run
 * is interrupted through `signal`). Failures are per job.
 */
export async function runBulk(api: JenkinsApi, opts: BulkOptions, describeOps: string[]): Promise<BulkResult> {
  const state = await api.list();
  const selected = selectJobs(state, opts.selector);
  const results: BulkJobResult[] = new Array(selected.length);
  const manifest: BulkManifestEntry[] = [];
  const summary = emptyBulkSummary();
  let applied = 0;
  let applyFailed = 0;
  let applyUnknown = 0;
  let done = 0;
  const wantDiffs = opts.diffs ?? true;
  const unmanage = opts.unmanage ?? false;
  const manifestOf = (state: NonNullable<BulkManifest['state']>): BulkManifest => ({
    format: 'jobsmith-bulk-backup',
    version: 1,
    createdAt: opts.clock.now().toISOString(),
    operations: describeOps,
    state,
    jobs: [...manifest].sort((a, b) => (a.fullName < b.fullName ? -1 : 1)),
  });
  const journal = (e: BulkManifestEntry): void => {
    appendFileSync(path.join(opts.backupDir!, BULK_JOURNAL), JSON.stringify(e) + '\n');
  };
  if (opts.apply) {
    if (!opts.backupDir) throw new Error('apply needs a backup directory');
    const dir = opts.backupDir;
    // Taken atomically: a new directory by an exclusive mkdir, an existing empty one by creating its
    // manifest exclusively; two runs never share a backup directory.
    let entries: string[] = [];
    try {
      await mkdir(path.dirname(path.resolve(dir)), { recursive: true });
      await mkdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new BackupDirError(`cannot use ${dir} as the backup directory: ${errorText(err)}`);
      try {
        entries = await readdir(dir);
      } catch (err2) {
        throw new BackupDirError(`cannot use ${dir} as the backup directory: ${errorText(err2)}`);
      }
    }
    if (entries.length > 0) throw new BackupDirError(`backup directory ${dir} is not empty; name a new one`);
    try {
      writeFileSync(path.join(dir, BULK_MANIFEST), '', { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupDirError(`backup directory ${dir} is not empty (another run took it); name a new one`);
      throw new BackupDirError(`cannot write ${BULK_MANIFEST} in ${dir}: ${errorText(err)}; nothing was changed`);
    }
    // Before the first POST: a run cut short at any point leaves a backup `--undo` can read.
    try {
      writeManifest(dir, manifestOf('running'));
    } catch (err) {
      throw new BackupDirError(`cannot write ${BULK_MANIFEST} in ${dir}: ${errorText(err)}; nothing was changed`);
    }
  } else if (opts.backupDir !== undefined) {
    // A dry run refuses what --apply would refuse.
    const dir = opts.backupDir;
    const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw new BackupDirError(`cannot use ${dir} as the backup directory: ${errorText(err)}`);
    });
    if (entries.length > 0) throw new BackupDirError(`backup directory ${dir} is not empty; name a new one`);
  }
  opts.onEvent?.({ type: 'start', total: selected.length, apply: opts.apply });
  const finish = (i: number, r: BulkJobResult): void => {
    results[i] = r;
    summary[r.status]++;
    done++;
    opts.onEvent?.({ type: 'job', result: r, done, total: selected.length });
  };
  await runLimited(selected, opts.concurrency, async (sel, i) => {
    const { item } = sel;
    const fullName = item.fullName;
    if (opts.signal?.aborted) return finish(i, { fullName, status: 'interrupted' });
    const refuseManaged = sel.marker !== undefined && !opts.force && !unmanage;
    // without --where, a managed job is refused before its config is read (it could be nothing else)
    if (refuseManaged && !opts.where.length) return finish(i, { fullName, status: 'refused', refusal: 'managed', message: managedRefusal(sel, opts.owner) });
    let before: string;
    try {
      before = await api.getConfig(fullName);
    } catch (err) {
      return finish(i, { fullName, status: 'failed', message: `reading config.xml failed: ${errorText(err)}` });
    }
    if (opts.where.length) {
      let cfg: XmlConfig;
      try {
        cfg = new XmlConfig(before);
      } catch (err) {
        return finish(i, { fullName, status: 'failed', message: `config.xml is not well-formed: ${errorText(err)}` });
      }
      if (!opts.where.every((w) => conditionHolds(cfg, w))) return finish(i, { fullName, status: 'not-matched' });
      // --where first: a managed job it does not match is not-matched, not refused
      if (refuseManaged) return finish(i, { fullName, status: 'refused', refusal: 'managed', message: managedRefusal(sel, opts.owner) });
    }
    const edit = await editJobConfig(before, opts.ops, opts.script, {
      fullName,
      name: item.name,
      folder: fullName.split('/').slice(0, -1),
      className: item.className,
      managed: sel.marker !== undefined,
    });
    if (edit.error !== undefined) return finish(i, { fullName, status: 'failed', message: edit.error });
    if (edit.skipped) return finish(i, { fullName, status: 'skipped' });
    if (!edit.changed) return finish(i, { fullName, status: 'unchanged' });
    const markerRefusal = markerEditRefusal(markerEdit(before, edit.xml), unmanage);
    if (markerRefusal !== undefined) return finish(i, { fullName, status: 'refused', refusal: 'marker', message: markerRefusal });
    const r: BulkJobResult = { fullName, status: 'changed' };
    if (wantDiffs) r.diff = createTwoFilesPatch(`a/${fullName}/config.xml`, `b/${fullName}/config.xml`, before, edit.xml, undefined, undefined, { context: 2 });
    if (opts.apply && opts.signal?.aborted) return finish(i, { fullName, status: 'interrupted' });
    if (opts.apply) {
      const file = path.join(opts.backupDir!, jobConfigPath(fullName));
      const afterFile = path.join(opts.backupDir!, AFTER_DIR, jobConfigPath(fullName));
      try {
        // Synchronous: per small file, the promise API's thread-pool round trips cost several times
        // the write itself (the backup is written before the POST either way).
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, before);
        mkdirSync(path.dirname(afterFile), { recursive: true });
        writeFileSync(afterFile, edit.xml);
      } catch (err) {
        r.applied = false;
        r.message = `backup of the current config failed, not applied: ${errorText(err)}`;
        applyFailed++;
        return finish(i, r);
      }
      const entry: BulkManifestEntry = { fullName, before: sha256(before), after: sha256(edit.xml), applied: false, outcome: 'posting' };
      try {
        journal(entry);
      } catch (err) {
        r.applied = false;
        r.message = `writing the bulk journal failed, not applied: ${errorText(err)}`;
        applyFailed++;
        return finish(i, r);
      }
      manifest.push(entry);
      try {
        await api.updateJob(fullName, edit.xml);
        entry.applied = true;
        entry.outcome = 'applied';
        r.applied = true;
        applied++;
      } catch (err) {
        entry.outcome = postOutcome(err);
        entry.error = errorText(err);
        r.applied = false;
        if (entry.outcome === 'unknown') {
          r.message = `posting config.xml got no answer (it may have been applied; --undo checks): ${entry.error}`;
          applyUnknown++;
        } else r.message = `posting config.xml failed: ${entry.error}`;
        applyFailed++;
      }
      try {
        journal(entry);
      } catch {
        // the manifest written at the end records the outcome too
      }
    }
    finish(i, r);
  });
  const interrupted = opts.signal?.aborted ?? false;
  if (opts.apply) writeManifest(opts.backupDir!, manifestOf(interrupted ? 'interrupted' : 'complete'));
  opts.onEvent?.({ type: 'end', summary });
  const out: BulkResult = { apply: opts.apply, jobs: results, summary, applied, applyFailed, applyUnknown, interrupted };
  if (opts.apply) out.backupDir = opts.backupDir!;
  return out;
}
