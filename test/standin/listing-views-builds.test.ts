import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOLDER, FREESTYLE, LIST_VIEW, call, header, json, post, sleep, startTemp, type Running } from './standin-harness.js';

const PARAM_JOB = `<project><description>p</description><properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions><hudson.model.StringParameterDefinition><name>WHO</name><defaultValue>world</defaultValue></hudson.model.StringParameterDefinition></parameterDefinitions></hudson.model.ParametersDefinitionProperty></properties><disabled>false</disabled></project>`;

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await sleep(25);
  }
}

describe('api/json listing', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startTemp();
    await post(r.s, '/createItem?name=b-job', FREESTYLE('desc b'));
    await post(r.s, '/createItem?name=A-job', '<flow-definition plugin="workflow-job@1"><description/></flow-definition>');
    await post(r.s, '/createItem?name=dir', FOLDER);
    await post(r.s, '/job/dir/createItem?name=inner', '<maven2-moduleset/>');
    await post(r.s, '/createItem?name=mx', '<matrix-project/>');
  });
  afterAll(() => r.stop());

  it('root at depth 0: Jenkins keys, jobs sorted case-insensitively as {_class,name,url,color}, folders without color', async () => {
    const res = await call(r.s, '/api/json');
    expect(header(res, 'content-type')).toBe('application/json;charset=utf-8');
    expect(header(res, 'x-jenkins')).toBe('2.479.3');
    expect(header(res, 'x-jenkins-session')).toMatch(/^[0-9a-f]{8}$/);
    expect(header(res, 'x-content-type-options')).toBe('nosniff');
    expect(header(res, 'x-frame-options')).toBe('deny');
    expect(header(res, 'x-hudson')).toBeUndefined();
    const root = JSON.parse(res.text);
    expect(root._class).toBe('hudson.model.Hudson');
    expect(Object.keys(root)).toEqual(['_class', 'assignedLabels', 'mode', 'nodeDescription', 'nodeName', 'numExecutors', 'description', 'jobs', 'overallLoad', 'primaryView', 'quietDownReason', 'quietingDown', 'slaveAgentPort', 'unlabeledLoad', 'url', 'useCrumbs', 'useSecurity', 'views']);
    expect(root.jobs).toEqual([
      { _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob', name: 'A-job', url: `${r.s.url}/job/A-job/`, color: 'notbuilt' },
      { _class: 'hudson.model.FreeStyleProject', name: 'b-job', url: `${r.s.url}/job/b-job/`, color: 'notbuilt' },
      { _class: 'com.cloudbees.hudson.plugins.folder.Folder', name: 'dir', url: `${r.s.url}/job/dir/` },
      { _class: 'hudson.matrix.MatrixProject', name: 'mx', url: `${r.s.url}/job/mx/`, color: 'notbuilt' },
    ]);
    expect(root.views).toEqual([{ _class: 'hudson.model.AllView', name: 'all', url: `${r.s.url}/` }]);
  });

  it('one tree request lists nested folders (python-jenkins style query), unknown names ignored', async () => {
    const tree = 'jobs[url,color,name,nope,jobs[url,color,name,jobs]]';
    const root = await json(r.s, `/api/json?tree=${encodeURIComponent(tree)}`);
    const dir = (root.jobs as Array<Record<string, unknown>>).find((j) => j.name === 'dir')!;
    expect(dir.jobs).toEqual([{ _class: 'hudson.maven.MavenModuleSet', url: `${r.s.url}/job/dir/job/inner/`, color: 'notbuilt', name: 'inner' }]);
    expect(Object.keys(root)).toEqual(['_class', 'jobs']);
  });

  it('tree ranges and *, depth=1, description, malformed tree / depth → 500', async () => {
    const sliced = await json(r.s, '/api/json?tree=jobs[name]{1,3}');
    expect(sliced.jobs).toEqual([{ _class: 'hudson.model.FreeStyleProject', name: 'b-job' }, { _class: 'com.cloudbees.hudson.plugins.folder.Folder', name: 'dir' }]);
    const star = await json(r.s, '/job/b-job/api/json?tree=*');
    expect(star).toMatchObject({ description: 'desc b', fullName: 'b-job', buildable: true, color: 'notbuilt', lastBuild: null, nextBuildNumber: 1 });
    const d1 = await json(r.s, '/api/json?depth=1');
    expect((d1.jobs as Array<Record<string, unknown>>)[1]).toMatchObject({ description: 'desc b', displayName: 'b-job', buildable: true });
    expect((await call(r.s, '/api/json?tree=jobs[')).status).toBe(500);
    expect((await call(r.s, '/api/json?tree=')).status).toBe(500);
    expect((await call(r.s, '/api/json?depth=x')).status).toBe(500);
    expect((await call(r.s, '/api/json?jsonp=f')).status).toBe(403);
  });

  it('GET / shows an HTML page of jobs and views with X-Jenkins and a session; HEAD works', async () => {
    const res = await call(r.s, '/');
    expect(res.status).toBe(200);
    expect(header(res, 'content-type')).toBe('text/html;charset=utf-8');
    expect(header(res, 'x-jenkins')).toBe('2.479.3');
    expect(header(res, 'x-hudson')).toBe('1.395');
    expect(header(res, 'set-cookie')).toMatch(/^JSESSIONID\./);
    expect(res.text).toContain('href="/job/b-job/"');
    expect(res.text).toContain('>all</a>');
    const head = await call(r.s, '/api/json', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    const nf = await call(r.s, '/job/ghost/');
    expect(nf.status).toBe(404);
    expect(header(nf, 'x-jenkins')).toBe('2.479.3');
  });

  it('listings reflect every change at once (rendered fragments are never stale)', async () => {
    const q = '/api/json?tree=jobs[name,description,color]';
    const find = async (n: string) => ((await json(r.s, q)).jobs as Array<Record<string, unknown>>).find((j) => j.name === n);
    expect(await find('b-job')).toMatchObject({ description: 'desc b', color: 'notbuilt' });
    await post(r.s, '/job/b-job/config.xml', FREESTYLE('changed'));
    expect(await find('b-job')).toMatchObject({ description: 'changed' });
    await post(r.s, '/job/b-job/disable');
    expect(await find('b-job')).toMatchObject({ color: 'disabled' });
    await post(r.s, '/job/b-job/enable');
    await post(r.s, '/job/b-job/doRename?newName=c-job');
    expect(await find('b-job')).toBeUndefined();
    expect(await find('c-job')).toMatchObject({ description: 'changed', color: 'notbuilt' });
    await post(r.s, '/job/c-job/build?delay=0sec');
    const building = await until(() => find('c-job'), (j) => j?.color === 'notbuilt_anime');
    expect(building?.color).toBe('notbuilt_anime');
    const done = await until(() => find('c-job'), (j) => j?.color === 'blue');
    expect(done?.color).toBe('blue');
    await post(r.s, '/job/c-job/doRename?newName=b-job');
    // renaming a folder changes the URLs of everything under it
    const nested = '/api/json?tree=jobs[name,jobs[name,url,fullName]]';
    const inner = async () => ((await json(r.s, nested)).jobs as Array<{ name: string; jobs?: Array<Record<string, unknown>> }>).find((j) => j.jobs)?.jobs?.[0];
    expect(await inner()).toMatchObject({ url: `${r.s.url}/job/dir/job/inner/`, fullName: 'dir/inner' });
    await post(r.s, '/job/dir/doRename?newName=dir2');
    expect(await inner()).toMatchObject({ url: `${r.s.url}/job/dir2/job/inner/`, fullName: 'dir2/inner' });
    await post(r.s, '/job/dir2/doRename?newName=dir');
    // stopping a running build ends it (once its log is complete: see build-parameters-results.test.ts)
    await post(r.s, '/job/b-job/build?delay=0sec');
    await until(() => find('b-job'), (j) => j?.color === 'blue_anime');
    const last = (await json(r.s, '/job/b-job/api/json?tree=lastBuild[number]')).lastBuild as { number: number };
    expect((await post(r.s, `/job/b-job/${last.number}/stop`)).status).toBe(302);
    expect(await until(() => find('b-job'), (j) => j?.color === 'aborted')).toMatchObject({ color: 'aborted' });
  });

  it('pluginManager/api/json lists plugins (JJB asks)', async () => {
    const p = await json(r.s, '/pluginManager/api/json?depth=2');
    expect((p.plugins as Array<{ shortName: string }>).map((x) => x.shortName)).toContain('cloudbees-folder');
  });
});

