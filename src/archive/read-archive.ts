/**
 * Reading an archive for people: the entries of one job, a build from the newest entry that has
 * it, a whole small file. Shared by `jobsmith archive` and the `/archive` pages.
 */
import type { ArchiveFile, ArchiveStore, ArchivedBuild, ArchivedJob } from '../model/archive-store.js';

/** Entries of a job (exact full name), newest first. */
export async function entriesOf(store: ArchiveStore, fullName: string): Promise<ArchivedJob[]> {
  return (await store.list()).filter((e) => e.fullName === fullName);
}

/** A build of a job: from the given entry, else from the newest entry that has it. */
export async function findBuild(store: ArchiveStore, fullName: string, number: number, entryId?: string): Promise<{ entry: ArchivedJob; build: ArchivedBuild } | undefined> {
  const entries = entryId !== undefined ? [await store.entry(entryId)].filter((e): e is ArchivedJob => e !== undefined && e.fullName === fullName) : await entriesOf(store, fullName);
  for (const entry of entries) {
    if (!entry.builds.some((b) => b.number === number)) continue;
    const build = await store.build(entry.id, number);
    if (build) return { entry, build };
  }
  return undefined;
}

/** A stored file read whole (at most `limit` bytes; undefined when absent or larger). */
export async function readWhole(store: ArchiveStore, id: string, file: ArchiveFile, limit = 256 * 1024 * 1024): Promise<Buffer | undefined> {
  const f = await store.open(id, file);
  if (!f) return undefined;
  if (f.size > limit) {
    // leave the stream unread: it is closed with its file handle
    for await (const _ of f.chunks) break;
    return undefined;
  }
  const parts: Buffer[] = [];
  for await (const c of f.chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

/** `1 min 5 sec`, `4.9 sec`, `120 ms` (like Jenkins shows durations). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${Math.round(s * 10) / 10} sec`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.floor(s % 60)} sec`;
  return `${Math.floor(m / 60)} hr ${m % 60} min`;
}

/** `2026-11-20 10:00:00 UTC`. */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '-';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}
