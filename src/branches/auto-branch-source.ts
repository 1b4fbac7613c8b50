/** The default branch source: git or svn chosen from the repository URL (see repo-kind.ts). */
import type { BranchListOptions, BranchSource, ListedRef } from './branch-source.js';
import { createGitBranchSource, type GitBranchSourceOptions } from './git-branch-source.js';
import { repoLocation } from './repo-kind.js';
import { createSvnBranchSource, type SvnBranchSourceOptions } from './svn-branch-source.js';

export function createBranchSource(options: { git?: GitBranchSourceOptions; svn?: SvnBranchSourceOptions } = {}): BranchSource {
  const git = createGitBranchSource(options.git);
  const svn = createSvnBranchSource(options.svn);
  return {
    list(repo: string, opts?: BranchListOptions): Promise<string[]> {
      const loc = repoLocation(repo);
      return loc.kind === 'svn' ? svn.list(loc.url, opts) : git.list(loc.url, opts);
    },
    listRefs(repo: string, opts?: BranchListOptions): Promise<ListedRef[]> {
      const loc = repoLocation(repo);
      return loc.kind === 'svn' ? svn.listRefs!(loc.url, opts) : git.listRefs!(loc.url, opts);
    },
  };
}
