/**
 * Many controllers (docs/controllers.md): the `controllers:` and `default-controller:` sections of
 * the config file (`jobsmith.yaml` in the working directory, or `--config FILE`), read into plain
 * data with the location of every field. Bad settings are diagnostics (all at once), never
 * exceptions. No secret is read here: `token-env` only names the environment variable that holds a
 * controller's API token (read by ./controller-settings.ts when the controller is used).
 *
 * ```yaml
 * controllers:
 *   east: { url: https://jenkins-east.example.com, user: ci-bot, token-env: JENKINS_EAST_TOKEN }
 *   west: { url: https://jenkins-west.example.com, user: ci-bot, token-env: JENKINS_WEST_TOKEN, timeout: 60 }
 * default-controller: east
 * ```
 * Absent `controllers:`: one implicit controller, from JENKINS_URL / `jenkins:` as always.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Node as YamlNode } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { didYouMean } from '../load/did-you-mean.js';
import { DEFAULT_CONFIG_FILE } from '../jenkins/connection-settings.js';

/** A controller name: a plain word (it names a directory under `--embedded DIR` and a flag value). */
export const CONTROLLER_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
/** Names the backup and definitions layouts use beside DIR/<controller> (compared without case). */
const RESERVED_NAMES = ['jobs', 'views', 'job-templates'];
/** An environment variable name. */
const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_KEY = /^(token|api[-_]?token|apitoken|password|passwd|secret)$/i;

export interface SettingAt {
  file: string;
  line?: number;
  column?: number;
  field: string;
}

export interface ControllerEntry {
  name: string;
  at: SettingAt;
  url?: { value: string; at: SettingAt };
  user?: { value: string; at: SettingAt };
  tokenEnv?: { value: string; at: SettingAt };
  concurrency?: { value: number; at: SettingAt };
  timeout?: { value: number; at: SettingAt };
  retries?: { value: number; at: SettingAt };
  caFiles?: { value: string[]; at: SettingAt };
  proxy?: { value: string; at: SettingAt };
  noProxy?: { value: string; at: SettingAt };
}

export interface ControllersConfig {
  /** The config file as shown in messages. */
  file: string;
  /** Controller names in the order written. */
  names: string[];
  entries: Map<string, ControllerEntry>;
  /** `default-controller:` (or the only controller when there is one). */
  defaultName: string;
}

export const CONTROLLER_KEYS = ['url', 'user', 'token-env', 'concurrency', 'timeout', 'retries', 'ca-files', 'proxy', 'no-proxy'] as const;

export interface ReadControllersInput {
  /** `--config`. */
  config?: string;
  cwd: string;
  readFile?: (file: string) => string;
}

/** The config file a command reads (same rule as the connection settings). */
export function configFilePath(input: { config?: string; cwd: string }): { file: string; shown: string; explicit: boolean } {
  const file = path.resolve(input.cwd, input.config ?? DEFAULT_CONFIG_FILE);
  return { file, shown: path.relative(input.cwd, file) || file, explicit: input.config !== undefined };
}

/**
 * Read `controllers:`; `config` undefined means none configured (one implicit controller). A file
 * that cannot be read or parsed is left to the connection settings, which report it.
 */
export function readControllers(input: ReadControllersInput): { config?: ControllersConfig; diagnostics: Diagnostic[] } {
  const { file, shown, explicit } = configFilePath(input);
  if (!explicit && !existsSync(file)) return { diagnostics: [] };
  let text: string;
  try {
    text = (input.readFile ?? ((f: string) => readFileSync(f, 'utf8')))(file);
  } catch {
    return { diagnostics: [] };
  }
  return parseControllers(text, shown, path.dirname(file));
}

