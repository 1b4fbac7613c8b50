/**
 * Write a DesiredState as a JENKINS_HOME layout:
 *   <out>/jobs/<name>/config.xml
 *   <out>/jobs/<folder>/config.xml, <out>/jobs/<folder>/jobs/<name>/config.xml
 *
 * Incremental: `<out>/.jobsmith-render.json` records the files the last render wrote and their hashes.
 * A file whose hash is unchanged (and whose size on disk still matches) is not rewritten; a file the
 * last render wrote that is no longer desired is removed (with its directory, when empty). Files
 * jobsmith did not write are never touched.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DesiredState } from '../model/desired-job.js';

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
    if (m && m.format === 'jobsmith-render' && m.files && typeof m.files === 'object') return m.files;
  } catch {
    // No (or unreadable) manifest: every file is compared by content.
  }
  return {};
}

export function writeJenkinsHome(out: string, desired: DesiredState): WriteResult {
  // A fresh output directory needs no comparing at all.
  const fresh = !fs.existsSync(out);
  const previous = fresh ? {} : readManifest(out);
  const next: Record<string, string> = {};
  const result: WriteResult = { written: [], unchanged: 0, removed: [] };
  const madeDirs = new Set<string>();
  const files: Array<{ rel: string; config: string; hash: string }> = [];
  for (const f of desired.folders) files.push({ rel: configPath(f.fullName), config: f.config, hash: sha256(f.config) });
  for (const j of desired.jobs) files.push({ rel: configPath(j.fullName), config: j.config, hash: j.hash });

  for (const f of files) {
    next[f.rel] = f.hash;
    const abs = path.join(out, f.rel);
    if (previous[f.rel] === f.hash) {
      const size = statSize(abs);
      if (size === Buffer.byteLength(f.config, 'utf8')) {
        result.unchanged++;
        continue;
      }
    } else if (!fresh && previous[f.rel] === undefined) {
      // Not written by us last time: skip the write when the bytes are already there.
      const existing = readOrUndefined(abs);
      if (existing !== undefined && existing === f.config) {
        result.unchanged++;
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
  }
  for (const rel of Object.keys(previous).sort()) {
    if (rel in next) continue;
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

function sha256(text: string): string {
  return 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex');
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
