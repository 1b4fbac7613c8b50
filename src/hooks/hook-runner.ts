/**
 * What a webhook's sync does (the world side of src/hooks/hook-service.ts):
 * - projects: the ordinary sync (load → render → list Jenkins once → plan → apply) limited to those
 *   projects (by exact identity, as the form does: never a glob, never a job name), their branches listed from their remotes (git ls-remote: the listing, not
 *   the payload, decides which branches exist, so teardowns follow the usual grace and safety rules);
 *   then one build request per branch job the sync created (or re-enabled: its branch is back) whose
 *   branch an event of the batch created (the BuildRule given; unless `build_on_create: false`);
 * - the definitions: `git pull --ff-only` of serve's working copy (under the form's lock; its HEAD must
 *   then be the remote branch's head: ahead of it or diverged, e.g. a rewound remote, syncs nothing), then a
 *   full sync; a pull that fails syncs nothing. Its builds follow the same rule (a new project's
 *   existing branches were not created by a push).
 */
import path from 'node:path';
import { runLimited } from '../apply/run-limited.js';
import type { BranchSource } from '../branches/branch-source.js';
import { tryLock } from '../form/file-lock.js';
import type { Clock } from '../model/clock.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import type { ArchivePolicy, Change, Plan } from '../model/plan.js';
import { redactUrlsInText } from '../model/redact-url.js';
import { definitionsGit, gitFailureText } from '../sync/definitions-git.js';
import { runSync } from '../sync/run-sync.js';
import { applyControllers, planControllers, type ControllerTarget } from '../sync/controllers-sync.js';
import type { ControllersConfig } from '../controllers/controllers-config.js';
import type { ApplyResult } from '../apply/apply-events.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { workspaceSource } from '../sync/workspace-source.js';
import { definitionErrors } from './definition-errors.js';
import { BRANCH_EVENT_HOLD } from '../plan/rules/branch-event-scope.js';
import type { BatchResult, BuildRule, HookRunner } from './hook-service.js';

export interface HookRunnerOptions {
  api: JenkinsApi;
  /** The definitions working copy (a git clone) and its templates and jobs directories. */
  dir: string;
  templatesDir: string;
  jobsDir: string;
  /** Remote and branch pulled from (default `origin`, the checked-out branch). */
  remote?: string;
  branch?: string;
  /** Whether a project's new branch jobs are built (`branches.build_on_create`, default true). */
  buildOnCreate(project: string): Promise<boolean>;
  concurrency?: number;
  archive?: ArchivePolicy;
  /** `--config`: where `owner:` may be given. */
  config?: string;
  cwd?: string;
  clock?: Clock;
  /** Injected for tests; default git or svn by URL. */
  branchSource?: BranchSource;
  /** How long to wait for the form's lock on the working copy (default 60 s). */
  lockWaitMs?: number;
  /**
   * Many controllers (docs/controllers.md): the controllers serve talks to. A sync then runs on each
   * of them in parallel (src/sync/controllers-sync.ts: a project on the controllers it goes to, moves
   * created first), and build requests go to the controller of the new job. `api` is unused.
   */
  controllers?: { config: ControllersConfig; targets: ControllerTarget[] };
}

/**
 * What a held teardown (serve's working copy behind its remote) tells the reader: serve has no
 * `--allow-stale`; its working copy is pulled by the definitions repository's push events.
 */
export const STALE_REMEDY =
  "serve's working copy is pulled by a push event of the definitions repository: add the webhook on the definitions repository too (or redeliver its last push event); that event's full sync does what was held";

const PARAMETERIZED = /<hudson\.model\.ParametersDefinitionProperty[\s>]/;
const DISABLED = /^\s*<disabled>true<\/disabled>/m;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What summarise reads of a sync's outcome. */
type Summarised = { status: 'invalid'; diagnostics: Diagnostic[] } | { status: 'planned'; plan: Plan; applied?: ApplyResult };
type Synced = { outcome: Summarised; api: JenkinsApi; controller?: string } | { error: string; api: JenkinsApi; controller: string };

