/**
 * A project definition `jobs/<project>.yaml`, as plain data with the source location of every field.
 *
 * ```yaml
 * project: payments            # default: the file name without .yaml
 * folder: team-a               # optional; nested folders as team-a/backend
 * view: Payments               # optional list view (in the jobs' folder) holding the project's jobs
 * disabled: false              # optional; true = the jobs are created disabled
 * templates:
 *   - CI-build-trunk           # job payments-CI-build-trunk
 *   - template: RC-build-branch
 *     job: payments-release    # job name override (default <project>-<template>)
 *     disabled: true           # per job
 *     tokens:                  # per-template overrides
 *       MVN.GOALS: release:prepare release:perform
 * tokens:
 *   SCM.PATH: https://svn.example.com/repos/payments
 * branches:                    # per-branch jobs (shape checked here, expanded elsewhere)
 *   repo: https://git.example.com/payments.git
 *   include: ['feature/*']
 *   exclude: ['feature/wip-*']
 *   templates: [Pipeline-git]
 *   keep_days: 3
 *   max: 20
 *   archive: false             # optional; torn-down branch jobs are deleted without archiving their builds
 *   build_on_create: false     # optional; serve's webhooks create a new branch's jobs without building them
 * archive: false               # optional; the project's deleted jobs are not archived (docs/archive.md)
 * controller: west             # optional; or a list [east, west]: the controllers (jobsmith.yaml `controllers:`) that get the jobs
 * ```
 */
import type { YAMLMap } from 'yaml';
import { isMap, isScalar, isSeq } from './yaml-nodes.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { TOKEN_NAME_RE } from '../xml/scan.js';
import { globProblem } from '../model/glob.js';
import { YamlSource, type Loc } from './yaml-source.js';

/** A token value as written: text, or a list of texts (lists only make sense to ejs templates). */
export type TokenValue = string | string[];

export interface LocatedValue {
  value: TokenValue;
  /** Location of the key (`SCM.PATH:`). */
  keyLoc: Loc;
  /** Location of the value. */
  loc: Loc;
}

export interface TemplateUse {
  template: string;
  /** Location of the entry in `templates:` (or `branches.templates:`). */
  loc: Loc;
  /** Job name override (`job:`). */
  job?: string;
  jobLoc?: Loc;
  /** Per-template token overrides. */
  tokens: Map<string, LocatedValue>;
  disabled?: boolean;
}

export interface BranchesSpec {
  repo: string;
  include?: string[];
  exclude?: string[];
  /** Extra git ref patterns to list besides branches, e.g. `refs/pull/* /head` (GitHub pull requests → branch `pr/N`). */
  refs?: string[];
  /** Templates rendered once per branch (they may use $BRANCH.NAME and $BRANCH.SLUG). */
  templates: TemplateUse[];
  /** Days a branch job is kept after its branch is gone (default 3). */
  keep_days: number;
  /** At most this many branches get jobs. */
  max?: number;
  /** `archive: false`: torn-down branch jobs are not archived before they are deleted. */
  archive?: boolean;
  /** `build_on_create: false`: a branch's new jobs are not built when a push event creates them (`serve`'s webhooks). */
  build_on_create?: boolean;
  loc: Loc;
  /** Location of each given field (`repo`, `include`, `include[1]`, ...). */
  locs: Record<string, Loc>;
}

export interface Definition {
  file: string;
  project: string;
  /** Location of `project:` (or the top of the file when the name comes from the file name). */
  loc: Loc;
  templates: TemplateUse[];
  tokens: Map<string, LocatedValue>;
  /** Folder path segments (empty at the root). */
  folder: string[];
  view?: string;
  disabled: boolean;
  branches?: BranchesSpec;
  /** `archive: false`: the project's deleted jobs are not archived first (default: archived when an archive is configured). */
  archive?: boolean;
  /** `controller:` names (one or a list), each with its location; absent: the default controller (docs/controllers.md). */
  controllers?: Array<{ value: string; loc: Loc }>;
  /** Location of each top-level key given. */
  locs: Record<string, Loc>;
}

export const DEFINITION_KEYS = ['project', 'templates', 'tokens', 'folder', 'view', 'disabled', 'branches', 'archive', 'controller'] as const;
export const TEMPLATE_USE_KEYS = ['template', 'job', 'tokens', 'disabled'] as const;
export const BRANCHES_KEYS = ['repo', 'include', 'exclude', 'refs', 'templates', 'keep_days', 'max', 'archive', 'build_on_create'] as const;
export const DEFAULT_KEEP_DAYS = 3;

