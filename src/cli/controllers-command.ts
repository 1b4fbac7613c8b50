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
import { appliedToJson, exitCodeFor, reportArchived, reportFailures, reportInterrupted } from './report-apply.js';
import type { Interrupt } from './interrupt.js';
import type { ApplyFlags } from '../plan/recheck-plan.js';
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
  /** sync: Ctrl-C (applying() is called once every controller is planned). */
  interrupt?: Interrupt;
}

/** One exit code for the run: a failure of Jenkins anywhere wins (3), then an interruption, then bad input. */
export function combineExitCodes(codes: readonly number[]): number {
  for (const c of [EXIT.external, EXIT.interrupted, EXIT.badInput, EXIT.usage]) if (codes.includes(c)) return c;
  return EXIT.ok;
}

export function controllerExitCode(o: ControllerOutcome): number {
  if (o.status === 'failed') return EXIT.external;
  if (o.status === 'refused') return o.external ? EXIT.external : EXIT.badInput;
  return exitCodeFor(o.plan, o.applied, false);
}

function appliedLine(ap: ApplyResult | undefined, plan: Plan | undefined): string {
  if (!plan) return '';
  if (plan.refused) return 'nothing was changed';
  if (!ap) return `${plan.changes.filter((c) => !['unchanged', 'keep', 'conflict'].includes(c.kind)).length} change(s) planned`;
  return `${ap.succeeded.length} applied, ${ap.failed.length} failed, ${ap.skipped.length} skipped${ap.notStarted ? `, ${ap.notStarted.length} not started (interrupted)` : ''}`;
}

/** The per-controller summary at the end of a run (stderr when something failed, else stdout). */
export function summaryText(outcomes: readonly ControllerOutcome[]): string {
  const width = Math.max(...outcomes.map((o) => o.controller.length));
  let text = 'Controllers:\n';
  for (const o of outcomes) {
    const code = controllerExitCode(o);
    const state =
      o.status === 'failed'
        ? `FAILED (nothing was changed on it): ${printable(o.error ?? '')}`
        : o.status === 'refused'
          ? `refused (nothing was changed on it): ${printable((o.reasons ?? []).join('; '))}`
          : `${code === EXIT.ok ? 'ok' : code === EXIT.external ? 'FAILED' : code === EXIT.interrupted ? 'interrupted' : 'refused'}: ${appliedLine(o.applied, o.plan)}`;
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
    controllers: outcome.controllers.map(controllerJson),
    ...extra,
  };
}

