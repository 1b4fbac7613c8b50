import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { JenkinsError } from '../../src/jenkins/jenkins-error.js';
import { FREESTYLE, PASSWORD, TOKEN, USER, failure, startFixture, type Fixture } from './standin-fixture.js';

describe('authentication and crumbs against the stand-in', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(() => fx.close());

  test('API token: version from X-Jenkins and who am I', async () => {
    const c = fx.client();
    expect(await c.version()).toBe('2.479.3');
    expect(await c.whoAmI()).toMatchObject({ name: USER, anonymous: false });
  });

  test('a wrong token is 401 "unauthorized" on every operation, never retried', async () => {
    const c = fx.client({ token: 'wrong-token-value' });
    fx.standin.resetCounts();
    for (const op of [() => c.whoAmI(), () => c.list(), () => c.getConfig('x'), () => c.createJob('x', FREESTYLE())]) {
      const e = await failure(op());
      expect(e).toBeInstanceOf(JenkinsError);
      expect(e.kind).toBe('unauthorized');
      expect(e.status).toBe(401);
      expect(e.message).not.toContain('wrong-token-value');
    }
    // whoAmI, list, getConfig: one request each; createJob: the crumb request fails first.
    expect(c.stats.requests).toBe(4);
  });

  test('anonymous without permission: 403 "forbidden" for reads and writes', async () => {
    const c = fx.client({ user: undefined, token: undefined });
    expect(await c.whoAmI()).toMatchObject({ name: 'anonymous', anonymous: true });
    const read = await failure(c.list());
    expect([read.kind, read.status]).toEqual(['forbidden', 403]);
    const write = await failure(c.createJob('anon-job', FREESTYLE()));
    expect([write.kind, write.status]).toEqual(['forbidden', 403]);
    expect(write.message).toMatch(/anonymous/);
    // the version is readable anyway (X-Jenkins on the 403 page)
    expect(await c.version()).toBe('2.479.3');
  });

  test('a user with read permission only: reads work, writes are 403 with the permission named', async () => {
    const c = fx.client({ user: 'reader', token: 'reader-token-123' });
    await fx.client().createJob('readable', FREESTYLE());
    expect((await c.list()).items.map((i) => i.fullName)).toContain('readable');
    const e = await failure(c.updateJob('readable', FREESTYLE('changed')));
    expect([e.kind, e.status]).toEqual(['forbidden', 403]);
    expect(e.message).toMatch(/permission/i);
  });

  test('password auth: one crumb with its session cookie for many POSTs', async () => {
    const c = fx.client({ token: PASSWORD });
    fx.standin.resetCounts();
    await Promise.all(Array.from({ length: 12 }, (_, i) => c.createJob(`pw-${i}`, FREESTYLE())));
    await c.disableJob('pw-0');
    expect(fx.standin.requestCounts()['GET crumbIssuer/api/json']).toBe(1);
    expect(fx.standin.requestCounts()['POST createItem']).toBe(12);
    expect(c.stats.crumbFetches).toBe(1);
  });

  test('password auth: expired sessions → the crumb is fetched again once and the POST repeated', async () => {
    const c = fx.client({ token: PASSWORD });
    await c.createJob('pw-before', FREESTYLE());
    fx.standin.faults.expireSessions();
    fx.standin.resetCounts();
    await Promise.all([c.createJob('pw-after-1', FREESTYLE()), c.createJob('pw-after-2', FREESTYLE()), c.updateJob('pw-before', FREESTYLE('x'))]);
    expect(c.stats.crumbFetches).toBe(2); // the concurrent crumb failures shared one refresh
    expect(fx.standin.requestCounts()['GET crumbIssuer/api/json']).toBe(1);
    expect((await c.list()).items.map((i) => i.fullName)).toEqual(expect.arrayContaining(['pw-after-1', 'pw-after-2']));
  });

  test('credentials revoked mid-run: the next POST is a 401, not a crumb loop', async () => {
    const c = fx.client({ token: PASSWORD });
    await c.createJob('pw-own', FREESTYLE());
    fx.standin.faults.revokeCredentials(USER);
    try {
      const e = await failure(c.createJob('pw-revoked', FREESTYLE()));
      expect(e.kind).toBe('unauthorized');
    } finally {
      fx.standin.faults.restoreCredentials(USER);
    }
  });

  test('API token POSTs still work when every session is expired (token requests are crumb-exempt)', async () => {
    const c = fx.client();
    await c.createJob('tok-1', FREESTYLE());
    fx.standin.faults.expireSessions();
    await c.createJob('tok-2', FREESTYLE());
    expect(c.stats.crumbFetches).toBe(1);
    expect(TOKEN).toHaveLength(34);
  });
});
