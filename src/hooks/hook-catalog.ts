/**
 * The projects a webhook can be about, read from serve's working copy: each definition's
 * `branches.repo` (normalised, src/hooks/repo-match.ts) and `build_on_create`; re-read when a file
 * in the jobs or templates directory changes (a pull, a form submission). A definition that does
 * not load names no repository, so the loading errors are kept too: an event that matches nothing
 * then fails naming them instead of being ignored. And the definitions' own remote.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadWorkspace } from '../load/workspace.js';
import { definitionsGit } from '../sync/definitions-git.js';
import { definitionErrors } from './definition-errors.js';
import type { HookCatalog } from './hook-service.js';
import { RepoIndex } from './repo-match.js';

export interface CatalogOptions {
  dir: string;
  templatesDir: string;
  jobsDir: string;
  remote?: string;
}

export interface DefinitionsCatalog extends HookCatalog {
  buildOnCreate(project: string): Promise<boolean>;
}

/** What a directory holds (names, sizes, times); a directory that cannot be read is `-`. */
function fingerprint(dir: string): string {
  try {
    return readdirSync(dir)
      .sort()
      .map((n) => {
        const s = statSync(path.join(dir, n), { throwIfNoEntry: false });
        return s ? `${n}:${s.size}:${s.mtimeMs}` : n;
      })
      .join('\n');
  } catch {
    return '-';
  }
}

export function definitionsCatalog(opts: CatalogOptions): DefinitionsCatalog {
  interface Loaded {
    index: RepoIndex;
    build: Map<string, boolean>;
    /** The loading errors (a definition that does not parse names no repository), in one line. */
    problem?: string;
  }
  // one load per version of the jobs directory, shared by the requests that arrive meanwhile
  let cached: { key: string; loaded: Promise<Loaded> } | undefined;
  let remote: Promise<string | undefined> | undefined;
  const read = async (): Promise<Loaded> => {
    const { workspace, diagnostics } = await loadWorkspace({ templatesDir: opts.templatesDir, jobsDir: opts.jobsDir });
    const entries: Array<{ project: string; repo: string }> = [];
    const build = new Map<string, boolean>();
    for (const d of workspace.definitions) {
      if (!d.branches) continue;
      entries.push({ project: d.project, repo: d.branches.repo });
      build.set(d.project, d.branches.build_on_create !== false);
    }
    const problem = definitionErrors(diagnostics, opts.dir);
    return { index: new RepoIndex(entries, opts.dir), build, ...(problem !== undefined ? { problem } : {}) };
  };
  const load = (): Promise<Loaded> => {
    const key = `${fingerprint(opts.jobsDir)}\n\n${fingerprint(opts.templatesDir)}`;
    if (cached?.key !== key) {
      const loaded = read();
      cached = { key, loaded };
      loaded.catch(() => {
        if (cached?.loaded === loaded) cached = undefined;
      });
    }
    return cached.loaded;
  };
  return {
    baseDir: opts.dir,
    index: async () => (await load()).index,
    loadProblem: async () => (await load()).problem,
    buildOnCreate: async (project) => (await load()).build.get(project) ?? true,
    definitionsRemote: () =>
      (remote ??= definitionsGit(opts.dir)
        .raw(['remote', 'get-url', '--', opts.remote ?? 'origin'])
        .then((u) => u.trim() || undefined)
        .catch(() => undefined)),
  };
}
