/**
 * What an unauthenticated or slow webhook request costs serve: refused from its headers before a byte
 * of its body is read, a declared length over the limit refused at once, a body that trickles in cut
 * off by the body timeout, and headers that trickle in cut off by Node's headers timeout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DefinitionsStore } from '../../src/form/definitions-store.js';
import { startFormServer } from '../../src/form/form-server.js';
import { HOOK_BODY_BUDGET_FACTOR, hookRoutes, MAX_HOOK_BODY } from '../../src/form/hook-routes.js';
import { renderChecker } from '../../src/form/render-checker.js';
import { signatureFor } from '../../src/hooks/verify-signature.js';
import { GitRemote } from '../branches/fixtures.js';
import net from 'node:net';
import { hookEnv, pointedAt, SECRET, type HookEnv } from './harness.js';
import { headersFor } from './payloads.js';
import { rawPost } from './raw-client.js';

let env: HookEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const TWENTY_MB = 20 * 1024 * 1024;
const hex64 = 'ab'.repeat(32);

describe('webhook requests refused before their body is read', () => {
  const cases: Array<{ name: string; path: string; headers: Record<string, string> }> = [
    { name: 'GitHub without X-Hub-Signature-256', path: '/hooks/github', headers: { 'X-GitHub-Event': 'push' } },
    { name: 'GitHub with a SHA-1 signature', path: '/hooks/github', headers: { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': `sha1=${'a'.repeat(40)}` } },
    { name: 'GitHub with sha256= and 63 hex digits', path: '/hooks/github', headers: { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': `sha256=${hex64.slice(1)}` } },
    { name: 'GitHub with sha256= and a non-hex digit', path: '/hooks/github', headers: { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': `sha256=${hex64.slice(1)}g` } },
    { name: 'Gitea with a prefixed signature (Gitea sends the bare hex)', path: '/hooks/gitea', headers: { 'X-Gitea-Event': 'push', 'X-Gitea-Signature': `sha256=${hex64}` } },
    { name: 'Bitbucket without the sha256= prefix', path: '/hooks/bitbucket', headers: { 'X-Event-Key': 'repo:refs_changed', 'X-Hub-Signature': hex64 } },
    { name: 'GitLab with a wrong token (compared from the header alone)', path: '/hooks/gitlab', headers: { 'X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': 'a-guess' } },
    { name: 'GitLab without a token', path: '/hooks/gitlab', headers: { 'X-Gitlab-Event': 'Push Hook' } },
  ];
  for (const c of cases) {
    it(`${c.name}: 401 refused with the body (20 MB declared) never sent, and the connection closed`, async () => {
      env = await hookEnv();
      const answer = await rawPost(env.server.url, c.path, { 'Content-Type': 'application/json', ...c.headers }, { declare: TWENTY_MB });
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ status: 'refused', message: 'missing or wrong signature' });
      expect(answer.bodySentBeforeAnswer).toBe(0);
      expect(answer.headers.connection).toBe('close');
      expect(answer.closedByServer).toBe(true);
      expect(await env.status()).toEqual([]);
    });
  }

  it('a provider without a secret: the documented 401 at once, even with a well-formed signature', async () => {
    env = await hookEnv({ secrets: { github: SECRET } });
    const answer = await rawPost(env.server.url, '/hooks/gitea', { 'X-Gitea-Event': 'push', 'X-Gitea-Signature': hex64 }, { declare: TWENTY_MB });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ status: 'refused', message: 'no webhook secret is set for gitea (JOBSMITH_WEBHOOK_SECRET): every event is refused' });
    expect(answer.bodySentBeforeAnswer).toBe(0);
    expect(answer.closedByServer).toBe(true);
  });

  it('a Content-Length over the limit is 413 at once (a well-formed signature, and a right GitLab token)', async () => {
    env = await hookEnv();
    const over = MAX_HOOK_BODY + 1;
    const gh = await rawPost(env.server.url, '/hooks/github', { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': `sha256=${hex64}` }, { declare: over });
    expect(gh.status).toBe(413);
    expect(gh.json).toEqual({ status: 'error', message: `the body is larger than ${MAX_HOOK_BODY} bytes` });
    expect(gh.bodySentBeforeAnswer).toBe(0);
    expect(gh.closedByServer).toBe(true);
    const gl = await rawPost(env.server.url, '/hooks/gitlab', { 'X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': SECRET }, { declare: over });
    expect(gl.status).toBe(413);
    expect(gl.bodySentBeforeAnswer).toBe(0);
    expect(await env.status()).toEqual([]);
  });

  it('refused at once while the client is still streaming a huge body: most of it is never sent', async () => {
    env = await hookEnv();
    const huge = Buffer.alloc(TWENTY_MB, 0x20);
    // 64 KiB with the head, then 64 KiB at a time: the answer comes after the head, not after 20 MB
    const answer = await rawPost(env.server.url, '/hooks/github', { 'X-GitHub-Event': 'push' }, { body: huge, first: 65_536, trickle: { bytes: 65_536, everyMs: 5 } });
    expect(answer.status).toBe(401);
    expect(answer.bodySentBeforeAnswer).toBeLessThan(huge.length / 4);
  });

  it('a well-formed but wrong signature: the body is read, then 401; nothing recorded', async () => {
    env = await hookEnv();
    const body = JSON.stringify(pointedAt('github-push', 'https://git.example.com/a.git'));
    const answer = await rawPost(env.server.url, '/hooks/github', { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': signatureFor('github', 'another-secret', body).value, Connection: 'close' }, { body: Buffer.from(body), first: body.length });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ status: 'refused', message: 'missing or wrong signature' });
    expect(await env.status()).toEqual([]);
  });
});

describe('a body that trickles in (slowloris)', () => {
  it('is cut off by the body timeout: 408 and the connection closed, nothing queued', async () => {
    env = await hookEnv({ routes: { bodyTimeoutMs: 300 } });
    const a = new GitRemote(env.root, 'a');
    a.push('main');
    env.define('alpha', a.url);
    const text = JSON.stringify(pointedAt('github-push', a.url));
    const body = Buffer.from(text);
    // all but the last 100 bytes at once, then one byte every 40 ms (4 s): far past the 300 ms bound
    const answer = await rawPost(env.server.url, '/hooks/github', headersFor('github-push', text, SECRET), { body, first: body.length - 100, trickle: { bytes: 1, everyMs: 40 } }, 10_000);
    expect(answer.status).toBe(408);
    expect(answer.json).toEqual({ status: 'error', message: 'the body did not arrive within 0.3 s' });
    expect(answer.closedByServer).toBe(true);
    expect(answer.bodySentBeforeAnswer).toBeLessThan(body.length);
    expect(await env.status()).toEqual([]);
    expect(env.batches).toEqual([]);
  }, 20_000);

  it('a signed body sent in pieces within the bound is read whole and queued', async () => {
    env = await hookEnv();
    const a = new GitRemote(env.root, 'a');
    a.push('main');
    env.define('alpha', a.url);
    const text = JSON.stringify(pointedAt('github-push', a.url));
    const answer = await rawPost(env.server.url, '/hooks/github', { ...headersFor('github-push', text, SECRET), Connection: 'close' }, { body: Buffer.from(text), first: 10, trickle: { bytes: 500, everyMs: 10 } });
    expect(answer.status).toBe(202);
    expect(answer.json.status).toBe('queued');
    await env.service.idle();
  });

  it("headers that trickle in are cut off by the server's headers timeout (408, connection closed)", async () => {
    env = await hookEnv();
    const server = await startFormServer(
      { checker: renderChecker({ templatesDir: env.root, jobsDir: env.root }), store: new DefinitionsStore({ dir: env.defs.work }), via: 'x', definitionsLabel: 'x', refreshMs: 0, routes: [hookRoutes(env.service)], timeouts: { headersMs: 300, requestMs: 600 } },
      { port: 0 },
    );
    try {
      const url = new URL(server.url);
      const got = await new Promise<{ text: string; closed: boolean; sentLines: number }>((resolve) => {
        const sock = net.connect(Number(url.port), url.hostname);
        let text = '';
        let sentLines = 0;
        sock.write(`POST /hooks/github HTTP/1.1\r\nHost: ${url.host}\r\n`);
        // one header line every 50 ms, for up to 5 s: never the blank line that ends the head
        const tick = setInterval(() => {
          if (sentLines < 100) sock.write(`X-Filler-${sentLines++}: x\r\n`);
        }, 50);
        const end = (closed: boolean): void => {
          clearInterval(tick);
          sock.destroy();
          resolve({ text, closed, sentLines });
        };
        sock.on('data', (c) => (text += c.toString('utf8')));
        sock.on('end', () => end(true));
        sock.on('error', () => end(true));
        setTimeout(() => end(false), 8_000);
      });
      expect(got.text).toMatch(/^HTTP\/1\.1 408 /);
      expect(got.closed).toBe(true);
      expect(got.sentLines).toBeLessThan(100);
    } finally {
      await server.close();
    }
  }, 15_000);
});

describe('Expect: 100-continue (curl sends it for larger bodies)', () => {
  /** Head only; the body goes once a 100 Continue arrives. Returns everything the server sent, and whether the body went. */
  function expectContinue(baseUrl: string, path: string, headers: Record<string, string>, body: Buffer): Promise<{ text: string; bodySent: boolean }> {
    const url = new URL(baseUrl);
    return new Promise((resolve) => {
      const sock = net.connect(Number(url.port), url.hostname);
      let text = '';
      let bodySent = false;
      const watchdog = setTimeout(() => sock.destroy(), 8_000);
      sock.on('connect', () => {
        const lines = [`POST ${path} HTTP/1.1`, `Host: ${url.host}`, `Content-Length: ${body.length}`, 'Expect: 100-continue', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
        sock.write(lines.join('\r\n') + '\r\n\r\n');
      });
      sock.on('data', (d: Buffer) => {
        text += d.toString('utf8');
        if (!bodySent && text.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) {
          bodySent = true;
          sock.write(body);
        }
      });
      const done = (): void => {
        clearTimeout(watchdog);
        resolve({ text, bodySent });
      };
      sock.on('close', done);
      sock.on('error', done);
    });
  }

  it('a webhook refused from its headers gets its 401 without a 100 Continue: the body is never sent', async () => {
    env = await hookEnv();
    const got = await expectContinue(env.server.url, '/hooks/github', { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': `sha1=${'a'.repeat(40)}` }, Buffer.alloc(2 * 1024 * 1024, 0x20));
    expect(got.text).toMatch(/^HTTP\/1\.1 401 /);
    expect(got.text).not.toContain('100 Continue');
    expect(got.bodySent).toBe(false);
    expect(await env.status()).toEqual([]);
  });

  it('a webhook with a well-formed signature gets the 100 Continue, sends its body, and is queued', async () => {
    env = await hookEnv();
    const a = new GitRemote(env.root, 'a');
    a.push('main');
    env.define('alpha', a.url);
    const text = JSON.stringify(pointedAt('github-push', a.url));
    const got = await expectContinue(env.server.url, '/hooks/github', headersFor('github-push', text, SECRET), Buffer.from(text));
    expect(got.bodySent).toBe(true);
    expect(got.text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 202 /);
    await env.service.idle();
  });

  it('any other page still gets its 100 Continue at once', async () => {
    env = await hookEnv();
    const got = await expectContinue(env.server.url, '/no-such-page', {}, Buffer.from('x=1'));
    expect(got.bodySent).toBe(true);
    expect(got.text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 \d{3} /);
  });
});

describe('the bodies read at once share a budget (twice the largest body)', () => {
  const forged = { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': `sha256=${hex64}`, 'Content-Type': 'application/json' };
  /** A forged request that declares `size` bytes, gets its 100 Continue, and sends all of its body but the last byte. */
  function stalled(base: string, size: number, watchdogMs: number): { continued: Promise<void>; answer: Promise<import('./raw-client.js').RawAnswer> } {
    let onContinue!: () => void;
    const continued = new Promise<void>((r) => (onContinue = r));
    const answer = rawPost(base, '/hooks/github', forged, { body: Buffer.alloc(size, 0x20), first: size - 1, expectContinue: { onContinue } }, watchdogMs);
    return { continued, answer };
  }

  it('past the budget a request is answered 503 with Retry-After before a byte of its body is read; the budget frees as reads end', async () => {
    const MIB = 1024 * 1024;
    env = await hookEnv({ routes: { maxBody: MIB, bodyTimeoutMs: 1_500 } });
    const a = new GitRemote(env.root, 'a');
    a.push('main');
    env.define('alpha', a.url);
    const readers = [stalled(env.server.url, MIB, 10_000), stalled(env.server.url, MIB, 10_000)];
    await Promise.all(readers.map((r) => r.continued)); // both are being read: the budget (2 MiB) is taken

    const refused = await Promise.all([1, 2, 3].map(() => rawPost(env!.server.url, '/hooks/github', forged, { body: Buffer.alloc(MIB, 0x20), first: MIB - 1, expectContinue: {} })));
    const text = JSON.stringify(pointedAt('github-push', a.url));
    const genuine = await rawPost(env.server.url, '/hooks/github', headersFor('github-push', text, SECRET), { body: Buffer.from(text), expectContinue: {} });
    for (const r of [...refused, genuine]) {
      expect(r.status).toBe(503);
      expect(r.headers['retry-after']).toBe('10');
      expect(r.headers.connection).toBe('close');
      expect(r.json).toEqual({ status: 'error', message: `too many webhook bodies are being read at once (${2 * MIB} bytes together); try again in 10 s` });
      expect(r.bodySentBeforeAnswer).toBe(0);
      expect(r.closedByServer).toBe(true);
    }
    const held = await Promise.all(readers.map((r) => r.answer));
    expect(held.map((r) => r.status)).toEqual([408, 408]);
    // what serve read at most: the bytes sent before each answer, all requests together
    const total = [...held, ...refused, genuine].reduce((n, r) => n + r.bodySentBeforeAnswer, 0);
    expect(total).toBe(2 * (MIB - 1));
    expect(total).toBeLessThanOrEqual(2 * MIB);

    // the reads ended (408): the budget is free again, and a genuine push is read and queued
    const again = await rawPost(env.server.url, '/hooks/github', { ...headersFor('github-push', text, SECRET), Connection: 'close' }, { body: Buffer.from(text), first: text.length });
    expect(again.status).toBe(202);
    expect(again.json.status).toBe('queued');
    await env.service.idle();
  }, 20_000);

  it(`by default: ${HOOK_BODY_BUDGET_FACTOR} requests declaring ${MAX_HOOK_BODY} bytes take the budget; one that goes away gives its share back`, async () => {
    env = await hookEnv();
    /** Declares the largest body and sends none of it (the reservation is the declared length); hangs up after `ms`. */
    const held = (ms: number): { continued: Promise<boolean>; answer: Promise<import('./raw-client.js').RawAnswer> } => {
      let onContinue!: () => void;
      const continued = new Promise<void>((r) => (onContinue = r));
      const answer = rawPost(env!.server.url, '/hooks/github', forged, { declare: MAX_HOOK_BODY, expectContinue: { onContinue } }, ms);
      return { continued: Promise.race([continued.then(() => true), answer.then(() => false)]), answer };
    };
    const first = held(1_000);
    const second = held(3_000);
    expect(await first.continued).toBe(true);
    expect(await second.continued).toBe(true);
    const third = await rawPost(env.server.url, '/hooks/github', forged, { declare: MAX_HOOK_BODY, expectContinue: {} });
    expect(third.status).toBe(503);
    expect(third.bodySentBeforeAnswer).toBe(0);
    expect((await first.answer).status).toBeUndefined(); // the client hung up, unanswered
    // its share comes back once serve has seen the connection close (a refusal until then is the 503)
    let next = held(1_000);
    for (let tries = 0; !(await next.continued); tries++) {
      expect((await next.answer).status).toBe(503);
      expect(tries).toBeLessThan(100);
      next = held(1_000);
    }
    await next.answer;
    await second.answer;
  }, 30_000);
});
