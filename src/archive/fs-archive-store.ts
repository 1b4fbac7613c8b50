/**
 * The archive as plain files in a directory (any volume: local disk, NFS, a mounted bucket):
 *
 *   <dir>/jobsmith-archive.json                      {"format":"jobsmith-archive","version":1}
 *   <dir>/jobs/<key>/<stamp>/job.json                the archived job (ArchivedJob)
 *   <dir>/jobs/<key>/<stamp>/config.xml              its last config.xml (marker included)
 *   <dir>/jobs/<key>/<stamp>/builds/<N>/build.json   one build (ArchivedBuild)
 *   <dir>/jobs/<key>/<stamp>/builds/<N>/log.txt      its console log, as Jenkins served it
 *   <dir>/jobs/<key>/<stamp>/builds/<N>/test-report.json   testReport/api/json, when it had one
 *   <dir>/jobs/<key>/<stamp>/builds/<N>/artifacts.zip      artifact/*zip* + /archive.zip, when copied
 *
 * `<key>` is the job's full name percent-encoded into one safe directory name (`team%2Fpay-x`);
 * long names are cut and end in a hash. `<stamp>` is the archiving time plus a random suffix
 * (`20261120T100000.123Z-3fa9c1`). An entry is written under `.<stamp>.partial` and renamed into
 * place when complete, so readers never see half an entry. Entry ids (`<key>/<stamp>`) from
 * outside are checked against these shapes before any path is built: nothing outside `<dir>` is
 * ever read or written.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsc, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { RelicKind, RelicWriter } from '../model/build-relics.js';
import { ARCHIVE_FORMAT_VERSION, type ArchiveEntryWriter, type ArchiveFile, type ArchiveStore, type ArchivedBuild, type ArchivedJob } from '../model/archive-store.js';

const KEY_RE = /^[A-Za-z0-9_~%-][A-Za-z0-9._~%-]{0,199}$/;
const STAMP_RE = /^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}$/;
const MAX_KEY = 160;

export const RELIC_FILES: Record<RelicKind, string> = { console: 'log.txt', 'test-report': 'test-report.json', artifacts: 'artifacts.zip' };

/** One safe directory name for a job's full name (reversible for short names; job.json has the name anyway). */
export function archiveKey(fullName: string): string {
  let key = '';
  for (const b of Buffer.from(fullName, 'utf8')) {
    const c = String.fromCharCode(b);
    key += /[A-Za-z0-9._~-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (key.startsWith('.')) key = '%2E' + key.slice(1);
  // an empty name: '%' alone, which no name encodes to ('%' always starts a %XX escape; "\0" is %00)
  if (key === '') key = '%';
  if (key.length > MAX_KEY) {
    let cut = key.slice(0, MAX_KEY - 18);
    cut = cut.replace(/%[0-9A-F]?$/, '');
    key = `${cut}~${createHash('sha256').update(fullName, 'utf8').digest('hex').slice(0, 16)}`;
  }
  return key;
}

function stampOf(at: Date): string {
  const iso = at.toISOString(); // 2026-11-20T10:00:00.123Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 23)}Z-${randomBytes(3).toString('hex')}`;
}

/** `<key>/<stamp>` split and checked, or undefined when the id is not one this store makes. */
export function parseEntryId(id: string): { key: string; stamp: string } | undefined {
  const parts = id.split('/');
  if (parts.length !== 2) return undefined;
  const [key, stamp] = parts as [string, string];
  return KEY_RE.test(key) && STAMP_RE.test(stamp) ? { key, stamp } : undefined;
}

function validBuildNumber(n: number): boolean {
  return Number.isInteger(n) && n > 0 && n < 1e10;
}

function isJob(v: unknown): v is ArchivedJob {
  const j = v as Partial<ArchivedJob> | null;
  return !!j && j.format === 'jobsmith-archived-job' && typeof j.fullName === 'string' && typeof j.archivedAt === 'string' && Array.isArray(j.builds);
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await fsp.writeFile(file, JSON.stringify(value, null, 1) + '\n', { flag: 'wx' });
}

/** Read a regular file (never through a symbolic link). */
async function readRegular(file: string): Promise<string | undefined> {
  try {
    const fh = await fsp.open(file, fsc.O_RDONLY | fsc.O_NOFOLLOW);
    try {
      if (!(await fh.stat()).isFile()) return undefined;
      return await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}

export class FsArchiveStore implements ArchiveStore {
  readonly location: string;
  constructor(readonly dir: string) {
    this.location = path.resolve(dir);
  }

  private jobsDir(): string {
    return path.join(this.location, 'jobs');
  }
  private entryDir(key: string, stamp: string): string {
    return path.join(this.jobsDir(), key, stamp);
  }

  async begin(fullName: string, at: Date): Promise<ArchiveEntryWriter> {
    await fsp.mkdir(this.location, { recursive: true });
    const marker = path.join(this.location, 'jobsmith-archive.json');
    try {
      await writeJson(marker, { format: 'jobsmith-archive', version: ARCHIVE_FORMAT_VERSION });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const key = archiveKey(fullName);
    const stamp = stampOf(at);
    const keyDir = path.join(this.jobsDir(), key);
    const partial = path.join(keyDir, `.${stamp}.partial`);
    await fsp.mkdir(partial, { recursive: true });
    await this.sweepPartials(keyDir, partial);
    const id = `${key}/${stamp}`;
    const buildDir = async (n: number): Promise<string> => {
      if (!validBuildNumber(n)) throw new Error(`not a build number: ${n}`);
      const d = path.join(partial, 'builds', String(n));
      await fsp.mkdir(d, { recursive: true });
      return d;
    };
    let done = false;
    return {
      id,
      putConfig: (xml) => fsp.writeFile(path.join(partial, 'config.xml'), xml, { flag: 'wx' }),
      relicWriter: async (n, kind): Promise<RelicWriter> => {
        const file = path.join(await buildDir(n), RELIC_FILES[kind]);
        const fh = await fsp.open(file, 'w');
        let closed = false;
        const close = async (): Promise<void> => {
          if (!closed) {
            closed = true;
            await fh.close();
          }
        };
        return {
          write: async (chunk) => {
            await fh.write(chunk);
          },
          close,
          abort: async () => {
            await close().catch(() => undefined);
            await fsp.rm(file, { force: true });
          },
        };
      },
      putBuild: async (record) => writeJson(path.join(await buildDir(record.number), 'build.json'), record),
      commit: async (record) => {
        const job: ArchivedJob = { format: 'jobsmith-archived-job', version: 1, id, ...record };
        await writeJson(path.join(partial, 'job.json'), job);
        await fsp.rename(partial, this.entryDir(key, stamp));
        done = true;
        return job;
      },
      abort: async () => {
        if (!done) await fsp.rm(partial, { recursive: true, force: true });
      },
    };
  }

  /** Remove entries left half-written by a run that was killed (older than a day: no run archives a job that long). */
  private async sweepPartials(keyDir: string, mine: string): Promise<void> {
    let names: string[];
    try {
      names = await fsp.readdir(keyDir);
    } catch {
      return;
    }
    const dayAgo = Date.now() - 86_400_000;
    for (const n of names) {
      const p = path.join(keyDir, n);
      if (p === mine || !/^\.\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}\.partial$/.test(n)) continue;
      try {
        if ((await fsp.lstat(p)).mtimeMs < dayAgo) await fsp.rm(p, { recursive: true, force: true });
      } catch {
        // gone already, or not ours to remove
      }
    }
  }

  where(id: string): string {
    const p = parseEntryId(id);
    return p ? this.entryDir(p.key, p.stamp) : this.location;
  }

  /** The directory exists and was made by jobsmith (it holds jobsmith-archive.json). */
  async exists(): Promise<boolean> {
    return (await readRegular(path.join(this.location, 'jobsmith-archive.json'))) !== undefined;
  }

  async list(): Promise<ArchivedJob[]> {
    let keys: string[];
    try {
      keys = await fsp.readdir(this.jobsDir());
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: ArchivedJob[] = [];
    for (const key of keys.filter((k) => KEY_RE.test(k))) {
      let stamps: string[];
      try {
        stamps = await fsp.readdir(path.join(this.jobsDir(), key));
      } catch {
        continue;
      }
      for (const stamp of stamps.filter((s) => STAMP_RE.test(s))) {
        const j = await this.entry(`${key}/${stamp}`);
        if (j) out.push(j);
      }
    }
    return out.sort((a, b) => (a.archivedAt < b.archivedAt ? 1 : a.archivedAt > b.archivedAt ? -1 : a.id < b.id ? 1 : -1));
  }

  async entry(id: string): Promise<ArchivedJob | undefined> {
    const p = parseEntryId(id);
    if (!p) return undefined;
    const text = await readRegular(path.join(this.entryDir(p.key, p.stamp), 'job.json'));
    if (text === undefined) return undefined;
    try {
      const j = JSON.parse(text) as unknown;
      // the id is where the entry is, whatever the file says
      return isJob(j) ? { ...j, id } : undefined;
    } catch {
      return undefined;
    }
  }

  async build(id: string, number: number): Promise<ArchivedBuild | undefined> {
    const p = parseEntryId(id);
    if (!p || !validBuildNumber(number)) return undefined;
    const text = await readRegular(path.join(this.entryDir(p.key, p.stamp), 'builds', String(number), 'build.json'));
    if (text === undefined) return undefined;
    try {
      const b = JSON.parse(text) as ArchivedBuild;
      return b && b.format === 'jobsmith-archived-build' && b.number === number ? b : undefined;
    } catch {
      return undefined;
    }
  }

  async open(id: string, file: ArchiveFile): Promise<{ size: number; chunks: AsyncIterable<Uint8Array> } | undefined> {
    const p = parseEntryId(id);
    if (!p) return undefined;
    let full: string;
    if (file.kind === 'config') full = path.join(this.entryDir(p.key, p.stamp), 'config.xml');
    else {
      if (!validBuildNumber(file.build)) return undefined;
      full = path.join(this.entryDir(p.key, p.stamp), 'builds', String(file.build), RELIC_FILES[file.kind]);
    }
    let fh: FileHandle;
    try {
      fh = await fsp.open(full, fsc.O_RDONLY | fsc.O_NOFOLLOW);
    } catch {
      return undefined;
    }
    const st = await fh.stat();
    if (!st.isFile()) {
      await fh.close();
      return undefined;
    }
    const stream = fh.createReadStream();
    return { size: st.size, chunks: stream as AsyncIterable<Uint8Array> };
  }
}
