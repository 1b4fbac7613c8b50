/**
 * Finding 5 of break-it report A: between the listing a plan was made from and each write, Jenkins
 * may change (a person renames their own job to the name, takes a job or folder over, another run
 * changes it). Right before a destructive step, and before a write whose answer was lost is repeated
 * or taken for done, apply checks the item is still the one the plan saw
 * (src/plan/rules/still-owned.ts); otherwise that step fails, the item is left as it is, and the
 * next sync plans from what Jenkins then holds.
 *
 * The stand-in on a loopback port; the races are reproduced exactly by a gateway in front of it
 * (test/jenkins/gateway.ts) that lets a person act at the very moment a request arrives.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { readDescription } from '../../src/plan/config-description.js';
import { parseMarker } from '../../src/plan/marker.js';
import { runSync } from '../../src/sync/run-sync.js';
import { workspaceSource } from '../../src/sync/workspace-source.js';
import { startGateway, type Gateway } from '../jenkins/gateway.js';
import { TEMPLATE, makeEnv, planned, project, type Env } from './harness.js';

const PIPELINE = `<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job@2.40">
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition" plugin="workflow-cps@2.90"><script>echo '$SCM.PATH'</script><sandbox>true</sandbox></definition>
</flow-definition>
`;
const VIEW = `<?xml version="1.1" encoding="UTF-8"?>
<hudson.model.ListView>
  <name>set by Jenkins</name>
  <properties class="hudson.model.View$PropertyList"/>
  <jobNames><comparator class="java.lang.String$CaseInsensitiveComparator"/></jobNames>
  <columns><hudson.views.StatusColumn/><hudson.views.JobColumn/></columns>
  <includeRegex>$PROJECT.NAME-.*</includeRegex>
</hudson.model.ListView>
`;
const ALICE = `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <description>Alice's own job</description>
  <builders><hudson.tasks.Shell><command>ALICE OWN JOB</command></hudson.tasks.Shell></builders>
</project>
`;

let env: Env | undefined;
let gateway: Gateway | undefined;
const clients: JenkinsClient[] = [];
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await env?.close();
  env = undefined;
});

async function world(projects: Record<string, string>, templates: Record<string, string> = { 'CI-build-trunk': TEMPLATE }): Promise<Env> {
  env = await makeEnv({ templates });
  for (const [name, body] of Object.entries(projects)) await env.writeProject(name, body);
  const first = planned(await env.sync());
  expect(first.applied?.failed).toEqual([]);
  return env;
}

/** The plan a sync would apply now (made, not applied). */
async function planNow(e: Env, settings = {}) {
  return planned(await e.sync({ dryRun: true, ...settings })).plan;
}

/** Alice's job appears at `name` (ours went away first): she renames her own job to it, as in Jenkins. */
async function aliceTakesTheName(e: Env, name: string): Promise<void> {
  await e.api.deleteJob(name).catch(() => undefined);
  await e.api.createJob('alice-job', ALICE);
  await e.api.renameJob('alice-job', name.slice(name.lastIndexOf('/') + 1));
}

async function isAlices(e: Env, name: string): Promise<boolean> {
  const config = await e.api.getConfig(name);
  return config.includes('ALICE OWN JOB') && parseMarker(readDescription(config)) === undefined;
}

const four = { a: project('svn://a'), b: project('svn://b'), c: project('svn://c'), d: project('svn://d') };

