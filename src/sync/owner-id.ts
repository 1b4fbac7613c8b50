/**
 * The owner id: which definitions a run speaks for. Every marker jobsmith writes records it, and a
 * run changes or deletes only items whose marker names its own owner (see src/plan/marker.ts).
 *
 * Strongest first:
 * 1. `owner:` at the top of `jobsmith.yaml` beside the definitions (in the directory that holds
 *    `jobs/`, the top of the repository in the usual layout), or of the `--config` file when given
 *    (the one beside is read too: a `--config` file without `owner:` keeps the one beside; one with
 *    another owner wins, with a warning):
 *    it belongs to the definitions, so every runner (CLI, web form, master job) reads the same one;
 * 2. the git remote of the repository holding the definitions, normalised so that every clone of one
 *    repository agrees: credentials, scheme, port, a trailing `.git` or `/` dropped, the host
 *    lower-cased; `git@host:org/repo.git`, `ssh://git@host:22/org/repo` and
 *    `https://user:token@Host/org/repo.git` are all `host/org/repo`. The remote is the current
 *    branch's upstream remote, else `origin`, else the only (or first) remote. When the definitions
 *    directory is not `jobs` at the top of the repository, its path is appended (`host/org/repo#ci/jobs`),
 *    so two sets of definitions in one repository are two owners;
 * 3. the definitions directory itself, for plain directories (no git, or a repository without a
 *    remote): `dir:` and the real absolute path of the jobs directory (`dir:/srv/ci/jobs`), so two
 *    plain directories are two owners. Before, they all shared the owner `default`, and one
 *    directory's sync deleted the other's jobs; markers of that owner are now taken over only where
 *    the definitions want exactly that item, and never deleted (src/plan/rules/managed-only.ts,
 *    `shared-default`). Moving or renaming a plain directory changes its owner: set `owner:` to keep it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import { DEFAULT_OWNER } from '../plan/make-plan.js';
import { definitionsGit, isDirectory } from './definitions-git.js';

export interface OwnerResolution {
  owner: string;
  /** Where it came from, for messages (`jobsmith.yaml`, `git remote origin`, `the definitions directory (no git remote)`). */
  from: string;
  /** Problems with `owner:` in the config file (errors: the run must not go on). */
  diagnostics: Diagnostic[];
}

export const DEFAULT_CONFIG_FILE = 'jobsmith.yaml';
const MAX_OWNER_LENGTH = 200;

