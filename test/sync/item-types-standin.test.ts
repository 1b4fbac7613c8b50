/**
 * Folder-type templates, view templates, replacements and failures, end to end against the
 * stand-in: created, updated (children kept), verified, moved, deleted with their project; a
 * replacement never loses the old job; failures say whether running sync again helps.
 */
import { realpathSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { workspaceSource } from '../../src/sync/workspace-source.js';
import { runSync } from '../../src/sync/run-sync.js';
import { parseMarker } from '../../src/plan/marker.js';
import { readDescription } from '../../src/plan/config-description.js';
import { kindsOf, makeEnv, planned, type Env } from './harness.js';
import { makePlan } from '../../src/plan/make-plan.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { systemClock } from '../../src/model/clock.js';

const FOLDER = `<?xml version='1.1' encoding='UTF-8'?>
<com.cloudbees.hudson.plugins.folder.Folder plugin="cloudbees-folder@6.9">
  <actions/>
  <properties/>
  <healthMetrics/>
  <icon class="com.cloudbees.hudson.plugins.folder.icons.StockFolderIcon"/>
</com.cloudbees.hudson.plugins.folder.Folder>
`;
const MULTIBRANCH = `<?xml version='1.1' encoding='UTF-8'?>
<org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject plugin="workflow-multibranch@2.26">
  <actions/>
  <description>Branches of $PROJECT.NAME</description>
  <properties/>
  <sources class="jenkins.branch.MultiBranchProject$BranchSourceList" plugin="branch-api@2.7.0"><data/></sources>
  <factory class="org.jenkinsci.plugins.workflow.multibranch.WorkflowBranchProjectFactory"><scriptPath>Jenkinsfile</scriptPath></factory>
</org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject>
`;
const FREESTYLE = `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <builders><hudson.tasks.Shell><command>echo $PROJECT.NAME</command></hudson.tasks.Shell></builders>
</project>
`;
const PIPELINE = `<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job@2.40">
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition" plugin="workflow-cps@2.90"><script>echo 'hi'</script><sandbox>true</sandbox></definition>
</flow-definition>
`;
const MULTIJOB = `<?xml version='1.1' encoding='UTF-8'?>
<com.tikal.jenkins.plugins.multijob.MultiJobProject plugin="jenkins-multijob-plugin@1.32">
  <builders/>
</com.tikal.jenkins.plugins.multijob.MultiJobProject>
`;
const VIEW = `<?xml version="1.1" encoding="UTF-8"?>
<hudson.model.ListView>
  <name>set by Jenkins</name>
  <filterExecutors>false</filterExecutors>
  <filterQueue>false</filterQueue>
  <properties class="hudson.model.View$PropertyList"/>
  <jobNames><comparator class="java.lang.String$CaseInsensitiveComparator"/></jobNames>
  <jobFilters/>
  <columns><hudson.views.StatusColumn/><hudson.views.JobColumn/></columns>
  <includeRegex>$PROJECT.NAME-.*</includeRegex>
  <recurse>false</recurse>
</hudson.model.ListView>
`;
const TEMPLATES = { Folder: FOLDER, MB: MULTIBRANCH, Build: FREESTYLE, Pipe: PIPELINE, Multi: MULTIJOB, Dash: VIEW };

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const names = async (e: Env) => (await e.api.list()).items.map((i) => i.fullName).sort();

describe('folder-type templates', () => {
  it('a folder: created with its marker, updated keeping its children, verified, moved, kept while it holds items jobsmith does not own', async () => {
    env = await makeEnv({ templates: TEMPLATES });
    await env.writeProject('p', 'templates: [Folder]\n');
    expect(kindsOf(await env.sync())).toEqual({ 'job:p-Folder': ['create'] });
    const listed = (await env.api.list()).items.find((i) => i.fullName === 'p-Folder')!;
    expect(listed).toMatchObject({ isFolder: true, className: 'com.cloudbees.hudson.plugins.folder.Folder' });
    expect(parseMarker(listed.description)).toMatchObject({ kind: 'job', owner: `dir:${realpathSync(env.jobsDir)}`, name: 'p-Folder', project: 'p', template: 'Folder' });
    // something made by hand inside it
    await env.api.createJob('p-Folder/by-hand', '<project><description>mine</description></project>');
    // no change, no drift: the same listing once, nothing else
    const again = planned(await env.sync({ verify: true }));
    expect(kindsOf(again)).toEqual({ 'job:p-Folder': ['unchanged'] });
    // the template changes: config POST, the child stays
    await writeFile(path.join(env.templatesDir, 'Folder-config.xml'), FOLDER.replace('<properties/>', '<description>team folder</description>\n  <properties/>'));
    expect(kindsOf(await env.sync())).toEqual({ 'job:p-Folder': ['update'] });
    expect(await names(env)).toEqual(['p-Folder', 'p-Folder/by-hand']);
    expect(readDescription(await env.api.getConfig('p-Folder'))).toMatch(/^team folder\n<!-- jobsmith:v2 /);
    // renamed by the definitions: moved with what it holds
    await env.writeProject('p', 'templates: [{template: Folder, job: team-space}]\n');
    expect(kindsOf(await env.sync())).toEqual({ 'job:team-space': ['move'] });
    expect(await names(env)).toEqual(['team-space', 'team-space/by-hand']);
    // the project goes: the folder holds a job jobsmith does not own → kept, reported
    await env.removeProject('p');
    await env.writeProject('other', 'templates: [Build]\n');
    const gone = planned(await env.sync());
    expect(kindsOf(gone)['job:team-space']).toEqual(['keep']);
    expect(gone.plan.problems.map((p) => p.code)).toContain('folder-holds-items');
    expect(await names(env)).toContain('team-space/by-hand');
    // once emptied by hand, the next sync deletes it
    await env.api.deleteJob('team-space/by-hand');
    expect(kindsOf(await env.sync())['job:team-space']).toEqual(['delete']);
    expect(await names(env)).toEqual(['other-Build']);
  });

  it('a multibranch project goes with its branch jobs, as in Jenkins', async () => {
    env = await makeEnv({ templates: TEMPLATES });
    await env.writeProject('p', 'folder: team\ntemplates: [MB]\n');
    await env.writeProject('keep', 'templates: [Build]\n');
    await env.sync();
    expect(await names(env)).toEqual(['keep-Build', 'team', 'team/p-MB']);
    expect(planned(await env.sync({ verify: true })).plan.summary).toMatchObject({ update: 0, create: 0, unchanged: 3 });
    // Jenkins' branch indexing made two branch jobs (written into the stand-in's home, then reloaded)
    const home = path.join(env.dir, 'home');
    for (const b of ['main', 'PR-7']) {
      await mkdir(path.join(home, 'jobs/team/jobs/p-MB/jobs', b), { recursive: true });
      await writeFile(path.join(home, 'jobs/team/jobs/p-MB/jobs', b, 'config.xml'), PIPELINE);
    }
    const reloaded = await restart(env);
    try {
      expect((await reloaded.api.list()).items.map((i) => i.fullName).sort()).toEqual(['keep-Build', 'team', 'team/p-MB', 'team/p-MB/PR-7', 'team/p-MB/main']);
      // branch jobs are Jenkins' own: not drift, not in the way
      const verified = planned(await reloaded.sync({ verify: true }));
      expect(verified.plan.summary).toMatchObject({ update: 0, create: 0, delete: 0 });
      await env.removeProject('p');
      const gone = planned(await reloaded.sync());
      expect(kindsOf(gone)).toMatchObject({ 'job:team/p-MB': ['delete'], 'folder:team': ['delete'] });
      expect(gone.applied!.failed).toEqual([]);
      expect((await reloaded.api.list()).items.map((i) => i.fullName)).toEqual(['keep-Build']);
    } finally {
      await reloaded.close();
    }
  });
});

describe('view templates', () => {
  it('a view: created in the project folder, verified, an edit in Jenkins found on that view only, deleted with the project', async () => {
    env = await makeEnv({ templates: TEMPLATES });
    await env.writeProject('p', 'folder: team\ntemplates: [Build, Dash]\n');
    expect(kindsOf(await env.sync())).toEqual({ 'folder:team': ['create'], 'job:team/p-Build': ['create'], 'view:team/p-Dash': ['create'] });
    const cfg = await env.api.getViewConfig('p-Dash', 'team');
    expect(cfg).toContain('<includeRegex>p-.*</includeRegex>');
    expect(parseMarker(readDescription(cfg))).toMatchObject({ kind: 'view', name: 'team/p-Dash', project: 'p', template: 'Dash' });
    expect(planned(await env.sync({ verify: true })).plan.summary).toMatchObject({ update: 0, create: 0, unchanged: 3 });
    await env.api.updateViewConfig('p-Dash', cfg.replace('<hudson.views.JobColumn/>', ''), 'team');
    const drift = planned(await env.sync({ verify: true }));
    expect(drift.plan.changes.filter((c) => c.kind !== 'unchanged').map((c) => `${c.kind} ${c.target} ${c.fullName}: ${c.reason}`)).toEqual(['update view team/p-Dash: edited in Jenkins (drift found by --verify)']);
    expect(await env.api.getViewConfig('p-Dash', 'team')).toContain('JobColumn');
    await env.writeProject('p', 'folder: team\ntemplates: [Build]\n');
    expect(kindsOf(await env.sync())['view:team/p-Dash']).toEqual(['delete']);
    expect((await env.api.listViews('team')).map((v) => v.name)).toEqual(['All']);
  });
});

describe('replacements and failures', () => {
  it('a type change creates the new job before the old one goes; when Jenkins cannot create it, the old job keeps its name', async () => {
    env = await makeEnv({ templates: TEMPLATES });
    await env.writeProject('p', 'templates: [{template: Build, job: app}]\n');
    await env.writeProject('q', 'templates: [Pipe]\n'); // (one replacement of two jobs is not a mass delete)
    await env.sync();
    // the template becomes a MultiJob project, which this Jenkins has no plugin for
    await writeFile(path.join(env.templatesDir, 'Build-config.xml'), MULTIJOB);
    const o = planned(await env.sync());
    expect(kindsOf(o)).toMatchObject({ 'job:app': ['replace'] });
    expect(o.applied!.failed).toHaveLength(1);
    expect(o.applied!.failed[0]).toMatchObject({ class: 'jenkins', hint: expect.stringContaining('Jenkins has no plugin that provides <com.tikal.jenkins.plugins.multijob.MultiJobProject>') });
    const after = (await env.api.list()).items.filter((i) => i.fullName !== 'q-Pipe');
    expect(after.map((i) => i.fullName)).toEqual(['app']);
    expect(after[0]!.className).toBe('hudson.model.FreeStyleProject');
    expect(parseMarker(after[0]!.description)).toMatchObject({ name: 'app', template: 'Build' });
    // a type Jenkins has: replaced, nothing left aside
    await writeFile(path.join(env.templatesDir, 'Build-config.xml'), PIPELINE);
    const ok = planned(await env.sync());
    expect(ok.applied!.failed).toEqual([]);
    const now = (await env.api.list()).items;
    expect(now.map((i) => `${i.fullName} ${i.className}`)).toEqual(['app org.jenkinsci.plugins.workflow.job.WorkflowJob', 'q-Pipe org.jenkinsci.plugins.workflow.job.WorkflowJob']);
  });

  it('a job renamed to a name over 255 bytes: validate refuses it, nothing is deleted', async () => {
    env = await makeEnv({ templates: TEMPLATES });
    await env.writeProject('p', 'templates: [{template: Build, job: app}]\n');
    await env.sync();
    const long = 'ü'.repeat(130); // 260 bytes of UTF-8
    await env.writeProject('p', `templates: [{template: Build, job: ${long}}]\n`);
    env.standin.resetCounts();
    const o = await env.sync();
    expect(o.status).toBe('invalid');
    expect(o.diagnostics).toContainEqual(expect.objectContaining({ code: 'bad-job-name', message: expect.stringContaining('260 bytes of UTF-8'), line: 1 }));
    expect(Object.keys(env.counts()).filter((k) => k.startsWith('POST'))).toEqual([]);
    expect(await names(env)).toEqual(['app']);
  });

  it('past validate (a library caller): a rename or type change to a name Jenkins cannot store never loses the job', async () => {
    env = await makeEnv({ templates: TEMPLATES });
    await env.writeProject('p', 'templates: [{template: Build, job: app}]\n');
    await env.writeProject('q', 'templates: [Pipe]\n');
    const first = planned(await env.sync());
    const app = first.snapshot.desired.jobs.find((j) => j.fullName === 'app')!;
    const observed = await env.api.list();
    const long = 'x'.repeat(300);
    const q = first.snapshot.desired.jobs.find((j) => j.fullName === 'q-Pipe')!;
    // renamed: planned as a move; Jenkins refuses the name, the job stays where it was
    const owner = first.snapshot.owner!;
    const moved = makePlan({ desired: { jobs: [{ ...app, fullName: long, name: long }, q], folders: [], views: [] }, owner, observed, clock: systemClock });
    expect(moved.changes.find((c) => c.kind === 'move')).toMatchObject({ from: 'app', fullName: long });
    const r1 = await applyPlan(env.api, moved);
    expect(r1.failed).toEqual([expect.objectContaining({ class: 'input', hint: expect.stringContaining('300 bytes of UTF-8') })]);
    expect(await names(env)).toEqual(['app', 'q-Pipe']);
    // renamed and a type change: a create and a delete that waits for it; the create fails, nothing is deleted
    const pipeline = { ...app, fullName: long, name: long, rootElement: 'flow-definition' };
    const replaced = makePlan({ desired: { jobs: [pipeline, q], folders: [], views: [] }, owner, observed, clock: systemClock, options: { allowMassDelete: true } });
    expect(replaced.changes.filter((c) => c.target === 'job' && c.kind !== 'unchanged').map((c) => `${c.kind} ${c.fullName === long ? 'LONG' : c.fullName}${c.after === long ? ' after LONG' : ''}`)).toEqual(['create LONG', 'delete app after LONG']);
    const r2 = await applyPlan(env.api, replaced);
    expect(r2.failed.map((f) => f.class)).toEqual(['input']);
    expect(r2.skipped.map((f) => f.change.fullName)).toEqual(['app']);
    expect(await names(env)).toEqual(['app', 'q-Pipe']);
  });

  it('transient failures say run sync again; a 4xx refusal says what to change', async () => {
    env = await makeEnv({ templates: TEMPLATES });
    await env.writeProject('p', 'templates: [Build, Pipe]\n');
    env.standin.faults.set({ errors: { 'POST createItem': { status: 500, times: 1 } } });
    const o = planned(await env.sync());
    expect(o.applied!.failed).toEqual([expect.objectContaining({ class: 'transient', hint: 'run sync again' })]);
    expect(planned(await env.sync()).applied!.failed).toEqual([]); // converges
    env.standin.faults.set({ errors: { 'POST config.xml': { status: 400 } } });
    await writeFile(path.join(env.templatesDir, 'Build-config.xml'), FREESTYLE.replace('echo', 'echo changed'));
    const refused = planned(await env.sync());
    expect(refused.applied!.failed).toEqual([expect.objectContaining({ class: 'input', hint: expect.stringContaining('will refuse it again') })]);
    env.standin.faults.clear();
  });
});

/** Stop the stand-in and start it again on the same home (it reloads what is on disk); a sync bound to the new one. */
async function restart(e: Env): Promise<{ api: JenkinsClient; sync: (s?: { verify?: boolean }) => ReturnType<typeof runSync>; close: () => Promise<void> }> {
  await e.standin.close();
  const standin: Standin = await startStandin({ home: path.join(e.dir, 'home'), port: 0, users: [{ name: 'sync', token: '11aaaabbbbccccddddeeeeffff00001111' }], quietPeriodMs: 0 });
  const api = new JenkinsClient({ url: standin.url + '/', user: 'sync', token: '11aaaabbbbccccddddeeeeffff00001111', retries: 1, retryBaseDelayMs: 10 });
  // the env's own stand-in is closed already: closing it again at the end is harmless
  return {
    api,
    sync: (s = {}) => runSync({ api, source: workspaceSource({ templatesDir: e.templatesDir, jobsDir: e.jobsDir, branches: false }), settings: s }),
    close: async () => {
      await api.close();
      await standin.close();
    },
  };
}
