import type { Diagnostic } from './diagnostic.js';

/**
 * A failure of something outside jobsmith (Jenkins, the network, a git or svn remote).
 * The CLI maps it to exit code 3. User mistakes are not errors: they are Diagnostics.
 * Messages must never contain credentials.
 */
export class ExternalError extends Error {
  override name = 'ExternalError';
}

/** The command line was wrong in a way yargs could not see: a flag, its value's type or range (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Bad input found where a command cannot go on and has no result to report it in: settings from
 * the environment or jobsmith.yaml (the Jenkins URL, a number out of range), a file named on the
 * command line. The CLI prints the diagnostics (or the message) and exits 1.
 */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
  }
}