describe('views', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startTemp();
    for (const n of ['alpha', 'Beta', 'gamma']) await post(r.s, `/createItem?name=${n}`, FREESTYLE());
  });
  afterAll(() => r.stop());

  it('createView from XML (name from the query), duplicates, bad names, types', async () => {
    const res = await post(r.s, '/createView?name=mine', LIST_VIEW(['alpha']));
    expect(res.status).toBe(200);
    expect(header(res, 'content-length')).toBe('0');
    const errs: Array<[string, Record<string, unknown>, string]> = [
      ['/createView?name=mine', {}, 'A view already exists with the name "mine"'],
      ['/createView?name=a%2Ab', {}, '?*? is an unsafe character'],
      ['/createView?name=x', { type: null }, 'No Content-Type header set'],
      ['/createView?name=x', { type: 'application/x-www-form-urlencoded' }, 'No view type is specified'],
      ['/createView?name=x&mode=bogus', { type: 'application/x-www-form-urlencoded' }, 'No view type ?bogus? is known'],
      ['/createView?name=x&mode=copy', { type: null }, 'Specify which view to copy'],
      ['/createView?name=x&mode=copy&from=nope', { type: null }, 'No such view: nope'],
    ];
    for (const [p, o, msg] of errs) {
      const e = await call(r.s, p, { method: 'POST', body: LIST_VIEW(), ...o });
      expect(e.status, p).toBe(400);
      expect(header(e, 'x-error'), p).toBe(msg);
    }
    expect((await post(r.s, '/createView?name=bad', '<hudson.model.ListView>')).status).toBe(500);
    expect((await post(r.s, '/createView?name=bad', '<project/>')).status).toBe(500);
    // view names are not trimmed and are case-sensitive
    expect((await post(r.s, '/createView?name=Mine', LIST_VIEW())).status).toBe(200);
    expect((await call(r.s, '/view/MINE/api/json')).status).toBe(404);
  });

  it('view config.xml GET (re-serialised, owner omitted, name kept) and POST', async () => {
    const get = await call(r.s, '/view/mine/config.xml');
    expect(get.text.startsWith('<?xml version="1.1" encoding="UTF-8"?>\n<hudson.model.ListView>\n  <name>mine</name>')).toBe(true);
    expect((await post(r.s, '/view/mine/config.xml', LIST_VIEW(['alpha', 'gamma']).replace('<name>x</name>', '<name>renamed</name>'))).status).toBe(200);
    const v = await json(r.s, '/view/mine/api/json');
    expect(v).toMatchObject({ _class: 'hudson.model.ListView', name: 'mine', url: `${r.s.url}/view/mine/` });
    expect((v.jobs as Array<{ name: string; url: string }>).map((j) => [j.name, j.url])).toEqual([
      ['alpha', `${r.s.url}/view/mine/job/alpha/`],
      ['gamma', `${r.s.url}/view/mine/job/gamma/`],
    ]);
    expect((await post(r.s, '/view/mine/config.xml', '<hudson.model.AllView/>')).status).toBe(500);
    expect((await post(r.s, '/view/mine/config.xml', '<oops')).status).toBe(500);
    expect((await call(r.s, '/view/mine/config.xml', { method: 'PUT', body: 'x' })).status).toBe(400);
  });

  it('add/removeJobFromView, rename and delete follow, root views list, folder views', async () => {
    expect((await post(r.s, '/view/mine/addJobToView?name=beta')).status).toBe(200);
    expect((await post(r.s, '/view/mine/addJobToView?name=beta')).status).toBe(200);
    expect(header(await post(r.s, '/view/mine/addJobToView?name=ghost'), 'x-error')).toBe("Query parameter 'name' does not correspond to a known item");
    expect(header(await post(r.s, '/view/mine/addJobToView'), 'x-error')).toBe("Query parameter 'name' is required");
    expect((await post(r.s, '/view/all/addJobToView?name=alpha')).status).toBe(404);
    expect((await call(r.s, '/view/mine/addJobToView?name=alpha')).status).toBe(405);
    let names = ((await json(r.s, '/view/mine/api/json?tree=jobs[name]')).jobs as Array<{ name: string }>).map((j) => j.name);
    expect(names).toEqual(['alpha', 'Beta', 'gamma']);
    expect((await post(r.s, '/view/mine/removeJobFromView?name=gamma')).status).toBe(200);
    await post(r.s, '/job/alpha/doRename?newName=alpha2');
    await post(r.s, '/job/Beta/doDelete');
    names = ((await json(r.s, '/view/mine/api/json?tree=jobs[name]')).jobs as Array<{ name: string }>).map((j) => j.name);
    expect(names).toEqual(['alpha2']);
    const rootViews = (await json(r.s, '/api/json?tree=views[name]')).views;
    expect(rootViews).toEqual([{ _class: 'hudson.model.AllView', name: 'all' }, { _class: 'hudson.model.ListView', name: 'mine' }, { _class: 'hudson.model.ListView', name: 'Mine' }]);
    expect(readFileSync(path.join(r.home, 'config.xml'), 'utf8')).toContain('<string>alpha2</string>');
    // delete through a view: 302 to the view
    await post(r.s, '/createItem?name=viaview', FREESTYLE());
    await post(r.s, '/view/mine/addJobToView?name=viaview');
    expect(header(await post(r.s, '/view/mine/job/viaview/doDelete'), 'location')).toBe('/view/mine/');
    // folder views
    await post(r.s, '/createItem?name=f', FOLDER);
    expect(((await json(r.s, '/job/f/api/json?tree=views[name],primaryView[name]')).views as unknown[])).toEqual([{ _class: 'hudson.model.AllView', name: 'All' }]);
    expect((await post(r.s, '/job/f/createView?name=fv', LIST_VIEW())).status).toBe(200);
    expect(readFileSync(path.join(r.home, 'jobs/f/config.xml'), 'utf8')).toContain('<name>fv</name>');
    expect((await call(r.s, '/job/f/view/fv/config.xml')).status).toBe(200);
    expect(header(await post(r.s, '/job/f/view/fv/doDelete'), 'location')).toBe('/job/f/');
  });

  it('view doDelete: 302 to owner, 405 on GET, last view cannot go', async () => {
    expect((await call(r.s, '/view/Mine/doDelete')).status).toBe(405);
    expect(header(await post(r.s, '/view/Mine/doDelete'), 'location')).toBe('/');
    expect((await post(r.s, '/view/mine/doDelete')).status).toBe(302);
    const last = await post(r.s, '/view/all/doDelete');
    expect(last.status).toBe(500);
    expect(last.text).toContain('Cannot delete last view');
  });
});

