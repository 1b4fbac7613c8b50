/// <reference lib="dom" />
/**
 * The form as a person meets it, in headless Chromium against the stand-in and a real bare git
 * remote: every error at once in plain words, accessible error markup and focus, labels from the
 * sidecars, a page that fits a phone, a button that cannot be pressed twice, repeated submissions
 * answered with the first result, and job names taken in Jenkins refused before committing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { DefinitionsStore } from '../../src/form/definitions-store.js';
import { startFormServer, type RunningFormServer } from '../../src/form/form-server.js';
import { renderChecker } from '../../src/form/render-checker.js';
import { projectSyncer } from '../../src/form/project-syncer.js';
import { buildSidecar, definitionsFiles } from './fixtures.js';
import { git, makeDefinitionsRepo, type DefinitionsRepo } from './git-fixtures.js';
import { launchBrowser } from './browser.js';

let standin: Standin;
let home: string;
let repo: DefinitionsRepo;
let form: RunningFormServer;
let browser: Browser;
let js: BrowserContext;
let noJs: BrowserContext;

/** The Build sidecar with a label and a hint for SCM.URL. */
const labelledSidecar = buildSidecar.replace(
  "    example: https://svn.example.com/repos/payments\n",
  "    example: https://svn.example.com/repos/payments\n    label: Source URL\n    hint: 'a URL starting with https://, svn:// or file://, such as https://svn.example.com/repos/payments'\n",
);

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-guidance-home-'));
  standin = await startStandin({ home, port: 0 });
  repo = makeDefinitionsRepo(
    definitionsFiles({
      'job-templates/Build.yaml': labelledSidecar,
      'jobs/_defaults.yaml': 'tokens:\n  MVN.GOALS: verify\n',
      // another project, not yet synced: the form's sync must not make its folder, view or jobs
      'jobs/elsewhere.yaml': 'folder: other-team\nview: Other\ntemplates: [Pipeline]\ntokens:\n  SCM.URL: https://git.example.com/elsewhere.git\n',
    }),
  );
  const dirs = { templatesDir: path.join(repo.work, 'job-templates'), jobsDir: path.join(repo.work, 'jobs') };
  const api = new JenkinsClient({ url: standin.url + '/' });
  form = await startFormServer({
    checker: renderChecker(dirs),
    store: new DefinitionsStore({ dir: repo.work, identity: { name: 'jobsmith form', email: 'form@example.test' } }),
    syncer: projectSyncer(api, dirs, { jenkinsUrl: standin.url }),
    via: 'the web form',
    definitionsLabel: 'jobs/',
    jenkinsUrl: standin.url,
  });
  browser = await launchBrowser();
  js = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 900 } });
  js.setDefaultTimeout(30_000);
  noJs.setDefaultTimeout(30_000);
});

afterAll(async () => {
  await browser?.close();
  await form?.close();
  await standin?.close();
  repo?.cleanup();
  rmSync(home, { recursive: true, force: true });
});

const remoteSubjects = (): string[] => git(repo.bare, 'log', '--format=%s', 'main').split('\n');
async function jobNames(): Promise<string[]> {
  const res = await fetch(`${standin.url}/api/json?tree=jobs[name]`);
  return ((await res.json()) as { jobs: Array<{ name: string }> }).jobs.map((j) => j.name);
}

/** What assistive technology gets for a control: invalid?, and the text of what describes it. */
async function a11y(p: Page, selector: string): Promise<{ invalid: string | null; described: string }> {
  return p.locator(selector).evaluate((el) => {
    const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    return { invalid: el.getAttribute('aria-invalid'), described: ids.map((id) => document.getElementById(id)?.textContent ?? `<missing #${id}>`).join(' | ') };
  });
}