describe('destructive steps check the item first: still this owner\'s, under its own name, as the plan saw it', () => {
  it('a delete: a job renamed to the name since the listing is left alone (its config, no marker, not deleted)', async () => {
    const e = await world(four);
    await e.removeProject('d');
    const plan = await planNow(e);
    expect(plan.changes.filter((c) => c.kind === 'delete').map((c) => c.fullName)).toEqual(['d-CI-build-trunk']);
    await aliceTakesTheName(e, 'd-CI-build-trunk');
    const r = await applyPlan(e.api, plan);
    expect(r.failed.map((f) => [f.change.kind, f.change.fullName, f.class])).toEqual([['delete', 'd-CI-build-trunk', 'transient']]);
    expect(r.failed[0]!.error).toBe("delete 'd-CI-build-trunk' refused: it is no longer what the plan saw: it carries no jobsmith marker; not touched");
    expect(r.failed[0]!.hint).toMatch(/left alone: run sync again/);
    expect(await isAlices(e, 'd-CI-build-trunk')).toBe(true);
    // the next sync sees it as it is: not managed, never deleted
    const next = planned(await e.sync());
    expect(next.plan.changes.filter((c) => c.fullName === 'd-CI-build-trunk')).toEqual([]);
    expect(await isAlices(e, 'd-CI-build-trunk')).toBe(true);
  });

  it('a delete: a job another run of this owner updated since the listing (another hash) is left for the next plan', async () => {
    const e = await world(four);
    await e.removeProject('d');
    const plan = await planNow(e);
    const config = await e.api.getConfig('d-CI-build-trunk');
    await e.api.updateJob('d-CI-build-trunk', config.replace(/hash=sha256%3A[0-9a-f]+/, `hash=sha256%3A${'0'.repeat(64)}`));
    const r = await applyPlan(e.api, plan);
    expect(r.failed.map((f) => f.error)).toEqual(["delete 'd-CI-build-trunk' refused: it is no longer what the plan saw: its marker records another config (another run changed it); not touched"]);
    expect((await e.api.list()).items.map((i) => i.fullName)).toContain('d-CI-build-trunk');
  });

  it('a retirement (--removed disable): a job renamed to the name is neither re-marked nor disabled', async () => {
    const e = await world(four);
    await e.removeProject('d');
    const plan = await planNow(e, { removed: 'disable' });
    expect(plan.changes.filter((c) => c.kind === 'disable').map((c) => [c.fullName, c.retire !== undefined])).toEqual([['d-CI-build-trunk', true]]);
    await aliceTakesTheName(e, 'd-CI-build-trunk');
    const r = await applyPlan(e.api, plan);
    expect(r.failed.map((f) => f.error)).toEqual(["retire 'd-CI-build-trunk' refused: it is no longer what the plan saw: it carries no jobsmith marker; not touched"]);
    expect(await isAlices(e, 'd-CI-build-trunk')).toBe(true);
    expect((await e.api.list()).items.find((i) => i.fullName === 'd-CI-build-trunk')!.disabled).toBe(false);
  });

  it('a move: a job renamed to the old name is not moved (nor given the marker); the next sync creates the job in its new place', async () => {
    const e = await world(four);
    await e.writeProject('a', project('svn://a', 'folder: web\n'));
    const plan = await planNow(e);
    expect(plan.changes.filter((c) => c.kind === 'move').map((c) => `${c.from} -> ${c.fullName}`)).toEqual(['a-CI-build-trunk -> web/a-CI-build-trunk']);
    await aliceTakesTheName(e, 'a-CI-build-trunk');
    const r = await applyPlan(e.api, plan);
    expect(r.failed.map((f) => f.error)).toEqual(["move 'a-CI-build-trunk' refused: it is no longer what the plan saw: it carries no jobsmith marker; not touched"]);
    expect(await isAlices(e, 'a-CI-build-trunk')).toBe(true);
    const names = (await e.api.list()).items.map((i) => i.fullName);
    expect(names).not.toContain('web/a-CI-build-trunk');
    const next = planned(await e.sync());
    expect(next.plan.changes.filter((c) => c.kind !== 'unchanged').map((c) => `${c.kind} ${c.fullName}`)).toEqual(['create web/a-CI-build-trunk']);
    expect(await isAlices(e, 'a-CI-build-trunk')).toBe(true);
  });

  it('a replacement (the type changes): a job renamed to the name is not renamed aside, replaced or deleted', async () => {
    const e = await world({ ...four, a: 'templates: [Build]\ntokens:\n  SCM.PATH: svn://a\n' }, { 'CI-build-trunk': TEMPLATE, Build: TEMPLATE });
    // the template now makes a pipeline: the job must be replaced
    await writeFile(path.join(e.templatesDir, 'Build-config.xml'), PIPELINE);
    const plan = await planNow(e);
    expect(plan.changes.filter((c) => c.kind === 'replace').map((c) => c.fullName)).toEqual(['a-Build']);
    await aliceTakesTheName(e, 'a-Build');
    const r = await applyPlan(e.api, plan);
    expect(r.failed.map((f) => f.error)).toEqual(["replace 'a-Build' refused: it is no longer what the plan saw: it carries no jobsmith marker; not touched"]);
    expect(await isAlices(e, 'a-Build')).toBe(true);
    expect((await e.api.list()).items.map((i) => i.fullName).filter((n) => n.startsWith('jobsmith-replaced'))).toEqual([]);
  });

  it('a folder jobsmith made, taken over by a person since the listing (its marker removed), is not deleted; the job inside still goes', async () => {
    const e = await world({ ...four, t: project('svn://t', 'folder: team\n') });
    await e.removeProject('t');
    const plan = await planNow(e);
    expect(plan.changes.filter((c) => c.kind === 'delete').map((c) => `${c.target} ${c.fullName}`)).toEqual(['job team/t-CI-build-trunk', 'folder team']);
    const folder = await e.api.getConfig('team');
    await e.api.updateJob('team', folder.replace(/<description>[\s\S]*?<\/description>/, '<description>Bob keeps his things here</description>'));
    const r = await applyPlan(e.api, plan);
    expect(r.succeeded.map((c) => `${c.kind} ${c.fullName}`)).toEqual(['delete team/t-CI-build-trunk']);
    expect(r.failed.map((f) => f.error)).toEqual(["delete 'team' refused: it is no longer what the plan saw: it carries no jobsmith marker; not touched"]);
    expect((await e.api.list()).items.map((i) => i.fullName)).toContain('team');
  });

  it('a view made from a template, taken over by a person since the listing, is not deleted', async () => {
    const e = await world({ ...four, v: 'templates: [CI-build-trunk, Dash]\ntokens:\n  SCM.PATH: svn://v\n' }, { 'CI-build-trunk': TEMPLATE, Dash: VIEW });
    await e.writeProject('v', project('svn://v'));
    const plan = await planNow(e);
    expect(plan.changes.filter((c) => c.kind === 'delete').map((c) => `${c.target} ${c.fullName}`)).toEqual(['view v-Dash']);
    const config = await e.api.getViewConfig('v-Dash');
    await e.api.updateViewConfig('v-Dash', config.replace(/<description>[\s\S]*?<\/description>/, "<description>Carol's dashboard now</description>"));
    const r = await applyPlan(e.api, plan);
    expect(r.failed.map((f) => f.error)).toEqual(["delete 'v-Dash' refused: it is no longer what the plan saw: it carries no jobsmith marker; not touched"]);
    expect((await e.api.listViews()).map((v) => v.name)).toContain('v-Dash');
  });
});

