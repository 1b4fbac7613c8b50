import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './cli.js';

// Without ../shared, the tests that read it fail with one clear line naming what is missing and
// where it comes from, not with a bare ENOENT. Proved by running real test files in a child vitest
// with JOBSMITH_SHARED_DIR pointing at a folder that is not there (or lacks the corpus).

function childVitest(files: string[], sharedDir: string): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'NODE_OPTIONS') env[k] = v;
  env.JOBSMITH_SHARED_DIR = sharedDir;
  env.NO_COLOR = '1';
  env.CI = '1';
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', ...files], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('tests without ../shared', () => {
  it('fail with one line saying the shared folder is missing and where it comes from', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-noshared-'));
    try {
      const missingDir = path.join(tmp, 'shared');
      // One file reads the corpus while collecting its tests, the other inside a test.
      const { code, output } = await childVitest(['test/render/corpus.test.ts', 'test/bulk/bulk-script.test.ts'], missingDir);
      expect(code).not.toBe(0);
      const line = `the shared reference folder is missing: ${missingDir} does not exist. It is the steering repository's shared/ folder (corpus/, jenkins-api.md, bench/gen-jjb.py), checked out beside this repository as ../shared; put it there or set JOBSMITH_SHARED_DIR to where it is`;
      expect(output).toContain(`note: ${line}; the tests that read it will fail`);
      expect(output).toContain(`SharedMissing: ${line}`);
      expect(output).not.toMatch(/ENOENT/);
      // The tests of bulk-script.test.ts that do not read the corpus still pass.
      expect(output).toMatch(/tests: [1-9]\d* passed, [1-9]\d* failed, 0 skipped/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);

  it('name the missing part when the folder is there without it', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-noshared-'));
    try {
      mkdirSync(path.join(tmp, 'shared'));
      const { code, output } = await childVitest(['test/render/corpus.test.ts'], path.join(tmp, 'shared'));
      expect(code).not.toBe(0);
      expect(output).toContain(`SharedMissing: the shared reference folder ${path.join(tmp, 'shared')} has no corpus: update the steering repository's shared/ folder (or JOBSMITH_SHARED_DIR)`);
      expect(output).not.toMatch(/ENOENT/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});
