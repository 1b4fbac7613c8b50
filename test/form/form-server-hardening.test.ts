/**
 * The web form's defences (break-it findings): Host names it answers to (DNS rebinding), foreign
 * cookies, and what a repeated submission id gets. Real form server over loopback, real
 * definitions repository with a bare remote.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { projectSyncer } from '../../src/form/project-syncer.js';
import path from 'node:path';
import { DefinitionsStore } from '../../src/form/definitions-store.js';
import { startFormServer, type FormServerOptions, type RunningFormServer } from '../../src/form/form-server.js';
import { renderChecker } from '../../src/form/render-checker.js';
import { hostCheck, hostName } from '../../src/form/host-check.js';
import { definitionsFiles } from './fixtures.js';
import { git, makeDefinitionsRepo, type DefinitionsRepo } from './git-fixtures.js';

let repo: DefinitionsRepo | undefined;
let server: RunningFormServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  repo?.cleanup();
  repo = undefined;
});
afterAll(async () => server?.close());

async function start(extra: Partial<FormServerOptions> = {}, listen: { host?: string } = {}, existing?: DefinitionsRepo): Promise<RunningFormServer> {
  repo = existing ?? makeDefinitionsRepo(definitionsFiles());
  const dirs = { templatesDir: path.join(repo.work, 'job-templates'), jobsDir: path.join(repo.work, 'jobs') };
  server = await startFormServer(
    { checker: renderChecker(dirs), store: new DefinitionsStore({ dir: repo.work, identity: { name: 'bot', email: 'bot@example.test' } }), via: 'the web form', definitionsLabel: 'jobs/', refreshMs: 0, ...extra },
    listen,
  );
  return server;
}

/** A raw request (fetch does not let a page's Host header be chosen). */
function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** GET the form with these headers, then POST `fields` with the page's cookie and token. */
async function submit(url: string, headers: Record<string, string>, fields: Record<string, string>): Promise<{ status: number; body: string }> {
  const page = await request(url + '/', { headers });
  expect(page.status).toBe(200);
  const cookie = String(page.headers['set-cookie']![0]).split(';')[0]!;
  const token = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const submission = /name="submission" value="([^"]+)"/.exec(page.body)?.[1];
  const body = new URLSearchParams({ csrf: token, ...(submission ? { submission } : {}), ...fields }).toString();
  return request(url + '/', { method: 'POST', headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' }, body });
}

const create = (project: string): Record<string, string> => ({ action: 'create', project, templates: 'Build', 'token.SCM.URL': `https://svn.example.com/${project}` });

describe('serve answers only to its own host names (DNS rebinding)', () => {
  it('a rebound name gets 421 on GET and POST, and nothing is committed', async () => {
    const s = await start();
    const port = s.port;
    const evil = { host: `attacker.example:${port}` };
    const page = await request(s.url + '/', { headers: evil });
    expect(page.status).toBe(421);
    expect(page.body).toContain('does not answer to the host name "attacker.example:');
    expect(page.body).toContain('--allowed-host');
    // even with a valid cookie and token taken from a page served under the right name
    const good = await request(s.url + '/');
    const cookie = String(good.headers['set-cookie']![0]).split(';')[0]!;
    const token = /name="csrf" value="([^"]+)"/.exec(good.body)![1]!;
    const before = git(repo!.bare, 'rev-parse', 'main');
    const post = await request(s.url + '/', {
      method: 'POST',
      headers: { ...evil, origin: `http://attacker.example:${port}`, 'sec-fetch-site': 'same-origin', cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: token, ...create('planted') }).toString(),
    });
    expect(post.status).toBe(421);
    expect(git(repo!.bare, 'rev-parse', 'main')).toBe(before);
    // a forged X-Forwarded-Host is checked the same way
    expect((await request(s.url + '/', { headers: { 'x-forwarded-host': 'attacker.example' } })).status).toBe(421);
  });

  it('IP addresses, localhost and --allowed-host names are served', async () => {
    const s = await start({ allowedHosts: ['jobs.corp.example', '.dev.example'] });
    for (const host of [`127.0.0.1:${s.port}`, `localhost:${s.port}`, `jobs.corp.example`, `JOBS.corp.example.:443`, `a.dev.example`]) {
      expect([host, (await request(s.url + '/', { headers: { host } })).status]).toEqual([host, 200]);
    }
    expect((await request(s.url + '/', { headers: { host: 'dev.example.evil.test' } })).status).toBe(421);
    const r = await submit(s.url, { host: 'jobs.corp.example', origin: 'http://jobs.corp.example' }, create('via-name'));
    expect(r.status).toBe(201);
    expect(git(repo!.bare, 'log', '-1', '--format=%s', 'main')).toBe('Add project via-name (Build) via the web form');
  });

  it('host names are parsed strictly', () => {
    expect(hostName('[::1]:8080')).toBe('::1');
    expect(hostName('Example.COM:80')).toBe('example.com');
    expect(hostName('a b')).toBeUndefined();
    expect(hostName('user@evil')).toBeUndefined();
    const check = hostCheck('jobs.local', []);
    const req = (host: string): http.IncomingMessage => ({ headers: { host } }) as unknown as http.IncomingMessage;
    expect(check(req('jobs.local:8080'))).toBeUndefined();
    expect(check(req('[::1]:8080'))).toBeUndefined();
    expect(check(req('other.local'))).toContain('other.local');
    expect(hostCheck(undefined, ['*'])(req('anything.example'))).toBeUndefined();
  });
});

