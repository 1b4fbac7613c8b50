import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { InputError, UsageError } from '../model/errors.js';
import { Containment } from '../load/contained-path.js';
import { DefinitionsStore, type GitIdentity } from './definitions-store.js';
import type { AccessControl } from './form-server.js';
import { allowedHostProblem } from './host-check.js';
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
  if (!isRepo) throw new InputError(`${paths.dir} is not a git working copy: clone the definitions repository and run from there (or pass --definitions DIR)`);
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
  /** Host names the form answers to (src/form/host-check.ts). */
  allowedHosts?: string[];
  port?: number;
  sync?: 'now' | 'master-job';
}

export function readFormSettings(configFile: string | undefined, cwd: string): FormFileSettings {
  const file = configFile ? path.resolve(cwd, configFile) : path.join(cwd, 'jobsmith.yaml');
  const shown = path.relative(cwd, file) || file;
  if (!existsSync(file)) {
    if (configFile) throw new InputError(`config file ${configFile} does not exist [--config]`);
    return {};
  }
  const outside = new Containment(path.dirname(file)).outside(file);
  if (outside !== undefined) {
    throw new InputError(`${shown}: the config file resolves to ${outside}, outside ${path.dirname(file)}: a symbolic link out of it is refused`);
  }
  const lc = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lc, prettyErrors: false });
  const diagnostics: Diagnostic[] = [];
  const at = (node: unknown, field: string, message: string): void => {
    const off = (node as { range?: [number, number] } | null | undefined)?.range?.[0];
    const d: Diagnostic = { severity: 'error', code: 'form-setting', message, file: shown, field };
    if (off !== undefined) {
      const p = lc.linePos(off);
      d.line = p.line;
      d.column = p.col;
    }
    diagnostics.push(d);
  };
  const fail = (): never => {
    throw new InputError(`${shown} has errors`, diagnostics);
  };
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const p = lc.linePos(e.pos[0]);
      diagnostics.push({ severity: 'error', code: 'config-yaml', message: e.message.split('\n')[0]!, file: shown, line: p.line, column: p.col });
    }
    fail();
  }
  const root = doc.contents;
  if (!isMap(root)) return {};
  const form = root.get('form', true);
  if (form === undefined || form === null) return {};
  if (!isMap(form)) {
    at(form, 'form', '"form" must be a mapping');
    fail();
  }
  const out: FormFileSettings = {};
  const access: AccessControl = {};
  for (const pair of (form as unknown as YAMLMap).items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const v = pair.value;
    const field = `form.${key}`;
    const problem = (message: string): undefined => void at(v ?? pair.key, field, message);
    const str = (): string | undefined => (isScalar(v) && v.value !== null ? String(v.value) : problem(`${field} must be a text`));
    switch (key) {
      case 'allow':
        if (isSeq(v)) access.allow = v.items.map((i) => String(isScalar(i) ? i.value : i));
        else problem('form.allow must be a list of user names');
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
      case 'allowed-hosts':
      case 'allowedHosts':
        if (isSeq(v)) {
          out.allowedHosts = v.items.map((i) => String(isScalar(i) ? i.value : i));
          for (const h of out.allowedHosts) {
            const bad = allowedHostProblem(h);
            if (bad) problem(`form.allowed-hosts: ${bad}`);
          }
        } else problem('form.allowed-hosts must be a list of host names');
        break;
      case 'port': {
        const n = Number(str());
        if (Number.isInteger(n) && n >= 0 && n < 65536) out.port = n;
        else problem('form.port must be a whole number from 0 to 65535');
        break;
      }
      case 'sync': {
        const s = str();
        if (s === 'now' || s === 'master-job') out.sync = s;
        else problem('form.sync must be "now" or "master-job"');
        break;
      }
      default:
        at(pair.key, field, `unknown setting form.${key} (known: allow, user-header, author-email, host, allowed-hosts, port, sync)`);
    }
  }
  if (diagnostics.length) fail();
  if (Object.keys(access).length) out.access = access;
  return out;
}
