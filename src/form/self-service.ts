import type { Diagnostic } from '../model/diagnostic.js';
import { hasErrors } from '../model/diagnostic.js';
import type { Checked } from '../model/result.js';
import type { DefinitionsStore, GitIdentity } from './definitions-store.js';
import type { FormCatalog } from './form-catalog.js';
import { definitionText, requestDiagnostics, type ProjectRequest } from './project-request.js';

/** One job a definition would produce, for the preview. */
export interface PreviewJob {
  fullName: string;
  template: string;
  config: string;
}

/**
 * The render side, seen from self-service: the catalog of templates, and a check of a prospective
 * `jobs/<project>.yaml` with exactly `jobsmith validate`'s code (overlay), returning the jobs it
 * would create. Implemented over src/load + src/render by `renderSelfService`.
 */
export interface DefinitionChecker {
  catalog(): Promise<Checked<FormCatalog>>;
  check(project: string, overlay: { file: string; text: string }): Promise<{ diagnostics: Diagnostic[]; jobs: PreviewJob[] }>;
}

export interface SyncedJob {
  fullName: string;
  action: 'created' | 'updated' | 'unchanged' | 'failed' | 'skipped';
  url?: string;
  error?: string;
}

export interface SyncSummary {
  ok: boolean;
  jobs: SyncedJob[];
  /** What failed, when ok is false (never with credentials). */
  message?: string;
}

/** Syncs one project into Jenkins (load, render, list, plan, apply). */
export interface ProjectSyncer {
  /** Throws when Jenkins cannot be reached (checked before anything is committed). */
  preflight(): Promise<void>;
  sync(project: string): Promise<SyncSummary>;
}

export type CreateOutcome =
  | { kind: 'invalid'; diagnostics: Diagnostic[]; text?: string }
  | { kind: 'exists'; message: string }
  | { kind: 'busy'; message: string }
  | { kind: 'failed'; stage: string; message: string }
  | {
      kind: 'created';
      project: string;
      file: string;
      commit: string;
      branch: string;
      pushed: boolean;
      retried: boolean;
      text: string;
      warnings: Diagnostic[];
      /** Jobs the definition produces (from the render). */
      jobs: PreviewJob[];
      /** `deferred`: left to the sync master job. */
      sync: SyncSummary | 'deferred';
    };

export interface SelfServiceOptions {
  checker: DefinitionChecker;
  store: DefinitionsStore;
  /** Sync right after pushing; omit to leave it to the sync master job. */
  syncer?: ProjectSyncer;
  /** How the commit message names the channel (`web form`, `jobsmith create`). */
  via: string;
}

/** Validate and preview a request without writing anything. */
export async function previewProject(
  checker: DefinitionChecker,
  store: DefinitionsStore,
  catalog: FormCatalog,
  req: ProjectRequest,
  opts: { strictTokens?: boolean } = {},
): Promise<{ diagnostics: Diagnostic[]; jobs: PreviewJob[]; text: string }> {
  const text = definitionText(req, catalog);
  const own = requestDiagnostics(req, catalog, opts);
  if (hasErrors(own) && !checkable(own)) return { diagnostics: own, jobs: [], text };
  const checked = await checker.check(req.project, { file: store.fileFor(req.project), text });
  return { diagnostics: [...own, ...checked.diagnostics], jobs: hasErrors(own) ? [] : checked.jobs, text };
}

/** The validator can still run (and report everything else at once) when only token choices are wrong. */
function checkable(own: readonly Diagnostic[]): boolean {
  return own.every((d) => d.severity !== 'error' || d.code === 'unused-token');
}

/**
 * The one-button flow shared by the web form and `jobsmith create`: validate, write, commit,
 * push, then sync that project (or leave it to the master job). Nothing is committed when
 * validation fails, the project exists, another submission for it runs, or Jenkins is unreachable.
 */
export async function createProject(
  opts: SelfServiceOptions,
  catalog: FormCatalog,
  req: ProjectRequest,
  author?: GitIdentity,
  check: { strictTokens?: boolean } = {},
): Promise<CreateOutcome> {
  const text = definitionText(req, catalog);
  const own = requestDiagnostics(req, catalog, check);
  if (hasErrors(own)) {
    // Report everything at once: run the validator too when the request is complete enough.
    const more = checkable(own) ? await opts.checker.check(req.project, { file: opts.store.fileFor(req.project), text }) : undefined;
    return { kind: 'invalid', diagnostics: [...own, ...(more?.diagnostics ?? [])], text };
  }
  let jobs: PreviewJob[] = [];
  const outcome = await opts.store.submit({
    project: req.project,
    text,
    ...(author ? { author } : {}),
    message: `Add project ${req.project} (${req.templates.join(', ')}) via ${opts.via}`,
    validate: async (overlay) => {
      const checked = await opts.checker.check(req.project, overlay);
      jobs = checked.jobs;
      return checked.diagnostics;
    },
    ...(opts.syncer ? { preflight: () => opts.syncer!.preflight() } : {}),
  });
  switch (outcome.kind) {
    case 'invalid':
      return { kind: 'invalid', diagnostics: outcome.diagnostics, text };
    case 'exists':
      return { kind: 'exists', message: outcome.message };
    case 'busy':
      return { kind: 'busy', message: outcome.message };
    case 'failed':
      return {
        kind: 'failed',
        stage: outcome.stage,
        message: outcome.stage === 'preflight' ? `Jenkins is not reachable, nothing was committed: ${outcome.message}` : outcome.message,
      };
    case 'committed': {
      let sync: SyncSummary | 'deferred' = 'deferred';
      if (opts.syncer) {
        try {
          sync = await opts.syncer.sync(req.project);
        } catch (err) {
          sync = {
            ok: false,
            jobs: [],
            message: `the definition is committed, but creating the jobs failed: ${(err as Error).message}. The next sync (the master job) will create them.`,
          };
        }
      }
      return {
        kind: 'created',
        project: req.project,
        file: outcome.file,
        commit: outcome.commit,
        branch: outcome.branch,
        pushed: outcome.pushed,
        retried: outcome.retried,
        text,
        warnings: outcome.warnings,
        jobs,
        sync,
      };
    }
  }
}
