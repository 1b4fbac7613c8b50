import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
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

/**
 * - `changed`      the edit changes the config (dry run: would change; with apply: see `applied`)
 * - `unchanged`    the edit leaves the config as it is
 * - `not-matched`  the config does not meet the --where conditions
 * - `skipped`      the script returned null/false
 * - `refused`      managed by jobsmith and no --force
 * - `failed`       reading the config, editing it (bad path, script error) or writing it failed
 */
export type BulkJobStatus = 'changed' | 'unchanged' | 'not-matched' | 'skipped' | 'refused' | 'failed';

export interface BulkJobResult {
  fullName: string;
  status: BulkJobStatus;
  /** Unified diff of the change (status changed). */
  diff?: string;
  /** With apply: the new config was posted. */
  applied?: boolean;
  /** Why refused or failed, in words. */
  message?: string;
}

export interface BulkOptions {
  selector: JobSelector;
  where: ConfigCondition[];
  ops: EditOp[];
  script?: BulkScript;
  /** Post the changes (after writing the backup). Without it: a dry run. */
  apply: boolean;
  /** Edit managed jobs too. */
  force: boolean;
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
  backupDir?: string;
}

export interface BulkManifestEntry {
  fullName: string;
  /** sha256 of the config as read (the bytes in the backup). */
  before: string;
  /** sha256 of the config posted (its text is kept under `.after/` for the undo guard's semantic check). */
  after: string;
  applied: boolean;
}

export interface BulkManifest {
  format: 'jobsmith-bulk-backup';
  version: 1;
  createdAt: string;
  operations: string[];
  jobs: BulkManifestEntry[];
}

export class BackupDirError extends Error {
  override name = 'BackupDirError';
}

export const BULK_MANIFEST = 'jobsmith-bulk.json';
/** Where the configs bulk posted are kept inside a backup (not part of the JENKINS_HOME layout). */
export const AFTER_DIR = '.after';

export function emptyBulkSummary(): Record<BulkJobStatus, number> {
  return { changed: 0, unchanged: 0, 'not-matched': 0, skipped: 0, refused: 0, failed: 0 };
}

export function managedRefusal(s: SelectedJob): string {
  const m = s.marker!;
  const branch = m.branch !== undefined ? ` (branch ${m.branch})` : '';
  return `managed by jobsmith${branch}: change template job-templates/${m.template}-config.xml or definition jobs/${m.project}.yaml instead (the next sync that re-renders it, or sync --verify, reverts a live edit); --force edits it anyway`;
}

/**
 * `jobsmith bulk`: list Jenkins once, select jobs, fetch and edit each config, report a diff per job.
 * With `apply`, each changed job's current config is written to the backup directory before its new
 * config is posted, and a manifest (for `--undo`) is written at the end. Failures are per job.
 */
export async function runBulk(api: JenkinsApi, opts: BulkOptions, describeOps: string[]): Promise<BulkResult> {
  const state = await api.list();
  const selected = selectJobs(state, opts.selector);
  const results: BulkJobResult[] = new Array(selected.length);
  const manifest: BulkManifestEntry[] = [];
  const summary = emptyBulkSummary();
  let applied = 0;
  let applyFailed = 0;
  let done = 0;
  const wantDiffs = opts.diffs ?? true;
  if (opts.apply) {
    if (!opts.backupDir) throw new Error('apply needs a backup directory');
    await mkdir(opts.backupDir, { recursive: true });
    if ((await readdir(opts.backupDir)).length > 0) throw new BackupDirError(`backup directory ${opts.backupDir} is not empty; name a new one`);
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
    if (sel.marker && !opts.force) return finish(i, { fullName, status: 'refused', message: managedRefusal(sel) });
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
    const r: BulkJobResult = { fullName, status: 'changed' };
    if (wantDiffs) r.diff = createTwoFilesPatch(`a/${fullName}/config.xml`, `b/${fullName}/config.xml`, before, edit.xml, undefined, undefined, { context: 2 });
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
      const entry: BulkManifestEntry = { fullName, before: sha256(before), after: sha256(edit.xml), applied: false };
      manifest.push(entry);
      try {
        await api.updateJob(fullName, edit.xml);
        entry.applied = true;
        r.applied = true;
        applied++;
      } catch (err) {
        r.applied = false;
        r.message = `posting config.xml failed: ${errorText(err)}`;
        applyFailed++;
      }
    }
    finish(i, r);
  });
  if (opts.apply) {
    const m: BulkManifest = {
      format: 'jobsmith-bulk-backup',
      version: 1,
      createdAt: opts.clock.now().toISOString(),
      operations: describeOps,
      jobs: manifest.sort((a, b) => (a.fullName < b.fullName ? -1 : 1)),
    };
    await writeFile(path.join(opts.backupDir!, BULK_MANIFEST), JSON.stringify(m, null, 2) + '\n');
  }
  opts.onEvent?.({ type: 'end', summary });
  const out: BulkResult = { apply: opts.apply, jobs: results, summary, applied, applyFailed };
  if (opts.apply) out.backupDir = opts.backupDir!;
  return out;
}
