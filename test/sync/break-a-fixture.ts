/**
 * Shared set-up of the break-it (report A) end-to-end tests: a stand-in on a loopback port, a
 * client, and definitions repositories as real git repositories (a bare remote and clones).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { git } from '../form/git-fixtures.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { TEMPLATE } from './harness.js';

export const TOKEN = '11aabbccddeeff0011223344556677aabb';

export interface World {
  root: string;
  standin: Standin;
  api: JenkinsClient;
  env: NodeJS.ProcessEnv;
  cli(cwd: string, args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<CliResult>;
  names(): Promise<string[]>;
  posts(): string[];
  /** A bare remote seeded with the templates and `projects` (name → yaml), and a clone `work`. */
  repo(name: string, projects: Record<string, string>, templates?: Record<string, string>): { bare: string; work: string; clone(c: string): string };
  commit(dir: string, message: string, push?: boolean): void;
  waitForBuild(job: string, number: number): Promise<void>;
  close(): Promise<void>;
}

export async function makeWorld(opts: { buildDurationMs?: number } = {}): Promise<World> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-break-a-'));
  const standin = await startStandin({ home: path.join(root, 'home'), port: 0, users: [{ name: 'ci', token: TOKEN }], buildDurationMs: opts.buildDurationMs ?? 30, quietPeriodMs: 0 });
  const api = new JenkinsClient({ url: standin.url + '/', user: 'ci', token: TOKEN, retries: 0 });
  const env: NodeJS.ProcessEnv = {
    JENKINS_URL: standin.url,
    JENKINS_USER: 'ci',
    JENKINS_API_TOKEN: TOKEN,
    CI: '1',
    GIT_AUTHOR_NAME: 'T',
    GIT_AUTHOR_EMAIL: 't@example.test',
    GIT_COMMITTER_NAME: 'T',
    GIT_COMMITTER_EMAIL: 't@example.test',
  };
  const w: World = {
    root,
    standin,
    api,
    env,
    cli: (cwd, args, extraEnv = {}) => runCli(args, { cwd, env: { ...env, ...extraEnv } }),
    names: async () => (await api.list()).items.map((i) => i.fullName).sort(),
    posts: () => Object.keys(standin.requestCounts()).filter((k) => k.startsWith('POST')),
    repo(name, projects, templates = { 'CI-build-trunk': TEMPLATE }) {
      const bare = path.join(root, `${name}.git`);
      git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
      const seed = path.join(root, `${name}-seed`);
      git(root, 'init', '--quiet', '--initial-branch=main', seed);
      mkdirSync(path.join(seed, 'job-templates'));
      mkdirSync(path.join(seed, 'jobs'));
      for (const [t, text] of Object.entries(templates)) writeFileSync(path.join(seed, 'job-templates', `${t}-config.xml`), text);
      writeFileSync(path.join(seed, 'jobs', '_defaults.yaml'), 'tokens: {}\n');
      for (const [p, text] of Object.entries(projects)) writeFileSync(path.join(seed, 'jobs', `${p}.yaml`), text);
      git(seed, 'add', '.');
      git(seed, 'commit', '--quiet', '-m', 'seed');
      git(seed, 'remote', 'add', 'origin', bare);
      git(seed, 'push', '--quiet', 'origin', 'main');
      const clone = (c: string): string => {
        const dir = path.join(root, `${name}-${c}`);
        git(root, 'clone', '--quiet', bare, dir);
        return dir;
      };
      return { bare, work: clone('work'), clone };
    },
    commit(dir, message, push = true) {
      git(dir, 'add', '-A');
      git(dir, 'commit', '--quiet', '-m', message);
      if (push) git(dir, 'push', '--quiet', 'origin', 'HEAD');
    },
    async waitForBuild(job, number) {
      for (let k = 0; k < 300; k++) {
        const s = await api.buildStatus(job, number).catch(() => undefined);
        if (s && !s.building) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`build ${job} #${number} did not finish`);
    },
    async close() {
      await api.close();
      await standin.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return w;
}

/** Numbers of the builds a job has (newest first), read through the JSON API. */
export async function buildNumbers(w: World, job: string): Promise<number[]> {
  const url = `${w.standin.url}/${job.split('/').map((s) => `job/${encodeURIComponent(s)}/`).join('')}api/json?tree=builds%5Bnumber%5D`;
  const res = await fetch(url, { headers: { authorization: `Basic ${Buffer.from(`ci:${TOKEN}`).toString('base64')}` } });
  if (res.status === 404) return [];
  const j = (await res.json()) as { builds?: Array<{ number: number }> };
  return (j.builds ?? []).map((b) => b.number);
}
