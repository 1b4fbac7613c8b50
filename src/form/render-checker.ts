import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Checked } from '../model/result.js';
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULTS_FILE, loadTemplates, loadWorkspace, parseDefaults, type Defaults } from '../load/workspace.js';
import type { ParsedTemplate } from '../load/parsed-template.js';
import { renderWorkspace } from '../render/render-workspace.js';
import { catalogFromTemplates, type FormCatalog, type TemplateInfo, type TokenDoc } from './form-catalog.js';
import type { DefinitionChecker, PreviewJob } from './self-service.js';
import type { StandaloneRenderer } from './bootstrap.js';

export interface WorkspaceDirs {
  templatesDir: string;
  jobsDir: string;
}

function inside(file: string | undefined, dir: string): boolean {
  if (file === undefined) return false;
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Self-service over jobsmith's own loader and renderer: the catalog comes from the parsed
 * templates (sidecar docs, plus the shared defaults file's values as defaults), and a check is
 * exactly `jobsmith validate` (load + render of the whole workspace) with the prospective file as
 * an overlay.
 */
export function renderChecker(dirs: WorkspaceDirs): DefinitionChecker {
  return {
    async catalog(): Promise<Checked<FormCatalog>> {
      const loaded = await loadWorkspace({ templatesDir: dirs.templatesDir, jobsDir: dirs.jobsDir });
      // Only problems with the templates themselves (and the shared defaults) concern the form's page.
      const diagnostics = loaded.diagnostics.filter((d) => inside(d.file, dirs.templatesDir) || d.file === loaded.workspace.defaults.file);
      return { value: catalogFromTemplates(templateInfos(loaded.workspace.templates, loaded.workspace.defaults)), diagnostics };
    },

    async check(project, overlay): Promise<{ diagnostics: Diagnostic[]; jobs: PreviewJob[] }> {
      const loaded = await loadWorkspace({ templatesDir: dirs.templatesDir, jobsDir: dirs.jobsDir, overlay: [overlay] });
      const rendered = renderWorkspace(loaded.workspace, {});
      const jobs = rendered.desired.jobs
        .filter((j) => j.project === project)
        .map((j) => ({ fullName: j.fullName, template: j.template, config: j.config }));
      return { diagnostics: [...loaded.diagnostics, ...rendered.diagnostics], jobs };
    },
  };
}

/**
 * What the form (and the create-job job) show for each token: the sidecar's docs, with the value a
 * new project would get as the default: `jobs/_defaults.yaml`, else the sidecar's `default`
 * (a new project's own file has no value yet; render's order is entry, definition, defaults, sidecar).
 */
function templateInfos(templates: ReadonlyMap<string, ParsedTemplate>, defaults: Defaults): TemplateInfo[] {
  return [...templates.values()].map((t) => {
    const docs: Record<string, TokenDoc> = {};
    for (const tok of t.tokens) {
      const spec = t.docs[tok];
      const shared = defaults.tokens.get(tok)?.value;
      const def = typeof shared === 'string' ? shared : spec?.default;
      const doc: TokenDoc = { required: spec?.required !== false && def === undefined };
      if (spec?.description !== undefined) doc.description = spec.description;
      if (def !== undefined) doc.default = def;
      if (spec?.pattern !== undefined) doc.pattern = spec.pattern;
      if (spec?.allowed !== undefined) doc.allowed = spec.allowed;
      if (spec?.example !== undefined) doc.example = spec.example;
      if (spec?.label !== undefined) doc.label = spec.label;
      if (spec?.hint !== undefined) doc.hint = spec.hint;
      docs[tok] = doc;
    }
    return { name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), tokens: t.tokens, docs };
  });
}

/**
 * The catalog without loading every definition (`jobsmith bootstrap`): the templates, plus the
 * shared defaults file `<jobsDir>/_defaults.yaml` when there is one (its values are the defaults a
 * new project gets, so the create-job job shows them as its parameters' defaults).
 */
export async function loadCatalog(templatesDir: string, jobsDir?: string): Promise<Checked<FormCatalog>> {
  const { templates, diagnostics } = await loadTemplates(templatesDir);
  let defaults: Defaults = { tokens: new Map() };
  if (jobsDir !== undefined) {
    for (const name of [DEFAULTS_FILE, '_defaults.yml']) {
      const file = path.join(jobsDir, name);
      if (!existsSync(file)) continue;
      const parsed = parseDefaults(file, readFileSync(file, 'utf8'));
      defaults = parsed.defaults;
      diagnostics.push(...parsed.diagnostics);
      break;
    }
  }
  return { value: catalogFromTemplates(templateInfos(templates, defaults)), diagnostics };
}

/**
 * Render templates for one definition given as data, with no other definitions and no defaults
 * file involved (the master jobs of `jobsmith bootstrap`).
 */
export function standaloneRenderer(templatesDir: string): StandaloneRenderer {
  return async (def) => {
    const jobsDir = path.join(os.tmpdir(), `jobsmith-standalone-${randomBytes(6).toString('hex')}`); // never created
    const doc: Record<string, unknown> = { project: def.project, templates: def.templates };
    if (def.folder) doc['folder'] = def.folder;
    if (Object.keys(def.tokens).length) doc['tokens'] = def.tokens;
    const file = path.join(jobsDir, `${def.project}.yaml`);
    const loaded = await loadWorkspace({ templatesDir, jobsDir, overlay: [{ file, text: stringify(doc) }] });
    const rendered = renderWorkspace(loaded.workspace, { projects: [def.project] });
    const relevant = (d: Diagnostic): boolean => d.file === undefined || d.file === file || def.templates.some((t) => d.file!.includes(`${t.template}`));
    const hints: Record<string, string> = {};
    for (const t of def.templates) {
      for (const [tok, spec] of Object.entries(loaded.workspace.templates.get(t.template)?.docs ?? {})) if (spec.hint !== undefined) hints[tok] ??= spec.hint;
    }
    return {
      file,
      hints,
      diagnostics: [...loaded.diagnostics, ...rendered.diagnostics].filter(relevant),
      jobs: rendered.desired.jobs.filter((j) => j.project === def.project).map((j) => ({ fullName: j.fullName, template: j.template, config: j.config })),
    };
  };
}
