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
  /** Many controllers (docs/controllers.md): the controller the job is on. */
  controller?: string;
}

export interface SyncSummary {
  ok: boolean;
  jobs: SyncedJob[];
  /** The project's folders and view, as the sync left them. */
  items?: Array<{ target: 'folder' | 'view'; fullName: string; action: SyncedJob['action']; error?: string }>;
  /** What failed, when ok is false (never with credentials). */
  message?: string;
}

/** Syncs one project into Jenkins (load, render, list, plan, apply). */
export interface ProjectSyncer {
  /**
   * Last check before committing, against the one Jenkins listing: the jobs (and folder, view) the
   * prospective definition makes must not be held by items jobsmith may not change (unmanaged, or
   * another owner's). Returns those collisions as diagnostics (on the `project`, `folder` or `view`
   * field); throws when Jenkins cannot be reached.
   */
  preflight(project: string, overlay: { file: string; text: string }): Promise<Diagnostic[]>;
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
  /** The Jenkins the project goes to: checked before committing (see ProjectSyncer.preflight); synced right after pushing unless `deferSync`. */
  syncer?: ProjectSyncer;
  /** Only check Jenkins before committing; the sync master job creates the jobs. */
  deferSync?: boolean;
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
  const checked = await checkAll(checker, store, catalog, req, own);
  return { diagnostics: [...own, ...checked.diagnostics], jobs: hasErrors(own) ? [] : checked.jobs, text };
}

/** Diagnostics of the validator that only repeat what the request check said (or that a stand-in name caused). */
const NAME_CODES = new Set(['bad-job-name', 'duplicate-project', 'duplicate-job', 'missing-project', 'bad-project-name']);

/**
 * Run the validator even when the request itself has errors, so every error shows at once (an
 * empty or unusable project name must not hide the token errors): the check runs with a stand-in
 * name and the known templates only, and what it says about the stand-in name is dropped.
 */
async function checkAll(
  checker: DefinitionChecker,
  store: DefinitionsStore,
  catalog: FormCatalog,
  req: ProjectRequest,
  own: readonly Diagnostic[],
): Promise<{ diagnostics: Diagnostic[]; jobs: PreviewJob[] }> {
  const known = new Set(catalog.templates.map((t) => t.name));
  const templates = req.templates.filter((t) => known.has(t));
  if (templates.length === 0) return { diagnostics: [], jobs: [] };
  const nameBad = own.some((d) => d.severity === 'error' && d.field === 'project');
  const project = nameBad ? `jobsmith-form-check-${process.pid}` : req.project;
  const candidate: ProjectRequest = { ...req, project, templates };
  const checked = await checker.check(project, { file: store.fileFor(project), text: definitionText(candidate, catalog) });
  const ownFields = new Set(own.filter((d) => d.severity === 'error').map((d) => d.field));
  const diagnostics = checked.diagnostics.filter((d) => {
    if (nameBad && (d.field === 'project' || NAME_CODES.has(d.code))) return false;
    // the request check already said it for this field (e.g. credentials in a URL)
    if (d.field !== undefined && ownFields.has(d.field) && d.field.startsWith('tokens.')) return false;
    return true;
  });
  return { diagnostics, jobs: checked.jobs };
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
    // Report everything at once: the validator runs too.
    const more = await checkAll(opts.checker, opts.store, catalog, req, own);
    return { kind: 'invalid', diagnostics: [...own, ...more.diagnostics], text };
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
    ...(opts.syncer ? { preflight: (overlay: { file: string; text: string }) => opts.syncer!.preflight(req.project, overlay) } : {}),
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
      if (opts.syncer && !opts.deferSync) {
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
