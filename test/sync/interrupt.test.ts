/**
 * Ctrl-C (SIGINT) during a sync (issue 16): the changes in flight finish, no new one starts, and
 * the command prints exactly what was applied and what was not, then exits 130. Before anything
 * is applied, Ctrl-C stops at once: nothing was changed. The built CLI runs as a whole process
 * against a stand-in with added latency, so the interruption lands in the middle.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { cliPath, repoRoot } from '../helpers/cli.js';

const JOBS = 30;
let dir: string;
let standin: Standin;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-interrupt-'));
  mkdirSync(path.join(dir, 'jobs'));
  for (let i = 0; i < JOBS; i++) {
    writeFileSync(path.join(dir, `jobs/p${String(i).padStart(2, '0')}.yaml`), 'templates: [Pipeline-git]\ntokens:\n  GIT.URL: https://git.example.com/x.git\n  GIT.CREDENTIALS: c\n');
  }
});
afterEach(async () => {
  await standin?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Run `jobsmith sync`, send SIGINT once `when` holds for its stderr; resolve with its exit. */
function syncInterrupted(when: (stderr: string) => boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'sync', '--templates', path.join(repoRoot, 'job-templates'), '--concurrency', '2', '--retries', '0'], {
      cwd: dir,
      env: { ...process.env, JENKINS_URL: standin.url, JENKINS_USER: '', JENKINS_API_TOKEN: '', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no interruption point seen:\n${stderr}`));
    }, 60_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!sent && when(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

async function jenkinsJobs(): Promise<string[]> {
  const c = new JenkinsClient({ url: standin.url });
  try {
    return (await c.list()).items.map((i) => i.fullName).sort();
  } finally {
    await c.close();
  }
}

describe('Ctrl-C during jobsmith sync', () => {
  it('while applying: in-flight changes finish, the rest is listed as not applied, exit 130', async () => {
    standin = await startStandin({ home: path.join(dir, 'home'), port: 0, faults: { latencyMs: 120 } });
    const r = await syncInterrupted((e) => /^created job /m.test(e));
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('interrupted: starting no more changes, letting those in flight finish');
    const head = /Interrupted: (\d+) change\(s\) applied, (\d+) failed, (\d+) not applied\./.exec(r.stderr);
    expect(head, r.stderr).not.toBeNull();
    const [applied, failed, notApplied] = head!.slice(1).map(Number) as [number, number, number];
    expect(failed).toBe(0);
    expect(applied).toBeGreaterThan(0);
    expect(notApplied).toBeGreaterThan(0);
    expect(applied + notApplied).toBe(JOBS);
    const appliedJobs = [...r.stderr.matchAll(/^ {2}applied {6}create job (\S+)$/gm)].map((m) => m[1]!).sort();
    const notAppliedJobs = [...r.stderr.matchAll(/^ {2}not applied {2}create job (\S+)$/gm)].map((m) => m[1]!).sort();
    expect(appliedJobs.length).toBe(applied);
    expect(notAppliedJobs.length).toBe(notApplied);
    // What it says was applied is exactly what Jenkins has.
    expect(await jenkinsJobs()).toEqual(appliedJobs);
    expect(r.stderr).toContain('Run sync again to converge.');
  });

  it('before anything is applied (while listing): stops at once, nothing changed, exit 130', async () => {
    standin = await startStandin({ home: path.join(dir, 'home'), port: 0, faults: { slowListingMs: 5_000 } });
    const r = await syncInterrupted((e) => e.includes(`Jenkins: ${standin.url}`));
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('interrupted: nothing was changed in Jenkins');
    standin.faults.clear();
    expect(await jenkinsJobs()).toEqual([]);
  });
});
