import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FREESTYLE, failure, startFixture, type Fixture } from './standin-fixture.js';

const LIST_VIEW = (name: string, jobs: string[] = []) =>
  `<?xml version="1.1" encoding="UTF-8"?>\n<hudson.model.ListView>\n  <name>${name}</name>\n  <filterExecutors>false</filterExecutors>\n  <filterQueue>false</filterQueue>\n  <properties class="hudson.model.View$PropertyList"/>\n  <jobNames>\n    <comparator class="java.lang.String$CaseInsensitiveComparator"/>\n${jobs.map((j) => `    <string>${j}</string>\n`).join('')}  </jobNames>\n  <jobFilters/>\n  <columns/>\n  <recurse>false</recurse>\n</hudson.model.ListView>\n`;

const PARAMETERIZED = `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <properties>
    <hudson.model.ParametersDefinitionProperty>
      <parameterDefinitions>
        <hudson.model.StringParameterDefinition>
          <name>BRANCH</name>
          <defaultValue>main</defaultValue>
        </hudson.model.StringParameterDefinition>
      </parameterDefinitions>
    </hudson.model.ParametersDefinitionProperty>
  </properties>
  <disabled>false</disabled>
</project>
`;

describe('views against the stand-in', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(() => fx.close());

  test('create, list, get/update config, add/remove jobs, delete — at the root', async () => {
    const c = fx.client();
    await c.createJob('v-a', FREESTYLE());
    await c.createJob('v-b', FREESTYLE());
    await c.createView('My View', LIST_VIEW('My View', ['v-a']));
    let views = await c.listViews();
    expect(views.find((v) => v.name === 'My View')).toEqual({ name: 'My View', className: 'hudson.model.ListView', jobs: ['v-a'], description: null });
    expect(await c.getViewConfig('My View')).toContain('<string>v-a</string>');
    await c.addJobToView('My View', 'v-b');
    await c.addJobToView('My View', 'v-b'); // already there: still 200
    expect((await c.listViews()).find((v) => v.name === 'My View')!.jobs.sort()).toEqual(['v-a', 'v-b']);
    await c.removeJobFromView('My View', 'v-a');
    await c.updateViewConfig('My View', LIST_VIEW('My View', ['v-a', 'v-b']));
    const listed = await c.list();
    expect(listed.views.find((v) => v.name === 'My View')).toEqual({ name: 'My View', folder: [], className: 'hudson.model.ListView', jobs: ['v-a', 'v-b'], description: null });
    await c.deleteView('My View');
    views = await c.listViews();
    expect(views.map((v) => v.name)).not.toContain('My View');
  });

  test('views inside a folder, with full job names', async () => {
    const c = fx.client();
    await c.ensureFolder('vf/inner');
    await c.createJob('vf/inner/job', FREESTYLE());
    await c.createView('fv', LIST_VIEW('fv'), 'vf/inner');
    await c.addJobToView('fv', 'job', 'vf/inner');
    expect((await c.listViews('vf/inner')).find((v) => v.name === 'fv')!.jobs).toEqual(['vf/inner/job']);
    const listed = await c.list();
    expect(listed.views.find((v) => v.name === 'fv')).toMatchObject({ folder: ['vf', 'inner'], jobs: ['vf/inner/job'] });
    await c.deleteView('fv', 'vf/inner');
    expect((await c.listViews('vf/inner')).map((v) => v.name)).not.toContain('fv');
  });

  test('errors: duplicate view 400, unknown job 400, missing view 404', async () => {
    const c = fx.client();
    await c.createView('dupview', LIST_VIEW('dupview'));
    const dup = await failure(c.createView('dupview', LIST_VIEW('dupview')));
    expect([dup.kind, dup.status, dup.xError]).toEqual(['bad-request', 400, 'A view already exists with the name "dupview"']);
    const unknown = await failure(c.addJobToView('dupview', 'no-such-job'));
    expect([unknown.kind, unknown.status]).toEqual(['bad-request', 400]);
    expect(unknown.xError).toMatch(/does not correspond to a known item/);
    const missing = await failure(c.getViewConfig('no-such-view'));
    expect([missing.kind, missing.status]).toEqual(['not-found', 404]);
    // view names are case-sensitive
    expect((await failure(c.getViewConfig('DUPVIEW'))).kind).toBe('not-found');
  });
});

describe('builds against the stand-in', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({ buildDurationMs: 400 });
  });
  afterAll(() => fx.close());

  async function untilBuilt(c: ReturnType<Fixture['client']>, id: number): Promise<number> {
    for (let i = 0; i < 200; i++) {
      const q = await c.queueItem(id);
      if (q.buildNumber !== undefined) return q.buildNumber;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the queue item never started');
  }

  test('build → queue item → running (listing shows *_anime) → SUCCESS', async () => {
    const c = fx.client();
    await c.createJob('b1', FREESTYLE());
    const id = await c.build('b1');
    expect(id).toBeGreaterThan(0);
    const n = await untilBuilt(c, id);
    expect(n).toBe(1);
    expect(await c.buildStatus('b1', n)).toEqual({ building: true, result: null });
    const item = (await c.list()).items.find((i) => i.fullName === 'b1')!;
    expect([item.color, item.building]).toEqual(['notbuilt_anime', true]);
    for (let i = 0; i < 200 && (await c.buildStatus('b1', n)).building; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await c.buildStatus('b1', n)).toEqual({ building: false, result: 'SUCCESS' });
    expect((await c.list()).items.find((i) => i.fullName === 'b1')!.building).toBe(false);
  });

  test('buildWithParameters with UTF-8 values; a build of a plain job with parameters is 400', async () => {
    const c = fx.client();
    await c.createJob('bp', PARAMETERIZED);
    const id = await c.build('bp', { BRANCH: 'feature/ü x&y' });
    expect(await untilBuilt(c, id)).toBe(1);
    await c.createJob('plain-b', FREESTYLE());
    const e = await failure(c.build('plain-b', { X: '1' }));
    expect([e.kind, e.status]).toEqual(['bad-request', 400]);
  });

  test('a disabled job is not buildable: 409 "conflict", never retried', async () => {
    const c = fx.client();
    await c.createJob('off', FREESTYLE());
    await c.disableJob('off');
    fx.standin.resetCounts();
    const e = await failure(c.build('off'));
    expect([e.kind, e.status]).toEqual(['conflict', 409]);
    expect(fx.standin.requestCounts()['POST build']).toBe(1);
  });

  test('builds inside folders; a missing build is 404', async () => {
    const c = fx.client();
    await c.ensureFolder('bf');
    await c.createJob('bf/j', FREESTYLE());
    const n = await untilBuilt(c, await c.build('bf/j'));
    for (let i = 0; i < 200 && (await c.buildStatus('bf/j', n)).building; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await c.buildStatus('bf/j', n)).toEqual({ building: false, result: 'SUCCESS' });
    expect((await failure(c.buildStatus('bf/j', 99))).kind).toBe('not-found');
    expect((await failure(c.queueItem(999999))).kind).toBe('not-found');
  });
});