export function projectNameFromFile(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  return base.endsWith('.yaml') ? base.slice(0, -5) : base.endsWith('.yml') ? base.slice(0, -4) : base;
}

export function parseDefinition(file: string, text: string): { definition?: Definition; diagnostics: Diagnostic[] } {
  const y = new YamlSource(file, text);
  if (!y.ok) return { diagnostics: y.diagnostics };
  const def: Definition = {
    file,
    project: projectNameFromFile(file),
    loc: { file, line: 1, column: 1 },
    templates: [],
    tokens: new Map(),
    folder: [],
    disabled: false,
    locs: {},
  };
  const top = y.topMap('a job definition');
  if (!top) {
    if (y.diagnostics.length === 0) y.error(y.contents, 'no-templates', 'the definition is empty: give at least `templates:`', 'templates');
    return { diagnostics: y.diagnostics };
  }
  for (const { key, pair, value } of y.pairs(top, DEFINITION_KEYS, '')) {
    def.locs[key] = y.loc(pair.key);
    switch (key) {
      case 'project': {
        const p = y.str(value, 'project');
        if (p !== undefined) {
          def.project = p;
          def.loc = y.loc(value);
        }
        break;
      }
      case 'templates':
        def.templates = templateUses(y, value, 'templates');
        break;
      case 'tokens':
        def.tokens = tokenMap(y, value, 'tokens');
        break;
      case 'folder': {
        const f = y.str(value, 'folder');
        if (f !== undefined) def.folder = f.split('/');
        break;
      }
      case 'view': {
        const v = y.str(value, 'view');
        if (v !== undefined) def.view = v;
        break;
      }
      case 'disabled':
        def.disabled = y.bool(value, 'disabled') ?? false;
        break;
      case 'archive': {
        const a = y.bool(value, 'archive');
        if (a !== undefined) def.archive = a;
        break;
      }
      case 'controller': {
        // `controller: ~`, `controller: ""`: nothing named (no controller name is empty or "~")
        if (value === null || value === undefined || (isScalar(value) && (value.value === null || value.value === '' || value.value === '~'))) {
          y.error(value ?? pair.key, 'bad-value', 'controller is empty: name a controller or a list of them (leave the field out for the default controller)', 'controller');
          break;
        }
        const c = y.strList(value, 'controller');
        if (c !== undefined && c.length === 0) y.error(value, 'bad-value', 'controller must name at least one controller', 'controller');
        else if (c !== undefined) def.controllers = c;
        break;
      }
      case 'branches': {
        const b = branchesSpec(y, value, pair.key);
        if (b) def.branches = b;
        break;
      }
    }
  }
  if (!('templates' in def.locs) && !def.branches) {
    y.error(top, 'no-templates', 'the definition names no templates (add `templates:` with at least one template)', 'templates');
  }
  return { definition: def, diagnostics: y.diagnostics };
}

function templateUses(y: YamlSource, node: unknown, field: string): TemplateUse[] {
  const out: TemplateUse[] = [];
  if (isScalar(node) && typeof node.value === 'string' && node.value !== '') {
    return [{ template: node.value, loc: y.loc(node), tokens: new Map() }];
  }
  if (!isSeq(node)) {
    y.error(node, 'bad-type', `${field} must be a list of template names`, field);
    return out;
  }
  if (node.items.length === 0) y.error(node, 'no-templates', `${field} is empty: name at least one template`, field);
  node.items.forEach((item, i) => {
    const f = `${field}[${i}]`;
    if (isMap(item)) {
      const use: TemplateUse = { template: '', loc: y.loc(item), tokens: new Map() };
      let named = false;
      for (const { key, value } of y.pairs(item as YAMLMap, TEMPLATE_USE_KEYS, f)) {
        if (key === 'template') {
          const t = y.str(value, `${f}.template`);
          if (t !== undefined) {
            use.template = t;
            use.loc = y.loc(value);
            named = true;
          }
        } else if (key === 'job') {
          const j = y.str(value, `${f}.job`, { allowEmpty: true });
          if (j !== undefined) {
            use.job = j;
            use.jobLoc = y.loc(value);
          }
        } else if (key === 'tokens') {
          use.tokens = tokenMap(y, value, `${f}.tokens`);
        } else if (key === 'disabled') {
          const b = y.bool(value, `${f}.disabled`);
          if (b !== undefined) use.disabled = b;
        }
      }
      if (!named) {
        y.error(item, 'missing-key', `${f} needs \`template: <name>\``, f);
        return;
      }
      out.push(use);
    } else {
      const t = y.str(item, f);
      if (t !== undefined) out.push({ template: t, loc: y.loc(item), tokens: new Map() });
    }
  });
  return out;
}

