import { afterEach, describe, expect, test } from 'vitest';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { failure } from './standin-fixture.js';
import { localServer, type LocalServer } from './local-server.js';

let server: LocalServer | undefined;
const clients: JenkinsClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
});
const client = (url: string, o: Partial<ConstructorParameters<typeof JenkinsClient>[0]> = {}) => {
  const c = new JenkinsClient({ url, user: 'u', token: 'token-value-1', retryBaseDelayMs: 1, ...o });
  clients.push(c);
  return c;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('protocol details (scripted loopback server)', () => {
  test('concurrency limit: never more than N requests in flight, the rest queue; keep-alive reuses N sockets', async () => {
    server = await localServer(async (req, res) => {
      await sleep(15);
      res.writeHead(200, { 'content-type': 'application/xml' }).end('<project/>');
    });
    const c = client(server.url, { concurrency: 3 });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => c.getConfig(`job-${i}`)));
    expect(results).toHaveLength(30);
    expect(server.maxInFlight).toBe(3);
    expect(server.sockets).toBeLessThanOrEqual(3);
    expect(c.stats.maxInFlight).toBe(3);
    const c8 = client(server.url);
    server.seen.length = 0;
    await Promise.all(Array.from({ length: 40 }, (_, i) => c8.getConfig(`job-${i}`)));
    expect(server.maxInFlight).toBe(8); // the default
  });

  test('crumb refused again after one refresh: a "crumb" error; the crumb travels as header with its cookie', async () => {
    let n = 0;
    server = await localServer((req, res) => {
      if (req.url.startsWith('/crumbIssuer/api/json')) {
        n++;
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': `JSESSIONID.abcd1234=session${n}; Path=/; HttpOnly` });
        res.end(JSON.stringify({ _class: 'hudson.security.csrf.DefaultCrumbIssuer', crumb: `crumb${n}`, crumbRequestField: 'Jenkins-Crumb' }));
        return;
      }
      res.writeHead(403, { 'content-type': 'text/html' }).end('<html><body><p>No valid crumb was included in the request</p></body></html>');
    });
    const c = client(server.url);
    const e = await failure(c.updateJob('x', '<project/>'));
    expect([e.kind, e.status]).toEqual(['crumb', 403]);
    const posts = server.seen.filter((s) => s.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts.map((p) => [p.headers['jenkins-crumb'], p.headers.cookie])).toEqual([
      ['crumb1', 'JSESSIONID.abcd1234=session1'],
      ['crumb2', 'JSESSIONID.abcd1234=session2'],
    ]);
    expect(posts[0]!.headers['content-type']).toBe('application/xml; charset=utf-8');
  });

  test('CSRF protection off (crumb issuer 404): POSTs go without a crumb, the issuer is asked once', async () => {
    server = await localServer((req, res) => {
      if (req.url.startsWith('/crumbIssuer/')) return void res.writeHead(404).end();
      res.writeHead(302, { location: '/' }).end();
    });
    const c = client(server.url);
    await c.disableJob('a');
    await c.enableJob('a');
    await c.deleteJob('a');
    expect(server.seen.filter((s) => s.url.startsWith('/crumbIssuer/'))).toHaveLength(1);
    expect(server.seen.filter((s) => s.method === 'POST').every((s) => s.headers['jenkins-crumb'] === undefined)).toBe(true);
  });

  test('X-Error header bytes: Latin-1 kept, Jetty placeholders restored from the page', async () => {
    server = await localServer((req, res) => {
      if (req.url.startsWith('/crumbIssuer/')) return void res.writeHead(404).end();
      // Raw header bytes: "é" as one byte, "‘x’" replaced by '?' as Jetty 12.1 does.
      res.setHeader('X-Error', Buffer.from('Caf\u00e9 ?x? is taken', 'latin1').toString('latin1'));
      res.writeHead(400, { 'content-type': 'text/html;charset=utf-8' }).end('<html><body><h1>Error</h1><p>Café ‘x’ is taken</p></body></html>');
    });
    const e = await failure(client(server.url).createJob('x', '<project/>'));
    expect(e.xError).toBe('Café ‘x’ is taken');
  });

  test('build: queue id from an absolute Location (201) and from a path Location (303)', async () => {
    server = await localServer((req, res) => {
      if (req.url.startsWith('/crumbIssuer/')) return void res.writeHead(404).end();
      if (req.url.includes('buildWithParameters')) return void res.writeHead(303, { location: '/queue/item/77/' }).end();
      res.writeHead(201, { location: `http://127.0.0.1:9/queue/item/42/` }).end();
    });
    const c = client(server.url);
    expect(await c.build('a/b')).toBe(42);
    expect(await c.build('a/b', { P: 'v 1', Q: 'ü' })).toBe(77);
    const post = server.seen.find((s) => s.url.includes('buildWithParameters'))!;
    expect(post.url).toBe('/job/a/job/b/buildWithParameters');
    expect(post.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=UTF-8');
    expect(new URLSearchParams(post.body.toString('utf8')).get('Q')).toBe('ü');
  });

  test('a context path in the Jenkins URL is kept in every request; Accept-Language en is sent', async () => {
    server = await localServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-jenkins': '2.222.4' }).end('{"jobs":[],"views":[]}');
    });
    const c = client(server.url + 'jenkins');
    expect(await c.version()).toBe('2.222.4');
    await c.list();
    expect(server.seen.every((s) => s.url.startsWith('/jenkins/api/json?tree='))).toBe(true);
    expect(server.seen[0]!.headers['accept-language']).toBe('en');
  });

  test('a GET redirected elsewhere (http → https, missing context path): an error naming the target', async () => {
    server = await localServer((_req, res) => void res.writeHead(302, { location: 'https://ci.example.com/login' }).end());
    const e = await failure(client(server.url).getConfig('x'));
    expect([e.kind, e.status]).toEqual(['bad-request', 302]);
    expect(e.message).toContain('redirected to https://ci.example.com/login');
  });

  test('create timed out but went through: the repeat is refused as a duplicate → the job is found, holds what was sent: done (nothing written over)', async () => {
    let created: Buffer | undefined;
    let creates = 0;
    server = await localServer(async (req, res) => {
      if (req.url.startsWith('/crumbIssuer/')) return void res.writeHead(404).end();
      if (req.url.startsWith('/createItem')) {
        creates++;
        if (creates === 1) {
          await sleep(300); // the client gives up at 100 ms; the server still creates the job
          created = req.body;
          return void res.writeHead(200, { 'content-length': '0' }).end();
        }
        res.setHeader('X-Error', 'A job already exists with the name ?j?');
        return void res.writeHead(400).end();
      }
      if (req.url.startsWith('/job/j/api/json')) {
        if (!created) return void res.writeHead(404).end();
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"_class":"hudson.model.FreeStyleProject","name":"j"}');
      }
      // Jenkins re-serialises what it stores: another declaration, its own whitespace
      if (req.url === '/job/j/config.xml' && req.method === 'GET' && created) return void res.writeHead(200, { 'content-type': 'application/xml' }).end(`<?xml version='1.1' encoding='UTF-8'?>\n${created.toString('utf8').replace('<builders/>', '<builders></builders>')}`);
      res.writeHead(500).end();
    });
    const c = client(server.url, { timeoutMs: 100 });
    await c.createJob('j', '<project><description>mine</description><builders/></project>');
    expect(creates).toBe(2);
    expect(server.seen.filter((s) => s.url === '/job/j/config.xml').map((s) => s.method)).toEqual(['GET']);
  });

  test('not a Jenkins (no X-Jenkins): a clear error', async () => {
    server = await localServer((_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'));
    const e = await failure(client(server.url).version());
    expect(e.message).toMatch(/X-Jenkins/);
  });

  test('a 500 Oops page: "server" with the exception named, HTML entities decoded', async () => {
    server = await localServer((req, res) => {
      if (req.url.startsWith('/crumbIssuer/')) return void res.writeHead(404).end();
      res.writeHead(500, { 'content-type': 'text/html' }).end('<html><pre>java.io.IOException: Unable to read &#039;config.xml&#039;\n\tat ...</pre></html>');
    });
    const e = await failure(client(server.url).createJob('j', '<x/>'));
    expect([e.kind, e.status]).toEqual(['server', 500]);
    expect(e.message).toContain("java.io.IOException: Unable to read 'config.xml'");
  });
});
