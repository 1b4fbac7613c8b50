import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DefinitionsStore } from '../../src/form/definitions-store.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { git, makeDefinitionsRepo, type DefinitionsRepo } from './git-fixtures.js';

const identity = { name: 'jobsmith bot', email: 'bot@example.test' };
const ok = async (): Promise<Diagnostic[]> => [];
const seedFiles = { 'jobs/existing.yaml': 'templates: [A]\n', 'job-templates/A-config.xml': '<project/>\n' };

let repo: DefinitionsRepo;
afterEach(() => repo?.cleanup());

function remoteLog(): string {
  return git(repo.bare, 'log', '--format=%an <%ae>|%cn|%s', 'main');
}
function remoteFiles(): string[] {
  return git(repo.bare, 'ls-tree', '-r', '--name-only', 'main').split('\n');
}
function pushFromOtherClone(name: string, file: string, text: string): void {
  const other = repo.clone(name);
  writeFileSync(path.join(other, file), text);
  git(other, 'add', file);
  git(other, 'commit', '--quiet', '-m', `other: ${file}`);
  git(other, 'push', '--quiet', 'origin', 'main');
}

describe('DefinitionsStore', () => {
  it('writes, commits with a message naming the project and the form user as author, and pushes', async () => {
    repo = makeDefinitionsRepo(seedFiles);
    const store = new DefinitionsStore({ dir: repo.work, identity });
    const seen: Array<{ file: string; text: string }> = [];
    const out = await store.submit({
      project: 'payments',
      text: 'templates: [A]\n',
      author: { name: 'Ada Dev', email: 'ada@example.test' },
      validate: async (o) => (seen.push(o), []),
    });
    expect(out.kind).toBe('committed');
    expect(seen).toEqual([{ file: path.join(repo.work, 'jobs/payments.yaml'), text: 'templates: [A]\n' }]);
    expect(remoteLog().split('\n')[0]).toBe('Ada Dev <ada@example.test>|jobsmith bot|Add project payments');
    expect(git(repo.bare, 'show', 'main:jobs/payments.yaml')).toBe('templates: [A]');
    expect(git(repo.work, 'status', '--porcelain')).toBe('');
  });

  it('uses the configured identity as author when the submission names none', async () => {
    repo = makeDefinitionsRepo(seedFiles);
    const out = await new DefinitionsStore({ dir: repo.work, identity }).submit({ project: 'p1', text: 'x: 1\n', validate: ok });
    expect(out.kind).toBe('committed');
    expect(remoteLog().split('\n')[0]).toBe('jobsmith bot <bot@example.test>|jobsmith bot|Add project p1');
  });

  it('refuses an existing project (case-insensitively) and writes nothing', async () => {
    repo = makeDefinitionsRepo(seedFiles);
    const before = remoteLog();
    const out = await new DefinitionsStore({ dir: repo.work, identity }).submit({ project: 'EXISTING', text: 'x: 1\n', validate: ok });
    expect(out).toMatchObject({ kind: 'exists' });
    expect(out.kind === 'exists' && out.message).toMatch(/already exists.*existing\.yaml/);
    expect(remoteLog()).toBe(before);
    expect(existsSync(path.join(repo.work, 'jobs/EXISTING.yaml'))).toBe(false);
  });

  it('refuses a project that exists only on the remote (pushed by someone else)', async () => {
    repo = makeDefinitionsRepo(seedFiles);
    pushFromOtherClone('other', 'jobs/newer.yaml', 'templates: [A]\n');
    const out = await new DefinitionsStore({ dir: repo.work, identity }).submit({ project: 'newer', text: 'mine\n', validate: ok });
    expect(out.kind).toBe('exists');
    expect(git(repo.bare, 'show', 'main:jobs/newer.yaml')).toBe('templates: [A]');
  });

  it('writes and commits nothing when validation reports errors, and passes warnings through', async () => {
    repo = makeDefinitionsRepo(seedFiles);
    const before = remoteLog();
    const store = new DefinitionsStore({ dir: repo.work, identity });
    const bad: Diagnostic = { severity: 'error', code: 'missing-token', message: 'no value', field: 'tokens.SCM.PATH' };
    const out = await store.submit({ project: 'p2', text: 'x\n', validate: async () => [bad] });
    expect(out).toEqual({ kind: 'invalid', diagnostics: [bad] });
    expect(existsSync(path.join(repo.work, 'jobs/p2.yaml'))).toBe(false);
    expect(remoteLog()).toBe(before);
    const warn: Diagnostic = { severity: 'warning', code: 'w', message: 'odd root' };
    const out2 = await store.submit({ project: 'p2', text: 'x\n', validate: async () => [warn] });
    expect(out2).toMatchObject({ kind: 'committed', warnings: [warn] });
  });

  it('rejects unsafe project names', async () => {
    repo = makeDefinitionsRepo(seedFiles);
    const out = await new DefinitionsStore({ dir: repo.work, identity }).submit({ project: '../evil', text: 'x\n', validate: ok });
    expect(out).toMatchObject({ kind: 'invalid', diagnostics: [{ field: 'project', code: 'bad-project-name' }] });
  });

  it('rejected push: fetches, rebases, re-validates and retries once', async () => {
    repo = makeDefinitionsRepo(seedFiles);
    let validations = 0;
    const out = await new DefinitionsStore({ dir: repo.work, identity }).submit({
      project: 'racer',
      text: 'templates: [A]\n',
      validate: async () => (validations++, []),
      // The remote moves on after our fetch, before our push.
      preflight: async () => (pushFromOtherClone('other', 'jobs/someone.yaml', 'templates: [A]\n'), []),
    });
    expect(out).toMatchObject({ kind: 'committed', retried: true, pushed: true });
    expect(validations).toBe(2);
    expect(remoteFiles()).toEqual(expect.arrayContaining(['jobs/racer.yaml', 'jobs/someone.yaml']));
    expect(remoteLog().split('\n').map((l) => l.split('|')[2])).toEqual(['Add project racer', 'other: jobs/someone.yaml', 'seed']);
  });

  it('rejected twice: a clear message and the working copy rolled back', async () => {
    repo = makeDefinitionsRepo(seedFiles);
    let n = 0;
    const out = await new DefinitionsStore({ dir: repo.work, identity }).submit({
      project: 'racer',
      text: 'templates: [A]\n',
      validate: async () => {
        if (n++ === 1) pushFromOtherClone('second', 'jobs/b.yaml', 'b\n');
        return [];
      },
      preflight: async () => (pushFromOtherClone('first', 'jobs/a.yaml', 'a\n'), []),
    });
    expect(out).toMatchObject({ kind: 'failed', stage: 'push' });
    expect(out.kind === 'failed' && out.message).toMatch(/rejected twice.*nothing was committed/);
    expect(remoteFiles()).not.toContain('jobs/racer.yaml');
    expect(existsSync(path.join(repo.work, 'jobs/racer.yaml'))).toBe(false);
    expect(git(repo.work, 'status', '--porcelain')).toBe('');
    expect(git(repo.work, 'log', '--format=%s', '-1')).not.toBe('Add project racer');
  });

  it('rejected push where someone else created the same project meanwhile: exists, rolled back', async () => {
    repo = makeDefinitionsRepo(seedFiles);
    const out = await new DefinitionsStore({ dir: repo.work, identity }).submit({
      project: 'twin',
      text: 'mine\n',
      validate: ok,
      preflight: async () => (pushFromOtherClone('other', 'jobs/Twin.yaml', 'theirs\n'), []),
    });
    expect(out.kind).toBe('exists');
    expect(git(repo.bare, 'show', 'main:jobs/Twin.yaml')).toBe('theirs');
    expect(existsSync(path.join(repo.work, 'jobs/twin.yaml'))).toBe(false);
    expect(git(repo.work, 'status', '--porcelain')).toBe('');
  });

  it('concurrent submissions for the same project: one commits, the other is refused cleanly', async () => {
    repo = makeDefinitionsRepo(seedFiles);
    const store = new DefinitionsStore({ dir: repo.work, identity });
    const slow = async (): Promise<Diagnostic[]> => (await new Promise((r) => setTimeout(r, 200)), []);
    const [a, b] = await Promise.all([
      store.submit({ project: 'dup', text: 'one\n', validate: slow }),
      store.submit({ project: 'DUP', text: 'two\n', validate: slow }),
    ]);
    const kinds = [a.kind, b.kind].sort();
    expect(kinds).toEqual(['busy', 'committed']);
    expect(git(repo.bare, 'log', '--format=%s', 'main').split('\n').filter((s) => /dup/i.test(s))).toHaveLength(1);
  });

  it('concurrent submissions for different projects are serialised and both land', async () => {
    repo = makeDefinitionsRepo(seedFiles);
    const store = new DefinitionsStore({ dir: repo.work, identity });
    const outs = await Promise.all(['p-a', 'p-b', 'p-c'].map((p) => store.submit({ project: p, text: `${p}\n`, validate: ok })));
    expect(outs.map((o) => o.kind)).toEqual(['committed', 'committed', 'committed']);
    expect(remoteFiles()).toEqual(expect.arrayContaining(['jobs/p-a.yaml', 'jobs/p-b.yaml', 'jobs/p-c.yaml']));
  });

  it('unreachable remote: a clear message, nothing written', async () => {
    repo = makeDefinitionsRepo(seedFiles);
    git(repo.work, 'remote', 'set-url', 'origin', 'https://user:s3cret@127.0.0.1:9/nowhere.git');
    const out = await new DefinitionsStore({ dir: repo.work, identity }).submit({ project: 'p3', text: 'x\n', validate: ok });
    expect(out).toMatchObject({ kind: 'failed', stage: 'fetch' });
    expect(out.kind === 'failed' && out.message).not.toContain('s3cret');
    expect(existsSync(path.join(repo.work, 'jobs/p3.yaml'))).toBe(false);
  });

  it('a failing preflight (e.g. Jenkins unreachable) writes nothing', async () => {
    repo = makeDefinitionsRepo(seedFiles);
    const before = remoteLog();
    const out = await new DefinitionsStore({ dir: repo.work, identity }).submit({
      project: 'p4',
      text: 'x\n',
      validate: ok,
      preflight: async () => {
        throw new Error('Jenkins at http://127.0.0.1:9 is unreachable');
      },
    });
    expect(out).toEqual({ kind: 'failed', stage: 'preflight', message: 'Jenkins at http://127.0.0.1:9 is unreachable' });
    expect(remoteLog()).toBe(before);
    expect(existsSync(path.join(repo.work, 'jobs/p4.yaml'))).toBe(false);
    expect(readFileSync(path.join(repo.work, 'jobs/existing.yaml'), 'utf8')).toBe('templates: [A]\n');
  });
});
