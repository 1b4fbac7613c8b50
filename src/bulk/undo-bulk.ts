import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JenkinsApi } from '../model/jenkins-api.js';
import { runLimited } from '../apply/run-limited.js';
import { sameConfig } from '../xml/semantic-compare.js';
import { sha256 } from '../model/hash.js';
import { jobConfigPath } from './home-layout.js';
import { AFTER_DIR, BULK_JOURNAL, BULK_MANIFEST, type BulkManifest, type BulkManifestEntry } from './run-bulk.js';
import { errorText } from './error-text.js';

/**
 * - `restored`      the live config was the edited one; the backup was posted back
 * - `would-restore` (dry run) it would be restored
 * - `unchanged`     the edit was applied and the live config is already the backup's
 * - `not-applied`   the edit never took effect (its POST failed, got no answer, or the run was
 *                   interrupted) and the live config is the backup's: nothing to restore
 * - `refused`       the live config is neither the backup's nor the edited one (changed since); --force
 * - `failed`        the backup file is missing or modified, or reading/posting the config failed
 */
/** Under a bulk backup directory: one directory per undo run with the live configs it replaced. */
export const UNDONE_DIR = '.undone';

/** `DIR/.undone/<YYYYMMDD-HHMMSS>-<pid>`: where one undo run keeps the live configs it replaces. */
export function undoSaveDir(dir: string, now: Date): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
  return path.join(dir, UNDONE_DIR, `${stamp}-${process.pid}`);
}

export type UndoStatus = 'restored' | 'would-restore' | 'unchanged' | 'not-applied' | 'refused' | 'failed';

export interface UndoJobResult {
  fullName: string;
  status: UndoStatus;
  /** Why, in words (every status but a plain `restored` has one). */
  message?: string;
}

export interface UndoResult {
  /** One per job the bulk edit backed up (before its POST), in name order. */
  jobs: UndoJobResult[];
  summary: Record<UndoStatus, number>;
  /** How the bulk run ended: `complete`, `interrupted`, or `running` (cut short: the journal tells the rest). */
  state: 'running' | 'complete' | 'interrupted';
  /** Where the live configs undo replaced were saved (JENKINS_HOME layout), when it replaced any. */
  savedDir?: string;
}

export class UndoInputError extends Error {
  override name = 'UndoInputError';
}

function emptyUndoSummary(): Record<UndoStatus, number> {
  return { restored: 0, 'would-restore': 0, unchanged: 0, 'not-applied': 0, refused: 0, failed: 0 };
}

/** The journal's entries, last word per job (a line cut by a crash is ignored). */
async function readJournal(dir: string): Promise<Map<string, BulkManifestEntry> | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, BULK_JOURNAL), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UndoInputError(`${path.join(dir, BULK_JOURNAL)}: ${errorText(err)}`);
  }
  const out = new Map<string, BulkManifestEntry>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let e: BulkManifestEntry;
    try {
      e = JSON.parse(line) as BulkManifestEntry;
    } catch {
      continue;
    }
    if (typeof e?.fullName === 'string' && typeof e.before === 'string' && typeof e.after === 'string') out.set(e.fullName, e);
  }
  return out;
}

/** The manifest merged with the journal (a run killed outright may have journalled more than its manifest says). */
async function readBackupEntries(dir: string): Promise<{ entries: BulkManifestEntry[]; state: UndoResult['state'] }> {
  const file = path.join(dir, BULK_MANIFEST);
  let manifest: BulkManifest | undefined;
  let missing: string | undefined;
  try {
    manifest = JSON.parse(await readFile(file, 'utf8')) as BulkManifest;
  } catch (err) {
    missing = (err as NodeJS.ErrnoException).code ?? errorText(err);
  }
  const journal = await readJournal(dir);
  if (!manifest) {
    if (!journal) throw new UndoInputError(`${dir} is not a bulk backup (${BULK_MANIFEST}: ${missing})`);
    return { entries: [...journal.values()], state: 'running' };
  }
  if (manifest.format !== 'jobsmith-bulk-backup' || manifest.version !== 1 || !Array.isArray(manifest.jobs)) {
    throw new UndoInputError(`${file}: not a jobsmith bulk backup manifest (format/version)`);
  }
  const bad = manifest.jobs.findIndex((e) => typeof e?.fullName !== 'string' || typeof e.before !== 'string' || typeof e.after !== 'string');
  if (bad >= 0) throw new UndoInputError(`${file}: jobs[${bad}] is not a bulk backup entry (fullName, before, after)`);
  const byName = new Map(manifest.jobs.map((e) => [e.fullName, e]));
  for (const [name, e] of journal ?? []) {
    const m = byName.get(name);
    // the manifest written at the end has the final word; a journal line only adds what it lacks
    if (!m || (m.outcome === 'posting' && e.outcome !== 'posting')) byName.set(name, e);
  }
  return { entries: [...byName.values()], state: manifest.state ?? 'complete' };
}

