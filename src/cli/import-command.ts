/**
 * `jobsmith import --match GLOB`: bring existing hand-made jobs under management: propose templates
 * (tokens where similar jobs differ) and definitions, check that they render back to each job's
 * config, write them, and with --adopt take the jobs over.
 */
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { connectionOptions, openJenkins, type ConnectionArgs } from './connection-options.js';
import { EXIT } from './exit-codes.js';
import { hasErrors } from '../model/diagnostic.js';

interface ImportArgs extends ConnectionArgs {
  match: string[];
  out: string;
  prefix: string;
  'dry-run': boolean;
  adopt: boolean;
  json: boolean;
}

export const importCommand: CommandModule<object, ImportArgs> = {
  ...commandInfo('import'),
  builder: (y) =>
    connectionOptions(y)
      .option('match', { type: 'string', array: true, demandOption: true, describe: 'Full-name globs of the jobs to import' })
      .option('out', { type: 'string', default: '.', describe: 'Directory that gets job-templates/ and jobs/' })
      .option('prefix', { type: 'string', default: 'imported', describe: 'Template name prefix (templates are <prefix>-1, <prefix>-2, ...)' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Show the proposal, write nothing' })
      .option('adopt', { type: 'boolean', default: false, describe: 'After writing, take the jobs over (push the rendered config with the jobsmith marker)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print a JSON result on stdout' }) as unknown as Argv<ImportArgs>,
  handler: async (a) => {
    const { checkDirectoryArg } = await import('./directory-arg.js');
    checkDirectoryArg(a.out, '--out');
    // An empty glob among several (`--match a ''`): the matcher cannot take it, and it is a mistake.
    if (a.match.some((m) => m.trim() === '')) {
      const { UsageError } = await import('../model/errors.js');
      throw new UsageError('--match needs a glob (an empty pattern: an unset variable?)');
    }
    // The prefix names template files (job-templates/<prefix>-N-config.xml): one plain file name of at most 200 bytes.
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(a.prefix)) {
      const { UsageError } = await import('../model/errors.js');
      throw new UsageError(`--prefix: letters, digits, '.', '_' and '-' (starting with a letter or digit), at most 200 characters: it names the template files job-templates/<prefix>-N-config.xml`);
    }
    const { systemClock } = await import('../model/clock.js');
    const { runImport } = await import('../bulk/run-import.js');
    const { printDiagnostics } = await import('./print-diagnostics.js');
    // many controllers: import reads one controller (--controller NAME, else the default) and its definitions name it
    process.exitCode = await openJenkins(a, async ({ api, where, concurrency, controller }) => {
      if (!a.json) process.stderr.write(`${where}\n`);
      const o = await runImport(api, { match: a.match, out: a.out, templatePrefix: a.prefix, write: !a['dry-run'], adopt: a.adopt, concurrency, clock: systemClock, ...(a.config !== undefined ? { config: a.config } : {}), ...(controller ? { controller: controller.name } : {}) });
      const failed = (o.applied?.failed.length ?? 0) + (o.applied?.skipped.length ?? 0);
      const code = o.conflicts.length || o.dirty?.length || hasErrors(o.diagnostics) ? EXIT.badInput : failed ? EXIT.external : EXIT.ok;
      if (a.json) {
        process.stdout.write(
          JSON.stringify(
            { exitCode: code, templates: o.proposal.templates.map((t) => ({ name: t.name, tokens: t.tokens, members: t.members })), verified: o.verified, rejected: o.rejected, written: o.written, conflicts: o.conflicts, adopted: o.applied?.succeeded.map((c) => c.fullName), ...(o.dirty ? { uncommitted: o.dirty } : {}), ...(o.commit ? { commit: o.commit } : {}), ...(o.owner ? { owner: o.owner } : {}) },
            null,
            1,
          ) + '\n',
        );
        return code;
      }
      printDiagnostics(o.diagnostics);
      const lines: string[] = [];
      for (const t of o.proposal.templates) lines.push(`template ${t.name}: ${t.members.length} job(s) [${t.members.join(', ')}]${Object.keys(t.tokens).length ? `, tokens ${Object.keys(t.tokens).join(', ')}` : ''}`);
      for (const r of o.rejected) lines.push(`not imported ${r.fullName}: ${r.reason}`);
      if (o.conflicts.length) lines.push(`these files exist already; nothing was written: ${o.conflicts.join(', ')}`);
      if (o.dirty?.length) {
        lines.push(
          `the work tree has uncommitted changes; nothing was written or adopted (import --adopt commits the definitions it writes, and only those, before it marks a job managed):\n` +
            o.dirty.slice(0, 10).map((l) => `  ${l}`).join('\n') +
            (o.dirty.length > 10 ? `\n  ... and ${o.dirty.length - 10} more` : '') +
            '\ncommit or stash them first',
        );
      }
      if (o.commit) lines.push(`committed ${o.commit.slice(0, 12)}: the imported definitions; push it: until it is in every checkout that syncs, their syncs hold the adopted jobs (never deleted, but reported and exit 1; shallow clones and plain directories have no history to check)`);
      lines.push(`import: ${o.verified.length} job(s) render back to their config (checked), ${o.rejected.length} not imported; ${o.written.length} file(s) written${a['dry-run'] ? ' (dry run)' : ''}`);
      if (o.applied) lines.push(`adopted: ${o.applied.succeeded.length} job(s), ${failed} failed`);
      else if (o.written.length) lines.push('next: review and commit the files, then `jobsmith plan --adopt` / `jobsmith sync --adopt` (or run import with --adopt)');
      process.stdout.write(lines.join('\n') + '\n');
      return code;
    });
  },
};
