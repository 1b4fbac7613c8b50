import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JenkinsClient, type ClientOptions } from '../../src/jenkins/jenkins-client.js';
import { resolveConnectionSettings } from '../../src/jenkins/connection-settings.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { findSecretLeaks, testSecret, urlWithUserInfo } from '../helpers/secret-scan.js';
import { FREESTYLE } from './standin-fixture.js';

/** Everything a client run can say: --verbose lines, response events, errors (message, JSON, stack), stats. */
function recorder() {
  const out: string[] = [];
  return {
    out,
    opts: { logger: (l: string) => out.push(l), onResponse: (e: unknown) => out.push(JSON.stringify(e)) } satisfies Partial<ClientOptions>,
    async run(p: () => Promise<unknown>) {
      try {
        out.push(JSON.stringify(await p()) ?? '');
      } catch (err) {
        const e = err as Error;
        out.push(e.message, String(e.stack), JSON.stringify(e), String(e));
      }
    },
  };
}

describe('credentials never appear in client output', () => {
  const secret = testSecret('leak-user');
  let home: string;
  let standin: Standin;
  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-secret-'));
    // the secret works as an API token for one user and as a password for another
    standin = await startStandin({ home, users: [{ name: secret.user, token: secret.token }, { name: 'pw-user', password: secret.token }], quietPeriodMs: 0, buildDurationMs: 50 });
  });
  afterAll(async () => {
    await standin.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('successes, every error path and every credential form', async () => {
    const rec = recorder();
    const clients: JenkinsClient[] = [];
    const mk = (o: Partial<ClientOptions>) => {
      const c = new JenkinsClient({ url: standin.url, retryBaseDelayMs: 1, ...rec.opts, ...o });
      clients.push(c);
      return c;
    };
    const tok = mk({ user: secret.user, token: secret.token });
    const pw = mk({ user: 'pw-user', token: secret.token });
    const inUrl = mk({ url: urlWithUserInfo(standin.url, secret) });
    const wrong = mk({ user: 'pw-user', token: secret.token + 'x' });
    const slow = mk({ user: secret.user, token: secret.token, timeoutMs: 50, retries: 1 });
    const viaProxy = mk({ user: secret.user, token: secret.token, proxy: `http://${secret.user}:${secret.token}@127.0.0.1:1`, retries: 0 });
    const gone = mk({ url: urlWithUserInfo('http://127.0.0.1:1/', secret), retries: 0 });

    for (const c of [tok, pw, inUrl]) {
      await rec.run(() => c.version());
      await rec.run(() => c.whoAmI());
      await rec.run(() => c.ensureFolder(`f-${clients.indexOf(c)}/sub`));
      await rec.run(() => c.createJob(`f-${clients.indexOf(c)}/sub/j`, FREESTYLE()));
      await rec.run(() => c.createJob(`f-${clients.indexOf(c)}/sub/j`, FREESTYLE())); // 400 duplicate
      await rec.run(() => c.createJob('bad?name', FREESTYLE())); // 400 unsafe
      await rec.run(() => c.createJob('broken', '<project>')); // 500
      await rec.run(() => c.getConfig('missing')); // 404
      await rec.run(() => c.list());
      await rec.run(() => c.build(`f-${clients.indexOf(c)}/sub/j`));
    }
    standin.faults.expireSessions();
    await rec.run(() => pw.createJob('after-expiry', FREESTYLE())); // crumb refresh
    standin.faults.set({ errors: { 'GET api/json': { status: 503, times: 2 } }, dropRequest: { 'POST createItem': { times: 1 } } });
    await rec.run(() => tok.list()); // retries
    await rec.run(() => tok.createJob('dropped-once', FREESTYLE()));
    standin.faults.set({ latencyMs: 200 });
    await rec.run(() => slow.whoAmI()); // timeout
    standin.faults.clear();
    await rec.run(() => wrong.list()); // 401
    await rec.run(() => viaProxy.list()); // proxy unreachable
    await rec.run(() => gone.list()); // connection refused
    await rec.run(async () => new JenkinsClient({ url: `ftp://${secret.user}:${secret.token}@x/` }));
    for (const c of clients) rec.out.push(JSON.stringify(c.stats));
    await Promise.all(clients.map((c) => c.close()));

    // settings resolution: the secret in the config file, a flag URL and the environment
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-secret-cfg-'));
    try {
      writeFileSync(path.join(dir, 'jobsmith.yaml'), `jenkins:\n  url: ${urlWithUserInfo('http://x/', secret)}\n  token: ${secret.token}\n`);
      rec.out.push(JSON.stringify(resolveConnectionSettings({ flags: {}, env: {}, cwd: dir })));
      rec.out.push(JSON.stringify(resolveConnectionSettings({ flags: { jenkinsUrl: `ftp://u:${secret.token}@x/`, config: 'none.yaml' }, env: {}, cwd: dir }).diagnostics));
      rec.out.push(JSON.stringify(resolveConnectionSettings({ flags: { jenkinsUrl: 'not a url ' + urlWithUserInfo('http://x/', secret), proxy: `bad://u:${secret.token}@p` }, env: {}, cwd: dir }).diagnostics));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const all = rec.out.join('\n');
    // the recording is real: it holds errors of each kind and the verbose request lines
    for (const needle of ['unauthorized', 'HTTP 401', 'HTTP 400', 'HTTP 404', 'HTTP 500', 'timeout', 'ECONNREFUSED', 'crumb refused', 'retry 1/3', 'POST createItem', 'secret-in-config']) {
      expect(all).toContain(needle);
    }
    expect(findSecretLeaks(all, secret)).toEqual([]);
  });
});
