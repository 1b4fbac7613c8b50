/**
 * The one home of output-path safety, shared by every command that writes a tree of files into a
 * directory the user names (render `--out`, backup `--out` / `--git`):
 *
 * - below the named directory nothing is followed through a symbolic link: a linked directory on
 *   the way, a linked file (dangling or not), or something that is not a directory / regular file
 *   is reported (`OutputTree.file`), so the caller can refuse every such path before it writes;
 * - files are written with O_NOFOLLOW (`writeNoFollow`), directories created one level at a time
 *   (`makeDirs`: Node's recursive mkdir never returns below /proc and similar file systems);
 * - a directory that cannot be created or used (a dangling link to an unmounted share, a file in
 *   the way, a read-only or virtual file system) is a plain reason (`outputDirProblem`), and a
 *   write that still fails is bad input naming the path (`OutputWriteError`, exit 1), never an
 *   internal error.
 *
 * The named directory itself may be a symbolic link (the user chose it); only what is below it is
 * looked at without following links.
 *
 * A NEW output directory can instead be written from a second thread into a staging directory that
 * is renamed into place at the end, with the same rules (staged-tree.ts: render does this).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../model/errors.js';

export type Where = { kind: 'missing' } | { kind: 'present'; size: number } | { kind: 'refused'; path: string; reason: string };

/** The reason given for a symbolic link below the output directory; `who` is the command ("render", "backup"). */
export function linkReason(who: string): string {
  return `a symbolic link (${who} never writes through one)`;
}

/** A write below an output directory failed (permissions, a full or read-only volume): bad input naming the path. */
export class OutputWriteError extends InputError {
  override name = 'OutputWriteError';
}

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Run a file-system step below an output directory; an errno failure becomes an OutputWriteError naming `what`. */
export function writing<T>(what: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    const code = errnoCode(err);
    if (code === undefined) throw err;
    throw new OutputWriteError(`cannot write ${what} (${code})`);
  }
}

/** What is on disk below `root`, looked at without following links (each directory once). */
export class OutputTree {
  private readonly dirs = new Map<string, Where>();
  private readonly root: string;
  private readonly link: string;

  constructor(root: string, who: string) {
    this.root = path.resolve(root);
    this.link = linkReason(who);
  }

  private lstat(abs: string): fs.Stats | undefined {
    try {
      return fs.lstatSync(abs);
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw err;
    }
  }

  private dir(abs: string): Where {
    let w = this.dirs.get(abs);
    if (w) return w;
    const parent = path.dirname(abs);
    const above = parent.length > this.root.length ? this.dir(parent) : undefined;
    if (above && above.kind !== 'present') w = above;
    else {
      const st = this.lstat(abs);
      if (!st) w = { kind: 'missing' };
      else if (st.isSymbolicLink()) w = { kind: 'refused', path: abs, reason: this.link };
      else if (!st.isDirectory()) w = { kind: 'refused', path: abs, reason: 'not a directory' };
      else w = { kind: 'present', size: 0 };
    }
    this.dirs.set(abs, w);
    return w;
  }

  /** The file at `rel` below the root: missing, present (a regular file), or refused (a link on the way, or not a file). */
  file(rel: string): Where {
    const abs = path.join(this.root, rel);
    const parent = path.dirname(abs);
    if (parent.length > this.root.length) {
      const d = this.dir(parent);
      if (d.kind !== 'present') return d;
    }
    const st = this.lstat(abs);
    if (!st) return { kind: 'missing' };
    if (st.isSymbolicLink()) return { kind: 'refused', path: abs, reason: this.link };
    if (!st.isFile()) return { kind: 'refused', path: abs, reason: 'not a regular file' };
    return { kind: 'present', size: st.size };
  }
}

/** Write flags that never follow a symbolic link at the file itself. */
export const WRITE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | (fs.constants.O_NOFOLLOW ?? 0);

/**
 * writeFileSync with open(2) flags as a number (Node accepts them; its types say string): one call,
 * Node's fast path for UTF-8 text (open + write + close in one go, as fast as a plain write).
 */
const NO_FOLLOW = { encoding: 'utf8', mode: 0o666, flag: WRITE_FLAGS } as unknown as fs.WriteFileOptions;

/**
 * Write `text` to `file`, never through a symbolic link at `file` (ELOOP instead). Only for a file
 * that did not exist (O_TRUNC writes through every hard link of an existing one): replace files
 * with FileBatch.
 */
export function writeNoFollow(file: string, text: string): void {
  fs.writeFileSync(file, text, NO_FOLLOW);
}

/** Flags of a temporary file: a new file only (never one already there, never through a link). */
const NEW_FILE = { encoding: 'utf8', mode: 0o666, flag: fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0) } as unknown as fs.WriteFileOptions;

/** A staging directory of FileBatch, by its name: `.jobsmith-tmp-<pid>-<hex>`, directly in the output directory. */
export const BATCH_DIR = /^\.jobsmith-tmp-(\d+)-[0-9a-f]+$/;

/** Whether the process `pid` is alive on this machine (EPERM: alive, someone else's). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}

/**
 * Remove the directories in `root` whose names match `pattern` (its first group: the pid of the
 * process that made them) when that process is gone (a kill -9, a power cut), or, with `own`, this
 * process' own ones (a signal handler about to exit). The one sweep of every staging kind.
 */
export function removeDeadProcessDirs(root: string, pattern: RegExp, own = false): void {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return;
  }
  for (const n of names) {
    const m = pattern.exec(n);
    if (!m) continue;
    const pid = Number(m[1]);
    if (own ? pid !== process.pid : processAlive(pid)) continue;
    try {
      if (fs.lstatSync(path.join(root, n)).isDirectory()) fs.rmSync(path.join(root, n), { recursive: true, force: true });
    } catch {
      /* gone meanwhile */
    }
  }
}

