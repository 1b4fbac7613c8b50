import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { isNotFound } from '../../src/jenkins/jenkins-error.js';
import { FREESTYLE, failure, startFixture, type Fixture } from './standin-fixture.js';
import { identityTransform } from '../../src/xml/identity-transform.js';

for (const redirects of ['path', 'absolute'] as const) {
  describe(`jobs against the stand-in (${redirects} redirects)`, () => {
    let fx: Fixture;
    beforeAll(async () => {
      // 'absolute' imitates older Jenkins: absolute Location and older Jetty writing a space for
      // characters above U+00FF in X-Error.
      fx = await startFixture({ redirects, configGet: 'verbatim', ...(redirects === 'absolute' ? { headerReplacement: ' ', version: '2.401.3' } : {}) });
    });
    afterAll(() => fx.close());

    test('create, get, update, delete', async () => {
      const c = fx.client();
      const xml = FREESTYLE('first');
      await c.createJob('j1', xml);
      // Stored as Jenkins' identity transform writes it: declaration rewritten, the final newline gone.
      expect(await c.getConfig('j1')).toBe(identityTransform(xml));
      expect(xml.endsWith('</project>\n')).toBe(true);
      expect((await c.getConfig('j1')).endsWith('</project>')).toBe(true);
      await c.updateJob('j1', FREESTYLE('second'));
      expect(await c.getConfig('j1')).toContain('<description>second</description>');
      await c.deleteJob('j1');
      expect(isNotFound(await failure(c.getConfig('j1')))).toBe(true);
    });

    test('a missing job is "not-found" (404) for every operation on it', async () => {
      const c = fx.client();
      const ops = [() => c.getConfig('nope'), () => c.updateJob('nope', FREESTYLE()), () => c.deleteJob('nope'), () => c.disableJob('nope'), () => c.enableJob('nope'), () => c.renameJob('nope', 'x'), () => c.build('nope')];
      for (const op of ops) {
        const e = await failure(op());
        expect([e.kind, e.status, e.target]).toEqual(['not-found', 404, 'nope']);
      }
    });

    test('duplicates and unsafe names: 400 with the X-Error text, typographic quotes restored', async () => {
      const c = fx.client();
      await c.createJob('dup', FREESTYLE());
      fx.standin.resetCounts();
      const dup = await failure(c.createJob('DUP', FREESTYLE()));
      expect([dup.kind, dup.status, dup.operation]).toEqual(['bad-request', 400, 'create']);
      expect(dup.xError).toBe('A job already exists with the name ‘DUP’');
      expect(fx.standin.requestCounts()['POST createItem']).toBe(1); // a 4xx is never retried
      const unsafe = await failure(c.createJob('a?b', FREESTYLE()));
      expect(unsafe.xError).toBe('‘?’ is an unsafe character');
      const dot = await failure(c.createJob('trailing.', FREESTYLE()));
      expect(dot.xError).toBe('A name cannot end with ‘.’');
    });

    test('malformed XML: 500 "server", not retried, and no job left behind', async () => {
      const c = fx.client();
      fx.standin.resetCounts();
      const e = await failure(c.createJob('broken', '<project><description>x</project>'));
      expect([e.kind, e.status]).toEqual(['server', 500]);
      expect(fx.standin.requestCounts()['POST createItem']).toBe(1);
      expect(isNotFound(await failure(c.getConfig('broken')))).toBe(true);
      expect(existsSync(path.join(fx.home, 'jobs', 'broken'))).toBe(false);
      await c.createJob('kept', FREESTYLE('kept'));
      const u = await failure(c.updateJob('kept', '<project>'));
      expect(u.kind).toBe('server');
      expect(await c.getConfig('kept')).toContain('kept');
    });

    test('spaces, plus signs and unicode in names round-trip, config sent as UTF-8 bytes', async () => {
      const c = fx.client();
      const names = ['with space', 'c++ build', 'jöb-ü', '日本語 ジョブ', 'x=1,y=(2)'];
      for (const n of names) await c.createJob(n, FREESTYLE(`déjà vu ${n}`));
      const listed = (await c.list()).items.map((i) => i.fullName);
      expect(listed).toEqual(expect.arrayContaining(names));
      for (const n of names) expect(await c.getConfig(n)).toContain(`déjà vu ${n}`);
      const onDisk = readFileSync(path.join(fx.home, 'jobs', '日本語 ジョブ', 'config.xml'), 'utf8');
      expect(onDisk).toContain('déjà vu 日本語 ジョブ');
    });

    test('disable and enable (302) show in the listing', async () => {
      const c = fx.client();
      await c.createJob('toggle', FREESTYLE());
      await c.disableJob('toggle');
      await c.disableJob('toggle'); // idempotent
      let item = (await c.list()).items.find((i) => i.fullName === 'toggle')!;
      expect([item.color, item.disabled]).toEqual(['disabled', true]);
      await c.enableJob('toggle');
      item = (await c.list()).items.find((i) => i.fullName === 'toggle')!;
      expect([item.color, item.disabled]).toEqual(['notbuilt', false]);
    });

    test('rename (302) within the root and inside a folder; a taken name is 400', async () => {
      const c = fx.client();
      await c.createJob('old name', FREESTYLE());
      await c.renameJob('old name', 'new name');
      expect(isNotFound(await failure(c.getConfig('old name')))).toBe(true);
      expect(await c.getConfig('new name')).toContain('<project>');
      await c.ensureFolder('rf');
      await c.createJob('rf/a', FREESTYLE());
      await c.renameJob('rf/a', 'rf/b');
      expect((await c.list()).items.map((i) => i.fullName)).toEqual(expect.arrayContaining(['rf/b']));
      await c.createJob('taken', FREESTYLE());
      const e = await failure(c.renameJob('new name', 'taken'));
      expect([e.kind, e.status]).toEqual(['bad-request', 400]);
      const move = await failure(c.renameJob('taken', 'rf/taken'));
      expect(move.kind).toBe('bad-request');
    });

    test('copy (302) in the same folder and across folders', async () => {
      const c = fx.client();
      await c.createJob('src', FREESTYLE('the source'));
      await c.copyJob('src', 'src copy');
      await c.ensureFolder('cf');
      await c.copyJob('src', 'cf/src');
      expect(await c.getConfig('src copy')).toContain('the source');
      expect(await c.getConfig('cf/src')).toContain('the source');
      const e = await failure(c.copyJob('no such', 'x'));
      expect([e.kind, e.status]).toEqual(['bad-request', 400]);
    });

    test('folders: whole path created, nested items, listing, refusing a job in the way', async () => {
      const c = fx.client();
      await c.ensureFolder('team a/sub/deep');
      await c.ensureFolder('team a/sub/deep'); // exists: no change
      await c.ensureFolder('team a/other');
      await c.createJob('team a/sub/deep/build', FREESTYLE());
      const items = (await c.list()).items;
      const by = Object.fromEntries(items.map((i) => [i.fullName, i]));
      expect(by['team a']).toMatchObject({ isFolder: true, className: 'com.cloudbees.hudson.plugins.folder.Folder' });
      expect(by['team a/sub/deep']).toMatchObject({ isFolder: true, name: 'deep' });
      expect(by['team a/sub/deep/build']).toMatchObject({ isFolder: false, name: 'build' });
      const missingParent = await failure(c.createJob('nofolder/job', FREESTYLE()));
      expect(missingParent.kind).toBe('not-found');
      await c.createJob('plainjob', FREESTYLE());
      const blocked = await failure(c.ensureFolder('plainjob/sub'));
      expect(blocked.kind).toBe('conflict');
      await c.deleteJob('team a');
      expect((await c.list()).items.some((i) => i.fullName.startsWith('team a'))).toBe(false);
    });

    test('concurrent ensureFolder calls for the same path all succeed (a lost race is not an error)', async () => {
      const clients = [fx.client(), fx.client(), fx.client()];
      await Promise.all(clients.map((c) => c.ensureFolder('race/x/y')));
      const items = (await clients[0]!.list()).items.filter((i) => i.fullName.startsWith('race'));
      expect(items.map((i) => [i.fullName, i.isFolder])).toEqual([
        ['race', true],
        ['race/x', true],
        ['race/x/y', true],
      ]);
    });

    test('names that would escape the URL are refused before any request', async () => {
      const c = fx.client();
      for (const n of ['', '..', 'a/../b', 'a//b']) {
        const e = await failure(c.getConfig(n));
        expect(e.kind).toBe('bad-request');
      }
      expect(c.stats.requests).toBe(0);
    });
  });
}

