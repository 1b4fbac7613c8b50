/**
 * `jobsmith jenkins ping|list`: check a connection (version, identity, CSRF) and show what the
 * one-request listing sees. Small diagnostics for setting up jobsmith against a Jenkins; with
 * controllers, each controller of the run in parallel (docs/controllers.md).
 */
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import type { JenkinsClient } from '../jenkins/jenkins-client.js';
import { printJson } from './print-diagnostics.js';
import { connectionOptions, openJenkins, type ConnectionArgs } from './connection-options.js';

interface Args extends ConnectionArgs {
  json?: boolean;
  verbose?: boolean;
}

function withClient(a: Args, fn: (c: JenkinsClient, url: string) => Promise<void>): Promise<void> {
  const logger = a.verbose ? (line: string) => void process.stderr.write(`jenkins: ${line}\n`) : undefined;
  return openJenkins(a, ({ api, url }) => fn(api, url), logger ? { logger } : {});
}

const options = (y: Argv<object>, json: string): Argv<Args> =>
  connectionOptions(y)
    .option('json', { type: 'boolean', describe: json })
    .option('verbose', { type: 'boolean', describe: 'Log every Jenkins request on stderr (credentials never shown)' }) as Argv<Args>;

const ping: CommandModule<object, Args> = {
  command: 'ping',
  describe: 'Check the connection: Jenkins version, who you are authenticated as, request time',
  builder: (y) => options(y, 'Print JSON'),
  handler: async (a) => {
    const { controllersConfig } = await import('./controller-options.js');
    const controllers = await controllersConfig(a);
    if (controllers) return pingControllers(a, controllers);
    return withClient(a, async (c, url) => {
      const started = performance.now();
      const version = await c.version();
      const me = await c.whoAmI();
      const ms = Math.round(performance.now() - started);
      if (a.json) printJson({ url, version, user: me.name, anonymous: me.anonymous, authorities: me.authorities, ms });
      else process.stdout.write(`Jenkins ${version} at ${url}\n${me.anonymous ? 'anonymous (no credentials)' : `authenticated as ${me.name}`}\n${ms} ms\n`);
    });
  },
};

/** One controller's answer to a `jenkins` subcommand run over many controllers. */
type PerController<T> = { controller: string; url: string } & ({ ok: true; value: T } | { ok: false; error: string });

/**
 * Many controllers: run `work` on each selected controller (default: all) in parallel; one that
 * fails does not hide the others (its error is in its result). `report` gets them all, in order.
 */
async function onEachController<T>(
  a: Args,
  config: import('../controllers/controllers-config.js').ControllersConfig,
  work: (api: import('../model/jenkins-api.js').JenkinsApi) => Promise<T>,
  report: (results: Array<PerController<T>>) => void,
): Promise<void> {
  const { openControllers, selectedControllers } = await import('./controller-options.js');
  const names = await selectedControllers(a, config);
  const logger = a.verbose ? (name: string, line: string) => void process.stderr.write(`jenkins ${name}: ${line}\n`) : undefined;
  await openControllers(
    a,
    config,
    names,
    async (cs) => {
      report(
        await Promise.all(
          cs.map(async (c): Promise<PerController<T>> => {
            try {
              return { controller: c.name, url: c.url, ok: true, value: await work(c.api) };
            } catch (err) {
              return { controller: c.name, url: c.url, ok: false, error: err instanceof Error ? err.message : String(err) };
            }
          }),
        ),
      );
    },
    logger ? { logger } : {},
  );
}

/** Many controllers: ping each selected controller in parallel; one unreachable one does not hide the others (exit 3). */
async function pingControllers(a: Args, config: import('../controllers/controllers-config.js').ControllersConfig): Promise<void> {
  const { EXIT } = await import('./exit-codes.js');
  await onEachController(
    a,
    config,
    async (api) => {
      const started = performance.now();
      const version = await api.version();
      const me = await api.whoAmI();
      return { version, user: me.name, anonymous: me.anonymous, authorities: me.authorities, ms: Math.round(performance.now() - started) };
    },
    (answers) => {
      const results = answers.map((r) => (r.ok ? { controller: r.controller, url: r.url, ok: true as const, ...r.value } : { controller: r.controller, url: r.url, ok: false as const, error: r.error }));
      if (a.json) printJson({ controllers: results });
      else {
        for (const r of results) {
          if (r.ok) process.stdout.write(`${r.controller}: Jenkins ${r.version} at ${r.url}, ${r.anonymous ? 'anonymous (no credentials)' : `authenticated as ${r.user}`}, ${r.ms} ms\n`);
          else process.stdout.write(`${r.controller}: FAILED at ${r.url}: ${r.error}\n`);
        }
      }
      if (results.some((r) => !r.ok)) process.exitCode = EXIT.external;
    },
  );
}

