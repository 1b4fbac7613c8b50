import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { readFileSync } from 'node:fs';
import { repoRoot, runCli } from '../helpers/cli.js';
import { definitionsFiles } from './fixtures.js';

let standin: Standin;
let root: string;
let defs: string;

/** What `bootstrap --init` leaves in a definitions repository (made for real in bootstrap-pin.test.ts). */
const lockFixture = {
  name: 'defs',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { dependencies: { jobsmith: '0.1.0' } },
    'node_modules/jobsmith': {
      version: '0.1.0',
      resolved: 'https://registry.example.test/jobsmith/-/jobsmith-0.1.0.tgz',
      integrity: 'sha512-0NTbql7fe5snPkJA9YF5W/WwjeyVhnDEiNZI2Y1c7RI6WY6BjaNTO35hIaJ8/e7m99Mu/JGwupbdKhqglcCZQg==',
    },
  },
};

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-bootstrap-'));
  mkdirSync(path.join(root, 'home'));
  defs = path.join(root, 'defs');
  for (const [rel, text] of Object.entries(definitionsFiles({ 'jobs/_defaults.yaml': 'tokens:\n  MVN.GOALS: verify\n' }))) {
    mkdirSync(path.dirname(path.join(defs, rel)), { recursive: true });
    writeFileSync(path.join(defs, rel), text);
  }
  writeFileSync(path.join(defs, 'package.json'), JSON.stringify({ private: true, dependencies: { jobsmith: '0.1.0' } }, null, 2));
  writeFileSync(path.join(defs, 'package-lock.json'), JSON.stringify(lockFixture, null, 2));
  standin = await startStandin({ home: path.join(root, 'home'), port: 0 });
});
afterAll(async () => {
  await standin?.close();
  rmSync(root, { recursive: true, force: true });
});

async function config(fullName: string): Promise<string> {
  const res = await fetch(`${standin.url}/${fullName.split('/').map((s) => `job/${encodeURIComponent(s)}`).join('/')}/config.xml`);
  expect(res.status).toBe(200);
  return res.text();
}
async function namesIn(folder: string): Promise<string[]> {
  const res = await fetch(`${standin.url}/job/${folder}/api/json?tree=jobs[name]`);
  if (res.status === 404) return [];
  return ((await res.json()) as { jobs: Array<{ name: string }> }).jobs.map((j) => j.name).sort();
}

const parser = new XMLParser({ ignoreAttributes: false, isArray: (n) => n.endsWith('ParameterDefinition') || n === 'string' });

/** The pipeline script's stages, by name (text between `stage('X')` and the next stage). */
function stages(script: string): Record<string, string> {
  const out: Record<string, string> = {};
  const parts = script.split(/stage\('([^']+)'\)/);
  for (let i = 1; i < parts.length; i += 2) out[parts[i]!] = parts[i + 1]!;
  return out;
}

