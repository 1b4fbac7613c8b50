import { sharedMissing } from './shared.js';

/**
 * vitest globalSetup: when `../shared` is not there, say so once at the start of the run (the tests
 * that read it then fail with the same line; the others run as usual).
 */
export default function setup(): void {
  const missing = sharedMissing();
  if (missing) process.stderr.write(`note: ${missing}; the tests that read it will fail\n`);
}
