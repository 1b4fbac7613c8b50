/** `jobsmith serve` (the built CLI) takes webhooks: the URL lines, a signed event synced into the embedded stand-in. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { branchJobName } from '../../src/branches/branch-job-name.js';
import { cliPath } from '../helpers/cli.js';
import { GitRemote } from '../branches/fixtures.js';
import { makeDefinitionsRepo, type DefinitionsRepo } from '../form/git-fixtures.js';
import { BRANCH_TEMPLATE, SECRET } from './harness.js';
import { headersFor, pointedAt } from './payloads.js';

let repo: DefinitionsRepo | undefined;
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  repo?.cleanup();
  repo = child = undefined;
});

function start(env: NodeJS.ProcessEnv): { out: () => string; err: () => string; url: Promise<string>; exit: Promise<number | null> } {
  const c = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--embedded', path.join(repo!.root, 'standin')], { cwd: repo!.work, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child = c;
  let out = '';
  let err = '';
  c.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const url = new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`serve did not print its URL: ${out} ${err}`)), 45_000);
    c.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m && /^webhooks: /m.test(out)) (clearTimeout(t), resolve(m[1]!));
    });
  });
  const exit = new Promise<number | null>((r) => c.once('exit', (code) => r(code)));
  return { out: () => out, err: () => err, url, exit };
}

describe('jobsmith serve: webhooks', () => {
  it('prints where it listens and the hook URLs; a signed push creates the branch jobs; SIGINT stops it (exit 0)', async () => {
    repo = makeDefinitionsRepo({ 'job-templates/Branch-build-config.xml': BRANCH_TEMPLATE, 'jobs/_defaults.yaml': 'tokens: {}\n' });
    const remote = new GitRemote(repo.root, 'payments');
    remote.push('main', 'feature/PAY-1');
    fs.writeFileSync(path.join(repo.work, 'jobs', 'pay.yaml'), `project: pay\nbranches:\n  repo: ${remote.url}\n  templates: [Branch-build]\n`);
    const s = start({ JOBSMITH_WEBHOOK_SECRET: SECRET });
    const url = await s.url;
    expect(s.out()).toContain(`webhooks: ${url}/hooks/{github,gitlab,gitea,bitbucket} (events: ${url}/hooks/status)`);
    expect(s.err()).not.toMatch(/no webhook secret/);

    const body = JSON.stringify(pointedAt('github-push', remote.url));
    const unsigned = await fetch(`${url}/hooks/github`, { method: 'POST', headers: headersFor('github-push', body, undefined), body });
    expect(unsigned.status).toBe(401);
    const signed = await fetch(`${url}/hooks/github`, { method: 'POST', headers: headersFor('github-push', body, SECRET), body });
    expect(signed.status).toBe(202);
    const { id } = (await signed.json()) as { id: string };
    const end = Date.now() + 30_000;
    let record: any;
    while (Date.now() < end) {
      const events = ((await (await fetch(`${url}/hooks/status`)).json()) as { events: any[] }).events;
      record = events.find((e) => e.id === id);
      if (record?.status === 'done' || record?.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(record).toMatchObject({ status: 'done', created: [branchJobName('pay-Branch-build', 'feature/PAY-1'), 'pay-Branch-build-main'].sort() });
    child!.kill('SIGINT');
    expect(await s.exit).toBe(0);
    expect(s.out() + s.err()).not.toContain(SECRET);
  });

  it('without a secret it warns that every provider is refused', async () => {
    repo = makeDefinitionsRepo({ 'job-templates/Branch-build-config.xml': BRANCH_TEMPLATE, 'jobs/_defaults.yaml': 'tokens: {}\n' });
    const s = start({ JOBSMITH_WEBHOOK_SECRET: '', JOBSMITH_WEBHOOK_SECRET_GITLAB: SECRET });
    await s.url;
    await new Promise((r) => setTimeout(r, 200));
    expect(s.err()).toContain('warning: no webhook secret for github, gitea, bitbucket (set JOBSMITH_WEBHOOK_SECRET): their events are refused (401)');
    child!.kill('SIGINT');
    expect(await s.exit).toBe(0);
  });
});
