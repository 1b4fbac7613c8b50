import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterEach, describe, expect, it } from 'vitest';
import { backupJenkins } from '../../src/bulk/backup-jenkins.js';
import { backupToGit } from '../../src/bulk/backup-git.js';
import { listViewConfig } from '../../src/plan/list-view-config.js';
import { corpusXml, FOLDER_XML, startLive, type Live } from './live-helpers.js';

const clock = { now: () => new Date('2026-11-25T10:00:00Z') };
let live: Live | undefined;
afterEach(async () => {
  await live?.close();
  live = undefined;
});

async function seeded(): Promise<Live> {
  const l = await startLive({ configGet: 'verbatim' });
  await l.client.createJob('team-a', FOLDER_XML);
  await l.client.createJob('team-a/deep', FOLDER_XML);
  await l.client.createJob('team-a/deep/pipe', corpusXml('039-osc-image-proxy.xml'));
  await l.client.createJob('team-a/mips', corpusXml('012-freebsd-head-mips32-be.xml'));
  await l.client.createJob('tor-win', corpusXml('007-tor-ci-windows.xml'));
  await l.client.createView('Legacy', listViewConfig('Legacy', ['tor-win']));
  await l.client.createView('A', listViewConfig('A', ['mips']), 'team-a');
  return l;
}

