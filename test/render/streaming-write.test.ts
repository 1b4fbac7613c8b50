/**
 * `render` drops each config after its checks and hash (keepConfigs: false) and renders it again while
 * writing: the files must be byte-identical to rendering with every config kept, and the manifest
 * must stay a list of our own files only.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../src/load/workspace.js';
import { hasErrors } from '../../src/model/diagnostic.js';
import { renderWorkspace } from '../../src/render/render-workspace.js';
import { isOwnManifestEntry, MANIFEST_FILE, writeJenkinsHome } from '../../src/render/write-jenkins-home.js';

const goldenDir = path.join(import.meta.dirname, '../fixtures/golden');

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const abs = path.join(d, e);
      if (statSync(abs).isDirectory()) walk(abs);
      else out.set(path.relative(dir, abs), readFileSync(abs, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

describe('render without keeping configs', () => {
  const cases = readdirSync(goldenDir).filter((c) => statSync(path.join(goldenDir, c)).isDirectory()).sort();
  for (const c of cases) {
    it(`${c}: same jobs, hashes and bytes as with every config kept`, async () => {
      const ws = (await loadWorkspace({ templatesDir: path.join(goldenDir, c, 'job-templates'), jobsDir: path.join(goldenDir, c, 'jobs') })).workspace;
      const kept = renderWorkspace(ws);
      const lean = renderWorkspace(ws, { keepConfigs: false });
      expect(lean.diagnostics).toEqual(kept.diagnostics);
      expect(lean.desired.jobs.map((j) => [j.fullName, j.hash])).toEqual(kept.desired.jobs.map((j) => [j.fullName, j.hash]));
      for (const j of lean.desired.jobs) expect(j.config).toBe('');
      lean.desired.jobs.forEach((j, i) => expect(lean.configOf(j)).toBe(kept.desired.jobs[i]!.config));
      if (hasErrors(kept.diagnostics) || kept.desired.jobs.length === 0) return;
      const base = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-stream-'));
      try {
        writeJenkinsHome(path.join(base, 'a'), kept.desired);
        writeJenkinsHome(path.join(base, 'b'), lean.desired, { configOf: lean.configOf });
        const a = tree(path.join(base, 'a'));
        expect(a.size).toBeGreaterThan(1);
        expect(tree(path.join(base, 'b'))).toEqual(a);
        // A second run into the same directory with the lean form: nothing rewritten.
        const again = renderWorkspace(ws, { keepConfigs: false });
        const w = writeJenkinsHome(path.join(base, 'b'), again.desired, { configOf: again.configOf });
        expect(w.written).toEqual([]);
        expect(w.unchanged).toBe(a.size - 1);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    });
  }
});

describe('render with a budget for kept configs', () => {
  it('keeps configs until the budget is spent, drops the rest, and configOf gives every one back', async () => {
    const c = path.join(goldenDir, 'seed-svn-maven');
    const ws = (await loadWorkspace({ templatesDir: path.join(c, 'job-templates'), jobsDir: path.join(c, 'jobs') })).workspace;
    const kept = renderWorkspace(ws);
    expect(kept.desired.jobs.length).toBeGreaterThan(2);
    const first = kept.desired.jobs[0]!.config.length;
    // Room for the first config only (and not for the first two).
    const lean = renderWorkspace(ws, { keepConfigs: first + 1 });
    expect(lean.desired.jobs[0]!.config).toBe(kept.desired.jobs[0]!.config);
    expect(lean.desired.jobs.slice(1).filter((j) => j.config !== '').map((j) => j.fullName)).toEqual([]);
    lean.desired.jobs.forEach((j, i) => expect(lean.configOf(j)).toBe(kept.desired.jobs[i]!.config));
    const none = renderWorkspace(ws, { keepConfigs: 0 });
    expect(none.desired.jobs.every((j) => j.config === '')).toBe(true);
    const all = renderWorkspace(ws, { keepConfigs: Number.MAX_SAFE_INTEGER });
    expect(all.desired.jobs.map((j) => j.config)).toEqual(kept.desired.jobs.map((j) => j.config));
  });
});

describe('manifest entries', () => {
  it('only jobs/.../config.xml paths inside <out>/jobs count as our own', () => {
    const out = path.join(os.tmpdir(), 'o');
    expect(isOwnManifestEntry(out, 'jobs/a/config.xml')).toBe(true);
    expect(isOwnManifestEntry(out, 'jobs/f/jobs/a/config.xml')).toBe(true);
    for (const bad of ['../victim.txt', 'jobs/../../x/config.xml', 'jobs/../config.xml', '/etc/config.xml', 'jobs//config.xml', 'jobs/./a/config.xml', 'jobs/a/other.txt', 'jobs\\..\\..\\config.xml', 'x/jobs/a/config.xml', 'jobs/config.xml/../../y/config.xml']) {
      expect(isOwnManifestEntry(out, bad), bad).toBe(false);
    }
  });

  it('a removed job goes; a crafted entry outside <out>/jobs stays untouched', () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-manifest-'));
    try {
      const out = path.join(base, 'out');
      mkdirSync(path.join(out, 'jobs/old'), { recursive: true });
      writeFileSync(path.join(out, 'jobs/old/config.xml'), '<old/>');
      writeFileSync(path.join(base, 'victim.txt'), 'keep');
      mkdirSync(path.join(out, 'other'), { recursive: true });
      writeFileSync(path.join(out, 'other/config.xml'), 'keep');
      const files = { 'jobs/old/config.xml': 'sha256:0', '../victim.txt': 'sha256:0', 'other/config.xml': 'sha256:0', 'jobs/../other/config.xml': 'sha256:0' };
      writeFileSync(path.join(out, MANIFEST_FILE), JSON.stringify({ format: 'jobsmith-render', version: 1, files }));
      const w = writeJenkinsHome(out, { jobs: [], folders: [], views: [] });
      expect(w.removed).toEqual(['jobs/old/config.xml']);
      expect(existsSync(path.join(out, 'jobs/old'))).toBe(false);
      expect(readFileSync(path.join(base, 'victim.txt'), 'utf8')).toBe('keep');
      expect(readFileSync(path.join(out, 'other/config.xml'), 'utf8')).toBe('keep');
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
