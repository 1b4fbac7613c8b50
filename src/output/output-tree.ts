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

/** Write `text` to `file`, never through a symbolic link at `file` (ELOOP instead). */
export function writeNoFollow(file: string, text: string): void {
  fs.writeFileSync(file, text, NO_FOLLOW);
}

/**
 * Create `dir` and the missing directories above it, one level at a time (a plain mkdir each:
 * Node's `recursive: true` loops forever where mkdir answers ENOENT for an existing parent, as in
 * /proc). Errors are thrown as they come (ENOENT, ENOTDIR, EACCES, EROFS).
 */
export function makeDirs(dir: string): void {
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
  for (const m of missing.reverse()) {
    try {
      fs.mkdirSync(m);
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      if (!fs.statSync(m).isDirectory()) throw err;
    }
  }
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
