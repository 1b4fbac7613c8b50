import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BranchListError } from '../../src/branches/branch-source.js';
import { createBranchSource } from '../../src/branches/auto-branch-source.js';
import { classifyGitFailure, createGitBranchSource, parseLsRemote, parseLsRemoteRefs, branchNameForRef } from '../../src/branches/git-branch-source.js';
import { createSvnBranchSource, parseSvnList, parseSvnListXml } from '../../src/branches/svn-branch-source.js';
import { listingOf } from '../../src/branches/detect-branches.js';
import { repoLocation, resolveRepo } from '../../src/branches/repo-kind.js';
import { redactUrlsInText as redactText, redactUrl } from '../../src/model/redact-url.js';
import { GitRemote, SvnRepo, commandLinesContaining, commandLinesLeft, removeDir, startAuthGitServer, tempDir } from './fixtures.js';
import { repoRoot } from '../helpers/cli.js';

let root: string;
beforeAll(() => {
  root = tempDir();
});
afterAll(() => removeDir(root));

async function failure(p: Promise<unknown>): Promise<BranchListError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BranchListError);
    return e as BranchListError;
  }
  throw new Error('expected the listing to fail');
}

describe('git source (ls-remote on a real bare remote)', () => {
  it('lists heads without cloning, sorted, nested names kept', async () => {
    const r = new GitRemote(root, 'g1');
    r.push('main', 'feature/a-b', 'feature-a/b', 'release/1.2/hotfix');
    r.pushRef('refs/tags/v1');
    const got = await createGitBranchSource().list(r.url);
    expect(got).toEqual(['feature-a/b', 'feature/a-b', 'main', 'release/1.2/hotfix']);
  });

  it('sees deleted and new branches on the next listing', async () => {
    const r = new GitRemote(root, 'g2');
    r.push('main', 'feature/x');
    const src = createGitBranchSource();
    expect(await src.list(r.url)).toEqual(['feature/x', 'main']);
    r.delete('feature/x');
    r.push('feature/y');
    expect(await src.list(r.url)).toEqual(['feature/y', 'main']);
  });

  it('an empty remote lists no branches (ok, not failed)', async () => {
    const r = new GitRemote(root, 'g3');
    expect(await createGitBranchSource().list(r.url)).toEqual([]);
  });

  it('pull-request refs through patterns become pr/N', async () => {
    const r = new GitRemote(root, 'g4');
    r.push('main');
    r.pushRef('refs/pull/12/head');
    r.pushRef('refs/pull/12/merge');
    r.pushRef('refs/merge-requests/3/head');
    const src = createGitBranchSource();
    expect(await src.list(r.url)).toEqual(['main']);
    expect(await src.list(r.url, { refs: ['refs/pull/*/head', 'refs/merge-requests/*/head'] })).toEqual(['main', 'mr/3', 'pr/12']);
  });

  it('listRefs keeps every ref with its name: a branch pr/7 and refs/pull/7/head are two refs, one name', async () => {
    const r = new GitRemote(root, 'g4b');
    r.push('main', 'pr/7');
    r.pushRef('refs/pull/7/head');
    const src = createGitBranchSource();
    const refs = await src.listRefs!(r.url, { refs: ['refs/pull/*/head'] });
    expect(refs).toEqual([
      { name: 'main', ref: 'refs/heads/main' },
      { name: 'pr/7', ref: 'refs/heads/pr/7' },
      { name: 'pr/7', ref: 'refs/pull/7/head' },
    ]);
    expect(await src.list(r.url, { refs: ['refs/pull/*/head'] })).toEqual(['main', 'pr/7']);
    expect(listingOf(refs)).toEqual({ status: 'ok', branches: ['main', 'pr/7'], collisions: [{ name: 'pr/7', refs: ['refs/heads/pr/7', 'refs/pull/7/head'] }] });
    expect(listingOf(refs.slice(0, 2))).toEqual({ status: 'ok', branches: ['main', 'pr/7'] });
  });

  it('an unreachable remote fails (never an empty list)', async () => {
    const e = await failure(createGitBranchSource().list(`file://${root}/does-not-exist.git`));
    expect(e.reason).toBe('not-found');
    expect(e.message).toContain('does-not-exist.git');
  });

  it('a port or path with 401/403 in it is not an auth failure (CI saw port 34013 read as "auth")', () => {
    for (const port of ['34013', '40140', '4013', '14031']) {
      const text = `fatal: unable to access 'http://127.0.0.1:${port}/x.git/': Failed to connect to 127.0.0.1 port ${port} after 0 ms: Couldn't connect to server`;
      expect(classifyGitFailure(text), port).toBe('unreachable');
    }
    expect(classifyGitFailure("fatal: unable to access 'http://h/r401.git/': The requested URL returned error: 403")).toBe('auth');
    expect(classifyGitFailure("fatal: unable to access 'http://h/r.git/': The requested URL returned error: 401")).toBe('auth');
    expect(classifyGitFailure("fatal: Authentication failed for 'http://h/r.git/'")).toBe('auth');
  });

  it('a refused connection fails as unreachable', async () => {
    const srv = net.createServer();
    await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((res) => srv.close(() => res()));
    const e = await failure(createGitBranchSource().list(`http://127.0.0.1:${port}/x.git`, { timeoutMs: 10_000 }));
    expect(e.reason).toBe('unreachable');
  });

  it('bad credentials fail without prompting and without printing the secret', async () => {
    let requests = 0;
    const srv = http.createServer((req, res) => {
      requests++;
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end('no');
    });
    await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
    try {
      const port = (srv.address() as AddressInfo).port;
      const url = `http://alice:s3cr3t-token@127.0.0.1:${port}/repo.git`;
      const e = await failure(createGitBranchSource({ env: { ...process.env, GIT_ASKPASS: '', SSH_ASKPASS: '' } }).list(url, { timeoutMs: 15_000 }));
      expect(requests).toBeGreaterThan(0);
      expect(e.reason).toBe('auth');
      expect(e.message).not.toContain('s3cr3t-token');
      expect(e.message).not.toContain('alice');
      expect(e.message).toContain(`127.0.0.1:${port}`);
    } finally {
      await new Promise<void>((res) => srv.close(() => res()));
    }
  });

  it('a silent server times out', async () => {
    const sockets: net.Socket[] = [];
    const srv = net.createServer((s) => sockets.push(s));
    await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
    try {
      const port = (srv.address() as AddressInfo).port;
      const t0 = Date.now();
      const e = await failure(createGitBranchSource().list(`http://127.0.0.1:${port}/x.git`, { timeoutMs: 1500 }));
      expect(e.reason).toBe('timeout');
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((res) => srv.close(() => res()));
    }
  });

  it('credentials in the URL reach the server (through a credential helper and the environment), a wrong one fails as auth', async () => {
    const r = new GitRemote(root, 'auth-served');
    r.push('main', 'feature/x');
    const srv = await startAuthGitServer(root, 'bob', 's3cret TOKEN/+@');
    try {
      const url = srv.url('auth-served.git');
      expect(url).toContain('s3cret%20TOKEN');
      expect(await createGitBranchSource().list(url, { timeoutMs: 20_000 })).toEqual(['feature/x', 'main']);
      expect(srv.authorizations).toContain(`Basic ${Buffer.from('bob:s3cret TOKEN/+@').toString('base64')}`);
      const bad = await failure(createGitBranchSource().list(url.replace('s3cret', 'wrong'), { timeoutMs: 20_000 }));
      expect(bad.reason).toBe('auth');
      expect(bad.message).not.toContain('wrong');
    } finally {
      await srv.close();
    }
  });

  it('a hung server (accepts, never answers): the listing times out and the process exits, its git helpers killed; the token is on no command line (break-a 13)', async () => {
    const sockets: net.Socket[] = [];
    let connected!: () => void;
    const firstConnection = new Promise<void>((r) => (connected = r));
    const srv = net.createServer((sock) => {
      sockets.push(sock);
      connected();
    });
    await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
    const port = (srv.address() as AddressInfo).port;
    const secret = `tok${process.pid}x${port}SECRET`;
    // a separate process, as the CLI is: it must exit by itself (the URL goes through its environment, not its command line)
    const script = `import { createGitBranchSource } from ${JSON.stringify(pathToFileURL(path.join(repoRoot, 'dist/branches/git-branch-source.js')).href)};
      createGitBranchSource().list(process.env.REPO_URL, { timeoutMs: 1500 }).then(() => console.log('listed'), (e) => console.log(e.reason + ': ' + e.message));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, REPO_URL: `http://bob:${secret}@127.0.0.1:${port}/x.git` }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await firstConnection; // git and its http helper are running now
      expect(commandLinesContaining(secret)).toEqual([]);
      // exits while the server still holds the connection open (it waited for the helper before)
      const deadline = new Promise<'still running'>((r) => setTimeout(() => r('still running'), 30_000).unref());
      expect(await Promise.race([exited, deadline])).toBe(0);
      expect(out).toMatch(/^timeout: git ls-remote http:\/\/\*\*\*@127\.0\.0\.1:\d+\/x\.git: timed out after 1500 ms\n$/);
      expect(out).not.toContain(secret);
      // nothing it started is left behind
      expect(await commandLinesLeft(`127.0.0.1:${port}`)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      for (const s of sockets) s.destroy();
      await new Promise<void>((res) => srv.close(() => res()));
    }
  });

  it('refuses option-like and blank URLs', async () => {
    expect((await failure(createGitBranchSource().list('--upload-pack=touch /tmp/x'))).reason).toBe('bad-url');
    expect((await failure(createGitBranchSource().list(''))).reason).toBe('bad-url');
  });

  it('parses ls-remote output', () => {
    const sha = 'a'.repeat(40);
    const out = `${sha}\trefs/heads/b\n${sha}\trefs/tags/v1\n${sha}\trefs/tags/v1^{}\n${sha}\trefs/heads/a/b\n`;
    expect(parseLsRemote(out, ['refs/heads/**'])).toEqual(['a/b', 'b']);
    expect(parseLsRemote('', ['refs/heads/**'])).toEqual([]);
    // a listing cut short or garbled is an error, never a shorter list
    expect(() => parseLsRemote(out.slice(0, -1), ['refs/heads/**'])).toThrow(/cut short/);
    expect(() => parseLsRemote(`${sha}\trefs/heads/b\n${sha.slice(0, 20)}\n`, ['refs/heads/**'])).toThrow(/unexpected output/);
    expect(branchNameForRef('refs/pull/9/head')).toBe('pr/9');
    expect(branchNameForRef('refs/other/x')).toBe('other/x');
    expect(parseLsRemoteRefs(`${sha}\trefs/heads/a/b\n${sha}\trefs/a/b\n${sha}\trefs/heads/a/b\n`, ['refs/heads/**', 'refs/a/**'])).toEqual([
      { name: 'a/b', ref: 'refs/a/b' },
      { name: 'a/b', ref: 'refs/heads/a/b' },
    ]);
  });
});

