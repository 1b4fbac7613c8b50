import type { ObservedState } from './observed.js';

/**
 * Asked with an item's current config: undefined when the item is the one a write is for, else why
 * not (in words). The rules that make them: src/plan/rules/still-owned.ts.
 */
export type WriteGuard = (currentConfig: string) => string | undefined;

/**
 * The small interface through which everything that talks to Jenkins does so.
 * The real implementation is the undici client in `src/jenkins/`; tests use the same client
 * against the stand-in server on a loopback port (never a mock).
 *
 * Names are Jenkins full names (`a/b/job`); the implementation maps them to `job/a/job/b/job/job`.
 * Every method rejects with a `JenkinsError` (src/jenkins/errors.ts) on failure.
 */
export interface JenkinsApi {
  /** Jenkins version from the `X-Jenkins` header. */
  version(): Promise<string>;
  whoAmI(): Promise<{ name: string; anonymous: boolean; authorities: string[] }>;

  /** All items (nested folders included) and root views, in ONE `api/json?tree=` request. */
  list(): Promise<ObservedState>;

  /**
   * The items directly in a folder-type item, as Jenkins holds them now (one
   * `job/F/api/json?tree=jobs[name,fullName]` request; each with its `_class` and whether it holds items).
   */
  listFolder(fullName: string): Promise<Array<{ fullName: string; className: string; isFolder: boolean }>>;

  getConfig(fullName: string): Promise<string>;
  /**
   * `createItem` in the parent folder (which must exist). After an attempt whose answer was lost,
   * an item found at the name counts as created only when `created` accepts its config (without
   * it: when it holds this config, Jenkins' own parts aside); anything else there (made or renamed
   * to the name meanwhile) is never written over: the create fails (`conflict`).
   */
  createJob(fullName: string, configXml: string, created?: WriteGuard): Promise<void>;
  /** POST config.xml; `guard`, when given, is asked with the item's current config before the write is repeated (a refusal fails it: `conflict`). */
  updateJob(fullName: string, configXml: string, guard?: WriteGuard): Promise<void>;
  deleteJob(fullName: string): Promise<void>;
  disableJob(fullName: string): Promise<void>;
  enableJob(fullName: string): Promise<void>;
  renameJob(fullName: string, newName: string): Promise<void>;
  /**
   * Move an item to another folder (`''` = the root), keeping its builds: the folders plugin's
   * `job/NAME/move/move?destination=/F1/F2`. Rejects unless the item then exists at the destination.
   */
  moveJob(fullName: string, destinationFolder: string): Promise<void>;
  copyJob(fromFullName: string, toFullName: string): Promise<void>;
  /** Create every missing folder along `fullName` (a/b/c creates a, a/b, a/b/c). */
  ensureFolder(fullName: string): Promise<void>;

  /** Views of a folder (empty path = root). */
  listViews(folder?: string): Promise<Array<{ name: string; className: string; jobs: string[]; description?: string | null }>>;
  createView(name: string, configXml: string, folder?: string): Promise<void>;
  getViewConfig(name: string, folder?: string): Promise<string>;
  updateViewConfig(name: string, configXml: string, folder?: string): Promise<void>;
  deleteView(name: string, folder?: string): Promise<void>;
  addJobToView(view: string, jobName: string, folder?: string): Promise<void>;
  removeJobFromView(view: string, jobName: string, folder?: string): Promise<void>;

  /** Nodes (built-in and agents) with their label atoms, from `computer/api/json` (one request). */
  listNodes(): Promise<Array<{ name: string; labels: string[]; offline: boolean }>>;

  /** Queue a build; returns the queue item id. */
  build(fullName: string, parameters?: Record<string, string>): Promise<number>;
  queueItem(id: number): Promise<{ id: number; cancelled: boolean; buildNumber?: number; why?: string | null }>;
  buildStatus(fullName: string, number: number): Promise<{ building: boolean; result: string | null }>;
  /**
   * Why a build started (its `CauseAction`s): a user (`hudson.model.Cause$UserIdCause` with
   * `userId`, `userName`), a timer, SCM, an upstream build, ... Optional: not every API offers it.
   */
  buildCauses?(fullName: string, number: number): Promise<BuildCause[]>;
}

export interface BuildCause {
  /** Jenkins class, e.g. `hudson.model.Cause$UserIdCause`. */
  className: string;
  shortDescription?: string;
  userId?: string;
  userName?: string;
}
