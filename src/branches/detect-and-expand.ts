/**
 * The one call sync makes: list the branches of every project's repository (each distinct repository
 * once, concurrently) and expand the branch templates. Never throws for a remote's failure: that
 * project's scope comes back `failed` (the planner then tears nothing of it down).
 */
import type { ObservedState } from '../model/observed.js';
import type { BranchExpansion } from '../sync/desired-source.js';
import type { BranchSource } from './branch-source.js';
import { detectBranches, type BranchListing } from './detect-branches.js';
import { expandBranchJobs, type BranchProject, type RenderBranchJob } from './expand-branch-jobs.js';

export interface BranchInputs {
  projects: readonly BranchProject[];
  render: RenderBranchJob;
  /** Full names of the definitions' other jobs (a branch job may not take one). */
  otherJobNames?: Iterable<string>;
}

export interface DetectAndExpandOptions {
  source: BranchSource;
  /** Listings in flight at once (default 8). */
  concurrency?: number;
  /** Per listing, milliseconds (default 60 000). */
  timeoutMs?: number;
  /** The sync's one Jenkins listing: the `max` cap keeps branches that already have jobs first. */
  observed?: ObservedState;
  /** The run's owner id: only the branch jobs it manages count for that (another owner's do not). */
  owner?: string;
}

export async function detectBranchJobs(inputs: BranchInputs, opts: DetectAndExpandOptions): Promise<BranchExpansion> {
  return expandDetected(inputs, await listBranchesOf(inputs.projects, opts), opts.observed, opts.owner);
}

/** Start listing the projects' repositories (each distinct one once). */
export function listBranchesOf(projects: readonly BranchProject[], opts: Omit<DetectAndExpandOptions, 'observed'>): Promise<Map<string, BranchListing>> {
  return detectBranches(
    projects.map((p) => ({ project: p.project, repo: p.branches.repo, ...(p.branches.refs ? { refs: p.branches.refs } : {}) })),
    opts.source,
    { ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}), ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) },
  );
}

/** Expansion once the listings are in. */
export function expandDetected(inputs: BranchInputs, listings: ReadonlyMap<string, BranchListing>, observed?: ObservedState, owner?: string): BranchExpansion {
  return expandBranchJobs({
    projects: inputs.projects,
    listings,
    render: inputs.render,
    ...(observed ? { observed } : {}),
    ...(owner !== undefined ? { owner } : {}),
    ...(inputs.otherJobNames ? { otherJobNames: inputs.otherJobNames } : {}),
  });
}