export function hookRunner(opts: HookRunnerOptions): HookRunner {
  const concurrency = opts.concurrency ?? 8;
  const ownerOpts = { ...(opts.config !== undefined ? { config: opts.config } : {}), ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}) };
  // a sync of the projects an event names tears down only their gone branches' jobs (src/plan/rules/branch-event-scope.ts);
  // the definitions' sync (projects undefined) is the full one, with every guard of `sync`
  const settingsFor = (projects?: string[]) => ({ concurrency, ...(projects ? { projects, branchTeardownOnly: true } : {}), ...(opts.archive ? { archive: opts.archive } : {}) });
  const sourceFor = (projects?: string[]) =>
    workspaceSource({
      templatesDir: opts.templatesDir,
      jobsDir: opts.jobsDir,
      ...(projects ? { branchProjects: projects } : {}),
      staleRemedy: STALE_REMEDY,
      ...(opts.branchSource ? { branchSource: opts.branchSource } : {}),
      ...(opts.controllers ? { controllers: opts.controllers.config } : {}),
      ...ownerOpts,
    });
  /** The sync of each controller (one without controllers), with the Jenkins its builds are asked of. */
  const sync = async (projects?: string[]): Promise<Synced[]> => {
    if (!opts.controllers) return [{ outcome: await runSync({ api: opts.api, source: sourceFor(projects), ...(opts.clock ? { clock: opts.clock } : {}), settings: settingsFor(projects) }), api: opts.api }];
    const { config, targets } = opts.controllers;
    const planned = await planControllers({ targets, names: config.names, source: sourceFor(projects), settings: settingsFor(projects), ...(opts.clock ? { clock: opts.clock } : {}) });
    if (planned.status === 'invalid') return [{ outcome: planned, api: opts.api }];
    await applyControllers(planned, targets);
    return planned.controllers.map((o): Synced => {
      const api = targets.find((t) => t.name === o.controller)!.api;
      if (!o.plan) return { error: `${o.error ?? 'could not be planned'} (nothing was changed on it)`, api, controller: o.controller };
      return { outcome: { status: 'planned', plan: o.plan, ...(o.applied ? { applied: o.applied } : {}) }, api, controller: o.controller };
    });
  };

  const summariseAll = async (synced: Synced[], projects: string[] | undefined, build: BuildRule): Promise<BatchResult> => {
    const results = await Promise.all(synced.map(async (x) => ({ controller: x.controller, r: 'error' in x ? { ok: false, message: redactUrlsInText(x.error), created: [], built: [] } : await summarise(x.outcome, x.api, projects, build) })));
    if (results.length === 1 && results[0]!.controller === undefined) return results[0]!.r;
    // many controllers: one result, each controller's part named (and so for each project)
    const at = results.map((x) => x.r.appliedAt).filter((t): t is number => t !== undefined);
    const each = projects?.map((project) => {
      const parts = results.map((x) => ({ controller: x.controller, o: x.r.projects?.find((o) => o.project === project) ?? x.r }));
      return { project, ok: parts.every((x) => x.o.ok), message: parts.map((x) => `controller ${x.controller}: ${x.o.message}`).join('; ') };
    });
    return {
      ...(each ? { projects: each } : {}),
      ok: results.every((x) => x.r.ok),
      message: results.map((x) => `controller ${x.controller}: ${x.r.message}`).join('; '),
      created: results.flatMap((x) => x.r.created),
      built: results.flatMap((x) => x.r.built).sort((a, b) => (a.fullName < b.fullName ? -1 : 1)),
      ...(at.length ? { appliedAt: Math.max(...at) } : {}),
    };
  };

  const summarise = async (outcome: Summarised, api: JenkinsApi, projects: string[] | undefined, build: BuildRule): Promise<BatchResult> => {
    if (outcome.status === 'invalid') {
      const first = definitionErrors(outcome.diagnostics, opts.dir) ?? '';
      return { ok: false, message: redactUrlsInText(`the definitions have errors, nothing was synced: ${first}`), created: [], built: [] };
    }
    const { plan, applied } = outcome;
    const appliedAt = (opts.clock?.now() ?? new Date()).getTime();
    const notDone = new Map<string, { error: string; project: string | undefined }>();
    for (const f of [...(applied?.failed ?? []), ...(applied?.skipped ?? [])]) notDone.set(f.change.fullName, { error: f.error, project: f.change.project });
    const done = (c: Change): boolean => applied !== undefined && !applied.refused && !notDone.has(c.fullName) && !(applied.notStarted ?? []).includes(c);
    const newJobs = newBranchJobs(plan.changes, done);
    const created = newJobs.map((c) => ({ fullName: c.fullName, project: c.project ?? '' }));
    const built: BatchResult['built'] = [];
    const buildErrors: Array<{ project: string; text: string }> = [];
    const wanted: Change[] = [];
    // a job left disabled (its template or definition says so) is not built
    const disabledAfter = new Set(plan.changes.filter((c) => c.kind === 'disable' && c.target === 'job').map((c) => c.fullName));
    for (const c of newJobs) if (!DISABLED.test(c.config ?? '') && !disabledAfter.has(c.fullName) && build(c.project ?? '', c.branch ?? '') && (await opts.buildOnCreate(c.project ?? ''))) wanted.push(c);
    await runLimited(wanted, concurrency, async (c) => {
      try {
        // a parameterized job is built with its defaults (buildWithParameters); `build` would ask for the form
        await (PARAMETERIZED.test(c.config ?? '') ? api.build(c.fullName, {}) : api.build(c.fullName));
        built.push({ fullName: c.fullName, project: c.project ?? '', at: (opts.clock?.now() ?? new Date()).getTime() });
      } catch (err) {
        buildErrors.push({ project: c.project ?? '', text: `${c.fullName}: build request failed: ${err instanceof Error ? err.message : String(err)}` });
      }
    });
    built.sort((a, b) => (a.fullName < b.fullName ? -1 : 1));
    const inScope = (p: string | undefined): boolean => projects === undefined || p === undefined || projects.includes(p);
    /**
     * The outcome of the part of the sync `mine` selects (by project): the whole sync, or one project
     * of a batch. What belongs to no project (a folder's change, a refused plan) counts for every one.
     */
    const outcomeOf = (mine: (project: string | undefined) => boolean): { ok: boolean; message: string } => {
      const ours = (p: string | undefined): boolean => p === undefined || p === '' || mine(p);
      const jobs = newJobs.filter((c) => mine(c.project));
      const back = jobs.filter((c) => c.kind !== 'create').length;
      const requested = built.filter((b) => mine(b.project)).length;
      const torn = plan.changes.filter((c) => c.target === 'job' && mine(c.project) && (c.kind === 'delete' || (c.kind === 'disable' && c.retire !== undefined)) && done(c)).length;
      const leftForFullSync = plan.changes.filter((c) => c.kind === 'keep' && c.code === 'held' && c.params?.detail === BRANCH_EVENT_HOLD && ours(c.project)).length;
      const problems = plan.problems.filter((p) => p.severity === 'error' && inScope(p.project) && ours(p.project)).map((p) => p.message);
      const failures = [...notDone].filter(([, f]) => ours(f.project)).map(([name, f]) => `${name}: ${f.error}`);
      const buildFailures = buildErrors.filter((e) => ours(e.project)).map((e) => e.text);
      const ok = !plan.refused && problems.length === 0 && failures.length === 0 && buildFailures.length === 0;
      const counts = `${plural(jobs.length, 'job')} created${back > 0 ? ` (${back} re-enabled: ${back === 1 ? 'its branch is' : 'their branches are'} back)` : ''}, ${plural(requested, 'build')} requested, ${plural(torn, 'job')} torn down`;
      const held = leftForFullSync > 0 ? `; ${plural(leftForFullSync, 'deletion')} or move${leftForFullSync === 1 ? '' : 's'} left for a full sync (a webhook tears down only the jobs of branches that are gone)` : '';
      const message = ok ? counts + held : [counts + held, plan.refused ? 'the plan was refused, nothing was applied' : '', ...problems, ...failures, ...buildFailures].filter(Boolean).join('; ');
      return { ok, message: redactUrlsInText(message) };
    };
    const whole = outcomeOf(() => true);
    const each = projects?.map((project) => ({ project, ...outcomeOf((p) => p === project) }));
    return { ...whole, created, built, appliedAt, ...(each ? { projects: each } : {}) };
  };

  const runner: HookRunner = {
    async syncProjects(projects, build) {
      return summariseAll(await sync(projects), projects, build);
    },
    async syncDefinitions(build) {
      const pulled = await pullDefinitions(opts);
      if (pulled !== undefined) return { ok: false, message: pulled, created: [], built: [] };
      return summariseAll(await sync(), undefined, build);
    },
  };
  return runner;
}

