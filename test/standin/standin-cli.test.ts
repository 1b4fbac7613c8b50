import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { cliPath, runCli } from '../helpers/cli.js';
import { basic } from './standin-harness.js';

interface Proc { url: string; stdout: () => string; stderr: () => string; stop(signal: NodeJS.Signals): Promise<number | null> }

/** Spawn `jobsmith standin`, wait for its first stdout line. */
function spawnStandin(args: string[]): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'standin', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no listening line: ${out} ${err}`));
    }, 15_000);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve({
          url: out.slice(0, nl).replace('listening on ', ''),
          stdout: () => out,
          stderr: () => err,
          stop: async (signal) => {
            child.kill(signal);
            const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
            const code = await exited;
            clearTimeout(t);
            return code;
          },
        });
      }
    });
    child.on('error', reject);
  });
}

describe('jobsmith standin (CLI)', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'standin-cli-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('prints exactly "listening on http://127.0.0.1:PORT" first, serves, and stops cleanly on SIGTERM and SIGINT', async () => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      const p = await spawnStandin(['--port', '0', '--home', home, '--user', 'bob', '--token', 'tok123']);
      expect(p.stdout().split('\n')[0]).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const auth = { authorization: basic('bob', 'tok123') };
      const c = await request(`${p.url}/createItem?name=cli-${sig}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/xml' }, body: '<project/>' });
      expect(c.statusCode).toBe(200);
      await c.body.text();
      const w = await request(`${p.url}/whoAmI/api/json`, { headers: auth });
      expect(((await w.body.json()) as { name: string }).name).toBe('bob');
      const anon = await request(`${p.url}/api/json`);
      expect(anon.statusCode).toBe(403);
      await anon.body.text();
      expect(await p.stop(sig)).toBe(0);
      expect(existsSync(path.join(home, `jobs/cli-${sig}/config.xml`))).toBe(true);
    }
  });

  it('extra flags: anonymous read, verbatim config, absolute redirects, version, faults', async () => {
    const p = await spawnStandin(['--port', '0', '--home', home, '--anonymous', 'admin', '--verbatim-config', '--absolute-redirects', '--jenkins-version', '2.400', '--slow-listing-ms', '50']);
    try {
      const r = await request(`${p.url}/job/cli-SIGTERM`);
      expect(r.statusCode).toBe(302);
      expect(r.headers.location).toBe(`${p.url}/job/cli-SIGTERM/`);
      await r.body.text();
      const cfg = await request(`${p.url}/job/cli-SIGTERM/config.xml`);
      expect(await cfg.body.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><project/>');
      const root = await request(`${p.url}/`);
      expect(root.headers['x-jenkins']).toBe('2.400');
      await root.body.text();
    } finally {
      expect(await p.stop('SIGTERM')).toBe(0);
    }
  });

  it('usage errors exit 2', async () => {
    expect((await runCli(['standin', '--port', '0'])).code).toBe(2);
    const r = await runCli(['standin', '--port', '0', '--home', home, '--token', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--token and --password need --user');
    expect((await runCli(['standin', '--port', '70000', '--home', home])).code).toBe(2);
    expect((await runCli(['standin', '--home', home, '--port', '0', '--error-rate', '3'])).code).toBe(2);
  });
});