describe('svn source (svnadmin create, file://)', () => {
  it('lists the directories under branches/', async () => {
    const s = new SvnRepo(root, 's1');
    s.branch('feature-x', 'release-1.0', 'Bug 12');
    s.addFile('README.txt');
    expect(await createSvnBranchSource().list(s.url)).toEqual(['Bug 12', 'feature-x', 'release-1.0']);
    s.remove('feature-x');
    expect(await createSvnBranchSource().list(`${s.url}/`)).toEqual(['Bug 12', 'release-1.0']);
  });

  it('an empty branches/ lists nothing; a missing branches/ fails', async () => {
    const s = new SvnRepo(root, 's2');
    expect(await createSvnBranchSource().list(s.url)).toEqual([]);
    const bare = new SvnRepo(root, 's3', false);
    const e = await failure(createSvnBranchSource().list(bare.url));
    expect(e.reason).toBe('not-found');
    expect(e.message).toContain('/branches');
  });

  it('a repository that does not exist fails', async () => {
    const e = await failure(createSvnBranchSource().list(`file://${root}/no-such-svn`));
    expect(e.reason).toBe('not-found');
  });

  it('an unreachable svn server fails, no credentials in the message', async () => {
    const srv = net.createServer();
    await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((res) => srv.close(() => res()));
    const e = await failure(createSvnBranchSource().list(`svn://bob:hunter2@127.0.0.1:${port}/repo`, { timeoutMs: 10_000 }));
    expect(e.reason).toBe('unreachable');
    expect(e.message).not.toContain('hunter2');
  });

  it('svn://user:password@: the password reaches svnserve on stdin, never on a command line; a wrong one is auth', async () => {
    const s = new SvnRepo(root, 'svn-auth');
    s.branch('rel-1');
    writeFileSync(path.join(s.path, 'conf', 'svnserve.conf'), '[general]\nanon-access = none\nauth-access = read\npassword-db = passwd\n');
    writeFileSync(path.join(s.path, 'conf', 'passwd'), '[users]\nalice = s3cr3t-svn-pw\n');
    const probe = net.createServer();
    await new Promise<void>((res) => probe.listen(0, '127.0.0.1', res));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((res) => probe.close(() => res()));
    const serve = spawn('svnserve', ['-d', '--foreground', '-r', root, '--listen-host', '127.0.0.1', '--listen-port', String(port)], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50; i++) {
        const up = await new Promise<boolean>((res) => net.connect(port, '127.0.0.1').on('connect', function (this: net.Socket) { this.destroy(); res(true); }).on('error', () => res(false)));
        if (up) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const listing = createSvnBranchSource().list(`svn://alice:s3cr3t-svn-pw@127.0.0.1:${port}/svn-auth`, { timeoutMs: 10_000 });
      expect(commandLinesContaining('s3cr3t-svn-pw')).toEqual([]);
      expect(await listing).toEqual(['rel-1']);
      const e = await failure(createSvnBranchSource().list(`svn://alice:wrong-pw@127.0.0.1:${port}/svn-auth`, { timeoutMs: 10_000 }));
      expect(e.reason).toBe('auth');
      expect(e.message).not.toContain('wrong-pw');
    } finally {
      serve.kill('SIGKILL');
    }
  });

  it('while svn waits on a silent server, its command line holds no password', async () => {
    const sockets: net.Socket[] = [];
    let connected!: () => void;
    const first = new Promise<void>((r) => (connected = r));
    const srv = net.createServer((sock) => {
      sockets.push(sock);
      connected();
    });
    await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
    try {
      const port = (srv.address() as AddressInfo).port;
      const listing = failure(createSvnBranchSource().list(`svn://bob:pw-on-argv-x9@127.0.0.1:${port}/repo`, { timeoutMs: 3000 }));
      await first;
      expect(commandLinesContaining(`127.0.0.1:${port}`).length).toBeGreaterThan(0);
      expect(commandLinesContaining('pw-on-argv-x9')).toEqual([]);
      expect((await listing).reason).toBe('timeout');
    } finally {
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((res) => srv.close(() => res()));
    }
  });

  it('a silent svn server times out', async () => {
    const sockets: net.Socket[] = [];
    const srv = net.createServer((s) => sockets.push(s));
    await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
    try {
      const port = (srv.address() as AddressInfo).port;
      const e = await failure(createSvnBranchSource().list(`svn://127.0.0.1:${port}/repo`, { timeoutMs: 1500 }));
      expect(e.reason).toBe('timeout');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((res) => srv.close(() => res()));
    }
  });

  it('parses svn list output', () => {
    expect(parseSvnList('b/\nfile.txt\na/\r\n')).toEqual(['a', 'b']);
  });

  it('non-ASCII names come through whatever the caller\'s locale (svn list --xml under C.UTF-8)', async () => {
    const s = new SvnRepo(root, 's1u');
    s.branch('feature ünï', 'feature uni', '日本');
    for (const LC_ALL of ['C', 'POSIX', 'en_US.ISO-8859-1']) {
      expect(await createSvnBranchSource({ env: { ...process.env, LC_ALL, LANG: LC_ALL } }).list(s.url), LC_ALL).toEqual(['feature uni', 'feature ünï', '日本']);
    }
  });

  it('parses svn list --xml output; a cut or garbled one is an error, never a shorter list', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<lists>\n<list path="file:///r/branches">\n<entry kind="dir">\n<name>feature &amp; ünï</name>\n<commit revision="1"><author>a</author></commit>\n</entry>\n<entry kind="file">\n<name>README</name>\n</entry>\n<entry kind="dir">\n<name>b</name>\n</entry>\n</list>\n</lists>\n`;
    expect(parseSvnListXml(xml)).toEqual(['b', 'feature & ünï']);
    expect(parseSvnListXml('<?xml version="1.0"?>\n<lists>\n<list path="x">\n</list>\n</lists>\n')).toEqual([]);
    expect(() => parseSvnListXml(xml.slice(0, xml.length / 2))).toThrow(BranchListError);
    expect(() => parseSvnListXml('feature/\nb/\n')).toThrow(/unreadable XML listing/);
  });
});

describe('choosing the client from the URL', () => {
  it('maps schemes', () => {
    expect(repoLocation('svn://h/r')).toEqual({ kind: 'svn', url: 'svn://h/r' });
    expect(repoLocation('svn+ssh://h/r')).toEqual({ kind: 'svn', url: 'svn+ssh://h/r' });
    expect(repoLocation('svn+https://h/r')).toEqual({ kind: 'svn', url: 'https://h/r' });
    expect(repoLocation('svn+file:///x')).toEqual({ kind: 'svn', url: 'file:///x' });
    expect(repoLocation('https://h/r.git').kind).toBe('git');
    expect(repoLocation('git@h:r.git').kind).toBe('git');
  });

  it('a relative local path is resolved against the definition file\'s directory; URLs, host:path and absolute paths stay', () => {
    expect(resolveRepo('../payments.git', '/srv/defs/jobs')).toBe('/srv/defs/payments.git');
    expect(resolveRepo('repos/web', '/srv/defs/jobs')).toBe('/srv/defs/jobs/repos/web');
    for (const kept of ['https://h/r.git', 'ssh://git@h/r', 'git@h:r.git', 'h:r.git', 'file:///srv/r.git', 'svn+file:///srv/r', '/srv/r.git', '']) expect(resolveRepo(kept, '/srv/defs/jobs')).toBe(kept);
  });

  it('createBranchSource lists both kinds', async () => {
    const g = new GitRemote(root, 'auto-g');
    g.push('dev');
    const s = new SvnRepo(root, 'auto-s');
    s.branch('b1');
    const src = createBranchSource();
    expect(await src.list(g.url)).toEqual(['dev']);
    expect(await src.list(`svn+${s.url}`)).toEqual(['b1']);
  });
});

describe('redaction', () => {
  it('removes user info from URLs', () => {
    expect(redactUrl('https://u:p@h/x.git')).toBe('https://***@h/x.git');
    expect(redactUrl('https://h/x.git')).toBe('https://h/x.git');
    expect(redactText("fatal: unable to access 'https://u:p@h/x.git/': 401", 'https://u:p@h/x.git')).toBe("fatal: unable to access 'https://***@h/x.git/': 401");
  });
});
