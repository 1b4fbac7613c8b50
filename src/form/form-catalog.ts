import { BRANCH_TOKEN_NAMES, BUILTIN_TOKEN_NAMES } from '../render/render-workspace.js';

/**
 * What the create-job form (and the create-job Jenkins job) offer: the templates a project can pick
 * and one field per token, described by the templates' sidecars. Plain data, built from the parsed
 * templates by `catalogFromTemplates`.
 */
export interface TokenField {
  /** Token name without `$` (e.g. `SCM.PATH`). */
  token: string;
  description?: string;
  default?: string;
  required: boolean;
  /** Regular expression (source) the whole value must match. */
  pattern?: string;
  /** Allowed values: the form shows a select (a checkbox when they are exactly true/false). */
  allowed?: string[];
  example?: string;
  kind: 'text' | 'select' | 'boolean';
  /** Templates that use the token. */
  templates: string[];
}

export interface TemplateChoice {
  name: string;
  description?: string;
  /** Tokens the template uses that the user fills (built-ins excluded). */
  tokens: string[];
}

export interface FormCatalog {
  templates: TemplateChoice[];
  fields: TokenField[];
}

/** Token metadata as a sidecar gives it (every field optional). */
export interface TokenDoc {
  description?: string;
  default?: string;
  required?: boolean;
  pattern?: string;
  allowed?: string[];
  example?: string;
}

/** The minimum the catalog needs about a template: its name, description, tokens and their docs. */
export interface TemplateInfo {
  name: string;
  description?: string;
  tokens: string[];
  docs: Record<string, TokenDoc>;
}

/** Tokens jobsmith fills itself (render's built-ins): never a form field. */
export const BUILTIN_TOKENS: ReadonlySet<string> = new Set(BUILTIN_TOKEN_NAMES);

/** Tokens only branch detection sets: a template using them is a per-branch template, not offered by the form. */
const BRANCH_TOKENS: ReadonlySet<string> = new Set([...BRANCH_TOKEN_NAMES, 'BRANCH.REPO']);

/** Templates that are jobsmith's own machinery (the master jobs), never offered to projects. */
export function isInternalTemplate(name: string): boolean {
  return name.startsWith('jobsmith-');
}

function isBooleanChoice(allowed: readonly string[] | undefined): boolean {
  if (!allowed || allowed.length !== 2) return false;
  const s = [...allowed].map((v) => v.toLowerCase()).sort();
  return s[0] === 'false' && s[1] === 'true';
}

export function catalogFromTemplates(templates: readonly TemplateInfo[]): FormCatalog {
  const offered = templates
    .filter((t) => !isInternalTemplate(t.name) && !t.tokens.some((tok) => BRANCH_TOKENS.has(tok)))
    .sort((a, b) => a.name.localeCompare(b.name));
  const fields = new Map<string, TokenField>();
  const choices: TemplateChoice[] = [];
  for (const t of offered) {
    const tokens = [...new Set(t.tokens)].filter((tok) => !BUILTIN_TOKENS.has(tok));
    choices.push({ name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), tokens });
    for (const tok of tokens) {
      const doc = t.docs[tok] ?? {};
      const existing = fields.get(tok);
      if (existing) {
        existing.templates.push(t.name);
        // The first template that documents a token wins; later ones fill gaps.
        existing.description ??= doc.description;
        existing.default ??= doc.default;
        existing.pattern ??= doc.pattern;
        existing.allowed ??= doc.allowed;
        existing.example ??= doc.example;
        existing.required ||= doc.required === true;
        continue;
      }
      fields.set(tok, {
        token: tok,
        ...(doc.description !== undefined ? { description: doc.description } : {}),
        ...(doc.default !== undefined ? { default: doc.default } : {}),
        required: doc.required === true,
        ...(doc.pattern !== undefined ? { pattern: doc.pattern } : {}),
        ...(doc.allowed !== undefined ? { allowed: [...doc.allowed] } : {}),
        ...(doc.example !== undefined ? { example: doc.example } : {}),
        kind: 'text',
        templates: [t.name],
      });
    }
  }
  for (const f of fields.values()) {
    if (f.description === undefined) delete f.description;
    if (f.default === undefined) delete f.default;
    if (f.pattern === undefined) delete f.pattern;
    if (f.example === undefined) delete f.example;
    if (f.allowed === undefined) delete f.allowed;
    f.kind = isBooleanChoice(f.allowed) ? 'boolean' : f.allowed ? 'select' : 'text';
  }
  return { templates: choices, fields: [...fields.values()].sort((a, b) => a.token.localeCompare(b.token)) };
}