/**
 * The branch jobs a sync made available, one change each: those it created, and those it brought back
 * (retired by jobsmith, `gone=`, and their branch is listed again: the plan's `update` with reason
 * `back` and/or `enable` with `re-enabled`), counted as created only when every change of that job was
 * applied. The change returned carries the pushed config when there is one (to see whether it is
 * parameterized or disabled).
 */
function newBranchJobs(changes: readonly Change[], done: (c: Change) => boolean): Change[] {
  const out: Change[] = [];
  const backs = new Map<string, Change[]>();
  for (const c of changes) {
    if (c.target !== 'job' || c.branch === undefined) continue;
    if (c.kind === 'create' && done(c)) out.push(c);
    else if ((c.kind === 'update' && c.code === 'back') || (c.kind === 'enable' && c.code === 're-enabled')) backs.set(c.fullName, [...(backs.get(c.fullName) ?? []), c]);
  }
  for (const [name, list] of backs) {
    const all = changes.filter((c) => c.fullName === name && c.target === 'job');
    if (!all.every((c) => c.kind === 'unchanged' || done(c))) continue;
    out.push(list.find((c) => c.config !== undefined) ?? list[0]!);
  }
  return out.sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
}

/**
 * `git pull --ff-only` of the working copy, as a fetch and a fast-forward, then the check that serve's
 * HEAD is the remote branch's head: a working copy ahead of the remote or diverged from it (a commit not
 * pushed, or a remote rewound by a force-push) would sync definitions no shared branch has, so that
 * syncs nothing. The failure (redacted), or undefined when the working copy is the remote's head.
 */
