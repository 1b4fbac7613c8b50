/**
 * Templates + definitions -> the desired jobs, folders and views, with every check of the
 * definitions against the templates. Pure (no I/O); deterministic.
 */
import { sha256 } from '../model/hash.js';
import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import type { ArchiveOptOut, DesiredFolder, DesiredJob, DesiredState, DesiredTemplateView, DesiredView } from '../model/desired-job.js';
import { isFolderRoot, isViewRoot } from '../model/item-types.js';
import { parsePositioned } from '../xml/positions.js';
import type { Definition, LocatedValue, TemplateUse, TokenValue } from '../load/definition.js';
import type { ParsedTemplate } from '../load/parsed-template.js';
import { checkTokenValue } from '../load/template-sidecar.js';
import type { Loc, Workspace } from '../load/workspace.js';
import { didYouMean } from '../load/did-you-mean.js';
import { checkGoodName, checkItemName, nameKey } from './job-name.js';
import { folderConfig } from './folder-config.js';
import { renderTemplate, type TokenValues } from './render-template.js';

/**
 * Tokens jobsmith fills itself. Definitions may not set them.
 * - HUDSON.JOB.NAME, JOB.NAME: the job's name (last segment);
 * - JOB.FULLNAME: folder path and name joined by `/`;
 * - PROJECT.NAME: the definition's project;
 * - TEMPLATE.NAME: the template's name;
 * - FOLDER.PATH: the folder path ('' at the root);
 * - BRANCH.NAME, BRANCH.SLUG, BRANCH.REPO: only for branch jobs (templates listed under `branches.templates`).
 */
export const BUILTIN_TOKEN_NAMES: readonly string[] = [
  'HUDSON.JOB.NAME',
  'JOB.NAME',
  'JOB.FULLNAME',
  'PROJECT.NAME',
  'TEMPLATE.NAME',
  'FOLDER.PATH',
  'BRANCH.NAME',
  'BRANCH.SLUG',
  'BRANCH.REPO',
];
export const BRANCH_TOKEN_NAMES: readonly string[] = ['BRANCH.NAME', 'BRANCH.SLUG', 'BRANCH.REPO'];
const BUILTINS = new Set(BUILTIN_TOKEN_NAMES);
const BRANCH_TOKENS = new Set(BRANCH_TOKEN_NAMES);

export interface RenderOptions {
  /** Render only these projects (every check on names still covers all definitions). */
  projects?: string[];
  /**
   * true (default): every job keeps its `config`. false: each job's `config` is '' after its checks
   * and hash; `configOf(job)` renders it again, byte for byte, when it is needed (render writes one at
   * a time). A number: configs are kept until their total length reaches that many characters, later
   * ones are dropped (memory stays bounded for very many jobs, and a common-sized set renders once).
   */
  keepConfigs?: boolean | number;
  /**
   * Called with each job and its whole config as soon as the job is rendered and checked on its own
   * (before the checks across definitions: a later definition may still make the result an error).
   * What render streams to its writer; the config is the one `configOf(job)` gives.
   */
  onJob?: (job: DesiredJob, config: string) => void;
}

export interface RenderResult {
  desired: DesiredState;
  diagnostics: Diagnostic[];
  /** The config of a job of this result (its kept text, or rendered again when configs were not kept). */
  configOf: (job: DesiredJob) => string;
}

export interface JobPlanEntry {
  definition: Definition;
  use: TemplateUse;
  template?: ParsedTemplate;
  name: string;
  folder: string[];
  fullName: string;
}

function loc(l: { file: string; line?: number; column?: number } | undefined): Partial<SourceLocation> {
  if (!l) return {};
  return { file: l.file, ...(l.line !== undefined ? { line: l.line } : {}), ...(l.column !== undefined ? { column: l.column } : {}) };
}

/** Default job name: `<project>-<template>` (or the entry's `job:`). */
export function jobNameFor(def: Definition, use: TemplateUse): string {
  return use.job ?? `${def.project}-${use.template}`;
}

