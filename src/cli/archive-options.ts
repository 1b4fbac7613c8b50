/**
 * `--archive DIR` and the `archive:` section of the config file, for the commands that plan
 * deletes (plan, sync) and the ones that read the archive (archive list/show, serve).
 */
import type { Argv } from 'yargs';
import { printDiagnostics } from './print-diagnostics.js';
import type { ArchivePolicy } from '../model/plan.js';
import { UsageError } from '../model/errors.js';

export interface ArchiveArgs {
  archive?: string;
  config?: string;
}

export function withArchiveOption<T>(y: Argv<T>, describe = 'Archive build relics (logs, test reports, artifacts) here before deleting a job (or archive.dir in jobsmith.yaml)'): Argv<T & ArchiveArgs> {
  return y.option('archive', { type: 'string', describe, requiresArg: true }) as unknown as Argv<T & ArchiveArgs>;
}

/**
 * The archive policy from flag and config file. Prints the diagnostics (warnings too); `ok` is
 * false when one is an error (the caller exits 1 and changes nothing).
 */
export async function archivePolicyFrom(a: ArchiveArgs, cwd = process.cwd()): Promise<{ ok: boolean; policy?: ArchivePolicy }> {
  if (Array.isArray(a.archive)) throw new UsageError('--archive was given more than once');
  const { readArchiveSettings } = await import('../archive/archive-settings.js');
  const r = readArchiveSettings({ cwd, ...(a.config !== undefined ? { configFile: a.config } : {}), ...(a.archive !== undefined ? { flagDir: a.archive } : {}) });
  printDiagnostics(r.diagnostics);
  if (r.diagnostics.some((d) => d.severity === 'error')) return { ok: false };
  return r.policy ? { ok: true, policy: r.policy } : { ok: true };
}
