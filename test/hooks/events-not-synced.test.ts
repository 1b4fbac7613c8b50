/**
 * Events that run no sync, over serve's HTTP routes with real bare remotes and the stand-in: each is
 * answered with the reason that fits it (a tag, a GitLab system hook event that is no push, a
 * definition that does not load), never with another one's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { branchJobName } from '../../src/branches/branch-job-name.js';
import { GitRemote } from '../branches/fixtures.js';
import { hookEnv, pointedAt, type HookEnv } from './harness.js';
import { findSecretLeaks, testSecret } from '../helpers/secret-scan.js';

let env: HookEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const job = (project: string, branch: string): string => `team/${branchJobName(`${project}-Branch-build`, branch)}`;
const SYSTEM_HOOK = { 'X-Gitlab-Event': 'System Hook' };

describe('GitLab system hooks: only push and tag_push events are read', () => {
  it('repository_update, project_create, a merge request and an event without a name are 202 ignored, not 400', async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'shop');
    remote.push('main');
    env.define('shop', remote.url);
    // shaped like GitLab's system hook documentation
    const repositoryUpdate = {
      event_name: 'repository_update',
      user_id: 1,
      user_name: 'John Smith',
      project_id: 1,
      project: { name: 'shop', path_with_namespace: 'acme/shop', git_http_url: remote.url, web_url: 'http://example.com/acme/shop' },
      changes: [{ before: '8205ea8d81ce0c6b90fbe8280d118cc9fdad6130', after: '4045ea7a3df38697b3730a20fb73c8bed8a3e69e', ref: 'refs/heads/main' }],
      refs: ['refs/heads/main'],
    };
    const projectCreate = { created_at: '2012-07-21T07:30:54Z', event_name: 'project_create', name: 'StoreCloud', path_with_namespace: 'jsmith/storecloud', project_id: 74, project_visibility: 'private' };
    const mergeRequest = { object_kind: 'merge_request', event_type: 'merge_request', project: { path_with_namespace: 'acme/shop', git_http_url: remote.url }, object_attributes: { iid: 1 } };
    const answers = [];
    for (const body of [repositoryUpdate, projectCreate, mergeRequest, { project_id: 1 }]) answers.push(await env.post('gitlab-push', body, { headers: SYSTEM_HOOK }));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    expect(answers.map((a) => a.json.status)).toEqual(['ignored', 'ignored', 'ignored', 'ignored']);
    expect(answers[0]!.json.message).toBe('a system hook event repository_update: jobsmith acts on push and tag_push');
    expect(answers[1]!.json.message).toBe('a system hook event project_create: jobsmith acts on push and tag_push');
    expect(answers[2]!.json.message).toBe('a system hook event merge_request: jobsmith acts on push and tag_push');
    expect(answers[3]!.json.message).toBe('a system hook event without event_name or object_kind: jobsmith acts on push and tag_push');
    await env.service.idle();
    expect(env.batches).toEqual([]);
    expect(await env.jobs()).toEqual(new Map());
  });

  it("a system hook's push event is read like a Push Hook: the new branch gets its job", async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'shop');
    remote.push('main', 'feature/x');
    env.define('shop', remote.url);
    const push = pointedAt('gitlab-push', remote.url);
    push.event_name = 'push';
    push.ref = 'refs/heads/feature/x';
    const r = await env.post('gitlab-push', push, { headers: SYSTEM_HOOK });
    expect(r.json.status).toBe('queued');
    await env.service.idle();
    expect((await env.status())[0]).toMatchObject({ status: 'done', event: 'System Hook', refs: [{ ref: 'refs/heads/feature/x', kind: 'created' }] });
    expect((await env.jobs()).has(job('shop', 'feature/x'))).toBe(true);
    // a push body that lacks what a push must have is still 400
    const bad = await env.post('gitlab-push', { event_name: 'push', project: { git_http_url: remote.url } }, { headers: SYSTEM_HOOK });
    expect(bad).toMatchObject({ status: 400, json: { status: 'malformed' } });
  });
});

describe('tags', () => {
  it('a tag on a repository a definition names is ignored because tags make no branch jobs (not "no definition names this repository")', async () => {
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'shop');
    remote.push('main');
    remote.pushRef('refs/tags/v1');
    env.define('shop', remote.url);
    const tagPush = pointedAt('gitlab-push', remote.url);
    tagPush.object_kind = 'tag_push';
    tagPush.ref = 'refs/tags/v1';
    const gitlab = await env.post('gitlab-push', tagPush, { headers: { 'X-Gitlab-Event': 'Tag Push Hook' } });
    const create = pointedAt('github-create', remote.url);
    create.ref = 'v3';
    create.ref_type = 'tag';
    const github = await env.post('github-create', create);
    const bitbucket = pointedAt('bitbucket-refs-changed', remote.url);
    bitbucket.changes = [
      { ref: { id: 'refs/tags/v4', type: 'TAG' }, refId: 'refs/tags/v4', fromHash: '0'.repeat(40), toHash: 'a'.repeat(40), type: 'ADD' },
      { ref: { id: 'refs/tags/v5', type: 'TAG' }, refId: 'refs/tags/v5', fromHash: '0'.repeat(40), toHash: 'a'.repeat(40), type: 'ADD' },
    ];
    const bb = await env.post('bitbucket-refs-changed', bitbucket);
    expect(gitlab).toMatchObject({ status: 202, json: { status: 'ignored', message: 'a tag (refs/tags/v1): tags make no branch jobs' } });
    expect(github).toMatchObject({ status: 202, json: { status: 'ignored', message: 'a tag (refs/tags/v3): tags make no branch jobs' } });
    expect(bb).toMatchObject({ status: 202, json: { status: 'ignored', message: 'tags (refs/tags/v4, refs/tags/v5): tags make no branch jobs' } });
    await env.service.idle();
    expect(env.batches).toEqual([]);
    const status = await env.status();
    expect(status.map((r) => [r.status, r.message])).toEqual([
      ['ignored', 'tags (refs/tags/v4, refs/tags/v5): tags make no branch jobs'],
      ['ignored', 'a tag (refs/tags/v3): tags make no branch jobs'],
      ['ignored', 'a tag (refs/tags/v1): tags make no branch jobs'],
    ]);
    // a change list without refs names nothing to sync
    const none = pointedAt('bitbucket-refs-changed', remote.url);
    none.changes = [];
    expect((await env.post('bitbucket-refs-changed', none)).json).toMatchObject({ status: 'ignored', message: 'the event names no ref' });
    // a repository no definition names still says so
    const other = new GitRemote(env.root, 'other');
    other.push('main');
    expect((await env.post('github-push', pointedAt('github-push', other.url))).json).toMatchObject({ status: 'ignored', message: 'no definition names this repository' });
  });
});

describe('definitions that do not load', () => {
  it("an event that matches no definition while they do not load fails naming the loading error (not 'no definition names this repository'); once they load again it syncs", async () => {
    const cred = testSecret('git-user');
    env = await hookEnv();
    const remote = new GitRemote(env.root, 'shop');
    remote.push('main', 'feature/x');
    const jobsDir = path.join(env.defs.work, 'jobs');
    const templatesDir = path.join(env.defs.work, 'job-templates');
    env.define('shop', remote.url);
    const good = fs.readFileSync(path.join(jobsDir, 'shop.yaml'), 'utf8');
    // an unclosed list (what `jobsmith validate` reports as a YAML error), on a line holding a credential
    fs.writeFileSync(path.join(jobsDir, 'shop.yaml'), `${good}tokens: [https://${cred.user}:${cred.token}@git.example.invalid/x.git\n`);
    const push = pointedAt('github-push', remote.url);
    push.ref = 'refs/heads/feature/x';
    const broken = await env.post('github-push', push);
    expect(broken.status).toBe(202);
    expect(broken.json.status).toBe('failed');
    expect(broken.json.message).toMatch(/^the definitions do not load, so this repository could not be matched to a project \(nothing was synced\): jobs\/shop\.yaml:\d+:\d+: error: /);
    expect(broken.json.message).not.toContain('no definition names');
    expect(findSecretLeaks(broken.text, cred)).toEqual([]);
    expect((await env.status())[0]).toMatchObject({ id: broken.json.id, status: 'failed', message: broken.json.message });

    // the templates directory gone: shop's definition still names the repository, so its event is
    // queued and its sync fails naming the error; a repository that matches nothing fails at once
    fs.writeFileSync(path.join(jobsDir, 'shop.yaml'), good);
    fs.renameSync(templatesDir, templatesDir + '-away');
    const matched = await env.post('github-push', push);
    expect(matched.json.status).toBe('queued');
    await env.service.idle();
    expect((await env.status())[0]).toMatchObject({ id: matched.json.id, status: 'failed', message: expect.stringMatching(/^the definitions have errors, nothing was synced: job-templates: error: cannot read the templates directory .*: it does not exist/) });
    const elsewhere = new GitRemote(env.root, 'elsewhere');
    elsewhere.push('main');
    const noTemplates = await env.post('github-push', pointedAt('github-push', elsewhere.url));
    expect(noTemplates.json.status).toBe('failed');
    expect(noTemplates.json.message).toMatch(/\(nothing was synced\): job-templates: error: cannot read the templates directory .*: it does not exist/);
    fs.renameSync(templatesDir + '-away', templatesDir);

    // the jobs directory gone
    fs.renameSync(jobsDir, jobsDir + '-away');
    const noJobs = await env.post('github-push', push);
    expect(noJobs.json.status).toBe('failed');
    expect(noJobs.json.message).toMatch(/\(nothing was synced\): jobs: error: cannot read the jobs directory .*: it does not exist/);
    await env.service.idle();
    expect(env.batches.map((b) => b.result.ok)).toEqual([false]);
    expect(await env.jobs()).toEqual(new Map());

    // loading again: the same event is matched and synced
    fs.renameSync(jobsDir + '-away', jobsDir);
    const fixed = await env.post('github-push', push);
    expect(fixed.json.status).toBe('queued');
    await env.service.idle();
    expect((await env.status())[0]).toMatchObject({ status: 'done' });
    expect((await env.jobs()).has(job('shop', 'feature/x'))).toBe(true);
    const texts = [JSON.stringify(await env.status()), await (await fetch(`${env.server.url}/hooks/status`, { headers: { accept: 'text/html' } })).text()];
    for (const t of texts) expect(findSecretLeaks(t, cred)).toEqual([]);
  });

  it('an event for a repository the loading definitions do name is queued, and its sync fails naming the error (as before)', async () => {
    env = await hookEnv();
    const a = new GitRemote(env.root, 'a');
    a.push('main');
    env.define('alpha', a.url);
    fs.writeFileSync(path.join(env.defs.work, 'jobs', 'broken.yaml'), 'project: broken\ntemplates: [\n');
    const r = await env.post('github-push', pointedAt('github-push', a.url));
    expect(r.json.status).toBe('queued');
    await env.service.idle();
    expect((await env.status())[0]).toMatchObject({ status: 'failed', message: expect.stringMatching(/^the definitions have errors, nothing was synced: jobs\/broken\.yaml:\d+:\d+: error: /) });
  });
});
