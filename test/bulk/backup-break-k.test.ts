/**
 * Break-it review k, backup and restore: the manifest records which Jenkins a backup is of (another
 * Jenkins into the same directory is refused); names that are no file names as they are (over 251
 * bytes, `.git`) are stored escaped and mapped back by restore; symbolic links in a backup are
 * reported, never skipped silently. The built CLI against embedded stand-ins, real files and git.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fileSegment } from '../../src/bulk/home-layout.js';
import { backupSource } from '../../src/bulk/backup-source.js';

let box: string;
beforeEach(() => {
  box = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-break-k-'));
});
afterEach(() => rmSync(box, { recursive: true, force: true }));

const xml = (d: string) => `<?xml version="1.1" encoding="UTF-8"?>\n<project>\n  <description>${d}</description>\n  <builders/>\n</project>\n`;

function jenkins(name: string, jobs: Record<string, string>, views: string[] = []): string {
  const home = path.join(box, name);
  mkdirSync(home, { recursive: true });
  for (const [job, d] of Object.entries(jobs)) {
    mkdirSync(path.join(home, 'jobs', job), { recursive: true });
    writeFileSync(path.join(home, 'jobs', job, 'config.xml'), xml(d));
  }
  if (views.length) {
    const list = views
      .map((v) => `    <hudson.model.ListView>\n      <owner class="hudson" reference="../../.."/>\n      <name>${v}</name>\n      <filterExecutors>false</filterExecutors>\n      <filterQueue>false</filterQueue>\n      <properties class="hudson.model.View$PropertyList"/>\n      <jobNames>\n        <comparator class="hudson.util.CaseInsensitiveComparator"/>\n      </jobNames>\n      <jobFilters/>\n      <columns/>\n      <recurse>false</recurse>\n    </hudson.model.ListView>\n`)
      .join('');
    writeFileSync(
      path.join(home, 'config.xml'),
      `<?xml version='1.1' encoding='UTF-8'?>\n<hudson>\n  <version>2.479.3</version>\n  <views>\n    <hudson.model.AllView>\n      <owner class="hudson" reference="../../.."/>\n      <name>all</name>\n      <filterExecutors>false</filterExecutors>\n      <filterQueue>false</filterQueue>\n      <properties class="hudson.model.View$PropertyList"/>\n    </hudson.model.AllView>\n${list}  </views>\n  <primaryView>all</primaryView>\n</hudson>\n`,
    );
  }
  return home;
}

function files(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (rel === '' && e.name === '.git') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out[r] = readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(root, '');
  return out;
}

const cli = (...args: string[]) => runCli(args, { cwd: box });
const list = async (home: string) => (await cli('jenkins', 'list', '--embedded', home)).stdout;

describe('a backup is of one Jenkins', () => {
  it('the manifest records the source; a second Jenkins into the same directory is refused (exit 1, both named, nothing written)', async () => {
    const a = jenkins('jenkinsA', { 'prod-deploy': 'A1', 'prod-db': 'A2', 'prod-api': 'A3' });
    const b = jenkins('jenkinsB', { 'test-unit': 'B1', 'test-lint': 'B2' });
    expect((await cli('backup', '--embedded', a, '--out', 'bk')).code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(box, 'bk/.jobsmith-backup.json'), 'utf8'));
    expect(manifest.source).toBe(`embedded stand-in, state in ${a}`);
    const before = files(path.join(box, 'bk'));
    const r = await cli('backup', '--embedded', b, '--out', 'bk');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot back up embedded stand-in, state in ${b} into bk: it holds the backup of another Jenkins, embedded stand-in, state in ${a}`);
    expect(r.stderr).toContain('nothing written');
    expect(files(path.join(box, 'bk'))).toEqual(before);
    // the same Jenkins again (another random port) is the same source
    const again = await cli('backup', '--embedded', a, '--out', 'bk');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 written, 4 unchanged, 0 removed');
  });

  it('--git: the same refusal, no commit', async () => {
    const a = jenkins('a', { one: '1' });
    const b = jenkins('b', { two: '2' });
    expect((await cli('backup', '--embedded', a, '--git', 'repo')).code).toBe(0);
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: path.join(box, 'repo'), encoding: 'utf8' });
    const r = await cli('backup', '--embedded', b, '--git', 'repo');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('it holds the backup of another Jenkins');
    expect(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: path.join(box, 'repo'), encoding: 'utf8' })).toBe(head);
    expect(existsSync(path.join(box, 'repo/jobs/two'))).toBe(false);
  });

  it('a URL source has no credentials, query or trailing slash', () => {
    expect(backupSource('https://u:s3cret@Jenkins.example.com:8443/ci/?token=x#f')).toBe('https://jenkins.example.com:8443/ci');
    expect(backupSource('http://jenkins/')).toBe('http://jenkins');
  });
});

describe('names that are no file names as they are', () => {
  const LONG = '東京チーム'.repeat(18); // 90 characters, 270 bytes

  it('a view named with 270 bytes: backed up under an escaped name (in the manifest), jobs kept up to date, restored by its name', async () => {
    const h = jenkins('h', { api: 'api v1', web: 'web v1' });
    expect((await cli('backup', '--embedded', h, '--out', 'bk')).code).toBe(0);
    const h2 = jenkins('h', { api: 'api v2', web: 'web v2' }, [LONG]);
    const r = await cli('backup', '--embedded', h2, '--out', 'bk');
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(box, 'bk/jobs/api/config.xml'), 'utf8')).toContain('api v2');
    const seg = fileSegment(LONG);
    expect(seg).toMatch(/^#[0-9a-f]{32}$/);
    const m = JSON.parse(readFileSync(path.join(box, 'bk/.jobsmith-backup.json'), 'utf8'));
    expect(m.files).toContain(`views/${seg}.xml`);
    expect(m.names).toEqual({ [seg]: LONG });
    for (const f of m.files) expect(existsSync(path.join(box, 'bk', f))).toBe(true);
    // a new directory: the whole backup, nothing missing
    expect((await cli('backup', '--embedded', h2, '--out', 'fresh')).code).toBe(0);
    expect(readFileSync(path.join(box, `fresh/views/${seg}.xml`), 'utf8')).toContain(`<name>${LONG}</name>`);
    // restore maps it back to the view's name
    const res = await cli('restore', 'bk', '--embedded', path.join(box, 'new'), '--apply');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`+ create    view ${LONG}  (missing in Jenkins`);
    expect(await list(path.join(box, 'new'))).toContain(`view ${LONG}\thudson.model.ListView`);
  });

  it('a job named .git: stored escaped, restored, and committed by backup --git', async () => {
    const h = path.join(box, 'h');
    mkdirSync(path.join(h, 'jobs/app'), { recursive: true });
    writeFileSync(path.join(h, 'jobs/app/config.xml'), xml('app'));
    mkdirSync(path.join(h, 'jobs/.git'), { recursive: true });
    writeFileSync(path.join(h, 'jobs/.git/config.xml'), xml('mirror the .git repo'));
    expect((await cli('backup', '--embedded', h, '--out', 'bk')).code).toBe(0);
    const seg = fileSegment('.git');
    expect(existsSync(path.join(box, `bk/jobs/${seg}/config.xml`))).toBe(true);
    const res = await cli('restore', 'bk', '--embedded', path.join(box, 'new'), '--apply');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('+ create    .git');
    expect(readFileSync(path.join(box, 'new/jobs/.git/config.xml'), 'utf8')).toContain('mirror the .git repo');
    const g = await cli('backup', '--embedded', h, '--git', 'repo');
    expect(g.code).toBe(0);
    const committed = execFileSync('git', ['ls-files'], { cwd: path.join(box, 'repo'), encoding: 'utf8' });
    expect(committed).toContain(`jobs/${seg}/config.xml`);
    // and restore from the repository at its commit finds it
    const fromRev = await cli('restore', 'repo', '--revision', 'HEAD', '--embedded', path.join(box, 'new2'));
    expect(fromRev.code).toBe(0);
    expect(fromRev.stdout).toContain('+ create    .git');
  });

  it('an escaped file whose manifest does not name it is a located error, nothing done', async () => {
    mkdirSync(path.join(box, 'bk/jobs/#0123456789abcdef0123456789abcdef'), { recursive: true });
    writeFileSync(path.join(box, 'bk/jobs/#0123456789abcdef0123456789abcdef/config.xml'), xml('x'));
    const res = await cli('restore', 'bk', '--embedded', path.join(box, 'new'), '--apply');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('bk/jobs/#0123456789abcdef0123456789abcdef/config.xml');
    expect(res.stderr).toContain('does not map back');
  });
});

describe('restore and symbolic links', () => {
  it('a linked config.xml and a linked job directory are each named; nothing is restored (exit 1)', async () => {
    mkdirSync(path.join(box, 'bk/jobs/app'), { recursive: true });
    writeFileSync(path.join(box, 'bk/jobs/app/config.xml'), xml('app'));
    mkdirSync(path.join(box, 'bk/jobs/app-copy'));
    symlinkSync('../app/config.xml', path.join(box, 'bk/jobs/app-copy/config.xml'));
    mkdirSync(path.join(box, 'store/x'), { recursive: true });
    writeFileSync(path.join(box, 'store/x/config.xml'), xml('lib'));
    symlinkSync(path.join(box, 'store/x'), path.join(box, 'bk/jobs/lib'));
    const res = await cli('restore', 'bk', '--embedded', path.join(box, 'new'), '--apply');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('bk/jobs/app-copy/config.xml: error: a symbolic link');
    expect(res.stderr).toContain('bk/jobs/lib: error: a symbolic link');
    expect(existsSync(path.join(box, 'new/jobs/app'))).toBe(false);
  });
});