describe('errors: all at once, in plain words, next to their fields, accessible', () => {
  for (const [mode, ctx] of [
    ['with JavaScript', () => js],
    ['without JavaScript', () => noJs],
  ] as const) {
    it(`an empty project name does not hide the other errors; focus moves to the summary (${mode})`, async () => {
      const p = await ctx().newPage();
      await p.goto(form.url + '/');
      await p.check('input[name=templates][value=Build]');
      await p.fill('[name="token.SCM.URL"]', 'ftp://nope');
      await p.selectOption('[name="token.BUILD.FARM"]', 'windows');
      await p.click('button[value=create]');
      await p.waitForSelector('#error-summary');
      // the summary has focus (autofocus without JavaScript, focus() with it) and lists both errors
      expect(await p.evaluate(() => document.activeElement?.id)).toBe('error-summary');
      expect(await p.getAttribute('#error-summary', 'role')).toBe('alert');
      const items = await p.locator('#error-summary li').allTextContents();
      expect(items).toEqual([
        'Project name: Enter a project name.',
        'Source URL: Expected a URL starting with https://, svn:// or file://, such as https://svn.example.com/repos/payments.',
      ]);
      // each field: marked invalid, described by its help and its error
      expect(await a11y(p, '#f-project')).toEqual({
        invalid: 'true',
        described: 'Jobs are named <project>-<template>. Letters, digits, ".", "_" and "-"; at most 100 characters. | Error: Enter a project name.',
      });
      const scm = await a11y(p, '#f-token-SCM-URL');
      expect(scm.invalid).toBe('true');
      expect(scm.described).toContain('Error: Expected a URL starting with https://');
      expect(await p.getAttribute('#f-token-BUILD-FARM', 'aria-invalid')).toBeNull();
      // plain words only: no regular expression, no server path anywhere on the page
      const text = await p.textContent('body');
      expect(text).not.toContain('\\S+');
      expect(text).not.toContain('(https?|svn|file)');
      expect(await p.content()).not.toContain(repo.root);
      // a summary link takes the user to the field
      await p.click('#error-summary a[href="#f-token-SCM-URL"]');
      expect(await p.evaluate(() => document.activeElement?.id)).toBe('f-token-SCM-URL');
      expect(await p.inputValue('#f-token-SCM-URL')).toBe('ftp://nope');
      await p.close();
    });
  }

  it('no template and no name: both errors, the job set marked invalid', async () => {
    const p = await noJs.newPage();
    await p.goto(form.url + '/');
    await p.click('button[value=create]');
    await p.waitForSelector('#error-summary');
    expect(await p.locator('#error-summary li').allTextContents()).toEqual(['Project name: Enter a project name.', 'Job set: Pick at least one template.']);
    expect(await p.getAttribute('#f-templates', 'aria-invalid')).toBe('true');
    expect(await a11y(p, 'fieldset.templates')).toMatchObject({ described: 'Error: Pick at least one template.' });
    await p.close();
  });

  it.each([
    ['a'.repeat(250), 'The project name is 250 characters long; at most 100 are allowed.'],
    ['-leading-dash', 'The project name must start with a letter or a digit.'],
    ['zürich', 'The project name cannot contain "ü": use letters, digits, ".", "_" and "-".'],
    ['a/../b', 'The project name cannot contain "/": use letters, digits, ".", "_" and "-".'],
  ])('project name %j gets the right reason', async (name, reason) => {
    const p = await noJs.newPage();
    await p.goto(form.url + '/');
    await p.fill('[name=project]', name);
    await p.check('input[name=templates][value=Pipeline]');
    await p.fill('[name="token.SCM.URL"]', 'https://git.example.com/x.git');
    await p.click('button[value=create]');
    await p.waitForSelector('#error-summary');
    expect(await p.locator('.error[data-error-for=project] .msg').allTextContents()).toEqual([reason]);
    await p.close();
  });

  it('a URL with a password is refused on its field and never committed', async () => {
    const p = await noJs.newPage();
    await p.goto(form.url + '/');
    await p.fill('[name=project]', 'leaky');
    await p.check('input[name=templates][value=Pipeline]');
    await p.fill('[name="token.SCM.URL"]', 'https://bob:hunter2@git.example.com/x.git');
    await p.click('button[value=create]');
    await p.waitForSelector('#error-summary');
    expect(await p.locator('.error[data-error-for="token.SCM.URL"]').textContent()).toContain('This URL holds a user name or password');
    expect(remoteSubjects().join('\n')).not.toContain('leaky');
    expect(git(repo.bare, 'log', '-p', 'main')).not.toContain('hunter2');
    await p.close();
  });
});

