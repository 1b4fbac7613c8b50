/**
 * A git command that talks to a remote (`ls-remote`), bounded in time for real and without
 * credentials on its command line.
 *
 * - git runs in its own process group; on timeout the whole group is killed (SIGKILL) and its
 *   output pipes are closed. Killing git alone (what simple-git's timeout does) leaves
 *   `git-remote-https` or `ssh` behind holding git's output open: the run then waits for them, for
 *   as long as a hung server keeps the connection (forever for a black hole).
 * - A URL's `user:password@` is taken out of the URL before git sees it and handed over by a
 *   credential helper scoped to that URL, which reads them from the child's environment: a command
 *   line is visible to every user of the machine (`ps`), an environment only to the same user.
 */
import { spawn } from 'node:child_process';

export interface GitRemoteResult {
  /** Exit code; null when killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Killed at the time bound (with everything it started). */
  timedOut: boolean;
}

/** A repository URL without its credentials, and the credentials (decoded), when it had a password. */
export interface SplitUrl {
  url: string;
  username?: string;
  password?: string;
}

/**
 * Take `user:password@` out of a URL with a scheme (`https://bob:tok@host/x.git` →
 * `https://host/x.git`). A user without a password stays (it is not a secret); scp-like
 * `git@host:path` and paths are returned as they are.
 */
export function splitCredentials(url: string): SplitUrl {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
  if (!m) return { url };
  const authority = m[2]!;
  const at = authority.lastIndexOf('@');
  if (at < 0) return { url };
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return { url };
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return { url: `${m[1]}${authority.slice(at + 1)}${m[3]}`, username: decode(userinfo.slice(0, colon)), password: decode(userinfo.slice(colon + 1)) };
}

/** `scheme://host[:port]` of a URL (the scope of the credential helper). */
function origin(url: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(url);
  return m?.[1];
}

/**
 * The `-c` options that give git these credentials for this URL only: the helpers configured for it
 * are cleared (the URL's own credentials are what it used before) and one is added that prints the
 * values of two environment variables. The command line holds their names, never their values.
 */
function credentialConfig(url: string): string[] {
  const scope = origin(url);
  if (scope === undefined) return [];
  const helper = '!f() { cat >/dev/null; test "$1" = get && printf \'username=%s\\npassword=%s\\n\' "$JOBSMITH_GIT_USERNAME" "$JOBSMITH_GIT_PASSWORD"; }; f';
  return ['-c', `credential.${scope}.helper=`, '-c', `credential.${scope}.helper=${helper}`];
}

export interface GitRemoteOptions {
  /** Arguments after `git` (and the credential options); `{url}` marks where the repository URL goes. */
  args: string[];
  /** The repository URL (may carry credentials: they are moved out of the command line). */
  url?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/**
 * Run git against a remote. Resolves when git and everything it started have closed their output,
 * or at the time bound, whichever comes first (then the process group is killed). Rejects only when
 * git cannot be started at all.
 */
export function runGitRemote(opts: GitRemoteOptions): Promise<GitRemoteResult> {
  const env: NodeJS.ProcessEnv = { ...opts.env };
  let args = opts.args;
  if (opts.url !== undefined) {
    const split = splitCredentials(opts.url);
    const withUrl = args.map((a) => (a === '{url}' ? split.url : a));
    if (split.password !== undefined) {
      env.JOBSMITH_GIT_USERNAME = split.username ?? '';
      env.JOBSMITH_GIT_PASSWORD = split.password;
      args = [...credentialConfig(split.url), ...withUrl];
    } else {
      args = withUrl;
    }
  }
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: opts.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const finish = (code: number | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      // the group still exists (git or a helper holding its output is in it): its id is not reused
      killGroup();
      // a helper outside the group (it should not be) must not keep this process waiting either
      child.stdout.destroy();
      child.stderr.destroy();
      finish(null);
    }, opts.timeoutMs);
    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    });
    // 'close': git exited AND every process holding its output closed it (all output read)
    child.on('close', (code) => finish(code));
  });
}
