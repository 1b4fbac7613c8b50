/**
 * Write a DesiredState as a JENKINS_HOME layout:
 *   <out>/jobs/<name>/config.xml
 *   <out>/jobs/<folder>/config.xml, <out>/jobs/<folder>/jobs/<name>/config.xml
 *
 * Incremental: `<out>/.jobsmith-render.json` records the files the last render wrote and their hashes.
 * A file whose hash is unchanged (and whose size on disk still matches) is not rewritten; a file the
 * last render wrote that is no longer desired is removed (with its directory, when empty). Files
 * jobsmith did not write are never touched.
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

export const MANIFEST_FILE = '.jobsmith-render.json';

export interface WriteResult {
  written: string[];
  unchanged: number;
  removed: string[];
}

interface Manifest {
  format: 'jobsmith-render';
  version: 1;
  files: Record<string, string>;
}

/** Relative path of an item's config.xml in JENKINS_HOME. */
export function configPath(fullName: string): string {
  return 'jobs/' + fullName.split('/').join('/jobs/') + '/config.xml';
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

export interface WriteOptions {
  /** The config of a job whose `config` was dropped (''): rendered again when it is written. */
  configOf?: (job: DesiredJob) => string;
}

/** A manifest entry that may be removed: `jobs/<...>/config.xml`, no `.`/`..`/empty segment, inside `<out>/jobs`. */
export function isOwnManifestEntry(out: string, rel: string): boolean {
  if (typeof rel !== 'string' || !rel.startsWith('jobs/') || !rel.endsWith('/config.xml')) return false;
  if (rel.includes('\\') || rel.includes('\u0000') || path.isAbsolute(rel)) return false;
  for (const seg of rel.split('/')) if (seg === '' || seg === '.' || seg === '..') return false;
  const jobsDir = path.resolve(out, 'jobs');
  return path.resolve(out, rel).startsWith(jobsDir + path.sep);
}

export function writeJenkinsHome(out: string, desired: DesiredState, opts: WriteOptions = {}): WriteResult {
  // A fresh output directory needs no comparing at all.
  const fresh = !fs.existsSync(out);
  const previous = fresh ? {} : readManifest(out);
  const next: Record<string, string> = {};
  const result: WriteResult = { written: [], unchanged: 0, removed: [] };
  const madeDirs = new Set<string>();
  const files: Array<{ rel: string; config: string; hash: string; job?: DesiredJob }> = [];
  for (const f of desired.folders) files.push({ rel: configPath(f.fullName), config: f.config, hash: sha256(f.config) });
  for (const j of desired.jobs) files.push({ rel: configPath(j.fullName), config: j.config, hash: j.hash, job: j });
  const configOf = opts.configOf;

  for (const f of files) {
    next[f.rel] = f.hash;
    const abs = path.join(out, f.rel);
    // Produced here, one at a time, when the caller did not keep the configs.
    if (configOf && f.job && f.config === '') f.config = configOf(f.job);
    if (previous[f.rel] === f.hash) {
      const size = statSize(abs);
      if (size === Buffer.byteLength(f.config, 'utf8')) {
        result.unchanged++;
        f.config = '';
        continue;
      }
    } else if (!fresh && previous[f.rel] === undefined) {
      // Not written by us last time: skip the write when the bytes are already there.
      const existing = readOrUndefined(abs);
      if (existing !== undefined && existing === f.config) {
        result.unchanged++;
        f.config = '';
        continue;
      }
    }
    const dir = path.dirname(abs);
    if (!madeDirs.has(dir)) {
      const parent = path.dirname(dir);
      if (fresh && madeDirs.has(parent)) fs.mkdirSync(dir);
      else fs.mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
    fs.writeFileSync(abs, f.config);
    result.written.push(f.rel);
    f.config = '';
  }
  for (const rel of Object.keys(previous).sort()) {
    if (Object.hasOwn(next, rel)) continue;
    if (!isOwnManifestEntry(out, rel)) continue;
    const abs = path.join(out, rel);
    try {
      fs.unlinkSync(abs);
      result.removed.push(rel);
    } catch {
      // Already gone.
    }
    removeEmptyDirs(path.dirname(abs), path.join(out, 'jobs'));
  }
  const manifest: Manifest = { format: 'jobsmith-render', version: 1, files: next };
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, MANIFEST_FILE), JSON.stringify(manifest) + '\n');
  return result;
}

function statSize(abs: string): number | undefined {
  try {
    return fs.statSync(abs).size;
  } catch {
    return undefined;
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
