import type { Diagnostic } from '../model/diagnostic.js';
import { hasErrors } from '../model/diagnostic.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import { sameConfig } from '../xml/semantic-compare.js';
import type { FormCatalog } from './form-catalog.js';
import { parameterDefinitionsXml, parameterNames, spliceParameters } from './jenkins-parameters.js';
import { hasUrlCredentials } from './package-spec.js';
import { redactUrlsInText as redactUrls } from '../model/redact-url.js';
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
  /** The definition file the renderer made up for the given data (its diagnostics point there): never shown to the user. */
  file?: string;
  /** Sidecar `hint:` per token of the rendered templates (what a good value looks like, in words). */
  hints?: Record<string, string>;
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
  /**
   * Where each token value came from, as the user typed it (`--repo`, `--set X.Y`): errors about a
   * value name that, never the temporary definition the master jobs are rendered from.
   */
  tokenSources?: Record<string, string>;
}

export interface BootstrapJob {
  fullName: string;
  template: string;
  action: 'created' | 'updated' | 'unchanged' | 'would create' | 'would update';
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
  const source = (token: string): string => req.tokenSources?.[token] ?? `$${token}`;
  // No credential from a URL may reach a job configuration (the pipelines use credential ids).
  const leaks: Diagnostic[] = Object.entries(req.tokens)
    .filter(([, v]) => hasUrlCredentials(v))
    .map(([token, v]) => ({
      severity: 'error',
      code: 'url-credentials',
      message: `${source(token)} ${redactUrls(v)}: the URL holds a user name or password (or a secret query value such as ?access_token=); remove it and put it into a Jenkins credential whose id you pass with --git-credentials`,
    }));
  if (leaks.length) return { kind: 'invalid', diagnostics: leaks };
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
  if (hasErrors(rendered.diagnostics)) {
    return { kind: 'invalid', diagnostics: rendered.diagnostics.map((d) => namedByFlag(namedBySource(d, req.tokens, source, rendered.hints ?? {}), rendered.file)) };
  }
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
    // Jenkins re-serialises what it stores: compare the trees, not the bytes.
    if (exists && sameConfig(await req.api.getConfig(w.fullName), w.config)) {
      jobs.push({ ...w, action: 'unchanged' });
      continue;
    }
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

/**
 * A diagnostic about the temporary definition the master jobs are rendered from, told in terms of
 * what the user typed: `--jenkins-credentials "x y": the id of a Jenkins credential ...` instead of
 * `/tmp/.../jobsmith.yaml:4:3: JENKINS.CREDENTIALS must match the pattern ...`. Diagnostics about a
 * (customised) master-job template keep their file, which is real.
 */
/** The flag that gave each field of the made-up master-job definition (`templates[0]` is the sync job). */
const FIELD_FLAGS: Array<[RegExp, string]> = [
  [/^templates\[0\](?:\.|$)/, '--sync-job'],
  [/^templates\[1\](?:\.|$)/, '--create-job'],
  [/^folder$/, '--folder'],
];

/**
 * A diagnostic about the master-job definition that bootstrap made up (a job name, the folder):
 * it names the flag that gave the value, not a temporary file and a YAML path.
 */
function namedByFlag(d: Diagnostic, file: string | undefined): Diagnostic {
  if (file === undefined || d.file !== file) return d;
  const flag = FIELD_FLAGS.find(([re]) => d.field !== undefined && re.test(d.field))?.[1];
  const { file: _f, line: _l, column: _c, field: _d, ...rest } = d;
  void _f, void _l, void _c, void _d;
  const other = flag === '--sync-job' ? '--create-job' : '--sync-job';
  const at = new RegExp(`(?:made |defined )?at ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+`, 'g');
  const message = d.message.replace(at, `given with ${other}`).split(file).join('the bootstrap flags');
  return { ...rest, message: flag ? `${flag}: ${message}` : message };
}

function namedBySource(d: Diagnostic, tokens: Record<string, string>, source: (token: string) => string, hints: Record<string, string>): Diagnostic {
  const m = d.field !== undefined ? /(?:^|\.)tokens\.(.+)$/.exec(d.field) : null;
  const token = m?.[1];
  if (token === undefined) return d;
  // the flag says where; the temporary file and the token's field path would only mislead
  const { file: _f, line: _l, column: _c, field: _d, ...rest } = d;
  void _f, void _l, void _c, void _d;
  const given = tokens[token];
  switch (d.code) {
    case 'bad-token-value': {
      const why = d.message.replace(new RegExp(`^${token.replace(/\./g, '\\.')} `), '').replace(/ \(rule from [^)]*\)$/, '').replace(/ \(got .*\)$/, '');
      const hint = hints[token];
      return { ...rest, message: `${source(token)} ${JSON.stringify(redactUrls(given ?? ''))}: ${hint ? `expected ${hint}` : why}` };
    }
    case 'missing-token':
      return { ...rest, message: `${source(token)} is required (${token}, used by ${d.message.replace(/^.*used by template (\S+).*$/, '$1')})` };
    case 'unused-token':
      return { ...rest, message: `${source(token)}: no master-job template uses ${token}` };
    default:
      return { ...rest, message: `${source(token)}: ${d.message}` };
  }
}
