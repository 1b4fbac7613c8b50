/**
 * Every dry run runs every check the real run runs and exits as the real run would (issue 16):
 * `set-default NO.SUCH.TOKEN x --dry-run` and `rename-token MVN.GOALS JOB.NAME --dry-run` exited 0
 * ("would change") where the real runs exit 1. Each case runs the dry run, then the real run, and
 * compares exit codes and errors; the dry run changes nothing.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runCli, type CliResult } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-dry-run-'));
  cpSync(path.join(repoRoot, 'job-templates'), path.join(dir, 'job-templates'), { recursive: true });
  cpSync(path.join(repoRoot, 'jobs'), path.join(dir, 'jobs'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const cli = (args: string[]) => runCli(args, { cwd: dir });

/** The tree under `dir` (names and contents), to show a run changed nothing. */
function snapshot(root = dir): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out[r] = readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(root, '');
  return out;
}

const errors = (r: CliResult) => r.stderr.split('\n').filter((l) => /\berror\b/.test(l) && !/^Jenkins: /.test(l));

async function sameAsRealRun(dryArgs: string[], realArgs: string[], code: number): Promise<{ dry: CliResult; real: CliResult }> {
  const before = snapshot();
  const dry = await cli(dryArgs);
  expect(snapshot(), 'the dry run changed files').toEqual(before);
  const real = await cli(realArgs);
  expect(dry.code, dry.stderr).toBe(code);
  expect(real.code, real.stderr).toBe(code);
  expect(errors(dry)).toEqual(errors(real));
  return { dry, real };
}

describe('definition edits', () => {
  it('set-default NO.SUCH.TOKEN x --dry-run: exit 1 with the same error as the real run', async () => {
    const { dry } = await sameAsRealRun(['set-default', 'NO.SUCH.TOKEN', 'x', '--dry-run'], ['set-default', 'NO.SUCH.TOKEN', 'x', '--no-commit'], 1);
    expect(dry.stderr).toContain('jobs/_defaults.yaml:5:3: error: no template uses the token NO.SUCH.TOKEN');
    expect(dry.stderr).toContain('nothing was written (--dry-run)');
    expect(dry.stdout).not.toContain('would change');
  });

  it('rename-token MVN.GOALS JOB.NAME --dry-run: exit 1 (JOB.NAME is built in)', async () => {
    const { dry } = await sameAsRealRun(['rename-token', 'MVN.GOALS', 'JOB.NAME', '--dry-run'], ['rename-token', 'MVN.GOALS', 'JOB.NAME', '--no-commit'], 1);
    expect(dry.stderr).toContain('JOB.NAME is set by jobsmith and cannot be given a value');
  });

  it('a good edit: the dry run exits 0 and says what would change, the real run changes it', async () => {
    const dry = await cli(['set-default', 'MVN.VERSION', 'maven-4', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('1 file(s) would change; nothing written (--dry-run)');
    expect(readFileSync(path.join(dir, 'jobs/_defaults.yaml'), 'utf8')).not.toContain('maven-4');
  });
});

describe('commands against Jenkins (embedded stand-in)', () => {
  it('import --dry-run refuses files that exist already, as the real import does', async () => {
    const home = path.join(dir, 'home');
    mkdirSync(path.join(home, 'jobs/hello'), { recursive: true });
    writeFileSync(path.join(home, 'jobs/hello/config.xml'), "<?xml version='1.1' encoding='UTF-8'?>\n<project>\n  <description>hi</description>\n  <disabled>false</disabled>\n</project>\n");
    const out = path.join(dir, 'imported');
    mkdirSync(path.join(out, 'jobs'), { recursive: true });
    writeFileSync(path.join(out, 'jobs/hello.yaml'), '# mine\n');
    const { dry } = await sameAsRealRun(
      ['import', '--match', 'hello', '--out', out, '--embedded', home, '--dry-run'],
      ['import', '--match', 'hello', '--out', out, '--embedded', home],
      1,
    );
    expect(dry.stdout).toContain('these files exist already; nothing was written: jobs/hello.yaml');
    expect(readFileSync(path.join(out, 'jobs/hello.yaml'), 'utf8')).toBe('# mine\n');
  });

  it('bulk without --apply refuses a backup directory that is not empty, as --apply does', async () => {
    const home = path.join(dir, 'home');
    mkdirSync(path.join(home, 'jobs/hello'), { recursive: true });
    writeFileSync(path.join(home, 'jobs/hello/config.xml'), '<project><assignedNode>a</assignedNode></project>\n');
    mkdirSync(path.join(dir, 'bk'));
    writeFileSync(path.join(dir, 'bk/keep.txt'), 'x');
    await sameAsRealRun(
      ['bulk', '--embedded', home, '--set', 'assignedNode=b', '--backup-dir', 'bk'],
      ['bulk', '--embedded', home, '--set', 'assignedNode=b', '--backup-dir', 'bk', '--apply'],
      1,
    );
  });

  it('sync --dry-run exits 1 on a refused plan (mass delete), like sync', async () => {
    const home = path.join(dir, 'home');
    for (let i = 0; i < 12; i++) writeFileSync(path.join(dir, `jobs/p${i}.yaml`), 'templates: [Pipeline-git]\ntokens:\n  GIT.URL: https://git.example.com/x.git\n  GIT.CREDENTIALS: c\n');
    expect((await cli(['sync', '--embedded', home])).code).toBe(0);
    for (let i = 0; i < 12; i++) rmSync(path.join(dir, `jobs/p${i}.yaml`));
    const before = readdirSync(path.join(home, 'jobs')).sort();
    const { dry } = await sameAsRealRun(['sync', '--embedded', home, '--dry-run'], ['sync', '--embedded', home], 1);
    expect(dry.stdout + dry.stderr).toMatch(/mass delete|--allow-mass-delete/i);
    expect(readdirSync(path.join(home, 'jobs')).sort()).toEqual(before);
  });
});
