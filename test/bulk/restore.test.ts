import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterEach, describe, expect, it } from 'vitest';
import { backupJenkins } from '../../src/bulk/backup-jenkins.js';
import { backupToGit } from '../../src/bulk/backup-git.js';
import { runRestore, type RestoreOptions } from '../../src/bulk/run-restore.js';
import { loadWorkspace } from '../../src/load/workspace.js';
import { renderWorkspace } from '../../src/render/render-workspace.js';
import { listViewConfig } from '../../src/plan/list-view-config.js';
import { sameConfig } from '../../src/plan/same-job-config.js';
import { parseMarker } from '../../src/plan/marker.js';
import { repoRoot } from '../helpers/cli.js';
import { corpusXml, FOLDER_XML, startLive, type Live } from './live-helpers.js';

const clock = { now: () => new Date('2026-11-25T10:00:00Z') };
const lives: Live[] = [];
afterEach(async () => {
  for (const l of lives.splice(0)) await l.close();
});
async function live(): Promise<Live> {
  const l = await startLive({ configGet: 'verbatim' });
  lives.push(l);
  return l;
}
const opts = (from: string, o: Partial<RestoreOptions> = {}): RestoreOptions => ({ from, only: [], overwrite: false, apply: true, concurrency: 4, clock, ...o });

async function seed(l: Live): Promise<void> {
  await l.client.createJob('team-a', FOLDER_XML);
  await l.client.createJob('team-a/deep', FOLDER_XML);
  await l.client.createJob('team-a/deep/pipe', corpusXml('039-osc-image-proxy.xml'));
  await l.client.createJob('team-a/mips', corpusXml('012-freebsd-head-mips32-be.xml'));
  await l.client.createJob('tor-win', corpusXml('007-tor-ci-windows.xml'));
  await l.client.createJob('maven', corpusXml('028-eea-2011-cr2.xml'));
  await l.client.createView('Legacy', listViewConfig('Legacy', ['tor-win', 'maven']));
}

