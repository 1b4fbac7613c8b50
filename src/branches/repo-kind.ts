/**
 * Which client lists a repository, decided from its URL alone (documented in README.md):
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
