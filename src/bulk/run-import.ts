import { lstatSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../model/clock.js';
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import type { Plan } from '../model/plan.js';
import { runLimited } from '../apply/run-limited.js';
import { applyPlan } from '../apply/apply-plan.js';
import type { ApplyResult } from '../apply/apply-events.js';
import { loadWorkspace } from '../load/workspace.js';
import { renderWorkspace } from '../render/render-workspace.js';
import { makePlan } from '../plan/make-plan.js';
import { sameConfig } from '../plan/same-job-config.js';
import { withoutMarker } from '../plan/config-description.js';
import { ownershipOf } from '../plan/rules/managed-only.js';
import { resolveOwner } from '../sync/owner-id.js';
import { commitFiles, uncommittedChanges } from './commit-definitions.js';
import { selectJobs } from './select-jobs.js';
import { checkImport, proposeImport, type ImportInput, type ImportProposal } from './import-jobs.js';
import { errorText } from './error-text.js';

export interface ImportOptions {
  match: string[];
  /** Directory that gets job-templates/ and jobs/ (default: the working directory). */
  out: string;
  templatePrefix: string;
  /** Write the files (default: only show the proposal). */
  write: boolean;
  /** After writing, adopt the jobs: push the rendered config with the jobsmith marker. */
  adopt: boolean;
  concurrency: number;
  clock: Clock;
  /** `--config`: may give `owner:` (the owner id the adopted jobs' markers record). */
  config?: string;
  /** Many controllers: the controller `api` is; every definition written names it (`controller: NAME`). */
  controller?: string;
}

export interface ImportOutcome {
  proposal: ImportProposal;
  /** Jobs whose rendering reproduces their config (semantically): these are imported. */
  verified: string[];
  /** Jobs left out, with why. */
  rejected: Array<{ fullName: string; reason: string }>;
  diagnostics: Diagnostic[];
  /** Files written (relative to out). */
  written: string[];
  /** Existing files that would have been overwritten: nothing was written. */
  conflicts: string[];
  /** With adopt: uncommitted changes in the work tree that made it refuse (nothing was written). */
  dirty?: string[];
  /** With adopt in a git work tree: the commit holding the written definitions. */
  commit?: string;
  /** With adopt: the owner id the adopted jobs now record. */
  owner?: string;
  plan?: Plan;
  applied?: ApplyResult;
}

function present(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

async function writeTree(dir: string, files: Array<[string, string]>): Promise<void> {
  for (const [rel, text] of files) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
}

/**
 * `jobsmith import --match GLOB`: read unmanaged jobs, propose templates and definitions, check in
 * a temp directory that rendering reproduces each job's config, write the verified ones, and (with
 * adopt) take the jobs over through the planner's adopt rule.
 */
export async function runImport(api: JenkinsApi, opts: ImportOptions): Promise<ImportOutcome> {
  const owning = resolveOwner({ jobsDir: path.join(opts.out, 'jobs'), ...(opts.config !== undefined ? { config: opts.config } : {}) });
  const observed = await api.list();
  const owner = await owning;
  if (hasErrors(owner.diagnostics)) {
    return { proposal: { templates: [], definitions: [], skipped: [] }, verified: [], rejected: [], diagnostics: owner.diagnostics, written: [], conflicts: [] };
  }
  const selected = selectJobs(observed, { match: opts.match });
  const rejected: ImportOutcome['rejected'] = [];
  const inputs: ImportInput[] = [];
  await runLimited(selected, opts.concurrency, async (s) => {
    if (s.marker) {
      // a copy of a managed job (its marker names another job) may be imported; a job managed under its own name may not
      const ownership = ownershipOf(s.marker, s.item.fullName, owner.owner);
      if (ownership === 'own') {
        rejected.push({ fullName: s.item.fullName, reason: `already managed (project ${s.marker.project}, template ${s.marker.template})` });
        return;
      }
      if (ownership === 'foreign' || (ownership === 'shared-default' && s.marker.name === s.item.fullName)) {
        rejected.push({ fullName: s.item.fullName, reason: `managed by other definitions (owner ${s.marker.owner})` });
        return;
      }
    }
    try {
      inputs.push({ fullName: s.item.fullName, config: withoutMarker(await api.getConfig(s.item.fullName)) });
    } catch (err) {
      rejected.push({ fullName: s.item.fullName, reason: `reading config.xml failed: ${errorText(err)}` });
    }
  });
  const proposal = proposeImport(inputs, { templatePrefix: opts.templatePrefix, ...(opts.controller !== undefined ? { controller: opts.controller } : {}) });
  rejected.push(...proposal.skipped);
  const files = (p: ImportProposal, keep: Set<string>): Array<[string, string]> => [
    ...p.templates.filter((t) => t.members.some((m) => keep.has(m))).map((t): [string, string] => [`job-templates/${t.name}-config.xml`, t.text]),
    ...p.definitions.filter((d) => keep.has(d.fullName)).map((d): [string, string] => [`jobs/${d.project}.yaml`, d.text]),
  ];
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-import-'));
  let diagnostics: Diagnostic[] = [];
  let rendered;
  try {
    await mkdir(path.join(tmp, 'job-templates'), { recursive: true });
    await mkdir(path.join(tmp, 'jobs'), { recursive: true });
    await writeTree(tmp, files(proposal, new Set(inputs.map((i) => i.fullName))));
    const loaded = await loadWorkspace({ templatesDir: path.join(tmp, 'job-templates'), jobsDir: path.join(tmp, 'jobs') });
    const r = renderWorkspace(loaded.workspace, {});
    diagnostics = [...loaded.diagnostics, ...r.diagnostics].map((d) => (d.file?.startsWith(tmp) ? { ...d, file: path.join(opts.out, path.relative(tmp, d.file)) } : d));
    rendered = r.desired.jobs;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const bad = checkImport(inputs, rendered, sameConfig);
  const badNames = new Set(bad.map((b) => b.fullName));
  rejected.push(...bad);
  const verified = inputs.map((i) => i.fullName).filter((n) => !badNames.has(n)).sort();
  rejected.sort((a, b) => (a.fullName < b.fullName ? -1 : 1));
  const outcome: ImportOutcome = { proposal, verified, rejected, diagnostics, written: [], conflicts: [] };
  if (verified.length === 0) return outcome;
  // Checked in a dry run too (it exits as the real run would). A link counts as there, dangling or not: never written through.
  const toWrite = files(proposal, new Set(verified));
  outcome.conflicts = toWrite.map(([rel]) => rel).filter((rel) => present(path.join(opts.out, rel)));
  if (outcome.conflicts.length) return outcome;
  // A job is marked managed only once its definition is in a commit: other uncommitted work refuses.
  const tree = opts.adopt ? await uncommittedChanges(opts.out, ['jobs', 'job-templates']) : undefined;
  if (tree?.inGit && tree.changes.length > 0) {
    outcome.dirty = tree.changes;
    return outcome;
  }
  if (!opts.write) return outcome;
  await writeTree(opts.out, toWrite);
  outcome.written = toWrite.map(([rel]) => rel);
  if (opts.adopt) {
    if (tree?.inGit) {
      outcome.commit = await commitFiles(opts.out, outcome.written, `jobsmith import --adopt: ${verified.length} job(s) (${proposal.templates.filter((t) => t.members.some((m) => verified.includes(m))).map((t) => t.name).join(', ')})`);
    }
    const keep = new Set(verified);
    const jobs = rendered.filter((j) => keep.has(j.fullName));
    outcome.owner = owner.owner;
    outcome.plan = makePlan({ desired: { jobs, folders: [], views: [] }, owner: owner.owner, observed, clock: opts.clock, options: { adopt: true, removed: 'keep', only: verified } });
    outcome.applied = await applyPlan(api, outcome.plan, { concurrency: opts.concurrency });
  }
  return outcome;
}
