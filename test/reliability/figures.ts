/**
 * Counters written by the reliability and security tests, collected by
 * `npm run reliability` (scripts/reliability-report.mjs) into docs/reliability.md.
 *
 * Only when JOBSMITH_RELIABILITY_DIR is set (the report script sets it) is anything written: one
 * JSON file per test file, `<dir>/<name>.json`. Figures are counted where the work happens (inside
 * the property, at the fault injection), so the report shows what actually ran.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Figures {
  /** Property name → cases actually run (counted inside the property). */
  properties: Record<string, number>;
  /** Fault kind → faults injected (as counted by the stand-in or the harness). */
  faults: Record<string, number>;
  /** Sync runs made (CLI or library). */
  syncs: number;
  /** Jobs that had to survive and were checked after each run (sum over checks). */
  protectedChecks: number;
  /** Jobs deleted although a rule protected them (must be 0). */
  unintendedDeletions: number;
  /** Bad inputs tried (mutated definitions, hostile names, hostile XML, hostile form posts). */
  badInputs: number;
  /** Texts and files scanned for the test secret. */
  leakScans: number;
  /** Credential leaks found (must be 0). */
  leaksFound: number;
  /** How often the interesting situations came up (plans with deletions, refused plans, ...). */
  coverage: Record<string, number>;
  /** Free-form notes: what a counter means in this file. */
  notes: string[];
}

export function newFigures(): Figures {
  return { properties: {}, faults: {}, syncs: 0, protectedChecks: 0, unintendedDeletions: 0, badInputs: 0, leakScans: 0, leaksFound: 0, coverage: {}, notes: [] };
}

/** True when the long soak is asked for (JOBSMITH_SOAK=1). */
export const SOAK = process.env.JOBSMITH_SOAK === '1' || process.env.JOBSMITH_SOAK === 'true';

/** Cases for a property: the default, or `soakFactor` times as many under JOBSMITH_SOAK. */
export function runs(defaultRuns: number, soakFactor = 20): number {
  return SOAK ? defaultRuns * soakFactor : defaultRuns;
}

export function countCase(f: Figures, property: string, n = 1): void {
  f.properties[property] = (f.properties[property] ?? 0) + n;
}

export function countCoverage(f: Figures, what: string, n = 1): void {
  if (n > 0) f.coverage[what] = (f.coverage[what] ?? 0) + n;
}

export function countFault(f: Figures, kind: string, n = 1): void {
  if (n > 0) f.faults[kind] = (f.faults[kind] ?? 0) + n;
}

/** Write the figures of one test file (no-op unless JOBSMITH_RELIABILITY_DIR is set). */
export function saveFigures(name: string, f: Figures): void {
  const dir = process.env.JOBSMITH_RELIABILITY_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ name, soak: SOAK, ...f }, null, 2));
}
