/**
 * Where a sync gets its desired state from: `render()` loads and renders the definitions (user
 * mistakes come back as diagnostics); `branches()` (optional) lists the projects' branches and
 * returns the extra per-branch jobs, run after the one Jenkins listing (so a branch cap can keep
 * branches that already have jobs). Failures of remotes reject with ExternalError, except branch
 * listings, which come back per project as `failed` scopes (fail closed for that project only).
 */
import type { DesiredFolder, DesiredJob, DesiredState } from '../model/desired-job.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ObservedState } from '../model/observed.js';
import type { PlanProblem } from '../model/plan.js';
import type { BranchScope } from '../plan/rules/branch-grace.js';
import type { Freshness } from './upstream-check.js';

export interface DesiredSnapshot {
  desired: DesiredState;
  diagnostics: Diagnostic[];
  /** Owner id of the definitions (src/sync/owner-id.ts); undefined: `default`. */
  owner?: string;
  /** Number of projects (definition files) found; undefined: not counted (no empty-definitions check). */
  projectCount?: number;
  /** Many controllers: project → the controllers its jobs go to (absent: one implicit controller). */
  controllers?: Map<string, string[]>;
}

export interface BranchExpansion {
  jobs: DesiredJob[];
  folders: DesiredFolder[];
  /** One entry for every project with a `branches:` block. */
  scopes: Record<string, BranchScope>;
  diagnostics: Diagnostic[];
  problems: PlanProblem[];
}

export interface DesiredSource {
  render(): Promise<DesiredSnapshot>;
  /** Undefined: branch detection is not run (branch jobs in Jenkins are then never torn down). */
  branches?(snapshot: DesiredSnapshot, observed: ObservedState): Promise<BranchExpansion>;
  /**
   * Are the definitions current (HEAD contains the upstream head)? Asked only before a plan that
   * deletes, retires or moves something; undefined: never checked (nothing to be behind).
   */
  freshness?(): Promise<Freshness>;
  /**
   * The projects the definitions' history ever had (src/sync/project-history.ts); asked only when a
   * managed job's project is missing from the definitions. Undefined (or resolving undefined): not known.
   */
  projectHistory?(): Promise<ReadonlySet<string> | undefined>;
}