describe('builds and queue', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startTemp({ buildDurationMs: 600, quietPeriodMs: 50 });
    await post(r.s, '/createItem?name=job', FREESTYLE());
    await post(r.s, '/createItem?name=param', PARAM_JOB);
  });
  afterAll(() => r.stop());

  it('build → 201 + absolute queue Location; queue item; building colour; result colour', async () => {
    const b = await post(r.s, '/job/job/build');
    expect(b.status).toBe(201);
    expect(b.text).toBe('');
    const loc = header(b, 'location')!;
    expect(loc).toMatch(new RegExp(`^${r.s.url}/queue/item/\\d+/$`));
    const id = Number(loc.split('/').slice(-2)[0]);
    const q0 = await json(r.s, `/queue/item/${id}/api/json`);
    expect(q0).toMatchObject({ id, task: { name: 'job' } });
    const left = await until(() => json(r.s, `/queue/item/${id}/api/json`), (q) => q._class === 'hudson.model.Queue$LeftItem');
    expect(left).toMatchObject({ cancelled: false, executable: { _class: 'hudson.model.FreeStyleBuild', number: 1, url: `${r.s.url}/job/job/1/` } });
    expect(await json(r.s, '/job/job/api/json?tree=color')).toMatchObject({ color: 'notbuilt_anime' });
    expect(await json(r.s, '/job/job/1/api/json?tree=building,result,number')).toEqual({ _class: 'hudson.model.FreeStyleBuild', building: true, number: 1, result: null });
    const done = await until(() => json(r.s, '/job/job/1/api/json?tree=building,result'), (x) => x.building === false);
    expect(done).toMatchObject({ building: false, result: 'SUCCESS' });
    expect((await json(r.s, '/job/job/api/json?tree=color,lastBuild[number]'))).toMatchObject({ color: 'blue', lastBuild: { number: 1 } });
    expect((await call(r.s, '/job/job/lastBuild/api/json')).status).toBe(200);
    expect((await call(r.s, '/job/job/7/api/json')).status).toBe(404);
    expect((await call(r.s, '/queue/item/9999/api/json')).status).toBe(404);
    expect((await call(r.s, '/job/job/build')).status).toBe(405);
  });

  it('a second build shows the previous colour animated; a failing build turns red; disabled → 409', async () => {
    await post(r.s, '/job/param/buildWithParameters?STANDIN_RESULT=FAILURE');
    await until(() => json(r.s, '/job/param/api/json?tree=color'), (x) => x.color === 'red');
    await post(r.s, '/job/param/buildWithParameters?WHO=me');
    const anim = await until(() => json(r.s, '/job/param/api/json?tree=color'), (x) => x.color === 'red_anime');
    expect(anim.color).toBe('red_anime');
    await post(r.s, '/job/job/disable');
    const d = await post(r.s, '/job/job/build');
    expect(d.status).toBe(409);
    expect(d.text).toContain('job is not buildable');
  });

  it('buildWithParameters: 400 when not parameterized; parameters recorded; 303 when merged', async () => {
    await post(r.s, '/createItem?name=plain', FREESTYLE());
    const np = await post(r.s, '/job/plain/buildWithParameters?X=1');
    expect(np.status).toBe(400);
    expect(header(np, 'x-error')).toBe('plain is not parameterized');
    await post(r.s, '/createItem?name=p2', PARAM_JOB);
    const first = await post(r.s, '/job/p2/buildWithParameters?WHO=x&delay=2sec');
    expect(first.status).toBe(201);
    const again = await post(r.s, '/job/p2/buildWithParameters?WHO=x&delay=2sec');
    expect(again.status).toBe(303);
    expect(header(again, 'location')).toBe(header(first, 'location'));
    const id = header(first, 'location')!.split('/').slice(-2)[0];
    expect(await json(r.s, `/queue/item/${id}/api/json?tree=params,why`)).toMatchObject({ params: '\nWHO=x' });
  });
});
