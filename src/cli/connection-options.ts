/**
 * Connection flags for every command that talks to Jenkins, and their resolution into client
 * settings (flags > environment > config file; see src/jenkins/connection-settings.ts).
 * Flag names match src/sync/connection-args.ts, of which this is a superset (adds --proxy,
 * --no-proxy, --verbose).
 */
import type { Argv } from 'yargs';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ClientOptions } from '../jenkins/jenkins-client.js';
import { resolveConnectionSettings, type ConnectionFlags } from '../jenkins/connection-settings.js';

export interface ConnectionOptionArgs {
  'jenkins-url'?: string;
  user?: string;
  'token-file'?: string;
  config?: string;
  concurrency?: number;
  timeout?: number;
  retries?: number;
  'ca-file'?: string[];
  proxy?: string;
  'no-proxy'?: string;
  verbose?: boolean;
}

export function withConnectionOptions<T>(y: Argv<T>): Argv<T & ConnectionOptionArgs> {
  return y
    .option('jenkins-url', { type: 'string', describe: 'Jenkins root URL (or JENKINS_URL, or jenkins.url in jobsmith.yaml)' })
    .option('user', { type: 'string', describe: 'Jenkins user (or JENKINS_USER); the API token comes from JENKINS_API_TOKEN or --token-file' })
    .option('token-file', { type: 'string', describe: 'File holding the API token (first line)' })
    .option('config', { type: 'string', describe: 'Config file with non-secret settings (default ./jobsmith.yaml when present)' })
    .option('concurrency', { type: 'number', describe: 'Requests in flight at once (default 8)' })
    .option('timeout', { type: 'number', describe: 'Seconds per request (default 30)' })
    .option('retries', { type: 'number', describe: 'Retries of safe requests after a transient failure (default 3)' })
    .option('ca-file', { type: 'string', array: true, describe: 'Extra CA certificate file (PEM); repeatable' })
    .option('proxy', { type: 'string', describe: 'HTTP(S) proxy URL (default HTTPS_PROXY / HTTP_PROXY)' })
    .option('no-proxy', { type: 'string', describe: 'Hosts that bypass the proxy (default NO_PROXY)' })
    .option('verbose', { type: 'boolean', describe: 'Log every Jenkins request on stderr (credentials never shown)' }) as unknown as Argv<T & ConnectionOptionArgs>;
}

/** Map parsed arguments to the resolver's flags. */
export function connectionFlags(a: ConnectionOptionArgs): Partial<ConnectionFlags> {
  const f: Partial<ConnectionFlags> = {};
  if (a['jenkins-url'] !== undefined) f.jenkinsUrl = a['jenkins-url'];
  if (a.user !== undefined) f.user = a.user;
  if (a['token-file'] !== undefined) f.tokenFile = a['token-file'];
  if (a.config !== undefined) f.config = a.config;
  if (a.concurrency !== undefined) f.concurrency = a.concurrency;
  if (a.timeout !== undefined) f.timeout = a.timeout;
  if (a.retries !== undefined) f.retries = a.retries;
  if (a['ca-file'] !== undefined) f.caFile = a['ca-file'];
  if (a.proxy !== undefined) f.proxy = a.proxy;
  if (a['no-proxy'] !== undefined) f.noProxy = a['no-proxy'];
  return f;
}

/**
 * Client settings for a command: `settings` is undefined when a diagnostic is an error (print them
 * and exit 1). With --verbose, a logger writing to `stderr` is attached.
 */
export function connectionSettingsFromArgs(
  a: ConnectionOptionArgs,
  ctx: { env?: NodeJS.ProcessEnv; cwd?: string; stderr?: NodeJS.WritableStream } = {},
): { settings?: ClientOptions; diagnostics: Diagnostic[] } {
  const r = resolveConnectionSettings({ flags: connectionFlags(a), env: ctx.env ?? process.env, cwd: ctx.cwd ?? process.cwd() });
  if (r.settings && a.verbose) {
    const err = ctx.stderr ?? process.stderr;
    r.settings.logger = (line) => void err.write(`jenkins: ${line}\n`);
  }
  return r;
}
