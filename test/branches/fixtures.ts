/** Real repositories for branch tests: bare git remotes fed by a work clone, svnadmin repos over file://. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: os.tmpdir(),
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function tempDir(prefix = 'jobsmith-branches-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A bare git remote plus a work clone that pushes to it. */
export class GitRemote {
  readonly bare: string;
  readonly work: string;
  constructor(readonly root: string, name = 'remote') {
    this.bare = path.join(root, `${name}.git`);
    this.work = path.join(root, `${name}-work`);
    git(root, 'init', '-q', '--bare', this.bare);
    git(root, 'init', '-q', this.work);
    git(this.work, 'commit', '-q', '--allow-empty', '-m', 'initial');
  }
  get url(): string {
    return pathToFileURL(this.bare).href;
  }
  /** Create (push) branches on the remote. */
  push(...branches: string[]): void {
    if (branches.length === 0) return;
    git(this.work, 'push', '-q', this.bare, ...branches.map((b) => `HEAD:refs/heads/${b}`));
  }
  /** Push an arbitrary ref (e.g. refs/pull/7/head). */
  pushRef(ref: string): void {
    git(this.work, 'push', '-q', this.bare, `HEAD:${ref}`);
  }
  /** Delete branches on the remote. */
  delete(...branches: string[]): void {
    git(this.work, 'push', '-q', this.bare, ...branches.map((b) => `:refs/heads/${b}`));
  }
}

/** An `svnadmin create` repository with trunk/ and branches/, reached over file://. */
export class SvnRepo {
  readonly path: string;
  constructor(readonly root: string, name = 'svnrepo', layout = true) {
    this.path = path.join(root, name);
    execFileSync('svnadmin', ['create', this.path]);
    if (layout) this.mkdir('trunk', 'branches', 'tags');
  }
  get url(): string {
    return pathToFileURL(this.path).href;
  }
  mkdir(...dirs: string[]): void {
    execFileSync('svn', ['mkdir', '--parents', '--non-interactive', '-q', '-m', 'mkdir', ...dirs.map((d) => `${this.url}/${d}`)]);
  }
  branch(...names: string[]): void {
    this.mkdir(...names.map((n) => `branches/${n}`));
  }
  remove(...names: string[]): void {
    execFileSync('svn', ['rm', '--non-interactive', '-q', '-m', 'rm', ...names.map((n) => `${this.url}/branches/${n}`)]);
  }
  addFile(rel: string): void {
    const wc = path.join(this.root, `wc-${Date.now()}`);
    execFileSync('svn', ['checkout', '-q', '--non-interactive', `${this.url}/branches`, wc]);
    fs.writeFileSync(path.join(wc, rel), 'x');
    execFileSync('svn', ['add', '-q', path.join(wc, rel)]);
    execFileSync('svn', ['commit', '-q', '--non-interactive', '-m', 'file', wc]);
    removeDir(wc);
  }
}

/**
 * A smart-HTTP git server over loopback that wants Basic credentials: `git http-backend` (git's own
 * CGI program) behind a small Node server. Records the Authorization headers it was sent.
 */
export async function startAuthGitServer(projectRoot: string, user: string, password: string): Promise<{ url: (repo: string) => string; authorizations: string[]; close: () => Promise<void> }> {
  const { createServer } = await import('node:http');
  const { spawn } = await import('node:child_process');
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const authorizations: string[] = [];
  const server = createServer((req, res) => {
    authorizations.push(req.headers.authorization ?? '');
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end('who are you?');
      return;
    }
    const u = new URL(req.url ?? '/', 'http://x');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(u.pathname),
        QUERY_STRING: u.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_USER: user,
        REMOTE_ADDR: '127.0.0.1',
        HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (c: Buffer) => chunks.push(c));
    cgi.on('close', () => {
      const out = Buffer.concat(chunks);
      const split = out.indexOf('\r\n\r\n');
      const headerText = out.subarray(0, split).toString('latin1');
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of headerText.split('\r\n')) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        const k = line.slice(0, i).trim();
        const v = line.slice(i + 1).trim();
        if (k.toLowerCase() === 'status') status = Number(v.split(' ')[0]);
        else headers[k] = v;
      }
      res.writeHead(status, headers);
      res.end(out.subarray(split + 4));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as import('node:net').AddressInfo).port;
  return {
    url: (repo) => `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${repo}`,
    authorizations,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Command lines of this machine's processes (Linux /proc) that contain `text`: what `ps` shows every user. */
export function commandLinesContaining(text: string): string[] {
  const out: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes(text)) out.push(`${pid}: ${cmd}`);
    } catch {
      /* gone */
    }
  }
  return out;
}

/**
 * The same, once the processes killed just before have had time to die: a SIGKILLed process keeps
 * its command line until the kernel has run it to its end, which on a loaded machine can take a
 * moment. Polls for up to `withinMs`; what is still there then is really left behind.
 */
export async function commandLinesLeft(text: string, withinMs = 3000): Promise<string[]> {
  const until = Date.now() + withinMs;
  for (;;) {
    const left = commandLinesContaining(text);
    if (left.length === 0 || Date.now() >= until) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}
