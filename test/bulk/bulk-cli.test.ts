import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { corpusXml, FOLDER_XML, seedHome } from './live-helpers.js';

let tmp: string;
let home: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-bulk-cli-'));
  home = path.join(tmp, 'home');
  seedHome(home, { f: FOLDER_XML, win: corpusXml('007-tor-ci-windows.xml'), small: corpusXml('011-osc-container.xml'), 'f/cwl': corpusXml('009-cwl-cwltool-release.xml') });
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('jobsmith bulk (CLI, embedded stand-in)', () => {
  it('dry run prints diffs and counts; --apply backs up and --undo restores', async () => {
    const dry = await runCli(['bulk', '--embedded', home, '--set', 'assignedNode=linux'], { cwd: tmp });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+  <assignedNode>linux</assignedNode>');
    expect(dry.stdout).toContain('bulk (dry run): 3 jobs selected: 2 to change, 1 unchanged');
    expect(readFileSync(path.join(home, 'jobs/win/config.xml'), 'utf8')).toBe(corpusXml('007-tor-ci-windows.xml'));

    const applied = await runCli(['bulk', '--embedded', home, '--set', 'assignedNode=linux', '--apply', '--backup-dir', 'bk', '--json'], { cwd: tmp });
    expect(applied.code).toBe(0);
    const r = JSON.parse(applied.stdout);
    expect(r.applied).toBe(2);
    // The embedded stand-in re-serialises on GET like Jenkins >= 2.568: the backup is what GET returned.
    expect(readFileSync(path.join(tmp, 'bk/jobs/win/config.xml'), 'utf8')).toContain('<assignedNode>windows</assignedNode>');
    expect(readFileSync(path.join(home, 'jobs/win/config.xml'), 'utf8')).toContain('<assignedNode>linux</assignedNode>');

    const undo = await runCli(['bulk', '--embedded', home, '--undo', 'bk'], { cwd: tmp });
    expect(undo.code).toBe(0);
    expect(undo.stdout).toContain('undo: 2 restored');
    expect(readFileSync(path.join(home, 'jobs/f/jobs/cwl/config.xml'), 'utf8')).not.toContain('<assignedNode>linux</assignedNode>');
  });

  it('bad paths and conditions are usage errors, all at once, and nothing is done', async () => {
    const r = await runCli(['bulk', '--embedded', home, '--set', 'a/[=x', '--where', 'b[@=', '--set', 'noequals', '--apply'], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr.match(/bad path|expected PATH=VALUE/g)?.length).toBe(3);
    expect(readdirSync(tmp).filter((f) => f.startsWith('jobsmith-backup'))).toEqual([]);
  });

  it('no edit named is a usage error; a broken script is bad input (exit 1)', async () => {
    expect((await runCli(['bulk', '--embedded', home], { cwd: tmp })).code).toBe(2);
    const r = await runCli(['bulk', '--embedded', home, '--script', path.join(tmp, 'missing.ts')], { cwd: tmp });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot read script');
  });

  it('--add from a file and --remove, selected with --match and --where', async () => {
    const snippet = path.join(tmp, 'w.xml');
    writeFileSync(snippet, '<hudson.plugins.timestamper.TimestamperBuildWrapper/>');
    const r = await runCli(
      ['bulk', '--embedded', home, '--match', 'f/**', '--where', 'assignedNode', '--add', 'buildWrappers', `@${snippet}`, '--remove', 'canRoam', '--apply', '--backup-dir', 'b2'],
      { cwd: tmp },
    );
    expect(r.code, r.stderr).toBe(0);
    const xml = readFileSync(path.join(home, 'jobs/f/jobs/cwl/config.xml'), 'utf8');
    expect(xml).toContain('<hudson.plugins.timestamper.TimestamperBuildWrapper/>');
    expect(xml).not.toContain('<canRoam>');
    expect(existsSync(path.join(tmp, 'b2/jobs/f/jobs/cwl/config.xml'))).toBe(true);
    expect(existsSync(path.join(tmp, 'b2/jobs/win/config.xml'))).toBe(false);
  });
});
