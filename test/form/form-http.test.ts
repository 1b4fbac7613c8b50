import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DefinitionsStore } from '../../src/form/definitions-store.js';
import { startFormServer, type RunningFormServer } from '../../src/form/form-server.js';
import { renderChecker } from '../../src/form/render-checker.js';
import { cliPath } from '../helpers/cli.js';
import { definitionsFiles } from './fixtures.js';
import { git, makeDefinitionsRepo, type DefinitionsRepo } from './git-fixtures.js';

let repo: DefinitionsRepo;
let guarded: RunningFormServer;

beforeAll(async () => {
  repo = makeDefinitionsRepo(definitionsFiles());
  const dirs = { templatesDir: path.join(repo.work, 'job-templates'), jobsDir: path.join(repo.work, 'jobs') };
  guarded = await startFormServer({
    checker: renderChecker(dirs),
    store: new DefinitionsStore({ dir: repo.work, identity: { name: 'bot', email: 'bot@example.test' } }),
    via: 'the web form',
    definitionsLabel: 'jobs/',
    access: { userHeader: 'X-Forwarded-User', allow: ['alice'], authorEmail: '{user}@corp.example' },
    refreshMs: 1,
  });
});
afterAll(async () => {
  await guarded?.close();
  repo?.cleanup();
});

/** GET the form as `user`, then POST `fields` with the page's cookie and token. */
async function submit(user: string, fields: Record<string, string | string[]>): Promise<{ status: number; body: string }> {
  const page = await fetch(guarded.url + '/', { headers: { 'x-forwarded-user': user } });
  const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  const token = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const body = new URLSearchParams({ csrf: token });
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  const res = await fetch(guarded.url + '/', {
    method: 'POST',
    headers: { 'x-forwarded-user': user, cookie, origin: guarded.url, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return { status: res.status, body: await res.text() };
}

describe('web form over HTTP', () => {
  it('access control: only allowed users see and use the form; the user is the commit author', async () => {
    const anon = await fetch(guarded.url + '/');
    expect(anon.status).toBe(403);
    expect(await anon.text()).toContain('you are not signed in');
    const mallory = await fetch(guarded.url + '/', { headers: { 'x-forwarded-user': 'mallory' } });
    expect(mallory.status).toBe(403);
    expect(await mallory.text()).toContain('user &#34;mallory&#34; may not create jobs');
    const r = await submit('alice', { action: 'create', project: 'alices', templates: 'Build', 'token.SCM.URL': 'https://svn.example.com/alice' });
    expect(r.status).toBe(201);
    expect(r.body).toContain('signed in as alice');
    expect(git(repo.bare, 'log', '-1', '--format=%an <%ae>|%s', 'main')).toBe('alice <alice@corp.example>|Add project alices (Build) via the web form');
  });

  it('security headers and CSRF: no token, or a token for another cookie, is refused', async () => {
    const page = await fetch(guarded.url + '/', { headers: { 'x-forwarded-user': 'alice' } });
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const token = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const post = (cookie: string, csrf: string) =>
      fetch(guarded.url + '/', {
        method: 'POST',
        headers: { 'x-forwarded-user': 'alice', cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, action: 'create', project: 'nope', templates: 'Build' }),
      });
    expect((await post('', token)).status).toBe(403);
    expect((await post('jobsmith_csrf=AAAAAAAAAAAAAAAAAAAAAAAA', token)).status).toBe(403);
    expect(git(repo.bare, 'ls-tree', '--name-only', 'main', 'jobs/')).not.toContain('nope');
  });

  it('the form shows templates pushed by others (fetches the remote before showing it)', async () => {
    const other = repo.clone('other');
    writeFileSync(path.join(other, 'job-templates/Deploy-config.xml'), '<project><description>deploy $DEPLOY.TARGET</description></project>\n');
    git(other, 'add', '.');
    git(other, 'commit', '--quiet', '-m', 'Add the Deploy template');
    git(other, 'push', '--quiet', 'origin', 'main');
    await new Promise((r) => setTimeout(r, 5));
    const html = await (await fetch(guarded.url + '/', { headers: { 'x-forwarded-user': 'alice' } })).text();
    expect(html).toContain('value="Deploy"');
    expect(html).toContain('name="token.DEPLOY.TARGET"');
  });

  it('`jobsmith serve` starts, serves the form and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--sync', 'master-job'], { cwd: repo.work, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('serve did not print its URL')), 45_000);
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
          if (m) (clearTimeout(t), resolve(m[1]!));
        });
      });
      const res = await fetch(url + '/');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('value="Build"');
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(0);
  });
});