describe('a write whose answer was lost: repeated, or taken for done, only when the item is still the one it is for', () => {
  /** A client through a gateway that runs `person` at the first request on `route` for `target` and answers it 503 unforwarded. */
  async function racing(e: Env, route: string, target: string, person: () => Promise<void>): Promise<JenkinsClient> {
    let done = false;
    gateway = await startGateway(e.standin.url, async (r) => {
      if (done || r.route !== route || !decodeURIComponent(r.url).includes(target)) return undefined;
      done = true;
      await person();
      return 503;
    });
    const c = new JenkinsClient({ url: gateway.url + '/', user: 'sync', token: '11aaaabbbbccccddddeeeeffff00001111', retries: 3, retryBaseDelayMs: 5 });
    clients.push(c);
    return c;
  }
  const syncThrough = (e: Env, api: JenkinsClient) => runSync({ api, source: workspaceSource({ templatesDir: e.templatesDir, jobsDir: e.jobsDir, branches: false }), settings: {} });

  it('a create answered 503 while Alice renames her job to the name: her job is found, is not this create\'s, and is never written over', async () => {
    const e = await world(four);
    await e.writeProject('race', project('svn://race'));
    await e.api.createJob('alice-job', ALICE);
    const api = await racing(e, 'POST createItem', 'race-CI-build-trunk', () => e.api.renameJob('alice-job', 'race-CI-build-trunk'));
    const o = planned(await syncThrough(e, api));
    expect(o.applied!.failed.map((f) => [f.change.kind, f.change.fullName, f.class])).toEqual([['create', 'race-CI-build-trunk', 'transient']]);
    expect(o.applied!.failed[0]!.error).toMatch(/^create 'race-CI-build-trunk' failed: conflict: an item with this name appeared after an attempt whose answer was lost, but it is not this create's \(it carries no jobsmith marker\).*not written over$/);
    expect(gateway!.seen.filter((s) => s === 'POST config.xml')).toEqual([]);
    expect(await isAlices(e, 'race-CI-build-trunk')).toBe(true);
    // the next sync reports it (a desired job blocked by an unmanaged one) and touches nothing
    const next = planned(await e.sync());
    expect(next.plan.changes.filter((c) => c.fullName === 'race-CI-build-trunk').map((c) => c.kind)).toEqual(['conflict']);
    expect(await isAlices(e, 'race-CI-build-trunk')).toBe(true);
  });

  it('an update answered 503 while the job was replaced by Alice\'s: not written again', async () => {
    const e = await world(four);
    await e.writeProject('b', project('svn://b-moved'));
    const api = await racing(e, 'POST config.xml', 'b-CI-build-trunk', () => aliceTakesTheName(e, 'b-CI-build-trunk'));
    const o = planned(await syncThrough(e, api));
    expect(o.applied!.failed.map((f) => [f.change.kind, f.change.fullName, f.class])).toEqual([['update', 'b-CI-build-trunk', 'transient']]);
    expect(o.applied!.failed[0]!.error).toBe("update 'b-CI-build-trunk' failed: conflict: it is no longer the item this write is for (it carries no jobsmith marker); not written again");
    expect(await isAlices(e, 'b-CI-build-trunk')).toBe(true);
  });

  it('our own writes whose answers were lost still converge: a create taken for done, an update repeated', async () => {
    const e = await world(four);
    await e.writeProject('b', project('svn://b-moved'));
    await e.writeProject('new', project('svn://new'));
    e.standin.faults.set({ dropResponse: { 'POST createItem': { times: 1 }, 'POST config.xml': { times: 1 } } });
    const o = planned(await e.sync());
    e.standin.faults.clear();
    expect(o.applied!.failed).toEqual([]);
    expect(o.applied!.succeeded.map((c) => `${c.kind} ${c.fullName}`).sort()).toEqual(['create new-CI-build-trunk', 'update b-CI-build-trunk']);
    expect(planned(await e.sync({ verify: true })).plan.summary).toMatchObject({ create: 0, update: 0, unchanged: 5 });
  });
});
