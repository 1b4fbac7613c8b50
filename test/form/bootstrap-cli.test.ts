import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { runCli } from '../helpers/cli.js';
import { definitionsFiles } from './fixtures.js';

let standin: Standin;
let root: string;
let templates: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-bootstrap-'));
  mkdirSync(path.join(root, 'home'));
  templates = path.join(root, 'job-templates');
  mkdirSync(templates);
  for (const [rel, text] of Object.entries(definitionsFiles())) {
    if (rel.startsWith('job-templates/')) writeFileSync(path.join(root, rel), text);
  }
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

const parser = new XMLParser({ ignoreAttributes: false, isArray: (n) => n.endsWith('ParameterDefinition') || n === 'string' });

describe('jobsmith bootstrap', () => {
  const args = (over: Record<string, string> = {}): string[] =>
    Object.entries({
      templates,
      repo: 'https://git.example.com/build/jenkins-jobs.git',
      'git-credentials': 'definitions-git',
      'jenkins-credentials': 'jobsmith-api',
      poll: 'H/2 * * * *',
      folder: 'ci-admin',
      'jenkins-url': standin.url,
      ...over,
    }).reduce<string[]>((acc, [k, v]) => [...acc, `--${k}`, v], ['bootstrap']);

  it('creates the sync job and the create-job job with parameters from the sidecars', async () => {
    const r = await runCli(args());
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created      ci-admin/jobsmith-sync');
    expect(r.stdout).toContain('created      ci-admin/create-job');

    const sync = await config('ci-admin/jobsmith-sync');
    const syncDoc = parser.parse(sync)['flow-definition'];
    expect(syncDoc.properties['org.jenkinsci.plugins.workflow.job.properties.PipelineTriggersJobProperty'].triggers['hudson.triggers.SCMTrigger'].spec).toBe('H/2 * * * *');
    const script: string = syncDoc.definition.script;
    expect(script).toContain("git url: 'https://git.example.com/build/jenkins-jobs.git', branch: 'main', credentialsId: 'definitions-git'");
    expect(script).toContain("usernamePassword(credentialsId: 'jobsmith-api'");
    expect(script).toContain('npx --no-install jobsmith sync');

    const create = parser.parse(await config('ci-admin/create-job'))['flow-definition'];
    const defs = create.properties['hudson.model.ParametersDefinitionProperty'].parameterDefinitions;
    const strings = defs['hudson.model.StringParameterDefinition'].map((p: { name: string }) => p.name);
    expect(strings).toEqual(['JOBSMITH_PROJECT', 'MVN_GOALS', 'SCM_URL', 'JOBSMITH_FOLDER', 'JOBSMITH_VIEW']);
    const booleans = defs['hudson.model.BooleanParameterDefinition'].map((p: { name: string; defaultValue: unknown }) => [p.name, String(p.defaultValue)]);
    expect(booleans).toEqual([
      ['JOBSMITH_TEMPLATE_Build', 'false'],
      ['JOBSMITH_TEMPLATE_Pipeline', 'false'],
      ['NOTIFY_ON_FAILURE', 'false'],
    ]);
    const choice = defs['hudson.model.ChoiceParameterDefinition'][0];
    expect(choice.name).toBe('BUILD_FARM');
    expect(choice.choices.a.string).toEqual(['linux', 'windows']);
    expect(defs['hudson.model.StringParameterDefinition'][1].defaultValue).toBe('clean install');
    expect(create.definition.script).toContain('jobsmith create --from-env --sync now');
    expect(create.definition.script).toContain("gitUsernamePassword(credentialsId: 'definitions-git')");

    // Credentials are ids only: nothing secret-looking in either config.
    for (const xml of [sync, await config('ci-admin/create-job')]) expect(xml).not.toMatch(/password>|apiToken|:\/\/[^/\s]*:[^/\s]*@/i);
  });

  it('a second run updates the two jobs in place', async () => {
    const r = await runCli(args({ poll: 'H/10 * * * *' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('updated      ci-admin/jobsmith-sync');
    expect(await config('ci-admin/jobsmith-sync')).toContain('<spec>H/10 * * * *</spec>');
  });

  it('bad token values: exit 1, nothing changed', async () => {
    const r = await runCli(args({ 'sync-job': 'other-sync', 'create-job': 'other-create', 'jenkins-credentials': "x' ; rm -rf /" }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('JENKINS.CREDENTIALS must match the pattern');
    const res = await fetch(`${standin.url}/job/ci-admin/api/json?tree=jobs[name]`);
    expect(((await res.json()) as { jobs: Array<{ name: string }> }).jobs.map((j) => j.name).sort()).toEqual(['create-job', 'jobsmith-sync']);
  });
});
