/**
 * The owner id (jobsmith.yaml owner:, the normalised git remote, or `default`) and the upstream
 * check that holds deletions of a stale checkout, with real git repositories and bare remotes.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configuredOwner, directoryOwner, normaliseRemoteUrl, resolveOwner } from '../../src/sync/owner-id.js';
import { checkUpstream } from '../../src/sync/upstream-check.js';
import { projectHistory } from '../../src/sync/project-history.js';
import { git } from '../form/git-fixtures.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-owner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A bare remote with one commit (jobs/a.yaml) and a clone `name` of it. */
function remoteWithClone(name: string): { bare: string; clone: (n: string) => string; work: string } {
  const bare = path.join(root, `${name}.git`);
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  const seed = path.join(root, `${name}-seed`);
  git(root, 'init', '--quiet', '--initial-branch=main', seed);
  mkdirSync(path.join(seed, 'jobs'));
  writeFileSync(path.join(seed, 'jobs', 'a.yaml'), 'templates: [T]\n');
  git(seed, 'add', '.');
  git(seed, 'commit', '--quiet', '-m', 'seed');
  git(seed, 'remote', 'add', 'origin', bare);
  git(seed, 'push', '--quiet', 'origin', 'main');
  const clone = (n: string): string => {
    const dir = path.join(root, n);
    git(root, 'clone', '--quiet', bare, dir);
    return dir;
  };
  return { bare, clone, work: clone(`${name}-work`) };
}

function commitFile(dir: string, rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
  git(dir, 'add', rel);
  git(dir, 'commit', '--quiet', '-m', `add ${rel}`);
}

