import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBulk, BULK_MANIFEST, type BulkOptions } from '../../src/bulk/run-bulk.js';
import { undoBulk } from '../../src/bulk/undo-bulk.js';
import { parseCondition } from '../../src/xml/condition.js';
import { parseSetSpec } from '../../src/bulk/edit-ops.js';
import { formatMarker } from '../../src/plan/marker.js';
import { withMarker } from '../../src/plan/config-description.js';
import { jobConfigPath } from '../../src/bulk/home-layout.js';
import { sameConfig } from '../../src/plan/same-job-config.js';
import { corpusXml, FOLDER_XML, startLive, type Live } from './live-helpers.js';

const clock = { now: () => new Date('2026-11-25T10:00:00Z') };
let live: Live | undefined;
afterEach(async () => {
  await live?.close();
  live = undefined;
});

const JOBS = (): Record<string, string> => ({
  'svn-a': corpusXml('001-eea-2010-buildout-hudson-trigger.xml'),
  'tor-win': corpusXml('007-tor-ci-windows.xml'),
  'cwl-release': corpusXml('009-cwl-cwltool-release.xml'),
  'team-a': FOLDER_XML,
  'team-a/mips': corpusXml('012-freebsd-head-mips32-be.xml'),
  'team-a/scan': corpusXml('013-freebsd-head-scan-build.xml'),
  'maven-cr2': corpusXml('028-eea-2011-cr2.xml'),
  managed: withMarker(corpusXml('014-nabla-cpp-interview-microsoft-cmake.xml'), formatMarker({ kind: 'job', project: 'nabla', template: 'CI-build-trunk', hash: 'sha256:00' })),
});

const opts = (o: Partial<BulkOptions>): BulkOptions => ({ selector: {}, where: [], ops: [], apply: false, force: false, concurrency: 4, clock, ...o });

