import type { Diagnostic } from '../model/diagnostic.js';
import type { FormCatalog, TokenField } from './form-catalog.js';

/** One line of the error summary at the top of the page: links to its field when it has one. */
export interface SummaryEntry {
  /** `#<field id>`, or undefined for errors without a field. */
  href?: string;
  /** The field's label ("Project name"), or undefined. */
  label?: string;
  message: string;
}

export interface FieldErrors {
  /** Plain-words messages by form field name (`project`, `templates`, `token.SCM.PATH`). */
  errors: Record<string, string[]>;
  /** Errors that belong to no field (another definition is broken, a template has errors). */
  general: string[];
  /** Every error, in the page's order (fields first, as they appear), for the summary. */
  summary: SummaryEntry[];
}

/** The id of a form control (what the summary links to and `<label for>` names). */
export function fieldId(key: string): string {
  if (key.startsWith('token.')) return `f-token-${key.slice(6).replace(/[^A-Za-z0-9]/g, '-')}`;
  if (key === 'templates') return 'f-templates';
  return `f-${key.replace(/[^A-Za-z0-9]/g, '-')}`;
}

/**
 * Place diagnostics next to the form fields they concern (by their `field`: `project`,
 * `templates`, `tokens.SCM.PATH`, `templates.X.tokens.SCM.PATH`; else by a `$TOKEN` named in the
 * message) and say them in plain words: no regular expressions, no server paths, the field's
 * label rather than a token name. The rest are general errors.
 */
export function fieldErrors(diagnostics: readonly Diagnostic[], catalog: FormCatalog, baseDir: string): FieldErrors {
  const errors: Record<string, string[]> = {};
  const general: string[] = [];
  const fields = new Map(catalog.fields.map((f) => [f.token, f]));
  const add = (key: string, msg: string): void => {
    (errors[key] ??= []).includes(msg) || errors[key]!.push(msg);
  };
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    const key = fieldKey(d, fields);
    if (key) add(key, sentence(plainMessage(d, key.startsWith('token.') ? fields.get(key.slice(6)) : undefined, baseDir)));
    else {
      const msg = where(d, baseDir) + sentence(scrubPaths(d.message, baseDir));
      if (!general.includes(msg)) general.push(msg);
    }
  }
  const summary: SummaryEntry[] = [];
  const order = ['project', 'folder', 'view', 'templates', ...catalog.fields.map((f) => `token.${f.token}`)];
  for (const key of [...order, ...Object.keys(errors).filter((k) => !order.includes(k))]) {
    for (const message of errors[key] ?? []) summary.push({ href: `#${fieldId(key)}`, label: labelOf(key, fields), message });
  }
  for (const message of general) summary.push({ message });
  return { errors, general, summary };
}

function labelOf(key: string, fields: ReadonlyMap<string, TokenField>): string {
  switch (key) {
    case 'project':
      return 'Project name';
    case 'folder':
      return 'Folder';
    case 'view':
      return 'View';
    case 'templates':
      return 'Job set';
    default:
      return fields.get(key.slice(6))?.label ?? key.slice(6);
  }
}

function fieldKey(d: Diagnostic, fields: ReadonlyMap<string, TokenField>): string | undefined {
  const f = d.field;
  if (f !== undefined) {
    const m = /(?:^|\.)tokens\.(.+)$/.exec(f);
    if (m && fields.has(m[1]!.replace(/^\$/, ''))) return `token.${m[1]!.replace(/^\$/, '')}`;
    const top = f.split(/[.[]/)[0];
    if (top === 'project' || top === 'folder' || top === 'view') return top;
    if (f === 'templates' || /^templates\[\d+\]$/.test(f)) return 'templates';
  }
  for (const m of d.message.matchAll(/\$\{?([A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)+)\}?/g)) {
    if (fields.has(m[1]!)) return `token.${m[1]}`;
  }
  return undefined;
}

/** A diagnostic of the validator, said for the person at the form. */
function plainMessage(d: Diagnostic, field: TokenField | undefined, baseDir: string): string {
  if (field) {
    switch (d.code) {
      case 'bad-token-value':
        if (field.allowed) return `choose one of ${field.allowed.map((a) => `“${a}”`).join(', ')}`;
        if (field.hint) return `expected ${field.hint}`;
        return `this does not look like a valid ${field.label}${field.example ? `; for example ${field.example}` : ''}`;
      case 'missing-token':
        return `enter ${field.label}${field.example ? ` (for example ${field.example})` : ''}`;
      default:
        break;
    }
  }
  if (d.code === 'bad-job-name') {
    // `job name "<long project>-Build": <Jenkins' reason>`: the reason is what matters
    const reason = /^job name ".*": (.*)$/s.exec(d.message)?.[1];
    if (reason) return `the job name this project makes is not allowed in Jenkins: ${reason}`;
  }
  return scrubPaths(d.message, baseDir).replace(/ \(rule from [^)]*\)/g, '');
}


function sentence(msg: string): string {
  const m = msg.trim();
  return m.charAt(0).toUpperCase() + m.slice(1) + (/[.!?]$/.test(m) ? '' : '.');
}

/** Paths on the server mean nothing to the person at the form: relative to the definitions, else the file name. */
export function scrubPaths(text: string, baseDir: string): string {
  const base = baseDir.replace(/\/+$/, '') + '/';
  return text.split(base).join('').replace(/(^|[\s("'`])\/(?:[^\s/:"'`)]+\/)+([^\s/:"'`)]+)/g, '$1$2');
}

function where(d: Diagnostic, baseDir: string): string {
  if (d.file === undefined) return '';
  const file = scrubPaths(d.file, baseDir);
  return `${file}${d.line !== undefined ? `:${d.line}` : ''}: `;
}