describe('owner id', () => {
  it.each([
    ['git@GitHub.com:Acme/CI-jobs.git', 'github.com/Acme/CI-jobs'],
    ['ssh://git@github.com:22/Acme/CI-jobs.git/', 'github.com/Acme/CI-jobs'],
    ['https://user:s3cret@GITHUB.com/Acme/CI-jobs.git', 'github.com/Acme/CI-jobs'],
    ['https://github.com/Acme/CI-jobs', 'github.com/Acme/CI-jobs'],
    ['HTTP://GitHub.COM:8080/Acme/CI-jobs/', 'github.com/Acme/CI-jobs'],
    ['git://github.com/Acme/CI-jobs.git?x=1#frag', 'github.com/Acme/CI-jobs'],
    ['git+ssh://git@github.com/Acme/CI-jobs', 'github.com/Acme/CI-jobs'],
    ['https://gitlab.example/group/sub/my%20repo.git', 'gitlab.example/group/sub/my repo'],
    ['file:///srv/git/defs.git', 'file:/srv/git/defs.git'],
    ['/srv/git/defs.git/', 'file:/srv/git/defs.git'],
    ['../defs', 'file:/base/defs'],
    ['/srv/defs/.git', 'file:/srv/defs'],
  ])('%s -> %s', (url, owner) => {
    expect(normaliseRemoteUrl(url, '/base/work')).toBe(owner.replace('file:/base/defs', `file:${path.resolve('/base/work', '../defs')}`));
  });

  it('never keeps credentials', () => {
    for (const url of ['https://bob:tok3n-XYZ@host/a/b.git', 'ssh://bob:tok3n-XYZ@host:2222/a/b', 'bob@host:a/b.git']) {
      const o = normaliseRemoteUrl(url, '/');
      expect(o).toBe('host/a/b');
      expect(o).not.toContain('tok3n');
      expect(o).not.toContain('bob');
    }
  });

  it('every clone of one repository agrees, whatever URL form it was cloned with; a plain directory is its own owner', async () => {
    const r = remoteWithClone('owner-same');
    const other = r.clone('owner-same-2');
    git(other, 'remote', 'set-url', 'origin', `file://${r.bare}`);
    const a = await resolveOwner({ jobsDir: path.join(r.work, 'jobs'), cwd: r.work });
    const b = await resolveOwner({ jobsDir: 'jobs', cwd: other });
    expect(a.owner).toBe(`file:${r.bare}`);
    expect(b.owner).toBe(a.owner);
    expect(a.from).toBe('git remote origin');
    const plain = path.join(root, 'plain');
    mkdirSync(path.join(plain, 'jobs'), { recursive: true });
    // break-a 4: two plain directories used to share the owner `default` (one's sync deleted the other's jobs)
    expect(await resolveOwner({ jobsDir: 'jobs', cwd: plain })).toEqual({ owner: `dir:${realpathSync(plain)}/jobs`, from: 'the definitions directory (no git remote)', diagnostics: [] });
    // the same directory reached another way (relative, through a link) is the same owner
    symlinkSync(plain, path.join(root, 'plain-link'));
    expect((await resolveOwner({ jobsDir: 'plain-link/jobs', cwd: root })).owner).toBe(`dir:${realpathSync(plain)}/jobs`);
    // a repository without a remote is a plain directory too
    const lonely = path.join(root, 'lonely');
    git(root, 'init', '--quiet', lonely);
    mkdirSync(path.join(lonely, 'jobs'));
    expect((await resolveOwner({ jobsDir: 'jobs', cwd: lonely })).owner).toBe(`dir:${realpathSync(lonely)}/jobs`);
    // an owner id fits a marker field: a very deep directory keeps the end of its path and a hash of the whole
    const deep = path.join(root, ...Array.from({ length: 12 }, (_, i) => `level-${i}-${'d'.repeat(20)}`), 'jobs');
    mkdirSync(deep, { recursive: true });
    const deepOwner = directoryOwner(deep);
    expect(deepOwner.length).toBeLessThanOrEqual(200);
    expect(deepOwner).toMatch(/^dir:….*level-11-d+\/jobs#[0-9a-f]{16}$/);
    expect(directoryOwner(path.join(deep, '..', 'jobs'))).toBe(deepOwner);
  });

  it('two definitions directories in one repository are two owners', async () => {
    const r = remoteWithClone('owner-mono');
    mkdirSync(path.join(r.work, 'team-b', 'jobs'), { recursive: true });
    const a = await resolveOwner({ jobsDir: 'jobs', cwd: r.work });
    const b = await resolveOwner({ jobsDir: 'team-b/jobs', cwd: r.work });
    expect(b.owner).toBe(`${a.owner}#team-b/jobs`);
  });

  it('owner: in jobsmith.yaml wins; a bad one is an error with file and line', async () => {
    const r = remoteWithClone('owner-config');
    writeFileSync(path.join(r.work, 'jobsmith.yaml'), 'jenkins:\n  url: http://x/\nowner: acme/ci-jobs\n');
    expect(await resolveOwner({ jobsDir: 'jobs', cwd: r.work })).toEqual({ owner: 'acme/ci-jobs', from: 'jobsmith.yaml', diagnostics: [] });
    for (const [text, line, msg] of [
      ['owner: ""\n', 1, /non-empty/],
      ['jenkins: {}\nowner: [a, b]\n', 2, /non-empty text/],
      [`owner: "${'x'.repeat(201)}"\n`, 1, /at most 200/],
      ['owner: "a\\tb"\n', 1, /control/],
    ] as const) {
      writeFileSync(path.join(r.work, 'jobsmith.yaml'), text);
      const got = await configuredOwner({ cwd: r.work });
      expect(got.owner).toBeUndefined();
      expect(got.diagnostics).toHaveLength(1);
      expect(got.diagnostics[0]).toMatchObject({ severity: 'error', code: 'bad-owner', file: 'jobsmith.yaml', line, field: 'owner' });
      expect(got.diagnostics[0]!.message).toMatch(msg);
    }
    expect((await configuredOwner({ cwd: r.work, config: 'nope.yaml' })).diagnostics[0]).toMatchObject({ severity: 'error', code: 'config-missing' });
  });

  it('owner: is read beside the definitions, whatever the working directory (the web form and the master job agree)', async () => {
    const r = remoteWithClone('owner-beside');
    writeFileSync(path.join(r.work, 'jobsmith.yaml'), 'owner: acme/ci-jobs\n');
    const elsewhere = path.join(root, 'owner-beside-cwd');
    mkdirSync(elsewhere);
    writeFileSync(path.join(elsewhere, 'jobsmith.yaml'), 'owner: not-this-one\n');
    const got = await resolveOwner({ jobsDir: path.join(r.work, 'jobs'), cwd: elsewhere });
    expect(got.owner).toBe('acme/ci-jobs');
    expect(got.from).toBe(path.join(r.work, 'jobsmith.yaml'));
    // --config names the file explicitly: its owner wins, and a warning says it overrides the one beside the definitions
    const overridden = await resolveOwner({ jobsDir: path.join(r.work, 'jobs'), cwd: elsewhere, config: 'jobsmith.yaml' });
    expect(overridden.owner).toBe('not-this-one');
    expect(overridden.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'owner-overridden', file: 'jobsmith.yaml', message: `owner not-this-one here overrides owner acme/ci-jobs in ${path.join(r.work, 'jobsmith.yaml')} beside the definitions: this run manages not-this-one's jobs, not acme/ci-jobs's` }),
    ]);
  });

  it('a --config file without owner: (connection settings) keeps the owner written beside the definitions (finding 15)', async () => {
    const r = remoteWithClone('owner-connection-file');
    writeFileSync(path.join(r.work, 'jobsmith.yaml'), 'owner: team-a\n');
    const conn = path.join(root, 'owner-connection.yaml');
    writeFileSync(conn, 'jenkins:\n  timeout: 30\n');
    expect(await resolveOwner({ jobsDir: 'jobs', cwd: r.work, config: conn })).toEqual({ owner: 'team-a', from: 'jobsmith.yaml', diagnostics: [] });
    // a --config file that is the one beside the definitions is read once, without a warning
    expect(await resolveOwner({ jobsDir: 'jobs', cwd: r.work, config: 'jobsmith.yaml' })).toEqual({ owner: 'team-a', from: 'jobsmith.yaml', diagnostics: [] });
    // neither file gives one: the git remote
    writeFileSync(path.join(r.work, 'jobsmith.yaml'), 'jenkins:\n  url: http://x/\n');
    expect((await resolveOwner({ jobsDir: 'jobs', cwd: r.work, config: conn })).from).toBe('git remote origin');
  });

  it('owner: written with a quoted key, or as JSON (both YAML), is read (finding 15)', async () => {
    const r = remoteWithClone('owner-quoted');
    for (const text of ['"owner": team-a\n', "'owner': team-a\n", '{"jenkins": {"timeout": 30}, "owner": "team-a"}\n', 'jenkins:\n  timeout: 30\n"owner": "team-a"\n']) {
      writeFileSync(path.join(r.work, 'jobsmith.yaml'), text);
      expect(await resolveOwner({ jobsDir: 'jobs', cwd: r.work })).toEqual({ owner: 'team-a', from: 'jobsmith.yaml', diagnostics: [] });
    }
    // a bad one written so is an error like any other
    writeFileSync(path.join(r.work, 'jobsmith.yaml'), '{"owner": ""}\n');
    expect((await resolveOwner({ jobsDir: 'jobs', cwd: r.work })).diagnostics).toEqual([expect.objectContaining({ code: 'bad-owner', file: 'jobsmith.yaml', line: 1 })]);
  });
});

