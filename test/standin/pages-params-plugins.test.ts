import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../form/browser.js';
import { FREESTYLE, LIST_VIEW, PASSWORD, TOKEN, USER, call, crumbSession, header, json, passwordAuth, post, startTemp, type Running } from './standin-harness.js';

const FORM = 'application/x-www-form-urlencoded';
const MARKER = '<!-- jobsmith:v1 project=pay template=CI hash=sha256:abc -->';

describe('parameters from a form body, as from the query (Stapler getParameter)', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startTemp();
    await post(r.s, '/createItem?name=src', FREESTYLE('from src'));
  });
  afterAll(() => r.stop());

  it('createItem mode=copy with name/from in the body', async () => {
    const res = await call(r.s, '/createItem', { method: 'POST', type: FORM, body: 'name=copied&mode=copy&from=src' });
    expect(res.status).toBe(302);
    expect(header(res, 'location')).toBe('/job/copied/configure');
    expect((await json(r.s, '/job/copied/api/json?tree=description')).description).toBe('from src');
  });

  it('createView with name, mode and json in the body (npm jenkins view.create)', async () => {
    const res = await call(r.s, '/createView', { method: 'POST', type: FORM, body: new URLSearchParams({ name: 'V', mode: 'hudson.model.ListView', json: JSON.stringify({ name: 'V', mode: 'hudson.model.ListView' }) }).toString() });
    expect(res.status).toBe(302);
    expect(header(res, 'location')).toBe('/view/V/configure');
    // without json: Stapler's getSubmittedForm refuses
    const nojson = await call(r.s, '/createView', { method: 'POST', type: FORM, body: 'name=W&mode=hudson.model.ListView' });
    expect(nojson.status).toBe(400);
    expect(nojson.text).toContain('This page expects a form submission');
    const badjson = await call(r.s, '/createView', { method: 'POST', type: FORM, body: 'name=W&mode=hudson.model.ListView&json=%7Bnope' });
    expect(badjson.status).toBe(500);
    expect(((await json(r.s, '/api/json?tree=views[name]')).views as Array<{ name: string }>).map((v) => v.name)).toEqual(['all', 'V']);
  });

  it('addJobToView / removeJobFromView with name in the body', async () => {
    expect((await call(r.s, '/view/V/addJobToView', { method: 'POST', type: FORM, body: 'name=src' })).status).toBe(200);
    expect(((await json(r.s, '/view/V/api/json?tree=jobs[name]')).jobs as Array<{ name: string }>).map((j) => j.name)).toEqual(['src']);
    expect((await call(r.s, '/view/V/removeJobFromView', { method: 'POST', type: FORM, body: 'name=src' })).status).toBe(200);
    expect((await json(r.s, '/view/V/api/json?tree=jobs[name]')).jobs).toEqual([]);
  });

  it('doRename with newName in the body; the query wins when both are given', async () => {
    const res = await call(r.s, '/job/copied/doRename?newName=fromquery', { method: 'POST', type: FORM, body: 'newName=frombody' });
    expect(res.status).toBe(302);
    expect(header(res, 'location')).toBe('/job/fromquery');
    const res2 = await call(r.s, '/job/fromquery/doRename', { method: 'POST', type: FORM, body: 'newName=renamed%20%C3%A9' });
    expect(header(res2, 'location')).toBe('/job/renamed%20%C3%A9');
  });

  it('a form body in ISO-8859-1 (charset given) is decoded with that charset', async () => {
    const body = Buffer.from('name=caf%E9&mode=copy&from=src', 'latin1');
    const res = await call(r.s, '/createItem', { method: 'POST', type: `${FORM}; charset=ISO-8859-1`, body });
    expect(res.status).toBe(302);
    expect((await json(r.s, `/job/${encodeURIComponent('café')}/api/json?tree=name`)).name).toBe('café');
  });

  it('an XML body is not read as parameters: createItem without ?name stays 400', async () => {
    const res = await post(r.s, '/createItem', '<project/>');
    expect(res.status).toBe(400);
    expect(header(res, 'x-error')).toBe("Query parameter 'name' is required");
  });
});

describe('pluginManager/api/json', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startTemp();
  });
  afterAll(() => r.stop());

  it('depth=2: every PluginWrapper field, dependencies with optional/shortName/version', async () => {
    const pm = await json(r.s, '/pluginManager/api/json?depth=2');
    expect(pm._class).toBe('hudson.LocalPluginManager');
    const plugins = pm.plugins as Array<Record<string, unknown>>;
    const folder = plugins.find((p) => p.shortName === 'cloudbees-folder')!;
    expect(Object.keys(folder)).toEqual(['active', 'backupVersion', 'bundled', 'deleted', 'dependencies', 'detached', 'downgradable', 'enabled', 'hasUpdate', 'longName', 'pinned', 'requiredCoreVersion', 'shortName', 'supportsDynamicLoad', 'url', 'version']);
    expect(folder).toMatchObject({ active: true, backupVersion: null, bundled: false, enabled: true, hasUpdate: false, pinned: false, url: 'https://github.com/jenkinsci/cloudbees-folder-plugin', supportsDynamicLoad: 'MAYBE' });
    expect(folder.dependencies).toEqual([
      { optional: true, shortName: 'credentials', version: '1415.v831096eb_5534' },
      { optional: false, shortName: 'ionicons-api', version: '88.va_4187cb_eddf1' },
    ]);
    // every dependency is itself in the list
    const names = new Set(plugins.map((p) => p.shortName));
    for (const p of plugins) for (const d of p.dependencies as Array<{ shortName: string }>) expect(names.has(d.shortName), `${String(p.shortName)} -> ${d.shortName}`).toBe(true);
    expect(plugins.find((p) => p.shortName === 'matrix-project')!.detached).toBe(true);
  });

  it('depth=1 hides the dependencies\' fields and depth=0 everything of a plugin, as Stapler prunes', async () => {
    const d1 = await json(r.s, '/pluginManager/api/json?depth=1');
    expect((d1.plugins as Array<Record<string, unknown>>).find((p) => p.shortName === 'cloudbees-folder')!.dependencies).toEqual([{}, {}]);
    const d0 = await json(r.s, '/pluginManager/api/json');
    expect((d0.plugins as unknown[]).every((p) => JSON.stringify(p) === '{}')).toBe(true);
  });
});

