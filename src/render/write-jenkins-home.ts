/**
 * Write a DesiredState as a JENKINS_HOME layout:
 *   <out>/jobs/<name>/config.xml
 *   <out>/jobs/<folder>/config.xml, <out>/jobs/<folder>/jobs/<name>/config.xml
 *
 * Incremental: `<out>/.jobsmith-render.json` records the files the last render wrote and their hashes.
 * A file whose hash is unchanged (and whose size on disk still matches) is not rewritten; a file the
 * last render wrote that is no longer desired is removed (with its directory, when empty), except in
 * a partial render (`render --project`), which removes nothing.
 *
 * Render writes only into files its manifest says it wrote, or into paths that do not exist (a file
 * already holding exactly the rendered bytes is taken over). It never follows a symbolic link below
 * `<out>` (a linked job directory, config.xml or manifest). Anything else is refused, every such path
 * at once, before anything is written: the result's `refused` lists them and nothing changed. (How
 * the output tree is looked at and written, shared with backup: src/output/output-tree.ts.)
 *
 * The manifest is input like any other (it may have been edited or committed by someone else): an
 * entry is only ever removed when it is a `jobs/.../config.xml` path that stays inside `<out>/jobs`;
 * absolute paths, `..` segments and anything else are ignored.
 *
 * Memory: `opts.configOf` lets the caller hand over jobs without their config text (`config: ''`)
 * and produce each config only when it is written (render-and-write one job at a time).
 */
import { sha256 } from '../model/hash.js';
import fs from 'node:fs';
import path from 'node:path';
import type { DesiredJob, DesiredState } from '../model/desired-job.js';
import { FileBatch, makeDirs, outputDirProblem, OutputTree, OutputWriteError, removeStaleBatches, writing, type Where } from '../output/output-tree.js';
import { StagedTree, type ReadResult } from '../output/staged-tree.js';

export const MANIFEST_FILE = '.jobsmith-render.json';

export interface WriteResult {
  written: string[];
  unchanged: number;
  removed: string[];
  /** Paths render would have had to write or remove but may not; when any, nothing was written. */
  refused: RefusedPath[];
}

interface Manifest {
  format: 'jobsmith-render';
  version: 1;
  files: Record<string, string>;
}

/** Relative path of an item's config.xml in JENKINS_HOME. */
export function configPath(fullName: string): string {
  return 'jobs/' + (fullName.includes('/') ? fullName.split('/').join('/jobs/') : fullName) + '/config.xml';
}

function readManifest(out: string): Record<string, string> {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8')) as Manifest;
    if (m && m.format === 'jobsmith-render' && m.files && typeof m.files === 'object' && !Array.isArray(m.files)) return m.files;
  } catch {
    // No (or unreadable) manifest: every file is compared by content.
  }
  return {};
}

/**
 * The manifest's text for these files (unique paths) and hashes, in this order: what
 * `JSON.stringify({ format, version, files })` gives for the same entries, without building an
 * object of as many keys (render writes it for every job).
 */
export function manifestText(rels: readonly string[], hashes: readonly string[]): string {
  const parts: string[] = [];
  for (let i = 0; i < rels.length; i++) parts.push(JSON.stringify(rels[i]) + ':' + JSON.stringify(hashes[i]));
  return `{"format":"jobsmith-render","version":1,"files":{${parts.join(',')}}}\n`;
}

export interface WriteOptions {
  /** The config of a job whose `config` was dropped (''): rendered again when it is written. */
  configOf?: (job: DesiredJob) => string;
  /**
   * `desired` is only part of what the definitions render (`render --project`): files of earlier
   * renders that it does not hold are kept, on disk and in the manifest (a filter never removes
   * anything; the next full render removes what is no longer rendered).
   */
  partial?: boolean;
}

/** A manifest entry that may be removed: `jobs/<...>/config.xml`, no `.`/`..`/empty segment, inside `<out>/jobs`. */
export function isOwnManifestEntry(out: string, rel: string): boolean {
  if (typeof rel !== 'string' || !rel.startsWith('jobs/') || !rel.endsWith('/config.xml')) return false;
  if (rel.includes('\\') || rel.includes('\u0000') || path.isAbsolute(rel)) return false;
  for (const seg of rel.split('/')) if (seg === '' || seg === '.' || seg === '..') return false;
  const jobsDir = path.resolve(out, 'jobs');
  return path.resolve(out, rel).startsWith(jobsDir + path.sep);
}

/** A path render will not write, remove or read through, and why. */
export interface RefusedPath {
  /** The path as it would be written (`<out>/jobs/<name>/config.xml`). */
  path: string;
  reason: string;
}

