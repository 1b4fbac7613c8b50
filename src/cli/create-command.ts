/**
 * `jobsmith create`: the command-line twin of the web form (and what the create-job Jenkins job
 * runs): write jobs/<project>.yaml, validate it with `jobsmith validate`'s code, commit, push, sync.
 */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { printDiagnostics } from './print-diagnostics.js';
import { InputError, UsageError } from '../model/errors.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import { connectionOptions, type ConnectionArgs } from './connection-options.js';
import type { SyncerControllers } from '../form/project-syncer.js';
import type { ProjectRequest } from '../form/project-request.js';
import { redactUrlsInText as redactUrls } from '../model/redact-url.js';
import type { CreateOutcome, ProjectSyncer } from '../form/self-service.js';
import { selfServiceOptions, type SelfServiceArgs } from '../form/self-service-options.js';
import type { GitIdentity } from '../form/definitions-store.js';
import { EXIT } from './exit-codes.js';

interface CreateArgs extends SelfServiceArgs, ConnectionArgs {
  project?: string;
  template?: string[];
  set?: string[];
  folder?: string;
  view?: string;
  author?: string;
  'from-env': boolean;
  json: boolean;
}

function parseSets(sets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const bad: string[] = [];
  for (const s of sets) {
    const i = s.indexOf('=');
    if (i <= 0) {
      bad.push(s);
      continue;
    }
    out[s.slice(0, i).trim().replace(/^\$\{?|\}$/g, '')] = s.slice(i + 1);
  }
  if (bad.length) throw new UsageError(`--set takes TOKEN=VALUE (e.g. --set SCM.PATH=https://svn/x), not ${bad.map((b) => `"${b}"`).join(', ')}`);
  return out;
}

function exitCodeOf(o: CreateOutcome): number {
  switch (o.kind) {
    case 'invalid':
    case 'exists':
      return EXIT.badInput;
    case 'busy':
    case 'failed':
      return EXIT.external;
    case 'created':
      return o.sync === 'deferred' || o.sync.ok ? EXIT.ok : EXIT.external;
  }
}

/** Paths in messages relative to the working directory, as the user would type them. */
function shown(d: Diagnostic): Diagnostic {
  if (d.file === undefined || !path.isAbsolute(d.file)) return d;
  const rel = path.relative(process.cwd(), d.file);
  const message = d.message.split(path.dirname(path.dirname(d.file)) + path.sep).join('');
  return { ...d, file: rel.startsWith('..') ? d.file : rel, message };
}

function report(o: CreateOutcome, json: boolean): void {
  if (json) {
    const base = { status: o.kind, exitCode: exitCodeOf(o) };
    if (o.kind === 'invalid') process.stdout.write(JSON.stringify({ ...base, diagnostics: o.diagnostics }, null, 1) + '\n');
    else if (o.kind === 'created') {
      const { text: _text, ...rest } = o;
      void _text;
      process.stdout.write(JSON.stringify({ ...base, ...rest, jobs: o.jobs.map((j) => ({ fullName: j.fullName, template: j.template })) }, null, 1) + '\n');
    } else process.stdout.write(JSON.stringify({ ...base, message: o.message }, null, 1) + '\n');
    return;
  }
  switch (o.kind) {
    case 'invalid':
      printDiagnostics(o.diagnostics.map(shown));
      process.stderr.write('Nothing was written or committed.\n');
      return;
    case 'exists':
    case 'busy':
      process.stderr.write(`error: ${o.message}. Nothing was written or committed.\n`);
      return;
    case 'failed':
      process.stderr.write(`error: ${o.message}\n`);
      return;
    case 'created': {
      printDiagnostics(o.warnings.map(shown));
      process.stdout.write(`Committed ${o.file} as ${o.commit.slice(0, 12)} on ${o.branch}${o.pushed ? ' and pushed' : ' (not pushed)'}${o.retried ? ' after catching up with the remote' : ''}.\n`);
      if (o.sync === 'deferred') {
        process.stdout.write('The sync master job will create:\n');
        for (const j of o.jobs) process.stdout.write(`  ${j.fullName}\n`);
        return;
      }
      for (const j of o.sync.jobs) process.stdout.write(`  ${j.action.padEnd(9)} ${j.fullName}${j.url ? `  ${j.url}` : ''}${j.error ? `  (${j.error})` : ''}\n`);
      if (!o.sync.ok) process.stderr.write(`error: ${o.sync.message ?? 'some jobs could not be created'}\n`);
    }
  }
}

