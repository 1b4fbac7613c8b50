import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import type { Argv } from 'yargs';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { UsageError } from '../model/errors.js';
import { DefinitionsStore, type GitIdentity } from './definitions-store.js';
import type { AccessControl } from './form-server.js';

/** Command-line options shared by `serve` and `create`. */
export interface SelfServiceArgs {
  definitions: string;
  templates?: string;
  jobs?: string;
  remote: string;
  branch?: string;
  push: boolean;
  identity?: string;
  /** Undefined: the config file's `form.sync`, else `now`. */
  sync?: 'now' | 'master-job';
  config?: string;
}

export function selfServiceOptions<T>(y: Argv<T>): Argv<T & SelfServiceArgs> {
  return y
    .option('definitions', { type: 'string', default: '.', describe: 'Git working copy of the definitions repository (holds job-templates/ and jobs/)' })
    .option('templates', { type: 'string', describe: 'Templates directory (default <definitions>/job-templates)' })
    .option('jobs', { type: 'string', describe: 'Definitions directory (default <definitions>/jobs)' })
    .option('remote', { type: 'string', default: 'origin', describe: 'Git remote to push definitions to' })
    .option('branch', { type: 'string', describe: 'Branch to push (default: the checked-out branch)' })
    .option('push', { type: 'boolean', default: true, describe: 'Push after committing (--no-push: commit only)' })
    .option('identity', { type: 'string', describe: 'Committer "Name <email>" (default: git config, else "jobsmith <jobsmith@localhost>")' })
    .option('sync', {
      choices: ['now', 'master-job'] as const,
      describe: 'now: create the jobs at once; master-job: only commit and push, the sync master job creates them (default now)',
    }) as unknown as Argv<T & SelfServiceArgs>;
}

export function parseIdentity(text: string, what: string): GitIdentity {
  const m = /^\s*([^<>\n]+?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(text);
  if (!m) throw new UsageError(`${what} must look like "Name <email@example.com>", not "${text}"`);
  return { name: m[1]!, email: m[2]! };
}

export interface SelfServicePaths {
  dir: string;
  templatesDir: string;
  jobsDir: string;
  /** jobsDir relative to dir (what the store commits). */
  jobsRel: string;
}

export function selfServicePaths(a: SelfServiceArgs): SelfServicePaths {
  const dir = path.resolve(a.definitions);
  const templatesDir = path.resolve(dir, a.templates ?? 'job-templates');
  const jobsDir = path.resolve(dir, a.jobs ?? 'jobs');
  const jobsRel = path.relative(dir, jobsDir);
  if (jobsRel.startsWith('..') || path.isAbsolute(jobsRel)) throw new UsageError(`--jobs (${jobsDir}) must be inside the definitions working copy ${dir}`);
  return { dir, templatesDir, jobsDir, jobsRel: jobsRel || '.' };
}

/** The definitions store for the options; the committer falls back to a fixed identity when git has none. */
export async function openStore(a: SelfServiceArgs, paths: SelfServicePaths): Promise<DefinitionsStore> {
  const git = simpleGit({ baseDir: paths.dir });
  const isRepo = await git.checkIsRepo().catch(() => false);
  if (!isRepo) throw new UsageError(`${paths.dir} is not a git working copy: clone the definitions repository and run from there (or pass --definitions DIR)`);
  let identity: GitIdentity | undefined = a.identity ? parseIdentity(a.identity, '--identity') : undefined;
  if (!identity) {
    const name = (await git.raw(['config', 'user.name']).catch(() => '')).trim();
    const email = (await git.raw(['config', 'user.email']).catch(() => '')).trim();
    if (!name || !email) identity = { name: 'jobsmith', email: 'jobsmith@localhost' };
  }
  return new DefinitionsStore({
    dir: paths.dir,
    jobsDir: paths.jobsRel,
    remote: a.remote,
    ...(a.branch ? { branch: a.branch } : {}),
    ...(identity ? { identity } : {}),
    push: a.push,
  });
}

/** The `form:` section of the config file (jobsmith.yaml or --config): access control and defaults of `serve`. */
export interface FormFileSettings {
  access?: AccessControl;
  host?: string;
  port?: number;
  sync?: 'now' | 'master-job';
}

export function readFormSettings(configFile: string | undefined, cwd: string): FormFileSettings {
  const file = configFile ? path.resolve(cwd, configFile) : path.join(cwd, 'jobsmith.yaml');
  if (!existsSync(file)) {
    if (configFile) throw new UsageError(`config file ${configFile} does not exist`);
    return {};
  }
  const doc = parseDocument(readFileSync(file, 'utf8'));
  if (doc.errors.length) throw new UsageError(`${file}: ${doc.errors[0]!.message.split('\n')[0]}`);
  const root = doc.contents;
  if (!isMap(root)) return {};
  const form = root.get('form', true);
  if (form === undefined || form === null) return {};
  if (!isMap(form)) throw new UsageError(`${file}: "form" must be a mapping`);
  const out: FormFileSettings = {};
  const access: AccessControl = {};
  const problems: string[] = [];
  for (const pair of form.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const v = pair.value;
    const str = (): string | undefined => (isScalar(v) && v.value !== null ? String(v.value) : (problems.push(`form.${key} must be a text`), undefined));
    switch (key) {
      case 'allow':
        if (isSeq(v)) access.allow = v.items.map((i) => String(isScalar(i) ? i.value : i));
        else problems.push('form.allow must be a list of user names');
        break;
      case 'user-header':
      case 'userHeader': {
        const s = str();
        if (s) access.userHeader = s;
        break;
      }
      case 'author-email':
      case 'authorEmail': {
        const s = str();
        if (s) access.authorEmail = s;
        break;
      }
      case 'host': {
        const s = str();
        if (s) out.host = s;
        break;
      }
      case 'port': {
        const n = Number(str());
        if (Number.isInteger(n) && n >= 0 && n < 65536) out.port = n;
        else problems.push('form.port must be a port number');
        break;
      }
      case 'sync': {
        const s = str();
        if (s === 'now' || s === 'master-job') out.sync = s;
        else problems.push('form.sync must be "now" or "master-job"');
        break;
      }
      default:
        problems.push(`unknown setting form.${key} (known: allow, user-header, author-email, host, port, sync)`);
    }
  }
  if (problems.length) throw new UsageError(problems.map((p) => `${file}: ${p}`).join('\n'));
  if (Object.keys(access).length) out.access = access;
  return out;
}
