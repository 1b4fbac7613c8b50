/**
 * `jobsmith sync`: render the definitions, list Jenkins once, plan, apply. The master job runs this
 * on every commit to the definitions. Also holds what `plan` shares with it: options and printing
 * (exit codes and apply reports: report-apply.ts).
 */
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { planToJson, resultJson } from '../plan/print-json.js';
import { appliedToJson, exitCodeFor, reportArchived, reportFailures, reportInterrupted } from './report-apply.js';
import { formatPlanText } from '../plan/print-text.js';
import { REMOVED_POLICIES, type RemovedPolicy } from '../plan/rules/removed-policy.js';
import type { SyncOutcome } from '../sync/run-sync.js';
import type { SyncSettings } from '../sync/plan-sync.js';
import type { DesiredSource } from '../sync/desired-source.js';
import type { ControllersConfig } from '../controllers/controllers-config.js';
import { connectionOptions, type ConnectionArgs } from './connection-options.js';
import { archivePolicyFrom, withArchiveOption, type ArchiveArgs } from './archive-options.js';
import { EXIT } from './exit-codes.js';
import { hasActions } from '../model/plan.js';
import { progressMode, progressReporter } from './progress.js';
import { printDiagnostics } from './print-diagnostics.js';

export interface CommonSyncArgs extends ConnectionArgs, ArchiveArgs {
  templates: string;
  jobs: string;
  only?: string[];
  removed: RemovedPolicy;
  'allow-mass-delete': boolean;
  'allow-empty': boolean;
  'allow-stale': boolean;
  adopt: boolean;
  verify: boolean;
  json: boolean;
  verbose: boolean;
  branches: boolean;
}

export function commonSyncOptions<T>(y: Argv<T>): Argv<T & CommonSyncArgs> {
  return withArchiveOption(connectionOptions(y))
    .option('templates', { type: 'string', default: 'job-templates', describe: 'Templates directory' })
    .option('jobs', { type: 'string', default: 'jobs', describe: 'Definitions directory (jobs/<project>.yaml)' })
    .option('only', { type: 'string', array: true, describe: 'Limit creates/updates (and deletions) to jobs or projects matching these globs; never widens deletions' })
    .option('removed', { choices: REMOVED_POLICIES, default: 'delete' as RemovedPolicy, describe: 'Managed jobs whose project/template left the definitions' })
    .option('allow-mass-delete', { type: 'boolean', default: false, describe: 'Allow deleting more than half of the managed jobs, or more than 10 jobs and more than 20% of them' })
    .option('allow-empty', { type: 'boolean', default: false, describe: 'Allow definitions without any project (they would delete every managed job)' })
    .option('allow-stale', { type: 'boolean', default: false, describe: "Delete and move even when the definitions' checkout is behind its upstream branch (or it cannot be asked)" })
    .option('adopt', { type: 'boolean', default: false, describe: 'Take over unmanaged jobs that have a desired name' })
    .option('verify', { type: 'boolean', default: false, describe: "Fetch managed jobs' configs and treat edits made in Jenkins as changes" })
    .option('json', { type: 'boolean', default: false, describe: 'Print a JSON result on stdout' })
    .option('verbose', { type: 'boolean', default: false, describe: 'List unchanged jobs too' })
    .option('branches', { type: 'boolean', default: true, describe: 'Detect branches for projects with a branches: block (--no-branches: skip; branch jobs are then never torn down)' }) as unknown as Argv<T & CommonSyncArgs>;
}

export function settingsFrom(a: CommonSyncArgs, concurrency: number): SyncSettings {
  return {
    removed: a.removed,
    allowMassDelete: a['allow-mass-delete'],
    allowEmpty: a['allow-empty'],
    allowStale: a['allow-stale'],
    adopt: a.adopt,
    verify: a.verify,
    concurrency,
    // given but empty (`--only $UNSET`) stays [] so the run refuses it; not given is no filter
    ...(a.only !== undefined ? { only: a.only.map(String) } : {}),
  };
}

/** The definitions on disk (render + branch detection); loaded lazily so `--help` stays fast. */
export async function sourceFrom(a: CommonSyncArgs, concurrency: number, controllers?: ControllersConfig): Promise<DesiredSource> {
  const { workspaceSource } = await import('../sync/workspace-source.js');
  return workspaceSource({ templatesDir: a.templates, jobsDir: a.jobs, branches: a.branches, concurrency, ...(a.config !== undefined ? { config: a.config } : {}), ...(controllers ? { controllers } : {}) });
}

/** Before applying: diagnostics and the plan (text mode only). */
export function reportPlanned(outcome: SyncOutcome, a: CommonSyncArgs): void {
  if (a.json) return;
  printDiagnostics(outcome.diagnostics);
  if (outcome.status === 'invalid') {
    process.stderr.write('The definitions have errors: nothing was changed in Jenkins.\n');
    return;
  }
  process.stdout.write(formatPlanText(outcome.plan, { verbose: a.verbose }));
  if (outcome.plan.refused) process.stderr.write('Nothing was changed in Jenkins.\n');
}

