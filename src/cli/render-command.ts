import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import type { DesiredJob, DesiredState } from '../model/desired-job.js';
import type { LoadOptions, Workspace } from '../load/workspace.js';
import type { NewJenkinsHome } from '../render/write-jenkins-home.js';
import { EXIT } from './exit-codes.js';
import { diagnosticsJson, printDiagnostics, printJson } from './print-diagnostics.js';

export interface WorkspaceArgs {
  templates: string;
  jobs: string;
  json: boolean;
}

/** `--templates`, `--jobs`, `--json`: shared by render, validate, list, templates, show. */
export function workspaceOptions<T>(y: Argv<T>): Argv<T & WorkspaceArgs> {
  return y
    .option('templates', { type: 'string', default: 'job-templates', describe: 'Directory of templates (<Template>-config.xml + optional <Template>.yaml)' })
    .option('jobs', { type: 'string', default: 'jobs', describe: 'Directory of definitions (<project>.yaml, _defaults.yaml)' })
    .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output (diagnostics included)' }) as Argv<T & WorkspaceArgs>;
}

/** Load and render; diagnostics of both phases together. */
export async function loadAndRender(args: {
  templates: string;
  jobs: string;
  projects?: string[];
  /** See RenderOptions.keepConfigs: false or a budget drops configs after checking and hashing; `configOf` renders one again. */
  keepConfigs?: boolean | number;
  /** See RenderOptions.onJob: each job and its config as soon as it is rendered. */
  onJob?: (job: DesiredJob, config: string) => void;
  /** See LoadOptions.readFiles: the definitions read elsewhere. */
  readFiles?: LoadOptions['readFiles'];
}): Promise<{ workspace: Workspace; desired: DesiredState; diagnostics: Diagnostic[]; configOf: (job: DesiredJob) => string }> {
  const [{ loadWorkspace }, { workspaceRenderer }] = await Promise.all([import('../load/workspace.js'), import('../render/render-workspace.js')]);
  const options = { ...(args.projects ? { projects: args.projects } : {}), ...(args.keepConfigs !== undefined ? { keepConfigs: args.keepConfigs } : {}), ...(args.onJob ? { onJob: args.onJob } : {}) };
  // Each definition is rendered as soon as it is read (the same result as rendering them all after loading).
  let renderer: ReturnType<typeof workspaceRenderer> | undefined;
  const { workspace, diagnostics } = await loadWorkspace({
    templatesDir: args.templates,
    jobsDir: args.jobs,
    onDefinition: (def, ws) => (renderer ??= workspaceRenderer(ws, options)).add(def),
    ...(args.readFiles ? { readFiles: args.readFiles } : {}),
  });
  const r = (renderer ?? workspaceRenderer(workspace, options)).finish();
  return { workspace, desired: r.desired, diagnostics: [...diagnostics, ...r.diagnostics], configOf: r.configOf };
}

/** Characters of rendered config text render keeps in memory between checking and writing. */
export const RENDER_KEEP_BUDGET = 64 * 1024 * 1024;

interface RenderArgs extends WorkspaceArgs {
  out: string;
  project?: string[];
}

export const renderCommand: CommandModule<object, RenderArgs> = {
  ...commandInfo('render'),
  builder: (y) =>
    workspaceOptions(y)
      .option('out', { type: 'string', default: 'out', describe: 'Output directory' })
      .option('project', { type: 'string', array: true, describe: 'Only write the jobs of these projects (repeatable)' }) as unknown as Argv<RenderArgs>,
  handler: async (args) => {
    const { NewJenkinsHome } = await import('../render/write-jenkins-home.js');
    // A new output directory is written while rendering: each job goes to a writer thread as soon as
    // it is rendered, into a staging directory that is moved into place only when every check passed
    // (and removed when one failed). An existing one is compared and written after every check, in
    // place; there configs are kept up to a budget (64 Mi characters, about 30,000 typical jobs) and
    // beyond it rendered again one at a time while writing, so memory does not grow with the job count.
    const fresh = NewJenkinsHome.open(args.out);
    // Ctrl-C, SIGTERM, a closed terminal (SIGHUP) or Ctrl-\ (SIGQUIT) before it is published: the
    // staging directory goes, nothing was written; exit 128 + the signal's number (130 for Ctrl-C).
    const { constants } = await import('node:os');
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
    const stop = (signal: NodeJS.Signals): void => {
      fresh?.discardNow();
      process.stderr.write(`\ninterrupted (${signal}): nothing written\n`);
      process.exit(signal === 'SIGINT' ? EXIT.interrupted : 128 + constants.signals[signal]);
    };
    if (fresh) for (const s of signals) process.once(s, stop);
    try {
      await renderInto(args, fresh);
    } finally {
      for (const s of signals) process.off(s, stop);
      await fresh?.discard();
    }
  },
};

