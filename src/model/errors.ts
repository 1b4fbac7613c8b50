/**
 * A failure of something outside jobsmith (Jenkins, the network, a git or svn remote).
 * The CLI maps it to exit code 3. User mistakes are not errors: they are Diagnostics.
 * Messages must never contain credentials.
 */
export class ExternalError extends Error {
  override name = 'ExternalError';
}

/** The command line was wrong in a way yargs could not see (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}
