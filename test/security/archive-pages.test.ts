/**
 * `/archive` shows what Jenkins sent, which is untrusted: job names, reasons, causes, parameters,
 * logs, test case names and artifact paths carrying markup are escaped (checked in the HTML and
 * in Chromium, where no script may run); downloads are attachments; URLs cannot reach outside the
 * archive (dot segments, encoded separators, forged ids, links); the form's access control covers
 * the archive too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsArchiveStore } from '../../src/archive/fs-archive-store.js';
import { archiveRoutes } from '../../src/form/archive-routes.js';
import { DefinitionsStore } from '../../src/form/definitions-store.js';
import { startFormServer, type RunningFormServer } from '../../src/form/form-server.js';
import { renderChecker } from '../../src/form/render-checker.js';
import type { ArchivedJob } from '../../src/model/archive-store.js';
import { launchBrowser } from '../form/browser.js';
import { definitionsFiles } from '../form/fixtures.js';
import { makeDefinitionsRepo, type DefinitionsRepo } from '../form/git-fixtures.js';

const XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">';
const NAME = `team/it's "quoted" & ${'ü'.repeat(3)} ${XSS.slice(0, 8)}`;

let root: string;
let repo: DefinitionsRepo;
let open: RunningFormServer;
let guarded: RunningFormServer;
let entry: ArchivedJob;
let browser: Browser;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jobsmith-archive-xss-'));
  const store = new FsArchiveStore(path.join(root, 'archive'));
  const w = await store.begin(NAME, new Date('2026-11-20T10:00:00.000Z'));
  await w.putConfig(`<project><description>${XSS.replace(/</g, '&lt;')}</description></project>`);
  const write = async (kind: 'console' | 'test-report' | 'artifacts', data: string | Uint8Array) => {
    const f = await w.relicWriter(1, kind);
    await f.write(typeof data === 'string' ? Buffer.from(data) : data);
    await f.close();
  };
  await write('console', `Started by user ${XSS}\n\u001b[31mred\u001b[0m\nFinished: SUCCESS\n`);
  await write('test-report', JSON.stringify({ suites: [{ cases: [{ className: XSS, name: XSS, status: 'FAILED', errorDetails: XSS }] }] }));
  const evilPath = 'out/<b>x</b>.html';
  await write('artifacts', zipSync({ [`archive/${evilPath}`]: Buffer.from(`<html><body>${XSS}</body></html>`) }));
  await w.putBuild({
    format: 'jobsmith-archived-build', version: 1, number: 1, result: 'FAILURE', timestamp: Date.parse('2026-11-19T10:00:00Z'), duration: 1000,
    causes: [{ className: 'x', shortDescription: XSS }], parameters: [{ name: XSS, value: XSS }], revision: { sha1: XSS, branches: [XSS], remoteUrls: [] },
    tests: { failCount: 1, skipCount: 0, totalCount: 1 }, logBytes: 10, testReportBytes: 10, artifacts: { list: [{ relativePath: evilPath, fileName: '<b>x</b>.html' }], copied: true, bytes: 10 },
  });
  entry = await w.commit({ fullName: NAME, archivedAt: '2026-11-20T10:00:00.000Z', reason: XSS, marker: { project: XSS, template: XSS }, config: true, builds: [{ number: 1, result: 'FAILURE', timestamp: 1, duration: 1, tests: { failCount: 1, skipCount: 0, totalCount: 1 }, artifactCount: 1, artifactsCopied: true }], buildsNotArchived: 0, notes: [XSS] });
  // a secret beside the archive, and a link to it inside an entry
  fs.writeFileSync(path.join(root, 'secret.txt'), 'top secret');
  const linked = await (await store.begin('linked', new Date())).commit({ fullName: 'linked', archivedAt: new Date().toISOString(), reason: 'r', config: true, builds: [{ number: 1, result: 'SUCCESS', timestamp: 1, duration: 1, artifactCount: 0, artifactsCopied: false }], buildsNotArchived: 0, notes: [] });
  fs.symlinkSync(path.join(root, 'secret.txt'), path.join(store.where(linked.id), 'config.xml'));
  fs.mkdirSync(path.join(store.where(linked.id), 'builds', '1'), { recursive: true });
  fs.writeFileSync(path.join(store.where(linked.id), 'builds', '1', 'build.json'), JSON.stringify({ format: 'jobsmith-archived-build', version: 1, number: 1, result: 'SUCCESS', timestamp: 1, duration: 1, causes: [], parameters: [], logBytes: 0, artifacts: { list: [], copied: false } }));
  fs.symlinkSync(path.join(root, 'secret.txt'), path.join(store.where(linked.id), 'builds', '1', 'log.txt'));

  repo = makeDefinitionsRepo(definitionsFiles());
  const dirs = { templatesDir: path.join(repo.work, 'job-templates'), jobsDir: path.join(repo.work, 'jobs') };
  const common = { checker: renderChecker(dirs), store: new DefinitionsStore({ dir: repo.work, identity: { name: 'bot', email: 'bot@example.test' } }), via: 'the web form', definitionsLabel: 'jobs/', refreshMs: 0, routes: [archiveRoutes(store)] };
  open = await startFormServer(common);
  guarded = await startFormServer({ ...common, access: { userHeader: 'X-Forwarded-User', allow: ['ada'] } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await open?.close();
  await guarded?.close();
  repo?.cleanup();
  fs.rmSync(root, { recursive: true, force: true });
});

const entryPath = () => `/archive/${entry.id.split('/').map(encodeURIComponent).join('/')}/`;

async function get(url: string, headers: Record<string, string> = {}) {
  const r = await request(url, { headers });
  return { status: r.statusCode, headers: r.headers, text: await r.body.text() };
}

describe('/archive escapes what Jenkins sent', () => {
  it('no markup from the archive reaches the HTML unescaped (index, job, build)', async () => {
    for (const p of ['/archive', entryPath(), `${entryPath()}1/`]) {
      const r = await get(open.url + p);
      expect(r.status, p).toBe(200);
      expect(r.headers['content-security-policy']).toContain("script-src 'self'");
      expect(r.text, p).not.toContain('<script>window');
      expect(r.text, p).not.toContain('<img src=x');
      expect(r.text, p).not.toContain('<b>x</b>');
    }
    const build = await get(`${open.url}${entryPath()}1/`);
    expect(build.text).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(build.text).toContain('&#34;quoted&#34; &amp;');
  });

  it('in Chromium no script runs, and the names read as text', async () => {
    const page = await (await browser.newContext()).newPage();
    for (const p of ['/archive', entryPath(), `${entryPath()}1/`]) {
      await page.goto(open.url + p);
      expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), p).toBeUndefined();
    }
    expect(await page.locator('h1').first().textContent()).toContain(`${NAME} #1`);
    expect(await page.locator('#log').textContent()).toContain(XSS);
  });

  it('downloads are attachments with nosniff (an archived HTML artifact is never rendered by this site)', async () => {
    const a = await get(`${open.url}${entryPath()}1/artifact/${encodeURIComponent('out')}/${encodeURIComponent('<b>x</b>.html')}`);
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('application/octet-stream');
    // the path is out/<b>x< / b>.html: its last segment names the file
    expect(a.headers['content-disposition']).toBe(`attachment; filename="b_.html"; filename*=UTF-8''${encodeURIComponent('b>.html')}`);
    expect(a.headers['x-content-type-options']).toBe('nosniff');
    const log = await get(`${open.url}${entryPath()}1/log.txt`);
    expect(log.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(log.text).toContain(XSS);
  });
});

describe('/archive stays inside the archive', () => {
  it('dot segments, encoded separators, forged ids and unknown files are 404', async () => {
    const bad = [
      '/archive/..%2F..%2Fsecret.txt',
      '/archive/%2E%2E/%2E%2E/secret.txt',
      `/archive/${encodeURIComponent('../..')}/x/`,
      `/archive/${encodeURIComponent(entry.id)}/`,
      `${entryPath()}..%2F..%2F..%2Fsecret.txt`,
      `${entryPath()}1/artifact/..%2F..%2Fbuild.json`,
      `${entryPath()}1/artifact/out/nope.html`,
      `${entryPath()}2/`,
      `${entryPath()}01/`,
      `${entryPath()}1/build.json`,
      '/archive/%ZZ/x/',
    ];
    for (const p of bad) {
      const r = await get(open.url + p);
      expect([400, 404], p).toContain(r.status);
      expect(r.text, p).not.toContain('top secret');
    }
  });

  it('files that are links out of the archive are not followed', async () => {
    const list = await get(`${open.url}/archive?job=linked`);
    const href = /href="(\/archive\/linked\/[^"]+\/)"/.exec(list.text)![1]!;
    const config = await get(`${open.url}${href}config.xml`);
    expect(config.status).toBe(404);
    const page = await get(`${open.url}${href}1/`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('top secret');
    expect((await get(`${open.url}${href}1/log.txt`)).text).toBe('');
  });

  it('the form access control covers /archive; other methods are refused', async () => {
    expect((await get(guarded.url + '/archive')).status).toBe(403);
    expect((await get(guarded.url + '/archive', { 'x-forwarded-user': 'mallory' })).status).toBe(403);
    const ok = await get(guarded.url + '/archive', { 'x-forwarded-user': 'ada' });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('signed in as ada');
    const post = await request(open.url + '/archive', { method: 'POST', body: 'x' });
    expect(post.statusCode).toBe(405);
    await post.body.text();
  });
});
