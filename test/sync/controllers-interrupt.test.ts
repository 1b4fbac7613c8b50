/**
 * Ctrl-C (SIGINT) during a sync over many controllers (docs/controllers.md): a real `jobsmith sync`
 * process over two stand-ins on loopback ports, one of them slow (the stand-in's latency fault), is
 * interrupted while the slow one is still creating. A move's delete on the old controller never
 * runs before its create on the new one (the second round does not start after Ctrl-C), the run
 * exits 130 after saying what was applied and what was not, and the next sync converges.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { cliPath, runCli } from '../helpers/cli.js';
import { TEMPLATE } from './harness.js';

const NEW_ON_WEST = 8;
let dir: string;
let east: Standin;
let west: Standin;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-ctl-interrupt-'));
  mkdirSync(path.join(dir, 'jobs'));
  mkdirSync(path.join(dir, 'job-templates'));
  writeFileSync(path.join(dir, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
  east = await startStandin({ home: path.join(dir, 'east'), port: 0 });
  west = await startStandin({ home: path.join(dir, 'west'), port: 0 });
  writeFileSync(path.join(dir, 'jobsmith.yaml'), `controllers:\n  east: { url: "${east.url}/", retries: 0 }\n  west: { url: "${west.url}/", retries: 0, concurrency: 1 }\ndefault-controller: east\n`);
});
afterEach(async () => {
  await east.close();
  await west.close();
  rmSync(dir, { recursive: true, force: true });
});

const project = (name: string, controller?: string) => writeFileSync(path.join(dir, 'jobs', `${name}.yaml`), `${controller ? `controller: ${controller}\n` : ''}templates: [CI-build-trunk]\ntokens:\n  SCM.PATH: https://svn.example.com/${name}\n`);
const jobsOf = (s: Standin): string[] => {
  const d = path.join(dir, s === east ? 'east' : 'west', 'jobs');
  return existsSync(d) ? readdirSync(d).sort() : [];
};

/** `jobsmith sync` as a process; SIGINT once `ready()` holds (polled); resolves with its exit. */
function syncInterrupted(ready: () => boolean, json = false): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'sync', ...(json ? ['--json'] : [])], { cwd: dir, env: { ...process.env, NO_COLOR: '1', CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const poll = setInterval(() => {
      if (ready()) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 20);
    const timer = setTimeout(() => {
      clearInterval(poll);
      child.kill('SIGKILL');
      reject(new Error(`no interruption point seen:\n${stderr}`));
    }, 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('Ctrl-C during a sync over many controllers', () => {
  it.each([['text'], ['json']])('while the slow controller creates: no delete of a move runs, exit 130 with what was and was not applied; the next sync converges (%s)', async (format) => {
    const stays = ['s0', 's1', 's2'];
    for (const p of ['pay', 'gone', ...stays]) project(p);
    expect((await runCli(['sync'], { cwd: dir })).code).toBe(0);
    expect(jobsOf(east)).toEqual(['gone-CI-build-trunk', 'pay-CI-build-trunk', ...stays.map((p) => `${p}-CI-build-trunk`)]);
    // pay moves to west, which also gets new projects to create first; west answers slowly
    project('pay', 'west');
    for (let i = 0; i < NEW_ON_WEST; i++) project(`a${i}`, 'west');
    rmSync(path.join(dir, 'jobs', 'gone.yaml'));
    west.faults.set({ latencyMs: 250 });
    // Ctrl-C once west has created something and east (fast) has done its own delete
    const r = await syncInterrupted(() => jobsOf(west).length >= 1 && !jobsOf(east).includes('gone-CI-build-trunk'), format === 'json');
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('interrupted: starting no more changes, letting those in flight finish');
    // west was stopped part way: some creates done, the rest not started
    const onWest = jobsOf(west);
    expect(onWest.length).toBeGreaterThan(0);
    expect(onWest.length).toBeLessThan(NEW_ON_WEST + 1);
    // the move's delete on east never ran: pay is still on east (whether or not west created it)
    expect(jobsOf(east)).toContain('pay-CI-build-trunk');
    if (format === 'text') {
      expect(r.stderr).toMatch(/controller west:\nInterrupted: [^]*not applied {2}create job a\d-CI-build-trunk/);
      // the waiting delete is not started (interrupted), not a failure of east
      expect(r.stderr).toMatch(/controller east:\nInterrupted: 1 change\(s\) applied, 0 failed, 1 not applied\.\n {2}applied {6}delete job gone-CI-build-trunk\n {2}not applied {2}delete job pay-CI-build-trunk\n/);
      expect(r.stderr).toMatch(/Controllers:\n {2}east {2}interrupted: 1 applied, 0 failed, 0 skipped, 1 not started \(interrupted\)\n {2}west {2}interrupted: /);
    } else {
      const out = JSON.parse(r.stdout) as { status: string; exitCode: number; controllers: { controller: string; exitCode: number; applied: { succeeded: { fullName: string }[]; skipped: unknown[]; notStarted: { kind: string; fullName: string }[] } }[] };
      expect([out.status, out.exitCode]).toEqual(['interrupted', 130]);
      const e = out.controllers.find((c) => c.controller === 'east')!;
      expect([e.exitCode, e.applied.succeeded.map((c) => c.fullName), e.applied.skipped, e.applied.notStarted.map((c) => `${c.kind} ${c.fullName}`)]).toEqual([130, ['gone-CI-build-trunk'], [], ['delete pay-CI-build-trunk']]);
    }
    // the next sync converges
    west.faults.clear();
    const again = await runCli(['sync'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(jobsOf(east)).toEqual(stays.map((p) => `${p}-CI-build-trunk`));
    expect(jobsOf(west)).toEqual([...Array.from({ length: NEW_ON_WEST }, (_, i) => `a${i}-CI-build-trunk`), 'pay-CI-build-trunk'].sort());
    const noop = await runCli(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(noop.code, noop.stdout).toBe(0);
  }, 90_000);
});