/** Built-in token values of a job (branch jobs add BRANCH.NAME and BRANCH.SLUG). */
export function builtinValues(def: Definition, template: string, name: string, folder: readonly string[]): Record<string, string> {
  const folderPath = folder.join('/');
  return {
    'HUDSON.JOB.NAME': name,
    'JOB.NAME': name,
    'JOB.FULLNAME': folder.length === 0 ? name : `${folderPath}/${name}`,
    'PROJECT.NAME': def.project,
    'TEMPLATE.NAME': template,
    'FOLDER.PATH': folderPath,
  };
}

/** The value a definition gives a token (entry > definition > defaults file), without a sidecar's default: lookupValue's common case, asked for every token of every job. */
function givenValue(ws: Workspace, def: Definition, use: TemplateUse, name: string): LocatedValue | undefined {
  return use.tokens.get(name) ?? def.tokens.get(name) ?? ws.defaults.tokens.get(name);
}

/** Where a token's value comes from for one template entry: entry > definition > defaults file > sidecar default. */
export function lookupValue(ws: Workspace, def: Definition, use: TemplateUse, template: ParsedTemplate | undefined, name: string): { value: TokenValue; from?: LocatedValue } | undefined {
  const v = use.tokens.get(name) ?? def.tokens.get(name) ?? ws.defaults.tokens.get(name);
  if (v) return { value: v.value, from: v };
  const spec = template?.docs[name];
  if (spec?.default !== undefined) return { value: spec.default };
  if (spec?.required === false) return { value: '' };
  return undefined;
}

/**
 * The token values of one job of a definition: built-ins plus the project's values for every token
 * the template uses (what branch expansion extends with BRANCH.NAME / BRANCH.SLUG). Tokens with no
 * value are simply absent.
 */
export function projectTokenValues(ws: Workspace, def: Definition, use: TemplateUse, template: ParsedTemplate, name: string, folder: readonly string[]): { values: Record<string, TokenValue>; valueLocs: Record<string, SourceLocation> } {
  const values: Record<string, TokenValue> = builtinValues(def, template.name, name, folder);
  const valueLocs: Record<string, SourceLocation> = {};
  for (const tok of template.tokens) {
    if (BUILTINS.has(tok)) continue;
    const given = givenValue(ws, def, use, tok);
    if (given) {
      values[tok] = given.value;
      valueLocs[tok] = given.loc;
      continue;
    }
    const v = lookupValue(ws, def, use, template, tok);
    if (v) {
      values[tok] = v.value;
      if (v.from) valueLocs[tok] = v.from.loc;
    }
  }
  return { values, valueLocs };
}

export function renderWorkspace(ws: Workspace, opts: RenderOptions = {}): RenderResult {
  const r = workspaceRenderer(ws, opts);
  for (const def of ws.definitions) r.add(def);
  return r.finish();
}

/**
 * renderWorkspace one definition at a time, for a caller that loads them one at a time (render
 * streams each definition's jobs to its writer while the next one is read). `add` takes the
 * definitions in the workspace's order; `finish` runs the checks across definitions and gives the
 * same result as renderWorkspace, by then `ws.definitions` must hold every definition added.
 * The templates and defaults of `ws` must be complete before the first `add`.
 */
export interface WorkspaceRenderer {
  add(def: Definition): void;
  finish(): RenderResult;
}

