/**
 * The stand-in takes its user's secret from a file or a variable too (not only the command line,
 * where `ps` shows it), and a backup interrupted with Ctrl-C says how far it got before exiting 130
 * (break-it observations on issue 16). Real processes, real sockets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliPath, runCli } from '../helpers/cli.js';

let box: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  box = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-standin-secret-'));
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) {
    c.kill('SIGTERM');
    await new Promise((r) => c.once('close', r));
  }
  rmSync(box, { recursive: true, force: true });
});

/** Start `jobsmith standin` on a free port; resolves with its URL and the process. */
function standin(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [cliPath, 'standin', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (code) => reject(new Error(`standin exited ${code}: ${err}`)));
  });
}

const ping = (url: string, token: string) => runCli(['jenkins', 'ping', '--retries', '0'], { env: { JENKINS_URL: url + '/', JENKINS_USER: 'admin', JENKINS_API_TOKEN: token } });

describe('standin: the secret from a file or a variable', () => {
  it('--token-file: its first line is the token; the command line shows no secret', async () => {
    writeFileSync(path.join(box, 'token'), 's3cret-token-value\n');
    const { url, child } = await standin(['--home', path.join(box, 'h1'), '--user', 'admin', '--token-file', path.join(box, 'token')]);
    expect(child.spawnargs.join(' ')).not.toContain('s3cret-token-value');
    expect((await ping(url, 's3cret-token-value')).code).toBe(0);
    expect((await ping(url, 'wrong-token-value')).code).toBe(3);
  }, 30_000);

  it('JOBSMITH_STANDIN_TOKEN', async () => {
    const { url } = await standin(['--home', path.join(box, 'h2'), '--user', 'admin'], { JOBSMITH_STANDIN_TOKEN: 'env-token-value' });
    expect((await ping(url, 'env-token-value')).code).toBe(0);
    expect((await ping(url, 'wrong-token-value')).code).toBe(3);
  }, 30_000);

  it('--user with no secret anywhere, or --token with --token-file, is a usage error; an empty file is bad input', async () => {
    const none = await runCli(['standin', '--home', path.join(box, 'h3'), '--port', '0', '--user', 'admin'], { env: { JOBSMITH_STANDIN_TOKEN: '', JOBSMITH_STANDIN_PASSWORD: '' } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--token-file FILE or JOBSMITH_STANDIN_TOKEN');
    writeFileSync(path.join(box, 'empty'), '\n');
    const both = await runCli(['standin', '--home', path.join(box, 'h3'), '--port', '0', '--user', 'admin', '--token', 'x', '--token-file', path.join(box, 'empty')]);
    expect(both.code).toBe(2);
    const empty = await runCli(['standin', '--home', path.join(box, 'h3'), '--port', '0', '--user', 'admin', '--token-file', path.join(box, 'empty')]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('the file is empty');
  }, 30_000);
});

describe('backup interrupted with Ctrl-C', () => {
  it('says how far it got and that nothing was committed, then exits 130', async () => {
    const home = path.join(box, 'home');
    for (let i = 0; i < 12; i++) {
      mkdirSync(path.join(home, 'jobs', `job-${i}`), { recursive: true });
      writeFileSync(path.join(home, 'jobs', `job-${i}`, 'config.xml'), '<project><builders/></project>\n');
    }
    // Every request takes 400 ms: the backup is still fetching when Ctrl-C comes.
    const { url } = await standin(['--home', home, '--latency-ms', '400']);
    const child = spawn(process.execPath, [cliPath, 'backup', '--git', path.join(box, 'bk'), '--concurrency', '1'], { env: { ...process.env, JENKINS_URL: url + '/', JENKINS_USER: '', JENKINS_API_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (stderr.includes('Jenkins:')) {
          clearInterval(t);
          setTimeout(resolve, 1500);
        }
      }, 50);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('close', r));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted: backup into \S+ stopped (after \d+ of \d+ items|before any item was fetched): .*nothing was committed \(the repository is at its previous commit\); run the backup again to complete it/);
  }, 60_000);
});
