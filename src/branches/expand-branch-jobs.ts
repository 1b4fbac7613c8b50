/**
 * Expansion (pure): definitions' `branches` blocks × detected branch lists → desired branch jobs,
 * one per (matching branch, listed template), plus a BranchScope per project for the planner's
 * teardown rules and problems for failed listings and cap overflows.
 */
import type { DesiredJob } from '../model/desired-job.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ObservedState } from '../model/observed.js';
import type { PlanProblem } from '../model/plan.js';
import { parseMarker } from '../plan/marker.js';
import { ownershipOf, type Ownership } from '../plan/rules/managed-only.js';
import type { BranchScope } from '../plan/rules/branch-grace.js';
import type { BranchExpansion } from '../sync/desired-source.js';
import { capBranches, type ExistingBranchJob } from './branch-cap.js';
import { compileBranchFilter, invalidPatterns } from './branch-filter.js';
import { branchJobName, branchSlug } from './branch-job-name.js';
import type { BranchListing } from './detect-branches.js';
import { redactUrl, withoutPassword } from '../model/redact-url.js';
import { repoLocation } from './repo-kind.js';

/** Grace period when `keep_days` is not given. */
export const DEFAULT_BRANCH_KEEP_DAYS = 3;
/** Cap per project when `max` is not given. */
export const DEFAULT_MAX_BRANCHES = 100;

/** The `branches:` block of a definition, as the loader validated its shape. */
export interface BranchesBlock {
  repo: string;
  include?: string[];
  exclude?: string[];
  templates: string[];
  keep_days?: number;
  max?: number;
  /** Extra git ref patterns (e.g. `refs/pull/* /head` → `pr/N`). */
  refs?: string[];
}

export interface BranchProject {
  project: string;
  /** Definition file and the line of its `branches:` key, for messages. */
  file: string;
  line?: number;
  /** Exact places of fields (`include[1]`, `keep_days`, ...), when known. */
  locs?: Record<string, { line: number; column: number }>;
  branches: BranchesBlock;
}

/** Values of the built-in branch tokens. */
export interface BranchTokens {
  'BRANCH.NAME': string;
  'BRANCH.SLUG': string;
  'BRANCH.REPO': string;
}

export interface RenderBranchJobRequest {
  project: string;
  template: string;
  /** Position of the template in `branches.templates` (the same template may be listed twice with different `job:` names). */
  index: number;
  branch: string;
  /** Built-in tokens to add to the project's own. */
  values: BranchTokens;
  /** Turns the name the template's job would have without a branch into the branch job's name. */
  nameFor: (baseName: string) => string;
}

/** Renders one branch job (the render engineer's code: tokens, escaping, folder, hash). */
export type RenderBranchJob = (req: RenderBranchJobRequest) => { job?: DesiredJob; diagnostics: Diagnostic[] };

/** The URL as a token value: no password (the user part stays, see withoutPassword), no `svn+` prefix. */
export function repoTokenValue(repo: string): string {
  return withoutPassword(repoLocation(repo).url);
}

/** Diagnostics for a block's glob patterns and numbers (all at once). */
export function checkBranchesBlock(p: BranchProject): Diagnostic[] {
  const out: Diagnostic[] = [];
  const where = (field: string) => {
    const l = p.locs?.[field];
    return l ? { file: p.file, line: l.line, column: l.column } : { file: p.file, ...(p.line !== undefined ? { line: p.line } : {}) };
  };
  const at = where('');
  for (const key of ['include', 'exclude', 'refs'] as const) {
    for (const bad of invalidPatterns(p.branches[key] ?? [])) {
      out.push({ ...where(`${key}[${bad.index}]`), severity: 'error', code: 'bad-branch-pattern', field: `branches.${key}[${bad.index}]`, message: `${p.project}: branches.${key}[${bad.index}] is not a valid glob: ${bad.message}` });
    }
  }
  const { keep_days: keepDays, max } = p.branches;
  if (keepDays !== undefined && !(Number.isFinite(keepDays) && keepDays >= 0))
    out.push({ ...where('keep_days'), severity: 'error', code: 'bad-branch-keep-days', field: 'branches.keep_days', message: `${p.project}: branches.keep_days must be a number of days, 0 or more` });
  if (max !== undefined && !(Number.isInteger(max) && max >= 0))
    out.push({ ...where('max'), severity: 'error', code: 'bad-branch-max', field: 'branches.max', message: `${p.project}: branches.max must be a whole number, 0 or more` });
  if (p.branches.templates.length === 0)
    out.push({ ...at, severity: 'error', code: 'no-branch-templates', field: 'branches.templates', message: `${p.project}: branches.templates lists no template` });
  return out;
}