/**
 * After applying (or planning only): the JSON result, or the apply summary; returns the exit code
 * (`detailedExitcode`: `plan --detailed-exitcode`, 2 when a plan that is not refused has changes).
 * The JSON's `exitCode` is that code.
 */
export function reportOutcome(outcome: SyncOutcome, a: CommonSyncArgs, command: 'plan' | 'sync', extra: Record<string, unknown> = {}, detailedExitcode = false): number {
  const invalid = outcome.status === 'invalid';
  const plan = outcome.status === 'planned' ? outcome.plan : undefined;
  let code = exitCodeFor(plan, outcome.applied, invalid);
  if (code === EXIT.ok && detailedExitcode && plan && hasActions(plan)) code = EXIT.usage;
  if (a.json) {
    process.stdout.write(
      resultJson(command, { status: invalid ? 'invalid' : plan?.refused ? 'refused' : outcome.applied?.notStarted ? 'interrupted' : 'planned', exitCode: code, diagnostics: outcome.diagnostics, plan: plan ? planToJson(plan) : undefined, applied: appliedToJson(outcome.applied), ...extra }),
    );
    return code;
  }
  const ap = outcome.applied;
  if (ap) reportArchived(ap);
  if (ap && plan) {
    if (reportInterrupted(ap, 'Run sync again to converge.')) return code;
    if (ap.failed.length || ap.skipped.length) {
      reportFailures(ap, 'Run sync again to converge.', `${ap.failed.length} change(s) failed, ${ap.skipped.length} skipped; ${ap.succeeded.length} applied.`);
    } else if (ap.succeeded.length > 0) {
      process.stdout.write(`Applied ${ap.succeeded.length} change(s) (${plan.summary.unchanged} unchanged).\n`);
    }
  }
  return code;
}

interface SyncArgs extends CommonSyncArgs {
  'dry-run': boolean;
}

export const syncCommand: CommandModule<object, SyncArgs> = {
  ...commandInfo('sync'),
  builder: (y) =>
    commonSyncOptions(y).option('dry-run', { type: 'boolean', default: false, describe: 'Plan only; change nothing' }) as unknown as Argv<SyncArgs>,
  handler: async (a) => {
    const { openJenkins } = await import('./connection-options.js');
    const { runSync } = await import('../sync/run-sync.js');
    const archive = await archivePolicyFrom(a);
    if (!archive.ok) {
      process.stderr.write('The archive settings have errors: nothing was changed in Jenkins.\n');
      process.exitCode = EXIT.badInput;
      return;
    }
    const { onInterrupt } = await import('./interrupt.js');
    const { controllersConfig } = await import('./controller-options.js');
    const controllers = await controllersConfig(a);
    if (controllers) {
      // many controllers (docs/controllers.md): planned and applied in parallel, grouped output
      const { runControllers } = await import('./controllers-command.js');
      const interrupt = onInterrupt(process.stderr, a.json ? 'sync' : undefined);
      process.exitCode = await runControllers(a, controllers, { mode: 'sync', dryRun: a['dry-run'], interrupt, ...(archive.policy ? { archive: archive.policy } : {}) }).finally(() => interrupt.dispose());
      return;
    }
    const interrupt = onInterrupt(process.stderr, a.json ? 'sync' : undefined);
    const code = await openJenkins(a, async ({ api, where, concurrency }) => {
      if (!a.json) process.stderr.write(`${where}\n`);
      const source = await sourceFrom(a, concurrency);
      const onEvent = progressReporter(progressMode(process.stderr, process.env, a.json), process.stderr, process.stderr.columns || 80);
      const onPlan = (p: SyncOutcome): void => {
        reportPlanned(p, a);
        interrupt.applying(); // from here on, Ctrl-C stops between changes and reports
      };
      const settings = { ...settingsFrom(a, concurrency), ...(archive.policy ? { archive: archive.policy } : {}) };
      const outcome = await runSync({ api, source, settings, dryRun: a['dry-run'], onEvent, signal: interrupt.signal, onPlan });
      const code = reportOutcome(outcome, a, 'sync');
      if (a.embedded !== undefined && !a.json) {
        process.stdout.write(
          `\nThe embedded stand-in's state is in ${a.embedded} (Jenkins layout: ${a.embedded}/jobs/<name>/config.xml).\n` +
            `Browse it with: npx jobsmith standin --home ${a.embedded} --port 8080  (then open http://127.0.0.1:8080/)\n`,
        );
      }
      return code;
    }).finally(() => interrupt.dispose());
    process.exitCode = code;
  },
};
