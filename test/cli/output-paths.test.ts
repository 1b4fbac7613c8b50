/**
 * Output paths and flag values (break-it findings on issue 16): backup never writes through a
 * symbolic link below its directory (the same module as render, src/output/output-tree.ts); an
 * output directory that cannot be created is bad input (exit 1), not a stack trace or a hang; a
 * value flag given without its value is a usage error (exit 2) that writes nothing.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

let box: string;
let home: string;
const env = { JENKINS_URL: '', JENKINS_USER: '', JENKINS_API_TOKEN: '', HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '', NO_PROXY: '', no_proxy: '' };
const cli = (args: string[], cwd = box, extra: NodeJS.ProcessEnv = {}) => runCli(args, { cwd, env: { ...env, ...extra }, timeoutMs: 30_000 });

beforeAll(async () => {
  box = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-output-paths-'));
  cpSync(path.join(repoRoot, 'job-templates'), path.join(box, 'job-templates'), { recursive: true });
  cpSync(path.join(repoRoot, 'jobs'), path.join(box, 'jobs'), { recursive: true });
  home = path.join(box, 'home');
  const r = await cli(['sync', '--embedded', home]);
  expect(r.code).toBe(0);
}, 60_000);
afterAll(() => rmSync(box, { recursive: true, force: true }));

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

describe('backup never writes through a symbolic link below its directory', () => {
  for (const mode of ['--out', '--git'] as const) {
    it(`${mode}: a linked config.xml and a linked job directory are refused, named, and nothing is written`, async () => {
      const t = mkdtempSync(path.join(box, 'bk-'));
      const bk = path.join(t, 'bk');
      const outside = path.join(t, 'outside');
      mkdirSync(path.join(bk, 'jobs/payments-CI-build-trunk'), { recursive: true });
      // --git into an existing directory: it must be a repository's top level
      if (mode === '--git') execFileSync('git', ['init', '-q', bk]);
      mkdirSync(outside);
      writeFileSync(path.join(outside, 'precious.txt'), 'precious\n');
      symlinkSync(path.join(outside, 'precious.txt'), path.join(bk, 'jobs/payments-CI-build-trunk/config.xml'));
      symlinkSync(outside, path.join(bk, 'jobs/web'));
      const r = await cli(['backup', '--embedded', home, mode, bk]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${path.join(bk, 'jobs/payments-CI-build-trunk/config.xml')}: a symbolic link (backup never writes through one)`);
      expect(r.stderr).toContain(`${path.join(bk, 'jobs/web')}: a symbolic link (backup never writes through one)`);
      expect(r.stderr).toContain('nothing written');
      expect(readFileSync(path.join(outside, 'precious.txt'), 'utf8')).toBe('precious\n');
      expect(listFiles(outside)).toEqual(['precious.txt']);
      expect(existsSync(path.join(bk, 'views'))).toBe(false);
    }, 30_000);
  }

  it('without links the same backup writes every item (the check refuses nothing else)', async () => {
    const bk = path.join(mkdtempSync(path.join(box, 'bk-')), 'bk');
    const r = await cli(['backup', '--embedded', home, '--out', bk]);
    expect(r.code).toBe(0);
    expect(listFiles(bk)).toContain('jobs/payments-CI-build-trunk/config.xml');
  }, 30_000);
});

describe('an output directory that cannot be created is bad input naming it (exit 1)', () => {
  it('render and backup into a dangling link (an unmounted share)', async () => {
    const t = mkdtempSync(path.join(box, 'share-'));
    symlinkSync(path.join(t, 'not-mounted'), path.join(t, 'share'));
    const render = await cli(['render', '--out', path.join(t, 'share/out')]);
    expect(render.code).toBe(1);
    expect(render.stderr).toContain(`${path.join(t, 'share')} is a symbolic link to nothing`);
    expect(render.stderr).not.toMatch(/internal error|    at /);
    for (const mode of ['--out', '--git']) {
      const backup = await cli(['backup', '--embedded', home, mode, path.join(t, 'share/bk')]);
      expect(backup.code).toBe(1);
      expect(backup.stderr).toContain(`error: ${mode} ${path.join(t, 'share/bk')}: cannot create it: ${path.join(t, 'share')} is a symbolic link to nothing`);
    }
    expect(existsSync(path.join(t, 'not-mounted'))).toBe(false);
  }, 30_000);

  it('render and backup below /proc fail at once instead of hanging (Node\'s recursive mkdir never returns there)', async () => {
    const render = await cli(['render', '--out', '/proc/jobsmith-out']);
    expect(render.code).toBe(1);
    expect(render.stderr).toContain('/proc/jobsmith-out');
    const backup = await cli(['backup', '--embedded', home, '--out', '/proc/jobsmith-bk']);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toContain('/proc/jobsmith-bk');
    expect(backup.stderr).not.toMatch(/internal error/);
  }, 30_000);

  it('render into a file in the way', async () => {
    const t = mkdtempSync(path.join(box, 'file-'));
    writeFileSync(path.join(t, 'f'), 'x');
    const r = await cli(['render', '--out', path.join(t, 'f/out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path.join(t, 'f')} is not a directory`);
  });
});

describe('a value flag given without a value is a usage error (exit 2) that writes nothing', () => {
  it('sync --embedded "" (an unset variable) does not turn the definitions into a JENKINS_HOME', async () => {
    const before = listFiles(path.join(box, 'jobs'));
    for (const args of [['sync', '--embedded', ''], ['sync', '--embedded'], ['plan', '--embedded=']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('error: --embedded needs a value');
    }
    expect(listFiles(path.join(box, 'jobs'))).toEqual(before);
  }, 30_000);

  it.each([
    [['plan', '--no-proxy'], '--no-proxy'],
    [['jenkins', 'ping', '--no-proxy', '--retries', '0'], '--no-proxy'],
    [['backup', '--out', 'bk', '--no-proxy'], '--no-proxy'],
    [['plan', '--ca-file', ''], '--ca-file'],
    [['plan', '--out', ''], '--out'],
    [['render', '--out', ''], '--out'],
    [['standin', '--home', 'h', '--port'], '--port'],
    [['standin', '--home', 'h', '--port', ''], '--port'],
    [['serve', '--port', ''], '--port'],
    [['import', '--match', ''], '--match'],
    [['plan', '--proxy', ''], '--proxy'],
  ])('%j', async (args, flag) => {
    const r = await cli(args, box, { JENKINS_URL: 'http://127.0.0.1:1/' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: ${flag} needs a value (it was given an empty one or none: an unset variable?)`);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('--archive without a value (requiresArg) is a usage error, not an internal error', async () => {
    for (const args of [['plan', '--archive'], ['archive', 'list', '--archive']]) {
      const r = await cli(args, box, { JENKINS_URL: 'http://127.0.0.1:1/' });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('error: Not enough arguments following: archive');
    }
  });

  it('import --match a "" (an empty glob among several) is a usage error', async () => {
    const r = await cli(['import', '--embedded', home, '--match', 'a', '--match', '']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--match needs');
  });

  it('--no-proxy HOSTS is the hosts (not --proxy=false and a stray word): the run gets as far as the network', async () => {
    const r = await cli(['jenkins', 'ping', '--no-proxy', 'localhost,example.com', '--retries', '0'], box, { JENKINS_URL: 'http://127.0.0.1:1/' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('ECONNREFUSED');
  });

  it('a value that merely starts with a digit after a minus is a value (--retries -1 is the range error, not "needs a value")', async () => {
    const r = await cli(['plan', '--retries', '-1'], box, { JENKINS_URL: 'http://127.0.0.1:1/' });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('needs a value');
  });
});