describe('the stand-in as a page people open (with --user)', () => {
  let r: Running;
  let browser: Browser;
  beforeAll(async () => {
    r = await startTemp();
    await post(r.s, '/createItem?name=payments-ci', FREESTYLE(`Builds payments&#10;${MARKER.replace(/</g, '&lt;').replace(/>/g, '&gt;')}`));
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await r.stop();
  });

  it('anonymous GET / is 403 with a refresh to /login, which has a sign-in form (no Basic challenge)', async () => {
    const res = await call(r.s, '/', { auth: null });
    expect(res.status).toBe(403);
    expect(header(res, 'www-authenticate')).toBeUndefined();
    expect(res.text).toContain("url=/login?from=%2F");
    const login = await call(r.s, '/login?from=%2F', { auth: null });
    expect(login.status).toBe(200);
    expect(login.text).toContain('action="/j_spring_security_check"');
    expect(login.text).toContain('name="j_username"');
    expect(login.text).toContain('name="j_password"');
  });

  it('a browser signs in with the password and sees the dashboard without the jobsmith marker', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(r.s.url + '/');
      await page.waitForURL(/\/login\?from=%2F$/, { timeout: 10_000 });
      await page.fill('#j_username', USER);
      await page.fill('#j_password', PASSWORD);
      await Promise.all([page.waitForURL(r.s.url + '/'), page.click('button[type=submit]')]);
      const text = await page.locator('body').innerText();
      expect(text).toContain('payments-ci');
      expect(text).toContain('Builds payments');
      expect(text).not.toContain('jobsmith:v1');
      expect(await page.content()).not.toContain('jobsmith:v1');
      // the job page too
      await page.goto(r.s.url + '/job/payments-ci/');
      expect(await page.locator('#description').innerText()).toBe('Builds payments');
    } finally {
      await page.close();
    }
  });

  it('a wrong password lands on /loginError; an API token is not a password; /logout ends the session', async () => {
    const bad = await call(r.s, '/j_spring_security_check', { method: 'POST', auth: null, type: FORM, body: `j_username=${USER}&j_password=nope&from=%2F` });
    expect(bad.status).toBe(302);
    expect(header(bad, 'location')).toBe('/loginError');
    expect((await call(r.s, '/loginError', { auth: null })).text).toContain('Invalid username or password');
    const token = await call(r.s, '/j_spring_security_check', { method: 'POST', auth: null, type: FORM, body: `j_username=${USER}&j_password=${TOKEN}` });
    expect(header(token, 'location')).toBe('/loginError');
    const ok = await call(r.s, '/j_spring_security_check', { method: 'POST', auth: null, type: FORM, body: `j_username=${USER}&j_password=${encodeURIComponent(PASSWORD)}&from=https%3A%2F%2Fevil.example%2F` });
    expect(header(ok, 'location')).toBe('/');
    const cookie = String(header(ok, 'set-cookie')).split(';')[0]!;
    const me = await call(r.s, '/whoAmI/api/json', { auth: null, headers: { cookie } });
    expect(JSON.parse(me.text).name).toBe(USER);
    // a signed-in browser session still needs a crumb for POSTs
    expect((await call(r.s, '/createItem?name=x', { method: 'POST', auth: null, headers: { cookie }, body: '<project/>' })).status).toBe(403);
    const crumb = JSON.parse((await call(r.s, '/crumbIssuer/api/json', { auth: null, headers: { cookie } })).text).crumb as string;
    expect((await call(r.s, '/createItem?name=x', { method: 'POST', auth: null, headers: { cookie, 'Jenkins-Crumb': crumb }, body: '<project/>' })).status).toBe(200);
    expect((await call(r.s, '/logout', { auth: null, headers: { cookie } })).status).toBe(302);
    expect((await call(r.s, '/api/json', { auth: null, headers: { cookie } })).status).toBe(403);
  });

  it('password users keep working with Basic + crumb', async () => {
    const { cookie, crumb } = await crumbSession(r.s, passwordAuth);
    const res = await call(r.s, '/createView?name=pv', { method: 'POST', auth: passwordAuth, headers: { cookie, 'Jenkins-Crumb': crumb }, body: LIST_VIEW() });
    expect(res.status).toBe(200);
  });
});