describe('jobsmith bulk against the stand-in', () => {
  it('dry run: diffs and counts, nothing posted', async () => {
    live = await startLive({ jobs: JOBS() });
    const before = live.standin.requestCounts();
    const r = await runBulk(live.client, opts({ ops: [parseSetSpec('assignedNode=linux-farm')] }), []);
    const byName = Object.fromEntries(r.jobs.map((j) => [j.fullName, j]));
    // 007, 009, 012, 013 have an assignedNode; 001 and 028 do not.
    expect(byName['tor-win']!.status).toBe('changed');
    expect(byName['tor-win']!.diff).toMatch(/^-\s*<assignedNode>.*<\/assignedNode>$/m);
    expect(byName['tor-win']!.diff).toMatch(/^\+\s*<assignedNode>linux-farm<\/assignedNode>$/m);
    expect(byName['svn-a']!.status).toBe('unchanged');
    expect(byName.managed!.status).toBe('refused');
    expect(byName.managed!.message).toContain('job-templates/CI-build-trunk-config.xml');
    expect(byName.managed!.message).toContain('jobs/nabla.yaml');
    expect(r.summary).toEqual({ changed: 4, unchanged: 2, 'not-matched': 0, skipped: 0, refused: 1, failed: 0, interrupted: 0 });
    const after = live.standin.requestCounts();
    const posts = Object.entries(after).filter(([k, v]) => k.startsWith('POST') && v !== (before[k] ?? 0));
    expect(posts).toEqual([]);
  });

  it('selection by folder and a config condition', async () => {
    live = await startLive({ jobs: JOBS() });
    const r = await runBulk(live.client, opts({ selector: { folder: 'team-a' }, where: [parseCondition('scm/@class~multiplescms')], ops: [parseSetSpec('assignedNode=x')] }), []);
    expect(r.jobs.map((j) => [j.fullName, j.status])).toEqual([
      ['team-a/mips', 'changed'],
      ['team-a/scan', 'changed'],
    ]);
    const r2 = await runBulk(live.client, opts({ where: [parseCondition('/maven2-moduleset/mavenName')], ops: [] }), []);
    expect(r2.jobs.filter((j) => j.status !== 'not-matched' && j.status !== 'refused').map((j) => j.fullName)).toEqual(['maven-cr2']);
  });

  it('apply writes the backup before posting; undo restores byte-identical configs (verbatim GET)', async () => {
    // Jobs created through the API, as Jenkins stores them after a POST.
    live = await startLive({ configGet: 'verbatim' });
    for (const [name, xml] of Object.entries(JOBS())) await live.client.createJob(name, xml);
    const names = ['tor-win', 'cwl-release', 'team-a/mips', 'team-a/scan', 'managed'];
    // What Jenkins serves before the edit (a Jenkins < 2.568 serves the stored file verbatim).
    const jobs: Record<string, string> = {};
    for (const n of names) jobs[n] = await live.client.getConfig(n);
    const backupDir = path.join(live.tmp, 'backup');
    const r = await runBulk(live.client, opts({ apply: true, backupDir, ops: [parseSetSpec('assignedNode=linux-farm')], force: true }), ['set assignedNode=linux-farm']);
    expect(r.applied).toBe(5);
    expect(r.applyFailed).toBe(0);
    const stripDecl = (x: string): string => x.replace(/^<\?xml[^>]*\?>\s*/, '');
    for (const name of names) {
      const now = await live.client.getConfig(name);
      expect(now).toContain('<assignedNode>linux-farm</assignedNode>');
      // Everything but the edited element is as it was (Jenkins writes its own XML declaration).
      expect(stripDecl(now).replace(/<assignedNode>[^<]*<\/assignedNode>/, '')).toBe(stripDecl(jobs[name]!).replace(/<assignedNode>[^<]*<\/assignedNode>/, ''));
      // The backup holds exactly the bytes read before the edit.
      expect(readFileSync(path.join(backupDir, jobConfigPath(name)), 'utf8')).toBe(jobs[name]);
    }
    const manifest = JSON.parse(readFileSync(path.join(backupDir, BULK_MANIFEST), 'utf8'));
    expect(manifest.jobs).toHaveLength(5);
    expect(manifest.operations).toEqual(['set assignedNode=linux-farm']);

    // Someone edits one job in the meantime: undo refuses that one unless forced.
    await live.client.updateJob('team-a/scan', (await live.client.getConfig('team-a/scan')).replace('<disabled>false</disabled>', '<disabled>true</disabled>'));
    const u = await undoBulk(live.client, backupDir, { force: false, dryRun: false, concurrency: 4 });
    expect(u.summary).toMatchObject({ restored: 4, refused: 1 });
    // After undo, Jenkins serves byte-for-byte what it served before the bulk edit.
    for (const name of names.filter((n) => n !== 'team-a/scan')) expect(await live.client.getConfig(name)).toBe(jobs[name]);
    expect(await live.client.getConfig('team-a/scan')).not.toBe(jobs['team-a/scan']);
    const u2 = await undoBulk(live.client, backupDir, { force: true, dryRun: false, concurrency: 4 });
    expect(u2.summary).toMatchObject({ restored: 1, unchanged: 4 });
    expect(await live.client.getConfig('team-a/scan')).toBe(jobs['team-a/scan']);
  });

  it('undo with a re-serialising Jenkins (>= 2.568) restores semantically', async () => {
    live = await startLive({ jobs: JOBS(), configGet: 'reserialise' });
    const before = await live.client.getConfig('tor-win');
    const backupDir = path.join(live.tmp, 'backup');
    await runBulk(live.client, opts({ apply: true, backupDir, selector: { match: ['tor-win'] }, ops: [parseSetSpec('assignedNode=linux-farm')] }), []);
    const u = await undoBulk(live.client, backupDir, { force: false, dryRun: false, concurrency: 1 });
    expect(u.summary.restored).toBe(1);
    const after = await live.client.getConfig('tor-win');
    expect(sameConfig(after, before)).toBe(true);
    expect(after).not.toContain('linux-farm');
  });

  it('partial failure: 500s on some posts are reported, the rest applied, undo still works', async () => {
    live = await startLive({ jobs: JOBS() });
    const backupDir = path.join(live.tmp, 'backup');
    live.standin.faults.set({ errors: { 'POST config.xml': { status: 500, times: 2 } } });
    const r = await runBulk(live.client, opts({ apply: true, backupDir, concurrency: 1, ops: [parseSetSpec('assignedNode=linux-farm')] }), []);
    expect(r.applied).toBe(2);
    expect(r.applyFailed).toBe(2);
    const failed = r.jobs.filter((j) => j.applied === false);
    expect(failed).toHaveLength(2);
    for (const f of failed) expect(f.message).toMatch(/posting config.xml failed: .*500/);
    live.standin.faults.clear();
    const u = await undoBulk(live.client, backupDir, { force: false, dryRun: false, concurrency: 2 });
    expect(u.summary).toMatchObject({ restored: 2, 'not-applied': 2, refused: 0, failed: 0 });
    // every job backed up is reported: the applied ones restored, the failed ones checked and left
    expect(u.jobs.filter((j) => j.status === 'restored').map((j) => j.fullName).sort()).toEqual(r.jobs.filter((j) => j.applied).map((j) => j.fullName).sort());
    expect(u.jobs.filter((j) => j.status === 'not-applied').map((j) => j.fullName).sort()).toEqual(failed.map((j) => j.fullName).sort());
    for (const j of u.jobs.filter((x) => x.status === 'not-applied')) expect(j.message).toMatch(/^its POST failed \(.*500.*\) and the live config is the backup's: nothing to restore$/);
  });

  it('a failed listing changes nothing and writes no backup', async () => {
    live = await startLive({ jobs: JOBS() });
    const backupDir = path.join(live.tmp, 'backup');
    live.standin.faults.set({ errors: { 'GET api/json': { status: 500 } } });
    await expect(runBulk(live.client, opts({ apply: true, backupDir, ops: [parseSetSpec('assignedNode=x')] }), [])).rejects.toThrow();
    expect(existsSync(path.join(backupDir, BULK_MANIFEST))).toBe(false);
  });

  it('a non-empty backup directory is refused before anything is posted', async () => {
    live = await startLive({ jobs: JOBS() });
    const backupDir = path.join(live.tmp, 'backup');
    await runBulk(live.client, opts({ apply: true, backupDir, ops: [parseSetSpec('assignedNode=y')] }), []);
    await expect(runBulk(live.client, opts({ apply: true, backupDir, ops: [parseSetSpec('assignedNode=z')] }), [])).rejects.toThrow(/not empty/);
    expect(await live.client.getConfig('tor-win')).toContain('<assignedNode>y</assignedNode>');
  });
});
