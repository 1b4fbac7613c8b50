/**
 * Executes a Plan against Jenkins in a fixed order: folders (parents first), moves (move/rename,
 * then the config with the new marker), job creates / updates / adoptions / replacements,
 * re-enables, views, disables (with marker retirement), deletes (jobs, then folders deepest
 * first; a delete that is half of a replacement waits for its replacement's create). Independent steps run concurrently (default 8).
 * It makes no decisions: every step is in the plan. A failed step is recorded and the rest go on
 * (steps below a failed folder are skipped); re-running a sync converges.
 */
import type { JenkinsApi } from '../model/jenkins-api.js';
import { DEFAULT_OWNER } from '../plan/make-plan.js';
import { createdGuard, destructiveGuard, repeatGuard } from '../plan/rules/still-owned.js';
import { ExternalError } from '../model/errors.js';
import { ACTING_KINDS, type Change, type Plan } from '../model/plan.js';
import { readDescription, withMarker } from '../plan/config-description.js';
import { formatMarker, parseMarker } from '../plan/marker.js';
import type { ApplyEvent, ApplyPhase, ApplyResult, StepFailure } from './apply-events.js';
import { runLimited } from './run-limited.js';
import { ArchiveError, Limiter, archiveJob } from './archive-job.js';
import type { ArchiveStore } from '../model/archive-store.js';
import type { RelicSource } from '../model/build-relics.js';
import { classifyFailure } from './failure-class.js';
import { deleteAfterArchive } from '../plan/rules/archive-first.js';
import { heldAtDelete, jobsToArchive } from '../plan/rules/folder-contents.js';
import { folderViewParts } from '../model/item-types.js';
import { carryRootChildren, rootElementName } from '../xml/root-children.js';

export interface ApplyOptions {
  concurrency?: number;
  onEvent?: (e: ApplyEvent) => void;
  /**
   * Aborted: start no more changes (those in flight finish); the result lists the rest in
   * `notStarted`. The CLI aborts it on Ctrl-C.
   */
  signal?: AbortSignal;
  /** Where the plan's `archive: 'first'` deletes copy build relics to, and where they are read from. */
  archive?: { store: ArchiveStore; relics?: RelicSource };
}

function depth(name: string): number {
  return name.split('/').length;
}

function parentOf(name: string): string {
  const i = name.lastIndexOf('/');
  return i < 0 ? '' : name.slice(0, i);
}