describe('labels, help and layout', () => {
  it('labels are words from the sidecar (label:, else the description); the token name stays visible, small', async () => {
    const p = await js.newPage();
    await p.goto(form.url + '/');
    expect(await p.locator('label[for=f-token-SCM-URL] .label-text').textContent()).toBe('Source URL');
    expect(await p.locator('label[for=f-token-SCM-URL] .token-name').textContent()).toBe('$SCM.URL');
    expect(await p.locator('label[for=f-token-BUILD-FARM] .label-text').textContent()).toBe('Agents the build may run on');
    const small = await p.locator('label[for=f-token-SCM-URL] .token-name').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const big = await p.locator('label[for=f-token-SCM-URL] .label-text').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(small).toBeLessThan(big);
    // the default a new project gets: jobs/_defaults.yaml before the sidecar's "clean install"
    expect(await p.inputValue('#f-token-MVN-GOALS')).toBe('verify');
    await p.close();
  });

  it('a token two templates describe differently shows the description of the chosen template', async () => {
    const p = await js.newPage();
    await p.goto(form.url + '/');
    const help = p.locator('#f-token-SCM-URL-help');
    const visible = async (): Promise<string[]> => help.locator('.desc').evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => e.textContent ?? ''));
    expect(await visible()).toEqual(['Build: Repository URL of the project.', "Pipeline: Clone URL of the git repository that holds the Jenkinsfile."]);
    await p.check('input[name=templates][value=Pipeline]');
    expect(await visible()).toEqual(["Pipeline: Clone URL of the git repository that holds the Jenkinsfile."]);
    await p.uncheck('input[name=templates][value=Pipeline]');
    await p.check('input[name=templates][value=Build]');
    expect(await visible()).toEqual(['Build: Repository URL of the project.']);
    await p.close();
  });

  for (const width of [320, 375]) {
    it(`fits ${width} px wide: the form, its errors and the preview`, async () => {
      const ctx = await browser.newContext({ viewport: { width, height: 800 } });
      const p = await ctx.newPage();
      const overflow = (): Promise<number> => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      await p.goto(form.url + '/');
      expect(await overflow()).toBeLessThanOrEqual(0);
      await p.fill('[name=project]', 'a-rather-long-project-name-for-a-small-screen');
      await p.check('input[name=templates][value=Build]');
      await p.fill('[name="token.SCM.URL"]', 'ftp://' + 'x'.repeat(120));
      await p.click('button[value=create]');
      await p.waitForSelector('#error-summary');
      expect(await overflow()).toBeLessThanOrEqual(0);
      await p.fill('[name="token.SCM.URL"]', 'https://svn.example.com/repos/' + 'y'.repeat(120));
      await p.click('button[value=preview]');
      await p.waitForSelector('#preview .job-name');
      await p.click('#preview details summary');
      expect(await overflow()).toBeLessThanOrEqual(0);
      // the job set fieldset shrinks with the page instead of pushing it wider
      const fs = await p.locator('fieldset.templates').evaluate((el) => el.getBoundingClientRect().right);
      expect(fs).toBeLessThanOrEqual(width);
      await ctx.close();
    });
  }
});

describe('one submission, one result', () => {
  it('the Create button is disabled while a (slow) submission runs', async () => {
    const p = await js.newPage();
    await p.goto(form.url + '/');
    await p.fill('[name=project]', 'slowpoke');
    await p.check('input[name=templates][value=Build]');
    await p.fill('[name="token.SCM.URL"]', 'https://svn.example.com/slowpoke');
    standin.faults.set({ latencyMs: 400 });
    try {
      const posts: string[] = [];
      p.on('request', (r) => {
        if (r.method() === 'POST') posts.push(r.postData() ?? '');
      });
      // Read the page in the same turn as the click: once the (slow) response arrives the page is gone.
      const state = await p.evaluate(
        () =>
          new Promise<[boolean, string, string, boolean]>((resolve) => {
            const b = document.getElementById('create-button') as HTMLButtonElement;
            b.click();
            setTimeout(() => {
              const first = [b.disabled, b.textContent ?? '', document.getElementById('busy-note')?.textContent ?? ''] as const;
              b.click(); // a second click on the disabled button does nothing
              resolve([...first, (document.querySelector('button[value=preview]') as HTMLButtonElement).disabled]);
            }, 50);
          }),
      );
      expect(state).toEqual([true, 'Creating…', 'Creating the jobs; this can take a few seconds.', true]);
      await p.waitForSelector('h1:has-text("Jobs for slowpoke created")');
      expect(posts).toHaveLength(1);
      expect(posts[0]).toContain('action=create');
    } finally {
      standin.faults.clear();
    }
    expect(remoteSubjects().filter((s) => s.includes('slowpoke'))).toHaveLength(1);
    await p.close();
  });

  it('without JavaScript a re-posted submission (reload of the result page) shows the first result, not "exists"', async () => {
    const p = await noJs.newPage();
    await p.goto(form.url + '/');
    await p.fill('[name=project]', 'doubleclick');
    await p.check('input[name=templates][value=Build]');
    await p.fill('[name="token.SCM.URL"]', 'https://svn.example.com/doubleclick');
    const statuses: number[] = [];
    p.on('response', (r) => {
      if (r.request().method() === 'POST') statuses.push(r.status());
    });
    await p.click('button[value=create]');
    await p.waitForSelector('h1:has-text("Jobs for doubleclick created")');
    const first = await p.textContent('main');
    // the browser posts the same form (same submission id) again
    await p.reload();
    await p.waitForSelector('h1:has-text("Jobs for doubleclick created")');
    expect(await p.textContent('main')).toBe(first);
    expect(first).not.toMatch(/already in progress|already exists/);
    expect(statuses).toEqual([201, 201]);
    expect(remoteSubjects().filter((s) => s.includes('doubleclick'))).toHaveLength(1);
    await p.close();
  });

  it('the same submission posted twice at once: both wait for and get the one result', async () => {
    const pageRes = await fetch(form.url + '/');
    const cookie = pageRes.headers.get('set-cookie')!.split(';')[0]!;
    const html = await pageRes.text();
    const token = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const submission = /name="submission" value="([^"]+)"/.exec(html)![1]!;
    const body = new URLSearchParams({ csrf: token, submission, action: 'create', project: 'twice', templates: 'Build', 'token.SCM.URL': 'https://svn.example.com/twice' });
    const post = async (): Promise<{ status: number; text: string }> => {
      const r = await fetch(form.url + '/', { method: 'POST', headers: { cookie, origin: form.url, 'content-type': 'application/x-www-form-urlencoded' }, body });
      return { status: r.status, text: await r.text() };
    };
    standin.faults.set({ latencyMs: 200 });
    let a: { status: number; text: string };
    let b: { status: number; text: string };
    try {
      [a, b] = await Promise.all([post(), post()]);
    } finally {
      standin.faults.clear();
    }
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.text).toContain('Jobs for twice created');
    expect(b.text).toBe(a.text);
    // later too (a reload of the result page re-posts): the same page, no second commit
    const c = await post();
    expect(c.text).toBe(a.text);
    expect(remoteSubjects().filter((s) => s.includes('twice'))).toHaveLength(1);
    // another browser (another cookie) cannot replay someone's submission id to read their result
    const other = await fetch(form.url + '/');
    const otherCookie = other.headers.get('set-cookie')!.split(';')[0]!;
    const otherToken = /name="csrf" value="([^"]+)"/.exec(await other.text())![1]!;
    body.set('csrf', otherToken);
    const replay = await fetch(form.url + '/', { method: 'POST', headers: { cookie: otherCookie, origin: form.url, 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(replay.status).toBe(409);
    expect(await replay.text()).toContain('already exists');
  });
});

