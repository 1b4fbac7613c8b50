import { BRANCH_TOKEN_NAMES, BUILTIN_TOKEN_NAMES } from '../render/render-workspace.js';

/**
 * What the create-job form (and the create-job Jenkins job) offer: the templates a project can pick
 * and one field per token, described by the templates' sidecars. Plain data, built from the parsed
 * templates by `catalogFromTemplates`.
 */
export interface TokenField {
  /** Token name without `$` (e.g. `SCM.PATH`). */
  token: string;
  /** Words for the form's label: the sidecar's `label`, else the start of its description, else the token name in words. */
  label: string;
  /** The first template's description (see `descriptions` when templates describe the token differently). */
  description?: string;
  /** Each distinct description with the templates that give it, in template order. */
  descriptions: Array<{ text: string; templates: string[] }>;
  /** What a good value looks like, in plain words (sidecar `hint`): the message when a value is refused. */
  hint?: string;
  /** The first template's default: what the form and the create-job parameter show. */
  default?: string;
  /**
   * Present only when the templates that use the token disagree on its default (one gives none, or
   * they give different values): each template's own default (null: none). A given value is then
   * written unless it equals the default of every chosen template (src/form/project-request.ts).
   */
  defaultsByTemplate?: Record<string, string | null>;
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
  label?: string;
  hint?: string;
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
  const fields = new Map<string, TokenField & { labelGiven?: boolean }>();
  const perTemplate = new Map<string, Record<string, string | null>>();
  const choices: TemplateChoice[] = [];
  for (const t of offered) {
    const tokens = [...new Set(t.tokens)].filter((tok) => !BUILTIN_TOKENS.has(tok));
    choices.push({ name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), tokens });
    for (const tok of tokens) {
      const doc = t.docs[tok] ?? {};
      perTemplate.set(tok, { ...perTemplate.get(tok), [t.name]: doc.default ?? null });
      const existing = fields.get(tok);
      if (existing) {
        existing.templates.push(t.name);
        if (doc.description !== undefined) {
          const same = existing.descriptions.find((d) => d.text === doc.description);
          if (same) same.templates.push(t.name);
          else existing.descriptions.push({ text: doc.description, templates: [t.name] });
        }
        // The first template that documents a token wins; later ones fill gaps.
        existing.description ??= doc.description;
        existing.hint ??= doc.hint;
        if (doc.label !== undefined && !existing.labelGiven) {
          existing.label = doc.label;
          existing.labelGiven = true;
        }
        existing.default ??= doc.default;
        existing.pattern ??= doc.pattern;
        existing.allowed ??= doc.allowed;
        existing.example ??= doc.example;
        existing.required ||= doc.required === true;
        continue;
      }
      fields.set(tok, {
        token: tok,
        label: doc.label ?? '',
        labelGiven: doc.label !== undefined,
        descriptions: doc.description !== undefined ? [{ text: doc.description, templates: [t.name] }] : [],
        ...(doc.hint !== undefined ? { hint: doc.hint } : {}),
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
    if (!f.labelGiven) f.label = labelFrom(f.token, f.description);
    delete f.labelGiven;
    if (f.description === undefined) delete f.description;
    if (f.hint === undefined) delete f.hint;
    if (f.default === undefined) delete f.default;
    if (f.pattern === undefined) delete f.pattern;
    if (f.example === undefined) delete f.example;
    if (f.allowed === undefined) delete f.allowed;
    f.kind = isBooleanChoice(f.allowed) ? 'boolean' : f.allowed ? 'select' : 'text';
    const defaults = perTemplate.get(f.token) ?? {};
    if (new Set(Object.values(defaults)).size > 1) f.defaultsByTemplate = defaults;
  }
  return { templates: choices, fields: [...fields.values()].sort((a, b) => a.token.localeCompare(b.token)) };
}

/**
 * A label in words when the sidecar gives none: the description's first clause when it is short
 * ("Maven artifactId of the project (used in ...)" -> "Maven artifactId of the project"), else the
 * token name in words ("POM.ARTIFACTID" -> "Pom artifactid").
 */
export function labelFrom(token: string, description: string | undefined): string {
  const first = description?.split(/[.(;:,]\s|\s[(—-]\s?|[.;:]$/)[0]?.trim();
  if (first && first.length <= 60) return first.charAt(0).toUpperCase() + first.slice(1);
  const words = token.toLowerCase().split(/[._]+/).filter(Boolean).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
