/**
 * Git branch listing without a clone: `git ls-remote --heads <url>` through simple-git.
 * Non-interactive (no terminal prompt, ssh in BatchMode), bounded by a timeout, errors redacted.
 */
import { simpleGit, type SimpleGit } from 'simple-git';
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

function classify(text: string): BranchListFailure {
  if (/terminal prompts disabled|could not read (username|password)|authentication failed|permission denied|403|401|invalid username|access denied/i.test(text))
    return 'auth';
  if (/does not appear to be a git repository|repository not found|not found|no such file|does not exist/i.test(text)) return 'not-found';
  return 'unreachable';
}

/** Variables ls-remote never needs and simple-git refuses to pass on (editors, pagers, templates). */
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
  // One simple-git client per timeout value, shared by all listings of this source (creating one
  // per call costs ~10 ms of CPU each; 50 repositories per run add up).
  const clients = new Map<number, SimpleGit>();
  const clientFor = (timeoutMs: number): SimpleGit => {
    let git = clients.get(timeoutMs);
    if (git) return git;
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    const env: NodeJS.ProcessEnv = {
      ...gitEnvironment(options.env ?? process.env),
      GIT_TERMINAL_PROMPT: '0',
      LC_ALL: 'C',
      LANGUAGE: 'C',
      // git's http helper (a child of git) gives up on a stalled server by itself
      GIT_HTTP_LOW_SPEED_LIMIT: '1',
      GIT_HTTP_LOW_SPEED_TIME: String(seconds),
    };
    if (env.GIT_SSH_COMMAND === undefined && env.GIT_SSH === undefined) {
      env.GIT_SSH_COMMAND = `ssh -o BatchMode=yes -o ConnectTimeout=${seconds} -o ServerAliveInterval=${Math.max(1, Math.ceil(seconds / 3))} -o ServerAliveCountMax=3`;
    }
    git = simpleGit({
      baseDir: os.tmpdir(),
      // the caller (detection) limits concurrency; simple-git must not queue behind it
      maxConcurrentProcesses: 64,
      timeout: { block: timeoutMs },
      // Wait for the 'close' event (all output read). simple-git's default also accepts 'exit' + 50 ms,
      // which under load can hand back a TRUNCATED listing: fewer branches = jobs torn down.
      completion: { onClose: true, onExit: false },
      // The operator's own environment may set these (ssh command, askpass, config, proxy); the
      // definitions cannot: they only give a URL, and option-like URLs are refused.
      unsafe: {
        allowUnsafeSshCommand: true,
        allowUnsafeAskPass: true,
        allowUnsafeConfigPaths: true,
        allowUnsafeConfigEnvCount: true,
        allowUnsafeGitProxy: true,
      },
    }).env(env);
    clients.set(timeoutMs, git);
    return git;
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
      const git = clientFor(timeoutMs);
      const extra = opts.refs ?? [];
      const patterns = ['refs/heads/**', ...extra];
      const args = extra.length === 0 ? ['--heads', repo] : ['--refs', repo, 'refs/heads/*', ...extra];
      const started = Date.now();
      let out: string;
      let timer: NodeJS.Timeout | undefined;
      try {
        // simple-git kills git after `block` ms; this bound also covers a helper process that
        // keeps git's output open after git is gone.
        out = await Promise.race([
          git.listRemote(args),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new BranchListError(`git ls-remote ${shown}: timed out after ${timeoutMs} ms`, 'timeout')), timeoutMs + 2_000);
          }),
        ]);
      } catch (e) {
        if (e instanceof BranchListError) throw e;
        const raw = e instanceof Error ? e.message : String(e);
        const elapsed = Date.now() - started;
        if (elapsed >= timeoutMs - 50 && !/fatal:/.test(raw)) {
          throw new BranchListError(`git ls-remote ${shown}: timed out after ${timeoutMs} ms`, 'timeout');
        }
        const text = redactUrlsInText(raw, repo).trim().split('\n').filter((l) => l.trim() !== '').slice(0, 3).join('; ');
        throw new BranchListError(`git ls-remote ${shown}: ${text || 'failed'}`, classify(raw));
      } finally {
        clearTimeout(timer);
      }
      return parseLsRemoteRefs(out, patterns);
    },
  };
  return source;
}