/** Parse the controllers sections of a config file's text (pure). */
export function parseControllers(text: string, shown: string, baseDir: string): { config?: ControllersConfig; diagnostics: Diagnostic[] } {
  // the yaml library is loaded only when there is a config file to read (commands start fast without one)
  const { LineCounter, isMap, isScalar, isSeq, parseDocument } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const diagnostics: Diagnostic[] = [];
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) return { diagnostics }; // reported by the connection settings
  const at = (node: unknown, field: string): SettingAt => {
    const a: SettingAt = { file: shown, field };
    const off = (node as YamlNode | null | undefined)?.range?.[0];
    if (off !== undefined) {
      const p = lc.linePos(off);
      a.line = p.line;
      a.column = p.col;
    }
    return a;
  };
  const err = (where: SettingAt, code: string, message: string, severity: 'error' | 'warning' = 'error'): void => {
    diagnostics.push({ severity, code, message, ...where });
  };
  const root = doc.contents;
  if (!isMap(root)) return { diagnostics };
  const section = root.get('controllers', true) as unknown;
  const defaultNode = root.get('default-controller', true) as unknown;
  if (section === undefined || section === null) {
    if (defaultNode !== undefined && defaultNode !== null) err(at(defaultNode, 'default-controller'), 'controller-config', 'default-controller is set but there is no `controllers:` section');
    return { diagnostics };
  }
  if (!isMap(section) || section.items.length === 0) {
    err(at(section, 'controllers'), 'controller-config', 'controllers must be a mapping of controller names to their settings (url, user, token-env, ...)');
    return { diagnostics };
  }
  const entries = new Map<string, ControllerEntry>();
  const seenLower = new Map<string, string>();
  for (const pair of section.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const field = `controllers.${name}`;
    const keyAt = at(pair.key, field);
    if (!CONTROLLER_NAME_RE.test(name)) {
      err(keyAt, 'bad-controller-name', `controller name "${name}" must be a plain word: letters, digits, - and _ (at most 63 characters)`);
      continue;
    }
    if (RESERVED_NAMES.includes(name.toLowerCase())) {
      err(keyAt, 'bad-controller-name', `controller name "${name}" is taken: a backup directory holds jobs/ and views/ and a definitions directory job-templates/ beside each controller's DIR/<name>, so restore could not tell them apart; pick another name`);
      continue;
    }
    const other = seenLower.get(name.toLowerCase());
    if (other !== undefined) {
      err(keyAt, 'duplicate-controller', `controller "${name}" is also named "${other}": names must differ in more than letter case`);
      continue;
    }
    seenLower.set(name.toLowerCase(), name);
    const entry: ControllerEntry = { name, at: keyAt };
    entries.set(name, entry);
    const value = pair.value as unknown;
    if (!isMap(value)) {
      err(at(value ?? pair.key, field), 'controller-config', `${field} must be a mapping (url, user, token-env, ...)`);
      continue;
    }
    for (const p of value.items) {
      const key = isScalar(p.key) ? String(p.key.value) : '';
      const f = `${field}.${key}`;
      const vNode = p.value as unknown;
      const vAt = at(vNode ?? p.key, f);
      const scalar = isScalar(vNode) ? vNode.value : undefined;
      if (SECRET_KEY.test(key)) {
        err(at(p.key, f), 'secret-in-config', `a secret does not belong in ${shown}: remove "${key}" and name the environment variable that holds the token with token-env`);
        continue;
      }
      switch (key) {
        case 'url':
        case 'user':
        case 'proxy':
        case 'no-proxy':
        case 'token-env': {
          if (typeof scalar !== 'string' || scalar === '') {
            err(vAt, 'config-type', `${f} must be a non-empty text`);
            break;
          }
          if (key === 'token-env' && !ENV_NAME_RE.test(scalar)) {
            err(vAt, 'config-type', `${f} must name an environment variable (letters, digits and _), not hold the token itself`);
            break;
          }
          const k = key === 'token-env' ? 'tokenEnv' : key === 'no-proxy' ? 'noProxy' : key;
          (entry as unknown as Record<string, unknown>)[k] = { value: scalar, at: vAt };
          break;
        }
        case 'concurrency':
        case 'timeout':
        case 'retries':
          if (typeof scalar !== 'number' || !Number.isFinite(scalar)) err(vAt, 'config-type', `${f} must be a number`);
          else entry[key] = { value: scalar, at: vAt };
          break;
        case 'ca-files': {
          const list = isSeq(vNode) ? vNode.items.map((i) => (isScalar(i) ? i.value : undefined)) : [scalar];
          if (!list.every((v): v is string => typeof v === 'string' && v !== '')) err(vAt, 'config-type', `${f} must be a file path or a list of file paths`);
          else entry.caFiles = { value: list.map((x) => path.resolve(baseDir, x)), at: vAt };
          break;
        }
        default:
          err(at(p.key, f), 'unknown-key', `unknown controller setting "${key}"${didYouMean(key, CONTROLLER_KEYS)} (known: ${CONTROLLER_KEYS.join(', ')})`);
      }
    }
    if (entry.url === undefined && isMap(value)) err(keyAt, 'missing-jenkins-url', `${field} has no url`);
  }
  // two names for one Jenkins: each run would see the other's jobs (same owner) as its own, not desired, and delete them
  const byUrl = new Map<string, string>();
  for (const e of entries.values()) {
    if (!e.url) continue;
    let key: string;
    try {
      const u = new URL(e.url.value);
      key = `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/*$/, '/')}`;
    } catch {
      continue; // reported when the controller is used
    }
    const other = byUrl.get(key);
    if (other !== undefined) err(e.url.at, 'duplicate-controller-url', `controllers ${other} and ${e.name} have the same url: one Jenkins must be one controller (each would delete the other's jobs)`);
    else byUrl.set(key, e.name);
  }
  const names = [...entries.keys()];
  let defaultName = names.length === 1 ? names[0]! : '';
  if (defaultNode !== undefined && defaultNode !== null) {
    const d = isScalar(defaultNode) ? defaultNode.value : undefined;
    if (typeof d !== 'string' || d === '') err(at(defaultNode, 'default-controller'), 'config-type', 'default-controller must name one controller');
    else if (!entries.has(d)) err(at(defaultNode, 'default-controller'), 'unknown-controller', `default-controller names an unknown controller "${d}"${didYouMean(d, names)} (known: ${names.join(', ')})`);
    else defaultName = d;
  } else if (names.length > 1) {
    err(at(section, 'default-controller'), 'missing-default-controller', `several controllers and no default-controller: add "default-controller: ${names[0]}" (projects without controller: go there)`);
  }
  if (diagnostics.some((d) => d.severity === 'error') || names.length === 0) return { diagnostics };
  return { config: { file: shown, names, entries, defaultName }, diagnostics };
}