describe('jobsmith backup', () => {
  it('writes every job, folder and view in JENKINS_HOME layout; a second run writes nothing', async () => {
    live = await seeded();
    const out = path.join(live.tmp, 'backup');
    const r = await backupJenkins(live.client, out, { concurrency: 4 });
    expect(r.failed).toEqual([]);
    for (const name of ['team-a', 'team-a/deep', 'team-a/deep/pipe', 'team-a/mips', 'tor-win']) {
      const file = path.join(out, 'jobs', ...name.split('/').flatMap((s, i) => (i === 0 ? [s] : ['jobs', s])), 'config.xml');
      expect(readFileSync(file, 'utf8')).toBe(await live.client.getConfig(name));
    }
    expect(readFileSync(path.join(out, 'views/Legacy.xml'), 'utf8')).toContain('<string>tor-win</string>');
    expect(readFileSync(path.join(out, 'jobs/team-a/views/A.xml'), 'utf8')).toContain('<string>mips</string>');
    expect(r.written).toBe(r.entries.length);
    const again = await backupJenkins(live.client, out, { concurrency: 4 });
    expect(again.written).toBe(0);
    expect(again.unchanged).toBe(r.entries.length);

    // A deleted job disappears from the backup; files that are not backup files stay.
    writeFileSync(path.join(out, 'README.txt'), 'mine');
    await live.client.deleteJob('team-a/deep/pipe');
    const third = await backupJenkins(live.client, out, { concurrency: 4 });
    expect(third.removed).toBe(1);
    expect(existsSync(path.join(out, 'jobs/team-a/jobs/deep/jobs/pipe'))).toBe(false);
    expect(existsSync(path.join(out, 'README.txt'))).toBe(true);
  });

  it('a failed listing writes nothing; a failed item keeps its previous file and is reported', async () => {
    live = await seeded();
    const out = path.join(live.tmp, 'backup');
    live.standin.faults.set({ errors: { 'GET api/json': { status: 500 } } });
    await expect(backupJenkins(live.client, out, { concurrency: 2 })).rejects.toThrow();
    expect(existsSync(out)).toBe(false);
    live.standin.faults.clear();
    await backupJenkins(live.client, out, { concurrency: 2 });
    const before = readFileSync(path.join(out, 'jobs/tor-win/config.xml'), 'utf8');
    await live.client.updateJob('tor-win', before.replace('<disabled>false</disabled>', '<disabled>true</disabled>'));
    live.standin.faults.set({ errors: { 'GET config.xml': { status: 500 } } });
    const r = await backupJenkins(live.client, out, { concurrency: 2 });
    expect(r.failed.length).toBeGreaterThan(0);
    expect(r.failed.map((f) => f.name)).toContain('tor-win');
    expect(r.removed).toBe(0);
    expect(readFileSync(path.join(out, 'jobs/tor-win/config.xml'), 'utf8')).toBe(before);
  });

  it('a listing that suddenly shows almost nothing does not empty the backup', async () => {
    live = await startLive({ configGet: 'verbatim' });
    for (let i = 0; i < 12; i++) await live.client.createJob(`j${i}`, corpusXml('011-osc-container.xml'));
    const out = path.join(live.tmp, 'backup');
    await backupJenkins(live.client, out, { concurrency: 4 });
    for (let i = 0; i < 12; i++) await live.client.deleteJob(`j${i}`);
    const r = await backupJenkins(live.client, out, { concurrency: 4 });
    expect(r.keptStale).toBe(12);
    expect(existsSync(path.join(out, 'jobs/j3/config.xml'))).toBe(true);
    const forced = await backupJenkins(live.client, out, { concurrency: 4, allowMassRemove: true });
    expect(forced.removed).toBe(12);
  });

  it('--git: one commit per run, none when nothing changed', async () => {
    live = await seeded();
    const repo = path.join(live.tmp, 'backup-repo');
    const r1 = await backupToGit(live.client, repo, { concurrency: 4, clock, jenkinsUrl: live.standin.url });
    expect(r1.commit).toMatch(/^[0-9a-f]{7,40}$/);
    const r2 = await backupToGit(live.client, repo, { concurrency: 4, clock });
    expect(r2.commit).toBeNull();
    await live.client.updateJob('tor-win', (await live.client.getConfig('tor-win')).replace('<disabled>false</disabled>', '<disabled>true</disabled>'));
    const r3 = await backupToGit(live.client, repo, { concurrency: 4, clock });
    expect(r3.commit).not.toBeNull();
    const g = simpleGit(repo);
    const log = await g.log();
    expect(log.total).toBe(2);
    expect(log.latest!.message).toContain('jobsmith backup');
    const changed = await g.raw(['show', '--name-only', '--format=', 'HEAD']);
    expect(changed.trim()).toBe('jobs/tor-win/config.xml');
    rmSync(repo, { recursive: true, force: true });
  });

  it('backup --git stages and commits only its own paths: untracked notes, an edited or staged definition stay as they were', async () => {
    live = await seeded();
    const repo = path.join(live.tmp, 'defs-and-backup');
    mkdirSync(path.join(repo, 'jobs-defs'), { recursive: true });
    const g = simpleGit(repo);
    await g.init();
    await g.addConfig('user.email', 't@example.com').addConfig('user.name', 'test');
    writeFileSync(path.join(repo, 'jobs-defs/pay.yaml'), 'templates: [A]\n');
    writeFileSync(path.join(repo, 'jobs-defs/staged.yaml'), 'templates: [B]\n');
    await g.add('.').commit('defs');
    // The state a person leaves a work tree in: an untracked note, an edit, a staged edit.
    writeFileSync(path.join(repo, 'notes.txt'), 'private notes');
    writeFileSync(path.join(repo, 'jobs-defs/pay.yaml'), 'templates: [A, C]\n');
    writeFileSync(path.join(repo, 'jobs-defs/staged.yaml'), 'templates: [B, D]\n');
    await g.add('jobs-defs/staged.yaml');

    const r1 = await backupToGit(live.client, repo, { concurrency: 4, clock });
    expect(r1.commit).not.toBeNull();
    const committed = (await g.raw(['show', '--name-only', '--format=', 'HEAD'])).trim().split('\n').sort();
    // the items' files and the manifest of what backup wrote
    expect(committed).toEqual(['.jobsmith-backup.json', ...r1.entries.map((e) => e.file)].sort());
    expect(committed.every((f) => f === '.jobsmith-backup.json' || f.startsWith('jobs/') || f.startsWith('views/'))).toBe(true);
    const status = await g.status();
    expect(status.not_added).toEqual(['notes.txt']);
    expect(status.modified).toContain('jobs-defs/pay.yaml');
    expect(status.staged).toEqual(['jobs-defs/staged.yaml']);

    // A job deleted in Jenkins: its file's removal is committed, nothing else.
    await live.client.deleteJob('tor-win');
    const r2 = await backupToGit(live.client, repo, { concurrency: 4, clock });
    expect(r2.removedFiles).toEqual(['jobs/tor-win/config.xml']);
    // (the Legacy view listed tor-win: Jenkins dropped it from the view)
    expect((await g.raw(['show', '--name-status', '--format=', 'HEAD'])).trim().split('\n')).toEqual(['M\t.jobsmith-backup.json', 'D\tjobs/tor-win/config.xml', 'M\tviews/Legacy.xml']);
    expect((await g.status()).staged).toEqual(['jobs-defs/staged.yaml']);
    expect(readFileSync(path.join(repo, 'notes.txt'), 'utf8')).toBe('private notes');
  });

  it('backup --git into a new subdirectory of a repository makes it a repository of its own: nothing lands in the enclosing one', async () => {
    live = await seeded();
    const repo = path.join(live.tmp, 'ops');
    mkdirSync(repo);
    const g = simpleGit(repo);
    await g.init();
    await g.addConfig('user.email', 't@example.com').addConfig('user.name', 'test');
    writeFileSync(path.join(repo, 'README.md'), 'ops\n');
    await g.add('.').commit('ops');
    const head = (await g.revparse(['HEAD'])).trim();
    writeFileSync(path.join(repo, 'README.md'), 'ops, edited\n');
    const backup = path.join(repo, 'jenkins-backup');
    const r = await backupToGit(live.client, backup, { concurrency: 4, clock });
    expect(r.commit).not.toBeNull();
    expect((await g.revparse(['HEAD'])).trim()).toBe(head);
    expect((await simpleGit(backup).revparse(['--show-toplevel'])).trim()).toBe(realpathSync(backup));
    const committed = (await simpleGit(backup).raw(['show', '--name-only', '--format=', 'HEAD'])).trim().split('\n');
    expect(committed.length).toBe(r.entries.length + 1);
    expect((await g.status()).modified).toEqual(['README.md']);
    // An existing, non-empty directory that is not a repository's top level is refused, nothing written.
    const inside = path.join(repo, 'notes');
    mkdirSync(inside);
    writeFileSync(path.join(inside, 'todo.txt'), 'x\n');
    await expect(backupToGit(live.client, inside, { concurrency: 4, clock })).rejects.toThrow(/notes: it exists and is not the top level of a git work tree \(it is inside .*ops\)/);
    expect(readdirSync(inside)).toEqual(['todo.txt']);
    expect((await g.revparse(['HEAD'])).trim()).toBe(head);
  });
});
