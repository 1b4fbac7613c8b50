/** Exit codes are a contract with users' scripts: extend, never change. */
export const EXIT = {
  ok: 0,
  /** Bad input (definitions, settings from the environment or jobsmith.yaml, files named): diagnostics printed. Also a refused or stale plan. */
  badInput: 1,
  /** Usage error (unknown flag, missing argument, a flag's value of the wrong type or out of range). Also `plan --detailed-exitcode` when there are changes. */
  usage: 2,
  /** Jenkins, network or git remote failure. */
  external: 3,
  /** A bug in jobsmith (uncaught exception). */
  internal: 70,
  /** Interrupted (Ctrl-C, SIGINT), after saying what was done and what was not (sync, apply, restore --apply; bulk --apply writes its manifest first): 128 + SIGINT, as a shell reports it. */
  interrupted: 130,
} as const;