/** One controller of a `--json` result (docs/json-output.md, "Many controllers"). */
export function controllerJson(o: ControllerOutcome): Record<string, unknown> {
  return {
    controller: o.controller,
    status: o.status,
    exitCode: controllerExitCode(o),
    ...(o.error !== undefined ? { error: o.error } : {}),
    ...(o.reasons !== undefined ? { reasons: o.reasons } : {}),
    ...(o.plan ? { plan: planToJson(o.plan) } : {}),
    ...(o.applied ? { applied: appliedToJson(o.applied) } : {}),
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
      opts.interrupt?.applying(); // from here on, Ctrl-C stops between changes and reports
      await applyControllers(outcome, targets, opts.interrupt ? { signal: opts.interrupt.signal } : {});
    }
    let code = combineExitCodes(outcome.controllers.map(controllerExitCode));
    if (code === EXIT.ok && opts.detailedExitcode && outcome.controllers.some((o) => o.plan && hasActions(o.plan))) code = EXIT.usage;
    if (a.json) {
      // Ctrl-C while applying: `interrupted`, as for one Jenkins (docs/json-output.md)
      if (outcome.controllers.some((o) => o.applied?.notStarted)) extra.status = 'interrupted';
      process.stdout.write(resultJson(opts.mode, outcomeJson(outcome, code, extra)));
      return code;
    }
    for (const o of outcome.controllers) {
      if (!o.applied) continue;
      if (o.applied.notStarted) {
        process.stderr.write(`controller ${o.controller}:\n`);
        reportInterrupted(o.applied, 'Run sync again to converge.');
        continue;
      }
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

/** What a plan set is applied with: apply's own flags, the config file's archive settings, Ctrl-C. */
export interface PlanSetOptions {
  interrupt: Interrupt;
  flags: ApplyFlags;
  archivePolicy?: ArchivePolicy;
}

/**
 * `apply FILE` of a plan set (one plan per controller): the plans made now are the authority, as for
 * one Jenkins (src/plan/recheck-plan.ts): every controller is planned again (its own listing, the
 * moves between controllers linked again) and each saved plan is checked against its controller's
 * fresh plan (stale or refused: nothing changes there, the others go on). The checked plans are
 * applied in parallel; deletes waiting for a create on another controller go last, only when that
 * create succeeded. Returns the exit code.
 */
export async function applyPlanSet(a: CommonSyncArgs & { file: string }, config: ControllersConfig, plans: Plan[], opts: PlanSetOptions): Promise<number> {
  const { brokenDefinitions, checkSavedPlan, savedPlanSettings } = await import('../sync/saved-plan-io.js');
  const { planControllers, applyControllers } = await import('../sync/controllers-sync.js');
  const { DEFAULT_OWNER } = await import('../plan/make-plan.js');
  const unknown = plans.filter((p) => !config.entries.has(p.controller!));
  if (unknown.length > 0) {
    process.stderr.write(`error: ${a.file}: the plan is for controller(s) ${unknown.map((p) => p.controller).join(', ')}, which ${config.file} does not configure; nothing was changed\n`);
    return EXIT.badInput;
  }
  // one run made every plan of the set: they share the options the fresh plans are made with
  const optionsOf = (p: Plan): string => JSON.stringify([p.options.removed, p.options.verify, p.options.only]);
  if (plans.some((p) => optionsOf(p) !== optionsOf(plans[0]!))) {
    process.stderr.write(`error: ${a.file}: the plans of the set were made with different options (--removed, --verify, --only): not one run of \`jobsmith plan --out\`; nothing was changed\n`);
    return EXIT.badInput;
  }
  if (a.controller?.length) {
    const asked = await selectedControllers(a, config);
    const missing = asked.filter((n) => !plans.some((p) => p.controller === n));
    if (missing.length > 0) {
      process.stderr.write(`error: ${a.file}: the plan set has no plan for controller(s) ${missing.join(', ')} (it has ${plans.map((p) => p.controller).join(', ')}); nothing was changed\n`);
      return EXIT.badInput;
    }
  }
  const selected = a.controller?.length ? await selectedControllers(a, config) : plans.map((p) => p.controller!);
  const chosen = plans.filter((p) => selected.includes(p.controller!));
  const savedOf = (name: string): Plan => chosen.find((p) => p.controller === name)!;
  return openControllers(a, config, config.names.filter((n) => chosen.some((p) => p.controller === n)), async (targets) => {
    if (!a.json) for (const t of targets) process.stderr.write(`${t.where}\n`);
    const concurrency = Math.max(...targets.map((t) => t.concurrency));
    const source = await sourceFrom(a, concurrency, config);
    const settings = savedPlanSettings(chosen[0]!, opts.flags, opts.archivePolicy, concurrency);
    const dirs = { templatesDir: a.templates, jobsDir: a.jobs };
    const path = await import('node:path');
    const outcome = await planControllers({
      targets,
      names: config.names,
      source,
      settings,
      // each saved plan applies with the archive settings it recorded
      archiveFor: (n) => savedOf(n).archive ?? (opts.archivePolicy ? { ...opts.archivePolicy, dir: path.join(opts.archivePolicy.dir, n) } : undefined),
      outsideWhy: (n) => (plans.some((p) => p.controller === n) ? `controller ${n} is not part of this run (--controller)` : `the plan set has no plan for controller ${n}`),
    });
    if (outcome.status === 'invalid') {
      const reasons = brokenDefinitions(outcome.diagnostics);
      if (a.json) process.stdout.write(resultJson('apply', { status: 'refused', exitCode: EXIT.badInput, reasons }));
      else process.stderr.write(`error: the saved plan is refused; nothing was changed:\n${reasons.map((r) => `  - ${r}\n`).join('')}Make a new plan with \`jobsmith plan --out ${a.file}\`.\n`);
      return EXIT.badInput;
    }
    const owner = outcome.snapshot.owner ?? DEFAULT_OWNER;
    for (const o of outcome.controllers) {
      if (o.status !== 'planned') continue;
      const checked = await checkSavedPlan(savedOf(o.controller), o.plan!, o.observed!, owner, dirs, opts.flags);
      if (checked.status === 'ok') {
        o.plan = checked.plan;
        continue;
      }
      o.status = 'refused';
      o.reasons = checked.reasons;
      o.error = `the saved plan is ${checked.status}; nothing was changed on it`;
      if (checked.status === 'refused' && checked.external) o.external = true;
      delete o.plan;
    }
    opts.interrupt.applying(); // from here on, Ctrl-C stops between changes and reports
    await applyControllers(outcome, targets, { signal: opts.interrupt.signal });
    const code = combineExitCodes(outcome.controllers.map(controllerExitCode));
    if (a.json) {
      const interrupted = outcome.controllers.some((o) => o.applied?.notStarted);
      process.stdout.write(resultJson('apply', { status: interrupted ? 'interrupted' : 'applied', exitCode: code, controllers: outcome.controllers.map(controllerJson) }));
      return code;
    }
    for (const o of outcome.controllers) {
      process.stdout.write(`\n== controller ${o.controller} ==\n`);
      if (o.plan) process.stdout.write(formatPlanText(o.plan));
      else if (o.reasons) process.stderr.write(`error: ${printable(o.error ?? '')}:\n${o.reasons.map((r) => `  - ${printable(r)}\n`).join('')}`);
      else process.stderr.write(`error: ${printable(o.error ?? '')}\nNothing was changed on controller ${o.controller}.\n`);
      if (o.applied && !reportInterrupted(o.applied, 'Make a new plan and apply it to converge.')) {
        reportArchived(o.applied);
        reportFailures(o.applied, 'Make a new plan and apply it to converge.');
      }
    }
    if (outcome.controllers.some((o) => o.status === 'refused')) process.stderr.write(`Make a new plan with \`jobsmith plan --out ${a.file}\`.\n`);
    (code === EXIT.ok ? process.stdout : process.stderr).write('\n' + summaryText(outcome.controllers));
    return code;
  });
}
