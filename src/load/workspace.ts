/**
 * Loading everything render needs from disk: the templates (+ sidecars), the definitions and the
 * shared defaults file. Reads files only; never throws for a user's mistake (diagnostics instead).
 */
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import { parseDefinition, tokenMap, type Definition, type LocatedValue } from './definition.js';
import { parseTemplate, TEMPLATE_SUFFIX, type ParsedTemplate } from './parsed-template.js';
import { parseSidecar, type TemplateSidecar } from './template-sidecar.js';
import { YamlSource, type Loc } from './yaml-source.js';

/** The shared defaults file in the jobs directory. */
export const DEFAULTS_FILE = '_defaults.yaml';
export const DEFAULTS_KEYS = ['tokens'] as const;

export interface Defaults {
  /** Path of the defaults file, when there is one. */
  file?: string;
  /** Token values every project gets unless it gives its own. */
  tokens: Map<string, LocatedValue>;
}

export interface Workspace {
  templatesDir: string;
  jobsDir: string;
  /** Templates by name, in name order. */
  templates: Map<string, ParsedTemplate>;
  /** Definitions in file-name order (one per readable `jobs/*.yaml`). */
  definitions: Definition[];
  defaults: Defaults;
}

export interface LoadOptions {
  templatesDir: string;
  jobsDir: string;
  /** Virtual definition files that replace/add to jobs/ (the web form validates a prospective jobs/<p>.yaml with exactly the same code). */
  overlay?: Array<{ file: string; text: string }>;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

async function listDir(dir: string, what: string, diagnostics: Diagnostic[]): Promise<string[]> {
  try {
    return (await fs.readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() || e.isSymbolicLink())
      .map((e) => e.name)
      .sort(byCodePoint);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    diagnostics.push({ severity: 'error', code: 'missing-directory', message: `cannot read the ${what} directory ${dir}${code === 'ENOENT' ? ': it does not exist' : `: ${code}`}`, file: dir });
    return [];
  }
}

export async function loadTemplates(templatesDir: string): Promise<{ templates: Map<string, ParsedTemplate>; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const names = await listDir(templatesDir, 'templates', diagnostics);
  const templates = new Map<string, ParsedTemplate>();
  const xmlNames = names.filter((n) => n.endsWith(TEMPLATE_SUFFIX) && n.length > TEMPLATE_SUFFIX.length);
  const templateNames = new Set(xmlNames.map((n) => n.slice(0, -TEMPLATE_SUFFIX.length)));
  const sidecars = new Map<string, string>();
  for (const n of names) {
    const m = /^(.*)\.ya?ml$/.exec(n);
    if (!m) continue;
    const file = path.join(templatesDir, n);
    if (!templateNames.has(m[1]!)) {
      diagnostics.push({ severity: 'warning', code: 'orphan-sidecar', message: `sidecar without a template: expected ${path.join(templatesDir, m[1]! + TEMPLATE_SUFFIX)}`, file });
      continue;
    }
    if (sidecars.has(m[1]!)) {
      diagnostics.push({ severity: 'error', code: 'duplicate-sidecar', message: `template ${m[1]} has two sidecars (${sidecars.get(m[1]!)} and ${file})`, file });
      continue;
    }
    sidecars.set(m[1]!, file);
  }
  await Promise.all(
    xmlNames.map(async (n) => {
      const name = n.slice(0, -TEMPLATE_SUFFIX.length);
      const file = path.join(templatesDir, n);
      let sidecar: TemplateSidecar | undefined;
      const sidecarFile = sidecars.get(name);
      const [bytes, sidecarText] = await Promise.all([fs.readFile(file), sidecarFile ? fs.readFile(sidecarFile, 'utf8') : undefined]);
      if (sidecarFile && sidecarText !== undefined) {
        const s = parseSidecar(sidecarFile, sidecarText);
        sidecar = s.sidecar;
        diagnostics.push(...s.diagnostics);
      }
      const t = parseTemplate(name, file, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), sidecar);
      diagnostics.push(...t.diagnostics);
      templates.set(name, t.template);
    }),
  );
  const sorted = new Map([...templates.entries()].sort((a, b) => byCodePoint(a[0], b[0])));
  return { templates: sorted, diagnostics };
}

export function parseDefaults(file: string, text: string): { defaults: Defaults; diagnostics: Diagnostic[] } {
  const y = new YamlSource(file, text);
  const defaults: Defaults = { file, tokens: new Map() };
  const top = y.ok ? y.topMap('the defaults file') : undefined;
  if (top) {
    for (const { key, value } of y.pairs(top, DEFAULTS_KEYS, '')) {
      if (key === 'tokens') defaults.tokens = tokenMap(y, value, 'tokens');
    }
  }
  return { defaults, diagnostics: y.diagnostics };
}

export async function loadWorkspace(opts: LoadOptions): Promise<{ workspace: Workspace; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const [t, jobNames] = await Promise.all([loadTemplates(opts.templatesDir), listDir(opts.jobsDir, 'jobs', opts.overlay?.length ? [] : diagnostics)]);
  diagnostics.push(...t.diagnostics);

  // Definition files by resolved path; overlay entries replace or add.
  const files = new Map<string, { file: string; text?: string }>();
  for (const n of jobNames) {
    if (!/\.ya?ml$/.test(n)) continue;
    const file = path.join(opts.jobsDir, n);
    files.set(path.resolve(file), { file });
  }
  for (const o of opts.overlay ?? []) files.set(path.resolve(o.file), { file: o.file, text: o.text });

  const entries = [...files.values()].sort((a, b) => byCodePoint(path.basename(a.file), path.basename(b.file)));
  // Many small files: synchronous reads are several times faster than as many promises.
  const texts = entries.map((e) => {
    if (e.text !== undefined) return e.text;
    try {
      return readFileSync(e.file, 'utf8');
    } catch (err) {
      diagnostics.push({ severity: 'error', code: 'unreadable-file', message: `cannot read: ${(err as NodeJS.ErrnoException).code}`, file: e.file });
      return undefined;
    }
  });
  let defaults: Defaults = { tokens: new Map() };
  const definitions: Definition[] = [];
  entries.forEach((e, i) => {
    const text = texts[i];
    if (text === undefined) return;
    const base = path.basename(e.file);
    if (base === DEFAULTS_FILE || base === '_defaults.yml') {
      const d = parseDefaults(e.file, text);
      defaults = d.defaults;
      diagnostics.push(...d.diagnostics);
      return;
    }
    if (base.startsWith('_') || base.startsWith('.')) {
      diagnostics.push({ severity: 'warning', code: 'ignored-file', message: `ignored: names starting with _ or . are reserved (the defaults file is ${DEFAULTS_FILE})`, file: e.file });
      return;
    }
    const d = parseDefinition(e.file, text);
    diagnostics.push(...d.diagnostics);
    if (d.definition) definitions.push(d.definition);
  });
  return {
    workspace: { templatesDir: opts.templatesDir, jobsDir: opts.jobsDir, templates: t.templates, definitions, defaults },
    diagnostics,
  };
}

export type { Loc };
