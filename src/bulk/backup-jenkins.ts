import { readFileSync } from 'node:fs';
import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { JenkinsApi } from '../model/jenkins-api.js';
import type { ObservedItem, ObservedState } from '../model/observed.js';
import { runLimited } from '../apply/run-limited.js';
import { escapedNames, jobConfigPath, parseHomePath, viewConfigPath } from './home-layout.js';
import { errorText } from './error-text.js';
import { InputError } from '../model/errors.js';
import { FileBatch, makeDirs, outputDirProblem, OutputTree, removeStaleBatches, writing } from '../output/output-tree.js';

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

/** The file in the backup directory that lists the files this backup wrote (and so may replace or remove). */
export const BACKUP_MANIFEST = '.jobsmith-backup.json';

/** What a backup manifest says: the files backup wrote, which Jenkins they are of, and the names escaped file names stand for. */
export interface BackupManifest {
  files: Set<string>;
  /** The Jenkins backed up (its URL without credentials, or `embedded stand-in, state in DIR`); absent in manifests of older backups. */
  source?: string;
  /** Escaped path segments (home-layout.ts, `#` + hex) and the item or view names they stand for. */
  names: Map<string, string>;
}

/** The manifest's text: the source, the files (sorted, one per line of a JSON array) and the escaped names the files use. */
function manifestText(files: Iterable<string>, source: string | undefined, names: ReadonlyMap<string, string>): string {
  const list = [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const used = new Set(list.flatMap((f) => f.split('/').map((seg) => (seg.endsWith('.xml') ? seg.slice(0, -4) : seg))));
  const escaped = [...names].filter(([seg]) => used.has(seg)).sort(([a], [b]) => (a < b ? -1 : 1));
  const src = source !== undefined ? `"source":${JSON.stringify(source)},` : '';
  const nameText = escaped.length ? `,"names":{\n${escaped.map(([seg, n]) => `  ${JSON.stringify(seg)}: ${JSON.stringify(n)}`).join(',\n')}\n}` : '';
  return `{"format":"jobsmith-backup","version":1,${src}"files":[\n${list.map((f) => '  ' + JSON.stringify(f)).join(',\n')}\n]${nameText}}\n`;
}

/**
 * The files an earlier backup into `dir` wrote, from its manifest (none when there is none). An
 * entry counts only when it is a layout path (jobs/.../config.xml, views/*.xml) with no `.`/`..`
 * segment: the manifest is input like any other, and may have been edited or committed by others.
 */
export function readBackupManifest(dir: string): BackupManifest {
  const own = new Set<string>();
  const names = new Map<string, string>();
  let text: string;
  try {
    text = readFileSync(path.join(dir, BACKUP_MANIFEST), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { files: own, names };
    throw new InputError(`${path.join(dir, BACKUP_MANIFEST)}: cannot be read (${errorText(err)}); nothing written`);
  }
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new InputError(`${path.join(dir, BACKUP_MANIFEST)}: not a jobsmith backup manifest (not JSON); nothing written`);
  }
  const files = (m as { format?: unknown; files?: unknown } | null)?.files;
  if ((m as { format?: unknown } | null)?.format !== 'jobsmith-backup' || !Array.isArray(files)) throw new InputError(`${path.join(dir, BACKUP_MANIFEST)}: not a jobsmith backup manifest; nothing written`);
  for (const f of files) {
    if (typeof f !== 'string' || f.includes('\\') || f.includes('\u0000') || f.startsWith('/')) continue;
    if (f.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) continue;
    if (parseHomePath(f)) own.add(f);
  }
  const m2 = m as { source?: unknown; names?: unknown };
  const rawNames = m2.names;
  if (rawNames !== null && typeof rawNames === 'object' && !Array.isArray(rawNames)) {
    for (const [seg, n] of Object.entries(rawNames as Record<string, unknown>)) {
      // only a real escape (that name's own hash) is believed: an edited manifest cannot rename items
      if (typeof n === 'string' && escapedNames([n]).get(seg) === n) names.set(seg, n);
    }
  }
  return { files: own, names, ...(typeof m2.source === 'string' ? { source: m2.source } : {}) };
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
    // the repository of `backup --git` (only at the top: a job named `.git` is stored under an escaped name)
    if (rel === '' && e.name === '.git') continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listLayoutFiles(dir, r)));
    else if (e.isFile() && parseHomePath(r)) out.push(r);
  }
  return out;
}

/**
 * Every job's, folder's and view's config.xml from Jenkins into `dir`, JENKINS_HOME layout (see
 * home-layout.ts). Only files whose content changed are written (replaced by a rename, all at the
 * end); files of items that are gone from Jenkins are removed. `dir/.jobsmith-backup.json` lists the
 * files backup wrote: only those are ever replaced or removed, and any other layout file in `dir`
 * is refused (InputError, nothing written); nothing else in `dir` is touched. A listing failure
 * rejects before anything is written; a failed item keeps its previous file and is reported.
 */