describe('listing depth', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(() => fx.close());

  test('one request when the tree reaches every level; follow-ups only for deeper folders', async () => {
    const c = fx.client();
    await c.ensureFolder('l1/l2/l3/l4');
    await c.createJob('l1/l2/l3/l4/leaf', FREESTYLE());
    await c.ensureFolder('s1');
    await c.createJob('s1/j', FREESTYLE());
    const deepClient = fx.client({ listDepth: 6 });
    fx.standin.resetCounts();
    const all = await deepClient.list();
    expect(fx.standin.requestCounts()['GET api/json']).toBe(1);
    const shallow = fx.client({ listDepth: 2 });
    fx.standin.resetCounts();
    const partial = await shallow.list();
    // depth 2 sees l1, l1/l2, s1, s1/j; l1/l2 has children beyond → follow-up on l1/l2, then on l1/l2/l3/l4.
    expect(fx.standin.requestCounts()['GET api/json']).toBe(3);
    const names = (s: typeof all) => s.items.map((i) => i.fullName).sort();
    expect(names(partial)).toEqual(names(all));
    expect(names(all)).toEqual(['l1', 'l1/l2', 'l1/l2/l3', 'l1/l2/l3/l4', 'l1/l2/l3/l4/leaf', 's1', 's1/j']);
    expect(partial.views.map((v) => `${v.folder.join('/')}:${v.name}`).sort()).toEqual(all.views.map((v) => `${v.folder.join('/')}:${v.name}`).sort());
  });
});
