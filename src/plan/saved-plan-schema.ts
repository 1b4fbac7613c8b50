/**
 * Reading a saved plan back (`apply FILE`): the file is checked against this versioned schema
 * (zod), field by field, never cast. What it may hold is exactly what `plan --out` writes
 * (src/model/plan.ts); unknown fields are dropped. Every mistake is reported with its path
 * (`changes[3].kind: ...`), all at once. Passing the schema only means the file is well formed:
 * src/plan/recheck-plan.ts then checks every change against Jenkins as it is.
 */
import path from 'node:path';
import { z } from 'zod';
import { CHANGE_KINDS, type Plan } from '../model/plan.js';
import { REASON_CODE_LIST, type ReasonCode } from '../model/reason-code.js';
import { REMOVED_POLICIES } from './rules/removed-policy.js';
import { SavedPlanError } from './saved-plan.js';

/** The plan file versions this jobsmith reads. */
export const SAVED_PLAN_VERSION = 1;

const name = z.string().min(1).max(4096);
const text = z.string().max(1 << 20);

/** A controller name (src/controllers/controllers-config.ts CONTROLLER_NAME_RE). */
const controllerName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'must be a controller name');

const viewEdit = z.object({
  name,
  folder: z.array(name),
  add: z.array(name),
  remove: z.array(name),
});

const change = z
  .object({
    kind: z.enum(CHANGE_KINDS as [string, ...string[]]),
    target: z.enum(['job', 'folder', 'view']),
    fullName: name,
    reason: text,
    // absent in plan files written before reason codes (still read)
    code: z.enum(REASON_CODE_LIST as [ReasonCode, ...ReasonCode[]]).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    project: z.string().optional(),
    template: z.string().optional(),
    branch: z.string().optional(),
    config: z.string().max(64 << 20).optional(),
    hash: z.string().optional(),
    previousHash: z.string().optional(),
    retire: z.string().optional(),
    building: z.boolean().optional(),
    view: viewEdit.optional(),
    from: name.optional(),
    via: name.optional(),
    after: name.optional(),
    archive: z.enum(['first', 'opted-out']).optional(),
    folderType: z.enum(['plain', 'computed']).optional(),
    controller: controllerName.optional(),
    waitsFor: z.object({ controller: controllerName, fullName: name }).optional(),
  })
  .superRefine((c, ctx) => {
    const writes = ['create', 'update', 'adopt', 'replace', 'move'].includes(c.kind) && c.target !== 'view';
    if (writes && c.config === undefined) ctx.addIssue({ code: 'custom', path: ['config'], message: `${c.kind} needs the config it writes` });
    if (c.kind === 'move' && c.from === undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: 'a move needs the name it moves from' });
    if (c.target === 'view' && (c.kind === 'create' || c.kind === 'update') && c.view === undefined) ctx.addIssue({ code: 'custom', path: ['view'], message: `view ${c.kind} needs its view edit` });
    if (c.target === 'view' && c.kind === 'create' && c.config === undefined) ctx.addIssue({ code: 'custom', path: ['config'], message: 'a view create needs the config it writes' });
  });

const problem = z.object({
  severity: z.enum(['error', 'warning']),
  category: z.enum(['refused', 'external', 'input', 'notice']),
  code: z.string(),
  message: text,
  project: z.string().optional(),
});

const archivePolicy = z.object({
  dir: name.refine((d) => path.isAbsolute(d), 'must be an absolute directory path'),
  keepBuilds: z.number().int().min(1).max(1_000_000).optional(),
  maxArtifactsMb: z.number().min(0).max(1_048_576),
  onCap: z.enum(['hold', 'list']),
  concurrency: z.number().int().min(1).max(64),
});

