/**
 * Are the definitions current? Before a run deletes (or moves) anything, it checks with one
 * `git ls-remote` that the checkout's HEAD contains the head of its upstream branch. A checkout
 * that is behind (not pulled), has diverged, or cannot ask its remote is stale as far as deletions
 * go: its missing projects may simply be projects it has not seen yet.
 *
 * The upstream is the current branch's (`branch.<b>.remote` / `.merge`); on a detached HEAD (a CI
 * checkout of one commit) or a branch without one, the default branch of `origin` (or of the only
 * remote). A branch with an upstream of its own (a feature branch pushed with `-u`) must contain the
 * remote's default branch too: what the default branch added after the branch point is not in it,
 * and its deletions would remove other people's jobs. Both heads come from one `ls-remote`. Plain
 * directories and repositories without a remote have nothing to be behind.
 *
 * A stale result's message is a whole clause (`the definitions are behind origin/main by 2 commits:
 * pull first, or pass --allow-stale`): the plan prints it after `deletions held: `. The remedy named
 * is `sync`'s; a caller without `--allow-stale` (serve's webhooks) gives its own (`remedy`).
 */
import path from 'node:path';
import { redactUserInfo } from '../jenkins/redact.js';
import { DEFINITIONS_GIT_TIMEOUT_MS, definitionsGit, definitionsGitEnv, gitFailureText, isDirectory } from './definitions-git.js';
import { runGitRemote } from './git-remote-process.js';

export type Freshness =
  /** HEAD contains the upstream's head (or there is nothing upstream). */
  | { status: 'current'; upstream: string }
  /** Not in git, or no remote: nothing to check against. */
  | { status: 'no-upstream'; why: string }
  /** Behind, diverged, the upstream's head not in this checkout, or the default branch's head not contained: deletions must wait. */
  | { status: 'stale'; upstream: string; message: string }
  /** The remote could not be asked: deletions must wait too. */
  | { status: 'unknown'; upstream: string; message: string };

const SYNC_ADVICE = 'pull first, or pass --allow-stale';

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

export interface UpstreamCheckOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** What the reader does about stale definitions, in place of `pull first, or pass --allow-stale` (a caller without that flag). */
  remedy?: string;
}

