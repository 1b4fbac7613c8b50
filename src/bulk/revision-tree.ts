import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ExternalError, InputError } from '../model/errors.js';

function run(cmd: string, args: string[], opts: { cwd?: string; stdin?: NodeJS.ReadableStream } = {}): { done: Promise<void>; stdout: NodeJS.ReadableStream } {
  const child = spawn(cmd, args, { cwd: opts.cwd, stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  if (opts.stdin) opts.stdin.pipe(child.stdin!);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(stderr.trim().split('\n').pop() || `${cmd} exited with ${code}`))));
  });
  return { done, stdout: child.stdout! };
}

/**
 * The tree of a git repository at a revision, in a new temp directory, without a checkout (the
 * repository's work tree and index are not touched): `git archive REV | tar -x`. The caller
 * removes the directory (use `withRevisionTree`).
 */
export async function extractRevision(repo: string, revision: string): Promise<string> {
  if (revision.startsWith('-')) throw new InputError(`not a revision: '${revision}' [--revision]`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-rev-'));
  try {
    const verify = run('git', ['rev-parse', '--verify', '--quiet', `${revision}^{tree}`], { cwd: repo });
    verify.stdout.resume();
    await verify.done.catch(() => {
      throw new InputError(`no revision '${revision}' in ${repo} [--revision]`);
    });
    const archive = run('git', ['archive', '--format=tar', `${revision}^{tree}`], { cwd: repo });
    const tar = run('tar', ['-x', '-C', dir], { stdin: archive.stdout });
    tar.stdout.resume();
    await Promise.all([archive.done, tar.done]);
    return dir;
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    if (err instanceof ExternalError || err instanceof InputError) throw err;
    throw new ExternalError(`git: cannot read ${repo} at ${revision}: ${(err as Error).message}`);
  }
}

export async function withRevisionTree<R>(repo: string, revision: string, fn: (dir: string) => Promise<R>): Promise<R> {
  const dir = await extractRevision(repo, revision);
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