/** Remove FileBatch staging directories in `root` left by processes that are gone, or all of this process' own when `own`. */
export function removeStaleBatches(root: string, own = false): void {
  removeDeadProcessDirs(root, BATCH_DIR, own);
}

/**
 * Files replaced as a whole, all or none: `stage` writes each new content into a staging directory
 * inside the output directory (`<root>/.jobsmith-tmp-<pid>-<random>/`, so on the same file system),
 * and `commit` renames them over their paths. An existing file is never opened for writing, so its
 * other names (hard links: a `cp -al` snapshot of the directory) keep their content, and no file is
 * ever seen half-written. `abort` (a failed write, bad input found late) removes the staging
 * directory and every directory `mkdirs` made: nothing changed. A process killed outright leaves
 * only the staging directory, which the next `removeStaleBatches` of the same root removes.
 */
export class FileBatch {
  private staging: string | undefined;
  private readonly moves: Array<[string, string]> = [];
  private readonly made: string[] = [];

  constructor(private readonly root: string) {}

  /** Staged files not yet committed. */
  get size(): number {
    return this.moves.length;
  }

  /** makeDirs, remembering what it created (removed again by abort). */
  mkdirs(dir: string): void {
    this.made.push(...makeDirs(dir));
  }

  /** Write `text` for `file` (an absolute path below the root whose directory exists or was made with mkdirs). */
  stage(file: string, text: string): void {
    if (this.staging === undefined) {
      this.mkdirs(this.root);
      for (let attempt = 0; ; attempt++) {
        const dir = path.join(this.root, `.jobsmith-tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
        try {
          fs.mkdirSync(dir);
          this.staging = dir;
          break;
        } catch (err) {
          if (errnoCode(err) !== 'EEXIST' || attempt >= 5) throw err;
        }
      }
    }
    const temp = path.join(this.staging, String(this.moves.length));
    fs.writeFileSync(temp, text, NEW_FILE);
    this.moves.push([temp, file]);
  }

  /** Rename every staged file over its path, in order; then the staging directory goes. */
  commit(): void {
    try {
      for (const [temp, file] of this.moves) {
        try {
          fs.renameSync(temp, file);
        } catch (err) {
          // A mount point below the root: the same replacement through a temporary file beside it.
          if (errnoCode(err) !== 'EXDEV') throw err;
          const beside = path.join(path.dirname(file), `.${path.basename(file)}.jobsmith-tmp-${process.pid}`);
          fs.copyFileSync(temp, beside, fs.constants.COPYFILE_EXCL);
          fs.renameSync(beside, file);
        }
      }
    } finally {
      this.moves.length = 0;
      this.made.length = 0;
      this.dropStaging();
    }
  }

  /** Remove the staged files and the directories made: nothing of this batch stays. */
  abort(): void {
    this.moves.length = 0;
    this.dropStaging();
    for (const d of this.made.reverse()) {
      try {
        fs.rmdirSync(d);
      } catch {
        /* not empty (someone else's file) or gone */
      }
    }
    this.made.length = 0;
  }

  private dropStaging(): void {
    if (this.staging !== undefined) fs.rmSync(this.staging, { recursive: true, force: true });
    this.staging = undefined;
  }
}

/**
 * Create `dir` and the missing directories above it, one level at a time (a plain mkdir each:
 * Node's `recursive: true` loops forever where mkdir answers ENOENT for an existing parent, as in
 * /proc). Errors are thrown as they come (ENOENT, ENOTDIR, EACCES, EROFS).
 */
export function makeDirs(dir: string): string[] {
  const missing: string[] = [];
  let d = path.resolve(dir);
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(d);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
    if (st) {
      if (!st.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${d}'`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  const made: string[] = [];
  for (const m of missing.reverse()) {
    try {
      fs.mkdirSync(m);
      made.push(m);
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      if (!fs.statSync(m).isDirectory()) throw err;
    }
  }
  return made;
}

/**
 * Why the output directory `dir` cannot be created or used, or undefined when it can (it is a
 * directory, or it does not exist and its nearest existing ancestor is a directory). Looks only:
 * nothing is created. A dangling symbolic link on the way is named (an unmounted share).
 */
export function outputDirProblem(dir: string): string | undefined {
  let d = path.resolve(dir);
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(d);
    } catch (err) {
      const code = errnoCode(err);
      // ENOTDIR: something above is a file; going up finds and names it.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return `${shownAbove(dir, d)} cannot be used (${code ?? String(err)})`;
      let linked = false;
      try {
        linked = fs.lstatSync(d).isSymbolicLink();
      } catch {
        /* really missing */
      }
      if (linked) return `${shownAbove(dir, d)} is a symbolic link to nothing (${fs.readlinkSync(d)}: an unmounted share?)`;
    }
    if (st) {
      if (!st.isDirectory()) return `${shownAbove(dir, d)} is not a directory`;
      try {
        fs.accessSync(d, fs.constants.W_OK | fs.constants.X_OK);
      } catch (err) {
        return `${shownAbove(dir, d)} is not writable (${errnoCode(err) ?? String(err)})`;
      }
      return undefined;
    }
    const up = path.dirname(d);
    if (up === d) return `${dir} cannot be created`;
    d = up;
  }
}

/** `abs` (an ancestor of `dir` or `dir` itself) shown the way the user named `dir`. */
function shownAbove(dir: string, abs: string): string {
  const rel = path.relative(abs, path.resolve(dir));
  if (rel === '') return dir;
  const up = rel.split(path.sep).length;
  let shown = dir.replace(/[\\/]+$/, '');
  for (let i = 0; i < up; i++) shown = path.dirname(shown);
  return shown;
}