describe('jobsmith restore from a backup', () => {
  it('recreates jobs, nested folders and views on an empty Jenkins; a second run has nothing to do', async () => {
    const src = await live();
    await seed(src);
    const dir = path.join(src.tmp, 'backup');
    await backupJenkins(src.client, dir, { concurrency: 4 });

    const dst = await live();
    const r = await runRestore(dst.client, opts(dir));
    expect(r.kind).toBe('backup');
    expect(r.applied!.failed).toEqual([]);
    expect(r.plan!.summary.create).toBe(7);
    for (const name of ['team-a', 'team-a/deep', 'team-a/deep/pipe', 'team-a/mips', 'tor-win', 'maven']) {
      expect(sameConfig(await dst.client.getConfig(name), await src.client.getConfig(name))).toBe(true);
    }
    const views = await dst.client.listViews();
    expect(views.find((v) => v.name === 'Legacy')!.jobs.sort()).toEqual(['maven', 'tor-win']);

    const again = await runRestore(dst.client, opts(dir));
    expect(again.plan!.summary.create).toBe(0);
    expect(again.applied!.succeeded).toEqual([]);
  });

  it('onto a partial Jenkins: creates only what is missing, leaves the rest (or overwrites with --overwrite); --only', async () => {
    const src = await live();
    await seed(src);
    const dir = path.join(src.tmp, 'backup');
    await backupJenkins(src.client, dir, { concurrency: 4 });
    const dst = await live();
    await dst.client.createJob('tor-win', corpusXml('011-osc-container.xml'));

    const onlyDeep = await runRestore(dst.client, opts(dir, { only: ['team-a/deep/**'] }));
    expect(onlyDeep.applied!.succeeded.map((c) => c.fullName).sort()).toEqual(['team-a', 'team-a/deep', 'team-a/deep/pipe']);
    expect((await dst.client.list()).items.map((i) => i.fullName).sort()).toEqual(['team-a', 'team-a/deep', 'team-a/deep/pipe', 'tor-win']);

    const r = await runRestore(dst.client, opts(dir));
    // compared with the backup, and said so: it differs, and is kept without --overwrite (it was listed "unchanged")
    expect(r.plan!.changes.find((c) => c.fullName === 'tor-win')).toMatchObject({
      kind: 'keep',
      reason: 'exists in Jenkins: restore changes existing items only with --overwrite (would: update, differs from the backup)',
    });
    // what is the same as the backup is "unchanged", and says why
    expect(r.plan!.changes.find((c) => c.fullName === 'team-a/deep/pipe')).toMatchObject({ kind: 'unchanged', reason: 'same as the backup' });
    expect(await dst.client.getConfig('tor-win')).toContain('<project>');
    expect(sameConfig(await dst.client.getConfig('tor-win'), corpusXml('011-osc-container.xml'))).toBe(true);

    const o = await runRestore(dst.client, opts(dir, { overwrite: true }));
    expect(o.plan!.changes.find((c) => c.fullName === 'tor-win')!.kind).toBe('update');
    expect(o.plan!.summary.delete).toBe(0);
    expect(sameConfig(await dst.client.getConfig('tor-win'), await src.client.getConfig('tor-win'))).toBe(true);
  });

  it('--overwrite with --only compares the folders that come along, and never changes them (they are created only when missing)', async () => {
    const src = await live();
    await seed(src);
    const dir = path.join(src.tmp, 'backup');
    await backupJenkins(src.client, dir, { concurrency: 4 });
    const dst = await live();
    await dst.client.createJob('team-a', await src.client.getConfig('team-a'));
    await dst.client.createJob('team-a/deep', FOLDER_XML.replace('<description></description>', '<description>edited</description>'));
    const r = await runRestore(dst.client, opts(dir, { only: ['team-a/deep/pipe'], overwrite: true, apply: false }));
    const byName = Object.fromEntries(r.plan!.changes.map((c) => [c.fullName, [c.kind, c.reason]]));
    expect(byName['team-a']).toEqual(['unchanged', 'same as the backup']);
    expect(byName['team-a/deep']).toEqual(['keep', 'exists in Jenkins; restore --only creates the folders it needs when missing, and changes one only when --only matches it']);
    expect(byName['team-a/deep/pipe']).toEqual(['create', 'missing in Jenkins; restored from the backup']);
  });

  it('views: a folder created from the backup brings its views (said on the folder\'s line); an existing view is compared, never changed', async () => {
    const src = await live();
    await seed(src);
    await src.client.createView('Team', listViewConfig('Team', ['mips']), 'team-a');
    const dir = path.join(src.tmp, 'backup');
    await backupJenkins(src.client, dir, { concurrency: 4 });

    const empty = await live();
    const dry = await runRestore(empty.client, opts(dir, { apply: false }));
    // no line for a folder's view before its folder exists: the folder's config carries it
    expect(dry.plan!.changes.filter((c) => c.target === 'view').map((c) => [c.kind, c.fullName])).toEqual([['create', 'Legacy'], ['unchanged', 'all']]);
    expect(dry.plan!.changes.find((c) => c.fullName === 'team-a')).toMatchObject({ kind: 'create', reason: 'missing in Jenkins; restored from the backup, with its view Team' });
    await runRestore(empty.client, opts(dir));
    expect((await empty.client.listViews('team-a')).find((v) => v.name === 'Team')!.jobs).toEqual(['team-a/mips']);

    // Legacy now differs from the backup: kept (restore never changes a view), and said so
    await empty.client.updateViewConfig('Legacy', listViewConfig('Legacy', ['maven']));
    const again = await runRestore(empty.client, opts(dir, { apply: false, overwrite: true }));
    expect(again.plan!.changes.find((c) => c.fullName === 'Legacy')).toMatchObject({ kind: 'keep', reason: 'exists in Jenkins: restore never changes an existing view (differs from the backup)' });
    expect(again.plan!.changes.find((c) => c.fullName === 'team-a/Team')).toMatchObject({ kind: 'unchanged', reason: 'same as the backup' });
  });

  it('--only that matches nothing of the backup, or is empty, is a usage error and nothing is done', async () => {
    const src = await live();
    await seed(src);
    const dir = path.join(src.tmp, 'backup');
    await backupJenkins(src.client, dir, { concurrency: 4 });
    const dst = await live();
    await expect(runRestore(dst.client, opts(dir, { only: ['tor-win', 'no-such-*'] }))).rejects.toThrow('--only "no-such-*" matches no item or view of the backup; nothing was done');
    await expect(runRestore(dst.client, opts(dir, { only: [''] }))).rejects.toThrow('--only was given an empty pattern');
    await expect(runRestore(dst.client, opts(repoRoot, { only: ['nope'] }))).rejects.toThrow('--only "nope" matches no project and no job of these definitions; nothing was done');
    expect((await dst.client.list()).items).toEqual([]);
  });

  it('a malformed file in the backup: diagnostics with file and line, nothing created', async () => {
    const src = await live();
    await seed(src);
    const dir = path.join(src.tmp, 'backup');
    await backupJenkins(src.client, dir, { concurrency: 4 });
    writeFileSync(path.join(dir, 'jobs/maven/config.xml'), '<maven2-moduleset>\n  <a>\n</maven2-moduleset>');
    const dst = await live();
    const r = await runRestore(dst.client, opts(dir));
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', file: path.join(dir, 'jobs/maven/config.xml'), line: 3 });
    expect((await dst.client.list()).items).toEqual([]);
  });

  it('a failure while applying is reported per item; jobs under a failed folder are skipped', async () => {
    const src = await live();
    await seed(src);
    const dir = path.join(src.tmp, 'backup');
    await backupJenkins(src.client, dir, { concurrency: 4 });
    const dst = await live();
    dst.standin.faults.set({ errors: { 'POST createItem': { status: 500, times: 1 } } });
    const r = await runRestore(dst.client, opts(dir, { concurrency: 1 }));
    expect(r.applied!.failed.map((f) => f.change.fullName)).toEqual(['team-a']);
    expect(r.applied!.skipped.map((f) => f.change.fullName).sort()).toEqual(['team-a/deep', 'team-a/deep/pipe', 'team-a/mips']);
    dst.standin.faults.clear();
    const again = await runRestore(dst.client, opts(dir));
    expect(again.applied!.failed).toEqual([]);
    expect((await dst.client.list()).items).toHaveLength(6);
  });

  it('from the backup git repository at an old revision brings back a deleted job', async () => {
    const src = await live();
    await seed(src);
    const repo = path.join(src.tmp, 'backup-repo');
    await backupToGit(src.client, repo, { concurrency: 4, clock });
    await src.client.deleteJob('maven');
    await backupToGit(src.client, repo, { concurrency: 4, clock });
    const r = await runRestore(src.client, opts(repo, { revision: 'HEAD~1', only: ['maven'] }));
    expect(r.applied!.succeeded.map((c) => c.fullName)).toEqual(['maven']);
    expect(sameConfig(await src.client.getConfig('maven'), corpusXml('028-eea-2011-cr2.xml'))).toBe(true);
    await expect(runRestore(src.client, opts(repo, { revision: 'no-such-rev' }))).rejects.toThrow(/no revision/);
  });
});

