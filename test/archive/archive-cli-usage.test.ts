/** The archive commands' usage and settings errors, through the built CLI: exit 2 for usage, 1 for bad input. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobsmith-archive-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('archive command line', () => {
  it('no archive configured: a usage error naming what to do', async () => {
    const r = await runCli(['archive', 'list'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: no archive: pass --archive DIR or set archive.dir in jobsmith.yaml\n');
  });

  it('a directory that is no archive is bad input (a typo never reads as "nothing archived")', async () => {
    const r = await runCli(['archive', 'list', '--archive', 'nowhere'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path.join(dir, 'nowhere')} is not a jobsmith archive (no jobsmith-archive.json)`);
  });

  it('--archive twice, a build number that is none, no command: usage errors', async () => {
    expect((await runCli(['archive', 'list', '--archive', 'a', '--archive', 'b'], { cwd: dir })).code).toBe(2);
    const twice = await runCli(['sync', '--archive', 'a', '--archive', 'b', '--jenkins-url', 'http://127.0.0.1:9/'], { cwd: dir });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('--archive was given more than once');
    const zero = await runCli(['archive', 'show', 'x', '0', '--archive', '.'], { cwd: dir });
    expect(zero.code).toBe(2);
    expect(zero.stderr).toBe('error: BUILD must be a build number (1, 2, ...)\n');
    expect((await runCli(['archive'], { cwd: dir })).code).toBe(2);
  });

  it('an empty or unusable --job pattern and a build number past Java int are usage errors, not crashes', async () => {
    const empty = await runCli(['archive', 'list', '--job', '', '--archive', '.'], { cwd: dir });
    expect(empty.code).toBe(2);
    // the command line's rule for every flag given an empty value (src/cli/empty-flag-values.ts)
    expect(empty.stderr).toContain('error: --job needs a value (it was given an empty one or none: an unset variable?)');
    const bracket = await runCli(['archive', 'list', '--job', '[', '--archive', '.'], { cwd: dir });
    expect(bracket.code).toBe(2);
    expect(bracket.stderr).toMatch(/^error: --job "\[": .+; leave --job out to list every archived job\n$/);
    const huge = await runCli(['archive', 'show', 'x', '99999999999999999999', '--archive', '.'], { cwd: dir });
    expect(huge.code).toBe(2);
    expect(huge.stderr).toBe('error: BUILD must be a build number (1, 2, ...)\n');
  });

  it('bad archive settings stop plan before Jenkins is asked (exit 1, located)', async () => {
    fs.writeFileSync(path.join(dir, 'jobsmith.yaml'), 'archive:\n  dir: x\n  max_artifacts_mb: lots\n');
    const r = await runCli(['plan', '--jenkins-url', 'http://127.0.0.1:9/'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('jobsmith.yaml:3:21: error: archive.max_artifacts_mb must be a number of megabytes from 0 to 1048576 (0: artifacts are listed, never copied) [archive.max_artifacts_mb]');
    expect(r.stderr).not.toContain('ECONNREFUSED');
    fs.rmSync(path.join(dir, 'jobsmith.yaml'));
  });
});
