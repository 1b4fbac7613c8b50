/**
 * `jobsmith plan`: render, list Jenkins once, show what a sync would change (nothing is changed).
 * `--out FILE` saves the plan with its basis for `jobsmith apply FILE`; `--diff` shows the XML
 * difference of each update; `--detailed-exitcode` exits 2 when there are changes; jobs whose label
 * expression matches no node are warned about (`--no-label-check` skips that request).
 */
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import type { Change } from '../model/plan.js';
import { EXIT } from './exit-codes.js';
import { archivePolicyFrom } from './archive-options.js';
import { commonSyncOptions, reportOutcome, reportPlanned, settingsFrom, sourceFrom, type CommonSyncArgs } from './sync-command.js';

interface PlanArgs extends CommonSyncArgs {
  out?: string;
  'label-check': boolean;
  diff: boolean;
  'detailed-exitcode': boolean;
}

export const planCommand: CommandModule<object, PlanArgs> = {
  ...commandInfo('plan'),
  builder: (y) =>
    commonSyncOptions(y)
      .option('out', { type: 'string', describe: 'Save the plan to FILE for `jobsmith apply FILE`' })
      .option('diff', { type: 'boolean', default: false, describe: 'Show the XML difference for each update' })
      .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'Exit 2 when the plan has changes (0: none)' })
      .option('label-check', { type: 'boolean', default: true, describe: "Warn when a job's label expression (assignedNode) matches no node of Jenkins: one extra request, only when some job sets a label (--no-label-check: skip)" }) as unknown as Argv<PlanArgs>,
  handler: async (a) => {
    const { openJenkins } = await import('./connection-options.js');
    const { planSync } = await import('../sync/plan-sync.js');
    const { planBasis, savePlanFile } = await import('../sync/saved-plan-io.js');
    const { runLimited } = await import('../apply/run-limited.js');
    const { configDiff, hasConfigDiff } = await import('../plan/print-diff.js');
    const { checkOutputFileArg, writingTo } = await import('./output-file-arg.js');
    if (a.out !== undefined) checkOutputFileArg(a.out, '--out');
    const archive = await archivePolicyFrom(a);
    if (!archive.ok) {
      process.exitCode = EXIT.badInput;
      return;
    }
    const { controllersConfig } = await import('./controller-options.js');
    const controllers = await controllersConfig(a);
    if (controllers) {
      // many controllers (docs/controllers.md): one plan per controller, grouped output, --out saves a plan set
      const { runControllers } = await import('./controllers-command.js');
      process.exitCode = await runControllers(a, controllers, { mode: 'plan', labelCheck: a['label-check'], detailedExitcode: a['detailed-exitcode'], ...(a.out !== undefined ? { out: a.out } : {}), ...(archive.policy ? { archive: archive.policy } : {}) });
      return;
    }
    const code = await openJenkins(a, async ({ api, where, concurrency }) => {
      if (!a.json) process.stderr.write(`${where}\n`);
      const source = await sourceFrom(a, concurrency);
      const outcome = await planSync({ api, source, settings: { ...settingsFrom(a, concurrency), labelCheck: a['label-check'], ...(archive.policy ? { archive: archive.policy } : {}) } });
      const extra: Record<string, unknown> = {};
      if (outcome.status === 'planned' && a.out) {
        outcome.plan.basis = await planBasis({ templatesDir: a.templates, jobsDir: a.jobs }, outcome.observed, outcome.plan);
        const out = a.out;
        await writingTo(out, '--out', () => savePlanFile(out, outcome.plan));
        extra.savedTo = a.out;
      }
      reportPlanned(outcome, a);
      const code = reportOutcome(outcome, a, 'plan', extra, a['detailed-exitcode']);
      if (outcome.status === 'planned' && a.diff && !a.json) {
        const updates = outcome.plan.changes.filter(hasConfigDiff);
        const current = new Map<Change, string>();
        await runLimited(updates, concurrency, async (c) => {
          const v = c.view;
          current.set(c, v ? await api.getViewConfig(v.name, v.folder.length ? v.folder.join('/') : undefined) : await api.getConfig(c.fullName));
        });
        const diffs = updates.map((c) => configDiff(c, current.get(c)));
        process.stdout.write(diffs.join(''));
      }
      if (outcome.status === 'planned' && a.out && !a.json) process.stdout.write(`Plan saved to ${a.out}; apply it with: jobsmith apply ${a.out}\n`);
      return code;
    });
    process.exitCode = code;
  },
};
