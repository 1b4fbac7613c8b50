import { stringify } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { didYouMean } from '../load/did-you-mean.js';
import type { FormCatalog, TokenField } from './form-catalog.js';
import { PROJECT_NAME_PATTERN } from './definitions-store.js';
import { hasUrlCredentials } from './package-spec.js';

/** What a user asks for, from the web form or `jobsmith create`. Values as typed. */
export interface ProjectRequest {
  project: string;
  templates: string[];
  /** Token name (no `$`) -> value. Empty values mean "not given". */
  tokens: Record<string, string>;
  folder?: string;
  view?: string;
}

/**
 * Checks only the form itself can make (a project name, at least one known template); every
 * rule about the definition's content is left to the validator (`jobsmith validate`'s code).
 */
export function requestDiagnostics(req: ProjectRequest, catalog: FormCatalog, opts: { strictTokens?: boolean } = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const name = projectNameProblem(req.project);
  if (name) out.push({ severity: 'error', field: 'project', ...name });
  if (req.templates.length === 0) {
    out.push({ severity: 'error', code: 'no-templates', field: 'templates', message: 'pick at least one template' });
  }
  const known = new Set(catalog.templates.map((t) => t.name));
  for (const t of req.templates) {
    if (!known.has(t)) {
      out.push({ severity: 'error', code: 'unknown-template', field: 'templates', message: `unknown template "${t}" (known: ${[...known].join(', ') || 'none'})` });
    }
  }
  const used = usedTokens(req, catalog);
  // A user name, password or secret query value (?private_token=) typed into a URL would be committed to git and copied into Jenkins.
  for (const [token, value] of Object.entries(req.tokens)) {
    if (used.has(token) && hasUrlCredentials(value)) {
      out.push({
        severity: 'error',
        code: 'url-credentials',
        field: `tokens.${token}`,
        message: 'this URL holds a user name or password (or a secret query value such as ?token=): leave them out (they would be committed to git and copied into Jenkins); Jenkins gets them from a credential',
      });
    }
  }
  // The form posts every field and ignores those of templates not chosen; the command line is strict.
  if (opts.strictTokens) {
    for (const name of Object.keys(req.tokens)) {
      if (used.has(name)) continue;
      const offeredBy = catalog.fields.find((f) => f.token === name)?.templates;
      const hint = offeredBy ? ` (used by ${offeredBy.join(', ')}, which you did not pick)` : suggestion(name, catalog);
      out.push({ severity: 'error', code: 'unused-token', field: `tokens.${name}`, message: `no chosen template uses the token ${name}${hint}` });
    }
  }
  return out;
}

/** The longest project name: it is a file name and the start of every job name. */
export const MAX_PROJECT_NAME = 100;

/** What is wrong with a project name, in plain words (the most useful reason first), or undefined. */
export function projectNameProblem(project: string): { code: string; message: string } | undefined {
  if (project.trim() === '') return { code: 'missing-project', message: 'enter a project name' };
  const length = [...project].length;
  if (length > MAX_PROJECT_NAME) {
    return { code: 'project-too-long', message: `the project name is ${length} characters long; at most ${MAX_PROJECT_NAME} are allowed` };
  }
  if (PROJECT_NAME_PATTERN.test(project)) return undefined;
  const bad = [...new Set([...project].filter((c) => !/[A-Za-z0-9._-]/.test(c)))];
  if (bad.length) {
    const shown = bad.slice(0, 5).map((c) => (c === ' ' ? 'spaces' : /\s/.test(c) ? 'line breaks or tabs' : `"${c}"`));
    return {
      code: 'bad-project-name',
      message: `the project name cannot contain ${shown.join(', ')}${bad.length > 5 ? ' (and more)' : ''}: use letters, digits, ".", "_" and "-"`,
    };
  }
  return { code: 'bad-project-name', message: 'the project name must start with a letter or a digit' };
}

/** Tokens the chosen templates use. */
export function usedTokens(req: ProjectRequest, catalog: FormCatalog): Set<string> {
  const set = new Set<string>();
  for (const t of catalog.templates) if (req.templates.includes(t.name)) for (const tok of t.tokens) set.add(tok);
  return set;
}

/**
 * The definition file `jobs/<project>.yaml` for a request: only the tokens the chosen templates
 * use, only values given, and not values equal to the sidecar default (so a later change of the
 * default reaches the project).
 */
export function definitionText(req: ProjectRequest, catalog: FormCatalog): string {
  const used = usedTokens(req, catalog);
  const tokens: Record<string, string> = {};
  for (const name of [...used].sort()) {
    const value = req.tokens[name];
    if (value === undefined || value === '') continue;
    const field = catalog.fields.find((f) => f.token === name);
    if (field && isDefaultFor(field, req.templates, value)) continue;
    tokens[name] = value;
  }
  const doc: Record<string, unknown> = { project: req.project, templates: [...req.templates] };
  if (req.folder) doc['folder'] = req.folder;
  if (req.view) doc['view'] = req.view;
  if (Object.keys(tokens).length > 0) doc['tokens'] = tokens;
  return stringify(doc, { lineWidth: 0 });
}

/**
 * Is `value` what the chosen templates give the token anyway? When templates disagree on the
 * default, only if it is every chosen template's own default (the first template's default, which
 * the form shows, may not be the chosen template's).
 */
export function isDefaultFor(field: TokenField, templates: readonly string[], value: string): boolean {
  if (field.defaultsByTemplate === undefined) return field.default !== undefined && field.default === value;
  const chosen = field.templates.filter((t) => templates.includes(t));
  return chosen.length > 0 && chosen.every((t) => field.defaultsByTemplate![t] === value);
}

function suggestion(name: string, catalog: FormCatalog): string {
  return didYouMean(name.toUpperCase(), catalog.fields.map((f) => f.token));
}