export async function checkUpstream(jobsDir: string, opts: UpstreamCheckOptions = {}): Promise<Freshness> {
  const advice = opts.remedy ?? SYNC_ADVICE;
  /** `, or pass --allow-stale` after a remedy of its own; the caller's remedy instead when it has no such flag. */
  const orStale = opts.remedy === undefined ? ', or pass --allow-stale' : `; ${opts.remedy}`;
  const dir = path.resolve(jobsDir);
  if (!isDirectory(dir)) return { status: 'no-upstream', why: `${jobsDir} is not a directory` };
  const git = definitionsGit(dir, opts.timeoutMs, opts.env);
  try {
    await git.raw(['rev-parse', '--show-toplevel']);
  } catch {
    return { status: 'no-upstream', why: 'the definitions are not in a git work tree' };
  }
  const branch = (await git.raw(['symbolic-ref', '-q', '--short', 'HEAD']).catch(() => '')).trim();
  const config = await git.raw(['config', '--get-regexp', '^(remote\\..*\\.url|branch\\..*\\.(remote|merge))$']).catch(() => '');
  const remotes = new Set<string>();
  let bRemote: string | undefined;
  let bMerge: string | undefined;
  for (const line of config.split('\n')) {
    const m = /^(remote|branch)\.(.+)\.(url|remote|merge) (.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === 'remote' && m[3] === 'url') remotes.add(m[2]!);
    else if (m[1] === 'branch' && branch !== '' && m[2] === branch) {
      if (m[3] === 'remote') bRemote = m[4]!;
      else bMerge = m[4]!;
    }
  }
  let remote: string;
  let ref: string | undefined;
  if (bRemote !== undefined && bRemote !== '.' && remotes.has(bRemote) && bMerge !== undefined) {
    remote = bRemote;
    ref = bMerge;
  } else if (remotes.has('origin')) remote = 'origin';
  else if (remotes.size === 1) remote = [...remotes][0]!;
  else return { status: 'no-upstream', why: remotes.size === 0 ? 'the repository has no remote' : 'no upstream branch and no remote named origin' };

  if (remote.startsWith('-')) return { status: 'unknown', upstream: remote, message: `cannot check that the definitions are current: odd remote name ${remote}; deletions are held: ${advice}` };
  // One request: the remote's HEAD (its default branch) and, when there is one, the upstream branch.
  // Its own process group, killed whole at the time bound (an ssh or https helper left behind would
  // otherwise hold the run open for as long as a hung server keeps the connection).
  const timeoutMs = opts.timeoutMs ?? DEFINITIONS_GIT_TIMEOUT_MS;
  const shownUpstream = ref !== undefined ? `${remote}/${ref.replace(/^refs\/heads\//, '')}` : remote;
  const unknown = (why: string): Freshness => ({
    status: 'unknown',
    upstream: shownUpstream,
    message: `cannot check that the definitions are current: git ls-remote ${remote} failed (${redactUserInfo(why)}); deletions are held: ${advice}`,
  });
  let listing: string;
  try {
    const r = await runGitRemote({ args: ['ls-remote', '--symref', remote, 'HEAD', ...(ref !== undefined ? [ref] : [])], cwd: dir, env: definitionsGitEnv(timeoutMs, opts.env), timeoutMs });
    if (r.timedOut) return unknown(`no answer within ${Math.round(timeoutMs / 1000)} s`);
    if (r.code !== 0) return unknown(r.stderr.trim() !== '' ? gitFailureText(r.stderr) : `exit code ${r.code}`);
    listing = r.stdout;
  } catch (err) {
    return unknown(err instanceof Error ? err.message : String(err));
  }
  let defaultRef: string | undefined;
  const heads = new Map<string, string>();
  for (const line of listing.split('\n')) {
    const sym = /^ref: (refs\/heads\/\S+)\tHEAD$/.exec(line);
    if (sym) defaultRef = sym[1]!;
    const m = /^([0-9a-f]{40,64})\t(\S+)$/.exec(line);
    if (m) heads.set(m[2]!, m[1]!);
  }
  const branchOf = (r: string): string => `${remote}/${r.replace(/^refs\/heads\//, '')}`;
  const ownUpstream = ref !== undefined;
  ref ??= defaultRef;
  // the remote's HEAD line is its default branch's head
  const head = ownUpstream ? heads.get(ref!) : heads.get('HEAD');
  const upstream = ref !== undefined ? branchOf(ref) : remote;
  if (head === undefined) {
    if (ownUpstream && bMerge !== undefined) {
      return { status: 'stale', upstream, message: `${upstream} no longer exists on the remote, so it cannot be checked that the definitions are current: push this branch again or switch to one the remote has${orStale}` };
    }
    return { status: 'current', upstream }; // an empty remote: nothing upstream to miss
  }
  const first = await compareWith(git, head, upstream, 'upstream', advice, orStale);
  if (first) return first;
  // a branch of its own (a feature branch pushed with -u): it must contain the default branch too, or
  // deleting what the default branch added since the branch point would delete other people's jobs
  const defaultHead = defaultRef !== undefined && defaultRef !== ref ? heads.get('HEAD') : undefined;
  if (defaultHead !== undefined) {
    const second = await compareWith(git, defaultHead, branchOf(defaultRef!), 'default', advice, orStale);
    if (second) return { ...second, upstream };
  }
  return { status: 'current', upstream };
}

/** Undefined when HEAD contains `head` (the head of `shown`); otherwise why the definitions are stale. */
async function compareWith(git: ReturnType<typeof definitionsGit>, head: string, shown: string, role: 'upstream' | 'default', upstreamAdvice: string, orStale: string): Promise<Extract<Freshness, { status: 'stale' }> | undefined> {
  const advice = role === 'upstream' ? upstreamAdvice : `merge ${shown} into this branch first (or sync from ${shown})${orStale}`;
  const what = role === 'upstream' ? shown : `${shown} (the remote's default branch)`;
  let counts: string;
  try {
    counts = (await git.raw(['rev-list', '--left-right', '--count', `${head}...HEAD`])).trim();
  } catch {
    return { status: 'stale', upstream: shown, message: role === 'upstream' ? `the definitions are behind ${what} (its head ${head.slice(0, 7)} is not in this checkout): ${advice}` : `the definitions do not contain ${what}: its head ${head.slice(0, 7)} is not in this checkout: fetch, then ${advice}` };
  }
  const [behind, ahead] = counts.split(/\s+/).map(Number) as [number, number];
  if (!Number.isFinite(behind) || !Number.isFinite(ahead)) return { status: 'stale', upstream: shown, message: `the definitions cannot be compared with ${what} (${counts}): ${advice}` };
  if (behind === 0) return undefined;
  if (role === 'default') return { status: 'stale', upstream: shown, message: `the definitions lack ${plural(behind, 'commit')} of ${what}: ${advice}` };
  if (ahead > 0) return { status: 'stale', upstream: shown, message: `the definitions have diverged from ${what} (${plural(behind, 'commit')} behind, ${ahead} ahead): ${advice}` };
  return { status: 'stale', upstream: shown, message: `the definitions are behind ${what} by ${plural(behind, 'commit')}: ${advice}` };
}
