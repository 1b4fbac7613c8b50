import type { Diagnostic } from '../model/diagnostic.js';
import { hasErrors } from '../model/diagnostic.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import type { FormCatalog } from './form-catalog.js';
import { parameterDefinitionsXml, parameterNames, spliceParameters } from './jenkins-parameters.js';
import type { PreviewJob } from './self-service.js';

export const SYNC_TEMPLATE = 'jobsmith-sync';
export const CREATE_JOB_TEMPLATE = 'jobsmith-create-job';

/** Renders templates for a definition given as text, with jobsmith's renderer (no other definitions involved). */
export type StandaloneRenderer = (definition: {
  project: string;
  templates: Array<{ template: string; job?: string }>;
  tokens: Record<string, string>;
  folder?: string;
}) => Promise<{
  diagnostics: Diagnostic[];
  jobs: PreviewJob[];
}>;

export interface BootstrapRequest {
  api: JenkinsApi;
  render: StandaloneRenderer;
  /** The project templates (their sidecars give the create-job job's parameters). */
  catalog: FormCatalog;
  /** Token values for the master-job templates (DEFINITIONS.REPO, JENKINS.CREDENTIALS, ...). */
  tokens: Record<string, string>;
  /** Job names (default `jobsmith-sync` and `create-job`), optionally in a folder (`a/b`). */
  syncJobName?: string;
  createJobName?: string;
  folder?: string;
  /** Only render, change nothing. */
  dryRun?: boolean;
}

export interface BootstrapJob {
  fullName: string;
  template: string;
  action: 'created' | 'updated' | 'would create' | 'would update';
  config: string;
}

export type BootstrapOutcome = { kind: 'invalid'; diagnostics: Diagnostic[] } | { kind: 'done'; jobs: BootstrapJob[]; diagnostics: Diagnostic[] };

/**
 * Create (or update) the two master jobs on Jenkins: the sync job and the parameterized
 * create-job job. Both are rendered from `job-templates/jobsmith-*` by jobsmith's renderer; the
 * create-job job's `<parameterDefinitions/>` placeholder is filled from the project templates'
 * sidecars. Credentials are referenced by Jenkins credential ids only.
 */
export async function bootstrapMasterJobs(req: BootstrapRequest): Promise<BootstrapOutcome> {
  const { names, diagnostics: nameDiagnostics } = parameterNames(req.catalog);
  if (hasErrors(nameDiagnostics)) return { kind: 'invalid', diagnostics: nameDiagnostics };
  if (req.catalog.templates.length === 0) {
    return { kind: 'invalid', diagnostics: [{ severity: 'error', code: 'no-templates', message: 'no project templates found: the create-job job would offer nothing' }] };
  }
  const folder = req.folder?.replace(/^\/+|\/+$/g, '') || undefined;
  const rendered = await req.render({
    project: 'jobsmith',
    templates: [
      { template: SYNC_TEMPLATE, job: req.syncJobName ?? 'jobsmith-sync' },
      { template: CREATE_JOB_TEMPLATE, job: req.createJobName ?? 'create-job' },
    ],
    tokens: req.tokens,
    ...(folder ? { folder } : {}),
  });
  if (hasErrors(rendered.diagnostics)) return { kind: 'invalid', diagnostics: rendered.diagnostics };
  const byTemplate = new Map(rendered.jobs.map((j) => [j.template, j]));
  const sync = byTemplate.get(SYNC_TEMPLATE);
  const create = byTemplate.get(CREATE_JOB_TEMPLATE);
  if (!sync || !create) throw new Error('rendering the master-job templates produced no jobs');
  const wanted = [
    { fullName: sync.fullName, template: SYNC_TEMPLATE, config: sync.config },
    {
      fullName: create.fullName,
      template: CREATE_JOB_TEMPLATE,
      config: spliceParameters(create.config, parameterDefinitionsXml(req.catalog, names)),
    },
  ];

  const observed = await req.api.list();
  const existing = new Set(observed.items.map((i) => i.fullName.toLowerCase()));
  const jobs: BootstrapJob[] = [];
  if (!req.dryRun && folder) await req.api.ensureFolder(folder);
  for (const w of wanted) {
    const exists = existing.has(w.fullName.toLowerCase());
    if (req.dryRun) {
      jobs.push({ ...w, action: exists ? 'would update' : 'would create' });
      continue;
    }
    if (exists) await req.api.updateJob(w.fullName, w.config);
    else await req.api.createJob(w.fullName, w.config);
    jobs.push({ ...w, action: exists ? 'updated' : 'created' });
  }
  return { kind: 'done', jobs, diagnostics: [...nameDiagnostics, ...rendered.diagnostics] };
}
