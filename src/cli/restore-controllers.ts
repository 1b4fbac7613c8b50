/**
 * `jobsmith restore` with many controllers (docs/controllers.md). The controllers restored are
 * those of `--controller` (repeatable), else every configured one:
 * - definitions (a directory, or a git repository at `--revision`): each controller gets the
 *   projects that go to it;
 * - a backup made per controller (`backup --out DIR` writes DIR/<name>): each controller from its
 *   own DIR/<name>;
 * - one backup (DIR/jobs, DIR/views): onto one controller only (`--controller NAME`, else the
 *   default one).
 * Every controller is planned first (in parallel; `--only` must match something on one of them),
 * then, with `--apply`, the plans are applied in parallel. A controller that fails changes nothing
 * on itself and does not stop the others; the run exits 3 after a per-controller summary.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ApplyResult } from '../apply/apply-events.js';
import { applyPlan } from '../apply/apply-plan.js';
import type { RestoreOptions, RestoreOutcome } from '../bulk/run-restore.js';
import type { ControllersConfig } from '../controllers/controllers-config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { UsageError } from '../model/errors.js';
import { hasActions, type Plan } from '../model/plan.js';
import { planToJson, resultJson } from '../plan/print-json.js';
import { formatPlanText } from '../plan/print-text.js';
import type { ConnectionArgs } from './connection-options.js';
import { combineExitCodes } from './controllers-command.js';
import { openControllers, selectedControllers } from './controller-options.js';
import { EXIT } from './exit-codes.js';
import type { Interrupt } from './interrupt.js';
import { printDiagnostics } from './print-diagnostics.js';
import { printable } from './printable.js';
import { appliedToJson, reportFailures, reportInterrupted } from './report-apply.js';

export interface RestoreControllersArgs extends ConnectionArgs {
  from: string;
  revision?: string;
  only?: string[];
  overwrite: boolean;
  apply: boolean;
  json: boolean;
  verbose: boolean;
}

interface ControllerRestore {
  controller: string;
  from: string;
  outcome?: RestoreOutcome;
  /** Could not be planned or applied (unreachable, ...): nothing was changed on it. */
  error?: string;
  code: number;
}

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/** Where each controller restores from: FROM itself, or FROM/<name> of a backup made per controller. */
export function restoreSources(from: string, config: ControllersConfig, asked: readonly string[] | undefined): Map<string, string> {
  const definitions = isDir(path.join(from, 'job-templates'));
  const oneBackup = isDir(path.join(from, 'jobs')) || isDir(path.join(from, 'views'));
  if (definitions) return new Map((asked ?? config.names).map((n) => [n, from]));
  const perController = !oneBackup && config.names.some((n) => isDir(path.join(from, n)));
  if (perController) {
    const names = asked ?? config.names.filter((n) => isDir(path.join(from, n)));
    const missing = names.filter((n) => !isDir(path.join(from, n)));
    if (missing.length > 0) throw new UsageError(`${from} holds no backup of controller(s) ${missing.join(', ')} (no ${missing.map((n) => path.join(from, n)).join(', ')}); nothing was done`);
    return new Map(names.map((n) => [n, path.join(from, n)]));
  }
  // one backup: one controller
  const names = asked ?? [config.defaultName];
  if (names.length !== 1) throw new UsageError(`${from} is one backup: restore it onto one controller at a time (one --controller, not ${names.join(', ')}); nothing was done`);
  return new Map([[names[0]!, from]]);
}

/**
 * The controller a backup restored onto `onto` was made of, when that is another one: a backup made
 * per controller is `DIR/<name>`, so `restore DIR/east --controller staging` copies east's items
 * (written unmanaged: src/plan/rules/restore-copy.ts). Undefined for definitions and for a backup
 * of `onto` itself or of no controller named.
 */
export function copiedFrom(from: string, onto: string, config: ControllersConfig): string | undefined {
  if (isDir(path.join(from, 'job-templates'))) return undefined;
  const base = path.basename(path.resolve(from));
  return base !== onto && config.entries.has(base) ? base : undefined;
}

/**
 * A restore's exit code: 1 for bad input (a refused plan, a change Jenkins refused as input, or a
 * backup item the plan holds as a conflict Jenkins would refuse: another type, a name differing
 * only in case, a folder missing from both), 130 when interrupted, 3 for a Jenkins failure.
 */
export function restoreExitCode(o: RestoreOutcome): number {
  if (o.plan === undefined || o.plan.refused) return EXIT.badInput;
  if (o.applied?.notStarted) return EXIT.interrupted;
  if (o.applied?.failed.some((f) => f.class === 'input')) return EXIT.badInput;
  if ((o.applied?.failed.length ?? 0) + (o.applied?.skipped.length ?? 0) > 0) return EXIT.external;
  if (o.kind === 'backup' && o.plan.problems.some((p) => p.severity === 'error')) return EXIT.badInput;
  return EXIT.ok;
}
const codeOf = restoreExitCode;

