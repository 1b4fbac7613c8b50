/**
 * Runs `console` examples of the documentation (see doc-examples.ts for the convention) as whole
 * processes of the built CLI, in a temporary clone of the shipped examples.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { cliPath, repoRoot } from '../helpers/cli.js';
import { findMismatch, parseSteps, type DocBlock, type Step } from './doc-examples.js';

const tmpRoots: string[] = [];
const background: ChildProcess[] = [];

/** Kills what is still running and removes the temporary copies (call from afterAll). */
export function cleanUpExamples(): void {
  for (const c of background) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of tmpRoots.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A fresh copy of what a newcomer has after `npm ci`: a clone (one commit, a bare origin beside it). */
export function makeWorkspace(): Session {
  const root = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-docs-'));
  tmpRoots.push(root);
  const dir = path.join(root, 'jobsmith');
  const bin = path.join(root, 'bin');
  const home = path.join(root, 'home');
  mkdirSync(dir);
  mkdirSync(bin);
  mkdirSync(home);
  for (const p of ['job-templates', 'jobs', 'package.json', 'docs/examples']) {
    cpSync(path.join(repoRoot, p), path.join(dir, p), { recursive: true });
  }
  symlinkSync(path.join(repoRoot, 'dist'), path.join(dir, 'dist'));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules\ndist\nout/\n.jobsmith/\n');
  const shim = path.join(bin, 'jobsmith');
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} "$@"\n`);
  chmodSync(shim, 0o755);
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: home,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    TMPDIR: os.tmpdir(),
    GIT_AUTHOR_NAME: 'Ada Lovelace',
    GIT_AUTHOR_EMAIL: 'ada@example.com',
    GIT_COMMITTER_NAME: 'Ada Lovelace',
    GIT_COMMITTER_EMAIL: 'ada@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, stdio: 'ignore' });
  // A clone of a definitions repository: a bare `origin` beside it (push works), one commit.
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'the shipped examples');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', path.join(root, 'origin.git')], { env, stdio: 'ignore' });
  git('remote', 'add', 'origin', path.join(root, 'origin.git'));
  git('push', '-q', '-u', 'origin', 'main');
  return { cwd: dir, env, stateDir: root };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function shell(command: string, cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  // `exec 2>&1`: one stream in the order a terminal shows it; `exec` for a background command so
  // that the signal reaches it, not the shell.
  return spawn('/bin/sh', ['-c', `exec 2>&1\n${command}`], { cwd, env, stdio: ['ignore', 'pipe', 'ignore'] });
}

function describeFailure(page: string, step: Step, code: number | null, output: string, missing?: string[]): string {
  const parts = [`${page}:${step.line}: $ ${step.command}`, `exit code ${code} (expected ${step.exit})`];
  if (missing) parts.push('these expected lines were not found (in order):', ...missing.map((l) => '  | ' + l));
  parts.push('output:', ...output.split('\n').map((l) => '  > ' + l));
  return parts.join('\n');
}

/** A terminal session: `export` and `cd` in one command carry over to the next, as in a shell. */
export interface Session {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stateDir: string;
}

const SHELL_OWN = new Set(['PWD', 'OLDPWD', 'SHLVL', '_', 'JOBSMITH_DOC_STATE']);

async function runForeground(page: string, step: Step, session: Session): Promise<void> {
  const state = path.join(session.stateDir, 'state');
  const script = `${step.command}\n__rc=$?\nenv -0 > "$JOBSMITH_DOC_STATE.env"; pwd > "$JOBSMITH_DOC_STATE.cwd"\nexit $__rc`;
  rmSync(state + '.env', { force: true });
  const child = shell(script, session.cwd, { ...session.env, JOBSMITH_DOC_STATE: state });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  const missing = findMismatch(step.expected, output);
  if (code !== step.exit || missing) throw new Error(describeFailure(page, step, code, output, missing));
  if (existsSync(state + '.env')) {
    const env: NodeJS.ProcessEnv = {};
    for (const entry of readFileSync(state + '.env', 'utf8').split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0 && !SHELL_OWN.has(entry.slice(0, eq))) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    session.env = env;
    session.cwd = readFileSync(state + '.cwd', 'utf8').trim();
  }
}

async function startBackground(page: string, step: Step, session: Session): Promise<{ child: ChildProcess; output: () => string }> {
  const child = shell(`exec ${step.command}`, session.cwd, session.env);
  background.push(child);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const deadline = Date.now() + 30_000;
  while (findMismatch(step.expected, output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(describeFailure(page, step, child.exitCode, output, findMismatch(step.expected, output)));
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => output };
}

export async function runBlock(block: DocBlock, session: Session): Promise<number> {
  let steps = parseSteps(block);
  if (block.body.some((l) => l.includes('8080'))) {
    const port = String(await freePort());
    const swap = (s: string) => s.replaceAll('8080', port);
    steps = steps.map((s) => ({ ...s, command: swap(s.command), expected: s.expected.map(swap) }));
  }
  steps = steps.map((s) => ({ ...s, command: s.command.replace(/(^|[\s;&|(])npx jobsmith\b/g, '$1jobsmith') }));
  const started: { step: Step; child: ChildProcess; output: () => string }[] = [];
  try {
    for (const step of steps) {
      if (step.background) started.push({ step, ...(await startBackground(block.file, step, session)) });
      else await runForeground(block.file, step, session);
    }
  } finally {
    for (const { step, child, output } of started) {
      const code = child.exitCode ?? (await new Promise<number | null>((resolve) => {
        child.on('close', (c) => resolve(c));
        child.kill('SIGINT');
      }));
      if (code !== step.exit) throw new Error(describeFailure(block.file, step, code, output()) + '\n(after SIGINT at the end of the block)');
    }
  }
  return steps.length;
}


export const TS_LANGS = new Set(['ts', 'typescript']);

/** `import ... from 'jobsmith'` in `dir` resolves to this checkout, as an installed package would. */
function linkLibrary(dir: string): void {
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  if (!existsSync(path.join(dir, 'node_modules', 'jobsmith'))) symlinkSync(repoRoot, path.join(dir, 'node_modules', 'jobsmith'));
}

/**
 * Type-checks TypeScript examples against the built library (`import ... from 'jobsmith'` as a user
 * gets it: dist/index.d.ts through node_modules/jobsmith), strict. Returns the errors as
 * `page:line: message` (the line in the page), none when all check.
 */
export async function typecheckExamples(blocks: readonly DocBlock[], dir: string): Promise<string[]> {
  const ts = (await import('typescript')).default;
  linkLibrary(dir);
  const files = blocks.map((b, i) => {
    const file = path.join(dir, `example-${i}.mts`);
    writeFileSync(file, b.body.join('\n') + '\n');
    return file;
  });
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [path.join(repoRoot, 'node_modules/@types')],
  });
  const errors: string[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const i = d.file ? files.indexOf(path.resolve(d.file.fileName)) : -1;
    const where = i >= 0 && d.file && d.start !== undefined ? `${blocks[i]!.file}:${blocks[i]!.line + 1 + d.file.getLineAndCharacterOfPosition(d.start).line}` : d.file?.fileName ?? '(global)';
    errors.push(`${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }
  return errors;
}

/** Runs one TypeScript example (transpiled) with Node in `cwd`; it must exit 0. */
export async function runTsExample(block: DocBlock, dir: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const ts = (await import('typescript')).default;
  linkLibrary(dir);
  const js = ts.transpileModule(block.body.join('\n') + '\n', { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const file = path.join(dir, `run-${block.file.replace(/\W/g, '_')}-${block.line}.mjs`);
  writeFileSync(file, js);
  // stdout and stderr share one pipe (as in a terminal), so their lines keep the order they were written in
  const child = spawn('/bin/sh', ['-c', 'exec 2>&1; exec "$0" "$1"', process.execPath, file], { cwd, env, stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${block.file}:${block.line}: the TypeScript example exited with ${code}\n${output}`);
  return output;
}
