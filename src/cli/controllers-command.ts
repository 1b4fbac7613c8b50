/**
 * `plan`, `sync` and `apply FILE` when jobsmith.yaml has `controllers:` (docs/controllers.md): the
 * controllers are planned and applied in parallel (src/sync/controllers-sync.ts), the output is
 * grouped per controller, `--json` carries the controller on each item, and a controller that
 * failed makes the run exit 3 after a per-controller summary.
 */
import type { ApplyResult } from '../apply/apply-events.js';
import type { Plan } from '../model/plan.js';
import { hasActions } from '../model/plan.js';
import type { ControllersConfig } from '../controllers/controllers-config.js';
import type { ControllerOutcome, ControllersOutcome } from '../sync/controllers-sync.js';
import { formatPlanText } from '../plan/print-text.js';
import { planToJson, resultJson } from '../plan/print-json.js';
import { EXIT } from './exit-codes.js';
import { printDiagnostics } from './print-diagnostics.js';
import { printable } from './printable.js';
import { appliedToJson, exitCodeFor, reportArchived, reportFailures } from './report-apply.js';
import { settingsFrom, sourceFrom, type CommonSyncArgs } from './sync-command.js';
import { openControllers, selectedControllers } from './controller-options.js';
import type { ArchivePolicy } from '../model/plan.js';

export interface ControllersRunOptions {
  mode: 'plan' | 'sync';
  dryRun?: boolean;
  out?: string;
  labelCheck?: boolean;
  detailedExitcode?: boolean;
  archive?: ArchivePolicy;
  signal?: AbortSignal;
}

/** One exit code for the run: a failure of Jenkins anywhere wins (3), then an interruption, then bad input. */
export function combineExitCodes(codes: readonly number[]): number {
  for (const c of [EXIT.external, EXIT.interrupted, EXIT.badInput, EXIT.usage]) if (codes.includes(c)) return c;
  return EXIT.ok;
}

export function controllerExitCode(o: ControllerOutcome): number {
  if (o.status === 'failed') return EXIT.external;
  return exitCodeFor(o.plan, o.applied, false);
}

function appliedLine(ap: ApplyResult | undefined, plan: Plan | undefined): string {
  if (!plan) return '';
  if (plan.refused) return 'refused: nothing was changed';
  if (!ap) return `${plan.changes.filter((c) => !['unchanged', 'keep', 'conflict'].includes(c.kind)).length} change(s) planned`;
  return `${ap.succeeded.length} applied, ${ap.failed.length} failed, ${ap.skipped.length} skipped${ap.notStarted ? `, ${ap.notStarted.length} not started (interrupted)` : ''}`;
}

/** The per-controller summary at the end of a run (stderr when something failed, else stdout). */
export function summaryText(outcomes: readonly ControllerOutcome[]): string {
  const width = Math.max(...outcomes.map((o) => o.controller.length));
  let text = 'Controllers:\n';
  for (const o of outcomes) {
    const code = controllerExitCode(o);
    const state = o.status === 'failed' ? `FAILED (nothing was changed on it): ${printable(o.error ?? '')}` : `${code === EXIT.ok ? 'ok' : code === EXIT.external ? 'FAILED' : code === EXIT.interrupted ? 'interrupted' : 'refused'}: ${appliedLine(o.applied, o.plan)}`;
    text += `  ${o.controller.padEnd(width)}  ${state}\n`;
  }
  return text;
}

/** The `--json` result (format jobsmith-result v1, docs/json-output.md) with one entry per controller. */
export function outcomeJson(outcome: ControllersOutcome, code: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  if (outcome.status === 'invalid') return { status: 'invalid', exitCode: code, diagnostics: outcome.diagnostics, controllers: [] };
  return {
    status: 'planned',
    exitCode: code,
    diagnostics: outcome.diagnostics,
    controllers: outcome.controllers.map((o) => ({
      controller: o.controller,
      status: o.status,
      exitCode: controllerExitCode(o),
      ...(o.error !== undefined ? { error: o.error } : {}),
      ...(o.plan ? { plan: planToJson(o.plan) } : {}),
      ...(o.applied ? { applied: appliedToJson(o.applied) } : {}),
    })),
    ...extra,
  };
}

