/**
 * Printing diagnostics, shared by every command: text on stderr (`file:line:col: error: message`,
 * sorted, then a count), or plain objects for a command's `--json` output.
 */
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../model/diagnostic.js';

const PER_JOB = / \(job ([^()]+)\)$/;

/**
 * One line per problem: the same problem at the same place reported for several jobs (a bad value
 * in _defaults.yaml that every project inherits) becomes one line naming the jobs.
 */
export function mergeRepeated(sorted: readonly Diagnostic[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const groups = new Map<string, { d: Diagnostic; jobs: string[] }>();
  for (const d of sorted) {
    const m = PER_JOB.exec(d.message);
    const base = m ? d.message.slice(0, m.index) : d.message;
    const key = JSON.stringify([d.severity, d.file, d.line, d.column, d.code, d.field, base]);
    const g = groups.get(key);
    if (g) {
      if (m) g.jobs.push(m[1]!);
      continue;
    }
    const entry = { d: { ...d, message: base }, jobs: m ? [m[1]!] : [] };
    groups.set(key, entry);
    out.push(entry.d);
  }
  for (const { d, jobs } of groups.values()) {
    if (jobs.length === 1) d.message += ` (job ${jobs[0]})`;
    else if (jobs.length > 1) d.message += ` (jobs ${jobs.slice(0, 5).join(', ')}${jobs.length > 5 ? ` and ${jobs.length - 5} more` : ''})`;
  }
  return out;
}

export function printDiagnostics(diagnostics: readonly Diagnostic[], out: NodeJS.WritableStream = process.stderr): void {
  if (diagnostics.length === 0) return;
  const sorted = mergeRepeated(sortDiagnostics(diagnostics));
  let text = '';
  for (const d of sorted) text += formatDiagnostic(d) + '\n';
  const errors = sorted.filter((d) => d.severity === 'error').length;
  const warnings = sorted.length - errors;
  const parts: string[] = [];
  if (errors) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  text += parts.join(', ') + '\n';
  out.write(text);
}

/** Diagnostics as sorted plain objects (for `--json`). */
export function diagnosticsJson(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return sortDiagnostics(diagnostics).map((d) => ({ ...d }));
}

/** Write one JSON document on stdout. */
export function printJson(value: unknown, out: NodeJS.WritableStream = process.stdout): void {
  out.write(JSON.stringify(value, null, 2) + '\n');
}
