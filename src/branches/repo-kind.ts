import path from 'node:path';

/**
 * Which client lists a repository, decided from its URL alone (documented in docs/branches.md):
 * - `svn://…`, `svn+ssh://…`                      → Subversion
 * - `svn+http://`, `svn+https://`, `svn+file://`  → Subversion on `http(s)://` / `file://` (prefix dropped)
 * - anything else (`https://…`, `ssh://…`, `git@host:path`, `file://…`, a local path) → git
 */
export interface RepoLocation {
  kind: 'git' | 'svn';
  /** The URL handed to the client. */
  url: string;
}

export function repoLocation(repo: string): RepoLocation {
  const r = repo.trim();
  const m = /^svn\+(https?|file):\/\//i.exec(r);
  if (m) return { kind: 'svn', url: r.slice('svn+'.length) };
  if (/^svn(\+ssh)?:\/\//i.test(r)) return { kind: 'svn', url: r };
  return { kind: 'git', url: r };
}

/**
 * A `branches.repo` that is a relative local path (`../payments.git`, `repos/web`) resolved against
 * `baseDir`, the directory of the definition file that names it: the same repository whatever the
 * working directory of the run (and the BRANCH.REPO token gets a path a checkout can use). URLs
 * (`scheme://…`, `svn+file://…`), scp-like `host:path` (a colon before any slash, as git reads it)
 * and absolute paths are returned as they are.
 */
export function resolveRepo(repo: string, baseDir: string): string {
  const r = repo.trim();
  if (r === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(r) || /^[^/]*:/.test(r) || path.isAbsolute(r)) return repo;
  return path.resolve(baseDir, r);
}