describe('names held in Jenkins are refused before committing', () => {
  it('an unmanaged job with the job name: error on the project name, nothing committed, the job untouched', async () => {
    const api = new JenkinsClient({ url: standin.url + '/' });
    const theirs = "<?xml version='1.1' encoding='UTF-8'?>\n<project><description>made by hand</description><builders/></project>";
    await api.createJob('clash-Build', theirs);
    const before = await api.getConfig('clash-Build');
    const p = await noJs.newPage();
    await p.goto(form.url + '/');
    await p.fill('[name=project]', 'clash');
    await p.check('input[name=templates][value=Build]');
    await p.check('input[name=templates][value=Pipeline]');
    await p.fill('[name="token.SCM.URL"]', 'https://svn.example.com/clash');
    await p.click('button[value=create]');
    await p.waitForSelector('#error-summary');
    expect(await p.locator('.error[data-error-for=project] .msg').allTextContents()).toEqual([
      'Jenkins already has a job named "clash-Build" that jobsmith may not change (an unmanaged job has this name); choose another project name, or ask the build team to adopt that job.',
    ]);
    expect(await p.getAttribute('#f-project', 'aria-invalid')).toBe('true');
    expect(remoteSubjects().join('\n')).not.toContain('clash');
    expect(await jobNames()).not.toContain('clash-Pipeline');
    expect(await api.getConfig('clash-Build')).toBe(before);
    await api.close();
    await p.close();
  });
});

describe('the form\'s sync touches exactly the new project', () => {
  it('its folders and view are made and listed on the result page; nothing of other projects', async () => {
    const p = await noJs.newPage();
    await p.goto(form.url + '/');
    await p.fill('[name=project]', 'foldered');
    await p.fill('[name=folder]', 'team-x/apps');
    await p.fill('[name=view]', 'Team X');
    await p.check('input[name=templates][value=Build]');
    await p.fill('[name="token.SCM.URL"]', 'https://svn.example.com/foldered');
    await p.click('button[value=create]');
    await p.waitForSelector('h1:has-text("Jobs for foldered created")');
    expect(await p.locator('ul.jobs.created li').allTextContents()).toEqual(['team-x/apps/foldered-Build created']);
    expect((await p.locator('ul.items li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      'Folder team-x created',
      'Folder team-x/apps created',
      'View team-x/apps/Team X created',
    ]);
    const top = await jobNames();
    expect(top).toContain('team-x');
    expect(top).not.toContain('other-team');
    expect(top).not.toContain('existing-Build');
    const view = (await (await fetch(`${standin.url}/job/team-x/job/apps/view/Team%20X/api/json?tree=jobs[name]`)).json()) as { jobs: Array<{ name: string }> };
    expect(view.jobs.map((j) => j.name)).toEqual(['foldered-Build']);
    await p.close();
  });
});
