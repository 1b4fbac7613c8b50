/**
 * Many controllers on the command line (docs/controllers.md): the controllers of jobsmith.yaml a
 * command talks to (all, or those named by `--controller NAME`, repeatable), each opened as a
 * client with its own settings, or with `--embedded DIR` as one stand-in per controller with its
 * home in DIR/<name>. Everything here is loaded only when a command runs.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ConnectionArgs } from './connection-options.js';
import type { ControllersConfig } from '../controllers/controllers-config.js';
import type { ControllerTarget } from '../sync/controllers-sync.js';
import type { JenkinsClient } from '../jenkins/jenkins-client.js';
import { SETTING_DEFAULTS } from '../jenkins/setting-ranges.js';

/** `controllers:` of the config file, or undefined (one implicit controller); bad settings: InputError (exit 1). */
export async function controllersConfig(a: ConnectionArgs, cwd: string = process.cwd()): Promise<ControllersConfig | undefined> {
  const { readControllers } = await import('../controllers/controllers-config.js');
  const { config, diagnostics } = readControllers({ cwd, ...(a.config !== undefined ? { config: a.config } : {}) });
  if (diagnostics.some((d) => d.severity === 'error')) {
    const { InputError } = await import('../model/errors.js');
    throw new InputError('the controllers in the config file have errors', diagnostics);
  }
  if (config && a['jenkins-url'] !== undefined) {
    const { UsageError } = await import('../model/errors.js');
    throw new UsageError(`--jenkins-url cannot be used with the controllers of ${config.file}: pick controllers with --controller NAME`);
  }
  // the single-Jenkins credentials: each controller has its own user and token-env in the config file
  const single = (['user', 'token-file'] as const).filter((f) => a[f] !== undefined);
  if (config && single.length > 0) {
    const { UsageError } = await import('../model/errors.js');
    throw new UsageError(`${single.map((f) => `--${f}`).join(' and ')} cannot be used with the controllers of ${config.file}: each controller's user and token-env are set there`);
  }
  if (!config && a.controller?.length) {
    const { UsageError } = await import('../model/errors.js');
    throw new UsageError('--controller needs a `controllers:` section in jobsmith.yaml (see docs/controllers.md)');
  }
  return config;
}

/** The controllers `--controller` names (checked, did-you-mean), else every configured one. */
export async function selectedControllers(a: ConnectionArgs, config: ControllersConfig): Promise<string[]> {
  const asked = [...new Set((a.controller ?? []).map(String))];
  const unknown = asked.filter((n) => !config.entries.has(n));
  if (unknown.length > 0) {
    const { didYouMean } = await import('../load/did-you-mean.js');
    const { UsageError } = await import('../model/errors.js');
    throw new UsageError(unknown.map((n) => `--controller ${n}: no such controller${didYouMean(n, config.names)} (known: ${config.names.join(', ')})`).join('; '));
  }
  return asked.length > 0 ? config.names.filter((n) => asked.includes(n)) : [...config.names];
}

export interface OpenedController extends ControllerTarget {
  api: JenkinsClient;
  url: string;
}

/**
 * Run `fn` with a client for each of `names` (all closed afterwards, stand-ins too). Settings of
 * every controller are checked first: one bad setting anywhere stops the command before any request.
 */
export async function openControllers<R>(a: ConnectionArgs, config: ControllersConfig, names: readonly string[], fn: (controllers: OpenedController[]) => Promise<R>, opts: { logger?: (controller: string, line: string) => void; env?: NodeJS.ProcessEnv } = {}): Promise<R> {
  const { JenkinsClient } = await import('../jenkins/jenkins-client.js');
  const opened: OpenedController[] = [];
  const closers: Array<() => Promise<void>> = [];
  try {
    if (a.embedded !== undefined) {
      const { checkDirectoryArg } = await import('./directory-arg.js');
      checkDirectoryArg(a.embedded, '--embedded');
      const { startStandin } = await import('../standin/server.js');
      // the config file's numbers are checked as for a real controller: a bad one is bad input (exit 1)
      const { SETTING_RANGES, describeRange, inRange } = await import('../jenkins/setting-ranges.js');
      const bad: import('../model/diagnostic.js').Diagnostic[] = [];
      for (const name of names) {
        const entry = config.entries.get(name)!;
        for (const key of ['concurrency', 'timeout', 'retries'] as const) {
          const v = entry[key];
          if (a[key] === undefined && v !== undefined && !inRange(v.value, SETTING_RANGES[key])) bad.push({ severity: 'error', code: 'bad-setting', message: `controllers.${name}.${key} must be ${describeRange(SETTING_RANGES[key])}`, ...v.at });
        }
      }
      if (bad.length > 0) {
        const { InputError } = await import('../model/errors.js');
        throw new InputError('no usable settings for the controllers', bad);
      }
      for (const name of names) {
        const home = path.join(a.embedded, name);
        mkdirSync(home, { recursive: true });
        const standin = await startStandin({ home, port: 0 });
        closers.push(() => standin.close());
        // the numbers apply as they would to the real controller (flags, else its entry in the config file)
        const entry = config.entries.get(name)!;
        const concurrency = a.concurrency ?? entry.concurrency?.value ?? SETTING_DEFAULTS.concurrency;
        const timeout = a.timeout ?? entry.timeout?.value;
        const retries = a.retries ?? entry.retries?.value;
        const logger = opts.logger;
        const api = new JenkinsClient({
          url: standin.url + '/',
          concurrency,
          ...(timeout !== undefined ? { timeoutMs: Math.round(timeout * 1000) } : {}),
          ...(retries !== undefined ? { retries } : {}),
          ...(logger ? { logger: (l: string) => logger(name, l) } : {}),
        });
        closers.push(() => api.close());
        opened.push({ name, api, url: standin.url + '/', where: `Jenkins ${name}: embedded stand-in at ${standin.url}, state in ${home}`, concurrency });
      }
    } else {
      const { controllerClientOptions } = await import('../controllers/controller-settings.js');
      const { connectionFlags } = await import('./connection-options.js');
      const { InputError } = await import('../model/errors.js');
      const flags = connectionFlags(a);
      const all = names.map((n) => ({ name: n, ...controllerClientOptions(config.entries.get(n)!, flags, opts.env ?? process.env, process.cwd()) }));
      const diagnostics = all.flatMap((x) => x.diagnostics);
      if (diagnostics.some((d) => d.severity === 'error')) throw new InputError('no usable settings for the controllers', diagnostics);
      for (const x of all) {
        const settings = x.settings!;
        const logger = opts.logger;
        if (logger) settings.logger = (l: string) => logger(x.name, l);
        const api = new JenkinsClient(settings);
        closers.push(() => api.close());
        opened.push({ name: x.name, api, url: settings.url, where: `Jenkins ${x.name}: ${settings.url}`, concurrency: settings.concurrency ?? SETTING_DEFAULTS.concurrency });
      }
    }
    return await fn(opened);
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

/**
 * `serve` and `create` with controllers: they talk to the controllers of `--controller` (default:
 * all), in parallel; a new project is synced on those it goes to. `home` is the one that answers
 * for "Jenkins" (the form's link, the create-job job's own parameters): the default controller when
 * it is among them, else the first.
 */
export async function openForProjects<R>(a: ConnectionArgs, config: ControllersConfig, fn: (home: OpenedController, targets: OpenedController[]) => Promise<R>): Promise<R> {
  const names = await selectedControllers(a, config);
  return openControllers(a, config, names, (cs) => fn(cs.find((c) => c.name === config.defaultName) ?? cs[0]!, cs));
}
