/** Exit codes are a contract with users' scripts: extend, never change. */
export const EXIT = {
  ok: 0,
  /** Bad input: diagnostics printed. */
  badInput: 1,
  /** Usage error (unknown flag, missing argument). Also `plan --detailed-exitcode` when there are changes. */
  usage: 2,
  /** Jenkins, network or git remote failure. */
  external: 3,
  /** A bug in jobsmith (uncaught exception). */
  internal: 70,
  /** Interrupted (Ctrl-C) after cleaning up, e.g. `bulk --apply` wrote its manifest: 128 + SIGINT, as a shell reports it. */
  interrupted: 130,
} as const;
