/**
 * Start-up (issue 16): `--version` and `--help` load neither yargs nor any command; building one
 * command's line loads only light modules (no loader, renderer, HTTP client, git, stand-in, web
 * form, diff or YAML library: the handler imports those when it runs). Checked by counting the
 * modules a command line loads (bench/startup/modules.mjs, a module-loading hook), never by timing.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { COMMANDS } from '../../src/cli/commands.js';

interface Loaded {
  ours: string[];
  packages: string[];
  stdout: string;
}

function modulesOf(args: string[]): Promise<Loaded> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bench/startup/modules.mjs'), '--list', '--', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => {
      const files = stderr
        .split('\n')
        .filter((l) => l.startsWith('  '))
        .map((l) => l.trim());
      const packages = [...new Set(files.filter((f) => f.startsWith('node_modules/')).map((f) => /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)![1]!))].sort();
      resolve({ ours: files.filter((f) => f.startsWith('dist/')), packages, stdout });
    });
  });
}

const YARGS = ['cliui', 'escalade', 'y18n', 'yargs', 'yargs-parser'];
/** Modules only a running command needs. */
const HEAVY = /^dist\/(load|render|bulk|branches|standin|form\/(?!self-service-options)|sync\/|apply\/|xml\/|jenkins\/(?!setting-ranges))/;

describe('start-up', () => {
  it('--version: no yargs, no command, the version from package.json', async () => {
    const r = await modulesOf(['--version']);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.packages).toEqual([]);
    expect(r.ours).toEqual(['dist/cli/main.js', 'dist/cli/exit-codes.js', 'dist/model/errors.js']);
  });

  it('--help: no yargs, no command module, every command listed', async () => {
    const r = await modulesOf(['--help']);
    expect(r.packages).toEqual([]);
    expect(r.ours.filter((f) => /-command\.js$/.test(f))).toEqual([]);
    for (const c of Object.values(COMMANDS)) expect(r.stdout).toContain(`jobsmith ${c.usage}`);
  });

  it.each(Object.keys(COMMANDS))('%s --help: only yargs and light modules', async (name) => {
    const args = COMMANDS[name]!.usage.split(' ').map((w) => (w.startsWith('<') ? 'x' : w));
    const r = await modulesOf([...args, '--help']);
    expect(r.stdout).toContain(`jobsmith ${name}`);
    expect(r.packages).toEqual(YARGS);
    expect(r.ours.filter((f) => HEAVY.test(f))).toEqual([]);
  });
});
