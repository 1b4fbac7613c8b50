/**
 * One options layer (issue 16): every command that talks to Jenkins takes the same connection
 * flags, checked the same way; bad settings are bad input (exit 1) naming the setting, a flag out
 * of range is a usage error (exit 2) naming the one range; nothing is an internal error.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { definitionsFiles } from '../form/fixtures.js';
import { makeDefinitionsRepo } from '../form/git-fixtures.js';
import { SETTING_RANGES, describeRange } from '../../src/jenkins/setting-ranges.js';
import { openJenkins } from '../../src/cli/connection-options.js';

const CONNECTION_FLAGS = ['--jenkins-url', '--user', '--token-file', '--config', '--concurrency', '--timeout', '--retries', '--ca-file', '--proxy', '--no-proxy', '--embedded'];
const JENKINS_COMMANDS = [['plan'], ['apply', 'x'], ['sync'], ['backup'], ['restore', 'x'], ['import'], ['bulk'], ['serve'], ['create'], ['bootstrap'], ['jenkins', 'ping'], ['jenkins', 'list']];
const noJenkinsEnv = { JENKINS_URL: '', JENKINS_USER: '', JENKINS_API_TOKEN: '', HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '' };

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-options-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { cwd, env: { ...noJenkinsEnv, ...env } });

describe('the connection flags are defined once', () => {
  it.each(JENKINS_COMMANDS.map((c) => [c.join(' '), c]))('%s --help lists every connection flag', async (_name, cmd) => {
    const r = await cli([...cmd, '--help']);
    expect(r.code, r.stderr).toBe(0);
    for (const f of CONNECTION_FLAGS) expect(r.stdout, f).toContain(f);
    expect(r.stdout).toContain(`${SETTING_RANGES.concurrency.min}-${SETTING_RANGES.concurrency.max}`);
  });

  it('plan takes --proxy like jenkins ping does, and both go through it', async () => {
    const defs = ['--templates', path.join(repoRoot, 'job-templates'), '--jobs', path.join(repoRoot, 'jobs')];
    for (const cmd of [['plan', ...defs], ['jenkins', 'ping']]) {
      const r = await cli([...cmd, '--jenkins-url', 'http://127.0.0.1:1/', '--proxy', 'http://127.0.0.1:2/', '--retries', '0', '--timeout', '5']);
      expect(r.stderr).not.toMatch(/Unknown argument/);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain('ECONNREFUSED 127.0.0.1:2'); // the proxy's port, not Jenkins'
    }
  });
});

describe('numbers out of range are usage errors naming the one range', () => {
  const range = describeRange(SETTING_RANGES.concurrency);
  it.each([
    ['plan', '0'],
    ['sync', '1000'],
    ['backup', 'abc'],
    ['bulk', '0'],
    ['restore x', '257'],
    ['jenkins ping', '1.5'],
  ])('%s --concurrency %s: exit 2, "%s", no stack trace', async (cmd, value) => {
    const r = await cli([...cmd.split(' '), '--concurrency', value, '--jenkins-url', 'http://127.0.0.1:1/']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`--concurrency must be ${range}`);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('every bad number at once; --timeout and --retries name theirs', async () => {
    const r = await cli(['plan', '--timeout', '0', '--retries', '11', '--concurrency', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--timeout must be ${describeRange(SETTING_RANGES.timeout)}, not 0`);
    expect(r.stderr).toContain(`--retries must be ${describeRange(SETTING_RANGES.retries)}, not 11`);
    expect(r.stderr).toContain('--concurrency must be');
  });

  it('a number out of range in jobsmith.yaml is bad input (exit 1) naming the setting and its place', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-options-cfg-'));
    try {
      writeFileSync(path.join(dir, 'jobsmith.yaml'), 'jenkins:\n  url: http://127.0.0.1:1/\n  concurrency: 999\n');
      const r = await runCli(['plan'], { cwd: dir, env: noJenkinsEnv });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`jobsmith.yaml:3:16: error: jenkins.concurrency must be ${range}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with --embedded, the concurrency comes from jobsmith.yaml unless the flag is given (it was always 8); a bad jobsmith.yaml is bad input', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-options-emb-'));
    try {
      writeFileSync(path.join(dir, 'jobsmith.yaml'), 'jenkins:\n  concurrency: 3\n');
      const home = path.join(dir, 'home');
      // 20 listings at once: the client lets exactly `concurrency` of them run together
      const peak = (a: Parameters<typeof openJenkins>[0]) =>
        openJenkins(a, async (c) => {
          await Promise.all(Array.from({ length: 20 }, () => c.api.list()));
          return [c.concurrency, c.api.stats.maxInFlight];
        }, { cwd: dir });
      expect(await peak({ embedded: home })).toEqual([3, 3]);
      expect(await peak({ embedded: home, concurrency: 5 })).toEqual([5, 5]);
      expect(await peak({ embedded: home, config: path.join(dir, 'none.yaml') }).catch((e: Error) => e.message)).toBe('the config file has errors');
      writeFileSync(path.join(dir, 'jobsmith.yaml'), 'jenkins:\n  concurrency: 999\n');
      const r = await runCli(['plan', '--embedded', 'home'], { cwd: dir, env: noJenkinsEnv });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`jobsmith.yaml:2:16: error: jenkins.concurrency must be ${range}`);
      writeFileSync(path.join(dir, 'jobsmith.yaml'), 'jenkins: [\n');
      const broken = await runCli(['plan', '--embedded', 'home'], { cwd: dir, env: noJenkinsEnv });
      expect(broken.code, broken.stderr).toBe(1);
      expect(broken.stderr).toMatch(/^jobsmith\.yaml:2:1: error: Flow sequence/m);
      expect(broken.stderr).not.toContain(' []'); // no empty field after the message
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the docs state the same range as the code', () => {
    const docs = readFileSync(path.join(repoRoot, 'docs/architecture.md'), 'utf8');
    const c = SETTING_RANGES.concurrency;
    expect(docs).toContain(`--concurrency\` ${c.min}–${c.max}`);
  });
});

describe('a bad Jenkins URL is bad input: exit 1, one "error:", the setting named', () => {
  it.each([
    ['htp://x', /error: the Jenkins URL must start with http:\/\/ or https:\/\/, not htp: \[JENKINS_URL\]/],
    ['http://x/?a=1', /error: the Jenkins URL must not carry a query or fragment \[JENKINS_URL\]/],
    ['http://x:99999/', /error: not a URL \(the port must be a number from 1 to 65535\): http:\/\/x:99999\/ \[JENKINS_URL\]/],
    ['', /error: no Jenkins URL: pass --jenkins-url, set JENKINS_URL/],
  ])('JENKINS_URL=%s', async (url, message) => {
    for (const cmd of [['plan'], ['sync'], ['backup', '--out', 'b'], ['bulk', '--set', 'a=b'], ['jenkins', 'ping']]) {
      const r = await cli(cmd, { JENKINS_URL: url });
      expect(r.code, `${cmd.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/error: error:|internal error/);
    }
  });

  it('--config naming a missing file: that one error, no follow-on "no Jenkins URL"', async () => {
    const r = await cli(['plan', '--config', 'nosuch.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('nosuch.yaml: error: cannot read the config file: ENOENT [--config]\n1 error\n');
  });

  it('a secret in a bad URL is not printed (user info, ?token=)', async () => {
    const r = await cli(['plan'], { JENKINS_URL: 'http://bob:pw-s3cret@x:99999/?token=tok-s3cret' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('http://***@x:99999/?token=***');
    expect(r.stderr).not.toMatch(/s3cret/);
  });
});

describe('a busy port is a clear message', () => {
  let holder: net.Server;
  let port: number;
  beforeAll(async () => {
    holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it('standin: exit 3, "the port is in use", no stack trace', async () => {
    const r = await cli(['standin', '--home', path.join(cwd, 'home'), '--port', String(port)]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`error: cannot listen on 127.0.0.1:${port}: the port is in use (stop what holds it, or pick another with --port; 0 picks a free one)\n`);
  });

  it('serve: the same', async () => {
    const repo = makeDefinitionsRepo(definitionsFiles());
    try {
      const r = await runCli(['serve', '--sync', 'master-job', '--port', String(port)], { cwd: repo.work, env: noJenkinsEnv });
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(`error: cannot listen on 127.0.0.1:${port}: the port is in use (stop what holds it, or pick another with --port; 0 picks a free one)\n`);
    } finally {
      repo.cleanup();
    }
  });

  it('serve --host that does not resolve, or an address this machine does not have: bad input (exit 1) with the message', async () => {
    const repo = makeDefinitionsRepo(definitionsFiles());
    try {
      const name = await runCli(['serve', '--sync', 'master-job', '--port', '0', '--host', 'bad host'], { cwd: repo.work, env: noJenkinsEnv });
      expect(name.code).toBe(1);
      expect(name.stderr).toBe('error: cannot listen on bad host:0: unknown host name (check --host)\n');
      // 192.0.2.1 is TEST-NET-1 (RFC 5737): documentation only, never an address of this machine
      const address = await runCli(['serve', '--sync', 'master-job', '--port', '0', '--host', '192.0.2.1'], { cwd: repo.work, env: noJenkinsEnv });
      expect(address.code).toBe(1);
      expect(address.stderr).toBe('error: cannot listen on 192.0.2.1:0: this machine has no such address (check --host)\n');
    } finally {
      repo.cleanup();
    }
  });

  it('serve outside a git working copy is bad input (exit 1)', async () => {
    const r = await cli(['serve', '--sync', 'master-job', '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a git working copy');
  });

  it('a port out of range is a usage error naming the range', async () => {
    const r = await cli(['standin', '--home', path.join(cwd, 'home'), '--port', '70000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port must be a whole number from 0 to 65535, not 70000');
  });
});
