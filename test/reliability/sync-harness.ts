/**
 * Shared pieces of the fault-injection and concurrency tests: a stand-in on a loopback port that
 * can be restarted on the same port with the same home, a JenkinsClient per sync (as a fresh
 * master-job run would have) whose log lines are counted by fault kind, generated desired
 * states, and checks on the Jenkins state read back over HTTP.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { JenkinsClient, type ClientOptions } from '../../src/jenkins/jenkins-client.js';
import type { DesiredJob, DesiredState } from '../../src/model/desired-job.js';
import type { ObservedItem } from '../../src/model/observed.js';
import { sha256 } from '../../src/model/hash.js';
import { parseMarker } from '../../src/plan/marker.js';
import { startStandin, type Standin, type StandinOptions } from '../../src/standin/server.js';
import type { DesiredSource } from '../../src/sync/desired-source.js';
import { findSecretLeaks, type TestSecret } from '../helpers/secret-scan.js';
import { countFault, type Figures } from './figures.js';

export class StandinHarness {
  standin!: Standin;
  home = '';
  restarts = 0;
  private opts!: Omit<StandinOptions, 'home' | 'port'>;

  static async start(opts: Omit<StandinOptions, 'home' | 'port'>): Promise<StandinHarness> {
    const h = new StandinHarness();
    h.home = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-rel-'));
    h.opts = opts;
    h.standin = await startStandin({ ...opts, home: h.home, port: 0 });
    return h;
  }

  get url(): string {
    return this.standin.url;
  }

  /** Stop and start again on the same port and home (state survives, sessions and builds do not). */
  async restart(): Promise<void> {
    const port = this.standin.port;
    await this.standin.close();
    for (let attempt = 0; ; attempt++) {
      try {
        this.standin = await startStandin({ ...this.opts, home: this.home, port });
        break;
      } catch (e) {
        if (attempt >= 50) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    this.restarts++;
  }

  async close(): Promise<void> {
    await this.standin.close();
    await rm(this.home, { recursive: true, force: true });
  }
}

/** Counts what the client saw, by kind: injected 500/502/503, dropped connections, crumb refusals, 401/403. */
export class FaultLog {
  readonly lines: string[] = [];
  seen: Record<string, number> = {};
  constructor(private readonly secret?: TestSecret) {}
  logger = (line: string): void => {
    this.lines.push(line);
    const m = / → (\d{3}|[a-z-]+) \(\d+ ms\)$/.exec(line);
    if (m) {
      const k = m[1]!;
      if (/^5\d\d$/.test(k)) this.bump(`HTTP ${k}`);
      else if (k === '401' || k === '403') this.bump(`HTTP ${k}`);
      else if (!/^\d+$/.test(k)) this.bump(`connection: ${k}`);
    }
    if (/crumb refused/.test(line)) this.bump('crumb refused (refetched)');
  };
  private bump(k: string): void {
    this.seen[k] = (this.seen[k] ?? 0) + 1;
  }
  /** Add what was seen to the figures (under `faults seen by the client: ...`). */
  addTo(f: Figures): void {
    for (const [k, n] of Object.entries(this.seen)) countFault(f, k, n);
    this.seen = {};
  }
  leaks(): number {
    return this.secret ? findSecretLeaks(this.lines.join('\n'), this.secret, 'client log').length : 0;
  }
}

export function newClient(url: string, secret: TestSecret | undefined, log: FaultLog, extra: Partial<ClientOptions> = {}): JenkinsClient {
  const opts: ClientOptions = { url, concurrency: 8, timeoutMs: 10_000, retries: 3, retryBaseDelayMs: 10, logger: log.logger, ...extra };
  if (secret) {
    opts.user = secret.user;
    opts.token = secret.token;
  }
  return new JenkinsClient(opts);
}

export function jobConfig(label: string, variant: number): string {
  return (
    `<?xml version='1.1' encoding='UTF-8'?>\n<project>\n  <description>${label}</description>\n  <keepDependencies>false</keepDependencies>\n` +
    `  <disabled>false</disabled>\n  <builders>\n    <hudson.tasks.Shell>\n      <command>echo ${label} v${variant}</command>\n    </hudson.tasks.Shell>\n  </builders>\n</project>\n`
  );
}

export function desiredJob(fullName: string, project: string, template: string, variant: number): DesiredJob {
  const config = jobConfig(fullName, variant);
  const i = fullName.lastIndexOf('/');
  return {
    fullName,
    name: fullName.slice(i + 1),
    folder: i < 0 ? [] : fullName.slice(0, i).split('/'),
    project,
    template,
    config,
    hash: sha256(config),
    rootElement: 'project',
    source: { file: `jobs/${project}.yaml`, line: 1 },
  };
}

export const FOLDER_XML = `<?xml version='1.1' encoding='UTF-8'?>\n<com.cloudbees.hudson.plugins.folder.Folder>\n  <description>team folder</description>\n</com.cloudbees.hudson.plugins.folder.Folder>\n`;

/**
 * `n` jobs over 50 projects, one template; every 10th job inside folder `team-a`. `variantOf`
 * picks the config variant per job index (so a round can change some jobs).
 */
export function desiredState(n: number, variantOf: (k: number) => number = () => 0, extra: DesiredJob[] = []): DesiredState {
  const jobs: DesiredJob[] = [];
  for (let k = 0; k < n; k++) {
    const project = `p${k % 50}`;
    const name = k % 10 === 0 ? `team-a/${project}-job-${k}` : `${project}-job-${k}`;
    jobs.push(desiredJob(name, project, 'CI', variantOf(k)));
  }
  jobs.push(...extra);
  const folders = jobs.some((j) => j.folder.length > 0) ? [{ fullName: 'team-a', config: FOLDER_XML }] : [];
  return { jobs, folders, views: [] };
}

export function staticSource(desired: DesiredState): DesiredSource {
  return { render: async () => ({ desired, diagnostics: [] }) };
}

export interface StateCheck {
  missingDesired: string[];
  wrongHash: string[];
  duplicates: string[];
  items: ObservedItem[];
}

/** Read Jenkins back over HTTP and compare with the desired jobs. */
export async function checkState(client: JenkinsClient, desired: DesiredState, unmanagedInTheWay: ReadonlySet<string> = new Set()): Promise<StateCheck> {
  const observed = await client.list();
  const byLower = new Map<string, ObservedItem[]>();
  for (const i of observed.items) {
    const k = i.fullName.toLowerCase();
    byLower.set(k, [...(byLower.get(k) ?? []), i]);
  }
  const missingDesired: string[] = [];
  const wrongHash: string[] = [];
  for (const j of desired.jobs) {
    if (unmanagedInTheWay.has(j.fullName)) continue; // reported as a conflict, never taken over
    const o = byLower.get(j.fullName.toLowerCase())?.[0];
    if (!o) missingDesired.push(j.fullName);
    else if (parseMarker(o.description)?.hash !== j.hash) wrongHash.push(j.fullName);
  }
  const duplicates = [...byLower].filter(([, v]) => v.length > 1).map(([k]) => k);
  return { missingDesired, wrongHash, duplicates, items: observed.items };
}

/** A clear failure message: one or a few lines of text, no stack frames, no secret. */
export function clearMessage(text: string, secret?: TestSecret): { ok: boolean; why?: string } {
  if (/\n\s+at .+:\d+:\d+\)?/.test(text) || /^\s+at /m.test(text)) return { ok: false, why: 'stack trace in message' };
  if (/\[object Object\]|undefined:|TypeError|ReferenceError/.test(text)) return { ok: false, why: 'programming error text in message' };
  if (secret && findSecretLeaks(text, secret).length > 0) return { ok: false, why: 'secret in message' };
  if (text.trim() === '') return { ok: false, why: 'empty message' };
  return { ok: true };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Wait until the listed jobs show a running build (colour *_anime), bounded. */
export async function waitBuilding(client: JenkinsClient, names: string[], timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const items = (await client.list()).items;
    const building = new Set(items.filter((i) => i.building).map((i) => i.fullName));
    if (names.every((n) => building.has(n))) return;
    if (Date.now() > until) throw new Error(`builds did not start: ${names.filter((n) => !building.has(n)).join(', ')}`);
    await sleep(100);
  }
}