export function workspaceRenderer(ws: Workspace, opts: RenderOptions = {}): WorkspaceRenderer {
  const diagnostics: Diagnostic[] = [];
  const keepAll = opts.keepConfigs === undefined || opts.keepConfigs === true;
  /** Characters of config text that may still be kept. */
  let keepBudget = typeof opts.keepConfigs === 'number' ? opts.keepConfigs : keepAll ? Infinity : 0;
  /** What renders a job again when its config was not kept. */
  const sources = keepAll ? undefined : new Map<DesiredJob, { def: Definition; use: TemplateUse; template: ParsedTemplate }>();
  const jobs: DesiredJob[] = [];
  const only = opts.projects ? new Set(opts.projects) : undefined;
  /** Jobs by nameKey: the name and where it was made (formatted only for a message). */
  const seenNames = new Map<string, { fullName: string; at: Loc }>();
  const seenProjects = new Map<string, Definition>();
  const folderKeys = new Map<string, string>();
  /** Each folder path (by nameKey) as first spelled, and where. */
  const folderSpellings = new Map<string, { fullName: string; at: Loc }>();
  const templateViews: DesiredTemplateView[] = [];
  /** View templates' views, by folder path and name: where each was made. */
  const seenViews = new Map<string, string>();
  const templateNames = [...ws.templates.keys()];

  // Tokens some template uses (for the defaults file's unused check).
  const usedAnywhere = new Set<string>();
  for (const t of ws.templates.values()) for (const tok of t.tokens) usedAnywhere.add(tok);
  for (const [name, v] of ws.defaults.tokens) {
    if (BUILTINS.has(name)) {
      diagnostics.push({ severity: 'error', code: 'builtin-token', message: `${name} is set by jobsmith and cannot be given a value`, field: `tokens.${name}`, ...loc(v.keyLoc) });
    } else if (!usedAnywhere.has(name)) {
      diagnostics.push({ severity: 'error', code: 'unused-token', message: `no template uses the token ${name}${didYouMean(name, usedAnywhere)}`, field: `tokens.${name}`, ...loc(v.keyLoc) });
    }
  }

  const add = (def: Definition): void => {
    const projectKey = def.project.toLowerCase();
    const other = seenProjects.get(projectKey);
    if (other) {
      diagnostics.push({ severity: 'error', code: 'duplicate-project', message: `project ${def.project} is also defined in ${other.file}`, field: 'project', ...loc(def.loc) });
    } else seenProjects.set(projectKey, def);

    let folderOk = true;
    for (const seg of def.folder) {
      const bad = checkItemName(seg);
      if (bad) {
        diagnostics.push({ severity: 'error', code: 'bad-folder-name', message: `folder "${def.folder.join('/')}": ${bad}`, field: 'folder', ...loc(def.locs['folder']) });
        folderOk = false;
        break;
      }
    }
    // Folder names compare case-insensitively in Jenkins (jenkins-api.md: the root item map is a
    // case-insensitive sorted map): `finance` and `Finance` are one folder, so two spellings are an error at both.
    if (folderOk) {
      const folderLoc = def.locs['folder'] ?? def.loc;
      for (let k = 1; k <= def.folder.length; k++) {
        const fullName = def.folder.slice(0, k).join('/');
        const key = nameKey(fullName);
        const first = folderSpellings.get(key);
        if (!first) folderSpellings.set(key, { fullName, at: folderLoc });
        else if (first.fullName !== fullName) {
          diagnostics.push({ severity: 'error', code: 'folder-case', message: `folder ${fullName} and folder ${first.fullName} (${at(first.at)}) differ only in case: Jenkins compares item names case-insensitively, so they are one folder; spell it the same way in both`, field: 'folder', ...loc(folderLoc) });
          folderOk = false;
          break;
        }
      }
    }
    if (def.view !== undefined) {
      const bad = checkGoodName(def.view);
      if (bad) diagnostics.push({ severity: 'error', code: 'bad-view-name', message: `view "${def.view}": ${bad}`, field: 'view', ...loc(def.locs['view']) });
    }
    const render = !only || only.has(def.project);
    /** The templates this definition names (their tokens are the ones it may give). */
    const named: ParsedTemplate[] = [];
    let allTemplatesKnown = true;

    const checkUse = (use: TemplateUse, branch: boolean, index: number): void => {
      const field = branch ? `branches.templates[${index}]` : `templates[${index}]`;
      const template = ws.templates.get(use.template);
      if (!template) {
        allTemplatesKnown = false;
        diagnostics.push({
          severity: 'error',
          code: 'unknown-template',
          message: `unknown template "${use.template}"${didYouMean(use.template, templateNames)}: no file ${ws.templatesDir}/${use.template}-config.xml${templateNames.length ? ` (templates: ${templateNames.join(', ')})` : ''}`,
          field,
          ...loc(use.loc),
        });
        return;
      }
      named.push(template);
      for (const [name, v] of use.tokens) {
        if (BUILTINS.has(name)) {
          diagnostics.push({ severity: 'error', code: 'builtin-token', message: `${name} is set by jobsmith and cannot be given a value`, field: `${field}.tokens.${name}`, ...loc(v.keyLoc) });
        } else if (!template.tokens.includes(name)) {
          diagnostics.push({
            severity: 'error',
            code: 'unused-token',
            message: `template ${template.name} does not use the token ${name}${didYouMean(name, template.tokens.filter((t) => !BUILTINS.has(t)))}`,
            field: `${field}.tokens.${name}`,
            ...loc(v.keyLoc),
          });
        }
      }
      // Values: missing, pattern / allowed values.
      for (const tok of template.tokens) {
        if (BUILTINS.has(tok)) {
          if (BRANCH_TOKENS.has(tok) && !branch) {
            const occ = template.occurrences.find((o) => o.name === tok);
            diagnostics.push({
              severity: 'error',
              code: 'branch-token',
              message: `template ${template.name} uses ${tok}${occ ? ` (${template.file}:${occ.line}:${occ.column})` : ''}, which only branch jobs have: list it under branches.templates`,
              field,
              ...loc(use.loc),
            });
          }
          continue;
        }
        const spec = template.docs[tok];
        const given = givenValue(ws, def, use, tok);
        // (Only a value given in the definitions is checked against the sidecar's rules.)
        if (given && !spec) continue;
        const v = given ? { value: given.value, from: given } : lookupValue(ws, def, use, template, tok);
        if (!v) {
          const occ = template.occurrences.find((o) => o.name === tok);
          const where = occ ? `${template.file}:${occ.line}:${occ.column}` : (template.sidecar?.file ?? template.file);
          diagnostics.push({
            severity: 'error',
            code: 'missing-token',
            message: `no value for token ${tok}, used by template ${template.name} at ${where}${suggestFor(tok, def, use)}`,
            field: `tokens.${tok}`,
            ...loc(use.loc),
          });
          continue;
        }
        if (spec && v.from) {
          const values = typeof v.value === 'string' ? [v.value] : v.value;
          for (const one of values) {
            const problem = checkTokenValue(one, spec);
            if (problem) {
              diagnostics.push({ severity: 'error', code: 'bad-token-value', message: `${tok} ${problem} (rule from ${template.sidecar?.file ?? template.file})`, field: `tokens.${tok}`, ...loc(v.from.loc) });
              break;
            }
          }
        }
      }
    };

    def.templates.forEach((use, i) => {
      checkUse(use, false, i);
      const template = ws.templates.get(use.template);
      const name = jobNameFor(def, use);
      const view = isViewTemplate(template);
      const bad = view ? checkGoodName(name) : checkItemName(name);
      if (bad) {
        diagnostics.push({ severity: 'error', code: 'bad-job-name', message: `job name "${name}": ${bad}`, field: use.job !== undefined ? `templates[${i}].job` : 'project', ...loc(use.jobLoc ?? use.loc) });
        return;
      }
      const fullName = def.folder.length === 0 ? name : `${def.folder.join('/')}/${name}`;
      const key = nameKey(fullName);
      if (view) {
        renderView(def, use, i, template!, name, fullName, at(use.loc), folderOk && render);
        return;
      }
      if ((def.disabled || use.disabled) && template?.rootElement !== undefined && isFolderRoot(template.rootElement)) {
        const field = use.disabled ? `templates[${i}].disabled` : 'disabled';
        diagnostics.push({ severity: 'error', code: 'folder-disabled', message: `${template.name} makes a folder-type item (${template.rootElement}), which Jenkins cannot disable: remove \`disabled\``, field, ...loc(use.disabled ? use.loc : (def.locs['disabled'] ?? use.loc)) });
      }
      const prev = seenNames.get(key);
      if (prev) {
        diagnostics.push({
          severity: 'error',
          code: 'duplicate-job',
          message: `job ${fullName} ${prev.fullName === fullName ? 'is also' : `has the same name as ${prev.fullName} (Jenkins compares names case-insensitively),`} made at ${at(prev.at)}`,
          field: `templates[${i}]`,
          ...loc(use.jobLoc ?? use.loc),
        });
        return;
      }
      seenNames.set(key, { fullName, at: use.loc });
      if (!template || !folderOk || !render) return;
      const { values, valueLocs } = projectTokenValues(ws, def, use, template, name, def.folder);
      const r = renderTemplate(template, values as TokenValues, { where: use.loc, valueLocs, job: fullName });
      for (const d of r.diagnostics) if (d.code !== 'missing-token' && d.code !== 'template-not-renderable') diagnostics.push(d);
      if (r.config === '') return;
      const job: DesiredJob = {
        fullName,
        name,
        folder: [...def.folder],
        project: def.project,
        template: template.name,
        config: keepBudget >= r.config.length ? r.config : '',
        hash: sha256(r.config),
        rootElement: r.rootElement ?? template.rootElement ?? '',
        source: { file: use.loc.file, line: use.loc.line },
      };
      if (job.config !== '') keepBudget -= r.config.length;
      if (def.view !== undefined) job.view = def.view;
      if (def.disabled || use.disabled) job.disabled = true;
      sources?.set(job, { def, use, template });
      jobs.push(job);
      opts.onJob?.(job, r.config);
    });
    def.branches?.templates.forEach((use, i) => {
      checkUse(use, true, i);
      const t = ws.templates.get(use.template);
      if (t?.rootElement !== undefined && (isFolderRoot(t.rootElement) || isViewRoot(t.rootElement))) {
        const what = isViewRoot(t.rootElement) ? 'a view' : 'a folder-type item';
        diagnostics.push({ severity: 'error', code: 'branch-template-kind', message: `${t.name} makes ${what} (${t.rootElement}); branch templates make one job per branch, which jobsmith retires by disabling it: list it under templates instead (a multibranch project makes its own branch jobs)`, field: `branches.templates[${i}]`, ...loc(use.loc) });
      }
    });

    if (allTemplatesKnown) {
      for (const [name, v] of def.tokens) {
        if (BUILTINS.has(name)) {
          diagnostics.push({ severity: 'error', code: 'builtin-token', message: `${name} is set by jobsmith and cannot be given a value`, field: `tokens.${name}`, ...loc(v.keyLoc) });
        } else if (!named.some((t) => t.tokens.includes(name))) {
          const used = new Set(named.flatMap((t) => t.tokens));
          const users = [...ws.templates.values()].filter((t) => t.tokens.includes(name)).map((t) => t.name);
          const hint = didYouMean(name, [...used].filter((t) => !BUILTINS.has(t)));
          diagnostics.push({
            severity: 'error',
            code: 'unused-token',
            message: `no template of project ${def.project} uses the token ${name}${hint}${!hint && users.length ? ` (used by ${users.join(', ')}, which this project does not list)` : ''}`,
            field: `tokens.${name}`,
            ...loc(v.keyLoc),
          });
        }
      }
    }
  };

  const finish = (): RenderResult => {
    // Folders: every prefix of every job's (and template view's) folder path; a folder may not share a job's name.
    const folders: DesiredFolder[] = [];
    for (const job of [...jobs, ...templateViews]) {
      for (let k = 1; k <= job.folder.length; k++) {
        const fullName = job.folder.slice(0, k).join('/');
        const key = nameKey(fullName);
        if (folderKeys.has(key)) continue;
        folderKeys.set(key, fullName);
        const clash = seenNames.get(key);
        if (clash) {
          diagnostics.push({ severity: 'error', code: 'duplicate-job', message: `folder ${fullName} has the same name as job ${clash.fullName} (made at ${at(clash.at)})`, file: job.source.file, ...(job.source.line !== undefined ? { line: job.source.line } : {}) });
        }
        folders.push({ fullName, config: folderConfig() });
      }
    }
    folders.sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));

    // Views: one per (folder, view name), holding the jobs of the definitions that name it.
    const viewMap = new Map<string, DesiredView>();
    for (const job of jobs) {
      if (job.view === undefined) continue;
      const key = [...job.folder, job.view].join('/');
      let v = viewMap.get(key);
      if (!v) {
        v = { name: job.view, folder: [...job.folder], jobs: [] };
        viewMap.set(key, v);
      }
      v.jobs.push(job.fullName);
    }
    const views = [...viewMap.values()].sort((a, b) => {
      const ka = [...a.folder, a.name].join('/');
      const kb = [...b.folder, b.name].join('/');
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    for (const v of views) v.jobs.sort();
    // a definition's `view:` (a list view jobsmith fills) and a view template may not make the same view
    const templateViewKeys = new Map(templateViews.map((v) => [v.fullName, v]));
    for (const v of views) {
      const t = templateViewKeys.get([...v.folder, v.name].join('/'));
      if (!t) continue;
      const def = ws.definitions.find((d) => d.view === v.name && d.folder.join('/') === v.folder.join('/'));
      diagnostics.push({ severity: 'error', code: 'view-conflict', message: `view ${t.fullName} is made by template ${t.template} (project ${t.project}) and is also named by \`view:\`: rename one of them`, field: 'view', ...loc(def?.locs['view'] ?? t.source) });
    }
    templateViews.sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
    const configOf = (job: DesiredJob): string => {
      const src = sources?.get(job);
      if (!src || job.config !== '') return job.config;
      const { values, valueLocs } = projectTokenValues(ws, src.def, src.use, src.template, job.name, job.folder);
      return renderTemplate(src.template, values as TokenValues, { where: src.use.loc, valueLocs, job: job.fullName }).config;
    };
    const optOut: ArchiveOptOut = { projects: [], branches: [] };
    for (const def of ws.definitions) {
      if (def.archive === false) optOut.projects.push(def.project);
      if (def.branches?.archive === false) optOut.branches.push(def.project);
    }
    const desired: DesiredState = { jobs, folders, views, ...(templateViews.length > 0 ? { templateViews } : {}) };
    if (optOut.projects.length + optOut.branches.length > 0) desired.archiveOptOut = optOut;
    return { desired, diagnostics, configOf };
  };
  return { add, finish };

  /** A view template's entry: its own name space (views of a folder), rendered like a job. */
  function renderView(def: Definition, use: TemplateUse, i: number, template: ParsedTemplate, name: string, fullName: string, here: string, renderIt: boolean): void {
    const prev = seenViews.get(fullName);
    if (prev) {
      diagnostics.push({ severity: 'error', code: 'duplicate-view', message: `view ${fullName} is also made at ${prev}`, field: `templates[${i}]`, ...loc(use.jobLoc ?? use.loc) });
      return;
    }
    seenViews.set(fullName, here);
    if (def.disabled || use.disabled) {
      diagnostics.push({ severity: 'error', code: 'view-disabled', message: `${template.name} makes a view (${template.rootElement}), which cannot be disabled: remove \`disabled\``, field: use.disabled ? `templates[${i}].disabled` : 'disabled', ...loc(use.disabled ? use.loc : (def.locs['disabled'] ?? use.loc)) });
    }
    if (!renderIt) return;
    const { values, valueLocs } = projectTokenValues(ws, def, use, template, name, def.folder);
    const r = renderTemplate(template, values as TokenValues, { where: use.loc, valueLocs, job: fullName });
    for (const d of r.diagnostics) if (d.code !== 'missing-token' && d.code !== 'template-not-renderable') diagnostics.push(d);
    if (r.config === '') return;
    const unsorted = unsortedJobNames(r.config);
    if (unsorted !== undefined) {
      diagnostics.push({ severity: 'warning', code: 'view-job-order', message: `${template.name}: the view's <jobNames> are not in the order Jenkins keeps them (case-insensitive: ${unsorted}): Jenkins stores them sorted, so --verify would report the view as edited on every run; sort them`, file: template.file });
    }
    const missing = missingListViewFields(r.config);
    if (missing.length > 0) {
      diagnostics.push({ severity: 'warning', code: 'view-fields-missing', message: `${template.name}: the list view leaves out ${missing.map((m) => `<${m}>`).join(', ')}, which Jenkins fills in and writes back: --verify would report the view as edited on every run; add them (or export the view's config.xml from Jenkins)`, file: template.file });
    }
    templateViews.push({
      name,
      folder: [...def.folder],
      fullName,
      project: def.project,
      template: template.name,
      config: r.config,
      hash: sha256(r.config),
      rootElement: r.rootElement ?? template.rootElement ?? '',
      source: { file: use.loc.file, line: use.loc.line },
    });
  }
}

