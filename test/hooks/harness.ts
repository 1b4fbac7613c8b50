/**
 * Webhooks end to end: serve's form server with the /hooks routes on a loopback port, the real
 * runner syncing into the stand-in through the real client, branches listed from real bare git
 * remotes (file://), and the definitions in a git clone of a bare remote.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DefinitionsStore } from '../../src/form/definitions-store.js';
import { startFormServer, type RunningFormServer } from '../../src/form/form-server.js';
import { hookRoutes, type HookRouteOptions } from '../../src/form/hook-routes.js';
import { renderChecker } from '../../src/form/render-checker.js';
import { definitionsCatalog } from '../../src/hooks/hook-catalog.js';
import { hookRunner } from '../../src/hooks/hook-runner.js';
import { HookService, type BatchResult } from '../../src/hooks/hook-service.js';
import type { Batch } from '../../src/hooks/hook-queue.js';
import type { HookSecrets } from '../../src/hooks/hook-secret.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import type { Clock } from '../../src/model/clock.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { git, makeDefinitionsRepo, type DefinitionsRepo } from '../form/git-fixtures.js';
import { headersFor, pointedAt, providerOf, type PayloadName } from './payloads.js';

export const SECRET = 'whsec-Zq8pL2vN5xR7tY1u';

export const BRANCH_TEMPLATE = `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <description>branch $BRANCH.NAME</description>
  <keepDependencies>false</keepDependencies>
  <properties/>
  <scm class="hudson.scm.NullSCM"/>
  <canRoam>true</canRoam>
  <disabled>false</disabled>
  <builders>
    <hudson.tasks.Shell>
      <command>echo building $BRANCH.NAME</command>
    </hudson.tasks.Shell>
  </builders>
</project>
`;

export interface HookEnv {
  root: string;
  defs: DefinitionsRepo;
  standin: Standin;
  api: JenkinsClient;
  service: HookService;
  server: RunningFormServer;
  batches: Array<{ batch: Batch; result: BatchResult }>;
  /** Write jobs/<project>.yaml in serve's working copy (not committed). */
  define(project: string, repo: string, extra?: string): void;
  post(name: PayloadName, body: object | string, opts?: { secret?: string | null; headers?: Record<string, string>; path?: string }): Promise<{ status: number; json: any; text: string }>;
  status(): Promise<any[]>;
  jobs(): Promise<Map<string, { disabled: boolean; description: string | null }>>;
  close(): Promise<void>;
}

export async function hookEnv(opts: { secrets?: HookSecrets; clock?: Clock; settleMs?: number; buildDurationMs?: number; routes?: HookRouteOptions } = {}): Promise<HookEnv> {
  const defs = makeDefinitionsRepo({
    'job-templates/Branch-build-config.xml': BRANCH_TEMPLATE,
    'jobs/_defaults.yaml': 'tokens: {}\n',
  });
  const root = defs.root;
  const work = defs.work;
  const templatesDir = path.join(work, 'job-templates');
  const jobsDir = path.join(work, 'jobs');
  const standin = await startStandin({ home: path.join(root, 'home'), buildDurationMs: opts.buildDurationMs ?? 100, quietPeriodMs: 0 });
  const api = new JenkinsClient({ url: standin.url + '/', retries: 0 });
  const catalog = definitionsCatalog({ dir: work, templatesDir, jobsDir });
  const batches: HookEnv['batches'] = [];
  const service = new HookService({
    secrets: opts.secrets ?? { github: SECRET, gitlab: SECRET, gitea: SECRET, bitbucket: SECRET },
    catalog,
    runner: hookRunner({ api, dir: work, templatesDir, jobsDir, buildOnCreate: catalog.buildOnCreate, concurrency: 4, cwd: work, ...(opts.clock ? { clock: opts.clock } : {}) }),
    ...(opts.settleMs !== undefined ? { settleMs: opts.settleMs } : {}),
    onBatch: (batch, result) => batches.push({ batch, result }),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const server = await startFormServer(
    {
      checker: renderChecker({ templatesDir, jobsDir }),
      store: new DefinitionsStore({ dir: work }),
      via: 'the web form',
      definitionsLabel: 'jobs/',
      refreshMs: 0,
      routes: [hookRoutes(service, opts.routes)],
    },
    { port: 0 },
  );
  return {
    root,
    defs,
    standin,
    api,
    service,
    server,
    batches,
    define(project, repo, extra = '') {
      fs.writeFileSync(path.join(jobsDir, `${project}.yaml`), `project: ${project}\nfolder: team\nbranches:\n  repo: ${repo}\n  templates: [Branch-build]\n${extra}`);
    },
    async post(name, body, o = {}) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const secret = o.secret === null ? undefined : (o.secret ?? SECRET);
      const res = await fetch(`${server.url}${o.path ?? `/hooks/${providerOf(name)}`}`, { method: 'POST', headers: { ...headersFor(name, text, secret), ...(o.headers ?? {}) }, body: text });
      const t = await res.text();
      let json: any;
      try {
        json = JSON.parse(t);
      } catch {
        json = undefined;
      }
      return { status: res.status, json, text: t };
    },
    async status() {
      const res = await fetch(`${server.url}/hooks/status`);
      return ((await res.json()) as { events: any[] }).events;
    },
    async jobs() {
      const l = await api.list();
      return new Map(l.items.filter((i) => !i.isFolder).map((i) => [i.fullName, { disabled: i.disabled === true, description: i.description ?? null }]));
    },
    async close() {
      await server.close();
      await service.close();
      await api.close();
      await standin.close();
      defs.cleanup();
    },
  };
}

export { git, pointedAt };
