import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { DefinitionsStore } from '../../src/form/definitions-store.js';
import { startFormServer, type RunningFormServer } from '../../src/form/form-server.js';
import { renderChecker } from '../../src/form/render-checker.js';
import { projectSyncer } from '../../src/form/project-syncer.js';
import type { ProjectSyncer } from '../../src/form/self-service.js';
import { definitionsFiles } from './fixtures.js';
import { git, makeDefinitionsRepo, type DefinitionsRepo } from './git-fixtures.js';
import { launchBrowser } from './browser.js';
import { writeFileSync } from 'node:fs';

let standin: Standin;
let home: string;
let repo: DefinitionsRepo;
let form: RunningFormServer;
let downForm: RunningFormServer;
let browser: Browser;
let js: BrowserContext;
let noJs: BrowserContext;
let page: Page;
let evil: http.Server;
let evilUrl: string;
/** When set, the next submission's remote moves on between our fetch and our push. */
let raceOnce = false;
const dialogs: string[] = [];

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-form-home-'));
  standin = await startStandin({ home, port: 0 });
  repo = makeDefinitionsRepo(definitionsFiles());
  const dirs = { templatesDir: path.join(repo.work, 'job-templates'), jobsDir: path.join(repo.work, 'jobs') };
  const store = new DefinitionsStore({ dir: repo.work, identity: { name: 'jobsmith form', email: 'form@example.test' } });
  const real = projectSyncer(new JenkinsClient({ url: standin.url + '/' }), dirs, { jenkinsUrl: standin.url });
  const racing: ProjectSyncer = {
    preflight: async (project, overlay) => {
      if (raceOnce) {
        raceOnce = false;
        const other = repo.clone(`other-${Date.now()}`);
        writeFileSync(path.join(other, 'jobs/someone-else.yaml'), 'templates: [Pipeline]\ntokens:\n  SCM.URL: https://git.example.com/else.git\n');
        git(other, 'add', '.');
        git(other, 'commit', '--quiet', '-m', 'Add project someone-else');
        git(other, 'push', '--quiet', 'origin', 'main');
      }
      return real.preflight(project, overlay);
    },
    sync: (p) => real.sync(p),
  };
  const common = { checker: renderChecker(dirs), store, via: 'the web form', definitionsLabel: 'jobs/ in the definitions repository', jenkinsUrl: standin.url };
  form = await startFormServer({ ...common, syncer: racing });
  const down = projectSyncer(new JenkinsClient({ url: 'http://127.0.0.1:9/', retries: 0, timeoutMs: 3000 }), dirs, { jenkinsUrl: 'http://127.0.0.1:9' });
  downForm = await startFormServer({ ...common, syncer: down });
  evil = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<form id="f" method="post" action="${form.url}/"><input name="action" value="create"><input name="project" value="evil"><input name="templates" value="Build"><input name="token.SCM.URL" value="https://x/y"></form><script>document.getElementById('f').submit()</script>`);
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;
  browser = await launchBrowser();
  js = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  noJs = await browser.newContext({ javaScriptEnabled: false });
  js.setDefaultTimeout(20_000);
  noJs.setDefaultTimeout(20_000);
  page = await js.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
});

afterAll(async () => {
  await browser?.close();
  await form?.close();
  await downForm?.close();
  await new Promise<void>((r) => (evil ? evil.close(() => r()) : r()));
  await standin?.close();
  repo?.cleanup();
  rmSync(home, { recursive: true, force: true });
});

async function jobNames(): Promise<string[]> {
  const res = await fetch(`${standin.url}/api/json?tree=jobs[name]`);
  return ((await res.json()) as { jobs: Array<{ name: string }> }).jobs.map((j) => j.name);
}
const remoteFiles = (): string[] => git(repo.bare, 'ls-tree', '-r', '--name-only', 'main').split('\n');

async function fill(p: Page, project: string, opts: { templates?: string[]; scm?: string; farm?: string } = {}): Promise<void> {
  await p.goto(form.url + '/');
  await p.fill('[name=project]', project);
  for (const t of opts.templates ?? ['Build']) await p.check(`input[name=templates][value=${t}]`);
  if (opts.scm !== undefined) await p.fill('[name="token.SCM.URL"]', opts.scm);
  if (opts.farm) await p.selectOption('[name="token.BUILD.FARM"]', opts.farm);
}

describe('create-job web form in Chromium', () => {
  it('is generated from templates and sidecars: selects, checkboxes, defaults, placeholders, help', async () => {
    await page.goto(form.url + '/');
    expect(await page.locator('input[name=templates]').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value))).toEqual(['Build', 'Pipeline']);
    expect(await page.locator('[name="token.BUILD.FARM"] option').allTextContents()).toEqual(['linux', 'windows']);
    expect(await page.inputValue('[name="token.MVN.GOALS"]')).toBe('clean install');
    expect(await page.getAttribute('[name="token.SCM.URL"]', 'placeholder')).toBe('https://svn.example.com/repos/payments');
    expect(await page.locator('input[type=checkbox][name="token.NOTIFY.ON.FAILURE"]').count()).toBe(1);
    expect(await page.locator('.field', { has: page.locator('[name="token.SCM.URL"]') }).textContent()).toContain('Repository URL of the project.');
    // Progressive enhancement: picking Pipeline only hides the Build-only fields.
    await page.check('input[name=templates][value=Pipeline]');
    expect(await page.isVisible('[name="token.BUILD.FARM"]')).toBe(false);
    expect(await page.isVisible('[name="token.SCM.URL"]')).toBe(true);
    await page.uncheck('input[name=templates][value=Pipeline]');
  });

  it('previews job names and config without JavaScript', async () => {
    const p = await noJs.newPage();
    await fill(p, 'preview-only', { templates: ['Build', 'Pipeline'], scm: 'https://svn.example.com/p' });
    await p.click('button[value=preview]');
    expect(await p.locator('#preview .job-name').allTextContents()).toEqual(['preview-only-Build', 'preview-only-Pipeline']);
    expect(await p.locator('pre.config').first().textContent()).toContain('Builds preview-only from https://svn.example.com/p');
    expect(await p.inputValue('[name=project]')).toBe('preview-only');
    expect(existsSync(path.join(repo.work, 'jobs/preview-only.yaml'))).toBe(false);
    await p.close();
  });

  it('fill and submit: the jobs appear in Jenkins with links, the commit in the bare remote', async () => {
    await fill(page, 'shop', { templates: ['Build', 'Pipeline'], scm: 'https://svn.example.com/shop', farm: 'windows' });
    await page.fill('[name=author_name]', 'Ada Dev');
    await page.fill('[name=author_email]', 'ada@example.test');
    await page.click('button[value=create]');
    await page.waitForSelector('h1');
    expect(await page.textContent('h1')).toContain('Jobs for shop created');
    const links = await page.locator('ul.jobs.created a').evaluateAll((as) => as.map((a) => [a.textContent, (a as unknown as { href: string }).href]));
    expect(links).toEqual([
      ['shop-Build', `${standin.url}/job/shop-Build/`],
      ['shop-Pipeline', `${standin.url}/job/shop-Pipeline/`],
    ]);
    expect(await jobNames()).toEqual(expect.arrayContaining(['shop-Build', 'shop-Pipeline']));
    const cfg = await (await fetch(`${standin.url}/job/shop-Build/config.xml`)).text();
    expect(cfg).toContain('<assignedNode>windows</assignedNode>');
    expect(git(repo.bare, 'log', '-1', '--format=%an <%ae>|%cn|%s', 'main')).toBe('Ada Dev <ada@example.test>|jobsmith form|Add project shop (Build, Pipeline) via the web form');
    expect(git(repo.bare, 'show', 'main:jobs/shop.yaml')).toContain('BUILD.FARM: windows');
  });

  it('shows errors next to their fields and keeps what was typed', async () => {
    await fill(page, 'bad name!', { scm: 'ftp://not-allowed' });
    await page.click('button[value=create]');
    await page.waitForSelector('.error[data-error-for=project]');
    expect(await page.locator('.field.has-error', { has: page.locator('[name=project]') }).locator('.error').textContent()).toContain('The project name cannot contain spaces, "!": use letters, digits');
    // every error at once: the token error shows although the name is unusable
    expect(await page.locator('.error[data-error-for="token.SCM.URL"]').textContent()).toContain('does not look like a valid Repository URL of the project');
    expect(await page.inputValue('[name="token.SCM.URL"]')).toBe('ftp://not-allowed');
    await page.fill('[name=project]', 'fixme');
    await page.click('button[value=create]');
    const scmError = page.locator('.field.has-error', { has: page.locator('[name="token.SCM.URL"]') }).locator('.error');
    await scmError.waitFor();
    expect(await scmError.textContent()).toContain('This does not look like a valid Repository URL of the project; for example https://svn.example.com/repos/payments.');
    expect(await page.textContent('#error-summary')).toContain('Nothing was created: there is a problem');
    expect(remoteFiles()).not.toContain('jobs/fixme.yaml');
    expect(await jobNames()).not.toContain('fixme-Build');
  });

  it('echoes hostile input escaped (no script runs, no markup injected)', async () => {
    const xss = '"><img src=x id=pwned onerror="alert(1)"><script>alert(2)</script>';
    await fill(page, xss, { scm: xss });
    await page.fill('[name="token.MVN.GOALS"]', '</textarea><svg onload=alert(3)>');
    await page.click('button[value=preview]');
    await page.waitForSelector('.error[data-error-for=project]');
    await page.click('button[value=create]');
    await page.waitForSelector('#error-summary');
    expect(await page.inputValue('[name=project]')).toBe(xss);
    expect(await page.inputValue('[name="token.SCM.URL"]')).toBe(xss);
    expect(await page.locator('#pwned').count()).toBe(0);
    expect(await page.locator('svg').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(await page.content()).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('refuses a cross-site post (Origin check, CSRF token bound to the cookie)', async () => {
    await page.goto(form.url + '/'); // the victim has the form's cookie
    const before = remoteFiles();
    const resp = page.waitForResponse((r) => r.url().startsWith(form.url) && r.request().method() === 'POST');
    await page.goto(evilUrl);
    const r = await resp;
    expect(r.status()).toBe(403);
    await page.waitForSelector('#notice');
    expect(await page.textContent('#notice')).toContain('cross-site request refused');
    expect(remoteFiles()).toEqual(before);
    // Same origin but a forged token: refused too.
    const forged = await page.evaluate(async (url) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf=forged&action=create&project=forged&templates=Build' });
      return [res.status, await res.text()] as const;
    }, form.url + '/');
    expect(forged[0]).toBe(403);
    expect(forged[1]).toContain('form token does not match');
    expect(remoteFiles()).toEqual(before);
  });

  it('an existing project gets a clear message next to the name', async () => {
    await fill(page, 'Existing', { scm: 'https://svn.example.com/e' });
    await page.click('button[value=create]');
    await page.waitForSelector('#error-summary');
    expect(await page.textContent('#error-summary')).toContain('Project name: Project "Existing" already exists');
    expect(await page.locator('.error[data-error-for=project]').textContent()).toContain('already exists');
  });

  it('rejected push: fetch, rebase, retry once; both commits land', async () => {
    raceOnce = true;
    await fill(page, 'racer', { scm: 'https://svn.example.com/racer' });
    await page.click('button[value=create]');
    await page.waitForSelector('h1');
    expect(await page.textContent('h1')).toContain('Jobs for racer created');
    expect(await page.textContent('main')).toContain('after catching up with the remote');
    expect(git(repo.bare, 'log', '--format=%s', '-2', 'main').split('\n')).toEqual(['Add project racer (Build) via the web form', 'Add project someone-else']);
    expect(await jobNames()).toContain('racer-Build');
  });

  it('concurrent submissions for one project: one creates, the other is refused cleanly', async () => {
    const [a, b] = [await js.newPage(), await noJs.newPage()];
    await fill(a, 'twin', { scm: 'https://svn.example.com/twin' });
    await fill(b, 'twin', { scm: 'https://svn.example.com/twin' });
    await Promise.all([a.click('button[value=create]'), b.click('button[value=create]')]);
    await Promise.all([a.waitForSelector('h1'), b.waitForSelector('h1')]);
    const texts = [await a.textContent('main'), await b.textContent('main')];
    expect(texts.filter((t) => t!.includes('Jobs for twin created'))).toHaveLength(1);
    expect(texts.filter((t) => /already in progress|already exists/.test(t!))).toHaveLength(1);
    expect(git(repo.bare, 'log', '--format=%s', 'main').split('\n').filter((s) => s.includes('twin'))).toHaveLength(1);
    await a.close();
    await b.close();
  });

  it('unreachable Jenkins: a clear message, nothing committed, no jobs', async () => {
    const p = await noJs.newPage();
    await p.goto(downForm.url + '/');
    await p.fill('[name=project]', 'offline');
    await p.check('input[name=templates][value=Build]');
    await p.fill('[name="token.SCM.URL"]', 'https://svn.example.com/offline');
    await p.click('button[value=create]');
    await p.waitForSelector('#notice');
    expect(await p.textContent('#notice')).toContain('Jenkins is not reachable, nothing was committed');
    expect(remoteFiles()).not.toContain('jobs/offline.yaml');
    expect(existsSync(path.join(repo.work, 'jobs/offline.yaml'))).toBe(false);
    await p.close();
  });
});