/** plan / sync over the controllers; returns the exit code. */
export async function runControllers(a: CommonSyncArgs, config: ControllersConfig, opts: ControllersRunOptions): Promise<number> {
  const names = await selectedControllers(a, config);
  const { planControllers, applyControllers } = await import('../sync/controllers-sync.js');
  return openControllers(a, config, names, async (targets) => {
    if (!a.json) for (const t of targets) process.stderr.write(`${t.where}\n`);
    const concurrency = Math.max(...targets.map((t) => t.concurrency));
    const source = await sourceFrom(a, concurrency, config);
    const settings = { ...settingsFrom(a, concurrency), ...(opts.labelCheck !== undefined ? { labelCheck: opts.labelCheck } : {}), ...(opts.archive ? { archive: opts.archive } : {}) };
    const outcome = await planControllers({ targets, names: config.names, source, settings });
    if (outcome.status === 'invalid') {
      if (a.json) process.stdout.write(resultJson(opts.mode, outcomeJson(outcome, EXIT.badInput)));
      else {
        printDiagnostics(outcome.diagnostics);
        process.stderr.write('The definitions have errors: nothing was changed in Jenkins.\n');
      }
      return EXIT.badInput;
    }
    if (!a.json) {
      printDiagnostics(outcome.diagnostics);
      for (const o of outcome.controllers) {
        process.stdout.write(`\n== controller ${o.controller} ==\n`);
        if (o.status === 'failed') process.stdout.write(`error: ${printable(o.error ?? '')}\nNothing was changed on controller ${o.controller}.\n`);
        else process.stdout.write(formatPlanText(o.plan!, { verbose: a.verbose }));
      }
    }
    const extra: Record<string, unknown> = {};
    if (opts.out !== undefined) {
      const { savePlanSet } = await import('../sync/saved-plan-io.js');
      const planned = outcome.controllers.filter((o) => o.plan);
      const { planBasis } = await import('../sync/saved-plan-io.js');
      for (const o of planned) o.plan!.basis = await planBasis({ templatesDir: a.templates, jobsDir: a.jobs }, o.observed!, o.plan!);
      const { writingTo } = await import('./output-file-arg.js');
      const out = opts.out;
      await writingTo(out, '--out', () => savePlanSet(out, planned.map((o) => o.plan!)));
      extra.savedTo = out;
    }
    if (opts.mode === 'sync' && !opts.dryRun) {
      await applyControllers(outcome, targets, opts.signal ? { signal: opts.signal } : {});
    }
    let code = combineExitCodes(outcome.controllers.map(controllerExitCode));
    if (code === EXIT.ok && opts.detailedExitcode && outcome.controllers.some((o) => o.plan && hasActions(o.plan))) code = EXIT.usage;
    if (a.json) {
      process.stdout.write(resultJson(opts.mode, outcomeJson(outcome, code, extra)));
      return code;
    }
    for (const o of outcome.controllers) {
      if (!o.applied) continue;
      reportArchived(o.applied);
      if (o.applied.failed.length || o.applied.skipped.length) {
        process.stderr.write(`controller ${o.controller}:\n`);
        reportFailures(o.applied, 'Run sync again to converge.');
      }
    }
    if (opts.out !== undefined) process.stdout.write(`Plan saved to ${opts.out}; apply it with: jobsmith apply ${opts.out}\n`);
    (code === EXIT.ok ? process.stdout : process.stderr).write('\n' + summaryText(outcome.controllers));
    return code;
  });
}

/**
 * `apply FILE` of a plan set (one plan per controller): each plan is checked against its controller
 * (stale or refused: nothing changes there) and applied in parallel; deletes waiting for a create on
 * another controller go last, only when that create succeeded. Returns the exit code.
 */
