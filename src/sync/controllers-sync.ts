/**
 * Many controllers (docs/controllers.md): plan and sync several Jenkins controllers from one set of
 * definitions. The definitions are loaded and rendered once and split per controller
 * (src/render/split-controllers.ts); each controller is then planned on its own, in parallel, by the
 * one-controller planSync (its own single listing, guards and marker owner), the moves between
 * controllers are linked (src/plan/rules/cross-controller-move.ts), and the plans are applied in
 * parallel. A controller that cannot be listed gets no plan and changes nothing; the others go on.
 * A delete that waits for a create on another controller runs only after that create succeeded.
 */
import path from 'node:path';
import type { ApplyEvent, ApplyResult, StepFailure } from '../apply/apply-events.js';
import { applyPlan } from '../apply/apply-plan.js';
import type { Clock } from '../model/clock.js';
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import type { DesiredState } from '../model/desired-job.js';
import { InputError, UsageError } from '../model/errors.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import type { ObservedState } from '../model/observed.js';
import { emptySummary, type ArchivePolicy, type Change, type Plan } from '../model/plan.js';
import { DEFAULT_OWNER } from '../plan/make-plan.js';
import { linkControllerMoves } from '../plan/rules/cross-controller-move.js';
import { emptyPatterns, unmatchedPatterns } from '../plan/rules/filter-scope.js';
import { sameJenkins, sameJenkinsMessage } from '../plan/rules/one-jenkins-one-controller.js';
import { classifyItem } from '../plan/rules/managed-only.js';
import { jobsOfController, splitDesired } from '../render/split-controllers.js';
import { archiveTarget, type OpenArchiveStore } from './archive-target.js';
import type { DesiredSnapshot, DesiredSource } from './desired-source.js';
import { asExternal, planSync, type SyncSettings } from './plan-sync.js';

export interface ControllerTarget {
  name: string;
  api: JenkinsApi;
  /** "Jenkins: URL" for messages (no credentials). */
  where: string;
  concurrency: number;
}

export interface ControllerOutcome {
  controller: string;
  where: string;
  /**
   * `failed`: the controller could not be planned (listing failed, unreachable): nothing was changed
   * on it. `refused`: its saved plan (`apply FILE`) is stale or not what a plan made now would do:
   * nothing was changed on it (exit 1, or 3 when `external`).
   */
  status: 'planned' | 'failed' | 'refused';
  plan?: Plan;
  observed?: ObservedState;
  applied?: ApplyResult;
  /** Why it failed (never credentials). */
  error?: string;
  /** `refused`: why, one reason a line. */
  reasons?: string[];
  /** `refused` because something outside could not be asked (the definitions' upstream): exit 3. */
  external?: boolean;
}

export type ControllersOutcome =
  | { status: 'invalid'; diagnostics: Diagnostic[] }
  | { status: 'planned'; diagnostics: Diagnostic[]; controllers: ControllerOutcome[]; snapshot: DesiredSnapshot };

export interface PlanControllersRequest {
  /** The controllers this run talks to (all configured ones, or those of --controller). */
  targets: readonly ControllerTarget[];
  /** Every configured controller name (projects may go to controllers this run does not talk to). */
  names: readonly string[];
  source: DesiredSource;
  settings?: SyncSettings;
  clock?: Clock;
  /**
   * The archive policy of each controller (`apply FILE`: as its saved plan recorded it). Default:
   * `settings.archive` with its directory `<dir>/<controller>`.
   */
  archiveFor?: (controller: string) => ArchivePolicy | undefined;
  /**
   * Why a configured controller is not part of this run, for the moves to it that are held (default:
   * `--controller` named others; `apply FILE`: the plan set has no plan for it).
   */
  outsideWhy?: (controller: string) => string;
}

/** A one-controller view of the shared definitions: its part of the render and of the branch jobs. */
function controllerSource(source: DesiredSource, snapshot: DesiredSnapshot, desired: DesiredState, name: string, controllersOf: (p: string) => readonly string[]): DesiredSource {
  // the empty-definitions guard asks whether the definitions hold any project at all: a controller
  // whose projects all moved away still has definitions (its deletes wait for the moves, and the
  // mass-delete guard still counts them: build history does not move)
  const scoped: DesiredSource = {
    render: () => Promise.resolve({ ...snapshot, desired }),
  };
  if (source.freshness) {
    let fresh: ReturnType<NonNullable<DesiredSource['freshness']>> | undefined;
    scoped.freshness = () => (fresh ??= source.freshness!());
  }
  if (source.projectHistory) {
    let history: ReturnType<NonNullable<DesiredSource['projectHistory']>> | undefined;
    scoped.projectHistory = () => (history ??= source.projectHistory!());
  }
  if (source.branches) {
    scoped.branches = async (_s, observed) => {
      const b = await source.branches!(snapshot, observed);
      const jobs = jobsOfController(b.jobs, name, controllersOf);
      const needed = new Set(jobs.flatMap((j) => j.folder.map((_, i) => j.folder.slice(0, i + 1).join('/'))));
      const scopes = Object.fromEntries(Object.entries(b.scopes).filter(([p]) => controllersOf(p).includes(name)));
      return { jobs, folders: b.folders.filter((f) => needed.has(f.fullName)), scopes, diagnostics: b.diagnostics, problems: b.problems.filter((p) => p.project === undefined || controllersOf(p.project).includes(name)) };
    };
  }
  return scoped;
}

