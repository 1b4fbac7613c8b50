/**
 * Where a sync gets its desired state from: a function that loads and renders the definitions
 * (and detects branches). User mistakes come back as diagnostics; failures of remotes (git)
 * reject with ExternalError.
 */
import type { DesiredState } from '../model/desired-job.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { BranchScope } from '../plan/rules/branch-grace.js';

export interface DesiredSnapshot {
  desired: DesiredState;
  diagnostics: Diagnostic[];
  /** Per project with a `branches:` section (see BranchScope); undefined when branch detection is not run. */
  branchScopes?: Record<string, BranchScope>;
}

export type DesiredSource = () => Promise<DesiredSnapshot>;