/** Normalise a git remote URL (or local path) to an owner id; `baseDir` resolves relative paths. */
export function normaliseRemoteUrl(url: string, baseDir: string): string {
  const u = url.trim();
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.*)$/.exec(u);
  const isWindowsDrive = /^[A-Za-z]:[\\/]/.test(u);
  let host: string;
  let rest: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
    const scheme = u.slice(0, u.indexOf(':')).toLowerCase();
    if (scheme === 'file') {
      let p = u.slice('file://'.length);
      try {
        p = decodeURIComponent(p);
      } catch {
        /* keep as is */
      }
      return localOwner(p, baseDir);
    }
    const afterScheme = u.slice(u.indexOf('://') + 3);
    const slash = afterScheme.search(/[/?#]/);
    const authority = slash < 0 ? afterScheme : afterScheme.slice(0, slash);
    rest = slash < 0 ? '' : afterScheme.slice(slash);
    const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
    host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.replace(/:\d*$/, '');
    rest = rest.replace(/[?#].*$/, '');
    try {
      rest = decodeURIComponent(rest);
    } catch {
      /* keep as is */
    }
  } else if (scp && !isWindowsDrive) {
    host = scp[1]!;
    rest = scp[2]!;
  } else {
    return localOwner(u, baseDir);
  }
  const p = rest.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/i, '').replace(/\/+$/, '');
  return `${host.toLowerCase()}/${p}`;
}

function localOwner(p: string, baseDir: string): string {
  const abs = path.resolve(baseDir, p).replace(/\/+$/, '').replace(/\/\.git$/, '');
  return `file:${abs}`;
}

/** `owner:` from the config file; undefined when the file or the key is absent. */
export async function configuredOwner(opts: { config?: string; cwd: string; jobsDir?: string }): Promise<{ owner?: string; file?: string; diagnostics: Diagnostic[] }> {
  const explicit = opts.config !== undefined;
  const beside = path.dirname(path.resolve(opts.cwd, opts.jobsDir ?? 'jobs'));
  const file = explicit ? path.resolve(opts.cwd, opts.config!) : path.join(beside, DEFAULT_CONFIG_FILE);
  const rel = path.relative(opts.cwd, file);
  const shown = explicit ? opts.config! : rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
  if (!existsSync(file)) {
    return explicit ? { diagnostics: [{ severity: 'error', code: 'config-missing', file: shown, message: `config file ${shown} does not exist` }] } : { diagnostics: [] };
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { diagnostics: [{ severity: 'error', code: 'config-unreadable', file: shown, message: `cannot read ${shown}: ${(e as Error).message}` }] };
  }
  if (!text.includes('owner')) return { diagnostics: [] }; // the usual case: no yaml parse needed (`"owner":` and the JSON form are YAML too)
  const { LineCounter, parseDocument, isMap, isScalar } = await import('yaml');
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    return { diagnostics: doc.errors.map((e) => ({ severity: 'error' as const, code: 'config-yaml', file: shown, ...lc.linePos(e.pos[0]), message: e.message.split('\n')[0]! })).map(({ col, ...d }) => ({ ...d, column: col })) };
  }
  const root = doc.contents;
  if (!isMap(root)) return { diagnostics: [] };
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'owner');
  if (!pair) return { diagnostics: [] };
  const node = pair.value;
  const off = (isScalar(node) ? node.range?.[0] : undefined) ?? (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? 0;
  const at = lc.linePos(off);
  const where = { file: shown, line: at.line, column: at.col, field: 'owner' };
  const value = isScalar(node) ? node.value : undefined;
  const bad = (message: string) => ({ diagnostics: [{ severity: 'error' as const, code: 'bad-owner', message, ...where }] });
  if (typeof value !== 'string' || value.trim() === '') return bad('owner must be a non-empty text (an id for these definitions, e.g. acme/ci-jobs)');
  if (value !== value.trim()) return bad('owner must not start or end with whitespace');
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) return bad('owner must not contain control characters');
  if (value.length > MAX_OWNER_LENGTH) return bad(`owner is ${value.length} characters long; at most ${MAX_OWNER_LENGTH}`);
  return { owner: value, file: shown, diagnostics: [] };
}

/**
 * The owner id of the definitions in `jobsDir` (see the header for the order). The `jobsmith.yaml`
 * beside the definitions is read even when `--config` names another file: a file of connection
 * settings without `owner:` must not change whose jobs a run manages. An `owner:` in the `--config`
 * file still wins (as documented); when it differs from the one beside the definitions, a warning
 * says so.
 */
