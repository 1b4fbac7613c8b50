/**
 * What an apply did, for the commands that apply (sync, apply, restore): the exit code of a
 * plan's outcome, the JSON of an apply result, and the report after a Ctrl-C.
 */
import type { ApplyResult } from '../apply/apply-events.js';
import type { Plan } from '../model/plan.js';
import { EXIT } from './exit-codes.js';
import { printable } from './printable.js';

/**
 * Exit status of a plan/sync outcome (see docs: 0 ok, 1 bad input or refused, 3 Jenkins/remote
 * failure). A delete held back by a policy (archive cap with `on_cap: hold`) is a refusal: 1.
 */
export function exitCodeFor(plan: Plan | undefined, applied: ApplyResult | undefined, invalid: boolean): number {
  if (invalid) return EXIT.badInput;
  if (!plan) return EXIT.ok;
  if (plan.refused) return EXIT.badInput;
  if (applied?.notStarted) return EXIT.interrupted;
  // a failure no retry fixes because the definitions ask for what Jenkins refuses: bad input
  if (applied && applied.failed.some((f) => f.class === 'input' && !f.held)) return EXIT.badInput;
  if (applied && (applied.failed.some((f) => !f.held) || applied.skipped.length > 0)) return EXIT.external;
  if (applied && applied.failed.length > 0) return EXIT.badInput;
  if (plan.problems.some((p) => p.severity === 'error' && p.category === 'external')) return EXIT.external;
  if (plan.problems.some((p) => p.severity === 'error' && p.category === 'input')) return EXIT.badInput;
  return EXIT.ok;
}

export function appliedToJson(a: ApplyResult | undefined): unknown {
  if (!a) return undefined;
  const brief = (c: { kind: string; target: string; fullName: string; code?: string; controller?: string }) => ({ kind: c.kind, target: c.target, fullName: c.fullName, ...(c.code !== undefined ? { code: c.code } : {}), ...(c.controller !== undefined ? { controller: c.controller } : {}) });
  return {
    refused: a.refused,
    succeeded: a.succeeded.map(brief),
    failed: a.failed.map((f) => ({ ...brief(f.change), error: f.error, ...(f.held ? { held: true } : {}), ...(f.class !== undefined ? { class: f.class, hint: f.hint } : {}) })),
    skipped: a.skipped.map((f) => ({ ...brief(f.change), error: f.error })),
    archived: a.archived,
    ...(a.notStarted ? { interrupted: true, notStarted: a.notStarted.map(brief) } : {}),
  };
}

/**
 * After an apply that was interrupted (Ctrl-C): exactly what was applied and what was not, on
 * stderr. Returns true when it was interrupted.
 */
export function reportInterrupted(ap: ApplyResult, again: string): boolean {
  if (!ap.notStarted) return false;
  const what = (c: { kind: string; target: string; fullName: string }) => `${c.kind} ${c.target} ${c.fullName}`;
  let text = `Interrupted: ${ap.succeeded.length} change(s) applied, ${ap.failed.length} failed, ${ap.skipped.length + ap.notStarted.length} not applied.\n`;
  for (const c of ap.succeeded) text += `  applied      ${what(c)}\n`;
  for (const f of ap.failed) text += `  failed       ${what(f.change)}: ${f.error}\n`;
  for (const f of ap.skipped) text += `  not applied  ${what(f.change)}: ${f.error}\n`;
  for (const c of ap.notStarted) text += `  not applied  ${what(c)}\n`;
  text += `${again}\n`;
  process.stderr.write(text);
  return true;
}

/** One line per job archived before it was deleted (and its notes: artifacts over the cap, builds left out). */
export function reportArchived(ap: ApplyResult): void {
  for (const r of ap.archived) {
    process.stdout.write(`Archived ${r.builds} build(s) of ${printable(r.fullName)} to ${printable(r.location)} (jobsmith archive show ${printable(quoteArg(r.fullName))})\n`);
    for (const n of r.notes) process.stdout.write(`  note: ${printable(n)}\n`);
  }
}

/** A job name as a shell argument (quoted when it needs to be). */
export function quoteArg(s: string): string {
  return /^[A-Za-z0-9._\/@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The failures of an apply, on stderr: each failed step with what to do (`→ ...`), then one line
 * that says whether running `again` converges or something must be changed first.
 */
export function reportFailures(ap: ApplyResult, again: string, summary?: string): void {
  if (ap.failed.length === 0 && ap.skipped.length === 0) return;
  const needsChange = ap.failed.filter((f) => f.class === 'input' || f.class === 'jenkins');
  let text = summary !== undefined ? `${summary}\n` : '';
  for (const f of ap.failed) text += `  failed ${f.change.kind} ${printable(f.change.fullName)}: ${printable(f.error)}\n${f.hint !== undefined && f.class !== 'transient' ? `    → ${printable(f.hint)}\n` : ''}`;
  for (const f of ap.skipped) text += `  skipped ${f.change.kind} ${printable(f.change.fullName)}: ${printable(f.error)}\n`;
  if (needsChange.length === 0) text += `${again}\n`;
  else {
    // what must change first: the definitions, the archive settings (a delete on_cap: hold keeps), Jenkins
    const places = [
      ...(needsChange.some((f) => f.class === 'input' && f.held !== true) ? ['the definitions'] : []),
      ...(needsChange.some((f) => f.held === true) ? ['the archive settings'] : []),
      ...(needsChange.some((f) => f.class === 'jenkins') ? ['Jenkins'] : []),
    ];
    const where = places.length > 1 ? `${places.slice(0, -1).join(', ')} or ${places.at(-1)}` : places[0]!;
    const transient = ap.failed.length - needsChange.length;
    const verb = where === 'Jenkins' ? 'changes' : 'change';
    text += `${needsChange.length} failure(s) will fail again until ${where} ${verb} (see → above).`;
    if (transient > 0) text += ` ${transient} other failure(s) are transient.`;
    if (ap.skipped.length > 0) text += ` ${ap.skipped.length} step(s) were skipped because a step they wait for failed.`;
    text += ` Then ${again.charAt(0).toLowerCase()}${again.slice(1)}\n`;
  }
  process.stderr.write(text);
}