describe('jobsmith restore from the definitions at a git revision', () => {
  it('renders the definitions as they were at REV (no checkout) and creates the missing jobs, managed', async () => {
    const l = await live();
    const repo = path.join(l.tmp, 'defs');
    mkdirSync(repo);
    cpSync(path.join(repoRoot, 'job-templates'), path.join(repo, 'job-templates'), { recursive: true });
    cpSync(path.join(repoRoot, 'jobs'), path.join(repo, 'jobs'), { recursive: true });
    const g = simpleGit(repo);
    await g.init();
    await g.addConfig('user.email', 't@example.com').addConfig('user.name', 'test');
    await g.add('.').commit('definitions v1');
    const v1 = (await g.revparse(['HEAD'])).trim();
    rmSync(path.join(repo, 'jobs/billing.yaml'));
    await g.add('.').commit('billing retired');
    // Uncommitted junk in the work tree must not matter: the revision is read from git.
    writeFileSync(path.join(repo, 'jobs/broken.yaml'), 'project: [');

    const loaded = await loadWorkspace({ templatesDir: path.join(repoRoot, 'job-templates'), jobsDir: path.join(repoRoot, 'jobs') });
    const expected = renderWorkspace(loaded.workspace).desired.jobs.map((j) => j.fullName).sort();
    expect(expected.some((n) => n.startsWith('finance/'))).toBe(true);

    const r = await runRestore(l.client, opts(repo, { revision: v1 }));
    expect(r.kind).toBe('definitions');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.plan!.summary.delete).toBe(0);
    expect(r.applied!.failed).toEqual([]);
    const items = (await l.client.list()).items;
    const jobs = items.filter((i) => !i.isFolder);
    expect(jobs.map((i) => i.fullName).sort()).toEqual(expected);
    for (const j of jobs) expect(parseMarker(j.description)).toBeDefined();

    // The definitions at HEAD (billing gone): nothing is deleted by restore.
    const head = await runRestore(l.client, opts(repo, { revision: 'HEAD' }));
    expect(head.plan!.summary.delete).toBe(0);
    expect(head.plan!.summary.create).toBe(0);
    expect((await l.client.list()).items.filter((i) => !i.isFolder)).toHaveLength(expected.length);
  });
});
