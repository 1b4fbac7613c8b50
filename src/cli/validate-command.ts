import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { hasErrors } from '../model/diagnostic.js';
import { EXIT } from './exit-codes.js';
import { diagnosticsJson, printDiagnostics, printJson } from './print-diagnostics.js';
import { loadAndRender, workspaceOptions, type WorkspaceArgs } from './render-command.js';

export const validateCommand: CommandModule<object, WorkspaceArgs> = {
  ...commandInfo('validate'),
  builder: (y) => workspaceOptions(y) as unknown as Argv<WorkspaceArgs>,
  handler: async (args) => {
    const r = await loadAndRender(args);
    const ok = !hasErrors(r.diagnostics);
    const summary = { jobs: r.desired.jobs.length, projects: r.workspace.definitions.length, templates: r.workspace.templates.size, views: (r.desired.templateViews ?? []).length };
    if (args.json) printJson({ ok, ...summary, diagnostics: diagnosticsJson(r.diagnostics) });
    else {
      printDiagnostics(r.diagnostics);
      // views made from view templates are counted when there are any (the line is unchanged otherwise)
      if (ok) process.stdout.write(`ok: ${summary.templates} templates, ${summary.projects} projects, ${summary.jobs} jobs${summary.views > 0 ? `, ${summary.views} views` : ''}\n`);
    }
    if (!ok) process.exitCode = EXIT.badInput;
  },
};
