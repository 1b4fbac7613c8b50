import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { hasErrors } from '../model/diagnostic.js';
import { EXIT } from './exit-codes.js';
import { diagnosticsJson, printDiagnostics, printJson } from './print-diagnostics.js';
import { loadAndRender, workspaceOptions, type WorkspaceArgs } from './render-command.js';

export const listCommand: CommandModule<object, WorkspaceArgs> = {
  ...commandInfo('list'),
  builder: (y) => workspaceOptions(y) as unknown as Argv<WorkspaceArgs>,
  handler: async (args) => {
    const r = await loadAndRender(args);
    const ok = !hasErrors(r.diagnostics);
    const jobs = r.desired.jobs.map((j) => ({
      fullName: j.fullName,
      name: j.name,
      folder: j.folder,
      project: j.project,
      template: j.template,
      rootElement: j.rootElement,
      ...(j.view !== undefined ? { view: j.view } : {}),
      ...(j.disabled ? { disabled: true } : {}),
      hash: j.hash,
      source: j.source,
    }));
    // views made from view templates (`views` are the list views of definitions' `view:`)
    const templateViews = (r.desired.templateViews ?? []).map((v) => ({ fullName: v.fullName, name: v.name, folder: v.folder, project: v.project, template: v.template, rootElement: v.rootElement, hash: v.hash, source: v.source }));
    if (args.json) printJson({ ok, jobs, folders: r.desired.folders.map((f) => f.fullName), views: r.desired.views, templateViews, diagnostics: diagnosticsJson(r.diagnostics) });
    else {
      printDiagnostics(r.diagnostics);
      const w = Math.max(8, ...jobs.map((j) => j.fullName.length));
      const t = Math.max(8, ...jobs.map((j) => j.template.length));
      let out = '';
      for (const j of jobs) out += `${j.fullName.padEnd(w)}  ${j.template.padEnd(t)}  ${j.project}${j.disabled ? '  (disabled)' : ''}\n`;
      for (const v of templateViews) out += `${`view ${v.fullName}`.padEnd(w)}  ${v.template.padEnd(t)}  ${v.project}\n`;
      process.stdout.write(out);
    }
    if (!ok) process.exitCode = EXIT.badInput;
  },
};