export async function backupJenkins(
  api: JenkinsApi,
  dir: string,
  opts: {
    concurrency: number;
    onItem?: (done: number, total: number) => void;
    allowMassRemove?: boolean;
    /**
     * Which Jenkins this is (its URL without credentials, or the embedded stand-in's home), recorded
     * in the manifest: a directory holding the backup of another Jenkins is refused (its files
     * would all look like items that Jenkins deleted).
     */
    source?: string;
  },
): Promise<BackupResult> {
  // Before Jenkins is asked: a directory of another Jenkins' backup is refused as it is.
  const manifest = readBackupManifest(dir);
  if (opts.source !== undefined && manifest.source !== undefined && manifest.source !== opts.source) {
    throw new InputError(
      `cannot back up ${opts.source} into ${dir}: it holds the backup of another Jenkins, ${manifest.source} (${BACKUP_MANIFEST}); ` +
        `back up each Jenkins into a directory of its own; nothing written`,
    );
  }
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
  checkBackupPaths(dir, [...tasks.map((t) => t.entry.file), BACKUP_MANIFEST]);
  // Files jobsmith did not write are never replaced or removed: a layout file in the directory that
  // the manifest does not list (a hand-kept config, render's out/, another Jenkins' backup, a backup
  // made before backups kept a manifest) is refused, unless it is at one of this backup's paths and
  // already holds exactly what Jenkins gives (then it is taken over).
  const own = manifest.files;
  const names = new Map(manifest.names);
  for (const [seg, n] of escapedNames([...items.flatMap((i) => i.fullName.split('/')), ...state.views.map((v) => v.name)])) names.set(seg, n);
  const expected = new Set(tasks.map((t) => t.entry.file));
  const existing = await listLayoutFiles(dir);
  const foreign = existing.filter((rel) => !own.has(rel));
  const refused = foreign.filter((rel) => !expected.has(rel));
  if (refused.length) throw notOurs(dir, refused);
  const foreignAtOurPaths = new Set(foreign);
  const differing: string[] = [];
  removeStaleBatches(dir);
  // Every changed file is staged and renamed into place only once all were fetched (a rename, never a
  // rewrite in place: hard links to the previous copy keep it); a refusal or an error leaves nothing.
  const batch = new FileBatch(dir);
  const taken = new Set<string>();
  let done = 0;
  opts.onItem?.(0, tasks.length);
  try {
    await runLimited(tasks, opts.concurrency, async (t) => {
      let xml: string;
      try {
        xml = await t.fetch();
      } catch (err) {
        result.failed.push({ name: t.entry.name, error: errorText(err) });
        opts.onItem?.(++done, tasks.length);
        return;
      }
      const file = path.join(dir, t.entry.file);
      const previous = readOrUndefined(file);
      if (foreignAtOurPaths.has(t.entry.file)) {
        if (previous === xml) taken.add(t.entry.file);
        else differing.push(t.entry.file);
      }
      if (previous === xml) result.unchanged++;
      else {
        writing(path.dirname(file), () => batch.mkdirs(path.dirname(file)));
        writing(file, () => batch.stage(file, xml));
        result.written++;
      }
      entries.push(t.entry);
      opts.onItem?.(++done, tasks.length);
    });
    if (differing.length) throw notOurs(dir, differing);
  } catch (err) {
    batch.abort();
    throw err;
  }
  // Mirror: drop files of items Jenkins no longer has (never those that failed this time), and only
  // files this backup wrote before (its manifest).
  // Guard: a listing that suddenly shows far fewer items (permissions, a half-started Jenkins)
  // must not empty the backup: more than 10 files and more than half of them is refused.
  const ownExisting = existing.filter((rel) => own.has(rel));
  const stale = ownExisting.filter((rel) => !expected.has(rel));
  if (!opts.allowMassRemove && stale.length > 10 && stale.length * 2 > ownExisting.length) {
    result.keptStale = stale.length;
    stale.length = 0;
  }
  // The manifest names the new files before they land, so a run killed meanwhile leaves only files it knows as its own.
  const listed = new Set([...own, ...entries.map((e) => e.file), ...taken]);
  const manifestFile = path.join(dir, BACKUP_MANIFEST);
  const writeManifest = (files: Set<string>): void => {
    const text = manifestText(files, opts.source ?? manifest.source, names);
    if (readOrUndefined(manifestFile) === text) return;
    const m = new FileBatch(dir);
    writing(manifestFile, () => {
      m.stage(manifestFile, text);
      m.commit();
    });
  };
  try {
    writeManifest(listed);
  } catch (err) {
    batch.abort();
    throw err;
  }
  writing(dir, () => batch.commit());
  for (const rel of stale) {
    await rm(path.join(dir, rel), { force: true });
    listed.delete(rel);
    result.removed++;
    result.removedFiles.push(rel);
    await pruneEmptyDirs(dir, path.posix.dirname(rel));
  }
  // Entries of files that are gone (removed by hand) are dropped too.
  const onDisk = new Set(existing);
  for (const rel of own) if (!expected.has(rel) && !onDisk.has(rel)) listed.delete(rel);
  writeManifest(listed);
  entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  result.failed.sort((a, b) => (a.name < b.name ? -1 : 1));
  return result;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Layout files in the backup directory that this backup did not write: bad input naming them, nothing written. */
function notOurs(dir: string, rels: readonly string[]): InputError {
  const sorted = [...rels].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const shown = sorted.slice(0, 20).map((r) => `  ${path.join(dir, r)}: exists, and backup did not write it (it is not in ${BACKUP_MANIFEST})`);
  if (sorted.length > 20) shown.push(`  ... and ${sorted.length - 20} more`);
  return new InputError(
    `cannot back up into ${dir}: ${sorted.length} file(s) of a JENKINS_HOME layout there were not written by this backup:\n${shown.join('\n')}\n` +
      `backup replaces and removes only the files it wrote (listed in ${BACKUP_MANIFEST}): back up into a new or empty directory, or move these away; nothing written`,
  );
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
