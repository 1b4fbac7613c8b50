import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { failure, startFixture, type Fixture } from './standin-fixture.js';

let dir: string;
let server: https.Server;
let httpsUrl: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'ca.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  server = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'ca.pem')) }, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-jenkins': '2.400' }).end('{"jobs":[]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  httpsUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('TLS with an extra CA certificate', () => {
  test('a self-signed Jenkins is refused without the CA file and trusted with it', async () => {
    const plain = new JenkinsClient({ url: httpsUrl, retries: 0 });
    const e = await failure(plain.version());
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/certificate/i);
    await plain.close();
    const trusting = new JenkinsClient({ url: httpsUrl, caFiles: [path.join(dir, 'ca.pem')] });
    expect(await trusting.version()).toBe('2.400');
    await trusting.close();
  });
});

describe('HTTP proxy', () => {
  let fx: Fixture;
  let proxy: http.Server;
  let proxyUrl: string;
  const through: string[] = [];
  const proxyAuth: string[] = [];
  const tunnels = new Set<net.Socket>();
  beforeAll(async () => {
    fx = await startFixture();
    proxy = http.createServer((req, res) => {
      // plain forwarding of absolute-URI requests
      through.push(`${req.method} ${req.url}`);
      proxyAuth.push(String(req.headers['proxy-authorization'] ?? ''));
      const u = new URL(req.url!);
      const up = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode!, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    });
    proxy.on('connect', (req, client, head) => {
      through.push(`CONNECT ${req.url}`);
      proxyAuth.push(String(req.headers['proxy-authorization'] ?? ''));
      const [host, port] = req.url!.split(':');
      tunnels.add(client as net.Socket);
      const up = net.connect(Number(port), host!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.write(head);
        up.pipe(client);
        client.pipe(up);
      });
      tunnels.add(up);
      up.on('error', () => client.destroy());
      client.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await fx.close();
    for (const t of tunnels) t.destroy();
    proxy.closeAllConnections();
    await new Promise<void>((r) => proxy.close(() => r()));
  });

  test('requests go through the proxy, with proxy credentials, and bypass it for NO_PROXY hosts', async () => {
    const port = new URL(fx.standin.url).port;
    const viaProxy = fx.client({ proxy: proxyUrl.replace('http://', 'http://puser:proxy-pass-123@') });
    expect((await viaProxy.whoAmI()).name).toBe('alice');
    expect(through.length).toBeGreaterThan(0);
    expect(through.some((t) => t.includes(`127.0.0.1:${port}`))).toBe(true);
    expect(proxyAuth[0]).toBe('Basic ' + Buffer.from('puser:proxy-pass-123').toString('base64'));
    through.length = 0;
    const bypass = fx.client({ proxy: proxyUrl, noProxy: '127.0.0.1' });
    expect((await bypass.whoAmI()).name).toBe('alice');
    expect(through).toEqual([]);
  });

  test('an unreachable proxy is a network error that does not show the proxy password', async () => {
    const c = fx.client({ proxy: 'http://puser:proxy-pass-456@127.0.0.1:1', retries: 0 });
    const e = await failure(c.whoAmI());
    expect(e.kind).toBe('network');
    expect(e.message).not.toContain('proxy-pass-456');
  });
});
