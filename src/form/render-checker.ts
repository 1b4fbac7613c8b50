import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Checked } from '../model/result.js';
import { loadTemplates, loadWorkspace } from '../load/workspace.js';
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
      const infos: TemplateInfo[] = [...loaded.workspace.templates.values()].map((t) => {
        const docs: Record<string, TokenDoc> = {};
        for (const tok of t.tokens) {
          const spec = t.docs[tok];
          const shared = loaded.workspace.defaults.tokens.get(tok)?.value;
          const def = typeof shared === 'string' ? shared : spec?.default;
          const doc: TokenDoc = { required: spec?.required !== false && def === undefined };
          if (spec?.description !== undefined) doc.description = spec.description;
          if (def !== undefined) doc.default = def;
          if (spec?.pattern !== undefined) doc.pattern = spec.pattern;
          if (spec?.allowed !== undefined) doc.allowed = spec.allowed;
          if (spec?.example !== undefined) doc.example = spec.example;
          docs[tok] = doc;
        }
        return { name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), tokens: t.tokens, docs };
      });
      // Only problems with the templates themselves concern the form's page.
      const diagnostics = loaded.diagnostics.filter((d) => inside(d.file, dirs.templatesDir));
      return { value: catalogFromTemplates(infos), diagnostics };
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

/** Project templates only (for commands that need the catalog without a definitions directory). */
export async function loadCatalog(templatesDir: string): Promise<Checked<FormCatalog>> {
  const { templates, diagnostics } = await loadTemplates(templatesDir);
  const infos: TemplateInfo[] = [...templates.values()].map((t) => ({
    name: t.name,
    ...(t.description !== undefined ? { description: t.description } : {}),
    tokens: t.tokens,
    docs: Object.fromEntries(
      t.tokens.map((tok) => {
        const s = t.docs[tok];
        return [tok, { ...s, required: s?.required !== false && s?.default === undefined }];
      }),
    ),
  }));
  return { value: catalogFromTemplates(infos), diagnostics };
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
    return {
      diagnostics: [...loaded.diagnostics, ...rendered.diagnostics].filter(relevant),
      jobs: rendered.desired.jobs.filter((j) => j.project === def.project).map((j) => ({ fullName: j.fullName, template: j.template, config: j.config })),
    };
  };
}
