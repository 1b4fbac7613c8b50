import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FREESTYLE, USER, TOKEN, basic, call, crumbSession, header, json, passwordAuth, post, startTemp, type Running } from './standin-harness.js';

describe('authentication, permissions and crumbs', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startTemp({ users: [{ name: USER, token: TOKEN, password: 'correct horse' }, { name: 'reader', token: '11' + 'f'.repeat(32), permissions: 'read' }] });
  });
  afterAll(() => r.stop());

  it('wrong credentials give 401 + WWW-Authenticate on any URL, even always-readable ones', async () => {
    for (const p of ['/whoAmI/api/json', '/api/json', '/no/such/url', '/login']) {
      const res = await call(r.s, p, { auth: basic(USER, 'wrong') });
      expect(res.status).toBe(401);
      expect(header(res, 'www-authenticate')).toBe('Basic realm="Jenkins"');
      expect(header(res, 'x-jenkins')).toBeUndefined();
    }
    expect((await call(r.s, '/api/json', { auth: basic('nobody', TOKEN) })).status).toBe(401);
    expect((await call(r.s, '/api/json', { auth: 'Basic ' + Buffer.from('nocolon').toString('base64') })).status).toBe(401);
    expect((await call(r.s, '/api/json', { auth: 'bAsIc ' + Buffer.from(`${USER}:${TOKEN}`).toString('base64') })).status).toBe(200);
  });

  it('a non-Basic Authorization header is ignored (anonymous)', async () => {
    const res = await call(r.s, '/whoAmI/api/json', { auth: 'Bearer abc' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ _class: 'hudson.security.WhoAmI', name: 'anonymous', anonymous: true, authorities: ['anonymous'] });
  });

  it('anonymous without Overall/Read: 403 login-redirect page with X-Jenkins and diagnostic headers', async () => {
    const res = await call(r.s, '/job/x/api/json?tree=name', { auth: null });
    expect(res.status).toBe(403);
    expect(header(res, 'x-jenkins')).toBe('2.479.3');
    expect(header(res, 'x-required-permission')).toBe('hudson.model.Hudson.Read');
    expect(header(res, 'x-you-are-authenticated-as')).toBe('anonymous');
    expect(res.text).toContain("url=/login?from=%2Fjob%2Fx%2Fapi%2Fjson%3Ftree%3Dname");
    const xhr = await call(r.s, '/api/json', { auth: null, headers: { 'x-requested-with': 'XMLHttpRequest' } });
    expect(xhr.status).toBe(403);
    expect(xhr.text).not.toContain('refresh');
  });

  it('whoAmI and me/api/json', async () => {
    expect(await json(r.s, '/whoAmI/api/json')).toEqual({ _class: 'hudson.security.WhoAmI', anonymous: false, authenticated: true, authorities: ['authenticated'], name: USER });
    expect(await json(r.s, '/me/api/json?depth=0')).toMatchObject({ _class: 'hudson.model.User', id: USER, fullName: USER });
    expect((await call(r.s, '/me/api/json', { auth: null })).status).toBe(403);
  });

  it('user ids are case-insensitive (IdStrategy.CaseInsensitive): the principal keeps the id as created', async () => {
    const upper = basic(USER.toUpperCase(), TOKEN);
    expect((await json(r.s, '/whoAmI/api/json', { auth: upper })).name).toBe(USER);
    expect((await call(r.s, '/api/json', { auth: basic('Alice', 'correct horse') })).status).toBe(200);
    expect((await call(r.s, '/api/json', { auth: basic('Alice', 'wrong') })).status).toBe(401);
  });

  it('a user lacking a permission gets the access-denied page naming it', async () => {
    const reader = basic('reader', '11' + 'f'.repeat(32));
    expect((await call(r.s, '/api/json', { auth: reader })).status).toBe(200);
    const res = await post(r.s, '/createItem?name=x', FREESTYLE(), { auth: reader });
    expect(res.status).toBe(403);
    expect(res.text).toContain('reader is missing the Job/Create permission');
    expect(header(res, 'x-required-permission')).toBe('hudson.model.Item.Create');
    expect(header(res, 'x-you-are-authenticated-as')).toBe('reader');
  });

  it('crumb issuer: 64-hex crumb, Jenkins-Crumb field, a JSESSIONID.<hex> HttpOnly cookie; cookie-less fetches differ', async () => {
    const res = await call(r.s, '/crumbIssuer/api/json', { auth: passwordAuth });
    expect(res.status).toBe(200);
    expect(header(res, 'content-type')).toBe('application/json;charset=utf-8');
    const body = JSON.parse(res.text);
    expect(Object.keys(body)).toEqual(['_class', 'crumb', 'crumbRequestField']);
    expect(body._class).toBe('hudson.security.csrf.DefaultCrumbIssuer');
    expect(body.crumb).toMatch(/^[0-9a-f]{64}$/);
    expect(body.crumbRequestField).toBe('Jenkins-Crumb');
    expect(header(res, 'set-cookie')).toMatch(/^JSESSIONID\.[0-9a-f]{8}=[^;]+; Path=\/; HttpOnly$/);
    const again = await crumbSession(r.s, passwordAuth);
    expect(again.crumb).not.toBe(body.crumb);
    const xml = await call(r.s, '/crumbIssuer/api/xml?xpath=concat(//crumbRequestField,%22:%22,//crumb)', { auth: passwordAuth });
    expect(xml.text).toMatch(/^Jenkins-Crumb:[0-9a-f]{64}$/);
  });

  it('API-token POSTs need no crumb; password and anonymous POSTs do, bound to the session', async () => {
    expect((await post(r.s, '/createItem?name=tok', FREESTYLE())).status).toBe(200);
    const noCrumb = await post(r.s, '/createItem?name=pw', FREESTYLE(), { auth: passwordAuth });
    expect(noCrumb.status).toBe(403);
    expect(noCrumb.text).toContain('No valid crumb was included in the request');
    expect(header(noCrumb, 'x-error')).toBeUndefined();
    const { cookie, crumb } = await crumbSession(r.s, passwordAuth);
    // crumb without its session cookie fails; with it, works (header form)
    expect((await post(r.s, '/createItem?name=pw', FREESTYLE(), { auth: passwordAuth, headers: { 'Jenkins-Crumb': crumb } })).status).toBe(403);
    expect((await post(r.s, '/createItem?name=pw', FREESTYLE(), { auth: passwordAuth, headers: { 'Jenkins-Crumb': crumb, cookie } })).status).toBe(200);
    // as a query parameter
    expect((await post(r.s, `/job/pw/disable?Jenkins-Crumb=${crumb}`, undefined, { auth: passwordAuth, headers: { cookie } })).status).toBe(302);
    // as a form field
    const form = await call(r.s, '/job/pw/enable', { method: 'POST', auth: passwordAuth, headers: { cookie }, body: `Jenkins-Crumb=${crumb}`, type: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(302);
    // another user's crumb for the same session does not fit
    const other = await crumbSession(r.s, basic('reader', '11' + 'f'.repeat(32)));
    expect((await post(r.s, '/job/pw/disable', undefined, { auth: passwordAuth, headers: { cookie: other.cookie, 'Jenkins-Crumb': other.crumb } })).status).toBe(403);
  });

  it('the crumb check comes before URL resolution (403, not 404) and GET/DELETE are not checked', async () => {
    const res = await post(r.s, '/job/does-not-exist/doDelete', undefined, { auth: passwordAuth });
    expect(res.status).toBe(403);
    expect(res.text).toContain('No valid crumb');
    expect((await call(r.s, '/job/does-not-exist/', { auth: passwordAuth })).status).toBe(404);
    expect((await call(r.s, '/job/tok/', { method: 'DELETE', auth: passwordAuth })).status).toBe(204);
  });

  it('session expiry invalidates crumbs; credential revocation turns into 401', async () => {
    const { cookie, crumb } = await crumbSession(r.s, passwordAuth);
    expect((await post(r.s, '/createItem?name=e1', FREESTYLE(), { auth: passwordAuth, headers: { cookie, 'Jenkins-Crumb': crumb } })).status).toBe(200);
    r.s.faults.expireSessions();
    expect((await post(r.s, '/createItem?name=e2', FREESTYLE(), { auth: passwordAuth, headers: { cookie, 'Jenkins-Crumb': crumb } })).status).toBe(403);
    r.s.faults.revokeCredentials(USER);
    expect((await call(r.s, '/api/json')).status).toBe(401);
    r.s.faults.restoreCredentials(USER);
    expect((await call(r.s, '/api/json')).status).toBe(200);
  });
});

