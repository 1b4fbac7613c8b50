/**
 * Render ONE job from a parsed template and its token values. Pure: same input, same bytes.
 *
 * Non-ejs templates: the literal parts found at load time are joined with the escaped values; the
 * template was checked well-formed once, and escaping keeps every value inside its context, so the
 * output is well-formed by construction (the tests check this with random hostile values).
 * Values are never re-scanned: `$OTHER.TOKEN` or `<%` inside a value stays literal.
 *
 * ejs templates (sidecar `ejs: true`): ejs runs first; each `<%= expr %>` output becomes a placeholder,
 * the result is scanned as XML (well-formedness checked, contexts found), and placeholders and tokens
 * are then replaced by their values escaped for their context. `<%-` (raw output) is refused at load.
 */
import { createRequire } from 'node:module';
import type ejsType from 'ejs';
import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import { DOCTYPE_MESSAGE, type ParsedTemplate } from '../load/parsed-template.js';
import type { TokenValue } from '../load/definition.js';
import { escapeForContext, type TokenContext, type XmlVersion } from '../xml/escape-context.js';
import { makeLocator, MARKER_CLOSE, MARKER_OPEN, scanXml, type Slot } from '../xml/scan.js';

/** Token name (without `$`) -> value. */
export type TokenValues = Readonly<Record<string, TokenValue>>;

export interface RenderContext {
  /** Where the job comes from (the definition's template entry): where missing values are reported. */
  where?: SourceLocation;
  /** Where each value was written, for value diagnostics (falls back to `where`). */
  valueLocs?: Readonly<Record<string, SourceLocation | undefined>>;
  /** Job name, for messages. */
  job?: string;
}

export interface RenderedTemplate {
  /** The rendered config.xml ('' when there are errors). */
  config: string;
  /** Root element of the rendered config. */
  rootElement?: string;
  diagnostics: Diagnostic[];
}

type Ejs = typeof ejsType;
/** Loaded on first use: only templates that opt in need it. */
let ejsLib: Ejs | undefined;

interface EjsState {
  fn: ejsType.TemplateFunction;
  outputs: string[];
}
/** Values that need no escaping in text or attributes, in either XML version (the common case). */
const SAFE_VALUE = /^[\u0020-\u0021\u0023-\u0025\u0028-\u003B\u003D\u003F-\u007E\u00A0-\u2027\u2029-\uD7FF\uE000-\uFFFD]*$/;
const ejsCache = new WeakMap<ParsedTemplate, EjsState | { error: Diagnostic }>();

function at(loc: SourceLocation | undefined): Partial<SourceLocation> {
  return loc ? { file: loc.file, ...(loc.line !== undefined ? { line: loc.line } : {}), ...(loc.column !== undefined ? { column: loc.column } : {}) } : {};
}

export function renderTemplate(template: ParsedTemplate, values: TokenValues, ctx: RenderContext = {}): RenderedTemplate {
  if (template.ejs) return renderEjs(template, values, ctx);
  const diagnostics: Diagnostic[] = [];
  if (!template.renderable) {
    diagnostics.push({ severity: 'error', code: 'template-not-renderable', message: `template ${template.name} has errors (see ${template.file})`, ...at(ctx.where) });
    return { config: '', diagnostics };
  }
  const config = substitute(template, template.parts, template.slots, values, [], template.xmlVersion, ctx, diagnostics);
  return { config, ...(template.rootElement !== undefined ? { rootElement: template.rootElement } : {}), diagnostics };
}

function substitute(
  template: ParsedTemplate,
  parts: readonly string[],
  slots: readonly Slot[],
  values: TokenValues,
  ejsOutputs: readonly string[],
  version: XmlVersion,
  ctx: RenderContext,
  diagnostics: Diagnostic[],
): string {
  let out = parts[0]!;
  let failed = false;
  let reported: Set<string> | undefined;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    let value: TokenValue | undefined;
    if (slot.marker !== undefined) value = ejsOutputs[slot.marker];
    else value = values[slot.name];
    if (typeof value !== 'string') {
      failed = true;
      reported ??= new Set();
      if (reported.has(slot.name)) continue;
      reported.add(slot.name);
      const occ = template.occurrences.find((o) => o.name === slot.name);
      const where = occ ? `${template.file}:${occ.line}:${occ.column}` : template.file;
      if (value === undefined) {
        diagnostics.push({ severity: 'error', code: 'missing-token', message: `no value for token ${slot.name}, used by template ${template.name} at ${where}`, field: `tokens.${slot.name}`, ...at(ctx.where) });
      } else {
        diagnostics.push({
          severity: 'error',
          code: 'list-value',
          message: `${slot.name} is a list, but template ${template.name} uses it as text at ${where} (lists are for ejs templates)`,
          field: `tokens.${slot.name}`,
          ...at(ctx.valueLocs?.[slot.name] ?? ctx.where),
        });
      }
      continue;
    }
    let escaped: string | undefined;
    if (slot.context !== 'cdata' && SAFE_VALUE.test(value)) escaped = value;
    if (escaped === undefined) {
      const r = escapeForContext(value, slot.context as TokenContext, version);
      if (r.text === undefined) {
        failed = true;
        reported ??= new Set();
        const rk = 'bad\u0000' + slot.name;
        if (!reported.has(rk)) {
          reported.add(rk);
          const what = slot.marker !== undefined ? `ejs output in template ${template.name}` : `value of ${slot.name}`;
          diagnostics.push({
            severity: 'error',
            code: 'invalid-xml-char',
            message: `${what} ${r.problem}${ctx.job ? ` (job ${ctx.job})` : ''}`,
            ...(slot.marker === undefined ? { field: `tokens.${slot.name}` } : {}),
            ...at(slot.marker === undefined ? (ctx.valueLocs?.[slot.name] ?? ctx.where) : ctx.where),
          });
        }
        continue;
      }
      escaped = r.text;
    }
    out += escaped + parts[i + 1]!;
  }
  return failed ? '' : out;
}

