/**
 * `jobsmith serve`: the self-service create-job web form. Pages are generated from the templates
 * and their sidecars; a submission is validated with `jobsmith validate`'s code, committed and
 * pushed to the definitions repository, then synced (or left to the sync master job). With a
 * Jenkins to talk to, it also takes push webhooks at /hooks/<provider> (src/hooks/, docs/webhooks.md).
 */
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { connectionOptions, type ConnectionArgs } from './connection-options.js';
import { checkNumberFlags, PORT_RANGE, STOP_TIMEOUT_RANGE } from './number-flags.js';
import { listening } from './listen-error.js';
import type { AccessControl } from '../form/form-server.js';
import type { ProjectSyncer } from '../form/self-service.js';
import { selfServiceOptions, type SelfServiceArgs } from '../form/self-service-options.js';
import type { FormRoute } from '../form/form-route.js';
import type { HookService, UnservedEvent } from '../hooks/hook-service.js';
import type { HookRunnerOptions } from '../hooks/hook-runner.js';
import { archivePolicyFrom, withArchiveOption, type ArchiveArgs } from './archive-options.js';
import { EXIT } from './exit-codes.js';

interface ServeArgs extends SelfServiceArgs, ConnectionArgs, ArchiveArgs {
  port?: number;
  host?: string;
  allow?: string[];
  'user-header'?: string;
  'allowed-host'?: string[];
  'stop-timeout'?: number;
}

/** How long stopping serves the webhook events already answered queued, by default (`--stop-timeout`, seconds). */
const DEFAULT_STOP_SECONDS = 30;

/**
 * SIGINT / SIGTERM: `stopping` resolves at the first; `again` aborts at the second (stop at once).
 * The handlers stay until `dispose`, so a second signal never kills the process mid-way.
 */
