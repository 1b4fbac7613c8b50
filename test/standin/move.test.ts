/**
 * The Folders plugin's move action on the stand-in (`job/NAME/move/move?destination=/F1/F2`), as
 * cloudbees-folder's RelocationAction / StandardHandler and core's Items.move do it; and the
 * client's moveJob on top of it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { canonicalName, relativeNameFrom } from '../../src/standin/move-handler.js';
import { FOLDER, FREESTYLE, LIST_VIEW, TOKEN, USER, basic, call, header, json, post, sleep, startTemp, type Running } from './standin-harness.js';

describe('stand-in: move/move (Folders plugin)', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startTemp({ users: [{ name: USER, token: TOKEN }, { name: 'reader', token: TOKEN, permissions: 'read' }], buildDurationMs: 50 });
    for (const [p, body] of [
      ['/createItem?name=F1', FOLDER],
      ['/job/F1/createItem?name=F2', FOLDER],
      ['/createItem?name=G', FOLDER],
      ['/createItem?name=job', FREESTYLE('moves')],
      ['/job/G/createItem?name=taken', FREESTYLE('in G')],
      ['/createItem?name=taken', FREESTYLE('at root')],
    ] as const) {
      expect((await post(r.s, p, body)).status, p).toBe(200);
    }
  });
  afterAll(() => r.stop());

  it('moves a job with its builds to /F1/F2: 302 to the new URL, directory moved, old URL gone', async () => {
    await post(r.s, '/job/job/build?delay=0sec');
    for (let k = 0; k < 100 && ((await json(r.s, '/job/job/api/json?tree=lastCompletedBuild[number]')).lastCompletedBuild ?? null) === null; k++) await sleep(20);
    const res = await post(r.s, '/job/job/move/move?destination=%2FF1%2FF2');
    expect(res.status).toBe(302);
    expect(header(res, 'location')).toBe('/job/F1/job/F2/job/job/');
    expect((await call(r.s, '/job/job/api/json')).status).toBe(404);
    const moved = await json(r.s, '/job/F1/job/F2/job/job/api/json?tree=fullName,description,lastBuild[number]');
    expect(moved).toMatchObject({ fullName: 'F1/F2/job', description: 'moves', lastBuild: { number: 1 } });
    expect((await call(r.s, '/job/F1/job/F2/job/job/1/api/json')).status).toBe(200);
    expect(existsSync(path.join(r.home, 'jobs/job'))).toBe(false);
    expect(existsSync(path.join(r.home, 'jobs/F1/jobs/F2/jobs/job/config.xml'))).toBe(true);
    // and back to the root
    const back = await post(r.s, '/job/F1/job/F2/job/job/move/move', 'destination=%2F', { type: 'application/x-www-form-urlencoded' });
    expect(back.status).toBe(302);
    expect(header(back, 'location')).toBe('/job/job/');
    expect((await json(r.s, '/job/job/api/json?tree=lastBuild[number]')).lastBuild).toEqual({ _class: 'hudson.model.FreeStyleBuild', number: 1 });
  });

  it('a destination that is not valid silently forwards to the previous page and changes nothing', async () => {
    const cases: Array<[string, string, Record<string, string>]> = [
      ['/job/job/move/move?destination=%2F', '/job/job/move/', {}], // its own parent
      ['/job/job/move/move?destination=%2FNope', '/job/job/move/', {}], // no such folder
      ['/job/job/move/move?destination=F1', '/job/job/move/', {}], // not "/" + full name
      ['/job/taken/move/move?destination=%2FG', '/job/taken/move/', {}], // G holds "taken" already
      ['/job/job/move/move?destination=%2Fjob', '/job/job/move/', {}], // a job is no destination
      ['/job/F1/move/move?destination=%2FF1%2FF2', '/job/F1/move/', {}], // not inside itself
      ['/job/job/move/move', '/job/job/move/', {}], // no destination
      ['/job/job/move/move?destination=%2FNope', 'http://example.test/prev', { referer: 'http://example.test/prev' }],
    ];
    for (const [p, loc, headers] of cases) {
      const res = await post(r.s, p, undefined, { headers, type: null });
      expect(res.status, p).toBe(302);
      expect(header(res, 'location'), p).toBe(loc);
    }
    expect((await json(r.s, '/job/job/api/json?tree=fullName')).fullName).toBe('job');
    expect((await json(r.s, '/job/taken/api/json?tree=fullName')).fullName).toBe('taken');
    expect((await json(r.s, '/job/G/job/taken/api/json?tree=description')).description).toBe('in G');
  });

  it('needs POST and the Move permission; a missing item is 404', async () => {
    expect((await call(r.s, '/job/job/move/move?destination=%2FG')).status).toBe(405);
    const reader = await post(r.s, '/job/job/move/move?destination=%2FG', undefined, { auth: basic('reader', TOKEN), type: null });
    expect(reader.status).toBe(403);
    expect(header(reader, 'x-required-permission')).toBe('hudson.model.Item.Move');
    expect(reader.text).toContain('reader is missing the Job/Move permission');
    expect((await post(r.s, '/job/ghost/move/move?destination=%2FG', undefined, { type: null })).status).toBe(404);
    expect((await json(r.s, '/job/job/api/json?tree=fullName')).fullName).toBe('job');
  });

  it('ListViews everywhere follow the move (relative names, as core ListView.Listener)', async () => {
    expect((await post(r.s, '/createItem?name=viewed', FREESTYLE())).status).toBe(200);
    expect((await post(r.s, '/createView?name=rootview', LIST_VIEW(['viewed', 'job']))).status).toBe(200);
    expect((await post(r.s, '/job/G/createView?name=gview', LIST_VIEW(['../viewed']))).status).toBe(200);
    expect((await post(r.s, '/job/viewed/move/move?destination=%2FG', undefined, { type: null })).status).toBe(302);
    const rootView = await call(r.s, '/view/rootview/config.xml');
    expect(rootView.text).toContain('<string>G/viewed</string>');
    expect(rootView.text).not.toContain('<string>viewed</string>');
    const gView = await call(r.s, '/job/G/view/gview/config.xml');
    expect(gView.text).toContain('<string>viewed</string>');
    // the folder's view now lists it; the root view does not (it is not directly in the root)
    expect(((await json(r.s, '/job/G/view/gview/api/json?tree=jobs[name]')).jobs as Array<{ name: string }>).map((j) => j.name)).toEqual(['viewed']);
    expect(((await json(r.s, '/view/rootview/api/json?tree=jobs[name]')).jobs as Array<{ name: string }>).map((j) => j.name)).toEqual(['job']);
  });

  it('relative names as Items.getCanonicalName / getRelativeNameFrom compute them', () => {
    expect(canonicalName('', 'a')).toBe('a');
    expect(canonicalName('F', '../a')).toBe('a');
    expect(canonicalName('F/G', '/x/y')).toBe('x/y');
    expect(canonicalName('F', './b/c')).toBe('F/b/c');
    expect(relativeNameFrom('G/viewed', '')).toBe('G/viewed');
    expect(relativeNameFrom('viewed', 'G')).toBe('../viewed');
    expect(relativeNameFrom('F/a', 'F')).toBe('a');
    expect(relativeNameFrom('F', 'F/G')).toBe('..');
    expect(relativeNameFrom('F/G', 'F/G')).toBe('.');
    expect(relativeNameFrom('A/x', 'B/C')).toBe('../../A/x');
  });

  it("the client's moveJob moves, and reports a silent refusal as an error", async () => {
    const api = new JenkinsClient({ url: r.s.url + '/', user: USER, token: TOKEN, retries: 0 });
    try {
      await api.createJob('client-job', FREESTYLE('c'));
      await api.moveJob('client-job', 'F1/F2');
      expect((await api.list()).items.map((i) => i.fullName)).toContain('F1/F2/client-job');
      await api.moveJob('F1/F2/client-job', '');
      expect((await api.list()).items.map((i) => i.fullName)).toContain('client-job');
      await expect(api.moveJob('taken', 'G')).rejects.toThrow(/did not move it to G/);
      await expect(api.moveJob('client-job', 'Nope')).rejects.toThrow(/did not move it to Nope/);
      await expect(api.moveJob('ghost', 'G')).rejects.toMatchObject({ kind: 'not-found' });
    } finally {
      await api.close();
    }
  });
});