/** Load, check and render, then publish the new output directory or write into the existing one. */
async function renderInto(args: RenderArgs, fresh: NewJenkinsHome | undefined): Promise<void> {
  const { MANIFEST_FILE, writeJenkinsHome } = await import('../render/write-jenkins-home.js');
  const r = await loadAndRender({
    templates: args.templates,
    jobs: args.jobs,
    // Writing a new directory, the writer thread also reads the definitions ahead.
    ...(fresh ? { keepConfigs: false, onJob: (job: DesiredJob, config: string) => fresh.add(job, config), readFiles: (files: readonly string[]) => fresh.readAhead(files) } : { keepConfigs: RENDER_KEEP_BUDGET }),
    ...(args.project ? { projects: args.project } : {}),
  });
  // --project names a project the definitions do not have: bad input, like any unknown name.
  const known = r.workspace.definitions.map((d) => d.project);
  for (const p of args.project ?? []) {
    if (!known.includes(p)) {
      const { didYouMean } = await import('../load/did-you-mean.js');
      r.diagnostics.push({ severity: 'error', code: 'unknown-project', message: `no project ${p} in ${args.jobs}${didYouMean(p, known)}`, field: '--project' });
    }
  }
  if (hasErrors(r.diagnostics)) {
    if (args.json) printJson({ ok: false, diagnostics: diagnosticsJson(r.diagnostics) });
    else {
      printDiagnostics(r.diagnostics);
      process.stderr.write('nothing written\n');
    }
    process.exitCode = EXIT.badInput;
    return;
  }
  // --project writes only those projects' files: the other projects' files stay (a filter never removes).
  const w = fresh ? await fresh.publish(r.desired) : writeJenkinsHome(args.out, r.desired, { configOf: r.configOf, ...(args.project ? { partial: true } : {}) });
  if (w.refused.length) {
    if (args.json) printJson({ ok: false, out: args.out, refused: w.refused, diagnostics: diagnosticsJson(r.diagnostics) });
    else {
      printDiagnostics(r.diagnostics);
      for (const p of w.refused) process.stderr.write(`${p.path}: error: ${p.reason}\n`);
      if (w.refused.length === 1 && w.refused[0]!.path === args.out) process.stderr.write('nothing written\n');
      else process.stderr.write(`render writes only files it wrote before (listed in ${path.join(args.out, MANIFEST_FILE)}) and new paths: move these away or render into a new directory; nothing written\n`);
    }
    process.exitCode = EXIT.badInput;
    return;
  }
  if (args.json) {
    printJson({
      ok: true,
      out: args.out,
      jobs: r.desired.jobs.length,
      folders: r.desired.folders.length,
      written: w.written,
      unchanged: w.unchanged,
      removed: w.removed,
      diagnostics: diagnosticsJson(r.diagnostics),
    });
  } else {
    printDiagnostics(r.diagnostics);
    process.stdout.write(
      `rendered ${r.desired.jobs.length} job${r.desired.jobs.length === 1 ? '' : 's'}` +
        (r.desired.folders.length ? ` and ${r.desired.folders.length} folder${r.desired.folders.length === 1 ? '' : 's'}` : '') +
        ` into ${path.join(args.out, 'jobs')}: ${w.written.length} written, ${w.unchanged} unchanged, ${w.removed.length} removed\n`,
    );
  }
}
