/**
 * Printing diagnostics, shared by every command: text on stderr (`file:line:col: error: message`,
 * sorted, then a count), or plain objects for a command's `--json` output.
 */
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../model/diagnostic.js';

export function printDiagnostics(diagnostics: readonly Diagnostic[], out: NodeJS.WritableStream = process.stderr): void {
  if (diagnostics.length === 0) return;
  const sorted = sortDiagnostics(diagnostics);
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
