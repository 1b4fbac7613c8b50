/**
 * `--json` output: format `jobsmith-result`, version 1 (docs/json-output.md). What scripts read,
 * so fields and reason codes are only ever added: a change says why with a stable `code` and its
 * `params` (src/model/reason-code.ts); the words for people are the text printer's alone. Config
 * bodies are left out unless asked for.
 */
import type { Change, Plan } from '../model/plan.js';
import type { ReasonCode, ReasonParams } from '../model/reason-code.js';

export const RESULT_FORMAT = 'jobsmith-result';
export const RESULT_VERSION = 1;

export interface JsonChange {
  kind: Change['kind'];
  target: Change['target'];
  fullName: string;
  code: ReasonCode;
  params?: ReasonParams;
  project?: string;
  template?: string;
  branch?: string;
  from?: string;
  via?: string;
  after?: string;
  building?: boolean;
  retire?: string;
  archive?: Change['archive'];
  folderType?: Change['folderType'];
  view?: Change['view'];
  hash?: string;
  previousHash?: string;
  /** Many controllers: the controller of the change, and what a delete waits for on another one. */
  controller?: string;
  waitsFor?: Change['waitsFor'];
  config?: string;
}

const OPTIONAL = ['params', 'project', 'template', 'branch', 'from', 'via', 'after', 'building', 'retire', 'archive', 'folderType', 'view', 'hash', 'previousHash', 'controller', 'waitsFor'] as const;

export function changeToJson(c: Change, includeConfig = false): JsonChange {
  const out: JsonChange = { kind: c.kind, target: c.target, fullName: c.fullName, code: c.code };
  for (const k of OPTIONAL) if (c[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = c[k];
  if (includeConfig && c.config !== undefined) out.config = c.config;
  return out;
}

export function planToJson(plan: Plan, opts: { includeConfigs?: boolean } = {}): unknown {
  return {
    createdAt: plan.createdAt,
    ...(plan.owner !== undefined ? { owner: plan.owner } : {}),
    options: plan.options,
    refused: plan.refused,
    summary: plan.summary,
    managedCount: plan.managedCount,
    ...(plan.ownership ? { ownership: plan.ownership } : {}),
    problems: plan.problems,
    changes: plan.changes.map((c) => changeToJson(c, opts.includeConfigs)),
    ...(plan.basis ? { basis: plan.basis } : {}),
    ...(plan.archive ? { archive: plan.archive } : {}),
    ...(plan.controller !== undefined ? { controller: plan.controller } : {}),
  };
}

/** The envelope of every plan, sync, apply and restore `--json` result. */
export type ResultCommand = 'plan' | 'sync' | 'apply' | 'restore';

export const RESULT_COMMANDS: readonly ResultCommand[] = ['plan', 'sync', 'apply', 'restore'];

let written = false;

/** Whether a result document was made in this process (the CLI makes sure `--json` always prints one). */
export function resultWritten(): boolean {
  return written;
}

export function resultJson(command: ResultCommand, body: Record<string, unknown>): string {
  written = true;
  return JSON.stringify({ format: RESULT_FORMAT, version: RESULT_VERSION, command, ...body }, null, 1) + '\n';
}
