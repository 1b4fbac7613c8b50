/**
 * render writes only into files its manifest says it wrote, or into paths that do not exist; it
 * never follows a symbolic link in the output tree; anything else is an error naming every such
 * path, with nothing written (issue 16). Library cases first, then the built CLI.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesiredState } from '../../src/model/desired-job.js';
import { MANIFEST_FILE, writeJenkinsHome } from '../../src/render/write-jenkins-home.js';
import { repoRoot, runCli } from '../helpers/cli.js';

function job(fullName: string, config: string) {
  const parts = fullName.split('/');
  return {
    fullName,
    name: parts[parts.length - 1]!,
    folder: parts.slice(0, -1),
    project: 'p',
    template: 'T',
    config,
    hash: 'sha256:' + createHash('sha256').update(config).digest('hex'),
    rootElement: 'project',
    source: { file: 'jobs/p.yaml' },
  };
}
const state = (jobs: ReturnType<typeof job>[]): DesiredState => ({ jobs, folders: [], views: [] });

/** Every path below `root` with its content (links shown as `-> target`). */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const abs = path.join(d, e.name);
      if (lstatSync(abs).isSymbolicLink()) out[r] = `-> ${path.relative(root, path.resolve(d, readlinkSync(abs)))}`;
      else if (e.isDirectory()) walk(abs, r);
      else out[r] = readFileSync(abs, 'utf8');
    }
  };
  walk(root, '');
  return out;
}

let box: string;
let out: string;
beforeEach(() => {
  box = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-out-safety-'));
  out = path.join(box, 'out');
});
afterEach(() => rmSync(box, { recursive: true, force: true }));