function signals(): { stopping: Promise<NodeJS.Signals>; again: AbortSignal; dispose(): void } {
  const again = new AbortController();
  let first: ((s: NodeJS.Signals) => void) | undefined;
  const stopping = new Promise<NodeJS.Signals>((resolve) => (first = resolve));
  let seen = 0;
  const on = (s: NodeJS.Signals): void => {
    seen++;
    if (seen === 1) first!(s);
    else again.abort();
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return {
    stopping,
    again: again.signal,
    dispose: () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}

/** Printable on one line: control characters of a (signed, but foreign) payload's names replaced. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** The events stopping left unserved, one line each: id, repository short name, refs (no secrets). */
function unservedText(left: readonly UnservedEvent[]): string {
  const lines = left.map((e) => {
    const refs = e.refs.map((r) => `${oneLine(r.ref)} (${r.kind})`).join(', ') || '(no ref)';
    return `  ${e.id}  ${oneLine(e.repo) || '(no name)'}  ${refs}${e.status === 'running' ? '  [its sync was running: it may be partly applied]' : ''}`;
  });
  const n = left.length;
  return (
    `error: serve stopped before ${n === 1 ? '1 webhook event it had answered queued was' : `${n} webhook events it had answered queued were`} synced ` +
    `(the git server will not send ${n === 1 ? 'it' : 'them'} again: the sync master job's next run catches up, or redeliver from the git server):\n${lines.join('\n')}\n`
  );
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  ...commandInfo('serve'),
  builder: (y) =>
    withArchiveOption(connectionOptions(selfServiceOptions(y)), 'Show this build archive at /archive (default: archive.dir in jobsmith.yaml)')
      .option('port', { type: 'number', describe: 'Port to listen on (default 8080; 0: any free port)' })
      .option('host', { type: 'string', describe: 'Address to listen on (default 127.0.0.1; put a reverse proxy in front for others)' })
      .option('allowed-host', {
        type: 'string',
        array: true,
        describe: 'Host names the form answers to besides IP addresses, localhost and --host (the name behind a reverse proxy; ".corp.example": every subdomain; "*": any). Others get 421',
      })
      .option('allow', { type: 'string', array: true, describe: 'Users who may create jobs (needs --user-header); "*" = any signed-in user' })
      .option('user-header', { type: 'string', describe: 'Request header carrying the signed-in user, set by the reverse proxy (e.g. X-Forwarded-User)' })
      .option('stop-timeout', {
        type: 'number',
        describe: `When stopped (SIGTERM, Ctrl-C): serve the webhook events already answered queued, and the running sync, for at most this many seconds (default ${DEFAULT_STOP_SECONDS}; 0: none; a second signal stops at once). Any left are printed, exit 3`,
      })
      .check(checkNumberFlags({ port: PORT_RANGE, 'stop-timeout': STOP_TIMEOUT_RANGE })) as unknown as Argv<ServeArgs>,
  handler: async (a) => {
    const { openJenkins, clientSettings } = await import('./connection-options.js');
    const { allowedHostProblem } = await import('../form/host-check.js');
    const { UsageError } = await import('../model/errors.js');
    for (const h of a['allowed-host'] ?? []) {
      const problem = allowedHostProblem(String(h));
      if (problem) throw new UsageError(`--allowed-host: ${problem}`);
    }
    const { InputError } = await import('../model/errors.js');
    const { startFormServer } = await import('../form/form-server.js');
    const { projectSyncer } = await import('../form/project-syncer.js');
    const { renderChecker } = await import('../form/render-checker.js');
    const { openStore, readFormSettings, selfServicePaths } = await import('../form/self-service-setup.js');
    const archive = await archivePolicyFrom(a);
    if (!archive.ok) {
      process.exitCode = EXIT.badInput;
      return;
    }
    const routes: FormRoute[] = [];
    if (archive.policy) {
      const { archiveRoutes } = await import('../form/archive-routes.js');
      const { FsArchiveStore } = await import('../archive/fs-archive-store.js');
      routes.push(archiveRoutes(new FsArchiveStore(archive.policy.dir)));
    }
    const paths = selfServicePaths(a);
    const file = readFormSettings(a.config, process.cwd());
    const syncMode = a.sync ?? file.sync ?? 'now';
    const access: AccessControl = { ...(file.access ?? {}) };
    if (a.allow) access.allow = a.allow;
    if (a['user-header']) access.userHeader = a['user-header'];
    const store = await openStore(a, paths);
    const checker = renderChecker(paths);
    const listen = { host: a.host ?? file.host ?? '127.0.0.1', port: a.port ?? file.port ?? 8080 };

    const serve = async (syncer: ProjectSyncer | undefined, jenkinsUrl: string, note?: string, hooks?: HookService): Promise<void> => {
      if (hooks) {
        const { hookRoutes } = await import('../form/hook-routes.js');
        routes.push(hookRoutes(hooks));
      }
      const server = await listening(listen.host, listen.port, () =>
        startFormServer(
        {
          checker,
          store,
          ...(syncer ? { syncer } : {}),
          deferSync: syncMode === 'master-job',
          via: 'the web form',
          definitionsLabel: `${paths.jobsRel}/ (pushed to ${a.remote})`,
          jenkinsUrl,
          ...(Object.keys(access).length ? { access } : {}),
          ...(routes.length ? { routes } : {}),
          allowedHosts: [...(file.allowedHosts ?? []), ...(a['allowed-host'] ?? [])],
        },
        listen,
        ),
      );
      process.stdout.write(`listening on ${server.url}\n`);
      process.stdout.write(`jobsmith form: ${server.url}/ (jobs ${syncMode === 'now' ? 'created at once' : 'left to the sync master job'}; Ctrl-C stops)\n`);
      if (archive.policy) process.stdout.write(`build archive: ${server.url}/archive (${archive.policy.dir})\n`);
      if (hooks) {
        process.stdout.write(`webhooks: ${server.url}/hooks/{github,gitlab,gitea,bitbucket} (events: ${server.url}/hooks/status)\n`);
        const { PROVIDERS } = await import('../hooks/hook-event.js');
        const { hookSecrets, SECRET_VARIABLE } = await import('../hooks/hook-secret.js');
        const secrets = hookSecrets(process.env);
        const missing = PROVIDERS.filter((p) => secrets[p] === undefined);
        if (missing.length > 0) process.stderr.write(`warning: no webhook secret for ${missing.join(', ')} (set ${SECRET_VARIABLE}): their events are refused (401)\n`);
      }
      if (note) process.stderr.write(`${note}\n`);
      const sig = signals();
      try {
        await sig.stopping;
        await server.close();
        if (hooks) {
          const seconds = a['stop-timeout'] ?? DEFAULT_STOP_SECONDS;
          const waiting = hooks.unserved;
          if (waiting > 0 && seconds > 0) {
            process.stderr.write(`stopping: serving the ${waiting === 1 ? 'webhook event' : `${waiting} webhook events`} already answered queued first (at most ${seconds} s; stop again to quit at once)\n`);
          }
          const left = await hooks.close({ waitMs: seconds * 1000, signal: sig.again });
          if (left.length > 0) {
            process.stderr.write(unservedText(left));
            process.exitCode = EXIT.external;
          }
        }
      } finally {
        sig.dispose();
      }
    };
    // Jenkins is asked before every commit (job names held by jobs jobsmith may not change are
    // refused); with --sync master-job and no Jenkins settings at all, only the definitions are checked.
    if (syncMode === 'master-job' && a.embedded === undefined) {
      try {
        await clientSettings(a);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        return serve(undefined, '', 'warning: no Jenkins connection settings: job names are not checked against Jenkins before committing (the sync master job reports collisions)');
      }
    }
    // webhooks: push events sync the projects naming the repository (src/hooks/)
    const startHooks = async (api: import('../model/jenkins-api.js').JenkinsApi, concurrency: number, controllers?: HookRunnerOptions['controllers']): Promise<HookService> => {
      const { HookService } = await import('../hooks/hook-service.js');
      const { hookSecrets } = await import('../hooks/hook-secret.js');
      const { definitionsCatalog } = await import('../hooks/hook-catalog.js');
      const { hookRunner } = await import('../hooks/hook-runner.js');
      const catalog = definitionsCatalog({ dir: paths.dir, templatesDir: paths.templatesDir, jobsDir: paths.jobsDir, remote: a.remote });
      return new HookService({
        secrets: hookSecrets(process.env),
        catalog,
        runner: hookRunner({
          api,
          dir: paths.dir,
          templatesDir: paths.templatesDir,
          jobsDir: paths.jobsDir,
          remote: a.remote,
          ...(a.branch ? { branch: a.branch } : {}),
          buildOnCreate: catalog.buildOnCreate,
          ...(a.config !== undefined ? { config: a.config } : {}),
          concurrency,
          ...(archive.policy ? { archive: archive.policy } : {}),
          ...(controllers ? { controllers } : {}),
        }),
      });
    };
    // many controllers (docs/controllers.md): serve talks to the controllers of --controller (default
    // all); the form syncs a new project on those it goes to, a push event syncs on each of them
    const { controllersConfig, openForProjects } = await import('./controller-options.js');
    const controllers = await controllersConfig(a);
    if (controllers) {
      await openForProjects(a, controllers, async (home, targets) => {
        for (const t of targets) process.stderr.write(`${t.where}\n`);
        const hooks = await startHooks(home.api, home.concurrency, { config: controllers, targets });
        await serve(projectSyncer(home.api, paths, { jenkinsUrl: home.url, concurrency: home.concurrency, controllers: { config: controllers, targets }, ...(archive.policy ? { archive: archive.policy } : {}) }), home.url, undefined, hooks);
      });
      return;
    }
    await openJenkins(a, async ({ api, where, url, concurrency }) => {
      process.stderr.write(`${where}\n`);
      const hooks = await startHooks(api, concurrency);
      await serve(projectSyncer(api, paths, { jenkinsUrl: url, concurrency, ...(archive.policy ? { archive: archive.policy } : {}) }), url, undefined, hooks);
    });
  },
};
