/**
 * The definitions repository pins jobsmith like any Node tool: `package.json` names one exact
 * jobsmith and `package-lock.json` records what it resolved to (with its integrity), so the master
 * jobs run `npm ci` and then the locked `node_modules/.bin/jobsmith`. `jobsmith bootstrap --init`
 * writes both (npm resolves the lock, behind the `LockMaker` interface); `jobsmith bootstrap`
 * refuses to create master jobs for a repository without such a lock.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { PackagePin } from './package-spec.js';

/** Resolves `package.json` into `package-lock.json` in `dir` (npm install --package-lock-only). */
export interface LockMaker {
  lock(dir: string): Promise<void>;
}

export interface LockedJobsmith {
  version?: string;
  resolved?: string;
  integrity?: string;
}

export interface PinnedFile {
  /** Relative to the definitions directory. */
  file: string;
  action: 'created' | 'updated' | 'unchanged';
}

export type PinOutcome =
  | { kind: 'invalid'; message: string }
  | { kind: 'failed'; message: string }
  | { kind: 'done'; files: PinnedFile[]; locked: LockedJobsmith; dependency: string; /** A tarball inside the repository that package.json names: it must be committed too. */ tarball?: string };

const PACKAGE = 'package.json';
const LOCK = 'package-lock.json';
const IGNORE = '.gitignore';

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** npm's integrity string for a file: `sha512-<base64>`. */
export async function fileIntegrity(file: string): Promise<string> {
  return `sha512-${createHash('sha512').update(await fs.readFile(file)).digest('base64')}`;
}

/** The jobsmith entry of a package-lock.json text (lockfile v2/v3 `packages`, or v1 `dependencies`). */
export function lockedJobsmith(lockText: string | undefined): LockedJobsmith | undefined {
  if (lockText === undefined) return undefined;
  let lock: unknown;
  try {
    lock = JSON.parse(lockText);
  } catch {
    return undefined;
  }
  const l = lock as { packages?: Record<string, LockedJobsmith>; dependencies?: Record<string, LockedJobsmith & { from?: string }> };
  const entry = l.packages?.['node_modules/jobsmith'] ?? l.dependencies?.['jobsmith'];
  if (!entry || typeof entry !== 'object') return undefined;
  const out: LockedJobsmith = {};
  if (typeof entry.version === 'string') out.version = entry.version;
  if (typeof entry.resolved === 'string') out.resolved = entry.resolved;
  if (typeof entry.integrity === 'string') out.integrity = entry.integrity;
  return out;
}