const savedPlan = z.object({
  format: z.literal('jobsmith-plan'),
  version: z.literal(SAVED_PLAN_VERSION),
  createdAt: z.string(),
  options: z.object({
    removed: z.enum(REMOVED_POLICIES as [string, ...string[]]),
    allowMassDelete: z.boolean(),
    adopt: z.boolean(),
    verify: z.boolean(),
    only: z.array(z.string()),
    allowEmpty: z.boolean().optional(),
    allowStale: z.boolean().optional(),
  }),
  changes: z.array(change),
  problems: z.array(problem),
  summary: z.record(z.string(), z.number().int().nonnegative()),
  refused: z.boolean(),
  managedCount: z.number().int().nonnegative(),
  owner: z.string().min(1).optional(),
  ownership: z.object({ otherOwners: z.number().int().nonnegative(), copies: z.number().int().nonnegative(), oldMarkers: z.number().int().nonnegative() }).optional(),
  basis: z.object({
    revision: z.string().nullable(),
    inputsHash: z.string(),
    observedFingerprint: z.string(),
  }),
  archive: archivePolicy.optional(),
  controller: controllerName.optional(),
}).superRefine((p, ctx) => {
  p.changes.forEach((c, i) => {
    if (c.controller !== p.controller) ctx.addIssue({ code: 'custom', path: ['changes', i, 'controller'], message: `the change is for controller ${c.controller ?? '(none)'} but the plan is for ${p.controller ?? '(none)'}` });
  });
  if (p.archive !== undefined) return;
  const i = p.changes.findIndex((c) => c.archive === 'first');
  if (i >= 0) ctx.addIssue({ code: 'custom', path: ['changes', i, 'archive'], message: 'archives first, but the plan has no archive settings' });
});

function pathText(p: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const k of p) out += typeof k === 'number' ? `[${k}]` : out === '' ? String(k) : `.${String(k)}`;
  return out || '(the file)';
}

/** Parse and check a saved plan file; throws SavedPlanError naming every problem. */
export function parseSavedPlan(raw: string): Plan {
  return checkSavedPlan(parseJson(raw), '');
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new SavedPlanError(`not a jobsmith plan file: ${(e as Error).message}`);
  }
}

/**
 * Many controllers (docs/controllers.md): a saved plan file holds one plan (format `jobsmith-plan`;
 * without `controller` it is for the one Jenkins of JENKINS_URL / `jenkins:`), or one plan per
 * controller (format `jobsmith-plan-set`: `{ format, version, createdAt, plans: [Plan, ...] }`,
 * each plan and each of its changes naming its controller).
 */
export function parseSavedPlans(raw: string): Plan[] {
  const v = parseJson(raw);
  const head = v as { format?: unknown; version?: unknown; plans?: unknown } | null;
  if (!head || typeof head !== 'object' || head.format !== PLAN_SET_FORMAT) return [checkSavedPlan(v, '')];
  if (head.version !== SAVED_PLAN_VERSION) throw new SavedPlanError(`unsupported plan version ${String(head.version)} (this jobsmith reads version ${SAVED_PLAN_VERSION})`);
  if (!Array.isArray(head.plans) || head.plans.length === 0) throw new SavedPlanError('plans: a plan set must hold at least one plan');
  const plans = head.plans.map((p, i) => checkSavedPlan(p, `plans[${i}].`));
  const seen = new Set<string>();
  plans.forEach((p, i) => {
    if (p.controller === undefined) throw new SavedPlanError(`plans[${i}].controller: each plan of a plan set names its controller`);
    if (seen.has(p.controller)) throw new SavedPlanError(`plans[${i}].controller: controller ${p.controller} has two plans`);
    seen.add(p.controller);
  });
  return plans;
}

export const PLAN_SET_FORMAT = 'jobsmith-plan-set';

function checkSavedPlan(v: unknown, prefix: string): Plan {
  const head = v as { format?: unknown; version?: unknown; basis?: unknown } | null;
  if (!head || typeof head !== 'object' || head.format !== 'jobsmith-plan') throw new SavedPlanError(`${prefix ? `${prefix.slice(0, -1)}: ` : ''}not a jobsmith plan file (format is not "jobsmith-plan")`);
  if (head.version !== SAVED_PLAN_VERSION) throw new SavedPlanError(`unsupported plan version ${String(head.version)} (this jobsmith reads version ${SAVED_PLAN_VERSION})`);
  if (head.basis === undefined) throw new SavedPlanError('plan file has no basis (make it with `jobsmith plan --out FILE`)');
  const r = savedPlan.safeParse(v);
  if (!r.success) {
    const lines = r.error.issues.slice(0, 20).map((i) => `${prefix}${pathText(i.path)}: ${i.message}`);
    if (r.error.issues.length > 20) lines.push(`... and ${r.error.issues.length - 20} more`);
    throw new SavedPlanError(`the plan file does not match the plan format (version ${SAVED_PLAN_VERSION}):\n  ${lines.join('\n  ')}`);
  }
  const plan = r.data as Plan;
  // the counts are derived from the changes, never taken from the file
  const summary = Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Plan['summary'];
  for (const c of plan.changes) summary[c.kind]++;
  plan.summary = summary;
  return plan;
}
