/**
 * The Plan: what a sync would do to Jenkins, as a plain value (printable as text or JSON,
 * saveable to a file and applied later). Made by the pure planner (src/plan/), executed by
 * src/apply/ which makes no decisions of its own.
 */

import type { ReasonCode, ReasonParams, ReasonRef } from './reason-code.js';

/** The reason of a change as a parameter of another (what a held change would have done). */
export function causeOf(c: Pick<Change, 'code' | 'params'>): ReasonRef {
  return c.params === undefined ? { code: c.code } : { code: c.code, params: c.params };
}

/**
 * - `create`    the item does not exist: create it (config with the jobsmith marker).
 * - `move`      a managed job the definitions now place elsewhere (another folder, or renamed with
 *               `job:`): moved/renamed in Jenkins, keeping its builds, then its config is pushed.
 * - `update`    a managed item's config differs (hash in the marker, or drift with --verify): push it.
 * - `adopt`     an unmanaged item has a desired name and `--adopt` was given: push the desired config.
 * - `replace`   a managed job must change type (freestyle → pipeline): delete, then create.
 * - `enable`    a managed job that jobsmith retired (marker `gone=`) is desired again.
 * - `disable`   disable the job; with `retire` also record the time in the marker first.
 * - `delete`    delete the managed item.
 * - `unchanged` nothing to do.
 * - `keep`      something would be done, but a safety rule holds it back (reason says which).
 * - `conflict`  an unmanaged item (or an item of the wrong kind) is in the way: reported, untouched.
 */
export type ChangeKind =
  | 'create'
  | 'move'
  | 'update'
  | 'adopt'
  | 'replace'
  | 'enable'
  | 'disable'
  | 'delete'
  | 'unchanged'
  | 'keep'
  | 'conflict';

export const CHANGE_KINDS: readonly ChangeKind[] = [
  'create',
  'move',
  'update',
  'adopt',
  'replace',
  'enable',
  'disable',
  'delete',
  'unchanged',
  'keep',
  'conflict',
];

/** Kinds that make a request to Jenkins. */
export const ACTING_KINDS: readonly ChangeKind[] = ['create', 'move', 'update', 'adopt', 'replace', 'enable', 'disable', 'delete'];

export type ChangeTarget = 'job' | 'folder' | 'view';

export interface ViewEdit {
  name: string;
  /** Folder the view lives in (empty at the root). */
  folder: string[];
  /** Jobs to add (names relative to the view's folder) for `update`. */
  add: string[];
  /** Jobs to remove (relative names) for `update`. */
  remove: string[];
}

export interface Change {
  kind: ChangeKind;
  target: ChangeTarget;
  /** Full name of the job or folder; for a view, its folder path and name joined by `/`. */
  fullName: string;
  /** Why, in words a user understands ("template CI-build-trunk changed"): the text printer's. */
  reason: string;
  /** Why, for scripts: a stable code (src/model/reason-code.ts) and its parameters (`--json`). */
  code: ReasonCode;
  params?: ReasonParams;
  project?: string;
  template?: string;
  branch?: string;
  /** create / update / adopt / replace, and view create: the exact XML pushed (marker included). */
  config?: string;
  /** Hash of the desired rendered config (create/update/...). */
  hash?: string;
  /** Hash recorded in the observed marker (update). */
  previousHash?: string;
  /** disable: first rewrite the marker recording `gone=<retire>` (ISO time), then disable. */
  retire?: string;
  /** The job had a running build when the plan was made. */
  building?: boolean;
  /** view create/update. */
  view?: ViewEdit;
  /** move: the job's current full name (`fullName` is where it goes). */
  from?: string;
  /** move across folders with a new short name too: the name it has between the two steps. */
  via?: string;
  /**
   * delete: half of a replacement (same project, template and branch, another place or type):
   * deleted only when this item was created (apply skips the delete when that create failed).
   */
  after?: string;
  /**
   * delete / replace of a job when an archive is configured: `first` = its build relics are copied
   * to the archive before it is deleted (if that fails it is disabled and kept); `opted-out` = the
   * definitions say `archive: false`.
   */
  archive?: 'first' | 'opted-out';
  /**
   * delete of an item that holds items: `plain` = a folder (one jobsmith made, or made from a
   * template) the plan empties first: apply lists it again right before the delete and keeps it if
   * anything is in it; `computed` = a multibranch project or organization folder: its children
   * (Jenkins' branch jobs) go with it, so with `archive: 'first'` their builds are archived first.
   */
  folderType?: 'plain' | 'computed';
  /** Many controllers (docs/controllers.md): the controller this change is made on (absent: the one Jenkins). */
  controller?: string;
  /**
   * delete / disable on one controller of a project the definitions moved to another: done only
   * after `fullName` was created (or found) on `controller` (src/plan/rules/cross-controller-move.ts).
   */
  waitsFor?: { controller: string; fullName: string };
}

