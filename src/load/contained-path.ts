/**
 * The definitions root: templates, sidecars, definitions and jobsmith.yaml that are symbolic links
 * (or sit under a symlinked directory) resolving outside it are refused. Without this, one commit
 * to the definitions repository (`job-templates/X-config.xml -> /etc/...`) could push any file on
 * the sync agent into Jenkins, or have `set-default` write one.
 *
 * The root is the deepest directory holding both the templates and the definitions directories as
 * they were named (normally the repository's work tree, or the working directory); when they share
 * nothing but the file-system root, each directory is its own root.
 */
import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';

/** The deepest common directory of `dirs` (absolute), or undefined when it is the file-system root. */
export function commonRoot(dirs: readonly string[]): string | undefined {
  const parts = dirs.map((d) => path.resolve(d).split(path.sep));
  const first = parts[0]!;
  let n = 0;
  while (n < first.length && parts.every((p) => p[n] === first[n])) n++;
  const root = first.slice(0, n).join(path.sep) || path.sep;
  return root === path.parse(root).root ? undefined : root;
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return realpathSync.native(p);
  } catch {
    return undefined;
  }
}

function isInside(child: string, parent: string): boolean {
  if (child === parent) return true;
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel);
}

export class Containment {
  private readonly real: string | undefined;

  /** `root` as named (shown in messages); it is resolved once. */
  constructor(readonly root: string) {
    this.real = realpathOrUndefined(path.resolve(root));
  }

  /**
   * Where `p` really is when that is outside the root; undefined when it is inside, or when it
   * does not exist (reading it then fails on its own, with its own message).
   */
  outside(p: string): string | undefined {
    if (this.real === undefined) return undefined;
    const real = realpathOrUndefined(path.resolve(p));
    return real !== undefined && !isInside(real, this.real) ? real : undefined;
  }

  /** The root as a user would type it (relative to the working directory when inside it). */
  get shown(): string {
    const abs = path.resolve(this.root);
    const rel = path.relative(process.cwd(), abs);
    return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
  }

  /** A located error when `p` resolves outside the root; `what` names it ("a symbolic link", "the jobs directory"). */
  check(p: string, what: string): Diagnostic | undefined {
    const target = this.outside(p);
    if (target === undefined) return undefined;
    return {
      severity: 'error',
      code: 'outside-definitions',
      message: `${what} resolving to ${target}, outside the definitions (${this.shown}): refused`,
      file: p,
    };
  }
}

/**
 * Before writing `file` inside the definitions: a problem when it is a symbolic link (dangling, or
 * resolving outside `inside`), or its directory resolves outside; undefined when writing is safe.
 */
export function writeProblem(file: string, inside: Containment): string | undefined {
  let link = false;
  try {
    link = lstatSync(file).isSymbolicLink();
  } catch {
    /* does not exist: its directory decides */
  }
  if (link) {
    const target = inside.outside(file);
    if (target !== undefined) return `${file} is a symbolic link to ${target}, outside the definitions (${inside.shown}); nothing was written`;
    if (realpathOrUndefined(file) === undefined) return `${file} is a symbolic link to nothing; nothing was written`;
    return undefined;
  }
  const dirTarget = inside.outside(path.dirname(file));
  return dirTarget !== undefined ? `${path.dirname(file)} resolves to ${dirTarget}, outside the definitions (${inside.shown}); nothing was written` : undefined;
}
