/**
 * Subversion branch listing: `svn list --xml --non-interactive <url>/branches` (the `svn` client,
 * Debian package `subversion`), with a timeout. Each directory directly under `branches/` is a branch.
 *
 * Names are read from the XML listing, which svn writes in UTF-8 whatever the locale (its plain
 * listing converts names to the locale's charset: under `LC_ALL=C` it turns `feature ünï` into
 * `feature uni`, merging two branches). svn runs under `C.UTF-8`: English messages (classified
 * below) and UTF-8 command-line arguments.
 */
import { execFile } from 'node:child_process';
import { splitCredentials } from '../sync/git-remote-process.js';
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
import { childElements, parseXml, textOf } from '../xml/tree.js';

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

/** `svn list --xml` output: the names of the `kind="dir"` entries. Anything else (cut short, garbled) throws. */
export function parseSvnListXml(output: string): string[] {
  let root;
  try {
    root = parseXml(output);
  } catch (err) {
    throw new BranchListError(`svn list: unreadable XML listing (${(err as Error).message})`, 'client');
  }
  if (root.name !== 'lists') throw new BranchListError(`svn list: unexpected XML listing <${root.name}>`, 'client');
  const names: string[] = [];
  for (const list of childElements(root)) {
    for (const entry of childElements(list)) {
      if (entry.name !== 'entry') continue;
      const kind = entry.attrs.find(([k]) => k === 'kind')?.[1];
      const name = childElements(entry).find((c) => c.name === 'name');
      if (kind === 'dir' && name && textOf(name) !== '') names.push(textOf(name));
    }
  }
  return sortUnique(names);
}

export function createSvnBranchSource(options: SvnBranchSourceOptions = {}): BranchSource {
  const binary = options.binary ?? 'svn';
  const source: Required<BranchSource> = {
    async listRefs(repo: string, opts: BranchListOptions = {}): Promise<ListedRef[]> {
      return (await source.list(repo, opts)).map((name) => ({ name, ref: `branches/${name}` }));
    },
    list(repo: string, opts: BranchListOptions = {}): Promise<string[]> {
      const shown = redactUrl(repo);
      if (repo.trim() === '' || repo.startsWith('-') || /\s/.test(repo))
        return Promise.reject(new BranchListError(`not a repository URL: '${shown}'`, 'bad-url'));
      const timeoutMs = opts.timeoutMs ?? DEFAULT_LIST_TIMEOUT_MS;
      // user:password@ in the URL: the name goes on the command line (not a secret), the password on
      // svn's standard input, never on its command line (every user of the machine sees those: ps).
      const split = splitCredentials(repo);
      const url = `${split.url.replace(/\/+$/, '')}/branches`;
      const auth = split.password !== undefined ? ['--username', split.username ?? '', '--password-from-stdin'] : [];
      const args = ['list', '--xml', '--non-interactive', '--no-auth-cache', ...auth, url];
      const env = { ...(options.env ?? process.env), LC_ALL: 'C.UTF-8', LANGUAGE: 'C' };
      return new Promise((resolve, reject) => {
        const child = execFile(binary, args, { timeout: timeoutMs, killSignal: 'SIGKILL', env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
          if (!err) {
            try {
              resolve(parseSvnListXml(stdout));
            } catch (e) {
              reject(e instanceof BranchListError ? new BranchListError(e.message.replace(/^svn list/, `svn list ${redactUrl(url)}`), e.reason) : e);
            }
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
          const text = redactUrlsInText(raw, repo, url).trim().split('\n').filter((l) => l.trim() !== '').slice(0, 3).join('; ');
          reject(new BranchListError(`svn list ${redactUrl(url)}: ${text || 'failed'}`, classify(raw)));
        });
        child.stdin?.on('error', () => {
          /* svn exited before reading it: its exit status says why */
        });
        child.stdin?.end(split.password !== undefined ? `${split.password}\n` : '');
      });
    },
  };
  return source;
}
