/**
 * The plain-files archive store (names of any shape stay inside the archive directory, entries
 * appear only when complete, ids from outside are checked, links are not followed), the
 * `archive:` settings, and the `archive: false` opt-outs in definitions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsArchiveStore, archiveKey, parseEntryId } from '../../src/archive/fs-archive-store.js';
import { readArchiveSettings } from '../../src/archive/archive-settings.js';
import { readWhole } from '../../src/archive/read-archive.js';
import { loadWorkspace } from '../../src/load/workspace.js';
import { renderWorkspace } from '../../src/render/render-workspace.js';
import type { ArchivedBuild } from '../../src/model/archive-store.js';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jobsmith-archive-unit-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const build = (n: number): ArchivedBuild => ({ format: 'jobsmith-archived-build', version: 1, number: n, result: 'SUCCESS', timestamp: 1, duration: 2, causes: [], parameters: [], logBytes: 3, artifacts: { list: [], copied: false } });
const job = (fullName: string) => ({ fullName, archivedAt: new Date().toISOString(), reason: 'r', config: true, builds: [], buildsNotArchived: 0, notes: [] });

describe('archive keys: one safe directory name for any job name', () => {
  it('encodes folders, dots, spaces and non-ASCII; cuts long names with a hash', () => {
    expect(archiveKey('team/pay-feature-x')).toBe('team%2Fpay-feature-x');
    expect(archiveKey('..')).toBe('%2E.');
    expect(archiveKey('.hidden')).toBe('%2Ehidden');
    expect(archiveKey('a b/ü')).toBe('a%20b%2F%C3%BC');
    // the empty name and a NUL byte are different names (found by the property below)
    expect(archiveKey('')).not.toBe(archiveKey('\u0000'));
    const long = 'x'.repeat(300);
    expect(archiveKey(long)).toMatch(/^x{142}~[0-9a-f]{16}$/);
    expect(archiveKey(long)).not.toBe(archiveKey(long + 'y'));
  });

  it('property: never empty, ".", ".." or with a separator; at most 160 characters; accepted back as an id part; distinct names give distinct keys', () => {
    const seen = new Map<string, string>();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (name) => {
        const k = archiveKey(name);
        expect(k.length).toBeGreaterThan(0);
        expect(k.length).toBeLessThanOrEqual(160);
        expect(k).not.toMatch(/[/\\\0]/);
        expect(['.', '..']).not.toContain(k);
        expect(parseEntryId(`${k}/20261120T100000.000Z-abcdef`)).toEqual({ key: k, stamp: '20261120T100000.000Z-abcdef' });
        const before = seen.get(k);
        if (before !== undefined) expect(before).toBe(name);
        seen.set(k, name);
      }),
      { numRuns: 500 },
    );
  });

  it('ids from outside: only <key>/<stamp> of the shapes the store makes', () => {
    for (const bad of ['..', '../x', 'a/b/c', 'a', '/etc/passwd', '%2E./20261120T100000.000Z-abcdef/..', 'k/../../20261120T100000.000Z-abcdef', '.x/20261120T100000.000Z-abcdef', 'k/20261120T100000.000Z']) {
      expect(parseEntryId(bad), bad).toBeUndefined();
    }
  });
});

describe('FsArchiveStore', () => {
  it('an entry is invisible until committed; an aborted one leaves nothing', async () => {
    const store = new FsArchiveStore(path.join(root, 'a1'));
    const w = await store.begin('team/x', new Date('2026-11-20T10:00:00.000Z'));
    expect(w.id).toMatch(/^team%2Fx\/20261120T100000\.000Z-[0-9a-f]{6}$/);
    await w.putConfig('<project/>');
    const log = await w.relicWriter(1, 'console');
    await log.write(Buffer.from('hello\n'));
    await log.close();
    await w.putBuild(build(1));
    expect(await store.list()).toEqual([]);
    const done = await w.commit({ ...job('team/x'), builds: [{ number: 1, result: 'SUCCESS', timestamp: 1, duration: 2, artifactCount: 0, artifactsCopied: false }] });
    expect((await store.list()).map((e) => e.id)).toEqual([done.id]);
    expect((await readWhole(store, done.id, { kind: 'console', build: 1 }))?.toString()).toBe('hello\n');
    expect((await readWhole(store, done.id, { kind: 'config' }))?.toString()).toBe('<project/>');
    expect(await store.build(done.id, 1)).toEqual(build(1));
    expect(await store.build(done.id, 2)).toBeUndefined();

    const w2 = await store.begin('team/x', new Date());
    await w2.putConfig('<project/>');
    await w2.abort();
    expect((await store.list()).length).toBe(1);
    expect(fs.readdirSync(path.join(store.location, 'jobs', 'team%2Fx'))).toEqual([done.id.split('/')[1]]);
  });

  it('ids that do not come from the store read nothing; stored files are never read through a symbolic link', async () => {
    const store = new FsArchiveStore(path.join(root, 'a2'));
    const w = await store.begin('j', new Date());
    const e = await w.commit(job('j'));
    for (const id of ['../a1/jobs/team%2Fx', 'j/../../etc', 'j']) {
      expect(await store.entry(id)).toBeUndefined();
      expect(await store.open(id, { kind: 'config' })).toBeUndefined();
    }
    const secret = path.join(root, 'secret.txt');
    fs.writeFileSync(secret, 'top secret');
    fs.mkdirSync(path.join(store.where(e.id), 'builds', '1'), { recursive: true });
    fs.symlinkSync(secret, path.join(store.where(e.id), 'builds', '1', 'log.txt'));
    fs.symlinkSync(secret, path.join(store.where(e.id), 'config.xml'));
    expect(await store.open(e.id, { kind: 'console', build: 1 })).toBeUndefined();
    expect(await store.open(e.id, { kind: 'config' })).toBeUndefined();
    // a job.json naming another id is shown under the id it lives at
    const forged = JSON.parse(fs.readFileSync(path.join(store.where(e.id), 'job.json'), 'utf8'));
    expect((await store.entry(e.id))?.id).toBe(e.id);
    expect(forged.id).toBe(e.id);
  });

  it('entries left half-written by a killed run are swept after a day; a fresh one is left alone', async () => {
    const store = new FsArchiveStore(path.join(root, 'a4'));
    const keyDir = path.join(store.location, 'jobs', 'j');
    const stale = path.join(keyDir, '.20200101T000000.000Z-abcdef.partial');
    const fresh = path.join(keyDir, '.20991231T000000.000Z-abcdef.partial');
    fs.mkdirSync(stale, { recursive: true });
    fs.mkdirSync(fresh, { recursive: true });
    fs.writeFileSync(path.join(stale, 'config.xml'), 'x');
    const old = new Date(Date.now() - 2 * 86_400_000);
    fs.utimesSync(stale, old, old);
    const w = await store.begin('j', new Date());
    await w.commit(job('j'));
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
    expect((await store.list()).length).toBe(1);
  });

  it('names of every shape round-trip through job.json (unicode, spaces, quotes, very long)', async () => {
    const store = new FsArchiveStore(path.join(root, 'a3'));
    const names = ['team/ünïcødé job', 'a "quoted" & <odd>', 'x'.repeat(250), 'f/'.repeat(20) + 'deep'];
    for (const n of names) await (await store.begin(n, new Date())).commit(job(n));
    expect((await store.list()).map((e) => e.fullName).sort()).toEqual([...names].sort());
  });
});

describe('archive settings (jobsmith.yaml archive:, --archive)', () => {
  const cfg = (text: string) => {
    const dir = fs.mkdtempSync(path.join(root, 'cfg-'));
    fs.writeFileSync(path.join(dir, 'jobsmith.yaml'), text);
    return dir;
  };
  it('defaults; dir relative to the config file; the flag wins (relative to the working directory)', () => {
    const dir = cfg('jenkins:\n  url: http://j/\narchive:\n  dir: relics\n');
    expect(readArchiveSettings({ cwd: dir })).toEqual({ policy: { dir: path.join(dir, 'relics'), maxArtifactsMb: 100, onCap: 'list', concurrency: 4 }, diagnostics: [] });
    const sub = path.join(dir, 'sub');
    fs.mkdirSync(sub);
    expect(readArchiveSettings({ cwd: sub, configFile: '../jobsmith.yaml' }).policy?.dir).toBe(path.join(dir, 'relics'));
    expect(readArchiveSettings({ cwd: dir, flagDir: 'other' }).policy?.dir).toBe(path.join(dir, 'other'));
    const full = cfg('archive:\n  dir: /srv/a\n  keep_builds: 5\n  max_artifacts_mb: 0\n  on_cap: hold\n  concurrency: 2\n');
    expect(readArchiveSettings({ cwd: full }).policy).toEqual({ dir: '/srv/a', keepBuilds: 5, maxArtifactsMb: 0, onCap: 'hold', concurrency: 2 });
  });

  it('archive: false is off (the flag still turns it on); no section and no flag: off', () => {
    const off = cfg('archive: false\n');
    expect(readArchiveSettings({ cwd: off })).toEqual({ off: true, diagnostics: [] });
    expect(readArchiveSettings({ cwd: off, flagDir: '/x' }).policy?.dir).toBe('/x');
    expect(readArchiveSettings({ cwd: cfg('jenkins:\n  url: http://j/\n') })).toEqual({ diagnostics: [] });
  });

  it('every mistake at once, located; a section without dir needs one', () => {
    const dir = cfg('archive:\n  keep_builds: many\n  max_artifacts_mb: -1\n  concurrency: 100\n');
    const r = readArchiveSettings({ cwd: dir });
    expect(r.policy).toBeUndefined();
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.field} ${d.message}`)).toEqual([
      '2:16 archive.keep_builds archive.keep_builds must be a whole number from 1 to 1000000',
      '3:21 archive.max_artifacts_mb archive.max_artifacts_mb must be a number of megabytes from 0 to 1048576 (0: artifacts are listed, never copied)',
      '4:16 archive.concurrency archive.concurrency must be a whole number from 1 to 64',
    ]);
    expect(readArchiveSettings({ cwd: cfg('archive:\n  on_cap: list\n') }).diagnostics).toEqual([expect.objectContaining({ severity: 'error', field: 'archive.dir', message: expect.stringContaining('archive.dir is missing') })]);
    expect(readArchiveSettings({ cwd: cfg('archive: /srv/x\n') }).diagnostics[0]).toMatchObject({ line: 1, column: 10, message: expect.stringContaining('"archive" must be a mapping') });
    expect(readArchiveSettings({ cwd: dir, flagDir: '' }).diagnostics.some((d) => d.field === '--archive')).toBe(true);
  });
});

describe('archive: false in definitions', () => {
  it('at the top and in branches: parsed, carried into the desired state; other values are located errors', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'defs-'));
    fs.mkdirSync(path.join(dir, 'job-templates'));
    fs.mkdirSync(path.join(dir, 'jobs'));
    fs.writeFileSync(path.join(dir, 'job-templates', 'T-config.xml'), '<project><description>$X.Y</description></project>\n');
    fs.writeFileSync(path.join(dir, 'jobs', 'a.yaml'), 'templates: [T]\ntokens:\n  X.Y: a\narchive: false\n');
    fs.writeFileSync(path.join(dir, 'jobs', 'b.yaml'), 'templates: [T]\ntokens:\n  X.Y: b\nbranches:\n  repo: file:///nowhere.git\n  templates: [T]\n  archive: false\n');
    fs.writeFileSync(path.join(dir, 'jobs', 'c.yaml'), 'templates: [T]\ntokens:\n  X.Y: c\n');
    const ws = await loadWorkspace({ templatesDir: path.join(dir, 'job-templates'), jobsDir: path.join(dir, 'jobs') });
    expect(ws.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(renderWorkspace(ws.workspace).desired.archiveOptOut).toEqual({ projects: ['a'], branches: ['b'] });
    fs.writeFileSync(path.join(dir, 'jobs', 'c.yaml'), 'templates: [T]\ntokens:\n  X.Y: c\narchive: sometimes\n');
    const bad = await loadWorkspace({ templatesDir: path.join(dir, 'job-templates'), jobsDir: path.join(dir, 'jobs') });
    expect(bad.diagnostics.filter((d) => d.severity === 'error')).toEqual([expect.objectContaining({ field: 'archive', line: 4 })]);
  });
});