export async function pullDefinitions(opts: Pick<HookRunnerOptions, 'dir' | 'remote' | 'branch' | 'lockWaitMs'>): Promise<string | undefined> {
  const git = definitionsGit(opts.dir);
  const remote = opts.remote ?? 'origin';
  let gitDir: string;
  try {
    gitDir = (await git.revparse(['--absolute-git-dir'])).trim();
  } catch (err) {
    return `git pull --ff-only failed, nothing was synced: ${opts.dir} is not a git working copy (${redactUrlsInText(gitFailureText(err))})`;
  }
  const lock = await tryLock(path.join(gitDir, 'jobsmith-store.lock'), { waitMs: opts.lockWaitMs ?? 60_000 });
  if (!lock) return 'git pull --ff-only was not run, nothing was synced: the working copy stayed busy with a form submission';
  const failed = `git pull --ff-only ${remote} failed, nothing was synced`;
  try {
    let branch = opts.branch;
    if (branch === undefined) {
      branch = (await git.revparse(['--abbrev-ref', 'HEAD'])).trim();
      if (branch === 'HEAD') return 'git pull --ff-only was not run, nothing was synced: the definitions working copy is on a detached HEAD';
    }
    await git.raw(['fetch', '--quiet', '--', remote, `refs/heads/${branch}`]);
    const theirs = (await git.revparse(['FETCH_HEAD'])).trim();
    const head = (await git.revparse(['HEAD'])).trim();
    if (head === theirs) return undefined;
    // one count each way: commits only the remote has (behind), commits only the working copy has (ahead)
    const [behind, ahead] = (await git.raw(['rev-list', '--left-right', '--count', `${theirs}...${head}`])).trim().split(/\s+/).map(Number) as [number, number];
    if (ahead === 0) {
      await git.raw(['merge', '--ff-only', '--quiet', theirs]);
      const now = (await git.revparse(['HEAD'])).trim();
      return now === theirs ? undefined : `${failed}: the working copy is at ${now.slice(0, 7)} after the fast-forward, not at ${remote}/${branch} (${theirs.slice(0, 7)})`;
    }
    const extra = ahead;
    const state = behind === 0 ? 'is ahead of' : 'has diverged from';
    return (
      `${failed}: serve's working copy ${state} ${remote}/${branch} (its HEAD ${head.slice(0, 7)} has ${extra} commit(s) that ${remote}/${branch}, at ${theirs.slice(0, 7)}, does not: ` +
      `a commit that was never pushed, or the remote was rewound by a force-push); serve syncs only definitions the remote has: ` +
      `push those commits, or set the working copy back to the remote's (git reset --hard ${remote}/${branch} in ${opts.dir}, after saving what you need)`
    );
  } catch (err) {
    return `${failed}: ${redactUrlsInText(gitFailureText(err))}`;
  } finally {
    await lock.release();
  }
}
