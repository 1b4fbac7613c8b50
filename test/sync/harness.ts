import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { workspaceSource } from '../../src/sync/workspace-source.js';
import { runSync, type SyncOutcome } from '../../src/sync/run-sync.js';
import type { SyncSettings } from '../../src/sync/plan-sync.js';
import type { Clock } from '../../src/model/clock.js';

export const TEMPLATE = `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <description>Trunk build of $PROJECT.NAME</description>
  <keepDependencies>false</keepDependencies>
  <properties/>
  <scm class="hudson.scm.NullSCM"/>
  <canRoam>true</canRoam>
  <disabled>false</disabled>
  <builders>
    <hudson.tasks.Shell>
      <command>echo $SCM.PATH</command>
    </hudson.tasks.Shell>
  </builders>
</project>
`;

export interface Env {
  dir: string;
  templatesDir: string;
  jobsDir: string;
  standin: Standin;
  api: JenkinsClient;
  writeProject(name: string, body: string): Promise<void>;
  removeProject(name: string): Promise<void>;
  sync(settings?: SyncSettings & { dryRun?: boolean; clock?: Clock }): Promise<SyncOutcome>;
  counts(): Record<string, number>;
  totalRequests(): number;
  close(): Promise<void>;
}

export async function makeEnv(opts: { buildDurationMs?: number; templates?: Record<string, string> } = {}): Promise<Env> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-sync-'));
  const templatesDir = path.join(dir, 'job-templates');
  const jobsDir = path.join(dir, 'jobs');
  await mkdir(templatesDir, { recursive: true });
  await mkdir(jobsDir, { recursive: true });
  for (const [name, text] of Object.entries(opts.templates ?? { 'CI-build-trunk': TEMPLATE })) {
    await writeFile(path.join(templatesDir, `${name}-config.xml`), text);
  }
  const standin = await startStandin({
    home: path.join(dir, 'home'),
    port: 0,
    users: [{ name: 'sync', token: '11aaaabbbbccccddddeeeeffff00001111' }],
    ...(opts.buildDurationMs !== undefined ? { buildDurationMs: opts.buildDurationMs } : {}),
    quietPeriodMs: 0,
  });
  const api = new JenkinsClient({ url: standin.url + '/', user: 'sync', token: '11aaaabbbbccccddddeeeeffff00001111', retries: 1, retryBaseDelayMs: 10 });
  const env: Env = {
    dir,
    templatesDir,
    jobsDir,
    standin,
    api,
    writeProject: (name, body) => writeFile(path.join(jobsDir, `${name}.yaml`), body),
    removeProject: (name) => rm(path.join(jobsDir, `${name}.yaml`)),
    async sync(settings = {}) {
      const { dryRun, clock, ...rest } = settings;
      return runSync({
        api,
        source: workspaceSource({ templatesDir, jobsDir, branches: false }),
        settings: rest,
        ...(dryRun ? { dryRun } : {}),
        ...(clock ? { clock } : {}),
      });
    },
    counts: () => standin.requestCounts(),
    totalRequests: () => Object.values(standin.requestCounts()).reduce((a, b) => a + b, 0),
    async close() {
      await api.close();
      await standin.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return env;
}

export function project(scm: string, extra = ''): string {
  return `templates: [CI-build-trunk]\ntokens:\n  SCM.PATH: ${scm}\n${extra}`;
}

export function planned(o: SyncOutcome) {
  if (o.status !== 'planned') throw new Error(`expected a plan, got ${o.status}: ${JSON.stringify(o.diagnostics)}`);
  return o;
}

export function kindsOf(o: SyncOutcome): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of planned(o).plan.changes) (out[`${c.target}:${c.fullName}`] ??= []).push(c.kind);
  return out;
}
