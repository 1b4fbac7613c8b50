import { readFileSync } from 'node:fs';
import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { JenkinsApi } from '../model/jenkins-api.js';
import type { ObservedItem, ObservedState } from '../model/observed.js';
import { runLimited } from '../apply/run-limited.js';
import { jobConfigPath, parseHomePath, viewConfigPath } from './home-layout.js';
import { errorText } from './error-text.js';
import { InputError } from '../model/errors.js';
import { makeDirs, outputDirProblem, OutputTree, writeNoFollow, writing } from '../output/output-tree.js';

/** Plain folders: their children are backed up too. Other item groups (multibranch, organization
 * folders) are backed up themselves, but the jobs they generate are not (they come back by scanning). */
export const PLAIN_FOLDER_CLASSES: ReadonlySet<string> = new Set(['com.cloudbees.hudson.plugins.folder.Folder']);

export interface BackupEntry {
  kind: 'job' | 'folder' | 'view';
  /** Job/folder full name, or `folder/.../view` for a view. */
  name: string;
  /** Relative path in the backup. */
  file: string;
}

export interface BackupResult {
  written: number;
  unchanged: number;
  /** Files of items no longer in Jenkins, removed from the backup. */
  removed: number;
  /** Their paths (relative to the backup directory, `/`-separated). */
  removedFiles: string[];
  /** Files of items not listed, kept because removing them would be a mass removal. */
  keptStale: number;
  failed: Array<{ name: string; error: string }>;
  entries: BackupEntry[];
}

/** Items whose config a backup keeps: everything except what generated item groups hold. */
export function backupItems(state: ObservedState): ObservedItem[] {
  const byName = new Map(state.items.map((i) => [i.fullName, i]));
  return state.items.filter((i) => {
    const segs = i.fullName.split('/');
    for (let k = 1; k < segs.length; k++) {
      const parent = byName.get(segs.slice(0, k).join('/'));
      if (parent && !PLAIN_FOLDER_CLASSES.has(parent.className)) return false;
    }
    return true;
  });
}

/**
 * Synchronous on purpose: for many small files the promise API's round trips cost more than the I/O.
 * The paths were checked (no symbolic link below the backup directory) before anything was written;
 * the write itself never follows a link at the file either.
 */
async function writeIfChanged(file: string, content: string): Promise<boolean> {
  try {
    if (readFileSync(file, 'utf8') === content) return false;
  } catch {
    /* new file */
  }
  writing(path.dirname(file), () => makeDirs(path.dirname(file)));
  writing(file, () => writeNoFollow(file, content));
  return true;
}

/**
 * The backup directory is usable and none of the backup's paths goes through a symbolic link below
 * it (a linked job directory or config.xml, perhaps committed into a shared backup repository): an
 * InputError naming every such path, before anything is written.
 */
export function checkBackupPaths(dir: string, files: readonly string[]): void {
  const problem = outputDirProblem(dir);
  if (problem) throw new InputError(`cannot back up into ${dir}: ${problem}; nothing written`);
  const tree = new OutputTree(dir, 'backup');
  const refused = new Map<string, string>();
  for (const f of files) {
    const at = tree.file(f);
    if (at.kind === 'refused') refused.set(at.path, at.reason);
  }
  if (refused.size === 0) return;
  const lines = [...refused].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([p, reason]) => `  ${p}: ${reason}`);
  throw new InputError(`cannot back up into ${dir}: ${refused.size} path(s) the backup would write go through something it does not write:\n${lines.join('\n')}\nmove these away or back up into a new directory; nothing written`);
}

async function listLayoutFiles(dir: string, rel = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.name === '.git') continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listLayoutFiles(dir, r)));
    else if (e.isFile() && parseHomePath(r)) out.push(r);
  }
  return out;
}

/**
 * Every job's, folder's and view's config.xml from Jenkins into `dir`, JENKINS_HOME layout (see
 * home-layout.ts). Only files whose content changed are written; files of items that are gone
 * from Jenkins are removed (only layout files: nothing else in `dir` is touched). A listing failure
 * rejects before anything is written; a failed item keeps its previous file and is reported.
 */
export async function backupJenkins(
  api: JenkinsApi,
  dir: string,
  opts: { concurrency: number; onItem?: (done: number, total: number) => void; allowMassRemove?: boolean },
): Promise<BackupResult> {
  const state = await api.list();
  const items = backupItems(state);
  const entries: BackupEntry[] = [];
  const tasks: Array<{ entry: BackupEntry; fetch: () => Promise<string> }> = [];
  for (const i of items) {
    const entry: BackupEntry = { kind: i.isFolder ? 'folder' : 'job', name: i.fullName, file: jobConfigPath(i.fullName) };
    tasks.push({ entry, fetch: () => api.getConfig(i.fullName) });
  }
  const keptFolders = new Set(items.filter((i) => i.isFolder).map((i) => i.fullName));
  for (const v of state.views) {
    const folder = v.folder.join('/');
    if (folder !== '' && !keptFolders.has(folder)) continue;
    const entry: BackupEntry = { kind: 'view', name: [...v.folder, v.name].join('/'), file: viewConfigPath(v.name, v.folder) };
    tasks.push({ entry, fetch: () => api.getViewConfig(v.name, folder || undefined) });
  }
  const result: BackupResult = { written: 0, unchanged: 0, removed: 0, removedFiles: [], keptStale: 0, failed: [], entries };
  checkBackupPaths(dir, tasks.map((t) => t.entry.file));
  writing(dir, () => makeDirs(dir));
  let done = 0;
  opts.onItem?.(0, tasks.length);
  await runLimited(tasks, opts.concurrency, async (t) => {
    try {
      const xml = await t.fetch();
      if (await writeIfChanged(path.join(dir, t.entry.file), xml)) result.written++;
      else result.unchanged++;
      entries.push(t.entry);
    } catch (err) {
      result.failed.push({ name: t.entry.name, error: errorText(err) });
    }
    opts.onItem?.(++done, tasks.length);
  });
  // Mirror: drop files of items Jenkins no longer has (never those that failed this time).
  // Guard: a listing that suddenly shows far fewer items (permissions, a half-started Jenkins)
  // must not empty the backup: more than 10 files and more than half of them is refused.
  const expected = new Set(tasks.map((t) => t.entry.file));
  const existing = await listLayoutFiles(dir);
  const stale = existing.filter((rel) => !expected.has(rel));
  if (!opts.allowMassRemove && stale.length > 10 && stale.length * 2 > existing.length) {
    result.keptStale = stale.length;
    stale.length = 0;
  }
  for (const rel of stale) {
    await rm(path.join(dir, rel));
    result.removed++;
    result.removedFiles.push(rel);
    await pruneEmptyDirs(dir, path.posix.dirname(rel));
  }
  entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  result.failed.sort((a, b) => (a.name < b.name ? -1 : 1));
  return result;
}

async function pruneEmptyDirs(root: string, rel: string): Promise<void> {
  let r = rel;
  while (r !== '.' && r !== '') {
    try {
      await rmdir(path.join(root, r));
    } catch {
      return;
    }
    r = path.posix.dirname(r);
  }
}