function leafOf(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/**
 * A config push to an existing item. For a folder-type item (a folder jobsmith made, or one from a
 * folder-type template) the views people made inside it are Jenkins' own, and a config without them
 * would reset the folder to a lone All view: they are read from the config Jenkins holds and
 * carried into the pushed one (src/xml/root-children.ts).
 */
export async function pushConfig(api: JenkinsApi, fullName: string, config: string, guard?: Parameters<JenkinsApi['updateJob']>[2]): Promise<void> {
  const root = rootElementName(config);
  const parts = root === undefined ? new Set<string>() : folderViewParts(root);
  if (parts.size === 0) return api.updateJob(fullName, config, guard);
  const live = await api.getConfig(fullName);
  let merged: string;
  try {
    merged = carryRootChildren(config, live, parts);
  } catch {
    merged = config; // Jenkins served something unreadable: push what the plan says
  }
  return api.updateJob(fullName, merged, guard);
}

/**
 * Right before a destructive step (a delete, a move, a retirement, the old item of a replacement) the
 * item must still be what the plan saw: its config is read and checked under the rule
 * src/plan/rules/still-owned.ts. A refusal fails that step; the next sync plans from what Jenkins then holds.
 */
export async function checkBefore(api: JenkinsApi, c: Change, owner: string, at: string = c.fullName, config?: string): Promise<void> {
  const current = config ?? (c.target === 'view' ? await api.getViewConfig(c.view!.name, viewFolder(c)) : await api.getConfig(at));
  const why = destructiveGuard(c, owner, at)(current);
  if (why !== undefined) throw new ChangedMeanwhile(`${STEP_WORD[c.kind] ?? c.kind} '${at}' refused: it is no longer what the plan saw: ${why}; not touched`);
}

const STEP_WORD: Partial<Record<Change['kind'], string>> = { move: 'move', disable: 'retire', replace: 'replace', delete: 'delete' };

/** The item is no longer what the plan saw (./failure-class.ts: run sync again, the next plan sees it as it is). */
export class ChangedMeanwhile extends ExternalError {
  override name = 'ChangedMeanwhile';
  readonly kind = 'conflict';
  readonly changedMeanwhile = true;
}

function viewFolder(c: Change): string | undefined {
  return c.view && c.view.folder.length > 0 ? c.view.folder.join('/') : undefined;
}

/**
 * A move: to the destination folder (folders plugin), and/or a rename within a folder, in the order
 * the plan chose (`via` is the name in between), then the config with the marker for the new name
 * (a move in two steps first writes that config with `from=` in its marker, so that a move stopped
 * half-way names its target; the last push removes it).
 */
export async function moveJob(api: JenkinsApi, c: Change, owner: string = DEFAULT_OWNER): Promise<void> {
  const from = c.from!;
  await checkBefore(api, c, owner, from);
  const to = c.fullName;
  const crossing = parentOf(from) !== parentOf(to);
  const renaming = leafOf(from) !== leafOf(to);
  if (!crossing && c.via !== undefined) {
    // a rename in two steps (only the case changes: Jenkins refuses that in one), marker first as below
    const target = parseMarker(readDescription(c.config!));
    if (target) await pushConfig(api, from, withMarker(c.config!, formatMarker({ ...target, from })));
    await api.renameJob(from, leafOf(c.via));
    await api.renameJob(c.via, leafOf(to));
  } else if (crossing && renaming) {
    const via = c.via!;
    // the target's marker (with from=) first: stopped between the two steps, the job at `via` names
    // where it is going, and the next sync finishes the move (src/plan/rules/managed-only.ts claimLeftover)
    const target = parseMarker(readDescription(c.config!));
    if (target) await pushConfig(api, from, withMarker(c.config!, formatMarker({ ...target, from })));
    if (parentOf(via) === parentOf(to)) {
      await api.moveJob(from, parentOf(to));
      await api.renameJob(via, leafOf(to));
    } else {
      await api.renameJob(from, leafOf(to));
      await api.moveJob(via, parentOf(to));
    }
  } else if (crossing) {
    await api.moveJob(from, parentOf(to));
  } else if (renaming) {
    await api.renameJob(from, leafOf(to));
  }
  await pushConfig(api, to, c.config!, repeatGuard(c, owner));
}

/**
 * A replacement (the job's type changes: Jenkins cannot change it with a config push): the old item
 * is renamed aside (`via`, a free name the plan chose), the new one created, and only then is the
 * old one deleted. When the create fails the old item gets its name back, so nothing is lost
 * (plans saved before `via` existed delete first).
 */
export async function replaceJob(api: JenkinsApi, c: Change, owner: string = DEFAULT_OWNER): Promise<void> {
  await checkBefore(api, c, owner);
  const aside = c.via;
  if (aside === undefined) {
    await api.deleteJob(c.fullName);
    return api.createJob(c.fullName, c.config!, createdGuard(c));
  }
  await api.renameJob(c.fullName, leafOf(aside));
  try {
    await api.createJob(c.fullName, c.config!, createdGuard(c));
  } catch (err) {
    try {
      await api.renameJob(aside, leafOf(c.fullName));
    } catch {
      if (err instanceof Error) err.message += `; the old job is kept as ${aside} (rename it back to ${leafOf(c.fullName)} in Jenkins)`;
    }
    throw err;
  }
  try {
    await api.deleteJob(aside);
  } catch (err) {
    // the new job is in place; the old one stays beside it, and no later sync touches it (its marker names the new one's place)
    if (err instanceof Error) err.message += `; the new ${c.fullName} was created, the old job is left as ${aside}: delete it in Jenkins`;
    throw err;
  }
}

/** The check after archiving (deleteAfterArchive) keeps the job: a build newer than the archived ones, or running. */
class NewerBuild extends ArchiveError {
  override name = 'NewerBuild';
}

/** An item kept because Jenkins changed since the listing (something appeared in it): the next sync plans from a fresh listing. */
class KeptError extends Error {
  override name = 'KeptError';
  readonly kind = 'conflict';
}

/**
 * A view replacement (its type changes; Jenkins cannot rename a view through its API nor change its
 * type with a config push): the new view is made under the temporary name the plan chose (`via`)
 * first, so the old one is deleted only once Jenkins has made the new one (a missing view plugin
 * fails here, and nothing is lost); then the old one is deleted, the new one made under its name,
 * and the temporary one deleted. A run stopped in between leaves the temporary view, which the next
 * sync deletes (src/plan/plan-template-views.ts). Plans saved before `via` existed delete first.
 */
export async function replaceView(api: JenkinsApi, c: Change, folder: string | undefined): Promise<void> {
  const v = c.view!;
  if (c.via === undefined) {
    await api.deleteView(v.name, folder);
    return api.createView(v.name, c.config!, folder);
  }
  const temp = leafOf(c.via);
  await api.createView(temp, c.config!, folder);
  await api.deleteView(v.name, folder);
  await api.createView(v.name, c.config!, folder);
  await api.deleteView(temp, folder);
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Rewrites the marker of a job's current config to record `gone=<at>` (checked first: still the job the plan saw). */
export async function retireMarker(api: JenkinsApi, c: Change, owner: string, at: string): Promise<void> {
  const fullName = c.fullName;
  const config = await api.getConfig(fullName);
  await checkBefore(api, c, owner, fullName, config);
  const marker = parseMarker(readDescription(config));
  if (!marker) throw new Error(`${fullName}: the job no longer carries a jobsmith marker; not retired`);
  await api.updateJob(fullName, withMarker(config, formatMarker({ ...marker, gone: at })));
}

export async function applyPlan(api: JenkinsApi, plan: Plan, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const limit = opts.concurrency ?? 8;
  const owner = plan.owner ?? DEFAULT_OWNER;
  const emit = opts.onEvent ?? (() => {});
  const result: ApplyResult = { refused: plan.refused, succeeded: [], failed: [], skipped: [], archived: [] };
  if (plan.refused) {
    emit({ type: 'end', succeeded: 0, failed: 0, skipped: 0 });
    return result;
  }
  const acting = plan.changes.filter((c) => ACTING_KINDS.includes(c.kind));
  const total = acting.length;
  let done = 0;
  emit({ type: 'start', total });

  const failedFolders: string[] = [];
  const failedJobs = new Set<string>();
  const underFailedFolder = (name: string) => failedFolders.some((f) => name.startsWith(f + '/'));

  const notStarted: Change[] = [];
  const step = async (change: Change, action: () => Promise<void>): Promise<boolean> => {
    if (opts.signal?.aborted) {
      notStarted.push(change);
      return false;
    }
    const blocker = underFailedFolder(change.fullName) ? failedFolders.find((f) => change.fullName.startsWith(f + '/')) : undefined;
    if (blocker !== undefined) {
      result.skipped.push({ change, error: `folder ${blocker} could not be created or updated` });
      done++;
      emit({ type: 'step', change, ok: false, error: 'skipped', done, total });
      return false;
    }
    try {
      await action();
      result.succeeded.push(change);
      done++;
      emit({ type: 'step', change, ok: true, done, total });
      return true;
    } catch (err) {
      const verdict = classifyFailure(err, change);
      const f: StepFailure = { change, error: errorText(err), class: verdict.class, hint: verdict.hint };
      if (err instanceof ArchiveError && err.held) f.held = true;
      result.failed.push(f);
      done++;
      emit({ type: 'step', change, ok: false, error: f.error, done, total });
      return false;
    }
  };

  const phase = async (name: ApplyPhase, changes: Change[], action: (c: Change) => Promise<void>, onFail?: (c: Change) => void) => {
    if (changes.length === 0) return;
    emit({ type: 'phase', phase: name, count: changes.length });
    await runLimited(changes, limit, async (c) => {
      if (!(await step(c, () => action(c)))) onFail?.(c);
    });
  };

  // Archiving before a delete: what the plan marked `archive: 'first'` (see src/plan/rules/archive-first.ts).
  const limiter = new Limiter(plan.archive?.concurrency ?? 4);
  /**
   * Archive a job marked `archive: 'first'`, then ask the plan's rule whether it may go now: no
   * build newer than the archived ones, none running (src/plan/rules/archive-first.ts
   * deleteAfterArchive, with a fresh listing of the job's newest build). Throws when it may not.
   */
  const archiveFirst = async (c: Change): Promise<void> => {
    if (c.archive !== 'first') return;
    const store = opts.archive?.store;
    const relics = opts.archive?.relics;
    if (!plan.archive || !store) throw new ArchiveError('no archive store was given to apply');
    if (!relics) throw new ArchiveError('this Jenkins connection cannot read builds (no relic source was given to apply)');
    const outcome = await archiveJob(api, c, plan.archive, { store, relics, limiter });
    result.archived.push(outcome.report);
    let newest;
    try {
      newest = (await relics.listBuilds(c.fullName, 1))[0];
    } catch (err) {
      throw new ArchiveError(`checking for builds newer than the archived ones failed: ${errorText(err)}`);
    }
    const verdict = deleteAfterArchive(outcome.listed, newest);
    if (!verdict.ok) throw new NewerBuild(`${verdict.why} (the ${outcome.report.builds} build(s) archived stay in the archive)`);
  };

  // 1. folders, parents first (one depth level at a time)
  const folderWrites = acting.filter((c) => c.target === 'folder' && (c.kind === 'create' || c.kind === 'update'));
  const depths = [...new Set(folderWrites.map((c) => depth(c.fullName)))].sort((a, b) => a - b);
  for (const d of depths) {
    await phase(
      'folders',
      folderWrites.filter((c) => depth(c.fullName) === d),
      (c) => (c.kind === 'create' ? api.createJob(c.fullName, c.config!, createdGuard(c)) : pushConfig(api, c.fullName, c.config!, repeatGuard(c, owner))),
      (c) => failedFolders.push(c.fullName),
    );
  }

  // 2. moves (before creates: nothing is created where a moved job passes through)
  const moves = acting.filter((c) => c.kind === 'move');
  await phase('moves', moves, (c) => moveJob(api, c, owner), (c) => failedJobs.add(c.fullName));

  // 3. jobs: creates, updates, adoptions, replacements
  const jobWrites = acting.filter((c) => c.target === 'job' && ['create', 'update', 'adopt', 'replace'].includes(c.kind));
  await phase(
    'jobs',
    jobWrites,
    async (c) => {
      if (c.kind === 'create') return api.createJob(c.fullName, c.config!, createdGuard(c));
      if (c.kind === 'replace') {
        try {
          await archiveFirst(c);
        } catch (err) {
          throw new ArchiveError(`not replaced: archiving its builds failed: ${errorText(err)}; the job is kept as it is and the next sync tries again`, err instanceof ArchiveError && err.held);
        }
        return replaceJob(api, c, owner);
      }
      return pushConfig(api, c.fullName, c.config!, repeatGuard(c, owner));
    },
    (c) => failedJobs.add(c.fullName),
  );

  // 4. re-enables (after the update that cleared the marker)
  const enables = acting.filter((c) => c.kind === 'enable');
  await runPhaseSkipping('enables', enables, (c) => api.enableJob(c.fullName));

  // 5. views
  const views = acting.filter((c) => c.target === 'view');
  await phase('views', views, async (c) => {
    const v = c.view!;
    const folder = v.folder.length ? v.folder.join('/') : undefined;
    if (c.kind === 'create') return api.createView(v.name, c.config!, folder);
    if (c.kind === 'delete' || c.kind === 'replace') await checkBefore(api, c, owner);
    if (c.kind === 'delete') return api.deleteView(v.name, folder);
    if (c.kind === 'replace') return replaceView(api, c, folder);
    // a view made from a template gets its whole config; a definition's list view its members
    if (c.config !== undefined) return api.updateViewConfig(v.name, c.config, folder);
    for (const j of v.add) await api.addJobToView(v.name, j, folder);
    for (const j of v.remove) await api.removeJobFromView(v.name, j, folder);
  });

  // 6. disables (retiring first records gone= in the marker)
  const disables = acting.filter((c) => c.kind === 'disable');
  await phase('disables', disables, async (c) => {
    if (c.retire !== undefined) await retireMarker(api, c, owner, c.retire);
    await api.disableJob(c.fullName);
  });

  // 7. deletes: jobs, then folders deepest first. Half of a replacement goes only once the
  //    replacement exists (its create did not fail).
  const allJobDeletes = acting.filter((c) => c.kind === 'delete' && c.target === 'job');
  const waiting = (c: Change) => c.after !== undefined && (failedJobs.has(c.after) || result.skipped.some((f) => f.change.fullName === c.after && f.change.kind !== 'delete'));
  for (const c of allJobDeletes.filter(waiting)) {
    result.skipped.push({ change: c, error: `the job that replaces it, ${c.after}, was not created` });
    done++;
    emit({ type: 'step', change: c, ok: false, error: 'skipped', done, total });
  }
  const jobDeletes = allJobDeletes.filter((c) => !waiting(c));
  const deleteJob = async (c: Change): Promise<void> => {
    await checkBefore(api, c, owner);
    if (c.archive === 'first') {
      // disabled before archiving: no build can start while its relics are copied (Jenkins also
      // cancels its queued builds); if it may not go after all, it stays disabled
      try {
        await api.disableJob(c.fullName);
      } catch (err) {
        throw new ArchiveError(`not deleted: disabling it before archiving its builds failed: ${errorText(err)}; the next sync tries again`);
      }
    }
    try {
      await archiveFirst(c);
    } catch (err) {
      // fail closed: a job whose builds could not be archived is disabled and kept, never deleted
      let kept = 'it was disabled and kept';
      try {
        // retired like any job jobsmith disables on its way out: re-enabled if the definitions want it again
        if (c.retire !== undefined) await retireMarker(api, c, owner, c.retire);
        await api.disableJob(c.fullName);
      } catch (e) {
        kept = `it was kept (disabling it failed too: ${errorText(e)})`;
      }
      const why = err instanceof NewerBuild ? errorText(err) : `archiving its builds failed: ${errorText(err)}`;
      throw new ArchiveError(`not deleted: ${why}; ${kept}; the next sync tries again`, err instanceof ArchiveError && err.held);
    }
    await api.deleteJob(c.fullName);
  };
  // a folder the plan emptied: listed again right before the delete; anything in it now (made
  // since the plan's listing) keeps it (src/plan/rules/folder-contents.ts heldAtDelete)
  const deletePlainFolder = async (c: Change): Promise<void> => {
    await checkBefore(api, c, owner);
    let held: string[];
    try {
      held = heldAtDelete(await api.listFolder(c.fullName));
    } catch (err) {
      throw new KeptError(`not deleted: listing what is in it before the delete failed: ${errorText(err)}; the next sync tries again`);
    }
    if (held.length > 0) {
      throw new KeptError(`not deleted: it holds ${held.slice(0, 3).join(', ')}${held.length > 3 ? `, ... (${held.length} items)` : ''}, which this plan did not delete (made since the plan's listing); kept`);
    }
    await api.deleteJob(c.fullName);
  };
  // a multibranch project or organization folder: its branch jobs go with it, so (archive: first)
  // each is archived before it is deleted, from a listing made now (src/plan/rules/folder-contents.ts jobsToArchive)
  const deleteComputedFolder = async (c: Change): Promise<void> => {
    await checkBefore(api, c, owner);
    if (c.archive === 'first') {
      const jobs: string[] = [];
      try {
        const found: Array<{ fullName: string; isFolder: boolean }> = [];
        const walk = async (folder: string): Promise<void> => {
          for (const child of await api.listFolder(folder)) {
            found.push(child);
            if (child.isFolder) await walk(child.fullName);
          }
        };
        await walk(c.fullName);
        jobs.push(...jobsToArchive(found));
      } catch (err) {
        throw new ArchiveError(`not deleted: listing its branch jobs to archive them failed: ${errorText(err)}; it was kept; the next sync tries again`);
      }
      for (const job of jobs) {
        try {
          await archiveFirst({ ...c, fullName: job, reason: `${c.reason} (a job in ${c.fullName}, deleted with it)`, folderType: undefined });
        } catch (err) {
          throw new ArchiveError(`not deleted: archiving the builds of ${job} (in it, deleted with it) failed: ${errorText(err)}; it was kept; the next sync tries again`, err instanceof ArchiveError && err.held);
        }
      }
    }
    await api.deleteJob(c.fullName);
  };
  const folderDeletes = acting.filter((c) => c.kind === 'delete' && c.target === 'folder');
  // Deepest first, jobs (folder-type ones included) before the folders jobsmith made: an item whose
  // content failed to go is left alone (never delete what still holds something).
  const failedDeletes = new Set<string>();
  for (const list of [jobDeletes, folderDeletes]) {
    const deleteDepths = [...new Set(list.map((c) => depth(c.fullName)))].sort((a, b) => b - a);
    for (const d of deleteDepths) {
      const level = list.filter((c) => depth(c.fullName) === d);
      const ready = level.filter((c) => ![...failedDeletes].some((n) => n.startsWith(c.fullName + '/')));
      for (const c of level.filter((x) => !ready.includes(x))) {
        result.skipped.push({ change: c, error: 'something inside it could not be deleted' });
        done++;
        failedDeletes.add(c.fullName);
      }
      await phase('deletes', ready, (c) => (c.target === 'folder' || c.folderType === 'plain' ? deletePlainFolder(c) : c.folderType === 'computed' ? deleteComputedFolder(c) : deleteJob(c)), (c) => failedDeletes.add(c.fullName));
    }
  }

  if (opts.signal?.aborted) result.notStarted = notStarted;
  emit({ type: 'end', succeeded: result.succeeded.length, failed: result.failed.length, skipped: result.skipped.length });
  return result;

  async function runPhaseSkipping(name: ApplyPhase, changes: Change[], action: (c: Change) => Promise<void>) {
    const ok = changes.filter((c) => !failedJobs.has(c.fullName));
    for (const c of changes.filter((x) => failedJobs.has(x.fullName))) {
      result.skipped.push({ change: c, error: 'its update failed' });
      done++;
    }
    await phase(name, ok, action);
  }
}
