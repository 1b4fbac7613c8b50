import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { hasErrors } from '../model/diagnostic.js';
import { EXIT } from './exit-codes.js';
import { diagnosticsJson, printDiagnostics, printJson } from './print-diagnostics.js';
import { workspaceOptions, type WorkspaceArgs } from './render-command.js';

export const templatesCommand: CommandModule<object, WorkspaceArgs> = {
  ...commandInfo('templates'),
  builder: (y) => workspaceOptions(y) as unknown as Argv<WorkspaceArgs>,
  handler: async (args) => {
    const [{ loadWorkspace }, { BUILTIN_TOKEN_NAMES }] = await Promise.all([import('../load/workspace.js'), import('../render/render-workspace.js')]);
    const { workspace, diagnostics } = await loadWorkspace({ templatesDir: args.templates, jobsDir: args.jobs });
    const builtins = new Set(BUILTIN_TOKEN_NAMES);
    const list = [...workspace.templates.values()].map((t) => ({
      name: t.name,
      file: t.file,
      ...(t.description !== undefined ? { description: t.description } : {}),
      rootElement: t.rootElement ?? null,
      xmlVersion: t.xmlVersion,
      ejs: t.ejs,
      tokens: t.tokens.map((name) => {
        const { loc: _loc, ...doc } = t.docs[name] ?? {};
        return {
          name,
          builtin: builtins.has(name),
          ...doc,
          occurrences: t.occurrences.filter((o) => o.name === name).map((o) => ({ line: o.line, column: o.column, context: o.context })),
        };
      }),
    }));
    const templateErrors = diagnostics.filter((d) => d.file === undefined || !d.file.startsWith(args.jobs));
    const ok = !hasErrors(templateErrors);
    if (args.json) printJson({ ok, templates: list, diagnostics: diagnosticsJson(templateErrors) });
    else {
      printDiagnostics(templateErrors);
      let out = '';
      for (const t of list) {
        out += `${t.name}  (${t.file}, <${t.rootElement ?? '?'}>${t.ejs ? ', ejs' : ''})${t.description ? `\n  ${t.description}` : ''}\n`;
        for (const tok of t.tokens) {
          const where = tok.occurrences.map((o) => `${o.line}:${o.column}`).join(' ');
          const extra: string[] = [];
          if (tok.builtin) extra.push('built-in');
          if (tok.default !== undefined) extra.push(`default ${JSON.stringify(tok.default)}`);
          if (tok.required === false) extra.push('optional');
          if (tok.allowed) extra.push(`one of ${tok.allowed.join('|')}`);
          if (tok.pattern !== undefined) extra.push(`pattern ${tok.pattern}`);
          out += `  $${tok.name}${where ? `  [${where}]` : ''}${extra.length ? `  (${extra.join(', ')})` : ''}${tok.description ? `  ${tok.description}` : ''}\n`;
        }
      }
      process.stdout.write(out);
    }
    if (!ok) process.exitCode = EXIT.badInput;
  },
};
