import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { FREESTYLE, failure, startFixture, type Fixture } from './standin-fixture.js';
import { startGateway } from './gateway.js';

describe('transient failures, retries and timeouts (stand-in fault injection)', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(() => fx.close());
  afterEach(() => fx.standin.faults.clear());

  const count = (route: string) => fx.standin.requestCounts()[route] ?? 0;

  test('GET: injected 503s are retried with backoff until the answer comes', async () => {
    const c = fx.client();
    await c.createJob('r1', FREESTYLE('r1'));
    fx.standin.resetCounts();
    fx.standin.faults.set({ errors: { 'GET api/json': { status: 503, times: 2 }, 'GET config.xml': { status: 502, times: 1 } } });
    expect((await c.list()).items.map((i) => i.fullName)).toContain('r1');
    expect(await c.getConfig('r1')).toContain('r1');
    expect(count('GET api/json')).toBe(3);
    expect(count('GET config.xml')).toBe(2);
    expect(c.stats.retries).toBe(3);
  });

  test('retries are bounded: a server that keeps failing gives "server" 503 after retries + 1 attempts', async () => {
    const c = fx.client({ retries: 2 });
    fx.standin.resetCounts();
    fx.standin.faults.set({ errors: { 'GET api/json': { status: 503 } } });
    const e = await failure(c.list());
    expect([e.kind, e.status, e.operation]).toEqual(['server', 503, 'list items']);
    expect(count('GET api/json')).toBe(3);
  });

  test('a truncated listing is never taken for an empty Jenkins: retried, or an error', async () => {
    const c = fx.client({ retries: 1 });
    await c.createJob('t1', FREESTYLE());
    fx.standin.faults.set({ truncateListing: { times: 1 } });
    expect((await c.list()).items.map((i) => i.fullName)).toContain('t1');
    fx.standin.faults.set({ truncateListing: true });
    const e = await failure(c.list());
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/not valid JSON/);
  });

  test('config update (idempotent POST): 503 and a dropped connection are retried', async () => {
    const c = fx.client();
    await c.createJob('u1', FREESTYLE());
    fx.standin.resetCounts();
    fx.standin.faults.set({ errors: { 'POST config.xml': { status: 503, times: 1 } }, dropRequest: { 'POST disable': { times: 1 } } });
    await c.updateJob('u1', FREESTYLE('updated'));
    await c.disableJob('u1');
    expect(count('POST config.xml')).toBe(2);
    expect(count('POST disable')).toBe(2);
    expect(await c.getConfig('u1')).toContain('updated');
  });

  test('createItem dropped before it was applied: checked (404), then sent again', async () => {
    const c = fx.client();
    await c.createJob('warmup', FREESTYLE()); // crumb fetched
    fx.standin.resetCounts();
    fx.standin.faults.set({ dropRequest: { 'POST createItem': { times: 1 } } });
    await c.createJob('c1', FREESTYLE('c1'));
    expect(count('POST createItem')).toBe(2);
    expect(count('GET api/json')).toBe(1); // the existence check
    expect(await c.getConfig('c1')).toContain('c1');
  });

  test('createItem applied but its answer lost: the check finds the job, no duplicate error', async () => {
    const c = fx.client();
    await c.createJob('warmup2', FREESTYLE());
    fx.standin.resetCounts();
    fx.standin.faults.set({ dropResponse: { 'POST createItem': { times: 1 } } });
    await c.createJob('c2', FREESTYLE('c2'));
    expect(count('POST createItem')).toBe(1); // never re-posted (that would be a 400 duplicate)
    expect(count('GET api/json')).toBe(1);
    expect(count('GET config.xml')).toBe(1); // it holds what was sent: this create's
    expect(count('POST config.xml')).toBe(0); // nothing written over
    expect(await c.getConfig('c2')).toContain('c2');
  });

  test('createItem answered 503 (by a gateway) while someone makes an item of that name: found, not this create\'s, never written over', async () => {
    const other = fx.client();
    // the person acts at the first createItem (answered 503, not forwarded), or right before the repeat reaches Jenkins (then refused as a duplicate)
    for (const when of [1, 2]) {
      const name = `c4-${when}`;
      let n = 0;
      const gw = await startGateway(fx.standin.url, async (r) => {
        if (r.route !== 'POST createItem' || !r.url.includes(name)) return undefined;
        n++;
        if (n === when) await other.createJob(name, FREESTYLE('someone else'));
        return n === 1 ? 503 : undefined;
      });
      const c = fx.client({ url: gw.url });
      const e = await failure(c.createJob(name, FREESTYLE('mine')));
      await gw.close();
      expect([e.kind, e.operation, n]).toEqual(['conflict', 'create', when]);
      expect(e.message).toMatch(/not this create's \(it does not hold the config this create sent\).*not written over/);
      expect(gw.seen).not.toContain('POST config.xml');
      expect(await other.getConfig(name)).toContain('someone else');
    }
  });

  test('createItem with a 503: checked, then retried', async () => {
    const c = fx.client();
    await c.createJob('warmup3', FREESTYLE());
    fx.standin.resetCounts();
    fx.standin.faults.set({ errors: { 'POST createItem': { status: 503, times: 2 } } });
    await c.createJob('c3', FREESTYLE());
    expect(count('POST createItem')).toBe(3);
    expect(count('GET api/json')).toBe(2);
  });

  test('delete whose answer was lost: the check sees it gone, success without a second delete', async () => {
    const c = fx.client();
    await c.createJob('d1', FREESTYLE());
    fx.standin.resetCounts();
    fx.standin.faults.set({ dropResponse: { 'POST doDelete': { times: 1 } } });
    await c.deleteJob('d1');
    expect(count('POST doDelete')).toBe(1);
    expect((await failure(c.getConfig('d1'))).kind).toBe('not-found');
  });

  test('builds are never retried: a dropped build request is a "network" error after one attempt', async () => {
    const c = fx.client();
    await c.createJob('nb', FREESTYLE());
    fx.standin.resetCounts();
    fx.standin.faults.set({ dropRequest: { 'POST build': { times: 1 } } });
    const e = await failure(c.build('nb'));
    expect(e.kind).toBe('network');
    expect(count('POST build')).toBe(1);
  });

  test('timeouts: a slow server gives "timeout"; safe requests retry it', async () => {
    const c = fx.client({ timeoutMs: 100, retries: 1 });
    fx.standin.resetCounts();
    fx.standin.faults.set({ latencyMs: 400 });
    const e = await failure(c.whoAmI());
    expect([e.kind, e.operation]).toEqual(['timeout', 'who am I']);
    expect(e.message).toMatch(/100 ms/);
    expect(count('GET whoAmI/api/json')).toBe(2);
    fx.standin.faults.clear();
    expect((await c.whoAmI()).name).toBe('alice');
  });

  test('a server that is gone: "network" error naming the failure', async () => {
    const c = fx.client({ url: 'http://127.0.0.1:1/', retries: 1 });
    const e = await failure(c.list());
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/ECONNREFUSED/);
  });
});
