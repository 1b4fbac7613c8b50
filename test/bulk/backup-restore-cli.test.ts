import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { corpusXml, FOLDER_XML, seedHome } from './live-helpers.js';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-backup-cli-'));
  seedHome(path.join(tmp, 'home'), { f: FOLDER_XML, 'f/cwl': corpusXml('009-cwl-cwltool-release.xml'), win: corpusXml('007-tor-ci-windows.xml') });
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('jobsmith backup / restore (CLI, embedded stand-in)', () => {
  it('backup --git commits once, then not at all; restore onto an empty Jenkins shows a plan, --apply restores', async () => {
    const b1 = await runCli(['backup', '--embedded', 'home', '--git', 'repo'], { cwd: tmp });
    expect(b1.code, b1.stderr).toBe(0);
    expect(b1.stdout).toMatch(/backup of 3 jobs and folders, 2 views in repo: 5 written.*; commit [0-9a-f]{12}/);
    const b2 = await runCli(['backup', '--embedded', 'home', '--git', 'repo', '--json'], { cwd: tmp });
    expect(JSON.parse(b2.stdout)).toMatchObject({ written: 0, commit: null });
    expect(existsSync(path.join(tmp, 'repo/jobs/f/jobs/cwl/config.xml'))).toBe(true);

    const dry = await runCli(['restore', 'repo', '--embedded', 'empty'], { cwd: tmp });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('run again with --apply');
    expect(existsSync(path.join(tmp, 'empty/jobs/win/config.xml'))).toBe(false);
    const r = await runCli(['restore', 'repo', '--embedded', 'empty', '--apply'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Restored: 3 done, 0 failed, 0 skipped/);
    expect(readFileSync(path.join(tmp, 'empty/jobs/f/jobs/cwl/config.xml'), 'utf8')).toContain('cwltool');
  });

  it('backup needs --out or --git; restore of a non-backup is bad input', async () => {
    expect((await runCli(['backup', '--embedded', 'home'], { cwd: tmp })).code).toBe(2);
    const r = await runCli(['restore', 'nowhere', '--embedded', 'home'], { cwd: tmp });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not a jobsmith backup directory');
  });
});