describe('jobsmith bootstrap', () => {
  const args = (over: Record<string, string> = {}, folder = 'ci-admin'): string[] =>
    Object.entries({
      definitions: defs,
      repo: 'https://git.example.com/build/jenkins-jobs.git',
      'git-credentials': 'definitions-git',
      'jenkins-credentials': 'jobsmith-api',
      poll: 'H/2 * * * *',
      folder,
      'jenkins-url': standin.url,
      ...over,
    }).reduce<string[]>((acc, [k, v]) => [...acc, `--${k}`, v], ['bootstrap']);

  it('creates the sync job and the create-job job; both install the pinned jobsmith with npm ci', async () => {
    const r = await runCli(args());
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created      ci-admin/jobsmith-sync');
    expect(r.stdout).toContain('created      ci-admin/create-job');

    const sync = await config('ci-admin/jobsmith-sync');
    const syncDoc = parser.parse(sync)['flow-definition'];
    expect(syncDoc.properties['org.jenkinsci.plugins.workflow.job.properties.PipelineTriggersJobProperty'].triggers['hudson.triggers.SCMTrigger'].spec).toBe('H/2 * * * *');
    const s = stages(syncDoc.definition.script as string);
    expect(Object.keys(s)).toEqual(['Checkout definitions', 'Install jobsmith', 'Sync']);
    expect(s['Checkout definitions']).toContain("git url: 'https://git.example.com/build/jenkins-jobs.git', branch: 'main', credentialsId: 'definitions-git'");
    // exactly what package-lock.json pins: npm ci, no install scripts, then the locked binary
    expect(s['Install jobsmith']).toContain("sh 'npm ci --ignore-scripts --no-audit --no-fund'");
    expect(syncDoc.definition.script).not.toMatch(/npm install|npx/);
    expect(s['Sync']).toContain("sh './node_modules/.bin/jobsmith sync'");
    // branch detection of private HTTPS repositories gets the definitions' git credential
    expect(s['Sync']).toContain("gitUsernamePassword(credentialsId: 'definitions-git')");
    expect(s['Sync']).toContain("usernamePassword(credentialsId: 'jobsmith-api'");

    const createXml = await config('ci-admin/create-job');
    const create = parser.parse(createXml)['flow-definition'];
    const cs = stages(create.definition.script as string);
    expect(cs['Install jobsmith']).toContain("sh 'npm ci --ignore-scripts --no-audit --no-fund'");
    expect(cs['Create']).toContain("sh './node_modules/.bin/jobsmith create --from-env --sync now'");
    expect(cs['Create']).toContain("gitUsernamePassword(credentialsId: 'definitions-git')");
    expect(create.definition.script).not.toMatch(/npm install|npx/);

    const defs_ = create.properties['hudson.model.ParametersDefinitionProperty'].parameterDefinitions;
    const strings = defs_['hudson.model.StringParameterDefinition'] as Array<{ name: string; defaultValue: string; description: string }>;
    expect(strings.map((p) => p.name)).toEqual(['JOBSMITH_PROJECT', 'MVN_GOALS', 'SCM_URL', 'JOBSMITH_FOLDER', 'JOBSMITH_VIEW']);
    const booleans = defs_['hudson.model.BooleanParameterDefinition'].map((p: { name: string; defaultValue: unknown }) => [p.name, String(p.defaultValue)]);
    expect(booleans).toEqual([
      ['JOBSMITH_TEMPLATE_Build', 'false'],
      ['JOBSMITH_TEMPLATE_Pipeline', 'false'],
      ['NOTIFY_ON_FAILURE', 'false'],
    ]);
    const choice = defs_['hudson.model.ChoiceParameterDefinition'][0];
    expect(choice.name).toBe('BUILD_FARM');
    expect(choice.choices.a.string).toEqual(['linux', 'windows']);
    // defaults are what a new project gets: jobs/_defaults.yaml before the sidecar ("clean install")
    expect(strings.find((p) => p.name === 'MVN_GOALS')!.defaultValue).toBe('verify');
    // a token several templates use is described by each template that uses it
    const scm = strings.find((p) => p.name === 'SCM_URL')!.description;
    expect(scm).toContain('Build: Repository URL of the project.');
    expect(scm).toContain('Pipeline: Clone URL of the git repository that holds the Jenkinsfile.');

    // Credentials are ids only: nothing secret-looking in either config.
    for (const xml of [sync, createXml]) expect(xml).not.toMatch(/password>|apiToken|:\/\/[^/\s]*:[^/\s]*@/i);
  });

  it('a re-run that changes nothing says "unchanged"; a changed value updates only the job it concerns', async () => {
    const same = await runCli(args());
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('unchanged    ci-admin/jobsmith-sync');
    expect(same.stdout).toContain('unchanged    ci-admin/create-job');
    expect(same.stdout).not.toContain('updated');

    const r = await runCli(args({ poll: 'H/10 * * * *' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('updated      ci-admin/jobsmith-sync');
    expect(r.stdout).toContain('unchanged    ci-admin/create-job');
    expect(await config('ci-admin/jobsmith-sync')).toContain('<spec>H/10 * * * *</spec>');
  });

  it('bad token values: the error names the flag (not a temporary file), exit 1, nothing changed', async () => {
    const r = await runCli(args({ 'sync-job': 'other-sync', 'create-job': 'other-create', 'jenkins-credentials': "x' ; rm -rf /" }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: --jenkins-credentials "x' ; rm -rf /": expected the id of a Jenkins credential`);
    expect(r.stderr).not.toContain(os.tmpdir());
    expect(r.stderr).not.toContain('jobsmith.yaml');
    expect(await namesIn('ci-admin')).toEqual(['create-job', 'jobsmith-sync']);

    const set = await runCli(args({ set: 'SYNC.POLL=not a cron; $(x)' }));
    expect(set.code).toBe(1);
    expect(set.stderr).toContain('error: --set SYNC.POLL "not a cron; $(x)": expected a cron schedule');
  });

  it('a password in --repo is refused with exit 1, naming the flag and --git-credentials, never echoing it', async () => {
    for (const repo of ['https://builder:s3cr3t-pass@git.example.com/build/jenkins-jobs.git', 'https://ghp_tok3nValue@github.com/acme/jobs.git']) {
      const r = await runCli(args({ repo }, 'leak-check'));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('--repo https://***@');
      expect(r.stderr).toContain('--git-credentials');
      expect(r.stdout + r.stderr).not.toMatch(/s3cr3t|tok3nValue/);
    }
    const viaSet = await runCli([...args({}, 'leak-check'), '--set', 'DEFINITIONS.REPO=https://u:s3cr3t@git.example.com/x.git']);
    expect(viaSet.code).toBe(1);
    expect(viaSet.stderr).toContain('--set DEFINITIONS.REPO https://***@');
    expect(viaSet.stdout + viaSet.stderr).not.toContain('s3cr3t');
    expect(await namesIn('leak-check')).toEqual([]);
  });

  it('warns about a definitions repository without a locked jobsmith, naming --definitions and --init', async () => {
    const bare = path.join(root, 'unpinned');
    mkdirSync(path.join(bare, 'job-templates'), { recursive: true });
    for (const [rel, text] of Object.entries(definitionsFiles())) if (rel.startsWith('job-templates/')) writeFileSync(path.join(bare, rel), text);
    const r = await runCli(args({ definitions: bare }, 'unpinned'));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: --definitions ${bare}: ${path.join(bare, 'package.json')} does not exist: the master jobs run \`npm ci\`, which fails until jobsmith is pinned there`);
    expect(r.stderr).toContain('jobsmith bootstrap --init');
    writeFileSync(path.join(bare, 'package.json'), JSON.stringify({ dependencies: { jobsmith: '^0.1.0' } }));
    writeFileSync(path.join(bare, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/jobsmith': { version: '0.1.0' } } }));
    const noIntegrity = await runCli([...args({ definitions: bare }, 'unpinned'), '--json']);
    expect(noIntegrity.code).toBe(0);
    expect((JSON.parse(noIntegrity.stdout) as { warnings: string[] }).warnings[0]).toContain('records jobsmith without an integrity or commit id');
    // pinned: no warning
    const ok = await runCli(args());
    expect(ok.stderr).not.toContain('warning');
  });

  it('--package without --init is a usage error (the jobs install what the lock pins)', async () => {
    const r = await runCli(args({ package: 'jobsmith@0.1.0' }, 'usage'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--package goes with --init');
  });

  it('the documented push webhook carries the token git plugin 4.11+ requires (GitStatus.doNotifyCommit\'s `token` parameter)', () => {
    const docs = ['README.md', 'docs/self-service.md', 'docs/branches.md'].map((f) => [f, readFileSync(path.join(repoRoot, f), 'utf8')] as const);
    const urls = docs.flatMap(([f, text]) => [...text.matchAll(/\/git\/notifyCommit\?[^`)\n]*/g)].map((m) => `${f}: ${m[0]}`));
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u).toMatch(/[?&]url=.*&token=/);
  });
});
