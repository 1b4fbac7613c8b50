import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOLDER, FREESTYLE, call, header, json, post, startTemp, type Running } from './standin-harness.js';

describe('items: createItem, config.xml, delete, disable/enable, rename, copy', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startTemp();
  });
  afterAll(() => r.stop());

  it('createItem: 200 with Content-Length 0 and no Jenkins headers; file in Jenkins layout', async () => {
    const res = await post(r.s, '/createItem?name=Foo', FREESTYLE('hello'));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(header(res, 'content-length')).toBe('0');
    expect(header(res, 'location')).toBeUndefined();
    expect(header(res, 'x-jenkins')).toBeUndefined();
    const stored = readFileSync(path.join(r.home, 'jobs/Foo/config.xml'), 'utf8');
    expect(stored.startsWith('<?xml version="1.0" encoding="UTF-8"?><project>')).toBe(true);
  });

  it('createItem validation order and texts (400 + X-Error, Latin-1 safe)', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['/createItem?name=a', { type: null, body: FREESTYLE() }, 'No Content-Type header set'],
      ['/createItem', {}, "Query parameter 'name' is required"],
      ['/createItem?name=', {}, 'No name is specified'],
      ['/createItem?name=..', {}, '?..? is not an allowed name'],
      ['/createItem?name=a%3Fb', {}, '???? is an unsafe character'.replace('????', '???')],
      ['/createItem?name=a%09b', {}, 'No control code is allowed: a\\u9;b'],
      ['/createItem?name=dot.', {}, 'A name cannot end with ?.?'],
      ['/createItem?name=FOO', {}, 'A job already exists with the name ?FOO?'],
      ['/createItem?name=%20foo%20', {}, 'A job already exists with the name ?foo?'],
      ['/createItem?name=form', { type: 'application/x-www-form-urlencoded', body: 'a=b' }, 'No mode given'],
      ['/createItem?name=m&mode=nope', { type: 'application/x-www-form-urlencoded', body: 'a=b' }, 'No item type ?nope? is known'],
    ];
    for (const [p, o, msg] of cases) {
      const res = await call(r.s, p, { method: 'POST', body: FREESTYLE(), ...o });
      expect(res.status, p).toBe(400);
      expect(header(res, 'x-error'), p).toBe(msg);
      expect(header(res, 'x-jenkins'), p).toBe('2.479.3');
    }
    const res = await post(r.s, '/createItem?name=a%3Fb', FREESTYLE());
    expect(res.text).toContain('\u2018?\u2019 is an unsafe character');
    expect(header(res, 'x-error')).toBe('??? is an unsafe character');
  });

  it('names are trimmed and looked up case-insensitively at the root; the stored spelling comes back', async () => {
    expect((await post(r.s, '/createItem?name=%20Spaced%20', FREESTYLE())).status).toBe(200);
    expect(await json(r.s, '/job/SPACED/api/json?tree=name')).toEqual({ _class: 'hudson.model.FreeStyleProject', name: 'Spaced' });
    expect(existsSync(path.join(r.home, 'jobs/Spaced/config.xml'))).toBe(true);
  });

  it('malformed XML, DOCTYPE/XXE and unknown roots: 500 and no job left behind', async () => {
    const bodies: Array<[string, string]> = [
      ['bad1', '<project><description>x</project>'],
      ['bad2', '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><project><description>&x;</description></project>'],
      ['bad3', '<com.example.NoSuchJob/>'],
      ['bad4', '<hudson.model.ListView/>'],
      ['bad5', ''],
    ];
    for (const [name, body] of bodies) {
      const res = await post(r.s, `/createItem?name=${name}`, body);
      expect(res.status, name).toBe(500);
      expect(res.text).toContain('Oops!');
      expect(existsSync(path.join(r.home, 'jobs', name)), name).toBe(false);
      expect((await call(r.s, `/job/${name}/api/json`)).status).toBe(404);
    }
    expect((await post(r.s, '/createItem?name=minimal', '<project/>')).status).toBe(200);
  });

  it('config.xml GET is re-serialised (comments dropped, XStream declaration); POST replaces and re-writes', async () => {
    await post(r.s, '/createItem?name=cfg', `<?xml version='1.0' encoding='UTF-8'?>\n<!-- note -->\n<project>\n<description>a &amp; "b"</description>\n\n   <builders></builders>\n</project>`);
    const get = await call(r.s, '/job/cfg/config.xml');
    expect(get.status).toBe(200);
    expect(header(get, 'content-type')).toBe('application/xml');
    expect(header(get, 'x-jenkins')).toBeUndefined();
    expect(get.text).toBe('<?xml version="1.1" encoding="UTF-8"?>\n<project>\n  <description>a &amp; &quot;b&quot;</description>\n  <builders/>\n</project>');
    const upd = await post(r.s, '/job/cfg/config.xml', FREESTYLE('new'));
    expect(upd.status).toBe(200);
    expect(header(upd, 'content-length')).toBe('0');
    expect((await call(r.s, '/job/cfg/config.xml')).text).toContain('<description>new</description>');
    expect(readFileSync(path.join(r.home, 'jobs/cfg/config.xml'), 'utf8')).toMatch(/^<\?xml version='1\.1' encoding='UTF-8'\?>\n<project>/);
  });

  it('config.xml POST: malformed → 500 unchanged; other type → 500; charset from Content-Type; other methods 400', async () => {
    const before = (await call(r.s, '/job/cfg/config.xml')).text;
    const bad = await post(r.s, '/job/cfg/config.xml', '<project><x></project>');
    expect(bad.status).toBe(500);
    expect(bad.text).toContain('Failed to process config.xml');
    const other = await post(r.s, '/job/cfg/config.xml', '<flow-definition/>');
    expect(other.status).toBe(500);
    expect(other.text).toContain('Expecting class hudson.model.FreeStyleProject but got class org.jenkinsci.plugins.workflow.job.WorkflowJob instead');
    expect((await call(r.s, '/job/cfg/config.xml')).text).toBe(before);
    // no charset: read as ISO-8859-1 like the servlet default
    await call(r.s, '/job/cfg/config.xml', { method: 'POST', body: Buffer.from('<project><description>é</description></project>', 'utf8'), type: 'application/xml' });
    expect((await call(r.s, '/job/cfg/config.xml')).text).toContain('<description>Ã©</description>');
    await post(r.s, '/job/cfg/config.xml', '<project><description>é</description></project>');
    expect((await call(r.s, '/job/cfg/config.xml')).text).toContain('<description>é</description>');
    expect((await call(r.s, '/job/cfg/config.xml', { method: 'PUT', body: '<project/>' })).status).toBe(400);
    expect((await call(r.s, '/job/cfg/config.xml', { method: 'HEAD' })).status).toBe(400);
    expect((await call(r.s, '/job/nope/config.xml')).status).toBe(404);
  });

  it('disable/enable: 302 to the job, colour and <disabled> follow, saved in XStream form', async () => {
    await post(r.s, '/createItem?name=dis', FREESTYLE());
    const d = await post(r.s, '/job/dis/disable');
    expect(d.status).toBe(302);
    expect(header(d, 'location')).toBe('/job/dis/');
    expect(d.text).toBe('');
    expect(await json(r.s, '/job/dis/api/json?tree=color,disabled,buildable')).toEqual({ _class: 'hudson.model.FreeStyleProject', buildable: false, color: 'disabled', disabled: true });
    expect((await call(r.s, '/job/dis/config.xml')).text).toContain('<disabled>true</disabled>');
    expect(readFileSync(path.join(r.home, 'jobs/dis/config.xml'), 'utf8')).toContain('<disabled>true</disabled>');
    expect((await post(r.s, '/job/dis/enable')).status).toBe(302);
    expect((await json(r.s, '/job/dis/api/json?tree=color')).color).toBe('notbuilt');
    expect((await call(r.s, '/job/dis/disable')).status).toBe(405);
    expect((await post(r.s, '/job/nope/disable')).status).toBe(404);
  });

  it('rename (doRename and confirmRename): 302 to /job/NEW, validation texts HTML-escaped', async () => {
    await post(r.s, '/createItem?name=old', FREESTYLE());
    const res = await post(r.s, '/job/old/doRename?newName=%20new%20');
    expect(res.status).toBe(302);
    expect(header(res, 'location')).toBe('/job/new');
    expect(existsSync(path.join(r.home, 'jobs/old'))).toBe(false);
    expect(existsSync(path.join(r.home, 'jobs/new/config.xml'))).toBe(true);
    const cases: Array<[string, string]> = [
      ['new', 'The new name is the same as the current name.'],
      ['FOO', 'The name ?FOO? is already in use.'],
      ['NEW', 'The name ?NEW? is already in use.'],
      ['a%3Cb', '?&lt;? is an unsafe character'],
      ['', 'No name is specified'],
    ];
    for (const [n, msg] of cases) {
      const e = await post(r.s, `/job/new/confirmRename?newName=${n}`);
      expect(e.status, n).toBe(400);
      expect(header(e, 'x-error'), n).toBe(msg);
    }
    expect((await call(r.s, '/job/new/confirmRename?newName=x')).status).toBe(405);
  });

  it('copy: 302 to /job/NEW/configure, same config, held off from building until saved', async () => {
    const res = await post(r.s, '/createItem?name=copied&mode=copy&from=Foo', undefined, { type: null });
    expect(res.status).toBe(302);
    expect(header(res, 'location')).toBe('/job/copied/configure');
    expect((await call(r.s, '/job/copied/configure')).status).toBe(200);
    expect((await call(r.s, '/job/copied/config.xml')).text).toBe((await call(r.s, '/job/Foo/config.xml')).text);
    expect((await json(r.s, '/job/copied/api/json?tree=buildable')).buildable).toBe(false);
    const b = await post(r.s, '/job/copied/build');
    expect(b.status).toBe(409);
    expect(b.text).toContain('copied is not buildable');
    await post(r.s, '/job/copied/config.xml', FREESTYLE('saved'));
    expect((await json(r.s, '/job/copied/api/json?tree=buildable')).buildable).toBe(true);
    const errs: Array<[string, string]> = [
      ['/createItem?name=c2&mode=copy', 'Specify which job to copy'],
      ['/createItem?name=c2&mode=copy&from=ghost', 'No such job: ghost'],
      ['/createItem?name=Foo&mode=copy&from=Foo', 'A job already exists with the name ?Foo?'],
    ];
    for (const [p, msg] of errs) {
      const e = await post(r.s, p, undefined, { type: null });
      expect(e.status).toBe(400);
      expect(header(e, 'x-error')).toBe(msg);
    }
  });

  it('doDelete: 302 to the nearest group; 405 on GET; DELETE gives 204; 404 afterwards', async () => {
    await post(r.s, '/createItem?name=del', FREESTYLE());
    expect((await call(r.s, '/job/del/doDelete')).status).toBe(405);
    expect(header(await call(r.s, '/job/del/doDelete'), 'allow')).toBe('POST');
    const res = await post(r.s, '/job/del/doDelete');
    expect(res.status).toBe(302);
    expect(header(res, 'location')).toBe('/');
    expect(existsSync(path.join(r.home, 'jobs/del'))).toBe(false);
    expect((await call(r.s, '/job/del/')).status).toBe(404);
    await post(r.s, '/createItem?name=del2', FREESTYLE());
    const redir = await call(r.s, '/job/del2', { method: 'DELETE' });
    expect(redir.status).toBe(302);
    expect(header(redir, 'location')).toBe('/job/del2/');
    expect((await call(r.s, '/job/del2/', { method: 'DELETE' })).status).toBe(204);
    expect((await post(r.s, '/job/del2/doDelete')).status).toBe(404);
  });

  it('405 for GET on POST-only root URLs; 404 for @POST ones; trailing-slash redirect keeps the query', async () => {
    const g = await call(r.s, '/createItem?name=x');
    expect(g.status).toBe(405);
    expect(g.text).toContain('This URL requires POST');
    expect(header(g, 'x-jenkins')).toBe('2.479.3');
    expect((await call(r.s, '/createView?name=x')).status).toBe(404);
    const t = await call(r.s, '/job/Foo?x=1');
    expect(t.status).toBe(302);
    expect(header(t, 'location')).toBe('/job/Foo/?x=1');
    expect((await call(r.s, '/job/Foo/')).status).toBe(200);
  });

  it('folders: nested createItem, folder api/json, case-sensitive children, 404 for missing folder, folder delete removes children', async () => {
    expect((await post(r.s, '/createItem?name=team', FOLDER)).status).toBe(200);
    expect((await post(r.s, '/job/team/createItem?name=sub', FOLDER)).status).toBe(200);
    expect((await post(r.s, '/job/team/job/sub/createItem?name=Leaf', FREESTYLE())).status).toBe(200);
    expect(existsSync(path.join(r.home, 'jobs/team/jobs/sub/jobs/Leaf/config.xml'))).toBe(true);
    expect((await post(r.s, '/job/nofolder/createItem?name=x', FREESTYLE())).status).toBe(404);
    expect((await call(r.s, '/job/team/createItem?name=x')).status).toBe(404);
    expect((await call(r.s, '/job/team/job/sub/job/leaf/api/json')).status).toBe(404);
    // a different case is a different child inside folders
    expect((await post(r.s, '/job/team/job/sub/createItem?name=leaf', FREESTYLE())).status).toBe(200);
    const f = await json(r.s, '/job/team/api/json');
    expect(f._class).toBe('com.cloudbees.hudson.plugins.folder.Folder');
    expect(f.jobs).toEqual([{ _class: 'com.cloudbees.hudson.plugins.folder.Folder', name: 'sub', url: `${r.s.url}/job/team/job/sub/` }]);
    expect(f).not.toHaveProperty('color');
    expect((await json(r.s, '/job/team/job/sub/job/Leaf/api/json?tree=fullName,fullDisplayName')).fullName).toBe('team/sub/Leaf');
    expect((await post(r.s, '/job/team/disable')).status).toBe(404);
    const del = await post(r.s, '/job/team/job/sub/doDelete');
    expect(header(del, 'location')).toBe('/job/team/');
    expect(readdirSync(path.join(r.home, 'jobs/team/jobs'))).toEqual([]);
  });

  it('absolute Location form when configured', async () => {
    const a = await startTemp({ redirects: 'absolute' });
    try {
      await post(a.s, '/createItem?name=x', FREESTYLE());
      expect(header(await post(a.s, '/job/x/disable'), 'location')).toBe(`${a.s.url}/job/x/`);
      expect(header(await call(a.s, '/job/x'), 'location')).toBe(`${a.s.url}/job/x/`);
    } finally {
      await a.stop();
    }
  });

  it('verbatim config.xml GET returns the stored file (Jenkins < 2.568)', async () => {
    const v = await startTemp({ configGet: 'verbatim' });
    try {
      await post(v.s, '/createItem?name=x', '<?xml version="1.0" encoding="UTF-8"?>\n<!-- keep --><project>\n<description>d</description></project>');
      expect((await call(v.s, '/job/x/config.xml')).text).toBe('<?xml version="1.0" encoding="UTF-8"?><!-- keep --><project>\n<description>d</description></project>');
      const bad = await post(v.s, '/job/x/config.xml', '<project>');
      expect(bad.text).toContain('Failed to persist config.xml');
    } finally {
      await v.stop();
    }
  });
});
