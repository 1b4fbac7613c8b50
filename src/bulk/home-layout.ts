import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * Where configs live in a JENKINS_HOME-layout directory:
 *   jobs/<a>/config.xml, jobs/<a>/jobs/<b>/config.xml      jobs and folders (nested)
 *   views/<view>.xml                                        root views
 *   jobs/<folder>/views/<view>.xml                          views inside a folder
 * (Jenkins itself keeps views inside the parent's config.xml; one file per view is easier to
 * diff and restore.) Job names cannot contain `/`; any name that would escape the directory
 * (`.`/`..`) is refused.
 *
 * A name that cannot be a file name as it is gets an escaped one, `#` and 32 hex digits of its
 * SHA-256 (`#` is one of the characters Jenkins forbids in item and view names, so no real name
 * looks like that): a name longer than 251 bytes (a file name has at most 255, and a view's file
 * adds `.xml`), and `.git` in any case (git refuses every path through a directory of that name).
 * Whoever writes such a path records the name it stands for (see escapedNames); a reader maps it
 * back.
 */
export const MAX_NAME_BYTES = 251;

export function needsEscape(name: string): boolean {
  return Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES || name.toLowerCase() === '.git';
}

export function isEscapedSegment(seg: string): boolean {
  return /^#[0-9a-f]{32}$/.test(seg);
}

/** The file name for one name (an item's or a view's), escaped when needed. */
export function fileSegment(name: string): string {
  return needsEscape(name) ? '#' + createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 32) : name;
}

/** The escaped segments of these names, each with the name it stands for. */
export function escapedNames(names: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of names) if (needsEscape(n)) out.set(fileSegment(n), n);
  return out;
}

export function jobConfigPath(fullName: string): string {
  const segs = fullName.split('/');
  for (const s of segs) if (s === '' || s === '.' || s === '..') throw new Error(`unsafe job name: ${fullName}`);
  return path.posix.join(...segs.flatMap((s) => ['jobs', fileSegment(s)]), 'config.xml');
}

export function viewConfigPath(name: string, folder: readonly string[]): string {
  for (const s of [...folder, name]) if (s === '' || s === '.' || s === '..' || s.includes('/')) throw new Error(`unsafe view name: ${[...folder, name].join('/')}`);
  return path.posix.join(...folder.flatMap((s) => ['jobs', fileSegment(s)]), 'views', `${fileSegment(name)}.xml`);
}

/**
 * The inverse of jobConfigPath / viewConfigPath for a relative posix path, or undefined. Escaped
 * segments are mapped back with `names` (escapedNames); one it does not know stays as it is.
 */
export function parseHomePath(rel: string, names?: ReadonlyMap<string, string>): { kind: 'job'; fullName: string } | { kind: 'view'; name: string; folder: string[] } | undefined {
  const segs = rel.split('/');
  const real = (seg: string): string => names?.get(seg) ?? seg;
  const out: string[] = [];
  let i = 0;
  while (i + 1 < segs.length && segs[i] === 'jobs') {
    out.push(real(segs[i + 1]!));
    i += 2;
    if (segs[i] === 'config.xml' && i === segs.length - 1) return { kind: 'job', fullName: out.join('/') };
  }
  if (segs[i] === 'views' && i === segs.length - 2 && segs[i + 1]!.endsWith('.xml')) {
    return { kind: 'view', name: real(segs[i + 1]!.slice(0, -4)), folder: out };
  }
  return undefined;
}

/** The escaped segments of a layout path that `names` does not map back (a damaged or missing manifest). */
export function unknownEscapes(rel: string, names: ReadonlyMap<string, string>): string[] {
  return rel
    .split('/')
    .map((s) => (s.endsWith('.xml') ? s.slice(0, -4) : s))
    .filter((s) => isEscapedSegment(s) && !names.has(s));
}