/** One listing as text: an item a line, a view a line, then the counts (the one-Jenkins output). */
function listingText(state: import('../model/observed.js').ObservedState): string {
  let out = '';
  for (const i of state.items) {
    const flags = [i.isFolder ? 'folder' : (i.color ?? ''), i.building ? 'building' : ''].filter(Boolean).join(', ');
    out += `${i.fullName}\t${i.className}\t${flags}\n`;
  }
  for (const v of state.views) out += `view ${[...v.folder, v.name].join('/')}\t${v.className}\t${v.jobs.length} job(s)\n`;
  return out + counts(state) + '\n';
}

const counts = (state: import('../model/observed.js').ObservedState): string => `${state.items.length} item(s), ${state.views.length} view(s)`;

const list: CommandModule<object, Args> = {
  command: 'list',
  describe: 'List every item and view Jenkins has (one api/json?tree= request; with controllers, each controller)',
  builder: (y) => options(y, 'Print the listing as JSON'),
  handler: async (a) => {
    const { controllersConfig } = await import('./controller-options.js');
    const controllers = await controllersConfig(a);
    if (controllers) return listControllers(a, controllers);
    return withClient(a, async (c) => {
      const state = await c.list();
      if (a.json) return printJson(state);
      process.stdout.write(listingText(state));
    });
  },
};

/**
 * Many controllers: list each selected controller (default: all) in parallel, grouped per
 * controller; one that cannot be listed does not hide the others: the run exits 3 after a
 * per-controller summary. `--json`: every item and view carries its `controller`.
 */
async function listControllers(a: Args, config: import('../controllers/controllers-config.js').ControllersConfig): Promise<void> {
  const { EXIT } = await import('./exit-codes.js');
  const { printable } = await import('./printable.js');
  const { redactUrl } = await import('../model/redact-url.js');
  await onEachController(
    a,
    config,
    (api) => api.list(),
    (answers) => {
      const results = answers.map((r) => (r.ok ? { controller: r.controller, url: redactUrl(r.url), ok: true as const, state: r.value } : { controller: r.controller, url: redactUrl(r.url), ok: false as const, error: r.error }));
      const failed = results.some((r) => !r.ok);
      if (a.json) {
        printJson({
          exitCode: failed ? EXIT.external : EXIT.ok,
          controllers: results.map((r) =>
            r.ok
              ? { controller: r.controller, url: r.url, status: 'listed', exitCode: EXIT.ok, items: r.state.items.length, views: r.state.views.length, ...(r.state.session !== undefined ? { session: r.state.session } : {}) }
              : { controller: r.controller, url: r.url, status: 'failed', exitCode: EXIT.external, error: r.error },
          ),
          items: results.flatMap((r) => (r.ok ? r.state.items.map((i) => ({ controller: r.controller, ...i })) : [])),
          views: results.flatMap((r) => (r.ok ? r.state.views.map((v) => ({ controller: r.controller, ...v })) : [])),
        });
      } else {
        let out = '';
        for (const r of results) {
          out += `\n== controller ${r.controller} ==\n`;
          out += r.ok ? listingText(r.state) : `error: ${printable(r.error)}\n`;
        }
        process.stdout.write(out);
        const width = Math.max(...results.map((r) => r.controller.length));
        const summary = results.map((r) => `  ${r.controller.padEnd(width)}  ${r.ok ? `ok: ${counts(r.state)}` : `FAILED at ${r.url}: ${printable(r.error)}`}\n`).join('');
        (failed ? process.stderr : process.stdout).write(`\nControllers:\n${summary}`);
      }
      if (failed) process.exitCode = EXIT.external;
    },
  );
}

export const jenkinsCommand: CommandModule<object, object> = {
  ...commandInfo('jenkins'),
  builder: (y) => y.command(ping).command(list).demandCommand(1),
  handler: () => {},
};