export const createCommand: CommandModule<object, CreateArgs> = {
  ...commandInfo('create'),
  builder: (y) =>
    connectionOptions(selfServiceOptions(y))
      .option('project', { type: 'string', describe: 'Project name (jobs are named <project>-<template>)' })
      .option('template', { type: 'string', array: true, describe: 'Template to use (repeatable)' })
      .option('set', { type: 'string', array: true, describe: 'Token value TOKEN=VALUE (repeatable)' })
      .option('folder', { type: 'string', describe: 'Folder for the jobs' })
      .option('view', { type: 'string', describe: 'List view for the jobs' })
      .option('author', { type: 'string', describe: 'Commit author "Name <email>" (default: the committer)' })
      .option('from-env', {
        type: 'boolean',
        default: false,
        describe: 'Read the request from the create-job job\'s build parameters (JOBSMITH_PROJECT, JOBSMITH_TEMPLATE_<T>, token parameters); flags override',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print a JSON result on stdout' }) as unknown as Argv<CreateArgs>,
  handler: async (a) => {
    const { openJenkins, clientSettings } = await import('./connection-options.js');
    const { requestFromEnv } = await import('../form/env-request.js');
    const { parameterNames } = await import('../form/jenkins-parameters.js');
    const { projectSyncer } = await import('../form/project-syncer.js');
    const { renderChecker } = await import('../form/render-checker.js');
    const { createProject } = await import('../form/self-service.js');
    const { buildUser } = await import('../form/build-user.js');
    const { parameterDefaults } = await import('../xml/parameter-defaults.js');
    const { openStore, parseIdentity, readFormSettings, selfServicePaths } = await import('../form/self-service-setup.js');
    for (const k of ['project', 'folder', 'view', 'author', 'definitions', 'identity'] as const) {
      if (Array.isArray(a[k])) throw new UsageError(`--${k} was given more than once`);
    }
    const paths = selfServicePaths(a);
    const file = readFormSettings(a.config, process.cwd());
    const syncMode = a.sync ?? file.sync ?? 'now';
    const store = await openStore(a, paths);
    const checker = renderChecker(paths);
    const catalogChecked = await checker.catalog();
    const errors = catalogChecked.diagnostics.filter((d) => d.severity === 'error');
    if (!catalogChecked.value || errors.length) {
      printDiagnostics(errors.map(shown));
      process.stderr.write('The templates have errors: nothing was written or committed.\n');
      process.exitCode = EXIT.badInput;
      return;
    }
    const catalog = catalogChecked.value;
    const names = a['from-env'] ? parameterNames(catalog) : undefined;
    if (names?.diagnostics.length) throw new InputError('the templates give clashing parameter names', names.diagnostics);
    if (!a['from-env'] && (a.project === undefined || a.project === '' || !a.template?.length)) {
      throw new UsageError('create needs --project and at least one --template (or --from-env)');
    }
    const sets = a.set?.length ? parseSets(a.set) : {};

    const run = async (api: JenkinsApi | undefined, jenkinsUrl: string, concurrency?: number, controllers?: SyncerControllers): Promise<number> => {
      let request: ProjectRequest = { project: '', templates: [], tokens: {} };
      let author: GitIdentity | undefined = a.author ? parseIdentity(a.author, '--author') : undefined;
      if (names) {
        // What the create-job job's form showed: a value left at its default is not the user's choice.
        let shown: Map<string, string> | undefined;
        const job = process.env['JOB_NAME']?.trim();
        if (api && job) {
          try {
            shown = parameterDefaults(await api.getConfig(job));
          } catch (err) {
            if (!a.json) process.stderr.write(`warning: cannot read the parameters of ${job} (${redactUrls((err as Error).message)}); values equal to the current defaults are left out\n`);
          }
        }
        request = requestFromEnv(process.env, catalog, names.names, shown);
        if (!author) {
          const who = await buildUser(process.env, api, file.access?.authorEmail);
          if (who.author) author = who.author;
          else if (!a.json && process.env['JOB_NAME']) process.stderr.write(`note: commit authored by the committer: ${redactUrls(who.source)}\n`);
        }
      }
      if (a.project !== undefined) request.project = a.project;
      if (a.template?.length) request.templates = a.template;
      if (a.set?.length) request.tokens = { ...request.tokens, ...sets };
      if (a.folder !== undefined) request.folder = a.folder;
      if (a.view !== undefined) request.view = a.view;
      const syncer: ProjectSyncer | undefined = api ? projectSyncer(api, paths, { jenkinsUrl, ...(concurrency !== undefined ? { concurrency } : {}), ...(controllers ? { controllers } : {}) }) : undefined;
      // Ctrl-C, or Jenkins aborting the create-job build (SIGTERM): say where things stand. The
      // submission's locks record this process, so the next create (or the form) takes them over
      // at once and undoes a file this one wrote but did not commit.
      const stop = (signal: NodeJS.Signals): void => {
        process.stderr.write(
          `\ninterrupted (${signal}): the submission of project "${request.project}" stopped before it finished; what was already pushed stays, ` +
            'anything not yet committed is undone by the next create or form submission (run create again; "already exists" means it was pushed)\n',
        );
        process.exit(signal === 'SIGINT' ? EXIT.interrupted : 143);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const outcome = await createProject(
        { checker, store, ...(syncer ? { syncer } : {}), deferSync: syncMode === 'master-job', via: a['from-env'] ? 'the create-job job' : 'jobsmith create' },
        catalog,
        request,
        author,
        { strictTokens: !a['from-env'] },
      );
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      report(outcome, a.json);
      return exitCodeOf(outcome);
    };
    // Jenkins is asked before committing (a job name held by a job jobsmith may not change is
    // refused); with --sync master-job and no Jenkins settings at all, only the definitions are checked.
    let canReachJenkins = a.embedded !== undefined || syncMode === 'now';
    if (!canReachJenkins) {
      try {
        await clientSettings(a);
        canReachJenkins = true;
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        if (!a.json) process.stderr.write('warning: no Jenkins connection settings: job names are not checked against Jenkins before committing (the sync master job reports collisions)\n');
      }
    }
    if (!canReachJenkins) {
      process.exitCode = await run(undefined, '');
      return;
    }
    // many controllers (docs/controllers.md): the new project is synced on each controller of the run it goes to
    const { controllersConfig, openForProjects } = await import('./controller-options.js');
    const controllers = await controllersConfig(a);
    if (controllers) {
      process.exitCode = await openForProjects(a, controllers, (home, targets) => run(home.api, home.url, home.concurrency, { config: controllers, targets }));
      return;
    }
    process.exitCode = await openJenkins(a, ({ api, url, concurrency }) => run(api, url, concurrency));
  },
};
