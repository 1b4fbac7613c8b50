import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { startStandin, type Standin, type StandinOptions } from '../../src/standin/server.js';

export const USER = 'alice';
export const TOKEN = '11' + 'a1b2c3d4'.repeat(4);
export const PASSWORD = 'correct horse';

export interface Running {
  s: Standin;
  home: string;
  /** Close the server and remove the home directory. */
  stop(): Promise<void>;
}

/** A stand-in on a free loopback port over a fresh temp home (alice: token + password). */
export async function startTemp(opts: Partial<StandinOptions> = {}): Promise<Running> {
  const home = opts.home ?? mkdtempSync(path.join(os.tmpdir(), 'standin-test-'));
  const s = await startStandin({ users: [{ name: USER, token: TOKEN, password: PASSWORD }], buildDurationMs: 400, quietPeriodMs: 20, ...opts, home });
  return {
    s,
    home,
    stop: async () => {
      await s.close();
      if (!opts.home) rmSync(home, { recursive: true, force: true });
    },
  };
}

export function basic(user: string, secret: string): string {
  return 'Basic ' + Buffer.from(`${user}:${secret}`).toString('base64');
}
export const tokenAuth = basic(USER, TOKEN);
export const passwordAuth = basic(USER, PASSWORD);

export interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface ReqOpts {
  method?: string;
  auth?: string | null;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Content-Type for the body (default application/xml when a body is given). */
  type?: string | null;
}

/** One raw HTTP request (no redirects followed). Token auth unless `auth: null`. */
export async function call(s: Standin, p: string, o: ReqOpts = {}): Promise<Res> {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.auth !== null) headers.authorization = o.auth ?? tokenAuth;
  if (o.body !== undefined && o.type !== null) headers['content-type'] = o.type ?? 'application/xml; charset=utf-8';
  const r = await request(s.url + p, { method: (o.method ?? 'GET') as 'GET', headers, body: o.body });
  const text = await r.body.text();
  return { status: r.statusCode, headers: r.headers as Res['headers'], text };
}

export function post(s: Standin, p: string, body?: string, o: ReqOpts = {}): Promise<Res> {
  return call(s, p, { ...o, method: 'POST', ...(body !== undefined ? { body } : {}) });
}

export async function json(s: Standin, p: string, o: ReqOpts = {}): Promise<Record<string, unknown>> {
  const r = await call(s, p, o);
  if (r.status !== 200) throw new Error(`GET ${p}: ${r.status} ${r.text.slice(0, 200)}`);
  return JSON.parse(r.text) as Record<string, unknown>;
}

/** A crumb + session cookie pair as a browser (or python-jenkins) would hold it. */
export async function crumbSession(s: Standin, auth: string | null): Promise<{ cookie: string; crumb: string }> {
  const r = await call(s, '/crumbIssuer/api/json', { auth });
  const setCookie = r.headers['set-cookie'];
  const c = (Array.isArray(setCookie) ? setCookie[0] : setCookie) ?? '';
  return { cookie: c.split(';')[0]!, crumb: (JSON.parse(r.text) as { crumb: string }).crumb };
}

export const FREESTYLE = (desc = 'd') =>
  `<?xml version='1.0' encoding='UTF-8'?>\n<project>\n  <description>${desc}</description>\n  <keepDependencies>false</keepDependencies>\n  <properties/>\n  <canRoam>true</canRoam>\n  <disabled>false</disabled>\n  <builders/>\n</project>`;
export const FOLDER = `<?xml version='1.0' encoding='UTF-8'?>\n<com.cloudbees.hudson.plugins.folder.Folder plugin="cloudbees-folder@6.955"><actions/><description/><properties/><folderViews/><healthMetrics/></com.cloudbees.hudson.plugins.folder.Folder>`;
export const LIST_VIEW = (jobs: string[] = []) =>
  `<hudson.model.ListView><name>x</name><filterExecutors>false</filterExecutors><filterQueue>false</filterQueue><properties class="hudson.model.View$PropertyList"/><jobNames><comparator class="java.lang.String$CaseInsensitiveComparator"/>${jobs.map((j) => `<string>${j}</string>`).join('')}</jobNames><jobFilters/><columns/><recurse>false</recurse></hudson.model.ListView>`;

export function header(r: Res, name: string): string | undefined {
  const v = r.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
