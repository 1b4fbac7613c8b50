import path from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import type { FormCatalog } from './form-catalog.js';

/**
 * Place diagnostics next to the form fields they concern: by their `field` (`project`,
 * `templates`, `tokens.SCM.PATH`, `templates.X.tokens.SCM.PATH`), else by a `$TOKEN` named in the
 * message; the rest are general errors shown at the top.
 */
export function fieldErrors(diagnostics: readonly Diagnostic[], catalog: FormCatalog, baseDir: string): { errors: Record<string, string[]>; general: string[] } {
  const errors: Record<string, string[]> = {};
  const general: string[] = [];
  const tokens = new Set(catalog.fields.map((f) => f.token));
  const add = (key: string, msg: string): void => {
    (errors[key] ??= []).includes(msg) || errors[key]!.push(msg);
  };
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    const key = fieldKey(d, tokens);
    if (key) add(key, d.message);
    else general.push(where(d, baseDir) + d.message);
  }
  return { errors, general };
}

function fieldKey(d: Diagnostic, tokens: Set<string>): string | undefined {
  const f = d.field;
  if (f !== undefined) {
    const m = /(?:^|\.)tokens\.(.+)$/.exec(f);
    if (m && tokens.has(m[1]!.replace(/^\$/, ''))) return `token.${m[1]!.replace(/^\$/, '')}`;
    const top = f.split(/[.[]/)[0];
    if (top === 'project' || top === 'folder' || top === 'view') return top;
    if (f === 'templates' || /^templates\[\d+\]$/.test(f)) return 'templates';
  }
  for (const m of d.message.matchAll(/\$\{?([A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)+)\}?/g)) {
    if (tokens.has(m[1]!)) return `token.${m[1]}`;
  }
  return undefined;
}

function where(d: Diagnostic, baseDir: string): string {
  if (d.file === undefined) return '';
  const file = path.isAbsolute(d.file) ? path.relative(baseDir, d.file) : d.file;
  return `${file}${d.line !== undefined ? `:${d.line}` : ''}: `;
}