export function writeJenkinsHome(out: string, desired: DesiredState, opts: WriteOptions = {}): WriteResult {
  const result: WriteResult = { written: [], unchanged: 0, removed: [], refused: [] };
  let outStat: fs.Stats | undefined;
  try {
    outStat = fs.statSync(out);
  } catch {
    /* a new output directory */
  }
  if (outStat && !outStat.isDirectory()) {
    result.refused.push({ path: out, reason: 'not a directory' });
    return result;
  }
  // A new output directory that cannot be created (a link to an unmounted share, a read-only volume).
  const problem = outStat ? undefined : outputDirProblem(out);
  if (problem) {
    result.refused.push({ path: out, reason: `cannot be created: ${problem}` });
    return result;
  }
  // A fresh output directory needs no comparing and no checking at all.
  const fresh = outStat === undefined;
  const tree = new OutputTree(out, 'render');
  const manifestAt: Where = fresh ? { kind: 'missing' } : tree.file(MANIFEST_FILE);
  if (manifestAt.kind === 'refused') result.refused.push({ path: path.join(out, MANIFEST_FILE), reason: manifestAt.reason });
  const previous = manifestAt.kind === 'present' ? readManifest(out) : {};
  const next: Record<string, string> = {};
  const madeDirs = new Set<string>();
  const files: Array<{ rel: string; config: string; hash: string; job?: DesiredJob; at?: Where; taken?: boolean }> = [];
  for (const f of desired.folders) files.push({ rel: configPath(f.fullName), config: f.config, hash: sha256(f.config) });
  for (const j of desired.jobs) files.push({ rel: configPath(j.fullName), config: j.config, hash: j.hash, job: j });
  const configOf = opts.configOf;
  const textOf = (f: (typeof files)[number]): string => {
    // Produced here, one at a time, when the caller did not keep the configs.
    if (configOf && f.job && f.config === '') f.config = configOf(f.job);
    return f.config;
  };
  if (opts.partial) for (const [rel, hash] of Object.entries(previous)) if (isOwnManifestEntry(out, rel) && typeof hash === 'string') next[rel] = hash;
  for (const f of files) next[f.rel] = f.hash;
  const shown = (abs: string): string => path.join(out, path.relative(path.resolve(out), abs));

  // 1. Look before writing anything: each path is new, or ours (in the manifest), or already holds exactly our bytes.
  if (!fresh) {
    for (const f of files) {
      const at = tree.file(f.rel);
      f.at = at;
      if (at.kind === 'refused') result.refused.push({ path: shown(at.path), reason: at.reason });
      else if (at.kind === 'present' && previous[f.rel] === undefined) {
        if (at.size === Buffer.byteLength(textOf(f), 'utf8') && readOrUndefined(path.join(out, f.rel)) === f.config) f.taken = true;
        else result.refused.push({ path: path.join(out, f.rel), reason: `exists, and render did not write it (it is not in ${MANIFEST_FILE})` });
      }
    }
    for (const rel of Object.keys(previous)) {
      if (Object.hasOwn(next, rel) || !isOwnManifestEntry(out, rel)) continue;
      const at = tree.file(rel);
      if (at.kind === 'refused') result.refused.push({ path: shown(at.path), reason: at.reason });
    }
  }
  if (result.refused.length) {
    const seen = new Set<string>();
    result.refused = result.refused.filter((r) => !seen.has(r.path) && seen.add(r.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return result;
  }

  // 2. Write: each changed file's new content is staged first (a FileBatch inside <out>, new
  // directories made as needed); only when all of it is written does the manifest name it and is it
  // renamed into place. A write that fails leaves nothing: the staged files and the directories
  // made go again. Files are replaced by a rename, never rewritten in place, so a hard link to one
  // (a `cp -al` snapshot) keeps its content.
  const batch = new FileBatch(out);
  if (!fresh) removeStaleBatches(out);
  try {
    for (const f of files) {
      const abs = path.join(out, f.rel);
      const config = textOf(f);
      // Ours and the same size: unchanged only when the bytes are too (a same-size edit is repaired).
      if (f.taken || (previous[f.rel] === f.hash && f.at?.kind === 'present' && f.at.size === Buffer.byteLength(config, 'utf8') && readOrUndefined(abs) === config)) {
        result.unchanged++;
        f.config = '';
        continue;
      }
      const dir = path.dirname(abs);
      if (!madeDirs.has(dir)) {
        writing(dir, () => batch.mkdirs(dir));
        // Every directory above it exists now too (up to <out>): the next job directory in the
        // same parent is one mkdir, not a stat of each level.
        for (let d = dir; d.length > out.length && !madeDirs.has(d); d = path.dirname(d)) madeDirs.add(d);
      }
      writing(abs, () => batch.stage(abs, config));
      result.written.push(f.rel);
      f.config = '';
    }
  } catch (err) {
    batch.abort();
    if (err instanceof OutputWriteError) throw new OutputWriteError(`${err.message}; nothing written`);
    throw err;
  }
  const gone = Object.keys(previous)
    .sort()
    .filter((rel) => !Object.hasOwn(next, rel) && isOwnManifestEntry(out, rel));
  const manifestFile = path.join(out, MANIFEST_FILE);
  const writeManifest = (entries: Record<string, string>): void => {
    const m = new FileBatch(out);
    writing(manifestFile, () => {
      m.stage(manifestFile, manifestText(Object.keys(entries), Object.values(entries)));
      m.commit();
    });
  };
  if (batch.size > 0) {
    // The manifest names the new files before they are renamed in: a run killed among the renames
    // leaves only files render knows as its own (compared by content, and rewritten, next time).
    const during = { ...next };
    for (const rel of gone) during[rel] = previous[rel]!;
    try {
      writeManifest(during);
    } catch (err) {
      batch.abort();
      throw err;
    }
    writing(out, () => batch.commit());
  }
  for (const rel of gone) {
    const abs = path.join(out, rel);
    try {
      fs.unlinkSync(abs);
      result.removed.push(rel);
    } catch {
      // Already gone.
    }
    removeEmptyDirs(path.dirname(abs), path.join(out, 'jobs'));
  }
  writing(out, () => makeDirs(out));
  writeManifest(next);
  return result;
}

/**
 * A NEW output directory written while the jobs are still being rendered: each job's config goes to
 * a writer thread as soon as it is rendered (`add`), into a staging directory that `publish` moves
 * into place once every check passed (see src/output/staged-tree.ts); `discard` leaves nothing. The
 * files, the manifest and the result are those writeJenkinsHome gives for a new directory.
 */
export class NewJenkinsHome {
  /** The jobs added, in order, and their paths. */
  private readonly added: DesiredJob[] = [];
  private readonly rels: string[] = [];

  private constructor(private readonly tree: StagedTree) {}

  /** For an output directory that does not exist yet (undefined otherwise: use writeJenkinsHome). */
  static open(out: string): NewJenkinsHome | undefined {
    if (outputDirProblem(out) !== undefined) return undefined;
    const tree = StagedTree.open(out);
    return tree ? new NewJenkinsHome(tree) : undefined;
  }

  /** Read input files on the writer thread, ahead of rendering (see StagedTree.readAhead; loadWorkspace's `readFiles`). */
  readAhead(files: readonly string[]): () => ReadResult | Promise<ReadResult> {
    return this.tree.readAhead(files);
  }

  /** A job of the coming DesiredState and its config (as rendered: the bytes that are written). */
  add(job: DesiredJob, config: string): void {
    const rel = configPath(job.fullName);
    this.added.push(job);
    this.rels.push(rel);
    this.tree.write(rel, config);
  }

  /**
   * Write the folders and the manifest, and publish: `desired` must hold exactly the jobs added.
   * Throws an OutputWriteError (nothing written) when a write failed or the output path was taken meanwhile.
   */
  async publish(desired: DesiredState): Promise<WriteResult> {
    const written: string[] = [];
    const hashes: string[] = [];
    const last: Array<{ rel: string; text: string }> = [];
    for (const f of desired.folders) {
      const rel = configPath(f.fullName);
      written.push(rel);
      hashes.push(sha256(f.config));
      last.push({ rel, text: f.config });
    }
    // The jobs added are the desired state's, in its order (the same objects), each at its own path.
    const folderRels = new Set(written);
    const problem =
      this.added.length !== desired.jobs.length
        ? `${this.added.length} job(s) added for ${desired.jobs.length} in the desired state`
        : desired.jobs.findIndex((j, i) => this.added[i] !== j) >= 0
          ? `job ${desired.jobs.find((j, i) => this.added[i] !== j)!.fullName} was not added as rendered`
          : written.length > 0 && this.rels.some((rel) => folderRels.has(rel))
            ? 'a folder and a job at the same path'
            : undefined;
    if (problem !== undefined) {
      await this.tree.discard();
      throw new Error(`NewJenkinsHome: ${problem}`);
    }
    for (let i = 0; i < this.added.length; i++) {
      written.push(this.rels[i]!);
      hashes.push(this.added[i]!.hash);
    }
    last.push({ rel: MANIFEST_FILE, text: manifestText(written, hashes) });
    await this.tree.publish(last);
    return { written, unchanged: 0, removed: [], refused: [] };
  }

  discard(): Promise<void> {
    return this.tree.discard();
  }

  /** discard at once, from a signal handler (see StagedTree.discardNow). */
  discardNow(): void {
    this.tree.discardNow();
  }
}

function readOrUndefined(abs: string): string | undefined {
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

function removeEmptyDirs(dir: string, stop: string): void {
  let d = dir;
  while (d.startsWith(stop) && d !== stop) {
    try {
      fs.rmdirSync(d);
    } catch {
      return;
    }
    d = path.dirname(d);
  }
}
