/**
 * A user mistake, reported as data. Loaders, renderers and planners collect these and
 * never throw for bad input; only the CLI prints them and chooses the exit code.
 */
export type Severity = 'error' | 'warning';

export interface SourceLocation {
  /** Path as the user would type it (relative to the working directory when possible). */
  file: string;
  /** 1-based line, when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
}

export interface Diagnostic extends Partial<SourceLocation> {
  severity: Severity;
  /** Stable machine-readable id, e.g. `unknown-key`, `missing-token`, `xml-not-well-formed`. */
  code: string;
  message: string;
  /** Dotted path of the offending field, e.g. `tokens.SCM.PATH` or `branches.include[1]`. */
  field?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line:col: error: message` (parts that are unknown are left out). */
export function formatDiagnostic(d: Diagnostic): string {
  let where = '';
  if (d.file !== undefined) {
    where = d.file;
    if (d.line !== undefined) {
      where += `:${d.line}`;
      if (d.column !== undefined) where += `:${d.column}`;
    }
    where += ': ';
  }
  const field = d.field !== undefined && d.field !== '' ? ` [${d.field}]` : '';
  return `${where}${d.severity}: ${d.message}${field}`;
}

/** Sort for stable output: by file, line, column, then message. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.message.localeCompare(b.message),
  );
}