describe('upstream check', () => {
  it('current when HEAD contains the upstream head; behind by N when fetched but not merged; head unknown when not fetched', async () => {
    const r = remoteWithClone('up-behind');
    const other = r.clone('up-behind-other');
    expect(await checkUpstream(path.join(r.work, 'jobs'))).toEqual({ status: 'current', upstream: 'origin/main' });
    commitFile(other, 'jobs/b.yaml', 'templates: [T]\n');
    commitFile(other, 'jobs/c.yaml', 'templates: [T]\n');
    git(other, 'push', '--quiet', 'origin', 'main');
    const unknown = await checkUpstream(path.join(r.work, 'jobs'));
    expect(unknown.status).toBe('stale');
    expect(unknown.status === 'stale' && unknown.message).toMatch(/^the definitions are behind origin\/main \(its head [0-9a-f]{7} is not in this checkout\): pull first, or pass --allow-stale$/);
    git(r.work, 'fetch', '--quiet');
    expect(await checkUpstream(path.join(r.work, 'jobs'))).toEqual({ status: 'stale', upstream: 'origin/main', message: 'the definitions are behind origin/main by 2 commits: pull first, or pass --allow-stale' });
    commitFile(r.work, 'jobs/local.yaml', 'templates: [T]\n');
    expect(await checkUpstream(path.join(r.work, 'jobs'))).toEqual({ status: 'stale', upstream: 'origin/main', message: 'the definitions have diverged from origin/main (2 commits behind, 1 ahead): pull first, or pass --allow-stale' });
    git(r.work, 'pull', '--quiet', '--no-rebase', '--no-edit', 'origin', 'main');
    expect((await checkUpstream(path.join(r.work, 'jobs'))).status).toBe('current'); // ahead is fine
  });

  it('an upstream branch deleted on the remote cannot be checked: stale', async () => {
    const r = remoteWithClone('up-deleted');
    git(r.work, 'checkout', '--quiet', '-b', 'feature');
    git(r.work, 'push', '--quiet', '-u', 'origin', 'feature');
    expect(await checkUpstream(path.join(r.work, 'jobs'))).toEqual({ status: 'current', upstream: 'origin/feature' });
    git(r.work, 'push', '--quiet', 'origin', '--delete', 'feature');
    expect(await checkUpstream(path.join(r.work, 'jobs'))).toEqual({ status: 'stale', upstream: 'origin/feature', message: 'origin/feature no longer exists on the remote, so it cannot be checked that the definitions are current: push this branch again or switch to one the remote has, or pass --allow-stale' });
  });

  it("a branch with an upstream of its own must also contain the remote's default branch (finding 9)", async () => {
    const r = remoteWithClone('up-feature');
    const other = r.clone('up-feature-other');
    git(r.work, 'checkout', '--quiet', '-b', 'feature');
    git(r.work, 'push', '--quiet', '-u', 'origin', 'feature');
    expect(await checkUpstream(path.join(r.work, 'jobs'))).toEqual({ status: 'current', upstream: 'origin/feature' });
    // main moves on after the branch point
    commitFile(other, 'jobs/extra.yaml', 'templates: [T]\n');
    git(other, 'push', '--quiet', 'origin', 'main');
    const unfetched = await checkUpstream(path.join(r.work, 'jobs'));
    expect(unfetched.status === 'stale' && unfetched.message).toMatch(/^the definitions do not contain origin\/main \(the remote's default branch\): its head [0-9a-f]{7} is not in this checkout: fetch, then merge origin\/main into this branch first \(or sync from origin\/main\), or pass --allow-stale$/);
    git(r.work, 'fetch', '--quiet');
    expect(await checkUpstream(path.join(r.work, 'jobs'))).toEqual({ status: 'stale', upstream: 'origin/feature', message: "the definitions lack 1 commit of origin/main (the remote's default branch): merge origin/main into this branch first (or sync from origin/main), or pass --allow-stale" });
    git(r.work, 'merge', '--quiet', '--no-edit', 'origin/main');
    git(r.work, 'push', '--quiet');
    expect(await checkUpstream(path.join(r.work, 'jobs'))).toEqual({ status: 'current', upstream: 'origin/feature' });
  });

  it('a detached checkout (CI) compares with the remote default branch', async () => {
    const r = remoteWithClone('up-detached');
    const first = git(r.work, 'rev-parse', 'HEAD');
    commitFile(r.work, 'jobs/b.yaml', 'templates: [T]\n');
    git(r.work, 'push', '--quiet', 'origin', 'main');
    git(r.work, 'checkout', '--quiet', '--detach', 'HEAD');
    expect(await checkUpstream(path.join(r.work, 'jobs'))).toEqual({ status: 'current', upstream: 'origin/main' });
    git(r.work, 'checkout', '--quiet', '--detach', first);
    expect(await checkUpstream(path.join(r.work, 'jobs'))).toMatchObject({ status: 'stale', message: 'the definitions are behind origin/main by 1 commit: pull first, or pass --allow-stale' });
  });

  it('an unreachable remote holds deletions (unknown), and its URL credentials never show', async () => {
    const r = remoteWithClone('up-gone');
    git(r.work, 'remote', 'set-url', 'origin', 'https://bob:tok3n-XYZ@127.0.0.1:9/nowhere.git');
    const f = await checkUpstream(path.join(r.work, 'jobs'), { timeoutMs: 5000 });
    expect(f.status).toBe('unknown');
    expect(f.status === 'unknown' && f.message).toMatch(/^cannot check that the definitions are current: git ls-remote origin failed \(.+\); deletions are held: pull first, or pass --allow-stale$/);
    expect(JSON.stringify(f)).not.toContain('tok3n');
  });

  it('plain directories and repositories without a remote have nothing to check', async () => {
    const plain = path.join(root, 'up-plain');
    mkdirSync(path.join(plain, 'jobs'), { recursive: true });
    expect((await checkUpstream(path.join(plain, 'jobs'))).status).toBe('no-upstream');
    const lonely = path.join(root, 'up-lonely');
    git(root, 'init', '--quiet', lonely);
    mkdirSync(path.join(lonely, 'jobs'));
    expect(await checkUpstream(path.join(lonely, 'jobs'))).toEqual({ status: 'no-upstream', why: 'the repository has no remote' });
  });
});

describe('project history (finding 14)', () => {
  it('the definition files any commit of HEAD had, by project name; none for plain directories and shallow clones', async () => {
    const r = remoteWithClone('hist');
    commitFile(r.work, 'jobs/b.yaml', 'templates: [T]\n');
    commitFile(r.work, 'jobs/_defaults.yaml', 'tokens: {}\n');
    commitFile(r.work, 'other/c.yaml', 'x: 1\n');
    git(r.work, 'rm', '--quiet', 'jobs/b.yaml');
    git(r.work, 'commit', '--quiet', '-m', 'b goes');
    expect([...(await projectHistory(path.join(r.work, 'jobs')))!].sort()).toEqual(['a', 'b']);
    // an uncommitted definition is not history
    writeFileSync(path.join(r.work, 'jobs', 'new.yaml'), 'templates: [T]\n');
    expect([...(await projectHistory(path.join(r.work, 'jobs')))!].sort()).toEqual(['a', 'b']);
    const plain = path.join(root, 'hist-plain');
    mkdirSync(path.join(plain, 'jobs'), { recursive: true });
    expect(await projectHistory(path.join(plain, 'jobs'))).toBeUndefined();
    git(r.work, 'push', '--quiet', 'origin', 'main');
    const shallow = path.join(root, 'hist-shallow');
    git(root, 'clone', '--quiet', '--depth', '1', `file://${r.bare}`, shallow);
    expect(git(shallow, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
    expect(await projectHistory(path.join(shallow, 'jobs'))).toBeUndefined();
  });
});
