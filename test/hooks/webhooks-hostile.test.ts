/** Webhooks attacked: oversized bodies, a batch with a project that has nothing to sync, broken definitions, many refs. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { branchJobName } from '../../src/branches/branch-job-name.js';
import { startFormServer } from '../../src/form/form-server.js';
import { hookRoutes } from '../../src/form/hook-routes.js';
import { renderChecker } from '../../src/form/render-checker.js';
import { DefinitionsStore } from '../../src/form/definitions-store.js';
import { GitRemote } from '../branches/fixtures.js';
import { hookEnv, pointedAt, SECRET, type HookEnv } from './harness.js';
import { headersFor } from './payloads.js';

let env: HookEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const job = (project: string, branch: string): string => `team/${branchJobName(`${project}-Branch-build`, branch)}`;

describe('webhooks under attack', () => {
  it('a body over the limit is 413 and nothing is queued', async () => {
    env = await hookEnv();
    const small = await startFormServer(
      { checker: renderChecker({ templatesDir: env.root, jobsDir: env.root }), store: new DefinitionsStore({ dir: env.defs.work }), via: 'x', definitionsLabel: 'x', refreshMs: 0, routes: [hookRoutes(env.service, { maxBody: 512 })] },
      { port: 0 },
    );
    try {
      const body = JSON.stringify({ zen: 'x'.repeat(2000) });
      const res = await fetch(`${small.url}/hooks/github`, { method: 'POST', headers: headersFor('github-push', body, SECRET), body });
      expect(res.status).toBe(413);
      expect(((await res.json()) as any).message).toBe('the body is larger than 512 bytes');
      expect(await env.status()).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('one batch, two projects, one of which has nothing to sync: the other still gets its jobs', async () => {
    env = await hookEnv({ settleMs: 300 });
    const a = new GitRemote(env.root, 'a');
    const b = new GitRemote(env.root, 'b');
    a.push('main');
    b.push('main');
    env.define('alpha', a.url);
    env.define('empty', b.url, '  include: ["release/*"]\n'); // matches no branch, has no jobs
    await Promise.all([env.post('github-push', pointedAt('github-push', a.url)), env.post('github-push', pointedAt('github-push', b.url))]);
    await env.service.idle();
    expect(env.batches.map((x) => x.batch.keys)).toEqual([['alpha', 'empty']]);
    expect([...(await env.jobs()).keys()]).toEqual([job('alpha', 'main')]);
    const status = await env.status();
    expect(status.map((r) => r.status)).toEqual(['done', 'done']);
    const alpha = status.find((r) => r.keys.includes('alpha'));
    expect(alpha.created).toEqual([job('alpha', 'main')]);
    // the events created feature/PAY-1, which neither repository has: main's job is created, not built
    expect(alpha.message).toBe('1 job created, 0 builds requested, 0 jobs torn down');
    // each event is told its own project's outcome, not the batch's
    expect(alpha.projects).toEqual([{ project: 'alpha', status: 'done', message: '1 job created, 0 builds requested, 0 jobs torn down' }]);
    expect(status.find((r) => r.keys.includes('empty'))).toMatchObject({ message: '0 jobs created, 0 builds requested, 0 jobs torn down', projects: [{ project: 'empty', status: 'done' }] });
  });

  it('one batch, two projects, one whose remote is unreachable: that one fails saying why, the other is done with its own outcome', async () => {
    env = await hookEnv({ settleMs: 300 });
    const a = new GitRemote(env.root, 'a');
    const b = new GitRemote(env.root, 'b');
    a.push('main');
    b.push('main');
    env.define('alpha', a.url);
    env.define('beta', b.url);
    fs.renameSync(b.bare, b.bare + '-moved');
    await Promise.all([env.post('github-push', pointedAt('github-push', a.url)), env.post('github-push', pointedAt('github-push', b.url))]);
    await env.service.idle();
    expect(env.batches.map((x) => x.batch.keys)).toEqual([['alpha', 'beta']]);
    expect(env.batches[0]!.result.ok).toBe(false);
    expect([...(await env.jobs()).keys()]).toEqual([job('alpha', 'main')]);
    const status = await env.status();
    const alpha = status.find((r) => r.keys.includes('alpha'));
    const beta = status.find((r) => r.keys.includes('beta'));
    expect(alpha).toMatchObject({ status: 'done', message: '1 job created, 0 builds requested, 0 jobs torn down', created: [job('alpha', 'main')] });
    expect(beta.status).toBe('failed');
    expect(beta.message).toMatch(/^0 jobs created, 0 builds requested, 0 jobs torn down; project beta: branch listing failed \(its branch jobs are left as they are\): git ls-remote /);
    expect(beta.message).not.toMatch(/alpha/);
    expect(beta.created).toEqual([]);
  });

  it('an event naming two projects (one repository, two definitions) names each outcome', async () => {
    env = await hookEnv();
    const a = new GitRemote(env.root, 'a');
    a.push('main');
    env.define('alpha', a.url);
    env.define('gamma', a.url, '  include: ["release/*"]\n');
    await env.post('github-push', pointedAt('github-push', a.url));
    await env.service.idle();
    const [record] = await env.status();
    expect(record.keys).toEqual(['alpha', 'gamma']);
    expect(record.status).toBe('done');
    expect(record.message).toBe('alpha: 1 job created, 0 builds requested, 0 jobs torn down; gamma: 0 jobs created, 0 builds requested, 0 jobs torn down');
    expect(record.projects.map((p: any) => [p.project, p.status])).toEqual([['alpha', 'done'], ['gamma', 'done']]);
  });

  it('a broken definition anywhere: the event fails naming the file, nothing is synced', async () => {
    env = await hookEnv();
    const a = new GitRemote(env.root, 'a');
    a.push('main');
    env.define('alpha', a.url);
    fs.writeFileSync(path.join(env.defs.work, 'jobs', 'broken.yaml'), 'project: broken\ntemplates: [No-such-template]\n');
    await env.post('github-push', pointedAt('github-push', a.url));
    await env.service.idle();
    const [record] = await env.status();
    expect(record.status).toBe('failed');
    expect(record.message).toMatch(/^the definitions have errors, nothing was synced: .*broken\.yaml/);
    expect(await env.jobs()).toEqual(new Map());
  });

  it('an event with thousands of refs keeps at most 20 in the status', async () => {
    env = await hookEnv();
    const a = new GitRemote(env.root, 'a');
    a.push('main');
    env.define('alpha', a.url);
    const p = pointedAt('bitbucket-refs-changed', a.url);
    p.changes = Array.from({ length: 3000 }, (_, i) => ({ ref: { id: `refs/heads/b${i}` }, refId: `refs/heads/b${i}`, fromHash: '0'.repeat(40), toHash: 'a'.repeat(40), type: 'ADD' }));
    expect((await env.post('bitbucket-refs-changed', p)).status).toBe(202);
    await env.service.idle();
    const [record] = await env.status();
    expect(record.refs).toHaveLength(20);
    expect(record.status).toBe('done');
    expect(record.created).toEqual([job('alpha', 'main')]); // the remote decides: b0... do not exist
  });

  it('a branch with an unusual name (unicode, dots, very long) gets its job through an event', async () => {
    env = await hookEnv();
    const a = new GitRemote(env.root, 'a');
    const odd = `feature/ünï-${'x'.repeat(150)}`;
    a.push(odd);
    env.define('alpha', a.url);
    const p = pointedAt('github-create', a.url);
    p.ref = odd;
    await env.post('github-create', p);
    await env.service.idle();
    const [record] = await env.status();
    expect(record).toMatchObject({ status: 'done', created: [job('alpha', odd)], refs: [{ ref: `refs/heads/${odd}`, kind: 'created' }] });
    expect((await env.jobs()).has(job('alpha', odd))).toBe(true);
  });
});

describe('webhooks when the world fails', () => {
  it('Jenkins unreachable: the event fails saying so (nothing was changed)', async () => {
    env = await hookEnv();
    const a = new GitRemote(env.root, 'a');
    a.push('main');
    env.define('alpha', a.url);
    // a stopped Jenkins: close the stand-in, keep serve running
    await env.standin.close();
    await env.post('github-push', pointedAt('github-push', a.url));
    await env.service.idle();
    const [record] = await env.status();
    expect(record.status).toBe('failed');
    expect(record.message).toMatch(/listing Jenkins failed \(nothing was changed\)/);
  });

  it('serve stopping with no time left to serve them: events still waiting are marked failed, never left queued', async () => {
    env = await hookEnv({ settleMs: 60_000 });
    const a = new GitRemote(env.root, 'a');
    a.push('main');
    env.define('alpha', a.url);
    const r = await env.post('github-push', pointedAt('github-push', a.url));
    expect(r.json.status).toBe('queued');
    expect((await env.service.close({ waitMs: 0 })).map((e) => e.id)).toEqual([r.json.id]);
    expect((await env.status())[0]).toMatchObject({ id: r.json.id, status: 'failed', message: 'serve stopped before this event was synced' });
    expect(env.batches).toEqual([]);
    const late = await env.post('github-push', pointedAt('github-push', a.url));
    expect(late.json).toMatchObject({ status: 'failed', message: 'serve is stopping' });
  });
});
