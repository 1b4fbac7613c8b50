/**
 * Which controller each project goes to (load phase): a definition's `controller:` (one name or a
 * list), else `default-controller:`. Unknown names are located errors with a did-you-mean, reported
 * with every other error; a `controller:` without any `controllers:` configured is an error too.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { Definition } from '../load/definition.js';
import { didYouMean } from '../load/did-you-mean.js';
import type { ControllersConfig } from './controllers-config.js';

/** The name of the one controller when `controllers:` is not configured (never written anywhere). */
export const IMPLICIT_CONTROLLER = '';

export function checkControllerNames(definitions: readonly Definition[], config: ControllersConfig | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const def of definitions) {
    const seen = new Set<string>();
    for (const c of def.controllers ?? []) {
      const where = { file: c.loc.file, line: c.loc.line, column: c.loc.column, field: 'controller' };
      if (config === undefined) {
        out.push({ severity: 'error', code: 'unknown-controller', message: `project ${def.project} names controller "${c.value}" but no controllers are configured (add a \`controllers:\` section to jobsmith.yaml, see docs/controllers.md)`, ...where });
      } else if (!config.entries.has(c.value)) {
        out.push({ severity: 'error', code: 'unknown-controller', message: `unknown controller "${c.value}"${didYouMean(c.value, config.names)} (known: ${config.names.join(', ')})`, ...where });
      } else if (seen.has(c.value)) {
        out.push({ severity: 'warning', code: 'duplicate-controller', message: `controller "${c.value}" is named twice`, ...where });
      }
      seen.add(c.value);
    }
  }
  return out;
}

/** Project → the controllers its jobs go to (each once, in the order written). */
export function projectControllers(definitions: readonly Definition[], config: ControllersConfig | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const def of definitions) {
    const named = [...new Set((def.controllers ?? []).map((c) => c.value))];
    out.set(def.project, config === undefined ? [IMPLICIT_CONTROLLER] : named.length > 0 ? named : [config.defaultName]);
  }
  return out;
}
