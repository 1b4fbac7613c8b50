/**
 * The Jenkins a command talks to: the real one (connection settings from flags, environment and
 * config file, resolved by the client's resolveConnectionSettings) or, with `--embedded DIR`, a
 * stand-in started in this process for the run, its state kept in DIR.
 */
import type { Argv } from 'yargs';
import { formatDiagnostic, hasErrors } from '../model/diagnostic.js';
import { UsageError } from '../model/errors.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import { JenkinsClient, type ClientOptions } from '../jenkins/jenkins-client.js';
import { resolveConnectionSettings } from '../jenkins/connection-settings.js';
import { startStandin } from '../standin/server.js';

export interface ConnectionArgs {
  'jenkins-url'?: string;
  user?: string;
  'token-file'?: string;
  config?: string;
  timeout?: number;
  retries?: number;
  'ca-file'?: string[];
  embedded?: string;
  concurrency?: number;
}

export function connectionOptions<T>(y: Argv<T>): Argv<T & ConnectionArgs> {
  return y
    .option('jenkins-url', { type: 'string', describe: 'Jenkins root URL (or JENKINS_URL, or jobsmith.yaml)' })
    .option('user', { type: 'string', describe: 'Jenkins user (or JENKINS_USER); the API token comes from JENKINS_API_TOKEN or --token-file' })
    .option('token-file', { type: 'string', describe: 'File holding the API token (first line)' })
    .option('config', { type: 'string', describe: 'Config file with non-secret settings (default ./jobsmith.yaml when present)' })
    .option('timeout', { type: 'number', describe: 'Seconds per request (default 30)' })
    .option('retries', { type: 'number', describe: 'Retries of safe requests after a transient failure (default 3)' })
    .option('ca-file', { type: 'string', array: true, describe: 'Extra CA certificates (PEM)' })
    .option('embedded', { type: 'string', describe: 'Use an in-process Jenkins stand-in whose state lives in this directory (no Jenkins needed)' })
    .conflicts('embedded', ['jenkins-url']) as unknown as Argv<T & ConnectionArgs>;
}

export function clientSettings(a: ConnectionArgs, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ClientOptions {
  const { settings, diagnostics } = resolveConnectionSettings({
    flags: {
      ...(a['jenkins-url'] !== undefined ? { jenkinsUrl: a['jenkins-url'] } : {}),
      ...(a.user !== undefined ? { user: a.user } : {}),
      ...(a['token-file'] !== undefined ? { tokenFile: a['token-file'] } : {}),
      ...(a.config !== undefined ? { config: a.config } : {}),
      ...(a.timeout !== undefined ? { timeout: a.timeout } : {}),
      ...(a.retries !== undefined ? { retries: a.retries } : {}),
      ...(a['ca-file'] !== undefined ? { caFile: a['ca-file'] } : {}),
      ...(a.concurrency !== undefined ? { concurrency: a.concurrency } : {}),
    },
    env,
    cwd,
  });
  for (const d of diagnostics.filter((x) => x.severity === 'warning')) process.stderr.write(formatDiagnostic(d) + '\n');
  if (!settings || hasErrors(diagnostics)) {
    throw new UsageError(diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic).join('\n') || 'no usable Jenkins connection settings');
  }
  return settings;
}

/** Run `fn` with a Jenkins API; the embedded stand-in (if any) is closed afterwards. */
export async function openJenkins<R>(a: ConnectionArgs, fn: (api: JenkinsApi, where: string) => Promise<R>): Promise<R> {
  if (a.embedded !== undefined) {
    const standin = await startStandin({ home: a.embedded, port: 0 });
    try {
      const api = new JenkinsClient({ url: standin.url + '/', concurrency: a.concurrency ?? 8 });
      try {
        return await fn(api, `Jenkins: embedded stand-in at ${standin.url}, state in ${a.embedded}`);
      } finally {
        await api.close();
      }
    } finally {
      await standin.close();
    }
  }
  const settings = clientSettings(a);
  const api = new JenkinsClient(settings);
  try {
    return await fn(api, `Jenkins: ${settings.url}`);
  } finally {
    await api.close();
  }
}