/** How jobs are archived before they are deleted (in the plan, so a saved plan applies as recorded). */
export interface ArchivePolicy {
  /** The archive directory (absolute). */
  dir: string;
  /** At most this many builds per job, newest first (absent: every build Jenkins holds). */
  keepBuilds?: number;
  /** A build's artifacts larger than this many MiB are listed, not copied (0: never copied). */
  maxArtifactsMb: number;
  /** Artifacts over the cap: `list` them and go on, or `hold` (the job is disabled, not deleted). */
  onCap: 'hold' | 'list';
  /** Relic downloads in flight at once. */
  concurrency: number;
}

export type ProblemSeverity = 'error' | 'warning';

/**
 * Something the plan could not do, or refuses to do.
 * - category `refused`: a safety rule refused the whole plan (mass delete); nothing may be applied.
 * - category `external`: a remote failed (branch listing); the rest is still applied, exit 3.
 * - category `input`: the definitions are at fault.
 * - category `notice`: for information (unmanaged job in the way).
 */
export interface PlanProblem {
  severity: ProblemSeverity;
  category: 'refused' | 'external' | 'input' | 'notice';
  code: string;
  message: string;
  project?: string;
}

export interface PlanOptionsRecord {
  removed: 'delete' | 'disable' | 'keep';
  allowMassDelete: boolean;
  adopt: boolean;
  verify: boolean;
  only: string[];
  /** `--allow-empty`: definitions without any project may delete. */
  allowEmpty?: boolean;
  /** `--allow-stale`: deletions were not checked against the upstream branch. */
  allowStale?: boolean;
}

export interface Plan {
  format: 'jobsmith-plan';
  version: 1;
  /** ISO time the plan was made (from the injected clock). */
  createdAt: string;
  options: PlanOptionsRecord;
  changes: Change[];
  problems: PlanProblem[];
  /** Count per kind. */
  summary: Record<ChangeKind, number>;
  /** True when a `refused` problem forbids applying anything. */
  refused: boolean;
  /** Number of jobs this owner manages (its marker, under their own name) in the observed state. */
  managedCount: number;
  /** Owner id the plan was made for (written into every marker; apply checks it again). */
  owner?: string;
  /** What else carries a jobsmith marker: never touched by this owner. */
  ownership?: OwnershipCounts;
  /** Set by `plan --out`: what the plan was made against (staleness check on `apply FILE`). */
  basis?: PlanBasis;
  /** Archiving before deletes (absent: deletes do not archive). */
  archive?: ArchivePolicy;
  /** Many controllers: the controller this plan is for (absent: the one Jenkins, from JENKINS_URL / `jenkins:`). */
  controller?: string;
}

export interface OwnershipCounts {
  /** Items whose marker names another owner. */
  otherOwners: number;
  /** This owner's marker under another name: copies, or renamed/moved in Jenkins. */
  copies: number;
  /** Old (v1) markers without owner that no desired job claims. */
  oldMarkers: number;
}

export interface PlanBasis {
  /** git HEAD of the definitions directory, or null when it is not in a git work tree. */
  revision: string | null;
  /** sha256 over the template and definition files (paths and contents). */
  inputsHash: string;
  /** sha256 over what the plan depends on in the observed Jenkins state. */
  observedFingerprint: string;
}

export function hasActions(plan: Plan): boolean {
  return plan.changes.some((c) => ACTING_KINDS.includes(c.kind));
}

export function emptySummary(): Record<ChangeKind, number> {
  const s = {} as Record<ChangeKind, number>;
  for (const k of CHANGE_KINDS) s[k] = 0;
  return s;
}
