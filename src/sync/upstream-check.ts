/**
 * Are the definitions current? Before a run deletes (or moves) anything, it checks with one
 * `git ls-remote` that the checkout's HEAD contains the head of its upstream branch. A checkout
 * that is behind (not pulled), has diverged, or cannot ask its remote is stale as far as deletions
 * go: its missing projects may simply be projects it has not seen yet.
 *
 * The upstream is the current branch's (`branch.<b>.remote` / `.merge`); on a detached HEAD (a CI
 * checkout of one commit) or a branch without one, the default branch of `origin` (or of the only
 * remote). Plain directories and repositories without a remote have nothing to be behind.
 */
import path from 'node:path';
import { redactUserInfo } from '../jenkins/redact.js';
import { definitionsGit, gitFailureText, isDirectory } from './definitions-git.js';

export type Freshness =
  /** HEAD contains the upstream's head (or there is nothing upstream). */
  | { status: 'current'; upstream: string }
  /** Not in git, or no remote: nothing to check against. */
  | { status: 'no-upstream'; why: string }
  /** Behind, diverged, or the upstream's head is not in this checkout: deletions must wait. */
  | { status: 'stale'; upstream: string; message: string }
  /** The remote could not be asked: deletions must wait too. */
  | { status: 'unknown'; upstream: string; message: string };

const ADVICE = 'pull first, or pass --allow-stale';

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

export async function checkUpstream(jobsDir: string, opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Freshness> {
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

  if (remote.startsWith('-')) return { status: 'unknown', upstream: remote, message: `cannot check that the definitions are current: odd remote name ${remote}; deletions are held: ${ADVICE}` };
  let listing: string;
  try {
    listing = await git.raw(ref !== undefined ? ['ls-remote', remote, ref] : ['ls-remote', '--symref', remote, 'HEAD']);
  } catch (err) {
    const shown = ref !== undefined ? `${remote}/${ref.replace(/^refs\/heads\//, '')}` : remote;
    return {
      status: 'unknown',
      upstream: shown,
      message: `cannot check that the definitions are current: git ls-remote ${remote} failed (${redactUserInfo(gitFailureText(err))}); deletions are held: ${ADVICE}`,
    };
  }
  let head: string | undefined;
  for (const line of listing.split('\n')) {
    const sym = /^ref: refs\/heads\/(\S+)\tHEAD$/.exec(line);
    if (sym) ref = `refs/heads/${sym[1]}`;
    const m = /^([0-9a-f]{40,64})\t(\S+)$/.exec(line);
    if (m && (m[2] === ref || m[2] === 'HEAD')) head = m[1]!;
  }
  const upstream = ref !== undefined ? `${remote}/${ref.replace(/^refs\/heads\//, '')}` : remote;
  if (head === undefined) {
    if (ref !== undefined && listing.trim() === '' && bMerge !== undefined) {
      return { status: 'stale', upstream, message: `${upstream} no longer exists on the remote: cannot check that the definitions are current; ${ADVICE}` };
    }
    return { status: 'current', upstream }; // an empty remote: nothing upstream to miss
  }
  let counts: string;
  try {
    counts = (await git.raw(['rev-list', '--left-right', '--count', `${head}...HEAD`])).trim();
  } catch {
    return { status: 'stale', upstream, message: `behind ${upstream} (its head ${head.slice(0, 7)} is not in this checkout): ${ADVICE}` };
  }
  const [behind, ahead] = counts.split(/\s+/).map(Number) as [number, number];
  if (!Number.isFinite(behind) || !Number.isFinite(ahead)) return { status: 'stale', upstream, message: `cannot compare with ${upstream} (${counts}): ${ADVICE}` };
  if (behind === 0) return { status: 'current', upstream };
  if (ahead > 0) return { status: 'stale', upstream, message: `diverged from ${upstream} (${plural(behind, 'commit')} behind, ${ahead} ahead): ${ADVICE}` };
  return { status: 'stale', upstream, message: `behind ${upstream} by ${plural(behind, 'commit')}: ${ADVICE}` };
}
