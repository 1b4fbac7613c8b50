/**
 * `jobsmith restore FROM [--revision REV] [--only GLOB] [--apply]`: recreate jobs, folders and
 * views from a backup directory, or from the definitions (or a backup) in a git repository at any
 * revision. Shows the plan; `--apply` applies it. Never deletes anything. With many controllers:
 * ./restore-controllers.ts.
 */
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { connectionOptions, openJenkins, type ConnectionArgs } from './connection-options.js';
import { UsageError } from '../model/errors.js';

interface RestoreArgs extends ConnectionArgs {
  from: string;
  revision?: string;
  only?: string[];
  overwrite: boolean;
  apply: boolean;
  json: boolean;
  verbose: boolean;
}

export const restoreCommand: CommandModule<object, RestoreArgs> = {
  ...commandInfo('restore'),
  builder: (y) =>
    connectionOptions(y)
      .positional('from', { type: 'string', describe: 'A backup directory (jobsmith backup), a definitions directory, or a git repository of either (with --revision)' })
      .option('revision', { type: 'string', describe: 'Read FROM as a git repository at this revision (no checkout; e.g. HEAD~3, a tag, a commit)' })
      .option('only', { type: 'string', array: true, describe: 'Restore only items whose full name matches these globs (their folders come along)' })
      .option('overwrite', { type: 'boolean', default: false, describe: 'Also update existing items that differ (definitions: adopt unmanaged jobs in the way)' })
      .option('apply', { type: 'boolean', default: false, describe: 'Apply the plan (default: show it only)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print a JSON result on stdout' })
      .option('verbose', { type: 'boolean', default: false, describe: 'List unchanged items too' }) as unknown as Argv<RestoreArgs>,
  handler: async (a) => {
    const { onInterrupt } = await import('./interrupt.js');
    const { systemClock } = await import('../model/clock.js');
    const { hasActions } = await import('../model/plan.js');
    const { planToJson, resultJson } = await import('../plan/print-json.js');
    const { formatPlanText } = await import('../plan/print-text.js');
    const { runRestore } = await import('../bulk/run-restore.js');
    const { appliedToJson, reportFailures, reportInterrupted } = await import('./report-apply.js');
    const { printDiagnostics } = await import('./print-diagnostics.js');
    const { progressMode, progressReporter } = await import('./progress.js');
    const { emptyPatterns } = await import('../plan/rules/filter-scope.js');
    // before Jenkins is asked anything (runRestore checks it too, for library callers)
    if (emptyPatterns(a.only ?? [])) throw new UsageError('--only was given an empty pattern (an unset variable?): it would match nothing; nothing was done');
    const interrupt = onInterrupt(process.stderr, a.json ? 'restore' : undefined);
    const { controllersConfig } = await import('./controller-options.js');
    const controllers = await controllersConfig(a);
    if (controllers) {
      // many controllers (docs/controllers.md): each controller its share of the definitions, or its own backup
      const { restoreControllers } = await import('./restore-controllers.js');
      process.exitCode = await restoreControllers(a, controllers, interrupt, { run: runRestore, clock: systemClock }).finally(() => interrupt.dispose());
      return;
    }
    // Ctrl-C before the plan is applied stops at once; the plan is shown first, so the apply is near.
    if (a.apply) interrupt.applying();
    process.exitCode = await openJenkins(a, async ({ api, where, concurrency }) => {
      if (!a.json) process.stderr.write(`${where}\n`);
      const mode = progressMode(process.stderr, process.env, a.json);
      const o = await runRestore(api, {
        from: a.from,
        ...(a.revision !== undefined ? { revision: a.revision } : {}),
        only: a.only ?? [],
        overwrite: a.overwrite,
        apply: a.apply,
        concurrency,
        clock: systemClock,
        onEvent: progressReporter(mode, process.stderr, process.stderr.columns || 80),
        signal: interrupt.signal,
      });
      const invalid = o.plan === undefined;
      const { restoreExitCode } = await import('./restore-controllers.js');
      const code = restoreExitCode(o);
      if (a.json) {
        process.stdout.write(resultJson('restore', { kind: o.kind, exitCode: code, diagnostics: o.diagnostics, plan: o.plan ? planToJson(o.plan) : undefined, applied: appliedToJson(o.applied) }));
        return code;
      }
      printDiagnostics(o.diagnostics);
      if (invalid) {
        process.stderr.write(`${o.kind === 'backup' ? 'The backup has' : 'The definitions have'} errors: nothing was changed in Jenkins.\n`);
        return code;
      }
      process.stdout.write(formatPlanText(o.plan!, { verbose: a.verbose }));
      if (o.plan!.refused) process.stderr.write('Nothing was changed in Jenkins.\n');
      else if (!a.apply && hasActions(o.plan!)) process.stdout.write('Nothing was changed; run again with --apply to restore.\n');
      if (o.applied && reportInterrupted(o.applied, 'Run restore again to finish (it never deletes, and skips what is there).')) return code;
      if (o.applied) {
        reportFailures(o.applied, 'Run restore again to finish.');
        process.stdout.write(`Restored: ${o.applied.succeeded.length} done, ${o.applied.failed.length} failed, ${o.applied.skipped.length} skipped.\n`);
      }
      return code;
    }).finally(() => interrupt.dispose());
  },
};
