/**
 * Which projects an event is about: a definition's `branches.repo` and the payload's repository URLs
 * are compared after normalising (src/sync/owner-id.ts normaliseRemoteUrl: credentials, scheme,
 * port and a trailing `.git` or `/` dropped, so the ssh and https forms of one repository agree),
 * and hosted repositories case-insensitively (GitHub, GitLab, Gitea and Bitbucket treat
 * `Acme/Payments` and `acme/payments` as one). Subversion URLs never match (no webhooks there).
 */
import { normaliseRemoteUrl } from '../sync/owner-id.js';

export function repoKey(url: string, baseDir: string): string | undefined {
  const u = url.trim();
  if (u === '' || /^svn(\+[a-z]+)?:\/\//i.test(u)) return undefined;
  let key: string;
  try {
    key = normaliseRemoteUrl(u, baseDir);
  } catch {
    return undefined;
  }
  return key.startsWith('file:') ? key : key.toLowerCase();
}

/** Projects by the normalised key of their `branches.repo`. */
export class RepoIndex {
  private readonly byKey = new Map<string, string[]>();

  constructor(entries: Iterable<{ project: string; repo: string }>, private readonly baseDir: string) {
    for (const e of entries) {
      const key = repoKey(e.repo, baseDir);
      if (key === undefined) continue;
      const list = this.byKey.get(key);
      if (list) {
        if (!list.includes(e.project)) list.push(e.project);
      } else this.byKey.set(key, [e.project]);
    }
  }

  /** The projects naming any of `urls` (sorted, each once). */
  projectsFor(urls: readonly string[]): string[] {
    const out = new Set<string>();
    for (const u of urls) {
      const key = repoKey(u, this.baseDir);
      if (key !== undefined) for (const p of this.byKey.get(key) ?? []) out.add(p);
    }
    return [...out].sort();
  }

  get size(): number {
    return this.byKey.size;
  }
}

/** Does any of `urls` name the repository whose remote URL is `remote`? */
export function sameRepo(urls: readonly string[], remote: string | undefined, baseDir: string): boolean {
  if (remote === undefined) return false;
  const key = repoKey(remote, baseDir);
  return key !== undefined && urls.some((u) => repoKey(u, baseDir) === key);
}
