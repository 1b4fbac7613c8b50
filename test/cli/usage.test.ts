import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

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
});