/**
 * Branch names that already have jobs in Jenkins, per project (from the jobsmith markers): `live`,
 * or `retired` when the marker records that jobsmith retired it (`gone=`). A branch with several
 * jobs (several templates) is live when any of them is. With `owner`, only the jobs that run may
 * manage count (its own under their own name, and the old markers it may take over): another
 * definitions' project of the same name, or a copy, says nothing about this one's branches.
 */
export function existingBranchJobs(observed: ObservedState | undefined, owner?: string): Map<string, Map<string, ExistingBranchJob>> {
  const out = new Map<string, Map<string, ExistingBranchJob>>();
  for (const item of observed?.items ?? []) {
    const m = parseMarker(item.description);
    if (!m || m.kind !== 'job' || m.branch === undefined || m.project === undefined) continue;
    if (owner !== undefined && !mayManage(ownershipOf(m, item.fullName, owner), m, item.fullName)) continue;
    let map = out.get(m.project);
    if (!map) out.set(m.project, (map = new Map()));
    if (map.get(m.branch) !== 'live') map.set(m.branch, m.gone === undefined ? 'live' : 'retired');
  }
  return out;
}

export interface ExpandInput {
  projects: readonly BranchProject[];
  listings: ReadonlyMap<string, BranchListing>;
  render: RenderBranchJob;
  observed?: ObservedState;
  /** Full names of the other desired jobs (no branch job may take one of them). */
  otherJobNames?: Iterable<string>;
  /** The run's owner id: only its branch jobs count for the `max` cap (see existingBranchJobs). */
  owner?: string;
}

/** Could a run of this owner manage the job (its own, or an old marker it takes over where wanted)? */
function mayManage(o: Ownership, m: { name?: string | undefined }, fullName: string): boolean {
  return o === 'own' || o === 'legacy' || (o === 'shared-default' && m.name === fullName);
}

const DEFINITIONS_JOB = 'a job of the definitions';

