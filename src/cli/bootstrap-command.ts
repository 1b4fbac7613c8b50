/**
 * `jobsmith bootstrap`: create (or update) the master jobs on the target Jenkins: the sync job
 * (checks out the definitions repository, installs the jobsmith its package-lock.json pins with
 * `npm ci`, runs `jobsmith sync` on every change) and the parameterized create-job job (runs
 * `jobsmith create --from-env`), both rendered by jobsmith from job-templates/jobsmith-*.
 * Credentials are Jenkins credential ids, never secrets.
 *
 * `jobsmith bootstrap --init` writes the pin first: package.json + package-lock.json in the
 * definitions repository, jobsmith at one exact version (or tarball with integrity, or git commit).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { printDiagnostics } from './print-diagnostics.js';
import { InputError, UsageError } from '../model/errors.js';
import { connectionOptions, type ConnectionArgs } from './connection-options.js';
import { redactUrlsInText as redactUrls } from '../model/redact-url.js';
import { EXIT } from './exit-codes.js';

interface BootstrapArgs extends ConnectionArgs {
  init: boolean;
  definitions: string;
  templates?: string;
  jobs?: string;
  'package-integrity'?: string;
  'master-templates'?: string;
  repo?: string;
  branch?: string;
  'git-credentials'?: string;
  'jenkins-credentials'?: string;
  'controller-credentials'?: string[];
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

/** The version of this jobsmith (the default pin of `--init`). */
function ownVersion(): string {
  const pkg = JSON.parse(readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** The flag (as the user types it) that sets each master-job token. */
const TOKEN_FLAGS: Record<string, string> = {
  'DEFINITIONS.REPO': '--repo',
  'DEFINITIONS.BRANCH': '--branch',
  'DEFINITIONS.CREDENTIALS': '--git-credentials',
  'JENKINS.CREDENTIALS': '--jenkins-credentials',
  'JENKINS.CONTROLLER_CREDENTIALS': '--controller-credentials',
  'JOBSMITH.PACKAGE': '--package',
  'SYNC.POLL': '--poll',
  'CREATE.SYNC': '--create-sync',
};

/** The variables the shipped master jobs bind from `--jenkins-credentials` (usernamePassword). */
const MASTER_JOB_VARIABLES = ['JENKINS_USER', 'JENKINS_API_TOKEN'];

/**
 * Many controllers (docs/controllers.md): the master jobs run `jobsmith sync` / `create` for the
 * controllers of jobsmith.yaml, each reading its API token from the variable its `token-env` names.
 * `--controller-credentials NAME=ID` binds that variable from a Jenkins credential (secret text);
 * every controller with `token-env` needs one. Undefined without controllers (the token stays empty).
 */
async function controllerBindings(a: BootstrapArgs): Promise<string | undefined> {
  const { controllersConfig } = await import('./controller-options.js');
  const config = await controllersConfig({ ...a, controller: [] });
  const given = a['controller-credentials'] ?? [];
  if (!config) {
    if (given.length > 0) throw new UsageError('--controller-credentials needs a `controllers:` section in jobsmith.yaml (see docs/controllers.md)');
    return undefined;
  }
  const { didYouMean } = await import('../load/did-you-mean.js');
  const ids = new Map<string, string>();
  const problems: string[] = [];
  for (const g of given) {
    const i = g.indexOf('=');
    const name = i > 0 ? g.slice(0, i) : '';
    const id = i > 0 ? g.slice(i + 1) : '';
    if (!name || !id) problems.push(`--controller-credentials takes NAME=ID (a controller and a Jenkins credential id), not "${redactUrls(g)}"`);
    else if (!config.entries.has(name)) problems.push(`--controller-credentials ${name}: no such controller${didYouMean(name, config.names)} (known: ${config.names.join(', ')})`);
    else if (ids.has(name)) problems.push(`--controller-credentials ${name} was given more than once`);
    else if (!/^[A-Za-z0-9._-]+$/.test(id)) problems.push(`--controller-credentials ${name}=${JSON.stringify(redactUrls(id))}: expected the id of a Jenkins credential (letters, digits, ".", "_" and "-"), not the secret itself`);
    else ids.set(name, id);
  }
  const needing = config.names.filter((n) => config.entries.get(n)!.tokenEnv !== undefined);
  const missing = needing.filter((n) => !ids.has(n));
  if (missing.length > 0) {
    problems.push(
      `the master jobs run jobsmith on every controller of ${config.file}; give the Jenkins credential (secret text: the API token) of ${missing
        .map((n) => `${n} (token-env ${config.entries.get(n)!.tokenEnv!.value})`)
        .join(', ')} with --controller-credentials ${missing.map((n) => `${n}=ID`).join(' ')}`,
    );
  }
  for (const [n] of ids) if (!needing.includes(n)) problems.push(`--controller-credentials ${n}: controller ${n} has no token-env (nothing to bind)`);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  // one variable holds one secret: a variable of two controllers is bound once (the same credential
  // for both) or refused; the variables the master jobs bind from --jenkins-credentials are taken
  const byVariable = new Map<string, string[]>();
  for (const n of needing) {
    const v = config.entries.get(n)!.tokenEnv!.value;
    byVariable.set(v, [...(byVariable.get(v) ?? []), n]);
  }
  const clashes: string[] = [];
  for (const [v, names] of byVariable) {
    if (MASTER_JOB_VARIABLES.includes(v)) clashes.push(`controller${names.length > 1 ? 's' : ''} ${names.join(', ')}: token-env ${v} is the variable the master jobs bind from --jenkins-credentials; name another variable in ${config.file}`);
    else if (new Set(names.map((n) => ids.get(n))).size > 1) clashes.push(`controllers ${names.join(', ')} share token-env ${v} but --controller-credentials gives them different credentials (${names.map((n) => `${n}=${ids.get(n)}`).join(', ')}): one variable holds one token, so one controller would be called with another's token; give each controller its own token-env in ${config.file} (or the same credential)`);
  }
  if (clashes.length > 0) throw new InputError(clashes.join('; '));
  return [...byVariable].map(([v, names]) => `, string(credentialsId: '${ids.get(names[0]!)}', variable: '${v}')`).join('');
}

async function runInit(a: BootstrapArgs): Promise<number> {
  const { checkPackageSpec } = await import('../form/package-spec.js');
  const { pinJobsmith } = await import('../form/package-pin.js');
  const { npmLockMaker } = await import('../form/npm-lock.js');
  if (!existsSync(a.definitions)) throw new UsageError(`--definitions ${a.definitions}: no such directory (the working copy of the definitions repository)`);
  const spec = a.package ?? `jobsmith@${ownVersion()}`;
  const checked = checkPackageSpec(spec, a['package-integrity'] !== undefined ? { integrity: a['package-integrity'] } : {});
  if (!checked.ok) {
    process.stderr.write(`error: --package ${JSON.stringify(redactUrls(spec))} ${checked.reason}. Nothing was written.\n`);
    return EXIT.badInput;
  }
  const outcome = await pinJobsmith({ dir: a.definitions, pin: checked.pin, npm: npmLockMaker() });
  if (outcome.kind !== 'done') {
    if (a.json) process.stdout.write(JSON.stringify({ status: outcome.kind, message: outcome.message }, null, 1) + '\n');
    else process.stderr.write(`error: --package: ${outcome.message}\n`);
    return outcome.kind === 'invalid' ? EXIT.badInput : EXIT.external;
  }
  if (a.json) {
    process.stdout.write(JSON.stringify({ status: 'done', dependency: outcome.dependency, locked: outcome.locked, files: outcome.files }, null, 1) + '\n');
    return EXIT.ok;
  }
  for (const f of outcome.files) process.stdout.write(`${f.action.padEnd(13)}${path.join(a.definitions, f.file)}\n`);
  process.stdout.write(`jobsmith pinned: ${outcome.dependency} -> ${outcome.locked.version ?? '?'} ${outcome.locked.integrity ?? outcome.locked.resolved ?? ''}\n`);
  if (outcome.files.some((f) => f.action !== 'unchanged')) {
    const names = ['package.json', 'package-lock.json', '.gitignore', ...(outcome.tarball !== undefined ? [outcome.tarball] : [])];
    process.stdout.write(`Commit and push ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}; the master jobs run \`npm ci\` and then this jobsmith.\n`);
  }
  return EXIT.ok;
}

export const bootstrapCommand: CommandModule<object, BootstrapArgs> = {
  ...commandInfo('bootstrap'),
  builder: (y) =>
    connectionOptions(y)
      .option('init', { type: 'boolean', default: false, describe: 'Pin jobsmith in the definitions repository: write package.json and package-lock.json (jobsmith at --package, default this version); no Jenkins needed' })
      .option('definitions', { type: 'string', default: '.', describe: 'Working copy of the definitions repository (holds package.json, package-lock.json, job-templates/, jobs/)' })
      .option('templates', { type: 'string', describe: 'Project templates (their sidecars give the create-job parameters; default <definitions>/job-templates)' })
      .option('jobs', { type: 'string', describe: 'Definitions directory; its _defaults.yaml gives the create-job parameters\' defaults (default <definitions>/jobs)' })
      .option('master-templates', { type: 'string', describe: 'Where jobsmith-sync / jobsmith-create-job templates are (default: --templates if it has them, else the ones shipped with jobsmith)' })
      .option('repo', { type: 'string', describe: 'Definitions repository clone URL ($DEFINITIONS.REPO)' })
      .option('branch', { type: 'string', describe: 'Definitions branch ($DEFINITIONS.BRANCH, default main)' })
      .option('git-credentials', { type: 'string', describe: 'Jenkins credentials id for the definitions repository ($DEFINITIONS.CREDENTIALS)' })
      .option('jenkins-credentials', { type: 'string', describe: 'Jenkins credentials id (user + API token) jobsmith uses inside Jenkins ($JENKINS.CREDENTIALS)' })
      .option('controller-credentials', { type: 'string', array: true, describe: 'Many controllers: NAME=ID, the Jenkins credential id (secret text: the API token) bound to controller NAME\'s token-env in the master jobs (repeatable; one per controller with token-env)' })
      .option('package', { type: 'string', describe: 'With --init: the exact jobsmith to pin: jobsmith@<version>, a .tgz in the repository (or an https: URL with --package-integrity), or a git URL ending #<commit id>' })
      .option('package-integrity', { type: 'string', describe: 'With --init and a tarball: its npm integrity (sha512-...); required for an https: tarball URL' })
      .option('poll', { type: 'string', describe: 'SCM polling schedule of the sync job ($SYNC.POLL, default "H/5 * * * *")' })
      .option('create-sync', { type: 'string', describe: 'create-job: "now" (sync in the same build) or "master-job" ($CREATE.SYNC)' })
      .option('set', { type: 'string', array: true, describe: 'Any other token of the master-job templates, TOKEN=VALUE' })
      .option('folder', { type: 'string', describe: 'Folder to create the two jobs in' })
      .option('sync-job', { type: 'string', default: 'jobsmith-sync', describe: 'Name of the sync job' })
      .option('create-job', { type: 'string', default: 'create-job', describe: 'Name of the create-job job' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Render and show what would be done; change nothing' })
      .option('json', { type: 'boolean', default: false, describe: 'Print a JSON result on stdout' }) as unknown as Argv<BootstrapArgs>,
  handler: async (a) => {
    for (const k of ['repo', 'branch', 'git-credentials', 'jenkins-credentials', 'package', 'package-integrity', 'poll', 'create-sync', 'definitions', 'templates', 'jobs'] as const) {
      if (Array.isArray(a[k])) throw new UsageError(`--${k} was given more than once`);
    }
    if (a.init) {
      process.exitCode = await runInit(a);
      return;
    }
    if (a['package-integrity'] !== undefined) throw new UsageError('--package-integrity goes with --init (it pins a tarball in package-lock.json)');
    const { openJenkins } = await import('./connection-options.js');
    const { bootstrapMasterJobs, SYNC_TEMPLATE } = await import('../form/bootstrap.js');
    const { loadCatalog, standaloneRenderer } = await import('../form/render-checker.js');
    const { parameterNames } = await import('../form/jenkins-parameters.js');
    const { checkPinned } = await import('../form/package-pin.js');
    const templatesDir = a.templates ?? path.join(a.definitions, 'job-templates');
    const jobsDir = a.jobs ?? path.join(a.definitions, 'jobs');
    const masterDir =
      a['master-templates'] ?? (existsSync(path.join(templatesDir, `${SYNC_TEMPLATE}-config.xml`)) ? templatesDir : shippedTemplatesDir());
    const tokens: Record<string, string> = {};
    const sources: Record<string, string> = {};
    const put = (token: string, v: string | undefined): void => {
      if (v === undefined) return;
      tokens[token] = v;
      sources[token] = TOKEN_FLAGS[token]!;
    };
    put('DEFINITIONS.REPO', a.repo);
    put('DEFINITIONS.BRANCH', a.branch);
    put('DEFINITIONS.CREDENTIALS', a['git-credentials']);
    put('JENKINS.CREDENTIALS', a['jenkins-credentials']);
    put('SYNC.POLL', a.poll);
    put('CREATE.SYNC', a['create-sync']);
    const bindings = await controllerBindings(a);
    if (bindings) put('JENKINS.CONTROLLER_CREDENTIALS', bindings);
    for (const s of a.set ?? []) {
      const i = s.indexOf('=');
      if (i <= 0) throw new UsageError(`--set takes TOKEN=VALUE, not "${redactUrls(s)}"`);
      const token = s.slice(0, i).replace(/^\$/, '');
      tokens[token] = s.slice(i + 1);
      sources[token] = `--set ${token}`;
    }
    // The master jobs install what package-lock.json pins; --package only feeds a customised
    // template that still installs a spec itself ($JOBSMITH.PACKAGE), and must be exact too.
    if (a.package !== undefined) {
      const { checkPackageSpec } = await import('../form/package-spec.js');
      const usesSpec = ['jobsmith-sync', 'jobsmith-create-job'].some((t) => {
        const f = path.join(masterDir, `${t}-config.xml`);
        return existsSync(f) && readFileSync(f, 'utf8').includes('$JOBSMITH.PACKAGE');
      });
      if (!usesSpec) throw new UsageError('--package goes with --init: the master jobs run `npm ci` and install what package-lock.json pins');
      const checked = checkPackageSpec(a.package);
      if (!checked.ok) {
        process.stderr.write(`error: --package ${JSON.stringify(redactUrls(a.package))} ${checked.reason}. Nothing was changed in Jenkins.\n`);
        process.exitCode = EXIT.badInput;
        return;
      }
      put('JOBSMITH.PACKAGE', a.package);
    }
    // The shipped master jobs run `npm ci`: without a lock pinning jobsmith they fail at that step
    // (npm installs nothing unpinned). Said now, naming what to run; customised master templates
    // that install jobsmith otherwise (an agent image, say) need no lock.
    const warnings: string[] = [];
    const runsNpmCi = ['jobsmith-sync', 'jobsmith-create-job'].some((t) => {
      const f = path.join(masterDir, `${t}-config.xml`);
      return existsSync(f) && /\bnpm ci\b/.test(readFileSync(f, 'utf8'));
    });
    if (runsNpmCi) {
      const pinned = await checkPinned(a.definitions);
      if (pinned.problem) {
        warnings.push(
          `--definitions ${a.definitions}: ${pinned.problem}: the master jobs run \`npm ci\`, which fails until jobsmith is pinned there. Run \`jobsmith bootstrap --init\` in the definitions repository, then commit and push package.json and package-lock.json`,
        );
      }
    }
    const catalog = await loadCatalog(templatesDir, existsSync(jobsDir) ? jobsDir : undefined);
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
        tokenSources: sources,
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
              warnings,
              parameters: { project: params.project, templates: Object.fromEntries(params.templates), tokens: Object.fromEntries(params.tokens) },
            },
            null,
            1,
          ) + '\n',
        );
      } else {
        printDiagnostics(outcome.diagnostics);
        for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
        for (const j of outcome.jobs) process.stdout.write(`${j.action.padEnd(13)}${j.fullName}  (from ${j.template})\n`);
        process.stdout.write(
          `create-job parameters: ${[params.project, ...params.templates.values(), ...params.tokens.values(), params.folder, params.view].join(', ')}\n`,
        );
      }
      return EXIT.ok;
    });
  },
};
