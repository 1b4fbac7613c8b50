#!/usr/bin/env node
// Takes docs/form.png (1280 px wide: the form filled in and previewed) and docs/form-375.png (a
// phone, 375 px wide: the error summary after pressing Create with a missing name and a malformed
// URL): serves the shipped examples (job-templates/, jobs/) from a temporary clone with
// `jobsmith serve --embedded` (a stand-in Jenkins, no real one needed) and drives headless Chromium.
// Run after building: node test/form/take-screenshot.mjs
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-shot-'));
const g = (cwd, ...args) => execFileSync('git', args, { cwd, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 'x', GIT_AUTHOR_EMAIL: 'x@x', GIT_COMMITTER_NAME: 'x', GIT_COMMITTER_EMAIL: 'x@x' } });
g(tmp, 'init', '-q', '--bare', '-b', 'main', 'defs.git');
g(tmp, 'clone', '-q', 'defs.git', 'work');
const work = path.join(tmp, 'work');
cpSync(path.join(repoRoot, 'job-templates'), path.join(work, 'job-templates'), { recursive: true });
cpSync(path.join(repoRoot, 'jobs'), path.join(work, 'jobs'), { recursive: true });
g(work, 'add', '.');
g(work, 'commit', '-qm', 'seed');
g(work, 'push', '-q', 'origin', 'main');
const server = spawn(process.execPath, [path.join(repoRoot, 'dist/cli/main.js'), 'serve', '--port', '0', '--embedded', path.join(tmp, 'home')], { cwd: work, stdio: ['ignore', 'pipe', 'inherit'] });
let browser;
try {
  const url = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('serve did not start in 60 s')), 60_000);
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) (clearTimeout(t), resolve(m[1]));
    });
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(url + '/');
  await page.fill('[name=project]', 'inventory');
  await page.check('input[name=templates][value=CI-build-trunk]');
  await page.check('input[name=templates][value=RC-build-branch]');
  await page.fill('[name="token.POM.ARTIFACTID"]', 'inventory-service');
  await page.fill('[name="token.SCM.PATH"]', 'https://svn.example.com/repos/inventory');
  await page.fill('[name=author_name]', 'Ada Lovelace');
  await page.fill('[name=author_email]', 'ada@example.com');
  await page.click('button[value=preview]');
  await page.waitForSelector('#preview .job-name');
  await page.screenshot({ path: path.join(repoRoot, 'docs/form.png'), fullPage: true });
  console.log('wrote docs/form.png');

  const phone = await (await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 })).newPage();
  await phone.goto(url + '/');
  await phone.check('input[name=templates][value=CI-build-trunk]');
  await phone.fill('[name="token.POM.ARTIFACTID"]', 'inventory-service');
  await phone.fill('[name="token.SCM.PATH"]', 'svn.example.com/repos/inventory/');
  await phone.click('button[value=create]');
  await phone.waitForSelector('#error-summary');
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  if (width > 375) throw new Error(`the page is ${width} px wide at 375 px`);
  await phone.screenshot({ path: path.join(repoRoot, 'docs/form-375.png') });
  console.log('wrote docs/form-375.png');
} finally {
  await browser?.close();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(tmp, { recursive: true, force: true });
}
