/**
 * `jobsmith apply FILE`: apply exactly a plan saved by `jobsmith plan --out FILE`. The file is
 * checked against the plan schema; Jenkins is listed again and the definitions re-hashed; the
 * planner runs again and every change of the file must be one it makes now, identically
 * (src/plan/recheck-plan.ts). Options that lift a guard (`--allow-mass-delete`, `--adopt`,
 * `--allow-empty`, `--allow-stale`) are apply's own flags, never read from the file. Refuses
 * (changing nothing, exit 1) when anything changed or fails.
 */
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { connectionOptions, type ConnectionArgs } from './connection-options.js';
import { formatPlanText } from '../plan/print-text.js';
import { resultJson } from '../plan/print-json.js';
import { EXIT } from './exit-codes.js';
import { appliedToJson, exitCodeFor, reportArchived, reportFailures, reportInterrupted } from './report-apply.js';
import { progressMode, progressReporter } from './progress.js';
import type { Plan } from '../model/plan.js';

interface ApplyArgs extends ConnectionArgs {
  file: string;
  templates: string;
  jobs: string;
  json: boolean;
  'allow-mass-delete': boolean;
  adopt: boolean;
  'allow-empty': boolean;
  'allow-stale': boolean;
}

export const applyCommand: CommandModule<object, ApplyArgs> = {
  ...commandInfo('apply'),
  builder: (y) =>
    connectionOptions(y)
      .positional('file', { type: 'string', demandOption: true, describe: 'Saved plan' })
      .option('templates', { type: 'string', default: 'job-templates', describe: 'Templates directory (to check the plan is current)' })
      .option('jobs', { type: 'string', default: 'jobs', describe: 'Definitions directory (to check the plan is current)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print a JSON result on stdout' })
      // guards a saved plan never lifts by itself: a plan made with one of these needs it here too
      .option('allow-mass-delete', { type: 'boolean', default: false, describe: 'The plan was made with --allow-mass-delete (needed again here)' })
      .option('adopt', { type: 'boolean', default: false, describe: 'The plan was made with --adopt (needed again here)' })
      .option('allow-empty', { type: 'boolean', default: false, describe: 'The plan was made with --allow-empty (needed again here)' })
      .option('allow-stale', { type: 'boolean', default: false, describe: 'The plan was made with --allow-stale (needed again here)' }) as unknown as Argv<ApplyArgs>,
  handler: async (a) => {
    const { SavedPlanError } = await import('../plan/saved-plan.js');
    const { applySavedPlan, loadPlanFiles, requireDefinitionsDirs } = await import('../sync/saved-plan-io.js');
    const { openJenkins } = await import('./connection-options.js');
    const { onInterrupt } = await import('./interrupt.js');
    let plan: Plan;
    let plans: Plan[];
    try {
      plans = await loadPlanFiles(a.file);
      plan = plans[0]!;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (err instanceof SavedPlanError || (typeof code === 'string' && /^E[A-Z]+$/.test(code))) {
        const why = err instanceof SavedPlanError ? err.message : code === 'EISDIR' ? 'is a directory, not a saved plan (`jobsmith plan --out FILE` writes one)' : `cannot read the plan file (${code})`;
        process.stderr.write(`error: ${a.file}: ${why}\n`);
        process.exitCode = EXIT.badInput;
        return;
      }
      throw err;
    }
    requireDefinitionsDirs({ templatesDir: a.templates, jobsDir: a.jobs });
    const { archivePolicyFrom } = await import('./archive-options.js');
    const archive = await archivePolicyFrom({ ...(a.config !== undefined ? { config: a.config } : {}) });
    if (!archive.ok) {
      process.stderr.write('The archive settings have errors: nothing was changed in Jenkins.\n');
      process.exitCode = EXIT.badInput;
      return;
    }
    const flags = { allowMassDelete: a['allow-mass-delete'], adopt: a.adopt, allowEmpty: a['allow-empty'], allowStale: a['allow-stale'] };
    if (plans.some((p) => p.controller !== undefined)) {
      // many controllers (docs/controllers.md): a plan set, one plan per controller; a plan without controller is for the one Jenkins
      const { controllersConfig } = await import('./controller-options.js');
      const config = await controllersConfig(a);
      if (!config) {
        process.stderr.write(`error: ${a.file}: the plan is for controller(s) ${plans.map((p) => p.controller).join(', ')}, but no controllers are configured (jobsmith.yaml controllers:); nothing was changed\n`);
        process.exitCode = EXIT.badInput;
        return;
      }
      const { applyPlanSet } = await import('./controllers-command.js');
      const interrupt = onInterrupt(process.stderr, a.json ? 'apply' : undefined);
      process.exitCode = await applyPlanSet(a as never, config, plans, { interrupt, flags, ...(archive.policy ? { archivePolicy: archive.policy } : {}) }).finally(() => interrupt.dispose());
      return;
    }
    {
      // a plan of the single-Jenkins format is for the one Jenkins: with controllers configured it has no controller to go to
      const { controllersConfig } = await import('./controller-options.js');
      const config = await controllersConfig(a);
      if (config) {
        process.stderr.write(`error: ${a.file} is a plan for one Jenkins (made without \`controllers:\`), but ${config.file} configures controllers (${config.names.join(', ')}): make a plan for them with \`jobsmith plan --out FILE\`; nothing was changed\n`);
        process.exitCode = EXIT.badInput;
        return;
      }
    }
    const interrupt = onInterrupt(process.stderr, a.json ? 'apply' : undefined);
    const code = await openJenkins(a, async ({ api, where, concurrency }) => {
      if (!a.json) process.stderr.write(`${where}
`);
      const onEvent = progressReporter(progressMode(process.stderr, process.env, a.json), process.stderr, process.stderr.columns || 80);
      interrupt.applying();
      const out = await applySavedPlan(api, plan, { templatesDir: a.templates, jobsDir: a.jobs, ...(a.config !== undefined ? { config: a.config } : {}) }, { concurrency, onEvent, signal: interrupt.signal, flags, ...(archive.policy ? { archivePolicy: archive.policy } : {}) });
      if (out.status === 'stale') {
        if (a.json) process.stdout.write(resultJson('apply', { status: 'stale', exitCode: EXIT.badInput, reasons: out.reasons }));
        else process.stderr.write(`error: the saved plan is stale; nothing was changed:\n${out.reasons.map((r) => `  - ${r}\n`).join('')}Make a new plan with \`jobsmith plan --out ${a.file}\`.\n`);
        return EXIT.badInput;
      }
      if (out.status === 'refused') {
        const code = out.external ? EXIT.external : EXIT.badInput;
        if (a.json) process.stdout.write(resultJson('apply', { status: 'refused', exitCode: code, reasons: out.reasons }));
        else process.stderr.write(`error: the saved plan is refused; nothing was changed:\n${out.reasons.map((r) => `  - ${r}\n`).join('')}Make a new plan with \`jobsmith plan --out ${a.file}\`.\n`);
        return code;
      }
      const code = exitCodeFor(out.plan, out.applied, false);
      if (a.json) {
        process.stdout.write(resultJson('apply', { status: out.applied.notStarted ? 'interrupted' : 'applied', exitCode: code, applied: appliedToJson(out.applied) }));
      } else {
        process.stdout.write(formatPlanText(out.plan));
        const ap = out.applied;
        if (reportInterrupted(ap, `Make a new plan and apply it to converge.`)) return code;
        reportArchived(ap);
        reportFailures(ap, 'Make a new plan and apply it to converge.');
        process.stdout.write(`Applied ${ap.succeeded.length} change(s), ${ap.failed.length} failed, ${ap.skipped.length} skipped.\n`);
      }
      return code;
    }).finally(() => interrupt.dispose());
    process.exitCode = code;
  },
};