describe('repeated submission ids', () => {
  it('a retry after "Jenkins is not reachable" runs again; a known id with other values is a new submission', async () => {
    const jhome = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-retry-home-'));
    let jenkins: Standin | undefined = await startStandin({ home: jhome, port: 0 });
    const port = Number(new URL(jenkins.url).port);
    await jenkins.close();
    jenkins = undefined;
    try {
      const jurl = `http://127.0.0.1:${port}`;
      repo = makeDefinitionsRepo(definitionsFiles());
      const dirs = { templatesDir: path.join(repo.work, 'job-templates'), jobsDir: path.join(repo.work, 'jobs') };
      const s = await start({ syncer: projectSyncer(new JenkinsClient({ url: jurl + '/', retries: 0, timeoutMs: 3000 }), dirs, { jenkinsUrl: jurl }), jenkinsUrl: jurl }, {}, repo);
      const page = await request(s.url + '/');
      const cookie = String(page.headers['set-cookie']![0]).split(';')[0]!;
      const token = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const submission = /name="submission" value="([^"]+)"/.exec(page.body)![1]!;
      const post = (fields: Record<string, string>): ReturnType<typeof request> =>
        request(s.url + '/', { method: 'POST', headers: { cookie, origin: s.url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: token, submission, ...fields }).toString() });
      const down = await post(create('p1'));
      expect(down.status).toBe(503);
      expect(down.body).toContain('Nothing was created');
      jenkins = await startStandin({ home: jhome, port });
      // the browser's reload re-posts the same body with the same id: it runs again now
      const retry = await post(create('p1'));
      expect(retry.status).toBe(201);
      expect(retry.body).toContain('p1-Build');
      // a second reload replays the created page (no second attempt, no "already exists")
      const replay = await post(create('p1'));
      expect(replay.status).toBe(201);
      expect(replay.body).toBe(retry.body);
      // the same cached form used again for another project: a new submission, not p1's page
      const other = await post(create('p3'));
      expect(other.status).toBe(201);
      expect(other.body).toContain('p3-Build');
      expect(other.body).not.toContain('p1-Build');
      expect(git(repo!.bare, 'log', '--format=%s', 'main').split('\n').slice(0, 2)).toEqual(['Add project p3 (Build) via the web form', 'Add project p1 (Build) via the web form']);
    } finally {
      await jenkins?.close();
      rmSync(jhome, { recursive: true, force: true });
    }
  });
});

describe('foreign cookies', () => {
  it('another local app\'s cookie that is not valid percent-encoding does not break the form', async () => {
    const s = await start();
    const foreign = 'other_app_progress=50%; theme=dark';
    const page = await request(s.url + '/', { headers: { cookie: foreign } });
    expect(page.status).toBe(200);
    const cookie = String(page.headers['set-cookie']![0]).split(';')[0]!;
    const token = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const post = await request(s.url + '/', {
      method: 'POST',
      headers: { cookie: `${foreign}; ${cookie}; z=%E0%A4%A`, origin: s.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: token, ...create('cookie-ok') }).toString(),
    });
    expect(post.status).toBe(201);
    expect(git(repo!.bare, 'log', '-1', '--format=%s', 'main')).toBe('Add project cookie-ok (Build) via the web form');
  });
});
