import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { FOLDER, FREESTYLE, LIST_VIEW, call, header, json, post, startTemp, tokenAuth, type Running } from './standin-harness.js';

function listAll(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.push(r);
      if (e.isDirectory()) walk(path.join(d, e.name), r);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** Send raw bytes over a socket (for request targets undici would normalise). */
function rawRequest(port: number, target: string, auth?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => {
      sock.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${auth ? `Authorization: ${auth}\r\n` : ''}Connection: close\r\n\r\n`);
    });
    let data = '';
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => (data += d));
    sock.on('end', () => resolve(data));
    sock.on('error', reject);
  });
}

describe('persistence and the home directory', () => {
  it('state survives a restart in Jenkins layout (jobs, nested folders, root and folder views, disabled)', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'standin-restart-'));
    try {
      const a = await startTemp({ home });
      await post(a.s, '/createItem?name=Top', FREESTYLE('top'));
      await post(a.s, '/createItem?name=f', FOLDER);
      await post(a.s, '/job/f/createItem?name=g', FOLDER);
      await post(a.s, '/job/f/job/g/createItem?name=leaf', FREESTYLE('leaf'));
      await post(a.s, '/job/f/createView?name=fv', LIST_VIEW(['g']));
      await post(a.s, '/createView?name=rv', LIST_VIEW(['Top']));
      await post(a.s, '/job/Top/disable');
      await a.s.close();
      expect(listAll(home)).toEqual(['config.xml', 'jobs', 'jobs/Top', 'jobs/Top/config.xml', 'jobs/f', 'jobs/f/config.xml', 'jobs/f/jobs', 'jobs/f/jobs/g', 'jobs/f/jobs/g/config.xml', 'jobs/f/jobs/g/jobs', 'jobs/f/jobs/g/jobs/leaf', 'jobs/f/jobs/g/jobs/leaf/config.xml']);
      const b = await startTemp({ home });
      try {
        expect(await json(b.s, '/job/top/api/json?tree=name,color,description')).toEqual({ _class: 'hudson.model.FreeStyleProject', name: 'Top', color: 'disabled', description: 'top' });
        expect((await json(b.s, '/job/f/job/g/job/leaf/api/json?tree=fullName')).fullName).toBe('f/g/leaf');
        expect(((await json(b.s, '/api/json?tree=views[name]')).views as Array<{ name: string }>).map((v) => v.name)).toEqual(['all', 'rv']);
        expect(((await json(b.s, '/view/rv/api/json?tree=jobs[name]')).jobs as Array<{ name: string }>).map((v) => v.name)).toEqual(['Top']);
        expect(((await json(b.s, '/job/f/api/json?tree=views[name]')).views as Array<{ name: string }>).map((v) => v.name)).toEqual(['All', 'fv']);
        // after a restart, folder children are case-sensitive
        expect((await call(b.s, '/job/f/job/G/api/json')).status).toBe(404);
      } finally {
        await b.s.close();
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('unreadable config files are skipped with a warning, not fatal', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'standin-broken-'));
    try {
      mkdirSync(path.join(home, 'jobs/ok'), { recursive: true });
      writeFileSync(path.join(home, 'jobs/ok/config.xml'), '<project/>');
      mkdirSync(path.join(home, 'jobs/broken'), { recursive: true });
      writeFileSync(path.join(home, 'jobs/broken/config.xml'), '<project>');
      const r = await startTemp({ home });
      try {
        expect(((await json(r.s, '/api/json?tree=jobs[name]')).jobs as unknown[]).length).toBe(1);
        expect(r.s.loadWarnings.join('\n')).toContain('jobs/broken/config.xml');
      } finally {
        await r.s.close();
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  describe('never writes outside home', () => {
    let r: Running;
    let outside: string;
    beforeAll(async () => {
      r = await startTemp();
      outside = path.join(path.dirname(r.home), `escape-${path.basename(r.home)}`);
      await post(r.s, '/createItem?name=f', FOLDER);
    });
    afterAll(async () => {
      await r.stop();
      rmSync(outside, { recursive: true, force: true });
    });

    it('refuses names that would escape (.., slashes, backslashes, NUL, absolute paths) and over-long names', async () => {
      const names = ['..', '../escape', '..%2F..%2Fescape', '%2Fetc%2Fescape', 'a%5Cb', 'a%00b', `${path.basename(outside)}%2F..`];
      for (const n of names) {
        const res = await post(r.s, `/createItem?name=${n}`, FREESTYLE());
        expect(res.status, n).toBe(400);
        const res2 = await post(r.s, `/job/f/createItem?name=${n}`, FREESTYLE());
        expect(res2.status, n).toBe(400);
      }
      const long = 'x'.repeat(300);
      const res = await post(r.s, `/createItem?name=${long}`, FREESTYLE());
      expect(res.status).toBe(500);
      expect(existsSync(outside)).toBe(false);
      // (the running stand-in's lock on its home, see home-lock.ts)
      expect(listAll(r.home)).toEqual(['.jobsmith-standin.lock', 'jobs', 'jobs/f', 'jobs/f/config.xml']);
    });

    it('refuses encoded slashes and dot segments in request paths; .. cannot climb above the root', async () => {
      for (const t of ['/job/f%2F..%2F..%2Fx/config.xml', '/job/%2e%2e/config.xml', '/job/a%5Cb/', '/job/x%00/']) {
        const res = await rawRequest(r.s.port, t);
        expect(res.split('\r\n')[0], t).toBe('HTTP/1.1 400 Bad Request');
      }
      expect((await rawRequest(r.s.port, '/../../etc/passwd')).split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
      // plain dot segments are resolved like a URL
      const resolved = await rawRequest(r.s.port, '/job/nope/../f/api/json?tree=name', tokenAuth);
      expect(resolved.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
      expect(resolved).toContain('{"_class":"com.cloudbees.hudson.plugins.folder.Folder","name":"f"}');
    });

    it('request bodies over the limit get 413', async () => {
      const small = await startTemp({ maxBodyBytes: 1000 });
      try {
        const res = await post(small.s, '/createItem?name=big', `<project><description>${'x'.repeat(5000)}</description></project>`);
        expect(res.status).toBe(413);
        expect(existsSync(path.join(small.home, 'jobs/big'))).toBe(false);
        expect((await post(small.s, '/createItem?name=ok', '<project/>')).status).toBe(200);
      } finally {
        await small.stop();
      }
    });
  });
});

describe('fault injection and counts', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startTemp({ seed: 42 });
    await post(r.s, '/createItem?name=j', FREESTYLE());
  });
  afterAll(() => r.stop());

  it('counts requests per route and measures server-side time', async () => {
    r.s.resetCounts();
    await call(r.s, '/api/json?tree=jobs[name]');
    await call(r.s, '/job/j/api/json');
    await post(r.s, '/createItem?name=k', FREESTYLE());
    await call(r.s, '/job/j/config.xml');
    await call(r.s, '/');
    expect(r.s.requestCounts()).toEqual({ 'GET api/json': 2, 'POST createItem': 1, 'GET config.xml': 1, 'GET /': 1 });
    expect(r.s.requestTimings()['GET api/json']!.count).toBe(2);
    const res = await call(r.s, '/api/json');
    expect(Number(header(res, 'x-standin-elapsed-ms'))).toBeGreaterThanOrEqual(0);
  });

  it('error rates per route with a count, through the API', async () => {
    r.s.faults.set({ errors: { 'POST createItem': { status: 502, times: 2 } } });
    expect((await post(r.s, '/createItem?name=e1', FREESTYLE())).status).toBe(502);
    expect((await post(r.s, '/createItem?name=e1', FREESTYLE())).status).toBe(502);
    expect((await post(r.s, '/createItem?name=e1', FREESTYLE())).status).toBe(200);
    expect((await call(r.s, '/api/json')).status).toBe(200);
    r.s.faults.set({ errors: { '*': { rate: 0.5, status: 503 } } });
    const statuses: number[] = [];
    for (let k = 0; k < 40; k++) statuses.push((await call(r.s, '/whoAmI/api/json')).status);
    const errors = statuses.filter((s) => s === 503).length;
    expect(errors).toBeGreaterThan(5);
    expect(errors).toBeLessThan(35);
    r.s.faults.clear();
  });

  it('the seeded RNG makes fault decisions repeatable', async () => {
    const seq = async (): Promise<number[]> => {
      const x = await startTemp({ seed: 7, faults: { errors: { '*': { rate: 0.5 } } } });
      try {
        const out: number[] = [];
        for (let k = 0; k < 20; k++) out.push((await call(x.s, '/whoAmI/api/json')).status);
        return out;
      } finally {
        await x.stop();
      }
    };
    expect(await seq()).toEqual(await seq());
  });

  it('dropped connections before and during the response; a dropped response still applied the change', async () => {
    r.s.faults.set({ dropRequest: { 'GET api/json': { times: 1 } } });
    await expect(call(r.s, '/api/json')).rejects.toThrow();
    expect((await call(r.s, '/api/json')).status).toBe(200);
    r.s.faults.set({ dropResponse: { 'GET api/json': { times: 1 } } });
    await expect(call(r.s, '/api/json?depth=1')).rejects.toThrow();
    r.s.faults.set({ dropResponse: { 'POST createItem': { times: 1 } } });
    const mid = await post(r.s, '/createItem?name=half', FREESTYLE()).catch((e: Error) => e);
    // an empty body cut in half is still empty: the client sees a complete 200 or a reset
    if (!(mid instanceof Error)) expect(mid.status).toBe(200);
    expect((await call(r.s, '/job/half/api/json')).status).toBe(200);
    r.s.faults.clear();
  });

  it('latency, slow listing and truncated listing', async () => {
    r.s.faults.set({ slowListingMs: 150 });
    let t = Date.now();
    await call(r.s, '/api/json?tree=jobs[name]');
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    t = Date.now();
    await call(r.s, '/whoAmI/api/json');
    expect(Date.now() - t).toBeLessThan(140);
    r.s.faults.set({ latencyMs: 100 });
    t = Date.now();
    await call(r.s, '/whoAmI/api/json');
    expect(Date.now() - t).toBeGreaterThanOrEqual(95);
    r.s.faults.set({ truncateListing: true });
    const res = await call(r.s, '/api/json?tree=jobs[name]');
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.text)).toThrow();
    r.s.faults.clear();
  });

  it('loopback control endpoint: faults, counts, sessions, revocation', async () => {
    const ctl = async (method: string, p: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
      const res = await request(`${r.s.url}/__standin/${p}`, { method: method as 'GET', body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.statusCode, body: await res.body.json() };
    };
    expect((await ctl('PUT', 'faults', { errors: { 'GET api/json': { status: 500, times: 1 } } })).status).toBe(200);
    expect((await call(r.s, '/api/json')).status).toBe(500);
    expect((await ctl('GET', 'faults')).body).toEqual({ errors: { 'GET api/json': { status: 500, times: 0 } } });
    expect((await ctl('PUT', 'faults', { errors: { x: { rate: 2 } } })).status).toBe(400);
    expect((await ctl('PUT', 'faults', { nonsense: 1 })).status).toBe(400);
    expect((await ctl('DELETE', 'faults')).body).toEqual({});
    await ctl('DELETE', 'counts');
    await call(r.s, '/api/json');
    expect(((await ctl('GET', 'counts')).body as { counts: Record<string, number> }).counts).toEqual({ 'GET api/json': 1 });
    await ctl('POST', `revoke?user=alice`);
    expect((await call(r.s, '/api/json')).status).toBe(401);
    await ctl('POST', 'restore');
    expect((await call(r.s, '/api/json')).status).toBe(200);
    expect((await ctl('POST', 'expire-sessions')).status).toBe(200);
    expect((await ctl('GET', 'nope')).status).toBe(404);
  });
});