/** Why a locked entry does not pin one build (undefined: it does). */
export function lockProblem(locked: LockedJobsmith | undefined): string | undefined {
  if (!locked) return 'has no jobsmith entry';
  if (locked.integrity) return undefined;
  if (locked.resolved && /#[0-9a-f]{40}(?:[0-9a-f]{24})?$/i.test(locked.resolved)) return undefined;
  return 'records jobsmith without an integrity or commit id';
}

/** Does the locked entry match the pin (so nothing needs resolving again)? */
function lockMatches(locked: LockedJobsmith | undefined, pin: PackagePin, integrity: string | undefined): boolean {
  if (!locked || lockProblem(locked)) return false;
  switch (pin.kind) {
    case 'version':
      return locked.version === pin.version && (pin.name === 'jobsmith' || (locked.resolved ?? '').includes(`/${pin.name.split('/').pop()}/-/`));
    case 'tarball':
      return integrity !== undefined && locked.integrity === integrity;
    case 'git':
      return (locked.resolved ?? '').toLowerCase().endsWith(`#${pin.commit}`);
  }
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Write `package.json` (jobsmith at the pinned spec; other entries kept), have npm resolve
 * `package-lock.json`, check the lock pins what was asked, and make git ignore `node_modules/`.
 * On any failure the two files are put back as they were.
 */
export async function pinJobsmith(req: { dir: string; pin: PackagePin; npm: LockMaker }): Promise<PinOutcome> {
  const dir = path.resolve(req.dir);
  const pkgFile = path.join(dir, PACKAGE);
  const lockFile = path.join(dir, LOCK);
  let pin = req.pin;
  let expectedIntegrity = pin.kind === 'tarball' ? pin.integrity : undefined;

  if (pin.kind === 'tarball' && pin.file !== undefined) {
    const abs = path.resolve(dir, pin.file);
    if (!isInside(dir, abs)) {
      return { kind: 'invalid', message: `the tarball ${pin.file} is outside the definitions repository ${dir}: copy it into the repository (and commit it), or give an https: URL` };
    }
    // The file itself must be in the repository: a symbolic link (or a linked directory on the way)
    // would be committed as a link that dangles on the agent that runs \`npm ci\`.
    const real = await fs.realpath(abs).catch(() => undefined);
    const realDir = await fs.realpath(dir).catch(() => dir);
    if (real !== undefined && real !== path.join(realDir, path.relative(dir, abs))) {
      const where = isInside(realDir, real) ? 'a symbolic link' : `a symbolic link to ${real}, outside the definitions repository`;
      return { kind: 'invalid', message: `the tarball ${pin.file} is ${where}: copy the file itself into the repository (and commit it), or give an https: URL` };
    }
    let actual: string;
    try {
      actual = await fileIntegrity(abs);
    } catch (err) {
      return { kind: 'invalid', message: `cannot read the tarball ${pin.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
    if (expectedIntegrity !== undefined && expectedIntegrity !== actual) {
      return { kind: 'invalid', message: `the tarball ${pin.file} does not match --package-integrity (its integrity is ${actual})` };
    }
    expectedIntegrity = actual;
    // package.json names the file relative to itself, with forward slashes, as npm writes it
    pin = { ...pin, dependency: `file:${path.relative(dir, abs).split(path.sep).join('/')}` };
  }

  const oldPkg = await readText(pkgFile);
  let pkg: Record<string, unknown> = { private: true };
  if (oldPkg !== undefined) {
    try {
      const parsed: unknown = JSON.parse(oldPkg);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      pkg = parsed as Record<string, unknown>;
    } catch (err) {
      return { kind: 'invalid', message: `${PACKAGE} is not a JSON object (${(err as Error).message}); fix or remove it` };
    }
  }
  const deps = { ...((pkg['dependencies'] as Record<string, string> | undefined) ?? {}) };
  deps['jobsmith'] = pin.dependency;
  pkg['dependencies'] = Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
  const dev = pkg['devDependencies'] as Record<string, string> | undefined;
  if (dev && 'jobsmith' in dev) {
    const { jobsmith: _drop, ...rest } = dev;
    void _drop;
    pkg['devDependencies'] = rest;
  }
  const newPkg = JSON.stringify(pkg, null, 2) + '\n';
  const oldLock = await readText(lockFile);

  const files: PinnedFile[] = [];
  let locked = lockedJobsmith(oldLock);
  if (newPkg === oldPkg && lockMatches(locked, pin, expectedIntegrity)) {
    files.push({ file: PACKAGE, action: 'unchanged' }, { file: LOCK, action: 'unchanged' });
  } else {
    const restore = async (): Promise<void> => {
      if (oldPkg === undefined) await fs.rm(pkgFile, { force: true });
      else await fs.writeFile(pkgFile, oldPkg);
      if (oldLock === undefined) await fs.rm(lockFile, { force: true });
      else await fs.writeFile(lockFile, oldLock);
    };
    await fs.writeFile(pkgFile, newPkg);
    try {
      await req.npm.lock(dir);
    } catch (err) {
      await restore();
      return { kind: 'failed', message: `npm could not resolve ${pin.dependency}: ${(err as Error).message}. ${PACKAGE} and ${LOCK} are as they were.` };
    }
    const lockText = await readText(lockFile);
    locked = lockedJobsmith(lockText);
    const problem = lockProblem(locked);
    if (problem || !locked) {
      await restore();
      return { kind: 'failed', message: `npm wrote a ${LOCK} that ${problem ?? 'has no jobsmith entry'}; ${PACKAGE} and ${LOCK} are as they were` };
    }
    if (expectedIntegrity !== undefined && locked.integrity !== expectedIntegrity) {
      await restore();
      return { kind: 'invalid', message: `the tarball npm fetched does not match --package-integrity (npm recorded ${locked.integrity}); nothing was changed` };
    }
    if (pin.kind === 'version' && locked.version !== pin.version) {
      await restore();
      return { kind: 'failed', message: `npm locked jobsmith ${locked.version ?? '(no version)'} instead of ${pin.version}; nothing was changed` };
    }
    files.push({ file: PACKAGE, action: oldPkg === undefined ? 'created' : newPkg === oldPkg ? 'unchanged' : 'updated' });
    files.push({ file: LOCK, action: oldLock === undefined ? 'created' : lockText === oldLock ? 'unchanged' : 'updated' });
  }

  // node_modules/ (what npm ci installs in the job's workspace) never belongs in the repository.
  const ignoreFile = path.join(dir, IGNORE);
  const oldIgnore = await readText(ignoreFile);
  const ignored = (oldIgnore ?? '').split(/\r?\n/).some((l) => /^\/?node_modules\/?$/.test(l.trim()));
  if (ignored) files.push({ file: IGNORE, action: 'unchanged' });
  else {
    const text = (oldIgnore === undefined || oldIgnore === '' || oldIgnore.endsWith('\n') ? oldIgnore ?? '' : oldIgnore + '\n') + 'node_modules/\n';
    await fs.writeFile(ignoreFile, text);
    files.push({ file: IGNORE, action: oldIgnore === undefined ? 'created' : 'updated' });
  }
  const tarball = pin.kind === 'tarball' && pin.dependency.startsWith('file:') ? pin.dependency.slice('file:'.length) : undefined;
  return { kind: 'done', files, locked: locked!, dependency: pin.dependency, ...(tarball !== undefined ? { tarball } : {}) };
}

/** Does the definitions directory pin jobsmith (for the master jobs' `npm ci`)? A problem, or undefined. */
export async function checkPinned(dir: string): Promise<{ problem?: string; locked?: LockedJobsmith }> {
  const abs = path.resolve(dir);
  const pkgText = await readText(path.join(abs, PACKAGE));
  if (pkgText === undefined) return { problem: `${path.join(dir, PACKAGE)} does not exist` };
  let dependency: unknown;
  try {
    const pkg = JSON.parse(pkgText) as { dependencies?: Record<string, unknown>; devDependencies?: Record<string, unknown> };
    dependency = pkg.dependencies?.['jobsmith'] ?? pkg.devDependencies?.['jobsmith'];
  } catch {
    return { problem: `${path.join(dir, PACKAGE)} is not valid JSON` };
  }
  if (typeof dependency !== 'string') return { problem: `${path.join(dir, PACKAGE)} does not depend on jobsmith` };
  const lockText = await readText(path.join(abs, LOCK));
  if (lockText === undefined) return { problem: `${path.join(dir, LOCK)} does not exist` };
  const locked = lockedJobsmith(lockText);
  const problem = lockProblem(locked);
  if (problem) return { problem: `${path.join(dir, LOCK)} ${problem}` };
  return { ...(locked ? { locked } : {}) };
}