describe('writeJenkinsHome refuses what it did not write', () => {
  it('a hand-written config.xml is not overwritten; nothing at all is written (not even the new jobs)', () => {
    mkdirSync(path.join(out, 'jobs/a'), { recursive: true });
    writeFileSync(path.join(out, 'jobs/a/config.xml'), '<mine/>');
    const before = snapshot(box);
    const w = writeJenkinsHome(out, state([job('a', '<a/>'), job('b', '<b/>')]));
    expect(w.refused).toEqual([{ path: path.join(out, 'jobs/a/config.xml'), reason: `exists, and render did not write it (it is not in ${MANIFEST_FILE})` }]);
    expect(w.written).toEqual([]);
    expect(snapshot(box)).toEqual(before);
  });

  it('a job directory linked elsewhere is not written through, nor is a linked config.xml, nor a linked jobs/', () => {
    const elsewhere = path.join(box, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(path.join(elsewhere, 'config.xml'), '<precious/>');
    mkdirSync(path.join(out, 'jobs/c'), { recursive: true });
    symlinkSync(elsewhere, path.join(out, 'jobs/a'));
    symlinkSync(path.join(elsewhere, 'config.xml'), path.join(out, 'jobs/c/config.xml'));
    const before = snapshot(box);
    const w = writeJenkinsHome(out, state([job('a', '<a/>'), job('a/x', '<ax/>'), job('b', '<b/>'), job('c', '<c/>')]));
    expect(w.refused).toEqual([
      { path: path.join(out, 'jobs/a'), reason: 'a symbolic link (render never writes through one)' },
      { path: path.join(out, 'jobs/c/config.xml'), reason: 'a symbolic link (render never writes through one)' },
    ]);
    expect(snapshot(box)).toEqual(before);

    rmSync(path.join(out, 'jobs'), { recursive: true });
    symlinkSync(elsewhere, path.join(out, 'jobs'));
    const w2 = writeJenkinsHome(out, state([job('b', '<b/>')]));
    expect(w2.refused.map((r) => r.path)).toEqual([path.join(out, 'jobs')]);
    expect(readdirSync(elsewhere)).toEqual(['config.xml']);
  });

  it('a linked manifest is neither read nor written', () => {
    mkdirSync(out);
    writeFileSync(path.join(box, 'victim.json'), 'keep');
    symlinkSync(path.join(box, 'victim.json'), path.join(out, MANIFEST_FILE));
    const w = writeJenkinsHome(out, state([job('a', '<a/>')]));
    expect(w.refused.map((r) => r.path)).toEqual([path.join(out, MANIFEST_FILE)]);
    expect(readFileSync(path.join(box, 'victim.json'), 'utf8')).toBe('keep');
    expect(existsSync(path.join(out, 'jobs'))).toBe(false);
  });

  it('a file to remove that now sits under a link: refused, the link target untouched', () => {
    writeJenkinsHome(out, state([job('a', '<a/>'), job('gone', '<g/>')]));
    const elsewhere = path.join(box, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(path.join(elsewhere, 'config.xml'), '<precious/>');
    rmSync(path.join(out, 'jobs/gone'), { recursive: true });
    symlinkSync(elsewhere, path.join(out, 'jobs/gone'));
    const w = writeJenkinsHome(out, state([job('a', '<a2/>')]));
    expect(w.refused.map((r) => r.path)).toEqual([path.join(out, 'jobs/gone')]);
    expect(readFileSync(path.join(elsewhere, 'config.xml'), 'utf8')).toBe('<precious/>');
    expect(readFileSync(path.join(out, 'jobs/a/config.xml'), 'utf8')).toBe('<a/>');
  });

  it('its own files are rewritten (even after a hand edit); a file already holding the rendered bytes is taken over', () => {
    writeJenkinsHome(out, state([job('a', '<a/>')]));
    writeFileSync(path.join(out, 'jobs/a/config.xml'), '<edited/>');
    expect(writeJenkinsHome(out, state([job('a', '<a/>')])).written).toEqual(['jobs/a/config.xml']);
    // The manifest was lost: identical files are ours again, a different one is refused.
    rmSync(path.join(out, MANIFEST_FILE));
    mkdirSync(path.join(out, 'jobs/b'));
    writeFileSync(path.join(out, 'jobs/b/config.xml'), '<b/>');
    const w = writeJenkinsHome(out, state([job('a', '<a/>'), job('b', '<b/>')]));
    expect(w).toEqual({ written: [], unchanged: 2, removed: [], refused: [] });
    expect(JSON.parse(readFileSync(path.join(out, MANIFEST_FILE), 'utf8')).files).toHaveProperty(['jobs/b/config.xml']);
  });

  it('--out that is a file is refused', () => {
    writeFileSync(out, 'x');
    expect(writeJenkinsHome(out, state([job('a', '<a/>')])).refused).toEqual([{ path: out, reason: 'not a directory' }]);
  });
});

describe('jobsmith render (CLI)', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(box, 'defs');
    mkdirSync(dir);
    cpSync(path.join(repoRoot, 'job-templates'), path.join(dir, 'job-templates'), { recursive: true });
    cpSync(path.join(repoRoot, 'jobs'), path.join(dir, 'jobs'), { recursive: true });
  });

  it('names every refused path, exits 1 and writes nothing; --json lists them', async () => {
    mkdirSync(path.join(dir, 'out/jobs/payments-CI-build-trunk'), { recursive: true });
    writeFileSync(path.join(dir, 'out/jobs/payments-CI-build-trunk/config.xml'), '<hand-written/>');
    const elsewhere = path.join(box, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, path.join(dir, 'out/jobs/payments-RC-build-branch'));
    const before = snapshot(box);
    const r = await runCli(['render'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'out/jobs/payments-CI-build-trunk/config.xml: error: exists, and render did not write it (it is not in .jobsmith-render.json)\n' +
        'out/jobs/payments-RC-build-branch: error: a symbolic link (render never writes through one)\n' +
        'render writes only files it wrote before (listed in out/.jobsmith-render.json) and new paths: move these away or render into a new directory; nothing written\n',
    );
    expect(snapshot(box)).toEqual(before);
    const j = await runCli(['render', '--json'], { cwd: dir });
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, refused: [{ path: 'out/jobs/payments-CI-build-trunk/config.xml' }, { path: 'out/jobs/payments-RC-build-branch' }] });
  });

  it('renders again into its own output (unchanged files stay)', async () => {
    expect((await runCli(['render'], { cwd: dir })).code).toBe(0);
    const again = await runCli(['render'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/0 written, \d+ unchanged, 0 removed/);
  });
});
