/**
 * The optional sidecar `job-templates/<Template>.yaml`: a description of the template, the ejs opt-in,
 * and per token its documentation and rules. It drives validation and the create-job form.
 *
 * ```yaml
 * description: Continuous build of trunk
 * ejs: false              # true: the template uses ejs tags (<% %>); default false
 * tokens:
 *   SCM.PATH:
 *     description: Subversion URL of the project, without /trunk
 *     required: true      # default true; false = an empty value is fine when none is given
 *     pattern: '^(https?|svn|file)://\S+$'   # the whole value must match (JavaScript regular expression)
 *     example: https://svn.example.com/repos/payments
 *     label: Subversion URL   # the form's label (the token name stays visible beside it)
 *     hint: the project's Subversion URL without /trunk, e.g. https://svn.example.com/repos/payments
 *                             # shown, in plain words, when a value does not match the pattern
 *   BUILD.FARM:
 *     allowed: [linux, windows]
 *     default: linux
 * ```
 */
import { isMap } from './yaml-nodes.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { TOKEN_NAME_RE } from '../xml/scan.js';
import { YamlSource, type Loc } from './yaml-source.js';

export interface TokenSpec {
  description?: string;
  default?: string;
  /** Default true. */
  required?: boolean;
  /** Regular expression source; the whole value must match. */
  pattern?: string;
  allowed?: string[];
  example?: string;
  /** Short label for the form field (default: derived from the description). */
  label?: string;
  /** What a good value looks like, in plain words: the form's message when a value is refused. */
  hint?: string;
  /** Where the token's entry is in the sidecar. */
  loc?: Loc;
}

export interface TemplateSidecar {
  file: string;
  description?: string;
  ejs: boolean;
  tokens: Record<string, TokenSpec>;
}

export const SIDECAR_KEYS = ['description', 'ejs', 'tokens'] as const;
export const TOKEN_SPEC_KEYS = ['description', 'default', 'required', 'pattern', 'allowed', 'example', 'label', 'hint'] as const;

export function parseSidecar(file: string, text: string): { sidecar: TemplateSidecar; diagnostics: Diagnostic[] } {
  const y = new YamlSource(file, text);
  const sidecar: TemplateSidecar = { file, ejs: false, tokens: {} };
  const top = y.ok ? y.topMap('a template sidecar') : undefined;
  if (top) {
    for (const { key, value } of y.pairs(top, SIDECAR_KEYS, '')) {
      if (key === 'description') {
        const d = y.str(value, 'description', { allowEmpty: true });
        if (d !== undefined) sidecar.description = d;
      } else if (key === 'ejs') {
        sidecar.ejs = y.bool(value, 'ejs') ?? false;
      } else if (key === 'tokens') {
        if (!isMap(value)) {
          y.error(value, 'bad-type', 'tokens must be a mapping of token name to its description', 'tokens');
          continue;
        }
        for (const { key: tok, pair, value: spec } of y.pairs(value, null, 'tokens')) {
          if (!TOKEN_NAME_RE.test(tok)) {
            y.error(pair.key, 'bad-token-name', `"${tok}" is not a token name (upper-case, with at least one dot, e.g. SCM.PATH)`, `tokens.${tok}`);
            continue;
          }
          const ts: TokenSpec = { loc: y.loc(pair.key) };
          sidecar.tokens[tok] = ts;
          if (spec === null || (!isMap(spec) && y.str(spec, `tokens.${tok}`, { allowEmpty: true }) !== undefined)) {
            // `SCM.PATH: some description` is short for `description: ...`.
            const d = spec === null ? '' : String((spec as { value: unknown }).value);
            if (d !== '') ts.description = d;
            continue;
          }
          if (!isMap(spec)) continue;
          for (const { key: k, value: v } of y.pairs(spec, TOKEN_SPEC_KEYS, `tokens.${tok}`)) {
            const field = `tokens.${tok}.${k}`;
            if (k === 'required') {
              const b = y.bool(v, field);
              if (b !== undefined) ts.required = b;
            } else if (k === 'allowed') {
              const list = y.strList(v, field);
              if (list) ts.allowed = list.map((x) => x.value);
            } else if (k === 'pattern') {
              const p = y.str(v, field);
              if (p === undefined) continue;
              try {
                new RegExp(p, 'u');
                ts.pattern = p;
              } catch (e) {
                y.error(v, 'bad-pattern', `pattern is not a valid regular expression: ${(e as Error).message}`, field);
              }
            } else {
              const s = y.str(v, field, { allowEmpty: true });
              if (s !== undefined) ts[k as 'description' | 'default' | 'example' | 'label' | 'hint'] = s;
            }
          }
          if (ts.default !== undefined) {
            const problem = checkTokenValue(ts.default, ts);
            if (problem) y.error(spec, 'bad-default', `default of ${tok} ${problem}`, `tokens.${tok}.default`);
          }
        }
      }
    }
  }
  return { sidecar, diagnostics: y.diagnostics };
}

const compiled = new Map<string, RegExp>();

/** Does a value satisfy the spec's pattern / allowed values? Returns the problem, or undefined. */
export function checkTokenValue(value: string, spec: TokenSpec): string | undefined {
  if (spec.allowed && !spec.allowed.includes(value)) {
    return `must be one of ${spec.allowed.map((a) => JSON.stringify(a)).join(', ')} (got ${JSON.stringify(value)})`;
  }
  if (spec.pattern !== undefined) {
    let re = compiled.get(spec.pattern);
    if (!re) {
      re = new RegExp(`^(?:${spec.pattern})$`, 'u');
      compiled.set(spec.pattern, re);
    }
    if (!re.test(value)) return `must match the pattern ${spec.pattern} (got ${JSON.stringify(value)})`;
  }
  return undefined;
}
