/**
 * Branch jobs of a loaded workspace: the definitions' `branches:` blocks, rendered with the render
 * engineer's code (same token lookup, escaping, naming and hashing as every other job), with the
 * built-in tokens BRANCH.NAME, BRANCH.SLUG and BRANCH.REPO added.
 */
import path from 'node:path';
import { sha256 } from '../model/hash.js';
import type { DesiredFolder, DesiredJob } from '../model/desired-job.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Definition } from '../load/definition.js';
import type { Workspace } from '../load/workspace.js';
import type { ObservedState } from '../model/observed.js';
import { folderConfig } from '../render/folder-config.js';
import { checkItemName } from '../render/job-name.js';
import { renderTemplate, type TokenValues } from '../render/render-template.js';
import { jobNameFor, projectTokenValues } from '../render/render-workspace.js';
import type { BranchExpansion } from '../sync/desired-source.js';
import { expandDetected, listBranchesOf, type DetectAndExpandOptions } from './detect-and-expand.js';
import { resolveRepo } from './repo-kind.js';
import type { BranchProject, RenderBranchJob } from './expand-branch-jobs.js';

/** The projects with a `branches:` block. */
export function branchProjects(ws: Workspace, only?: ReadonlySet<string>): BranchProject[] {
  const out: BranchProject[] = [];
  for (const def of ws.definitions) {
    const b = def.branches;
    if (!b || (only && !only.has(def.project))) continue;
    const locs: Record<string, { line: number; column: number }> = {};
    for (const [k, l] of Object.entries(b.locs)) locs[k] = { line: l.line, column: l.column };
    out.push({
      project: def.project,
      file: def.file,
      line: b.loc.line,
      locs,
      branches: {
        // a relative path names a repository beside the definitions, not beside the working directory
        repo: resolveRepo(b.repo, path.dirname(path.resolve(def.file))),
        templates: b.templates.map((t) => t.template),
        keep_days: b.keep_days,
        ...(b.include ? { include: b.include } : {}),
        ...(b.exclude ? { exclude: b.exclude } : {}),
        ...(b.max !== undefined ? { max: b.max } : {}),
        ...(b.refs ? { refs: b.refs } : {}),
      },
    });
  }
  return out;
}

/** Renders one branch job of a workspace's definition. */
export function workspaceBranchRenderer(ws: Workspace): RenderBranchJob {
  const defs = new Map<string, Definition>(ws.definitions.map((d) => [d.project, d]));
  return ({ project, index, values: branchValues, nameFor }) => {
    const diagnostics: Diagnostic[] = [];
    const def = defs.get(project);
    const use = def?.branches?.templates[index];
    const template = use ? ws.templates.get(use.template) : undefined;
    if (!def || !use || !template) return { diagnostics }; // unknown template: reported by render
    const name = nameFor(jobNameFor(def, use));
    const bad = checkItemName(name);
    if (bad) {
      diagnostics.push({ severity: 'error', code: 'bad-job-name', message: `branch job name "${name}": ${bad}`, field: `branches.templates[${index}]`, file: use.loc.file, line: use.loc.line, column: use.loc.column });
      return { diagnostics };
    }
    const folder = [...def.folder];
    const fullName = [...folder, name].join('/');
    const { values, valueLocs } = projectTokenValues(ws, def, use, template, name, folder);
    const r = renderTemplate(template, { ...values, ...branchValues } as TokenValues, { where: use.loc, valueLocs, job: fullName });
    diagnostics.push(...r.diagnostics);
    if (r.config === '') return { diagnostics };
    const job: DesiredJob = {
      fullName,
      name,
      folder,
      project: def.project,
      template: template.name,
      branch: branchValues['BRANCH.NAME'],
      config: r.config,
      hash: sha256(r.config),
      rootElement: r.rootElement ?? template.rootElement ?? '',
      source: { file: use.loc.file, line: use.loc.line },
    };
    if (def.view !== undefined) job.view = def.view;
    if (def.disabled || use.disabled) job.disabled = true;
    return { job, diagnostics };
  };
}

export interface WorkspaceBranchOptions extends DetectAndExpandOptions {
  /** Full names of the workspace's other desired jobs (render output): a branch job may not take one. */
  otherJobNames?: Iterable<string>;
  /** List and expand only these projects' branches (a webhook's sync); default: every project. */
  projects?: ReadonlySet<string>;
}

/**
 * The call sync makes after its one Jenkins listing: detect every project's branches (each distinct
 * repository once, `concurrency` at a time) and render the branch jobs.
 */
export async function detectAndExpand(ws: Workspace, opts: WorkspaceBranchOptions): Promise<BranchExpansion> {
  return startBranchDetection(ws, opts).expand(opts.observed, opts.otherJobNames, opts.owner);
}

export interface BranchDetection {
  /** Wait for the listings (started already) and render the branch jobs. */
  expand(observed?: ObservedState, otherJobNames?: Iterable<string>, owner?: string): Promise<BranchExpansion>;
}

/**
 * Start listing every branch repository NOW (e.g. right after loading, so the listings overlap
 * rendering and the Jenkins listing) and expand later, once the Jenkins listing is known.
 * The listings never reject (a failed one is a `failed` result).
 */
export function startBranchDetection(ws: Workspace, opts: Omit<DetectAndExpandOptions, 'observed' | 'owner'> & { projects?: ReadonlySet<string> }): BranchDetection {
  const projects = branchProjects(ws, opts.projects);
  const listings = projects.length > 0 ? listBranchesOf(projects, opts) : Promise.resolve(new Map());
  return {
    async expand(observed, otherJobNames, owner) {
      const b = expandDetected(
        { projects, render: workspaceBranchRenderer(ws), ...(otherJobNames ? { otherJobNames } : {}) },
        await listings,
        observed,
        owner,
      );
      return { ...b, folders: foldersOf(b.jobs) };
    },
  };
}

/** Every prefix of every branch job's folder path (sync adds those render did not already make). */
function foldersOf(jobs: readonly DesiredJob[]): DesiredFolder[] {
  const seen = new Set<string>();
  const out: DesiredFolder[] = [];
  for (const j of jobs) {
    for (let k = 1; k <= j.folder.length; k++) {
      const fullName = j.folder.slice(0, k).join('/');
      if (seen.has(fullName.toLowerCase())) continue;
      seen.add(fullName.toLowerCase());
      out.push({ fullName, config: folderConfig() });
    }
  }
  return out.sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
}
