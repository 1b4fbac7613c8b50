/**
 * The DesiredSource the CLI, the form and the master job use: load the templates and
 * definitions from disk, render them, and (optionally) detect branches for projects with a
 * `branches:` block (after the Jenkins listing, see planSync).
 */
import { createBranchSource } from '../branches/auto-branch-source.js';
import type { BranchSource } from '../branches/branch-source.js';
import { detectAndExpand, startBranchDetection, type BranchDetection } from '../branches/workspace-branches.js';
import { hasErrors } from '../model/diagnostic.js';
import { loadWorkspace, type Workspace } from '../load/workspace.js';
import { renderWorkspace } from '../render/render-workspace.js';
import type { DesiredSnapshot, DesiredSource } from './desired-source.js';
import { resolveOwner } from './owner-id.js';
import { checkUpstream } from './upstream-check.js';
import { checkControllerNames, projectControllers } from '../controllers/assign-controllers.js';
import type { ControllersConfig } from '../controllers/controllers-config.js';
import { projectHistory } from './project-history.js';

export interface WorkspaceSourceOptions {
  templatesDir: string;
  jobsDir: string;
  /** Detect branches (default true). False: branch jobs in Jenkins are held, never torn down. */
  branches?: boolean;
  /** Branch listings in flight at once (default 8). */
  concurrency?: number;
  /** Injected for tests; default: git or svn chosen by URL. */
  branchSource?: BranchSource;
  /** Per branch listing, ms. */
  branchTimeoutMs?: number;
  /** `--config`: the config file that may give `owner:` (default ./jobsmith.yaml when present). */
  config?: string;
  /** Working directory for the config file (default process.cwd()). */
  cwd?: string;
  /** Check the upstream branch before deleting (default true; the web form's syncs never delete). */
  upstreamCheck?: boolean;
  /** The remedy a held deletion names when the definitions are stale (default `sync`'s: pull, or --allow-stale). */
  staleRemedy?: string;
  /**
   * List and expand only these projects' branches (a webhook's sync, which plans `--only` them):
   * the other projects' repositories are not listed.
   */
  branchProjects?: readonly string[];
  /** Definition files that replace or add to jobs/ (the web form plans a prospective jobs/<p>.yaml before committing it). */
  overlay?: Array<{ file: string; text: string }>;
  /** Many controllers: `controllers:` of jobsmith.yaml (absent: one implicit controller); `controller:` names are checked against it. */
  controllers?: ControllersConfig;
}

export function workspaceSource(opts: WorkspaceSourceOptions): DesiredSource {
  let workspace: Workspace | undefined;
  let detection: BranchDetection | undefined;
  const source: DesiredSource = {
    async render(): Promise<DesiredSnapshot> {
      const owning = resolveOwner({ jobsDir: opts.jobsDir, ...(opts.config !== undefined ? { config: opts.config } : {}), ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}) });
      owning.catch(() => {}); // awaited below; never an unhandled rejection while the loader runs
      const loaded = await loadWorkspace({ templatesDir: opts.templatesDir, jobsDir: opts.jobsDir, ...(opts.overlay ? { overlay: opts.overlay } : {}) });
      workspace = loaded.workspace;
      // branch listings (one process per repository) start now and overlap rendering and the Jenkins listing
      if (opts.branches !== false && !hasErrors(loaded.diagnostics)) {
        detection = startBranchDetection(loaded.workspace, {
          source: opts.branchSource ?? createBranchSource(),
          ...(opts.branchProjects ? { projects: new Set(opts.branchProjects) } : {}),
          ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
          ...(opts.branchTimeoutMs !== undefined ? { timeoutMs: opts.branchTimeoutMs } : {}),
        });
      }
      const rendered = renderWorkspace(loaded.workspace, {});
      const owner = await owning;
      const snapshot: DesiredSnapshot = {
        desired: rendered.desired,
        diagnostics: [...owner.diagnostics, ...loaded.diagnostics, ...rendered.diagnostics, ...checkControllerNames(loaded.workspace.definitions, opts.controllers)],
        owner: owner.owner,
        projectCount: loaded.workspace.definitions.length,
      };
      if (opts.controllers) snapshot.controllers = projectControllers(loaded.workspace.definitions, opts.controllers);
      return snapshot;
    },
  };
  if (opts.upstreamCheck !== false) {
    source.freshness = () => checkUpstream(opts.jobsDir, opts.staleRemedy !== undefined ? { remedy: opts.staleRemedy } : {});
    source.projectHistory = () => projectHistory(opts.jobsDir);
  }
  if (opts.branches !== false) {
    source.branches = async (snapshot, observed) => {
      if (!workspace) throw new Error('branches() called before render()');
      if (detection) return detection.expand(observed, snapshot.desired.jobs.map((j) => j.fullName), snapshot.owner);
      return detectAndExpand(workspace, {
        source: opts.branchSource ?? createBranchSource(),
        ...(opts.branchProjects ? { projects: new Set(opts.branchProjects) } : {}),
        observed,
        otherJobNames: snapshot.desired.jobs.map((j) => j.fullName),
        ...(snapshot.owner !== undefined ? { owner: snapshot.owner } : {}),
        ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
        ...(opts.branchTimeoutMs !== undefined ? { timeoutMs: opts.branchTimeoutMs } : {}),
      });
    };
  }
  return source;
}
