/**
 * The connection flags, defined once for every command that talks to Jenkins (plan, apply, sync,
 * backup, restore, import, bulk, serve, create, bootstrap, jenkins ping|list), and the Jenkins a
 * command talks to: the real one (settings from flags > environment > jobsmith.yaml, resolved by
 * src/jenkins/connection-settings.ts) or, with `--embedded DIR`, a stand-in started in this process.
 *
 * Bad settings (a URL that is not http(s), a query in it, no URL at all, a bad number in
 * jobsmith.yaml) are bad input: an InputError carrying every diagnostic, exit 1. A flag's value out
 * of range is a usage error (exit 2) caught while the command line is parsed.
 *
 * Only yargs types are imported at the top: building the command line stays fast; the client and
 * the stand-in are loaded when a command runs.
 */
import type { Argv } from 'yargs';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ClientOptions, JenkinsClient } from '../jenkins/jenkins-client.js';
import type { ConnectionFlags } from '../jenkins/connection-settings.js';
import { SETTING_DEFAULTS, SETTING_RANGES } from '../jenkins/setting-ranges.js';
import { checkNumberFlags } from './number-flags.js';

export interface ConnectionArgs {
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
  embedded?: string;
  /** Many controllers: limit the run to these controllers of jobsmith.yaml (docs/controllers.md). */
  controller?: string[];
}

const r = SETTING_RANGES;

export function connectionOptions<T>(y: Argv<T>): Argv<T & ConnectionArgs> {
  return y
    .option('jenkins-url', { type: 'string', describe: 'Jenkins root URL (or JENKINS_URL, or jenkins.url in jobsmith.yaml)' })
    .option('user', { type: 'string', describe: 'Jenkins user (or JENKINS_USER); the API token comes from JENKINS_API_TOKEN or --token-file' })
    .option('token-file', { type: 'string', describe: 'File holding the API token (first line)' })
    .option('config', { type: 'string', describe: 'Config file with non-secret settings (default ./jobsmith.yaml when present)' })
    .option('concurrency', { type: 'number', describe: `Requests in flight at once, ${r.concurrency.min}-${r.concurrency.max} (default ${SETTING_DEFAULTS.concurrency})` })
    .option('timeout', { type: 'number', describe: `Seconds per request, at most ${r.timeout.max} (default ${SETTING_DEFAULTS.timeout})` })
    .option('retries', { type: 'number', describe: `Retries of safe requests after a transient failure, ${r.retries.min}-${r.retries.max} (default ${SETTING_DEFAULTS.retries})` })
    .option('ca-file', { type: 'string', array: true, describe: 'Extra CA certificate file (PEM); repeatable' })
    .option('proxy', { type: 'string', describe: 'HTTP(S) proxy URL (default HTTPS_PROXY / HTTP_PROXY)' })
    .option('no-proxy', { type: 'string', describe: 'Hosts that bypass the proxy (default NO_PROXY)' })
    .option('embedded', { type: 'string', describe: 'Use an in-process Jenkins stand-in whose state lives in this directory (no Jenkins needed)' })
    .option('controller', { type: 'string', array: true, describe: 'Only this controller of jobsmith.yaml `controllers:` (repeatable; default: all, or the default controller for commands that talk to one)' })
    .conflicts('embedded', ['jenkins-url'])
    .check(checkNumberFlags({ concurrency: r.concurrency, timeout: r.timeout, retries: r.retries })) as unknown as Argv<T & ConnectionArgs>;
}

