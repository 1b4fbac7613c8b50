/**
 * Git branch listing without a clone: `git ls-remote --heads <url>`, run by ../sync/git-remote-process.ts
 * (its own process group, killed whole at the time bound; a URL's credentials given through the
 * environment, never on the command line). Non-interactive (no terminal prompt, ssh in BatchMode),
 * errors redacted.
 */
import picomatch from 'picomatch';
import os from 'node:os';
import {
  BranchListError,
  DEFAULT_LIST_TIMEOUT_MS,
  sortUnique,
  type BranchListFailure,
  type BranchListOptions,
  type BranchSource,
  type ListedRef,
} from './branch-source.js';
import { redactUrl, redactUrlsInText } from '../model/redact-url.js';
import { runGitRemote, type GitRemoteResult } from '../sync/git-remote-process.js';

/**
 * Branch name for a listed ref: `refs/heads/x` → `x`, `refs/pull/12/head` → `pr/12`,
 * `refs/merge-requests/12/head` → `mr/12`, any other `refs/a/b` → `a/b`.
 */
export function branchNameForRef(ref: string): string {
  if (ref.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
  const pr = /^refs\/pull\/([^/]+)\/head$/.exec(ref);
  if (pr) return `pr/${pr[1]}`;
  const mr = /^refs\/merge-requests\/([^/]+)\/head$/.exec(ref);
  if (mr) return `mr/${mr[1]}`;
  return ref.startsWith('refs/') ? ref.slice('refs/'.length) : ref;
}

/**
 * Parse `ls-remote` output (`<sha>\t<ref>` lines), keeping refs that match `patterns`. Output that is
 * not exactly such lines (cut short, garbled) throws: a partial listing must never count as complete.
 */
export function parseLsRemote(output: string, patterns: string[]): string[] {
  return sortUnique(parseLsRemoteRefs(output, patterns).map((r) => r.name));
}

/** Like `parseLsRemote`, keeping each matching ref with its branch name (one entry per distinct ref). */
export function parseLsRemoteRefs(output: string, patterns: string[]): ListedRef[] {
  const headsOnly = patterns.length === 1 && patterns[0] === 'refs/heads/**';
  const isMatch = headsOnly ? (ref: string) => ref.startsWith('refs/heads/') : picomatch(patterns, { dot: true });
  const refs = new Map<string, ListedRef>();
  if (output !== '' && !output.endsWith('\n')) throw new BranchListError('git ls-remote: the listing was cut short', 'client');
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const m = /^[0-9a-f]{40,64}\t(refs\/\S.*)$/.exec(line);
    if (!m) throw new BranchListError(`git ls-remote: unexpected output line ${JSON.stringify(line.slice(0, 80))}`, 'client');
    const ref = (m[1] as string).trim();
    if (ref.endsWith('^{}') || !isMatch(ref)) continue;
    if (!refs.has(ref)) refs.set(ref, { name: branchNameForRef(ref), ref });
  }
  return [...refs.values()].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

/** A port or path that happens to contain 401 or 403 is not an HTTP status: only git's "returned error: 403" is. */
export function classifyGitFailure(text: string): BranchListFailure {
  if (/terminal prompts disabled|could not read (username|password)|authentication failed|permission denied|(?:error|status|http)[: /]+40[13]\b|invalid username|access denied/i.test(text))
    return 'auth';
  if (/does not appear to be a git repository|repository not found|not found|no such file|does not exist/i.test(text)) return 'not-found';
  return 'unreachable';
}

/** Variables ls-remote never needs (editors, pagers, templates). */
const DROPPED_ENV = new Set(['EDITOR', 'VISUAL', 'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'PAGER', 'GIT_PAGER', 'GIT_EXTERNAL_DIFF', 'GIT_TEMPLATE_DIR', 'PREFIX']);

function gitEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!DROPPED_ENV.has(k.toUpperCase().trim())) env[k] = v;
  return env;
}

export interface GitBranchSourceOptions {
  /** Environment for git (default: process.env). Prompting is always disabled on top of it. */
  env?: NodeJS.ProcessEnv;
}

export function createGitBranchSource(options: GitBranchSourceOptions = {}): BranchSource {
  const envFor = (timeoutMs: number): NodeJS.ProcessEnv => {
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    const env: NodeJS.ProcessEnv = {
      ...gitEnvironment(options.env ?? process.env),
      GIT_TERMINAL_PROMPT: '0',
      LC_ALL: 'C',
      LANGUAGE: 'C',
      // git's http helper (a child of git) gives up on a stalled transfer by itself
      GIT_HTTP_LOW_SPEED_LIMIT: '1',
      GIT_HTTP_LOW_SPEED_TIME: String(seconds),
    };
    if (env.GIT_SSH_COMMAND === undefined && env.GIT_SSH === undefined) {
      env.GIT_SSH_COMMAND = `ssh -o BatchMode=yes -o ConnectTimeout=${seconds} -o ServerAliveInterval=${Math.max(1, Math.ceil(seconds / 3))} -o ServerAliveCountMax=3`;
    }
    return env;
  };
  const source: Required<BranchSource> = {
    async list(repo: string, opts: BranchListOptions = {}): Promise<string[]> {
      return sortUnique((await source.listRefs(repo, opts)).map((r) => r.name));
    },
    async listRefs(repo: string, opts: BranchListOptions = {}): Promise<ListedRef[]> {
      const shown = redactUrl(repo);
      if (repo.trim() === '' || repo.startsWith('-') || /\s/.test(repo))
        throw new BranchListError(`not a repository URL: '${shown}'`, 'bad-url');
      const timeoutMs = opts.timeoutMs ?? DEFAULT_LIST_TIMEOUT_MS;
      const extra = opts.refs ?? [];
      const patterns = ['refs/heads/**', ...extra];
      const args = extra.length === 0 ? ['ls-remote', '--heads', '{url}'] : ['ls-remote', '--refs', '{url}', 'refs/heads/*', ...extra];
      // its own process group, killed whole at the bound; the URL's credentials never on the command line
      let r: GitRemoteResult;
      try {
        r = await runGitRemote({ args, url: repo, cwd: os.tmpdir(), env: envFor(timeoutMs), timeoutMs });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new BranchListError(`git ls-remote ${shown}: ${code === 'ENOENT' ? 'git is not installed' : redactUrlsInText(String((e as Error).message), repo)}`, 'client');
      }
      if (r.timedOut) throw new BranchListError(`git ls-remote ${shown}: timed out after ${timeoutMs} ms`, 'timeout');
      if (r.code !== 0) {
        const raw = r.stderr || `exit code ${r.code}`;
        const text = redactUrlsInText(raw, repo).trim().split('\n').filter((l) => l.trim() !== '').slice(0, 3).join('; ');
        throw new BranchListError(`git ls-remote ${shown}: ${text || 'failed'}`, classifyGitFailure(raw));
      }
      return parseLsRemoteRefs(r.stdout, patterns);
    },
  };
  return source;
}
