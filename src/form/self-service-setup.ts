import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { UsageError } from '../model/errors.js';
import { DefinitionsStore, type GitIdentity } from './definitions-store.js';
import type { AccessControl } from './form-server.js';
import type { SelfServiceArgs } from './self-service-options.js';

export type { SelfServiceArgs };

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
