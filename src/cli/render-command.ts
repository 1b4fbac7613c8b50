import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import type { DesiredJob, DesiredState } from '../model/desired-job.js';
import type { Workspace } from '../load/workspace.js';
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
}): Promise<{ workspace: Workspace; desired: DesiredState; diagnostics: Diagnostic[]; configOf: (job: DesiredJob) => string }> {
  const [{ loadWorkspace }, { renderWorkspace }] = await Promise.all([import('../load/workspace.js'), import('../render/render-workspace.js')]);
  const { workspace, diagnostics } = await loadWorkspace({ templatesDir: args.templates, jobsDir: args.jobs });
  const r = renderWorkspace(workspace, { ...(args.projects ? { projects: args.projects } : {}), ...(args.keepConfigs !== undefined ? { keepConfigs: args.keepConfigs } : {}) });
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
    // Every check runs over all jobs first (nothing is written when one fails). Configs are kept up to
    // a budget (64 Mi characters, about 30,000 typical jobs); beyond it they are rendered again one at
    // a time while writing, so memory does not grow with the job count.
    const r = await loadAndRender({ templates: args.templates, jobs: args.jobs, keepConfigs: RENDER_KEEP_BUDGET, ...(args.project ? { projects: args.project } : {}) });
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
    const { MANIFEST_FILE, writeJenkinsHome } = await import('../render/write-jenkins-home.js');
    // --project writes only those projects' files: the other projects' files stay (a filter never removes).
    const w = writeJenkinsHome(args.out, r.desired, { configOf: r.configOf, ...(args.project ? { partial: true } : {}) });
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
  },
};