export function tokenMap(y: YamlSource, node: unknown, field: string): Map<string, LocatedValue> {
  const out = new Map<string, LocatedValue>();
  if (isScalar(node) && node.value === '') return out;
  if (!isMap(node)) {
    y.error(node, 'bad-type', `${field} must be a mapping of token name to value (SCM.PATH: https://...)`, field);
    return out;
  }
  for (const { key, pair, value } of y.pairs(node as YAMLMap, null, field)) {
    const name = key.startsWith('$') ? key.replace(/^\$\{?|\}$/g, '') : key;
    if (!TOKEN_NAME_RE.test(name)) {
      const upper = name.toUpperCase();
      const dotted = upper.replace(/_/g, '.');
      const hint = TOKEN_NAME_RE.test(upper) ? ` (did you mean ${upper}?)` : TOKEN_NAME_RE.test(dotted) ? ` (did you mean ${dotted}?)` : '';
      y.error(pair.key, 'bad-token-name', `"${key}" is not a token name: upper-case letters, digits and _ with at least one dot, e.g. SCM.PATH${hint}`, `${field}.${key}`);
      continue;
    }
    const keyLoc = y.loc(pair.key);
    if (isSeq(value)) {
      const list: string[] = [];
      value.items.forEach((item, i) => {
        const s = y.str(item, `${field}.${name}[${i}]`, { allowEmpty: true });
        if (s !== undefined) list.push(s);
      });
      out.set(name, { value: list, keyLoc, loc: y.loc(value) });
    } else if (value === null || value === undefined) {
      out.set(name, { value: '', keyLoc, loc: keyLoc });
    } else {
      const s = y.str(value, `${field}.${name}`, { allowEmpty: true });
      if (s !== undefined) out.set(name, { value: s, keyLoc, loc: y.loc(value) });
    }
  }
  return out;
}

function branchesSpec(y: YamlSource, node: unknown, keyNode: unknown): BranchesSpec | undefined {
  if (!isMap(node)) {
    y.error(node, 'bad-type', 'branches must be a mapping (repo, include, exclude, refs, templates, keep_days, max, archive, build_on_create)', 'branches');
    return undefined;
  }
  const spec: BranchesSpec = { repo: '', templates: [], keep_days: DEFAULT_KEEP_DAYS, loc: y.loc(node), locs: {} };
  let ok = true;
  let hasRepo = false;
  let hasTemplates = false;
  for (const { key, pair, value } of y.pairs(node as YAMLMap, BRANCHES_KEYS, 'branches')) {
    const f = `branches.${key}`;
    spec.locs[key] = y.loc(pair.key);
    if (key === 'repo') {
      const r = y.str(value, f);
      if (r === undefined) ok = false;
      else {
        spec.repo = r;
        hasRepo = true;
      }
    } else if (key === 'include' || key === 'exclude' || key === 'refs') {
      const list = y.strList(value, f);
      if (!list) ok = false;
      else {
        spec[key] = list.map((x) => x.value);
        list.forEach((x, i) => {
          spec.locs[`${key}[${i}]`] = x.loc;
          const problem = globProblem(x.value) ?? (key === 'refs' && !x.value.startsWith('refs/') ? 'a refs pattern names git refs, so it starts with refs/ (e.g. refs/pull/*/head)' : undefined);
          if (problem !== undefined) y.errorAt(x.loc, 'bad-branch-pattern', `branches.${key}[${i}] is not a valid glob: ${problem}`, `${f}[${i}]`);
        });
      }
    } else if (key === 'templates') {
      spec.templates = templateUses(y, value, f);
      hasTemplates = spec.templates.length > 0;
    } else if (key === 'keep_days') {
      const n = y.int(value, f, 0);
      if (n === undefined) ok = false;
      else spec.keep_days = n;
    } else if (key === 'max') {
      const n = y.int(value, f, 1);
      if (n === undefined) ok = false;
      else spec.max = n;
    } else if (key === 'archive') {
      const a = y.bool(value, f);
      if (a === undefined) ok = false;
      else spec.archive = a;
    } else if (key === 'build_on_create') {
      const a = y.bool(value, f);
      if (a === undefined) ok = false;
      else spec.build_on_create = a;
    }
  }
  if (!hasRepo) {
    y.error(keyNode, 'missing-key', 'branches needs `repo:` (the git or Subversion URL to list branches from)', 'branches.repo');
    ok = false;
  }
  if (!hasTemplates && !('templates' in spec.locs)) {
    y.error(keyNode, 'missing-key', 'branches needs `templates:` (the templates rendered once per branch)', 'branches.templates');
    ok = false;
  }
  return ok ? spec : undefined;
}
