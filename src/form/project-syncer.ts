import type { JenkinsApi } from '../model/jenkins-api.js';
import type { ArchivePolicy, Change } from '../model/plan.js';
import { formatDiagnostic, hasErrors } from '../model/diagnostic.js';
import { runSync } from '../sync/run-sync.js';
import { workspaceSource } from '../sync/workspace-source.js';
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
 * plan sees everything) but `only` limits the plan to the project, and nothing is ever deleted
 * or disabled from here (`removed: keep`): that stays the sync master job's business.
 */
export function projectSyncer(api: JenkinsApi, dirs: WorkspaceDirs, opts: { jenkinsUrl: string; concurrency?: number; archive?: ArchivePolicy }): ProjectSyncer {
  return {
    async preflight() {
      await api.version();
    },
    async sync(project: string): Promise<SyncSummary> {
      const outcome = await runSync({
        api,
        source: workspaceSource({ templatesDir: dirs.templatesDir, jobsDir: dirs.jobsDir, branches: false }),
        // a type change (replace) deletes a job: it is archived first like any other delete
        settings: { only: [project], removed: 'keep', concurrency: opts.concurrency ?? 8, ...(opts.archive ? { archive: opts.archive } : {}) },
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
      const problems = plan.problems.filter((p) => p.severity === 'error' && (p.project === undefined || p.project === project));
      const ok = !plan.refused && jobs.every((j) => j.action !== 'failed' && j.action !== 'skipped') && problems.length === 0 && !hasErrors(outcome.diagnostics);
      const message = ok
        ? undefined
        : [
            plan.refused ? 'the plan was refused' : '',
            ...problems.map((p) => p.message),
            ...jobs.filter((j) => j.error).map((j) => `${j.fullName}: ${j.error}`),
          ]
            .filter(Boolean)
            .join('; ') + '. The definition is committed; the next sync will retry.';
      return { ok, jobs, ...(message ? { message } : {}) };
    },
  };
}
