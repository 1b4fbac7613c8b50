/**
 * The Jenkins a command talks to: the real one (connection settings from flags, environment and
 * config file, resolved by the client's resolveConnectionSettings) or, with `--embedded DIR`, a
 * stand-in started in this process for the run, its state kept in DIR.
 */
import type { ConnectionArgs } from './connection-args.js';
import { formatDiagnostic, hasErrors } from '../model/diagnostic.js';
import { UsageError } from '../model/errors.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import { JenkinsClient, type ClientOptions } from '../jenkins/jenkins-client.js';
import { resolveConnectionSettings } from '../jenkins/connection-settings.js';

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
export type { ConnectionArgs };
export { connectionOptions } from './connection-args.js';

export async function openJenkins<R>(a: ConnectionArgs, fn: (api: JenkinsApi, where: string) => Promise<R>): Promise<R> {
  if (a.embedded !== undefined) {
    const { startStandin } = await import('../standin/server.js');
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