export async function restoreControllers(a: RestoreControllersArgs, config: ControllersConfig, interrupt: Interrupt, deps: { run: (api: import('../model/jenkins-api.js').JenkinsApi, o: RestoreOptions) => Promise<RestoreOutcome>; clock: RestoreOptions['clock'] }): Promise<number> {
  const asked = a.controller?.length ? await selectedControllers(a, config) : undefined;
  const sources = restoreSources(a.from, config, asked);
  const names = config.names.filter((n) => sources.has(n));
  return openControllers(a, config, names, async (targets) => {
    if (!a.json) for (const t of targets) process.stderr.write(`${t.where}\n`);
    // plan every controller first (nothing applied): a typo in --only refuses the whole run
    const results: ControllerRestore[] = await Promise.all(
      targets.map(async (t): Promise<ControllerRestore> => {
        const from = sources.get(t.name)!;
        try {
          const outcome = await deps.run(t.api, {
            from,
            ...(a.revision !== undefined ? { revision: a.revision } : {}),
            only: a.only ?? [],
            overwrite: a.overwrite,
            apply: false,
            concurrency: t.concurrency,
            clock: deps.clock,
            controller: { name: t.name, config },
            ...(copiedFrom(from, t.name, config) !== undefined ? { copyOf: copiedFrom(from, t.name, config)! } : {}),
            collectUnmatched: true,
          });
          return { controller: t.name, from, outcome, code: codeOf(outcome) };
        } catch (err) {
          if (err instanceof UsageError) throw err;
          return { controller: t.name, from, error: err instanceof Error ? err.message : String(err), code: EXIT.external };
        }
      }),
    );
    const unmatched = (a.only ?? []).filter((g) => results.every((r) => r.outcome?.unmatched?.includes(g)));
    if (unmatched.length > 0) throw new UsageError(`--only ${unmatched.map((p) => JSON.stringify(p)).join(', ')} matches no item or view of the backups; nothing was done`);
    if (a.apply) {
      interrupt.applying();
      await Promise.all(
        results.map(async (r) => {
          const plan: Plan | undefined = r.outcome?.plan;
          if (!plan || plan.refused || interrupt.signal.aborted) return;
          const t = targets.find((x) => x.name === r.controller)!;
          try {
            r.outcome!.applied = await applyPlan(t.api, plan, { concurrency: t.concurrency, signal: interrupt.signal });
          } catch (err) {
            r.error = err instanceof Error ? err.message : String(err);
          }
          r.code = r.error !== undefined ? EXIT.external : codeOf(r.outcome!);
        }),
      );
    }
    const code = combineExitCodes(results.map((r) => r.code));
    if (a.json) {
      process.stdout.write(
        resultJson('restore', {
          exitCode: code,
          controllers: results.map((r) => ({
            controller: r.controller,
            from: r.from,
            exitCode: r.code,
            ...(r.error !== undefined ? { error: r.error } : {}),
            ...(r.outcome ? { kind: r.outcome.kind, diagnostics: r.outcome.diagnostics, plan: r.outcome.plan ? planToJson(withController(r.outcome.plan, r.controller)) : undefined, applied: appliedToJson(withControllerApplied(r.outcome.applied, r.controller)) } : {}),
          })),
        }),
      );
      return code;
    }
    for (const r of results) {
      process.stdout.write(`\n== controller ${r.controller} (from ${r.from}) ==\n`);
      if (r.outcome) printOne(r.outcome, a);
      if (r.error !== undefined) process.stderr.write(`error: ${printable(r.error)}\n`);
    }
    let summary = 'Controllers:\n';
    const width = Math.max(...results.map((r) => r.controller.length));
    for (const r of results) {
      const ap = r.outcome?.applied;
      const state =
        r.error !== undefined
          ? `FAILED: ${printable(r.error)}`
          : !r.outcome?.plan
            ? `refused: the ${r.outcome?.kind ?? 'input'} has errors`
            : r.outcome.plan.refused
              ? 'refused: nothing was changed'
              : ap
                ? `${r.code === EXIT.ok ? 'ok' : r.code === EXIT.interrupted ? 'interrupted' : 'FAILED'}: ${ap.succeeded.length} restored, ${ap.failed.length} failed, ${ap.skipped.length} skipped`
                : `ok: ${r.outcome.plan.changes.filter((c) => !['unchanged', 'keep', 'conflict'].includes(c.kind)).length} change(s) to restore`;
      summary += `  ${r.controller.padEnd(width)}  ${state}\n`;
    }
    (code === EXIT.ok ? process.stdout : process.stderr).write('\n' + summary);
    return code;
  });
}

function withController(plan: Plan, controller: string): Plan {
  return { ...plan, controller, changes: plan.changes.map((c) => ({ ...c, controller })) };
}

function withControllerApplied(ap: ApplyResult | undefined, controller: string): ApplyResult | undefined {
  if (!ap) return undefined;
  const tag = <T extends { kind: string }>(c: T): T => ({ ...c, controller });
  return {
    ...ap,
    succeeded: ap.succeeded.map(tag),
    failed: ap.failed.map((f) => ({ ...f, change: tag(f.change) })),
    skipped: ap.skipped.map((f) => ({ ...f, change: tag(f.change) })),
    ...(ap.notStarted ? { notStarted: ap.notStarted.map(tag) } : {}),
  };
}

function printOne(o: RestoreOutcome, a: RestoreControllersArgs): void {
  printDiagnostics(o.diagnostics as Diagnostic[]);
  if (!o.plan) {
    process.stderr.write(`${o.kind === 'backup' ? 'The backup has' : 'The definitions have'} errors: nothing was changed on this controller.\n`);
    return;
  }
  process.stdout.write(formatPlanText(o.plan, { verbose: a.verbose }));
  if (o.plan.refused) process.stderr.write('Nothing was changed on this controller.\n');
  else if (!a.apply && hasActions(o.plan)) process.stdout.write('Nothing was changed; run again with --apply to restore.\n');
  if (o.applied && reportInterrupted(o.applied, 'Run restore again to finish (it never deletes, and skips what is there).')) return;
  if (o.applied) {
    reportFailures(o.applied, 'Run restore again to finish.');
    process.stdout.write(`Restored: ${o.applied.succeeded.length} done, ${o.applied.failed.length} failed, ${o.applied.skipped.length} skipped.\n`);
  }
}
