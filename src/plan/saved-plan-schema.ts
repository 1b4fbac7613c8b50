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
}).superRefine((p, ctx) => {
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
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    throw new SavedPlanError(`not a jobsmith plan file: ${(e as Error).message}`);
  }
  const head = v as { format?: unknown; version?: unknown; basis?: unknown } | null;
  if (!head || typeof head !== 'object' || head.format !== 'jobsmith-plan') throw new SavedPlanError('not a jobsmith plan file (format is not "jobsmith-plan")');
  if (head.version !== SAVED_PLAN_VERSION) throw new SavedPlanError(`unsupported plan version ${String(head.version)} (this jobsmith reads version ${SAVED_PLAN_VERSION})`);
  if (head.basis === undefined) throw new SavedPlanError('plan file has no basis (make it with `jobsmith plan --out FILE`)');
  const r = savedPlan.safeParse(v);
  if (!r.success) {
    const lines = r.error.issues.slice(0, 20).map((i) => `${pathText(i.path)}: ${i.message}`);
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