export function expandBranchJobs(input: ExpandInput): BranchExpansion {
  const jobs: DesiredJob[] = [];
  const diagnostics: Diagnostic[] = [];
  const problems: PlanProblem[] = [];
  const scopes: Record<string, BranchScope> = {};
  const existing = existingBranchJobs(input.observed, input.owner);
  const taken = new Map<string, string>();
  for (const n of input.otherJobNames ?? []) taken.set(n.toLowerCase(), DEFINITIONS_JOB);

  for (const p of input.projects) {
    const keepDays = p.branches.keep_days ?? DEFAULT_BRANCH_KEEP_DAYS;
    const check = checkBranchesBlock(p);
    if (check.length > 0) {
      diagnostics.push(...check);
      scopes[p.project] = { status: 'failed', keepDays, detail: 'invalid branches block' };
      continue;
    }
    const listing = input.listings.get(p.project);
    const shownRepo = redactUrl(p.branches.repo);
    if (!listing || listing.status === 'failed') {
      const detail = listing?.status === 'failed' ? listing.detail : `${shownRepo}: not listed`;
      scopes[p.project] = { status: 'failed', keepDays, detail };
      problems.push({ severity: 'error', category: 'external', code: 'branch-listing-failed', project: p.project, message: `project ${p.project}: branch listing failed (its branch jobs are left as they are): ${detail}` });
      continue;
    }
    const filter = compileBranchFilter(p.branches);
    // Several refs with one branch name (a branch `pr/7` and the pull request `refs/pull/7/head`):
    // neither gets a job while both exist, and a job the name already has is left as it is.
    const collided = new Map((listing.collisions ?? []).map((c) => [c.name, c.refs]));
    const held: string[] = [];
    for (const [name, refs] of collided) {
      if (!filter(name)) continue;
      held.push(name);
      problems.push({
        severity: 'error',
        category: 'external',
        code: 'branch-ref-collision',
        project: p.project,
        message: `project ${p.project}: ${refs.join(' and ')} both map to branch name ${name}: no job for either while both exist (a job for ${name} is left as it is); rename one of them`,
      });
    }
    const matching = listing.branches.filter((b) => filter(b) && !collided.has(b));
    // listed but dropped by include/exclude: not gone (a webhook's sync leaves their jobs to a full sync)
    const filtered = [...new Set([...listing.branches, ...collided.keys()])].filter((b) => !filter(b));
    const max = p.branches.max ?? DEFAULT_MAX_BRANCHES;
    const { kept, overflow } = capBranches(matching, max, existing.get(p.project));
    if (overflow.length > 0) {
      const sample = overflow.slice(0, 5).join(', ') + (overflow.length > 5 ? ', ...' : '');
      problems.push({ severity: 'warning', category: 'notice', code: 'branch-cap', project: p.project, message: `project ${p.project}: ${matching.length} branches match, max ${max}: no jobs for ${overflow.length} (${sample})` });
    }
    const projectJobs: DesiredJob[] = [];
    const projectDiags: Diagnostic[] = [];
    const mine = new Map<string, string>();
    let collision: { detail: string; with: 'definitions' | 'branches' } | undefined;
    const repoValue = repoTokenValue(p.branches.repo);
    for (const branch of kept) {
      const values: BranchTokens = { 'BRANCH.NAME': branch, 'BRANCH.SLUG': branchSlug(branch), 'BRANCH.REPO': repoValue };
      for (const [index, template] of p.branches.templates.entries()) {
        const r = input.render({ project: p.project, template, index, branch, values, nameFor: (base) => branchJobName(base, branch) });
        projectDiags.push(...r.diagnostics);
        if (!r.job) continue;
        const job: DesiredJob = { ...r.job, branch };
        const key = job.fullName.toLowerCase();
        const clash = mine.get(key) ?? taken.get(key);
        if (clash !== undefined && collision === undefined) {
          collision = clash === DEFINITIONS_JOB ? { detail: `${job.fullName}: branch ${branch} and a job of the definitions get the same job name`, with: 'definitions' } : { detail: `${job.fullName}: branch ${branch} and ${clash} get the same job name`, with: 'branches' };
        }
        mine.set(key, `branch ${branch}`);
        projectJobs.push(job);
      }
    }
    if (collision !== undefined) {
      // fail closed for this project only: a crafted branch name must not take over or retire other
      // jobs. A clash with a job of the definitions is theirs to fix (input); one between branches is
      // the branch names' (external, as a listing that cannot be used).
      scopes[p.project] = { status: 'failed', keepDays, detail: collision.detail, listed: listing.branches.length, collision: collision.with };
      const fix = collision.with === 'definitions' ? ': give that job of the definitions another name (job:)' : '';
      problems.push({ severity: 'error', category: collision.with === 'definitions' ? 'input' : 'external', code: 'branch-name-collision', project: p.project, message: `project ${p.project}: ${collision.detail}${fix}; its branch jobs are left as they are` });
      continue;
    }
    diagnostics.push(...projectDiags);
    for (const [k, v] of mine) taken.set(k, `${v} of ${p.project}`);
    jobs.push(...projectJobs);
    scopes[p.project] = {
      status: 'ok',
      keepDays,
      listed: listing.branches.length,
      ...(filtered.length > 0 ? { filtered } : {}),
      ...(overflow.length > 0 ? { cap: { max, dropped: overflow } } : {}),
      ...(held.length > 0 ? { held: held.sort() } : {}),
    };
  }
  return { jobs, folders: [], scopes, diagnostics, problems };
}