export async function planControllers(req: PlanControllersRequest): Promise<ControllersOutcome> {
  const settings = req.settings ?? {};
  const only = settings.only;
  if (only !== undefined && (only.length === 0 || emptyPatterns(only))) {
    throw new UsageError('--only was given an empty pattern (an unset variable?): it would match nothing; nothing was done');
  }
  let snapshot: DesiredSnapshot;
  try {
    snapshot = await req.source.render();
  } catch (err) {
    throw asExternal('reading the definitions failed (nothing was changed)', err);
  }
  if (hasErrors(snapshot.diagnostics)) return { status: 'invalid', diagnostics: snapshot.diagnostics };
  const assigned = snapshot.controllers ?? new Map<string, string[]>();
  const controllersOf = (p: string): readonly string[] => assigned.get(p) ?? [];
  const split = splitDesired(snapshot.desired, req.names, controllersOf);
  const outcomes: ControllerOutcome[] = await Promise.all(
    req.targets.map(async (t): Promise<ControllerOutcome> => {
      const perController: SyncSettings = { ...settings, concurrency: t.concurrency, onlyCheckedByCaller: true };
      // each controller's relics go to their own directory under the archive (job names may repeat across controllers)
      if (req.archiveFor) {
        const own = req.archiveFor(t.name);
        if (own) perController.archive = own;
        else delete perController.archive;
      } else if (settings.archive) perController.archive = { ...settings.archive, dir: path.join(settings.archive.dir, t.name) };
      try {
        const planned = await planSync({ api: t.api, source: controllerSource(req.source, snapshot, split.get(t.name)!, t.name, controllersOf), settings: perController, ...(req.clock ? { clock: req.clock } : {}) });
        if (planned.status !== 'planned') return { controller: t.name, where: t.where, status: 'failed', error: 'the branch definitions have errors' };
        return { controller: t.name, where: t.where, status: 'planned', plan: planned.plan, observed: planned.observed };
      } catch (err) {
        if (err instanceof UsageError) throw err;
        return { controller: t.name, where: t.where, status: 'failed', error: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
  // one Jenkins under two URLs: refused before anything is applied anywhere (each would delete the other's jobs)
  const twins = sameJenkins(outcomes.map((o) => ({ controller: o.controller, ...(o.observed?.session !== undefined ? { session: o.observed.session } : {}) })));
  if (twins.length > 0) throw new InputError(sameJenkinsMessage(twins));
  if (only !== undefined && only.length > 0) {
    const owner = snapshot.owner ?? DEFAULT_OWNER;
    const own = outcomes.flatMap((o) => (o.observed?.items ?? []).map((i) => classifyItem(i, owner)).filter((c) => c.ownership === 'own' && c.marker?.kind === 'job'));
    const unmatched = unmatchedPatterns(only, [...snapshot.desired.jobs.map((j) => j.fullName), ...own.map((c) => c.item.fullName)], [...snapshot.desired.jobs.map((j) => j.project), ...own.map((c) => c.marker!.project ?? '')]);
    if (unmatched.length > 0) throw new UsageError(`--only ${unmatched.map((p) => JSON.stringify(p)).join(', ')} matches no project and no job of these definitions (in the definitions or managed in Jenkins); nothing was done`);
  }
  // a controller this run does not talk to (not in --controller) is not "failed": moves to it are left alone
  const talked = new Set(req.targets.map((t) => t.name));
  linkControllerMoves(
    [...outcomes.map((o) => ({ controller: o.controller, ...(o.plan ? { plan: o.plan } : {}) })), ...req.names.filter((n) => !talked.has(n)).map((n) => ({ controller: n, notInRun: true, ...(req.outsideWhy ? { outsideWhy: req.outsideWhy(n) } : {}) }))],
    (p) => assigned.get(p),
  );
  for (const o of outcomes) {
    if (!o.plan) continue;
    o.plan.controller = o.controller;
    for (const c of o.plan.changes) c.controller = o.controller;
  }
  return { status: 'planned', diagnostics: snapshot.diagnostics, controllers: outcomes, snapshot };
}

export interface ApplyControllersOptions {
  signal?: AbortSignal;
  openArchive?: OpenArchiveStore;
  /** Progress of one controller's apply (events carry the controller in their change). */
  onEvent?: (controller: string, e: ApplyEvent) => void;
}

const creates = new Set(['create', 'adopt', 'replace']);

/** Apply every planned controller in parallel; deletes waiting on another controller's create go last. */
export async function applyControllers(outcome: Extract<ControllersOutcome, { status: 'planned' }>, targets: readonly ControllerTarget[], opts: ApplyControllersOptions = {}): Promise<void> {
  const byName = new Map(targets.map((t) => [t.name, t]));
  const applyOne = async (o: ControllerOutcome, changes: Change[], refused: boolean): Promise<ApplyResult> => {
    const t = byName.get(o.controller)!;
    const plan: Plan = { ...o.plan!, changes, refused };
    const archive = archiveTarget(plan, t.api, opts.openArchive);
    try {
      return await applyPlan(t.api, plan, {
        concurrency: t.concurrency,
        ...(opts.onEvent ? { onEvent: (e: ApplyEvent) => opts.onEvent!(o.controller, e) } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(archive ? { archive } : {}),
      });
    } catch (err) {
      // apply records failures per step; anything thrown here is unexpected, but it stays this controller's
      const error = err instanceof Error ? err.message : String(err);
      return { refused: false, succeeded: [], failed: changes.filter((c) => c.kind !== 'unchanged' && c.kind !== 'keep' && c.kind !== 'conflict').map((c) => ({ change: c, error })), skipped: [], archived: [] };
    }
  };
  const planned = outcome.controllers.filter((o) => o.plan && o.status === 'planned');
  await Promise.all(planned.map(async (o) => void (o.applied = await applyOne(o, o.plan!.changes.filter((c) => !c.waitsFor), o.plan!.refused))));
  const firstOf = (controller: string): ApplyResult | undefined => outcome.controllers.find((x) => x.controller === controller)?.applied;
  // second round: the deletes of projects that moved, once their new jobs exist
  await Promise.all(
    planned.map(async (o) => {
      const waiting = o.plan!.changes.filter((c) => c.waitsFor);
      if (waiting.length === 0 || o.plan!.refused) return;
      const ready: Change[] = [];
      const notReady: StepFailure[] = [];
      // Ctrl-C stopped the create before it started: the delete waiting for it is not started either (not a failure)
      const interrupted: Change[] = [];
      const same = (c: Change) => (s: { kind: string; fullName: string }) => creates.has(s.kind) && s.fullName.toLowerCase() === c.waitsFor!.fullName.toLowerCase();
      const created = (c: Change): boolean => firstOf(c.waitsFor!.controller)?.succeeded.some(same(c)) ?? false;
      const notStartedThere = (c: Change): boolean => firstOf(c.waitsFor!.controller)?.notStarted?.some(same(c)) ?? false;
      for (const c of waiting) {
        if (c.target === 'folder') continue;
        if (created(c)) ready.push(c);
        else if (notStartedThere(c)) interrupted.push(c);
        else notReady.push({ change: c, error: `kept: ${c.waitsFor!.fullName} was not created on controller ${c.waitsFor!.controller}` });
      }
      // a folder waiting with its moved jobs goes only when every one of them goes
      for (const f of waiting.filter((c) => c.target === 'folder')) {
        const prefix = f.fullName.toLowerCase() + '/';
        const held = notReady.filter((n) => n.change.fullName.toLowerCase().startsWith(prefix));
        const stopped = interrupted.filter((c) => c.fullName.toLowerCase().startsWith(prefix));
        if (held.length === 0 && stopped.length === 0 && created(f)) ready.push(f);
        else if (held.length === 0 && (stopped.length > 0 || notStartedThere(f))) interrupted.push(f);
        else notReady.push({ change: f, error: `kept: ${held.length > 0 ? `it holds ${held.map((n) => n.change.fullName).join(', ')}, kept here` : `${f.waitsFor!.fullName} was not created on controller ${f.waitsFor!.controller}`}` });
      }
      const second = ready.length > 0 && !opts.signal?.aborted ? await applyOne(o, ready, false) : undefined;
      const first = o.applied!;
      o.applied = {
        refused: first.refused,
        succeeded: [...first.succeeded, ...(second?.succeeded ?? [])],
        failed: [...first.failed, ...(second?.failed ?? [])],
        skipped: [...first.skipped, ...notReady, ...(second?.skipped ?? [])],
        archived: [...first.archived, ...(second?.archived ?? [])],
        ...(first.notStarted || second?.notStarted || (ready.length > 0 && !second) || interrupted.length > 0 ? { notStarted: [...(first.notStarted ?? []), ...(second?.notStarted ?? (second ? [] : ready)), ...interrupted] } : {}),
      };
    }),
  );
}

/** The summary of every controller's plan together (for one line at the end). */
export function totalSummary(outcome: Extract<ControllersOutcome, { status: 'planned' }>): Plan['summary'] {
  const s = emptySummary();
  for (const o of outcome.controllers) for (const c of o.plan?.changes ?? []) s[c.kind]++;
  return s;
}