/** Map parsed arguments to the resolver's flags. */
export function connectionFlags(a: ConnectionArgs): Partial<ConnectionFlags> {
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

/** Client settings for a command; warnings are printed, errors thrown as one InputError (exit 1). */
export async function clientSettings(a: ConnectionArgs, ctx: { env?: NodeJS.ProcessEnv; cwd?: string; stderr?: NodeJS.WritableStream } = {}): Promise<ClientOptions> {
  const { resolveConnectionSettings } = await import('../jenkins/connection-settings.js');
  const { InputError } = await import('../model/errors.js');
  const { printDiagnostics } = await import('./print-diagnostics.js');
  // many controllers: the settings of the controller --controller names, else the default one
  const { controllersConfig, selectedControllers } = await import('./controller-options.js');
  const controllers = await controllersConfig(a, ctx.cwd);
  if (controllers) {
    const { controllerClientOptions } = await import('../controllers/controller-settings.js');
    const name = a.controller?.length ? (await selectedControllers(a, controllers))[0]! : controllers.defaultName;
    const r = controllerClientOptions(controllers.entries.get(name)!, connectionFlags(a), ctx.env ?? process.env, ctx.cwd ?? process.cwd());
    if (!r.settings) throw new InputError('no usable Jenkins connection settings', r.diagnostics);
    return r.settings;
  }
  const { settings, diagnostics } = resolveConnectionSettings({ flags: connectionFlags(a), env: ctx.env ?? process.env, cwd: ctx.cwd ?? process.cwd() });
  const errors: Diagnostic[] = diagnostics.filter((d) => d.severity === 'error');
  if (!settings || errors.length) throw new InputError('no usable Jenkins connection settings', diagnostics);
  printDiagnostics(diagnostics, ctx.stderr ?? process.stderr);
  return settings;
}

/**
 * With --embedded no URL or credentials are needed, but the numeric settings apply as they would
 * to a real Jenkins (flags, else the config file), and a config file with errors is bad input.
 */
export async function embeddedSettings(a: ConnectionArgs, ctx: { cwd?: string; stderr?: NodeJS.WritableStream } = {}): Promise<Pick<ClientOptions, 'concurrency' | 'timeoutMs' | 'retries'>> {
  const { resolveEmbeddedSettings } = await import('../jenkins/connection-settings.js');
  const { InputError } = await import('../model/errors.js');
  const { printDiagnostics } = await import('./print-diagnostics.js');
  const { settings, diagnostics } = resolveEmbeddedSettings({ flags: connectionFlags(a), cwd: ctx.cwd ?? process.cwd() });
  if (!settings) throw new InputError('the config file has errors', diagnostics);
  printDiagnostics(diagnostics, ctx.stderr ?? process.stderr);
  return settings;
}

/** What a command learns about the Jenkins it talks to. */
export interface Connection {
  api: JenkinsClient;
  /** "Jenkins: URL" (or the embedded stand-in and its directory), for a first line on stderr. */
  where: string;
  /** The Jenkins root URL, without credentials. */
  url: string;
  /** Requests in flight at once (flag, else jobsmith.yaml, else the default). */
  concurrency: number;
  /** Many controllers: the controller of jobsmith.yaml this is (absent: the one Jenkins). */
  controller?: { name: string; config: import('../controllers/controllers-config.js').ControllersConfig };
}

/**
 * Run `fn` with the Jenkins of the command line; the client (and the embedded stand-in, if any)
 * is closed afterwards. `logger` gets one line per request (jenkins ping --verbose).
 */
export async function openJenkins<R>(a: ConnectionArgs, fn: (c: Connection) => Promise<R>, opts: { logger?: (line: string) => void; cwd?: string } = {}): Promise<R> {
  const { JenkinsClient } = await import('../jenkins/jenkins-client.js');
  // many controllers (src/cli/controller-options.ts): a command that talks to one Jenkins talks to
  // the one --controller names, else the default controller
  const { controllersConfig, openControllers, selectedControllers } = await import('./controller-options.js');
  const controllers = await controllersConfig(a);
  if (controllers) {
    const names = a.controller?.length ? await selectedControllers(a, controllers) : [controllers.defaultName];
    if (names.length !== 1) {
      const { UsageError } = await import('../model/errors.js');
      throw new UsageError(`this command talks to one controller at a time: give one --controller (not ${names.join(', ')})`);
    }
    return openControllers(a, controllers, names, ([c]) => fn({ controller: { name: c!.name, config: controllers }, api: c!.api, where: a.embedded !== undefined ? c!.where : `Jenkins: ${c!.url} (controller ${c!.name})`, url: c!.url, concurrency: c!.concurrency }), opts.logger ? { logger: (_n, l) => opts.logger!(l) } : {});
  }
  if (a.embedded !== undefined) {
    const { checkDirectoryArg } = await import('./directory-arg.js');
    checkDirectoryArg(a.embedded, '--embedded');
    const settings = await embeddedSettings(a, opts.cwd !== undefined ? { cwd: opts.cwd } : {});
    const { startStandin } = await import('../standin/server.js');
    const standin = await startStandin({ home: a.embedded, port: 0 });
    try {
      const concurrency = settings.concurrency ?? SETTING_DEFAULTS.concurrency;
      const api = new JenkinsClient({ ...settings, url: standin.url + '/', concurrency, ...(opts.logger ? { logger: opts.logger } : {}) });
      try {
        return await fn({ api, where: `Jenkins: embedded stand-in at ${standin.url}, state in ${a.embedded}`, url: standin.url + '/', concurrency });
      } finally {
        await api.close();
      }
    } finally {
      await standin.close();
    }
  }
  const settings = await clientSettings(a, opts.cwd !== undefined ? { cwd: opts.cwd } : {});
  if (opts.logger) settings.logger = opts.logger;
  const api = new JenkinsClient(settings);
  try {
    return await fn({ api, where: `Jenkins: ${settings.url}`, url: settings.url, concurrency: settings.concurrency ?? SETTING_DEFAULTS.concurrency });
  } finally {
    await api.close();
  }
}