/** A list view's `<jobNames>` entries out of Jenkins' order (a case-insensitive sorted set): the first pair out of order, or undefined. */
function unsortedJobNames(config: string): string | undefined {
  let root;
  try {
    root = parsePositioned(config);
  } catch {
    return undefined;
  }
  const names = root.root.children.find((c) => c.name === 'jobNames');
  if (!names) return undefined;
  const values = names.children.filter((c) => c.name === 'string').map((c) => root.text.slice(c.openEnd, c.closeStart));
  for (let k = 1; k < values.length; k++) {
    const a = values[k - 1]!.toLowerCase();
    const b = values[k]!.toLowerCase();
    if (a >= b) return `${values[k - 1]} before ${values[k]}`;
  }
  return undefined;
}

/** Fields Jenkins always writes for a list view (View's and ListView's, filled in by readResolve when absent). */
const LIST_VIEW_FIELDS = ['filterExecutors', 'filterQueue', 'properties', 'jobNames', 'jobFilters', 'columns', 'recurse'];

/** The fields a list view config leaves out that Jenkins writes back (none for other views). */
function missingListViewFields(config: string): string[] {
  let root;
  try {
    root = parsePositioned(config);
  } catch {
    return [];
  }
  if (root.root.name !== 'hudson.model.ListView' && root.root.name !== 'listView') return [];
  const have = new Set(root.root.children.map((c) => c.name));
  return LIST_VIEW_FIELDS.filter((f) => !have.has(f));
}

/** Does the template make a view (its root element is a view type)? (Asked for every job: remembered per template.) */
const viewTemplates = new WeakMap<ParsedTemplate, boolean>();
function isViewTemplate(template: ParsedTemplate | undefined): boolean {
  if (template === undefined) return false;
  let view = viewTemplates.get(template);
  if (view === undefined) {
    view = template.rootElement !== undefined && isViewRoot(template.rootElement);
    viewTemplates.set(template, view);
  }
  return view;
}

/** `file:line:col` of a location, for messages. */
function at(l: Loc): string {
  return `${l.file}:${l.line}:${l.column}`;
}

function suggestFor(tok: string, def: Definition, use: TemplateUse): string {
  const given = [...def.tokens.keys(), ...use.tokens.keys()];
  const c = didYouMean(tok, given);
  return c ? ` (a value is given for a similar name${c.replace(/^ \(did you mean/, ':').replace(/\?\)$/, '')})` : '';
}
