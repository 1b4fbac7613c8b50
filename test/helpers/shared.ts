import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `../shared` beside the checkout: the steering repository's `shared/` folder (the corpus of real
 * config.xml files, Jenkins' REST API notes, the benchmark generator). JOBSMITH_SHARED_DIR points
 * elsewhere.
 */
export const sharedDir = process.env.JOBSMITH_SHARED_DIR
  ? path.resolve(process.env.JOBSMITH_SHARED_DIR)
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared');

/** The one-line explanation when `shared/` (or a part of it) is not there; undefined when it is. */
export function sharedMissing(part?: string): string | undefined {
  if (!existsSync(sharedDir)) {
    return (
      `the shared reference folder is missing: ${sharedDir} does not exist. It is the steering repository's ` +
      `shared/ folder (corpus/, jenkins-api.md, bench/gen-jjb.py), checked out beside this repository as ../shared; ` +
      `put it there or set JOBSMITH_SHARED_DIR to where it is`
    );
  }
  if (part !== undefined && !existsSync(path.join(sharedDir, part))) {
    return `the shared reference folder ${sharedDir} has no ${part}: update the steering repository's shared/ folder (or JOBSMITH_SHARED_DIR)`;
  }
  return undefined;
}

/** An error that vitest shows as its message alone: no stack, no code frame. */
class SharedMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SharedMissing';
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * The path of a part of `shared/` (e.g. `sharedPath('corpus')`, `sharedPath('corpus', f)`), after
 * checking that it exists: every test that reads `shared/` goes through here, so a checkout without
 * it fails with one clear line instead of a bare ENOENT.
 */
export function sharedPath(...parts: string[]): string {
  const p = path.join(sharedDir, ...parts);
  const missing = sharedMissing(parts.length ? path.join(...parts) : undefined);
  if (missing) throw new SharedMissingError(missing);
  return p;
}
