import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { hasErrors } from '../model/diagnostic.js';
import { EXIT } from './exit-codes.js';
import { diagnosticsJson, printDiagnostics, printJson } from './print-diagnostics.js';
import { loadAndRender, workspaceOptions, type WorkspaceArgs } from './render-command.js';

interface ValidateArgs extends WorkspaceArgs {
  config?: string;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  ...commandInfo('validate'),
  builder: (y) => workspaceOptions(y).option('config', { type: 'string', describe: 'Config file naming the controllers that definitions may name with controller: (default ./jobsmith.yaml when present)' }) as unknown as Argv<ValidateArgs>,
  handler: async (args) => {
    const r = await loadAndRender(args);
    // many controllers (docs/controllers.md): `controller:` names are checked against jobsmith.yaml
    const { readControllers } = await import('../controllers/controllers-config.js');
    const { checkControllerNames } = await import('../controllers/assign-controllers.js');
    const controllers = readControllers({ cwd: process.cwd(), ...(args.config !== undefined ? { config: args.config } : {}) });
    r.diagnostics.push(...controllers.diagnostics, ...(hasErrors(controllers.diagnostics) ? [] : checkControllerNames(r.workspace.definitions, controllers.config)));
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
