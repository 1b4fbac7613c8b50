/**
 * Where the client's settings come from, strongest first: command-line flags, environment
 * (`JENKINS_URL`, `JENKINS_USER`, `JENKINS_API_TOKEN`, `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`), then the
 * `jenkins:` section of the config file (`jobsmith.yaml` in the working directory, or `--config FILE`).
 * The config file holds non-secret settings only: a token or password there is refused.
 * Bad settings are diagnostics (all at once), never exceptions.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Node as YamlNode } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ClientOptions } from './jenkins-client.js';
import { Containment } from '../load/contained-path.js';
import { redactUserInfo } from './redact.js';
import { SETTING_RANGES, describeRange, inRange } from './setting-ranges.js';

export const DEFAULT_CONFIG_FILE = 'jobsmith.yaml';

export interface ConnectionFlags {
  /** --jenkins-url */
  jenkinsUrl: string;
  /** --user */
  user: string;
  /** --token-file: a file holding the API token (first line). */
  tokenFile: string;
  /** --config: the config file (default ./jobsmith.yaml when present). */
  config: string;
  concurrency: number;
  /** --timeout, seconds per request. */
  timeout: number;
  retries: number;
  /** --ca-file (repeatable). */
  caFile: string[];
  proxy: string;
  noProxy: string;
}

export interface ResolveInput {
  flags: Partial<ConnectionFlags>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Injected for tests; default fs.readFileSync(path, 'utf8'). */
  readFile?: (file: string) => string;
}

/** Where a value came from, for diagnostics. */
interface Origin {
  file?: string;
  line?: number;
  column?: number;
  field: string;
}

export interface FileSettings {
  url?: { value: string; at: Origin };
  user?: { value: string; at: Origin };
  concurrency?: { value: number; at: Origin };
  timeout?: { value: number; at: Origin };
  retries?: { value: number; at: Origin };
  caFiles?: { value: string[]; at: Origin };
  proxy?: { value: string; at: Origin };
  noProxy?: { value: string; at: Origin };
}

const SECRET_KEY = /^(token|api[-_]?token|apitoken|password|passwd|secret|jenkins[-_]?api[-_]?token)$/i;
const KNOWN_KEYS: Record<string, keyof FileSettings> = {
  url: 'url',
  user: 'user',
  concurrency: 'concurrency',
  timeout: 'timeout',
  retries: 'retries',
  'ca-files': 'caFiles',
  caFiles: 'caFiles',
  proxy: 'proxy',
  'no-proxy': 'noProxy',
  noProxy: 'noProxy',
};

function diag(code: string, message: string, at: Origin | undefined, severity: 'error' | 'warning' = 'error'): Diagnostic {
  const d: Diagnostic = { severity, code, message };
  if (at?.file !== undefined) d.file = at.file;
  if (at?.line !== undefined) d.line = at.line;
  if (at?.column !== undefined) d.column = at.column;
  if (at?.field !== undefined) d.field = at.field;
  return d;
}

/** The `yaml` library, loaded only when there is a config file to read. */
let yamlLib: typeof import('yaml') | undefined;

