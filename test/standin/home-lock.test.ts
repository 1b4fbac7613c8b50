/**
 * One stand-in per home: a second one (`jobsmith standin --home`, `--embedded`, or in-process)
 * refuses to start and names the holder's pid; a lock left by a dead process is taken over.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandin } from '../../src/standin/server.js';
import { HOME_LOCK_FILE, HomeLockedError, lockHome } from '../../src/standin/home-lock.js';
import { cliPath, runCli } from '../helpers/cli.js';
import { TEMPLATE, project } from '../sync/harness.js';

let tmp: string;
let home: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-home-lock-'));
  home = path.join(tmp, 'home');
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

/** A pid that surely ran and is gone now. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

/** `jobsmith standin --home H --port 0` in its own process, once it listens. */
async function standinProcess(h: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cliPath, 'standin', '--home', h, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`stand-in exited with ${code}: ${out}`)));
  });
  return { child, url };
}

describe('stand-in home lock', () => {
  it('in one process: the second stand-in on a home refuses, naming the pid; after close the home is free again', async () => {
    const a = await startStandin({ home, port: 0 });
    const lock = JSON.parse(readFileSync(path.join(home, HOME_LOCK_FILE), 'utf8'));
    expect(lock).toMatchObject({ pid: process.pid, host: os.hostname() });
    const err = await startStandin({ home, port: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HomeLockedError);
    expect((err as Error).message).toContain(`is in use by another jobsmith stand-in (pid ${process.pid}, since `);
    // another home is not affected
    const other = await startStandin({ home: path.join(tmp, 'other'), port: 0 });
    await other.close();
    await a.close();
    expect(existsSync(path.join(home, HOME_LOCK_FILE))).toBe(false);
    const b = await startStandin({ home, port: 0 });
    await b.close();
  });

  it('a stale lock (its process is gone) or a garbled one is taken over; a live one on another host is not', async () => {
    mkdirSync(home, { recursive: true });
    const file = path.join(home, HOME_LOCK_FILE);
    const dead = deadPid();
    writeFileSync(file, JSON.stringify({ pid: dead, host: os.hostname(), started: '2026-01-01T00:00:00.000Z', token: 'old' }));
    const s = await startStandin({ home, port: 0 });
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    await s.close();

    writeFileSync(file, '{"pid": ');
    const l = await lockHome(home);
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    await l.release();

    writeFileSync(file, JSON.stringify({ pid: dead, host: 'build-host-2', started: '2026-01-01T00:00:00.000Z', token: 'x' }));
    await expect(lockHome(home)).rejects.toThrow(`(pid ${dead} on host build-host-2, since 2026-01-01T00:00:00.000Z)`);
    expect(JSON.parse(readFileSync(file, 'utf8')).host).toBe('build-host-2');
  });

  it('CLI: `sync --embedded` and a second `standin --home` on the home of a running `standin` exit 3 naming its pid; after it is killed, the stale lock is taken over', async () => {
    const defs = path.join(tmp, 'defs');
    mkdirSync(path.join(defs, 'job-templates'), { recursive: true });
    mkdirSync(path.join(defs, 'jobs'));
    writeFileSync(path.join(defs, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
    writeFileSync(path.join(defs, 'jobs', 'pay.yaml'), project('a', 'view: Pay\n'));
    const first = await runCli(['sync', '--embedded', home], { cwd: defs });
    expect(first.code, first.stderr).toBe(0);
    const jobFile = path.join(home, 'jobs', 'pay-CI-build-trunk', 'config.xml');
    const before = readFileSync(jobFile, 'utf8');
    const rootConfig = readFileSync(path.join(home, 'config.xml'), 'utf8');
    expect(rootConfig).toContain('<name>Pay</name>');

    const { child } = await standinProcess(home);
    const holder = `pid ${child.pid}`;
    writeFileSync(path.join(defs, 'jobs', 'web.yaml'), project('b', 'view: Web\n'));
    const embedded = await runCli(['sync', '--embedded', home], { cwd: defs });
    expect(embedded.code).toBe(3);
    expect(embedded.stderr).toContain(`is in use by another jobsmith stand-in (${holder}, since `);
    const second = await runCli(['standin', '--home', home, '--port', '0'], { cwd: defs, timeoutMs: 20_000 });
    expect(second.code).toBe(3);
    expect(second.stderr).toContain(holder);
    // nothing of the running stand-in's home was touched
    expect(readFileSync(jobFile, 'utf8')).toBe(before);
    expect(readFileSync(path.join(home, 'config.xml'), 'utf8')).toBe(rootConfig);
    expect(existsSync(path.join(home, 'jobs', 'web-CI-build-trunk'))).toBe(false);

    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(path.join(home, HOME_LOCK_FILE))).toBe(true);
    const after = await runCli(['sync', '--embedded', home], { cwd: defs });
    expect(after.code, after.stderr).toBe(0);
    expect(existsSync(path.join(home, 'jobs', 'web-CI-build-trunk', 'config.xml'))).toBe(true);
    expect(readFileSync(path.join(home, 'config.xml'), 'utf8')).toContain('<name>Web</name>');
    expect(existsSync(path.join(home, HOME_LOCK_FILE))).toBe(false);

    // Ctrl-C on a `standin` releases its lock
    const again = await standinProcess(home);
    expect(existsSync(path.join(home, HOME_LOCK_FILE))).toBe(true);
    again.child.kill('SIGINT');
    expect(await new Promise((r) => again.child.once('exit', (c, s) => r([c, s])))).toEqual([0, null]);
    expect(existsSync(path.join(home, HOME_LOCK_FILE))).toBe(false);
  });
});