export async function applyPlanSet(a: CommonSyncArgs & { file: string }, config: ControllersConfig, plans: Plan[], signal?: AbortSignal): Promise<number> {
  const { applySavedPlan } = await import('../sync/saved-plan-io.js');
  const { applyControllers } = await import('../sync/controllers-sync.js');
  const unknown = plans.filter((p) => !config.entries.has(p.controller!));
  if (unknown.length > 0) {
    process.stderr.write(`error: ${a.file}: the plan is for controller(s) ${unknown.map((p) => p.controller).join(', ')}, which ${config.file} does not configure; nothing was changed\n`);
    return EXIT.badInput;
  }
  const selected = a.controller?.length ? await selectedControllers(a, config) : plans.map((p) => p.controller!);
  const chosen = plans.filter((p) => selected.includes(p.controller!));
  return openControllers(a, config, chosen.map((p) => p.controller!), async (targets) => {
    if (!a.json) for (const t of targets) process.stderr.write(`${t.where}\n`);
    const outcomes: ControllerOutcome[] = await Promise.all(
      targets.map(async (t): Promise<ControllerOutcome> => {
        const plan = chosen.find((p) => p.controller === t.name)!;
        try {
          const r = await applySavedPlan(t.api, plan, { templatesDir: a.templates, jobsDir: a.jobs, ...(a.config !== undefined ? { config: a.config } : {}) }, { concurrency: t.concurrency, ...(signal ? { signal } : {}) }, (c) => c.waitsFor !== undefined);
          if (r.status !== 'applied') return { controller: t.name, where: t.where, status: 'failed', error: `the saved plan is ${r.status}; nothing was changed: ${r.reasons.join('; ')}` };
          return { controller: t.name, where: t.where, status: 'planned', plan, applied: r.applied };
        } catch (err) {
          return { controller: t.name, where: t.where, status: 'failed', error: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
    // second round only: the first was applied above, with the plans' checks
    const second = outcomes.filter((o) => o.plan).map((o) => ({ ...o, plan: { ...o.plan!, changes: o.plan!.changes.filter((c) => c.waitsFor) } }));
    const firstApplied = new Map(outcomes.map((o) => [o.controller, o.applied]));
    const fake: Extract<ControllersOutcome, { status: 'planned' }> = { status: 'planned', diagnostics: [], controllers: second.map(({ applied: _a, ...o }) => o), snapshot: { desired: { jobs: [], folders: [], views: [] }, diagnostics: [] } };
    await applyControllers(fake, targets, { ...(signal ? { signal } : {}), firstRound: firstApplied });
    for (const o of outcomes) {
      const s = fake.controllers.find((x) => x.controller === o.controller);
      if (s?.applied && o.applied && s.plan!.changes.length > 0) o.applied = { ...o.applied, succeeded: [...o.applied.succeeded, ...s.applied.succeeded], failed: [...o.applied.failed, ...s.applied.failed], skipped: [...o.applied.skipped, ...s.applied.skipped], archived: [...o.applied.archived, ...s.applied.archived] };
    }
    const code = combineExitCodes(outcomes.map(controllerExitCode));
    if (a.json) {
      process.stdout.write(resultJson('apply', { status: 'applied', exitCode: code, controllers: outcomes.map((o) => ({ controller: o.controller, status: o.status, exitCode: controllerExitCode(o), ...(o.error !== undefined ? { error: o.error } : {}), ...(o.applied ? { applied: appliedToJson(o.applied) } : {}) })) }));
      return code;
    }
    for (const o of outcomes) {
      process.stdout.write(`\n== controller ${o.controller} ==\n`);
      if (o.plan) process.stdout.write(formatPlanText(o.plan));
      else process.stdout.write(`error: ${printable(o.error ?? '')}\n`);
      if (o.applied) reportFailures(o.applied, 'Make a new plan and apply it to converge.');
    }
    (code === EXIT.ok ? process.stdout : process.stderr).write('\n' + summaryText(outcomes));
    return code;
  });
}