function readConfigFile(file: string, shown: string, text: string, diagnostics: Diagnostic[]): FileSettings {
  yamlLib ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const { LineCounter, isMap, isScalar, isSeq, parseDocument } = yamlLib;
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const where = (node: YamlNode | null | undefined, field: string): Origin => {
    const at: Origin = { file: shown, field };
    const off = node?.range?.[0];
    if (off !== undefined) {
      const p = lc.linePos(off);
      at.line = p.line;
      at.column = p.col;
    }
    return at;
  };
  for (const e of doc.errors) {
    const p = lc.linePos(e.pos[0]);
    diagnostics.push(diag('config-yaml', e.message.split('\n')[0]!, { file: shown, line: p.line, column: p.col, field: '' }));
  }
  if (doc.errors.length) return {};

  // Secrets anywhere in the file are refused (they belong in JENKINS_API_TOKEN or --token-file).
  const scan = (node: unknown, trail: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        const field = trail ? `${trail}.${key}` : key;
        if (SECRET_KEY.test(key)) {
          diagnostics.push(diag('secret-in-config', `a secret does not belong in ${shown}: remove "${key}" and set JENKINS_API_TOKEN or use --token-file`, where(pair.key as YamlNode, field)));
        }
        scan(pair.value, field);
      }
    } else if (isSeq(node)) {
      node.items.forEach((it, i) => scan(it, `${trail}[${i}]`));
    } else if (isScalar(node) && typeof node.value === 'string' && /^[a-z][a-z0-9+.-]*:\/\/[^/\s@]*:[^/\s@]*@/i.test(node.value)) {
      diagnostics.push(diag('secret-in-config', `a URL with a password does not belong in ${shown}; set JENKINS_USER and JENKINS_API_TOKEN instead`, where(node as YamlNode, trail)));
    }
  };
  scan(doc.contents, '');

  const root = doc.contents;
  if (root === null || root === undefined) return {};
  if (!isMap(root)) {
    diagnostics.push(diag('config-shape', `${shown} must be a mapping with a "jenkins:" section`, where(root as YamlNode, '')));
    return {};
  }
  const section = root.get('jenkins', true) as unknown;
  if (section === undefined || section === null) return {};
  if (!isMap(section)) {
    diagnostics.push(diag('config-shape', '"jenkins" must be a mapping (url, user, concurrency, timeout, retries, ca-files, proxy, no-proxy)', where(section as YamlNode, 'jenkins')));
    return {};
  }
  const out: FileSettings = {};
  const baseDir = path.dirname(file);
  for (const pair of section.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const field = `jenkins.${key}`;
    const valueNode = pair.value as YamlNode | null;
    const at = where(valueNode ?? (pair.key as YamlNode), field);
    const value = isScalar(valueNode) ? valueNode.value : undefined;
    if (SECRET_KEY.test(key)) continue; // reported above
    const target = KNOWN_KEYS[key];
    if (target === undefined) {
      diagnostics.push(diag('unknown-key', `unknown setting "${key}" (known: url, user, concurrency, timeout, retries, ca-files, proxy, no-proxy)`, where(pair.key as YamlNode, field), 'warning'));
      continue;
    }
    if (target === 'caFiles') {
      const list = isSeq(valueNode) ? valueNode.items.map((i) => (isScalar(i) ? i.value : undefined)) : [value];
      if (!list.every((v): v is string => typeof v === 'string' && v !== '')) {
        diagnostics.push(diag('config-type', `${field} must be a file path or a list of file paths`, at));
        continue;
      }
      out.caFiles = { value: list.map((f) => path.resolve(baseDir, f)), at };
    } else if (target === 'concurrency' || target === 'timeout' || target === 'retries') {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        diagnostics.push(diag('config-type', `${field} must be a number`, at));
        continue;
      }
      out[target] = { value, at };
    } else {
      if (typeof value !== 'string' || value === '') {
        diagnostics.push(diag('config-type', `${field} must be a non-empty text`, at));
        continue;
      }
      out[target] = { value, at };
    }
  }
  return out;
}

