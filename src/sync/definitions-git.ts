/**
 * git for the repository that holds the definitions (owner id, upstream check): simple-git with a
 * non-interactive environment (no terminal prompt, ssh in BatchMode, C locale for parseable
 * messages) and a time bound, so an unreachable remote fails instead of hanging or prompting.
 */
import { statSync } from 'node:fs';
import { simpleGit, type SimpleGit } from 'simple-git';

/** Is `dir` an existing directory (following links)? simple-git refuses anything else as its base. */
export function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Variables git never needs here and simple-git refuses to pass on (editors, pagers, templates). */
const DROPPED_ENV = new Set(['EDITOR', 'VISUAL', 'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'PAGER', 'GIT_PAGER', 'GIT_EXTERNAL_DIFF', 'GIT_TEMPLATE_DIR', 'PREFIX']);

export const DEFINITIONS_GIT_TIMEOUT_MS = 30_000;

export function definitionsGit(dir: string, timeoutMs: number = DEFINITIONS_GIT_TIMEOUT_MS, base: NodeJS.ProcessEnv = process.env): SimpleGit {
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!DROPPED_ENV.has(k.toUpperCase().trim())) env[k] = v;
  env.GIT_TERMINAL_PROMPT = '0';
  env.LC_ALL = 'C';
  env.LANGUAGE = 'C';
  env.GIT_HTTP_LOW_SPEED_LIMIT = '1';
  env.GIT_HTTP_LOW_SPEED_TIME = String(seconds);
  if (env.GIT_SSH_COMMAND === undefined && env.GIT_SSH === undefined) {
    env.GIT_SSH_COMMAND = `ssh -o BatchMode=yes -o ConnectTimeout=${seconds}`;
  }
  return simpleGit({
    baseDir: dir,
    timeout: { block: timeoutMs },
    completion: { onClose: true, onExit: false },
    unsafe: {
      allowUnsafeSshCommand: true,
      allowUnsafeAskPass: true,
      allowUnsafeConfigPaths: true,
      allowUnsafeConfigEnvCount: true,
      allowUnsafeGitProxy: true,
    },
  }).env(env);
}

/** The first line of a git failure, without `fatal: ` noise; never holds credentials (the caller redacts URLs). */
export function gitFailureText(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const lines = raw.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const fatal = lines.find((l) => /^(fatal|error):/.test(l));
  return (fatal ?? lines[0] ?? 'failed').replace(/^(fatal|error):\s*/, '');
}
