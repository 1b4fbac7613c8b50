import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { JenkinsApi } from '../model/jenkins-api.js';
import { runLimited } from '../apply/run-limited.js';
import { sameConfig } from '../plan/same-job-config.js';
import { sha256 } from '../model/hash.js';
import { jobConfigPath } from './home-layout.js';
import { AFTER_DIR, BULK_MANIFEST, type BulkManifest } from './run-bulk.js';
import { errorText } from './error-text.js';

export interface UndoJobResult {
  fullName: string;
  /** restored: original posted; unchanged: already as in the backup; refused: edited since; failed. */
  status: 'restored' | 'would-restore' | 'unchanged' | 'refused' | 'failed';
  message?: string;
}

export interface UndoResult {
  jobs: UndoJobResult[];
  summary: Record<UndoJobResult['status'], number>;
}

export class UndoInputError extends Error {
  override name = 'UndoInputError';
}

/**
 * `jobsmith bulk --undo DIR`: post back the configs saved by `bulk --apply` (the exact bytes read
 * before the edit). A job whose config changed since the bulk edit (not semantically equal to what
 * bulk posted) is refused unless `force`. With `dryRun`, only reports.
 */
export async function undoBulk(
  api: JenkinsApi,
  dir: string,
  opts: { force: boolean; dryRun: boolean; concurrency: number; onJob?: (r: UndoJobResult, done: number, total: number) => void },
): Promise<UndoResult> {
  let manifest: BulkManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, BULK_MANIFEST), 'utf8')) as BulkManifest;
  } catch (err) {
    throw new UndoInputError(`${dir} is not a bulk backup (${BULK_MANIFEST}: ${(err as NodeJS.ErrnoException).code ?? errorText(err)})`);
  }
  if (manifest.format !== 'jobsmith-bulk-backup' || manifest.version !== 1 || !Array.isArray(manifest.jobs)) {
    throw new UndoInputError(`${path.join(dir, BULK_MANIFEST)}: not a jobsmith bulk backup manifest (format/version)`);
  }
  const entries = manifest.jobs.filter((j) => j.applied);
  const jobs: UndoJobResult[] = new Array(entries.length);
  const summary: UndoResult['summary'] = { restored: 0, 'would-restore': 0, unchanged: 0, refused: 0, failed: 0 };
  let done = 0;
  const finish = (i: number, r: UndoJobResult): void => {
    jobs[i] = r;
    summary[r.status]++;
    opts.onJob?.(r, ++done, entries.length);
  };
  await runLimited(entries, opts.concurrency, async (e, i) => {
    const fullName = e.fullName;
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
    if (current === original) return finish(i, { fullName, status: 'unchanged' });
    let asPosted = sha256(current) === e.after;
    if (!asPosted) {
      // Jenkins may re-serialise what it stored: compare with what bulk posted, semantically.
      const posted = await readFile(path.join(dir, AFTER_DIR, jobConfigPath(fullName)), 'utf8').catch(() => undefined);
      asPosted = posted !== undefined && sha256(posted) === e.after && sameConfig(current, posted);
    }
    if (!asPosted && !opts.force) {
      return finish(i, { fullName, status: 'refused', message: 'changed in Jenkins since the bulk edit; --force restores the backup anyway' });
    }
    if (opts.dryRun) return finish(i, { fullName, status: 'would-restore' });
    try {
      await api.updateJob(fullName, original);
    } catch (err) {
      return finish(i, { fullName, status: 'failed', message: `posting config.xml failed: ${errorText(err)}` });
    }
    finish(i, { fullName, status: 'restored' });
  });
  return { jobs, summary };
}
