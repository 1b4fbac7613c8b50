/**
 * Subversion branch listing: `svn list --non-interactive <url>/branches` (the `svn` client, Debian
 * package `subversion`), with a timeout. Each directory directly under `branches/` is a branch.
 */
import { execFile } from 'node:child_process';
import {
  BranchListError,
  DEFAULT_LIST_TIMEOUT_MS,
  sortUnique,
  type BranchListFailure,
  type BranchListOptions,
  type BranchSource,
} from './branch-source.js';
import { redactText, redactUrl } from './redact-url.js';

export interface SvnBranchSourceOptions {
  /** The svn binary (default `svn`). */
  binary?: string;
  env?: NodeJS.ProcessEnv;
}

function classify(text: string): BranchListFailure {
  if (/E170001|E215004|authoriz|authentic|credentials|password/i.test(text)) return 'auth';
  if (/E180001|E170000|E200009|W160013|E160013|non-existent|not found|path not found|unable to open repository/i.test(text)) return 'not-found';
  if (/E170013|E175002|E731001|E000111|unable to connect|connection refused|could not resolve/i.test(text)) return 'unreachable';
  return 'client';
}

/** `svn list` output: one entry a line, directories end with `/`. */
export function parseSvnList(output: string): string[] {
  const names: string[] = [];
  for (const line of output.split('\n')) {
    const l = line.replace(/\r$/, '');
    if (l.endsWith('/') && l.length > 1) names.push(l.slice(0, -1));
  }
  return sortUnique(names);
}

export function createSvnBranchSource(options: SvnBranchSourceOptions = {}): BranchSource {
  const binary = options.binary ?? 'svn';
  return {
    list(repo: string, opts: BranchListOptions = {}): Promise<string[]> {
      const shown = redactUrl(repo);
      if (repo.trim() === '' || repo.startsWith('-') || /\s/.test(repo))
        return Promise.reject(new BranchListError(`not a repository URL: '${shown}'`, 'bad-url'));
      const timeoutMs = opts.timeoutMs ?? DEFAULT_LIST_TIMEOUT_MS;
      const url = `${repo.replace(/\/+$/, '')}/branches`;
      const args = ['list', '--non-interactive', '--no-auth-cache', url];
      const env = { ...(options.env ?? process.env), LC_ALL: 'C', LANGUAGE: 'C' };
      return new Promise((resolve, reject) => {
        execFile(binary, args, { timeout: timeoutMs, killSignal: 'SIGKILL', env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
          if (!err) {
            resolve(parseSvnList(stdout));
            return;
          }
          const e = err as NodeJS.ErrnoException & { killed?: boolean };
          if (e.killed) {
            reject(new BranchListError(`svn list ${redactUrl(url)}: timed out after ${timeoutMs} ms`, 'timeout'));
            return;
          }
          if (e.code === 'ENOENT') {
            reject(new BranchListError(`svn list ${redactUrl(url)}: the svn client is not installed (Debian package subversion)`, 'client'));
            return;
          }
          const raw = String(stderr || e.message);
          const text = redactText(raw, repo, url).trim().split('\n').filter((l) => l.trim() !== '').slice(0, 3).join('; ');
          reject(new BranchListError(`svn list ${redactUrl(url)}: ${text || 'failed'}`, classify(raw)));
        });
      });
    },
  };
}
