/**
 * The client loads undici's agent and request files directly (not the index: 0.2 s less start-up).
 * These must be undici's own classes and functions, and the fast layout must be the one in use:
 * when an undici upgrade moves the files, this fails (the client still works, through the index).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { undiciParts } from '../../src/jenkins/undici-parts.js';

const undici = createRequire(import.meta.url)('undici') as typeof import('undici');

describe('undici parts', () => {
  it('uses the direct files, which are the classes the index exports', () => {
    const parts = undiciParts();
    expect(parts.via).toBe('parts');
    expect(parts.Agent).toBe(undici.Agent);
    expect(parts.EnvHttpProxyAgent()).toBe(undici.EnvHttpProxyAgent);
  });

  it('request answers like Dispatcher#request over a real socket', async () => {
    const http = await import('node:http');
    const server = http.createServer((req, res) => {
      res.setHeader('X-Seen', `${req.method} ${req.url}`);
      res.end('hello');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const parts = undiciParts();
    const agent = new parts.Agent();
    try {
      const res = await parts.request(agent, { origin: `http://127.0.0.1:${port}`, path: '/a?b=1', method: 'GET' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-seen']).toBe('GET /a?b=1');
      expect(await res.body.text()).toBe('hello');
    } finally {
      await agent.close();
      await new Promise((r) => server.close(r));
    }
  });
});
