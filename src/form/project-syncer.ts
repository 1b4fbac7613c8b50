import type { JenkinsApi } from '../model/jenkins-api.js';
import type { ArchivePolicy, Change } from '../model/plan.js';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../model/diagnostic.js';
import { planSync } from '../sync/plan-sync.js';
import { runSync } from '../sync/run-sync.js';
import { workspaceSource as sourceOf, type WorkspaceSourceOptions } from '../sync/workspace-source.js';
import { scopedToController } from '../sync/controllers-sync.js';
import type { ControllersConfig } from '../controllers/controllers-config.js';
import type { DesiredSource } from '../sync/desired-source.js';
import { redactUrlsInText } from '../model/redact-url.js';
import type { ProjectSyncer, SyncedJob, SyncSummary } from './self-service.js';
import type { WorkspaceDirs } from './render-checker.js';

/** Browser URL of a job: `<base>/job/a/job/b/`. */
export function jobUrl(baseUrl: string, fullName: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${fullName.split('/').map((s) => `job/${encodeURIComponent(s)}`).join('/')}/`;
}

const DONE: Record<string, SyncedJob['action']> = { create: 'created', move: 'updated', update: 'updated', adopt: 'updated', replace: 'updated', enable: 'updated' };

/**
 * Sync one project right after its definition was pushed: the whole workspace is rendered (so the
 * plan sees everything) but `projects` limits the plan to the project (by identity, never a name
 * glob: src/plan/rules/filter-scope.ts), and nothing is ever deleted
 * or disabled from here (`removed: keep`): that stays the sync master job's business.
 */
export function projectSyncer(api: JenkinsApi, dirs: WorkspaceDirs, opts: { jenkinsUrl: string; concurrency?: number; archive?: ArchivePolicy; controller?: { name: string; config: ControllersConfig } }): ProjectSyncer {
  // many controllers (docs/controllers.md): this Jenkins is one controller; only the projects that go to it are planned here
  const workspaceSource = (o: WorkspaceSourceOptions): DesiredSource => (opts.controller ? scopedToController(sourceOf({ ...o, controllers: opts.controller.config }), opts.controller.name, opts.controller.config.names) : sourceOf(o));
  return {
    async preflight(project, overlay) {
      // Exactly the plan the sync will make (one listing, the same owner), with the prospective definition in place.
      const source = workspaceSource({ templatesDir: dirs.templatesDir, jobsDir: dirs.jobsDir, branches: false, upstreamCheck: false, overlay: [overlay] });
      const outcome = await planSync({ api, source, settings: { projects: [project], removed: 'keep' } });
      if (outcome.status === 'invalid') return []; // validation (run just before) reports these
      return collisions(outcome.plan.changes, project);
    },
    async sync(project: string): Promise<SyncSummary> {
      const outcome = await runSync({
        api,
        source: workspaceSource({ templatesDir: dirs.templatesDir, jobsDir: dirs.jobsDir, branches: false }),
        // a type change (replace) deletes a job: it is archived first like any other delete
        settings: { projects: [project], removed: 'keep', concurrency: opts.concurrency ?? 8, ...(opts.archive ? { archive: opts.archive } : {}) },
      });
      if (outcome.status === 'invalid') {
        const first = outcome.diagnostics.filter((d) => d.severity === 'error').slice(0, 3).map(formatDiagnostic).join('; ');
        return { ok: false, jobs: [], message: `the definitions have errors, nothing was synced: ${first}` };
      }
      const { plan, applied } = outcome;
      const mine = (c: Change): boolean => c.target === 'job' && c.project === project;
      const jobs: SyncedJob[] = [];
      const failed = new Map<string, string>();
      for (const f of [...(applied?.failed ?? []), ...(applied?.skipped ?? [])]) failed.set(f.change.fullName, redactUrlsInText(f.error));
      for (const c of plan.changes.filter(mine)) {
        const url = jobUrl(opts.jenkinsUrl, c.fullName);
        const error = failed.get(c.fullName);
        if (error !== undefined) jobs.push({ fullName: c.fullName, action: 'failed', error });
        else if (c.kind === 'unchanged') jobs.push({ fullName: c.fullName, action: 'unchanged', url });
        else if (c.kind === 'conflict' || c.kind === 'keep') jobs.push({ fullName: c.fullName, action: 'failed', error: c.reason });
        else if (DONE[c.kind] && applied) jobs.push({ fullName: c.fullName, action: DONE[c.kind]!, url });
        else jobs.push({ fullName: c.fullName, action: 'skipped', error: c.reason });
      }
      const items: NonNullable<SyncSummary['items']> = [];
      for (const c of plan.changes.filter((c) => c.target !== 'job')) {
        const error = failed.get(c.fullName);
        const target = c.target as 'folder' | 'view';
        if (error !== undefined) items.push({ target, fullName: c.fullName, action: 'failed', error });
        else if (c.kind === 'unchanged') items.push({ target, fullName: c.fullName, action: 'unchanged' });
        else if (c.kind === 'conflict') items.push({ target, fullName: c.fullName, action: 'failed', error: c.reason });
        else if (DONE[c.kind] && applied) items.push({ target, fullName: c.fullName, action: DONE[c.kind]! });
        else items.push({ target, fullName: c.fullName, action: 'skipped', error: c.reason });
      }
      const problems = plan.problems.filter((p) => p.severity === 'error' && (p.project === undefined || p.project === project));
      const ok =
        !plan.refused &&
        [...jobs, ...items].every((j) => j.action !== 'failed' && j.action !== 'skipped') &&
        problems.length === 0 &&
        !hasErrors(outcome.diagnostics);
      const message = ok
        ? undefined
        : [
            plan.refused ? 'the plan was refused' : '',
            ...problems.map((p) => p.message),
            ...[...jobs, ...items].filter((j) => j.error).map((j) => `${j.fullName}: ${j.error}`),
          ]
            .filter(Boolean)
            .join('; ') + '. The definition is committed; the next sync will retry.';
      return { ok, jobs, items, ...(message ? { message } : {}) };
    },
  };
}

/**
 * Items the prospective project would need that jobsmith may not change: a job name held by an
 * unmanaged (or another owner's) job, a folder name held by a job, a view name held by a view of
 * another kind. Each becomes an error on the form field that chose the name.
 */
export function collisions(changes: readonly Change[], project: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const mine = changes.filter((c) => c.target === 'job' && c.project === project).map((c) => c.fullName);
  for (const c of changes) {
    if (c.kind !== 'conflict') continue;
    if (c.target === 'job' && c.project === project) {
      out.push({
        severity: 'error',
        code: 'job-name-taken',
        field: 'project',
        message: `Jenkins already has a job named "${c.fullName}" that jobsmith may not change (${c.reason.replace(/ \(not touched; --adopt takes it over\)$|; not touched$/, '')}); choose another project name, or ask the build team to adopt that job`,
      });
    } else if (c.target === 'folder' && mine.some((j) => j.startsWith(`${c.fullName}/`))) {
      out.push({ severity: 'error', code: 'folder-name-taken', field: 'folder', message: `Jenkins already has "${c.fullName}", which is not a folder (${c.reason}); choose another folder` });
    } else if (c.target === 'view') {
      out.push({ severity: 'error', code: 'view-name-taken', field: 'view', message: `Jenkins already has a view "${c.fullName}" of another kind (${c.reason}); choose another view name` });
    }
  }
  return out;
}