function compileEjs(template: ParsedTemplate): EjsState | { error: Diagnostic } {
  let state = ejsCache.get(template);
  if (state) return state;
  const outputs: string[] = [];
  const s: EjsState = { fn: undefined as unknown as ejsType.TemplateFunction, outputs };
  try {
    ejsLib ??= createRequire(import.meta.url)('ejs') as Ejs;
    s.fn = ejsLib.compile(template.text, {
      filename: template.file,
      compileDebug: true,
      escape: (v: unknown) => {
        const i = s.outputs.length;
        s.outputs.push(v === undefined || v === null ? '' : String(v));
        return MARKER_OPEN + i + MARKER_CLOSE;
      },
    }) as ejsType.TemplateFunction;
    state = s;
  } catch (e) {
    const m = /:(\d+)\n/.exec((e as Error).message);
    state = {
      error: {
        severity: 'error',
        code: 'ejs-error',
        message: `ejs: ${(e as Error).message.split('\n').filter((l) => l.trim() !== '').pop() ?? ''}`,
        file: template.file,
        ...(m ? { line: Number(m[1]) } : {}),
      },
    };
  }
  ejsCache.set(template, state);
  return state;
}

function renderEjs(template: ParsedTemplate, values: TokenValues, ctx: RenderContext): RenderedTemplate {
  const diagnostics: Diagnostic[] = [];
  if (!template.renderable) {
    diagnostics.push({ severity: 'error', code: 'template-not-renderable', message: `template ${template.name} has errors (see ${template.file})`, ...at(ctx.where) });
    return { config: '', diagnostics };
  }
  const state = compileEjs(template);
  if ('error' in state) return { config: '', diagnostics: [state.error] };
  state.outputs = [];
  const tokens = Object.freeze({ ...values });
  const data = {
    tokens,
    /** Text value of a token ('' when not given). */
    value: (name: string): string => {
      const v = tokens[name];
      return typeof v === 'string' ? v : Array.isArray(v) ? v.join(',') : '';
    },
    /** A token as a list (a text value becomes a one-element list; missing = empty list). */
    list: (name: string): string[] => {
      const v = tokens[name];
      return Array.isArray(v) ? [...v] : typeof v === 'string' && v !== '' ? [v] : [];
    },
    /** The token has a non-empty value. */
    has: (name: string): boolean => {
      const v = tokens[name];
      return Array.isArray(v) ? v.length > 0 : typeof v === 'string' && v !== '';
    },
  };
  let text: string;
  try {
    text = state.fn(data) as string;
  } catch (e) {
    const msg = (e as Error).message;
    const m = /:(\d+)\n/.exec(msg);
    diagnostics.push({
      severity: 'error',
      code: 'ejs-error',
      message: `ejs failed${ctx.job ? ` for job ${ctx.job}` : ''}: ${msg.split('\n').filter((l) => l.trim() !== '').pop() ?? msg}`,
      file: template.file,
      ...(m ? { line: Number(m[1]) } : {}),
    });
    return { config: '', diagnostics };
  }
  const outputs = state.outputs;
  const scan = scanXml(text, { tokens: true, markers: true });
  if (scan.errors.length > 0) {
    const locate = makeLocator(text);
    for (const e of scan.errors) {
      const p = locate(e.offset);
      diagnostics.push({
        severity: 'error',
        code: 'xml-not-well-formed',
        message: `the output of ejs template ${template.name}${ctx.job ? ` for job ${ctx.job}` : ''} is not well-formed XML at output line ${p.line}:${p.column}: ${e.message}`,
        ...at(ctx.where ?? { file: template.file }),
      });
    }
    return { config: '', diagnostics };
  }
  if (scan.doctype !== undefined) {
    const p = makeLocator(text)(scan.doctype);
    diagnostics.push({ severity: 'error', code: 'xml-doctype', message: `the output of ejs template ${template.name}${ctx.job ? ` for job ${ctx.job}` : ''} has a DOCTYPE at output line ${p.line}:${p.column}: ${DOCTYPE_MESSAGE}`, ...at(ctx.where ?? { file: template.file }) });
    return { config: '', diagnostics };
  }
  const config = substitute(template, scan.parts, scan.slots, values, outputs, scan.version, ctx, diagnostics);
  return { config, ...(scan.root !== undefined ? { rootElement: scan.root } : {}), diagnostics };
}