function firstEnv(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/**
 * The settings of the config file (`--config`, else ./jobsmith.yaml when present); its problems go
 * to `diagnostics` (missing when named, unreadable, not YAML, not a mapping, a secret in it). Also
 * used with `--embedded`, which needs no URL but must not ignore a config file it was given.
 */
export function readConfigSettings(config: string | undefined, cwd: string, read: (f: string) => string, diagnostics: Diagnostic[]): FileSettings {
  let file: FileSettings = {};
  const explicit = config !== undefined;
  const configPath = path.resolve(cwd, config ?? DEFAULT_CONFIG_FILE);
  const shown = path.relative(cwd, configPath) || configPath;
  // A config file that is a symbolic link out of the directory it is named in is refused (the
  // working directory is often a checkout of the definitions repository: its content is not trusted).
  const outside = explicit || existsSync(configPath) ? new Containment(path.dirname(configPath)).outside(configPath) : undefined;
  if (outside !== undefined) {
    const d = diag('outside-definitions', `the config file resolves to ${outside}, outside ${path.dirname(configPath)}: a symbolic link out of it is refused`, { file: shown, field: '--config' });
    if (!explicit) delete d.field;
    diagnostics.push(d);
  } else if (explicit || existsSync(configPath)) {
    let text: string | undefined;
    try {
      text = read(configPath);
    } catch (err) {
      diagnostics.push(diag('config-unreadable', `cannot read the config file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file: shown, field: '--config' }));
    }
    if (text !== undefined) file = readConfigFile(configPath, shown, text, diagnostics);
  }
  return file;
}

/** The numeric settings: a flag when given, else the config file's value, each checked against its range. */
function numberSettings(flags: Partial<ConnectionFlags>, file: FileSettings, diagnostics: Diagnostic[]): { concurrency?: number; timeout?: number; retries?: number } {
  const num = (flag: number | undefined, flagName: string, fromFile: { value: number; at: Origin } | undefined, range: (typeof SETTING_RANGES)[keyof typeof SETTING_RANGES]) => {
    const what = describeRange(range);
    if (flag !== undefined) {
      if (!inRange(flag, range)) diagnostics.push(diag('bad-setting', `${flagName} must be ${what}`, { field: flagName }));
      return flag;
    }
    if (fromFile !== undefined) {
      if (!inRange(fromFile.value, range)) diagnostics.push(diag('bad-setting', `${fromFile.at.field} must be ${what}`, fromFile.at));
      return fromFile.value;
    }
    return undefined;
  };
  const out: { concurrency?: number; timeout?: number; retries?: number } = {};
  const concurrency = num(flags.concurrency, '--concurrency', file.concurrency, SETTING_RANGES.concurrency);
  const timeout = num(flags.timeout, '--timeout', file.timeout, SETTING_RANGES.timeout);
  const retries = num(flags.retries, '--retries', file.retries, SETTING_RANGES.retries);
  if (concurrency !== undefined) out.concurrency = concurrency;
  if (timeout !== undefined) out.timeout = timeout;
  if (retries !== undefined) out.retries = retries;
  return out;
}

/**
 * The settings that still apply with `--embedded` (no URL, user or token: the stand-in is in this
 * process): concurrency, timeout and retries, from the flags, else the config file
 * (`--config`, else ./jobsmith.yaml when present). A config file with errors is an error here too.
 */
export function resolveEmbeddedSettings(input: Omit<ResolveInput, 'env'>): { settings?: Pick<ClientOptions, 'concurrency' | 'timeoutMs' | 'retries'>; diagnostics: Diagnostic[] } {
  const read = input.readFile ?? ((f: string) => readFileSync(f, 'utf8'));
  const diagnostics: Diagnostic[] = [];
  const file = readConfigSettings(input.flags.config, input.cwd, read, diagnostics);
  const { concurrency, timeout, retries } = numberSettings(input.flags, file, diagnostics);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const settings: Pick<ClientOptions, 'concurrency' | 'timeoutMs' | 'retries'> = {};
  if (concurrency !== undefined) settings.concurrency = concurrency;
  if (timeout !== undefined) settings.timeoutMs = Math.round(timeout * 1000);
  if (retries !== undefined) settings.retries = retries;
  return { settings, diagnostics };
}

/**
 * Resolve connection settings. Returns `settings` only when there is no error diagnostic.
 * Diagnostics never quote a secret.
 */
export function resolveConnectionSettings(input: ResolveInput): { settings?: ClientOptions; diagnostics: Diagnostic[] } {
  const { flags, env, cwd } = input;
  const read = input.readFile ?? ((f: string) => readFileSync(f, 'utf8'));
  const diagnostics: Diagnostic[] = [];

  // Config file.
  const file = readConfigSettings(flags.config, cwd, read, diagnostics);

  // URL.
  const urlSource: { value: string; at: Origin } | undefined =
    flags.jenkinsUrl !== undefined
      ? { value: flags.jenkinsUrl, at: { field: '--jenkins-url' } }
      : firstEnv(env, 'JENKINS_URL') !== undefined
        ? { value: firstEnv(env, 'JENKINS_URL')!, at: { field: 'JENKINS_URL' } }
        : file.url;
  let url: URL | undefined;
  let urlUser: string | undefined;
  let urlToken: string | undefined;
  if (urlSource === undefined) {
    // A config file that could not be read may hold the URL: its own error says enough.
    if (!diagnostics.some((d) => d.code === 'config-unreadable' || d.code === 'outside-definitions' || d.code === 'config-yaml'))
      diagnostics.push(diag('missing-jenkins-url', `no Jenkins URL: pass --jenkins-url, set JENKINS_URL, or put "jenkins: { url: ... }" in ${DEFAULT_CONFIG_FILE}`, { field: '--jenkins-url' }));
  } else {
    try {
      url = new URL(urlSource.value);
    } catch {
      const port = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*):([^/?#]*)/i.exec(urlSource.value)?.[1];
      const why = port !== undefined && port !== '' && !(/^\d+$/.test(port) && Number(port) <= 65535) ? ' (the port must be a number from 1 to 65535)' : '';
      diagnostics.push(diag('bad-jenkins-url', `not a URL${why}: ${redactUserInfo(urlSource.value)}`, urlSource.at));
    }
    if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
      diagnostics.push(diag('bad-jenkins-url', `the Jenkins URL must start with http:// or https://, not ${url.protocol}`, urlSource.at));
      url = undefined;
    }
    if (url && (url.username || url.password)) {
      urlUser = url.username ? decodeURIComponent(url.username) : undefined;
      urlToken = url.password ? decodeURIComponent(url.password) : undefined;
      url.username = '';
      url.password = '';
      if (urlSource.at.field === '--jenkins-url' && urlToken !== undefined) {
        diagnostics.push(diag('secret-in-flag', 'a token inside --jenkins-url is visible to other users of this machine; prefer JENKINS_USER and JENKINS_API_TOKEN', urlSource.at, 'warning'));
      }
    }
    if (url && (url.search || url.hash)) {
      diagnostics.push(diag('bad-jenkins-url', 'the Jenkins URL must not carry a query or fragment', urlSource.at));
    }
    if (url && !url.pathname.endsWith('/')) url.pathname += '/';
  }

  // Credentials.
  const user = flags.user ?? firstEnv(env, 'JENKINS_USER') ?? urlUser ?? file.user?.value;
  let token: string | undefined;
  let tokenField = 'JENKINS_API_TOKEN';
  if (flags.tokenFile !== undefined) {
    tokenField = '--token-file';
    try {
      token = read(path.resolve(cwd, flags.tokenFile)).split(/\r?\n/)[0]!.trim();
      if (token === '') diagnostics.push(diag('empty-token', 'the token file is empty', { file: flags.tokenFile, field: '--token-file' }));
    } catch (err) {
      diagnostics.push(diag('token-file-unreadable', `cannot read the token file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { file: flags.tokenFile, field: '--token-file' }));
    }
  } else {
    token = firstEnv(env, 'JENKINS_API_TOKEN') ?? urlToken;
  }
  if (user !== undefined && token === undefined && !diagnostics.some((d) => d.field === '--token-file')) {
    diagnostics.push(diag('missing-token', `a user is set (${user}) but no API token: set JENKINS_API_TOKEN or pass --token-file`, { field: 'JENKINS_API_TOKEN' }));
  }
  if (token !== undefined && token !== '' && user === undefined) {
    diagnostics.push(diag('missing-user', 'an API token is set but no user: set JENKINS_USER or pass --user', { field: tokenField }));
  }

  // Numbers.
  const { concurrency, timeout, retries } = numberSettings(flags, file, diagnostics);

  // CA certificates: flags (relative to cwd) and config (relative to the file).
  const caFiles: string[] = [];
  for (const f of flags.caFile ?? []) caFiles.push(path.resolve(cwd, f));
  if (!flags.caFile?.length && file.caFiles) caFiles.push(...file.caFiles.value);
  for (const f of caFiles) {
    try {
      const pem = read(f);
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) diagnostics.push(diag('bad-ca-file', 'not a PEM certificate file', { file: path.relative(cwd, f) || f, field: '--ca-file' }));
    } catch (err) {
      diagnostics.push(diag('bad-ca-file', `cannot read the CA file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { file: path.relative(cwd, f) || f, field: '--ca-file' }));
    }
  }
  // Passing `ca` replaces Node's default store, which is where NODE_EXTRA_CA_CERTS went: keep it.
  const extra = firstEnv(env, 'NODE_EXTRA_CA_CERTS');
  if (caFiles.length > 0 && extra !== undefined && !caFiles.includes(path.resolve(cwd, extra))) caFiles.push(path.resolve(cwd, extra));

  // Proxy.
  const https = url?.protocol === 'https:';
  // Where the proxy came from, so that a bad one is blamed on the right setting (and line).
  const envName = (...names: string[]) => names.find((n) => firstEnv(env, n) !== undefined);
  const proxyEnv = (https ? envName('https_proxy', 'HTTPS_PROXY') : undefined) ?? envName('http_proxy', 'HTTP_PROXY');
  const proxyAt: Origin = flags.proxy !== undefined ? { field: '--proxy' } : proxyEnv !== undefined ? { field: proxyEnv } : (file.proxy?.at ?? { field: 'HTTP_PROXY' });
  const proxy = flags.proxy ?? (proxyEnv !== undefined ? firstEnv(env, proxyEnv) : undefined) ?? file.proxy?.value;
  const noProxy = flags.noProxy ?? firstEnv(env, 'no_proxy', 'NO_PROXY') ?? file.noProxy?.value;
  if (proxy !== undefined) {
    try {
      const p = new URL(proxy);
      if (p.protocol !== 'http:' && p.protocol !== 'https:') throw new Error();
    } catch {
      diagnostics.push(diag('bad-proxy', `the proxy must be an http:// or https:// URL: ${redactUserInfo(proxy)}`, proxyAt));
    }
  }

  if (diagnostics.some((d) => d.severity === 'error') || url === undefined) return { diagnostics };
  const settings: ClientOptions = { url: url.toString() };
  if (user !== undefined) settings.user = user;
  if (token !== undefined) settings.token = token;
  if (concurrency !== undefined) settings.concurrency = concurrency;
  if (timeout !== undefined) settings.timeoutMs = Math.round(timeout * 1000);
  if (retries !== undefined) settings.retries = retries;
  if (caFiles.length) settings.caFiles = caFiles;
  if (proxy !== undefined) settings.proxy = proxy;
  if (noProxy !== undefined) settings.noProxy = noProxy;
  return { settings, diagnostics };
}