export async function resolveOwner(opts: { jobsDir: string; config?: string; cwd?: string }): Promise<OwnerResolution> {
  const cwd = opts.cwd ?? process.cwd();
  const beside = await configuredOwner({ cwd, jobsDir: opts.jobsDir });
  const besideFile = path.join(path.dirname(path.resolve(cwd, opts.jobsDir)), DEFAULT_CONFIG_FILE);
  const given = opts.config !== undefined && path.resolve(cwd, opts.config) !== besideFile ? await configuredOwner({ cwd, jobsDir: opts.jobsDir, config: opts.config }) : undefined;
  const errors = [...beside.diagnostics, ...(given?.diagnostics ?? [])];
  if (errors.some((d) => d.severity === 'error')) return { owner: DEFAULT_OWNER, from: 'config error', diagnostics: errors };
  if (given?.owner !== undefined) {
    const diagnostics: Diagnostic[] =
      beside.owner !== undefined && beside.owner !== given.owner
        ? [{ severity: 'warning', code: 'owner-overridden', file: given.file!, field: 'owner', message: `owner ${given.owner} here overrides owner ${beside.owner} in ${beside.file} beside the definitions: this run manages ${given.owner}'s jobs, not ${beside.owner}'s` }]
        : [];
    return { owner: given.owner, from: given.file!, diagnostics };
  }
  if (beside.owner !== undefined) return { owner: beside.owner, from: beside.file!, diagnostics: [] };
  const remote = await gitRemoteOwner(path.resolve(cwd, opts.jobsDir));
  if (remote) return { ...remote, diagnostics: [] };
  return { owner: directoryOwner(path.resolve(cwd, opts.jobsDir)), from: 'the definitions directory (no git remote)', diagnostics: [] };
}

/** The owner id of plain definitions: `dir:` + the real absolute path of the jobs directory (of its deepest existing ancestor, when it does not exist yet). */
export function directoryOwner(jobsDir: string): string {
  // the deepest existing ancestor resolved (import writes into a directory that does not exist yet)
  let real = path.resolve(jobsDir);
  const rest: string[] = [];
  for (;;) {
    try {
      real = path.join(realpathSync(real), ...rest);
      break;
    } catch {
      const up = path.dirname(real);
      if (up === real) break;
      rest.unshift(path.basename(real));
      real = up;
    }
  }
  const id = `dir:${real.split(path.sep).join('/')}`;
  // an owner id is at most MAX_OWNER_LENGTH characters (a marker field): a longer path keeps its end, with a hash of the whole
  if (id.length <= MAX_OWNER_LENGTH) return id;
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 16);
  return `dir:…${real.slice(-(MAX_OWNER_LENGTH - 24))}#${hash}`;
}

/** Owner from the git remote of the repository holding `jobsDir`; undefined outside git or without a remote. */
export async function gitRemoteOwner(jobsDir: string): Promise<{ owner: string; from: string } | undefined> {
  if (!isDirectory(jobsDir)) return undefined; // missing or not a directory: the loader reports it
  const git = definitionsGit(jobsDir);
  let top: string;
  try {
    top = (await git.raw(['rev-parse', '--show-toplevel'])).trim();
  } catch {
    return undefined; // not a git work tree
  }
  // symbolic-ref works before the first commit too; it fails on a detached HEAD (no branch, no upstream)
  const branch = (await git.raw(['symbolic-ref', '-q', '--short', 'HEAD']).catch(() => '')).trim();
  let config: string;
  try {
    config = await git.raw(['config', '--get-regexp', '^(remote\\..*\\.url|branch\\..*\\.remote)$']);
  } catch {
    return undefined; // exit 1: no remote configured
  }
  const urls = new Map<string, string>();
  let upstreamRemote: string | undefined;
  for (const line of config.split('\n')) {
    const m = /^(remote|branch)\.(.+)\.(url|remote) (.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === 'remote' && m[3] === 'url') urls.set(m[2]!, m[4]!);
    else if (m[1] === 'branch' && m[3] === 'remote' && branch !== '' && m[2] === branch) upstreamRemote = m[4]!;
  }
  if (urls.size === 0) return undefined;
  const name = upstreamRemote !== undefined && urls.has(upstreamRemote) ? upstreamRemote : urls.has('origin') ? 'origin' : [...urls.keys()].sort()[0]!;
  let owner = normaliseRemoteUrl(urls.get(name)!, top);
  const rel = path.relative(realpathSync(top), realpathSync(jobsDir)).split(path.sep).join('/');
  if (rel !== 'jobs') owner += `#${rel === '' ? '.' : rel}`;
  return { owner, from: `git remote ${name}` };
}
