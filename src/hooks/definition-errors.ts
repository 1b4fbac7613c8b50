/**
 * The definitions' errors in one line for the webhook status (answers and /hooks/status): the first
 * few, their files relative to the working copy, URLs redacted.
 */
import path from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../model/diagnostic.js';
import { redactUrlsInText } from '../model/redact-url.js';

const SHOWN = 3;

/** The first errors of `diagnostics` (undefined when there is none), files relative to `baseDir`. */
export function definitionErrors(diagnostics: readonly Diagnostic[], baseDir: string): string | undefined {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return undefined;
  const shown = errors.slice(0, SHOWN).map((d) => formatDiagnostic(d.file === undefined ? d : { ...d, file: relativeTo(baseDir, d.file) }));
  const more = errors.length > SHOWN ? `; and ${errors.length - SHOWN} more` : '';
  return redactUrlsInText(shown.join('; ') + more);
}

function relativeTo(baseDir: string, file: string): string {
  const rel = path.relative(path.resolve(baseDir), path.resolve(baseDir, file));
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}