describe('anonymous modes', () => {
  it('read: listing allowed, config.xml and POSTs forbidden; admin: everything with a crumb', async () => {
    const r = await startTemp({ anonymous: 'read' });
    try {
      await post(r.s, '/createItem?name=j', FREESTYLE());
      expect((await call(r.s, '/api/json?tree=jobs[name]', { auth: null })).status).toBe(200);
      expect((await call(r.s, '/job/j/config.xml', { auth: null })).status).toBe(403);
      const { cookie, crumb } = await crumbSession(r.s, null);
      const res = await post(r.s, '/createItem?name=k', FREESTYLE(), { auth: null, headers: { cookie, 'Jenkins-Crumb': crumb } });
      expect(res.status).toBe(403);
      expect(header(res, 'x-required-permission')).toBe('hudson.model.Item.Create');
    } finally {
      await r.stop();
    }
    const a = await startTemp({ anonymous: 'admin', users: [] });
    try {
      const { cookie, crumb } = await crumbSession(a.s, null);
      expect((await post(a.s, '/createItem?name=k', FREESTYLE(), { auth: null, headers: { cookie, 'Jenkins-Crumb': crumb } })).status).toBe(200);
      expect((await post(a.s, '/createItem?name=k2', FREESTYLE(), { auth: null })).status).toBe(403);
    } finally {
      await a.stop();
    }
  });
});
