/**
 * `jobsmith bootstrap`: create (or update) the master jobs on the target Jenkins: the sync job
 * (checks out the definitions repository, installs jobsmith, runs `jobsmith sync` on every change)
 * and the parameterized create-job job (runs `jobsmith create --from-env`), both rendered by
 * jobsmith from job-templates/jobsmith-*. Credentials are Jenkins credential ids, never secrets.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { printDiagnostics } from './print-diagnostics.js';
import { UsageError } from '../model/errors.js';
import { connectionOptions, type ConnectionArgs } from './connection-options.js';
import { EXIT } from './exit-codes.js';

interface BootstrapArgs extends ConnectionArgs {
  templates: string;
  'master-templates'?: string;
  repo?: string;
  branch?: string;
  'git-credentials'?: string;
  'jenkins-credentials'?: string;
  package?: string;
  poll?: string;
  'create-sync'?: string;
  set?: string[];
  folder?: string;
  'sync-job': string;
  'create-job': string;
  'dry-run': boolean;
  json: boolean;
}

/** The job-templates directory shipped with jobsmith (dist/cli/ -> ../../job-templates). */
export function shippedTemplatesDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../job-templates');
}

export const bootstrapCommand: CommandModule<object, BootstrapArgs> = {
  ...commandInfo('bootstrap'),
  builder: (y) =>
    connectionOptions(y)
      .option('templates', { type: 'string', default: 'job-templates', describe: 'Project templates (their sidecars give the create-job parameters)' })
      .option('master-templates', { type: 'string', describe: 'Where jobsmith-sync / jobsmith-create-job templates are (default: --templates if it has them, else the ones shipped with jobsmith)' })
      .option('repo', { type: 'string', describe: 'Definitions repository clone URL ($DEFINITIONS.REPO)' })
      .option('branch', { type: 'string', describe: 'Definitions branch ($DEFINITIONS.BRANCH, default main)' })
      .option('git-credentials', { type: 'string', describe: 'Jenkins credentials id for the definitions repository ($DEFINITIONS.CREDENTIALS)' })
      .option('jenkins-credentials', { type: 'string', describe: 'Jenkins credentials id (user + API token) jobsmith uses inside Jenkins ($JENKINS.CREDENTIALS)' })
      .option('package', { type: 'string', describe: 'npm spec to install jobsmith from ($JOBSMITH.PACKAGE, default jobsmith)' })
      .option('poll', { type: 'string', describe: 'SCM polling schedule of the sync job ($SYNC.POLL, default "H/5 * * * *")' })
      .option('create-sync', { type: 'string', describe: 'create-job: "now" (sync in the same build) or "master-job" ($CREATE.SYNC)' })
      .option('set', { type: 'string', array: true, describe: 'Any other token of the master-job templates, TOKEN=VALUE' })
      .option('folder', { type: 'string', describe: 'Folder to create the two jobs in' })
      .option('sync-job', { type: 'string', default: 'jobsmith-sync', describe: 'Name of the sync job' })
      .option('create-job', { type: 'string', default: 'create-job', describe: 'Name of the create-job job' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Render and show what would be done; change nothing' })
      .option('json', { type: 'boolean', default: false, describe: 'Print a JSON result on stdout' }) as unknown as Argv<BootstrapArgs>,
  handler: async (a) => {
    const { openJenkins } = await import('./connection-options.js');
    const { bootstrapMasterJobs, SYNC_TEMPLATE } = await import('../form/bootstrap.js');
    const { loadCatalog, standaloneRenderer } = await import('../form/render-checker.js');
    const { parameterNames } = await import('../form/jenkins-parameters.js');
    const masterDir =
      a['master-templates'] ?? (existsSync(path.join(a.templates, `${SYNC_TEMPLATE}-config.xml`)) ? a.templates : shippedTemplatesDir());
    const tokens: Record<string, string> = {};
    const put = (token: string, v: string | undefined): void => {
      if (Array.isArray(v)) throw new UsageError(`the option for $${token} was given more than once`);
      if (v !== undefined) tokens[token] = v;
    };
    put('DEFINITIONS.REPO', a.repo);
    put('DEFINITIONS.BRANCH', a.branch);
    put('DEFINITIONS.CREDENTIALS', a['git-credentials']);
    put('JENKINS.CREDENTIALS', a['jenkins-credentials']);
    put('JOBSMITH.PACKAGE', a.package);
    put('SYNC.POLL', a.poll);
    put('CREATE.SYNC', a['create-sync']);
    for (const s of a.set ?? []) {
      const i = s.indexOf('=');
      if (i <= 0) throw new UsageError(`--set takes TOKEN=VALUE, not "${s}"`);
      tokens[s.slice(0, i).replace(/^\$/, '')] = s.slice(i + 1);
    }
    const catalog = await loadCatalog(a.templates);
    const catalogErrors = catalog.diagnostics.filter((d) => d.severity === 'error');
    if (!catalog.value || catalogErrors.length) {
      printDiagnostics(catalogErrors);
      process.stderr.write('The templates have errors: nothing was changed in Jenkins.\n');
      process.exitCode = EXIT.badInput;
      return;
    }
    process.exitCode = await openJenkins(a, async ({ api, where }) => {
      if (!a.json) process.stderr.write(`${where}\n`);
      const outcome = await bootstrapMasterJobs({
        api,
        render: standaloneRenderer(masterDir),
        catalog: catalog.value!,
        tokens,
        syncJobName: a['sync-job'],
        createJobName: a['create-job'],
        ...(a.folder ? { folder: a.folder } : {}),
        dryRun: a['dry-run'],
      });
      if (outcome.kind === 'invalid') {
        if (a.json) process.stdout.write(JSON.stringify({ status: 'invalid', diagnostics: outcome.diagnostics }, null, 1) + '\n');
        else {
          printDiagnostics(outcome.diagnostics);
          process.stderr.write('Nothing was changed in Jenkins.\n');
        }
        return EXIT.badInput;
      }
      const params = parameterNames(catalog.value!).names;
      if (a.json) {
        process.stdout.write(
          JSON.stringify(
            {
              status: 'done',
              jobs: outcome.jobs.map((j) => ({ fullName: j.fullName, template: j.template, action: j.action })),
              parameters: { project: params.project, templates: Object.fromEntries(params.templates), tokens: Object.fromEntries(params.tokens) },
            },
            null,
            1,
          ) + '\n',
        );
      } else {
        printDiagnostics(outcome.diagnostics);
        for (const j of outcome.jobs) process.stdout.write(`${j.action.padEnd(13)}${j.fullName}  (from ${j.template})\n`);
        process.stdout.write(
          `create-job parameters: ${[params.project, ...params.templates.values(), ...params.tokens.values(), params.folder, params.view].join(', ')}\n`,
        );
      }
      return EXIT.ok;
    });
  },
};