function notAppliedWhy(e: BulkManifestEntry): string {
  switch (e.outcome) {
    case 'failed':
      return `its POST failed (${e.error ?? 'error'}) and the live config is the backup's: nothing to restore`;
    case 'unknown':
      return `its POST got no answer (${e.error ?? 'lost'}) and the live config is the backup's: it was not applied, nothing to restore`;
    case 'posting':
      return "the bulk run was cut short during its POST and the live config is the backup's: nothing to restore";
    default:
      return "the live config is the backup's: nothing to restore";
  }
}

/**
 * `jobsmith bulk --undo DIR`: post back the configs saved by `bulk --apply` (the exact bytes read
 * before the edit). Every job the bulk edit backed up is checked against its live config, whatever
 * the manifest says became of its POST (an answer may have been lost, the run interrupted):
 * - the live config is the backup's → nothing to do (`unchanged` / `not-applied`);
 * - it is what bulk posted (semantically) → restore;
 * - anything else (edited since) → refused unless `force`.
 * Before each POST, the live config it replaces is written to `saveDir` (JENKINS_HOME layout, made
 * when first needed; a job whose live config cannot be saved is not posted): so an undo, forced
 * over a later edit or not, can itself be undone. With `dryRun`, only reports.
 */
export async function undoBulk(
  api: JenkinsApi,
  dir: string,
  opts: { force: boolean; dryRun: boolean; concurrency: number; saveDir?: string; onJob?: (r: UndoJobResult, done: number, total: number) => void },
): Promise<UndoResult> {
  let saved = false;
  const saveDir = opts.saveDir ?? undoSaveDir(dir, new Date());
  const { entries: unsorted, state } = await readBackupEntries(dir);
  const entries = unsorted.sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
  const jobs: UndoJobResult[] = new Array(entries.length);
  const summary = emptyUndoSummary();
  let done = 0;
  const finish = (i: number, r: UndoJobResult): void => {
    jobs[i] = r;
    summary[r.status]++;
    opts.onJob?.(r, ++done, entries.length);
  };
  await runLimited(entries, opts.concurrency, async (e, i) => {
    const fullName = e.fullName;
    const wasApplied = e.outcome === 'applied' || (e.outcome === undefined && e.applied);
    let original: string;
    try {
      original = await readFile(path.join(dir, jobConfigPath(fullName)), 'utf8');
    } catch (err) {
      return finish(i, { fullName, status: 'failed', message: `backup file missing: ${errorText(err)}` });
    }
    if (sha256(original) !== e.before) return finish(i, { fullName, status: 'failed', message: 'backup file was modified since the bulk edit (hash differs from the manifest)' });
    let current: string;
    try {
      current = await api.getConfig(fullName);
    } catch (err) {
      return finish(i, { fullName, status: 'failed', message: `reading config.xml failed: ${errorText(err)}` });
    }
    if (current === original || sameConfig(current, original)) {
      return finish(i, wasApplied ? { fullName, status: 'unchanged', message: 'already as in the backup' } : { fullName, status: 'not-applied', message: notAppliedWhy(e) });
    }
    let asPosted = sha256(current) === e.after;
    if (!asPosted) {
      // Jenkins may re-serialise what it stored: compare with what bulk posted, semantically.
      const posted = await readFile(path.join(dir, AFTER_DIR, jobConfigPath(fullName)), 'utf8').catch(() => undefined);
      asPosted = posted !== undefined && sha256(posted) === e.after && sameConfig(current, posted);
    }
    const lost = wasApplied ? '' : e.outcome === 'posting' ? ' (the run was cut short during its POST, which went through)' : ` (its POST ${e.outcome === 'failed' ? 'reported a failure' : 'got no answer'}, but went through)`;
    if (!asPosted && !opts.force) {
      return finish(i, { fullName, status: 'refused', message: 'changed in Jenkins since the bulk edit (the live config is neither the backup nor what bulk posted); --force restores the backup anyway' });
    }
    const forced = asPosted ? '' : ' (changed in Jenkins since the bulk edit; --force)';
    if (opts.dryRun) return finish(i, { fullName, status: 'would-restore', message: `would post the backup back${lost}${forced}` });
    try {
      const file = path.join(saveDir, jobConfigPath(fullName));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, current, { flag: 'wx' });
      saved = true;
    } catch (err) {
      return finish(i, { fullName, status: 'failed', message: `saving its live config before the undo failed (nothing posted): ${errorText(err)}` });
    }
    try {
      await api.updateJob(fullName, original);
    } catch (err) {
      return finish(i, { fullName, status: 'failed', message: `posting config.xml failed: ${errorText(err)}` });
    }
    finish(i, { fullName, status: 'restored', ...(lost || forced ? { message: `restored${lost}${forced}` } : {}) });
  });
  return { jobs, summary, state, ...(saved ? { savedDir: saveDir } : {}) };
}
