/**
 * The client settings of one configured controller (./controllers-config.ts): its own url, user and
 * numbers from the config file, the API token from the environment variable its `token-env` names;
 * the command line's --concurrency, --timeout, --retries, --ca-file, --proxy and --no-proxy apply to
 * every controller. JENKINS_URL, JENKINS_USER and JENKINS_API_TOKEN belong to the implicit
 * controller and are not used here. Diagnostics never quote a token.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ClientOptions } from '../jenkins/jenkins-client.js';
import type { ConnectionFlags } from '../jenkins/connection-settings.js';
import { redactUserInfo } from '../jenkins/redact.js';
import { SETTING_RANGES, describeRange, inRange } from '../jenkins/setting-ranges.js';
import type { ControllerEntry } from './controllers-config.js';

export function controllerClientOptions(
  entry: ControllerEntry,
  flags: Partial<ConnectionFlags>,
  env: NodeJS.ProcessEnv,
  cwd: string,
  readFile: (file: string) => string = (f) => readFileSync(f, 'utf8'),
): { settings?: ClientOptions; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const fail = (code: string, message: string, at: object): void => void diagnostics.push({ severity: 'error', code, message, ...at });
  const field = `controllers.${entry.name}`;
  let url: URL | undefined;
  if (entry.url === undefined) fail('missing-jenkins-url', `${field} has no url`, entry.at);
  else {
    try {
      url = new URL(entry.url.value);
    } catch {
      fail('bad-jenkins-url', `not a URL: ${redactUserInfo(entry.url.value)}`, entry.url.at);
    }
    if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
      fail('bad-jenkins-url', `the Jenkins URL must start with http:// or https://, not ${url.protocol}`, entry.url.at);
      url = undefined;
    }
    if (url && (url.username || url.password)) {
      fail('secret-in-config', `a URL with user information does not belong in the config file: set ${field}.user and token-env`, entry.url.at);
      url = undefined;
    }
    if (url && (url.search || url.hash)) {
      fail('bad-jenkins-url', 'the Jenkins URL must not carry a query or fragment', entry.url.at);
      url = undefined;
    }
    if (url && !url.pathname.endsWith('/')) url.pathname += '/';
  }
  const user = entry.user?.value;
  let token: string | undefined;
  if (entry.tokenEnv !== undefined) {
    const v = env[entry.tokenEnv.value];
    // blank counts as unset (the usual unset-in-CI case): an empty token would only be refused by Jenkins (401)
    if (v === undefined || v.trim() === '') fail('missing-token', `controller ${entry.name}: the environment variable ${entry.tokenEnv.value} (token-env) is ${v === undefined || v === '' ? 'not set' : 'blank'}`, entry.tokenEnv.at);
    else token = v.trim();
    if (user === undefined) fail('missing-user', `controller ${entry.name} has token-env but no user`, entry.tokenEnv.at);
  } else if (user !== undefined) {
    fail('missing-token', `controller ${entry.name} has a user (${user}) but no token-env naming the environment variable that holds its API token`, entry.user!.at);
  }
  const num = (flag: number | undefined, flagName: string, fromFile: { value: number; at: object } | undefined, r: (typeof SETTING_RANGES)[keyof typeof SETTING_RANGES], name: string): number | undefined => {
    if (flag !== undefined) return flag; // checked when the command line was parsed
    if (fromFile === undefined) return undefined;
    if (!inRange(fromFile.value, r)) fail('bad-setting', `${field}.${name} must be ${describeRange(r)}`, fromFile.at);
    return fromFile.value;
  };
  const concurrency = num(flags.concurrency, '--concurrency', entry.concurrency, SETTING_RANGES.concurrency, 'concurrency');
  const timeout = num(flags.timeout, '--timeout', entry.timeout, SETTING_RANGES.timeout, 'timeout');
  const retries = num(flags.retries, '--retries', entry.retries, SETTING_RANGES.retries, 'retries');
  const caFiles = flags.caFile?.length ? flags.caFile.map((f) => path.resolve(cwd, f)) : (entry.caFiles?.value ?? []);
  for (const f of caFiles) {
    try {
      if (!readFile(f).includes('-----BEGIN CERTIFICATE-----')) fail('bad-ca-file', 'not a PEM certificate file', { file: path.relative(cwd, f) || f, field: `${field}.ca-files` });
    } catch (err) {
      fail('bad-ca-file', `cannot read the CA file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { file: path.relative(cwd, f) || f, field: `${field}.ca-files` });
    }
  }
  const https = url?.protocol === 'https:';
  const firstEnv = (...names: string[]): string | undefined => names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
  const proxy = flags.proxy ?? entry.proxy?.value ?? (https ? firstEnv('https_proxy', 'HTTPS_PROXY') : undefined) ?? firstEnv('http_proxy', 'HTTP_PROXY');
  const noProxy = flags.noProxy ?? entry.noProxy?.value ?? firstEnv('no_proxy', 'NO_PROXY');
  if (proxy !== undefined) {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(proxy).protocol);
    } catch {
      ok = false;
    }
    if (!ok) fail('bad-proxy', `the proxy must be an http:// or https:// URL: ${redactUserInfo(proxy)}`, entry.proxy?.at ?? { field: '--proxy' });
  }
  if (diagnostics.length > 0 || url === undefined) return { diagnostics };
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
