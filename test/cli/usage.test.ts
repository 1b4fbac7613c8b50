import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, runCli } from '../helpers/cli.js';

describe('jobsmith CLI usage', () => {
  it('prints help and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('jobsmith <command>');
  });

  it('exits 2 on an unknown flag', async () => {
    const r = await runCli(['--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown argument/i);
  });

  it('a nested command with a bad flag runs nothing (exit 2, not the network failure it would meet)', async () => {
    const r = await runCli(['jenkins', 'ping', '--bogus', '--jenkins-url', 'http://127.0.0.1:1/', '--retries', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: Unknown argument: bogus\n(run with --help for usage)\n');
  });

  it('a mistyped command: one suggestion, exit 2', async () => {
    const r = await runCli(['rendr']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: unknown command rendr. Did you mean render?');
  });

  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version + '\n');
  });
});
