/**
 * A new output directory is written while rendering (src/output/staged-tree.ts, NewJenkinsHome):
 * into a staging directory beside it, from a writer thread, moved into place only when every check
 * passed. The result must be byte for byte what writing after rendering gives; nothing may appear at
 * (or stay beside) the output path when the input is bad, a write fails, the path is taken
 * meanwhile, or the run is interrupted. Library cases first, then the built CLI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, constants, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../src/load/workspace.js';
import { hasErrors } from '../../src/model/diagnostic.js';
import { OutputWriteError } from '../../src/output/output-tree.js';
import { StagedTree } from '../../src/output/staged-tree.js';
import { renderWorkspace, workspaceRenderer, type WorkspaceRenderer } from '../../src/render/render-workspace.js';
import { manifestText, NewJenkinsHome, writeJenkinsHome } from '../../src/render/write-jenkins-home.js';
import { cliPath, repoRoot, runCli } from '../helpers/cli.js';

const goldenDir = path.join(repoRoot, 'test/fixtures/golden');

/** Every path below `root` with its content (directories as `dir/`, links as `-> target`). */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const abs = path.join(d, e.name);
      if (lstatSync(abs).isSymbolicLink()) out[r] = `-> ${readlinkSync(abs)}`;
      else if (e.isDirectory()) {
        out[r + '/'] = '';
        walk(abs, r);
      } else if (e.isFile()) out[r] = readFileSync(abs, 'latin1');
      else out[r] = '(not a file)';
    }
  };
  walk(root, '');
  return out;
}

let box: string;
let out: string;
beforeEach(() => {
  box = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-staged-'));
  out = path.join(box, 'out');
});
afterEach(() => rmSync(box, { recursive: true, force: true }));

const stagingDirs = (): string[] => readdirSync(box).filter((n) => n.startsWith('.out.jobsmith-'));

describe('StagedTree', () => {
  it('writes nothing at the output path until publish, then moves the whole tree there and leaves no staging directory', async () => {
    const t = StagedTree.open(out)!;
    expect(t).toBeInstanceOf(StagedTree);
    t.write('jobs/a/config.xml', '<a/>');
    t.write('jobs/f/jobs/b/config.xml', '<b>é</b>');
    expect(existsSync(out)).toBe(false);
    expect(stagingDirs()).toHaveLength(1);
    await t.publish([{ rel: 'jobs/f/config.xml', text: '<folder/>' }, { rel: 'manifest.json', text: '{}\n' }]);
    expect(snapshot(out)).toEqual({
      'jobs/': '',
      'jobs/a/': '',
      'jobs/a/config.xml': '<a/>',
      'jobs/f/': '',
      'jobs/f/config.xml': '<folder/>',
      'jobs/f/jobs/': '',
      'jobs/f/jobs/b/': '',
      'jobs/f/jobs/b/config.xml': Buffer.from('<b>é</b>').toString('latin1'),
      'manifest.json': '{}\n',
    });
    expect(stagingDirs()).toEqual([]);
    // The same permissions as a directory made in place (the user's umask, not a temporary directory's 0700).
    mkdirSync(path.join(box, 'plain'));
    expect(statSync(out).mode).toBe(statSync(path.join(box, 'plain')).mode);
  });

  it('more files than may wait for the writer at once: every one written, with its own text', async () => {
    const t = StagedTree.open(out)!;
    const n = 5000;
    for (let i = 0; i < n; i++) t.write(`jobs/j${i}/config.xml`, `<j>${i}</j>`);
    await t.publish();
    const names = readdirSync(path.join(out, 'jobs'));
    expect(names).toHaveLength(n);
    for (const i of [0, 1, 63, 64, 4095, 4096, n - 1]) expect(readFileSync(path.join(out, `jobs/j${i}/config.xml`), 'utf8')).toBe(`<j>${i}</j>`);
  });

  it('is not used for a path that exists (a directory, a file, a link, a dangling link) or whose parent is missing', () => {
    mkdirSync(path.join(box, 'dir'));
    writeFileSync(path.join(box, 'file'), 'x');
    symlinkSync(path.join(box, 'dir'), path.join(box, 'link'));
    symlinkSync(path.join(box, 'nowhere'), path.join(box, 'dangling'));
    for (const name of ['dir', 'file', 'link', 'dangling', 'missing/out']) expect(StagedTree.open(path.join(box, name)), name).toBeUndefined();
    expect(readdirSync(box).sort()).toEqual(['dangling', 'dir', 'file', 'link']);
  });

  it('discard leaves nothing at or beside the output path', async () => {
    const before = snapshot(box);
    const t = StagedTree.open(out)!;
    for (let i = 0; i < 200; i++) t.write(`jobs/j${i}/config.xml`, '<j/>');
    await t.discard();
    expect(snapshot(box)).toEqual(before);
    expect(() => t.write('jobs/x/config.xml', '<x/>')).toThrow(/after publish or discard/);
  });

  it('a write that fails: publish names the path as it would be in the output directory, and nothing is left', async () => {
    const before = snapshot(box);
    const t = StagedTree.open(out)!;
    t.write('jobs/a/config.xml', '<a/>');
    const long = 'x'.repeat(300);
    t.write(`jobs/${long}/config.xml`, '<b/>');
    t.write('jobs/c/config.xml', '<c/>');
    const err = await t.publish().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OutputWriteError);
    expect((err as Error).message).toBe(`cannot write ${path.join(out, 'jobs', long)} (ENAMETOOLONG); nothing written`);
    expect(snapshot(box)).toEqual(before);
  });

  describe('the output path taken while rendering', () => {
    const publishError = async (t: StagedTree): Promise<unknown> =>
      t.publish([{ rel: 'm.json', text: '{}' }]).then(
        () => undefined,
        (e: unknown) => e,
      );

    it('by a directory with files: refused, that directory untouched, no staging left', async () => {
      const t = StagedTree.open(out)!;
      t.write('jobs/a/config.xml', '<a/>');
      mkdirSync(path.join(out, 'jobs/a'), { recursive: true });
      writeFileSync(path.join(out, 'jobs/a/config.xml'), '<hand-written/>');
      const before = snapshot(out);
      const err = await publishError(t);
      expect(err).toBeInstanceOf(OutputWriteError);
      expect((err as Error).message).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} appeared while rendering \\((ENOTEMPTY|EEXIST)\\); nothing written`));
      expect(snapshot(out)).toEqual(before);
      expect(stagingDirs()).toEqual([]);
    });

    it('by a symbolic link to a directory: refused, never written through', async () => {
      const elsewhere = path.join(box, 'elsewhere');
      mkdirSync(elsewhere);
      const t = StagedTree.open(out)!;
      t.write('jobs/a/config.xml', '<a/>');
      symlinkSync(elsewhere, out);
      const err = await publishError(t);
      expect(err).toBeInstanceOf(OutputWriteError);
      expect((err as Error).message).toContain('appeared while rendering (ENOTDIR)');
      expect(readdirSync(elsewhere)).toEqual([]);
      expect(lstatSync(out).isSymbolicLink()).toBe(true);
      expect(stagingDirs()).toEqual([]);
    });

    it('by a file: refused, the file untouched', async () => {
      const t = StagedTree.open(out)!;
      t.write('jobs/a/config.xml', '<a/>');
      writeFileSync(out, 'mine');
      const err = await publishError(t);
      expect(err).toBeInstanceOf(OutputWriteError);
      expect(readFileSync(out, 'utf8')).toBe('mine');
      expect(stagingDirs()).toEqual([]);
    });

    it('by an empty directory: it is replaced by the rendered tree (as if render had made it)', async () => {
      const t = StagedTree.open(out)!;
      t.write('jobs/a/config.xml', '<a/>');
      mkdirSync(out);
      await t.publish();
      expect(readFileSync(path.join(out, 'jobs/a/config.xml'), 'utf8')).toBe('<a/>');
      expect(stagingDirs()).toEqual([]);
    });
  });
});

describe('reading ahead on the writer thread', () => {
  it('gives the text of each file in order, across chunks, and the errno code of one that cannot be read', async () => {
    mkdirSync(path.join(box, 'in'));
    const files: string[] = [];
    for (let i = 0; i < 150; i++) {
      const f = path.join(box, 'in', `f${i}.yaml`);
      writeFileSync(f, `n: ${i} é\n`);
      files.push(f);
    }
    files.splice(70, 0, path.join(box, 'in', 'missing.yaml'));
    files.splice(100, 0, path.join(box, 'in'));
    const t = StagedTree.open(out)!;
    const next = t.readAhead(files);
    const got: unknown[] = [];
    for (let i = 0; i < files.length; i++) got.push(await next());
    expect(got[70]).toEqual({ code: 'ENOENT' });
    expect(got[100]).toEqual({ code: 'EISDIR' });
    expect(got.filter((g) => typeof g === 'string')).toEqual(Array.from({ length: 150 }, (_, i) => `n: ${i} é\n`));
    expect(() => next()).toThrow(/more results taken than files read/);
    await t.discard();
    expect(stagingDirs()).toEqual([]);
  });

  it('loads the same workspace, with the same diagnostics in the same order, as reading each file in turn', async () => {
    const dir = path.join(box, 'defs');
    cpSync(path.join(goldenDir, 'seed-svn-maven'), dir, { recursive: true });
    writeFileSync(path.join(dir, 'jobs/_defaults.yaml'), 'tokens:\n  NO.SUCH.TOKEN: x\n');
    writeFileSync(path.join(dir, 'jobs/_notes.yaml'), 'x: 1\n');
    writeFileSync(path.join(dir, 'jobs/bad.yaml'), 'templates: [\n');
    mkdirSync(path.join(dir, 'a-dir'));
    symlinkSync(path.join(dir, 'a-dir'), path.join(dir, 'jobs/aaa.yaml'));
    const opts = { templatesDir: path.join(dir, 'job-templates'), jobsDir: path.join(dir, 'jobs') };
    const here = await loadWorkspace(opts);
    const t = StagedTree.open(out)!;
    const ahead = await loadWorkspace({ ...opts, readFiles: (files) => t.readAhead(files) });
    await t.discard();
    expect(ahead.diagnostics).toEqual(here.diagnostics);
    expect(ahead.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['unreadable-file', 'ignored-file', 'yaml-syntax']));
    expect(ahead.workspace).toEqual(here.workspace);
    expect(ahead.workspace.definitions.length).toBeGreaterThan(1);
  });
});

describe('NewJenkinsHome: the same tree and result as writing after rendering', () => {
  const cases = readdirSync(goldenDir).filter((c) => statSync(path.join(goldenDir, c)).isDirectory()).sort();
  for (const c of cases) {
    it(c, async () => {
      const templatesDir = path.join(goldenDir, c, 'job-templates');
      const jobsDir = path.join(goldenDir, c, 'jobs');
      const whole = await loadWorkspace({ templatesDir, jobsDir });
      const kept = renderWorkspace(whole.workspace);
      // One definition at a time, each job streamed as soon as it is rendered.
      const home = NewJenkinsHome.open(path.join(box, 'streamed'))!;
      let renderer: WorkspaceRenderer | undefined;
      const opts = { keepConfigs: false, onJob: (job: Parameters<NewJenkinsHome['add']>[0], config: string) => home.add(job, config) };
      const streamedLoad = await loadWorkspace({ templatesDir, jobsDir, onDefinition: (def, ws) => (renderer ??= workspaceRenderer(ws, opts)).add(def), readFiles: (files) => home.readAhead(files) });
      const streamed = (renderer ?? workspaceRenderer(streamedLoad.workspace, opts)).finish();
      expect(streamedLoad.diagnostics).toEqual(whole.diagnostics);
      expect(streamed.diagnostics).toEqual(kept.diagnostics);
      expect(streamed.desired.jobs.map((j) => [j.fullName, j.hash])).toEqual(kept.desired.jobs.map((j) => [j.fullName, j.hash]));
      expect(streamed.desired.folders).toEqual(kept.desired.folders);
      if (hasErrors([...whole.diagnostics, ...kept.diagnostics]) || kept.desired.jobs.length === 0) {
        await home.discard();
        expect(readdirSync(box)).toEqual([]);
        return;
      }
      const w = await home.publish(streamed.desired);
      const inPlace = writeJenkinsHome(path.join(box, 'in-place'), kept.desired);
      expect(w).toEqual(inPlace);
      expect(w.written.length).toBeGreaterThan(0);
      expect(snapshot(path.join(box, 'streamed'))).toEqual(snapshot(path.join(box, 'in-place')));
      expect(readdirSync(box).sort()).toEqual(['in-place', 'streamed']);
      // And a second render into it compares, as into any directory render wrote.
      const again = writeJenkinsHome(path.join(box, 'streamed'), kept.desired);
      expect(again.written).toEqual([]);
      expect(again.unchanged).toBe(w.written.length);
    });
  }

  it('refuses to publish a desired state that is not what was added (a bug, not a user mistake), leaving nothing', async () => {
    const c = path.join(goldenDir, 'seed-svn-maven');
    const ws = (await loadWorkspace({ templatesDir: path.join(c, 'job-templates'), jobsDir: path.join(c, 'jobs') })).workspace;
    const r = renderWorkspace(ws);
    const short = NewJenkinsHome.open(out)!;
    for (const j of r.desired.jobs.slice(1)) short.add(j, j.config);
    await expect(short.publish(r.desired)).rejects.toThrow(`NewJenkinsHome: ${r.desired.jobs.length - 1} job(s) added for ${r.desired.jobs.length} in the desired state`);
    expect(readdirSync(box)).toEqual([]);
    const other = NewJenkinsHome.open(out)!;
    for (const j of r.desired.jobs) other.add(j === r.desired.jobs[1] ? { ...j } : j, j.config);
    await expect(other.publish(r.desired)).rejects.toThrow(`NewJenkinsHome: job ${r.desired.jobs[1]!.fullName} was not added as rendered`);
    expect(readdirSync(box)).toEqual([]);
  });
});

describe('manifestText', () => {
  it('is JSON.stringify of the manifest object, also for paths that need escaping', () => {
    const rels = ['jobs/a/config.xml', 'jobs/"q"\\b/config.xml', 'jobs/ünï €/jobs/x\ty/config.xml', 'jobs/\u2028/config.xml'];
    const hashes = rels.map((_, i) => `sha256:${String(i).repeat(64)}`);
    const files = Object.fromEntries(rels.map((r, i) => [r, hashes[i]]));
    expect(manifestText(rels, hashes)).toBe(JSON.stringify({ format: 'jobsmith-render', version: 1, files }) + '\n');
    expect(manifestText([], [])).toBe(JSON.stringify({ format: 'jobsmith-render', version: 1, files: {} }) + '\n');
  });
});

describe('jobsmith render into a new directory (CLI)', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(box, 'defs');
    mkdirSync(dir);
    cpSync(path.join(repoRoot, 'job-templates'), path.join(dir, 'job-templates'), { recursive: true });
    cpSync(path.join(repoRoot, 'jobs'), path.join(dir, 'jobs'), { recursive: true });
  });

  it('writes the same tree as rendering into an existing empty directory', async () => {
    const a = await runCli(['render', '--out', 'new'], { cwd: dir });
    expect(a.code, a.stderr).toBe(0);
    mkdirSync(path.join(dir, 'existing'));
    const b = await runCli(['render', '--out', 'existing'], { cwd: dir });
    expect(b.code, b.stderr).toBe(0);
    expect(a.stdout.replace('new/jobs', 'X')).toBe(b.stdout.replace('existing/jobs', 'X'));
    expect(snapshot(path.join(dir, 'new'))).toEqual(snapshot(path.join(dir, 'existing')));
    expect(readdirSync(dir).filter((n) => n.includes('.jobsmith-'))).toEqual([]);
  });

  it('a bad definition among good ones: exit 1, nothing written, no staging directory left', async () => {
    writeFileSync(path.join(dir, 'jobs/zz-broken.yaml'), 'templates: [No-such-template]\n');
    const before = snapshot(box);
    const r = await runCli(['render', '--out', 'out'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown template "No-such-template"/);
    expect(r.stderr).toMatch(/nothing written\n$/);
    expect(snapshot(box)).toEqual(before);
  });

  it('a definition that is a named pipe: an error naming it, not a command waiting for ever', async () => {
    const fifo = path.join(dir, 'pipe');
    await new Promise((resolve) => spawn('mkfifo', [fifo]).on('close', resolve));
    symlinkSync(fifo, path.join(dir, 'jobs/zz.yaml'));
    const r = await runCli(['render', '--out', 'out'], { cwd: dir, timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('jobs/zz.yaml: error: cannot read: not a regular file');
    expect(readdirSync(dir).filter((n) => n === 'out' || n.startsWith('.out.'))).toEqual([]);
    // The same when reading in turn (validate; render into an existing directory).
    const v = await runCli(['validate'], { cwd: dir, timeoutMs: 20_000 });
    expect([v.code, v.stderr]).toEqual([1, 'jobs/zz.yaml: error: cannot read: not a regular file\n1 error\n']);
    mkdirSync(path.join(dir, 'existing'));
    const e = await runCli(['render', '--out', 'existing'], { cwd: dir, timeoutMs: 20_000 });
    expect(e.code).toBe(1);
    expect(e.stderr).toContain('jobs/zz.yaml: error: cannot read: not a regular file');
    expect(readdirSync(path.join(dir, 'existing'))).toEqual([]);
  });

  const exitOf = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129, SIGQUIT: 131 } as const;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const) {
    it(`${signal} while rendering: says nothing was written, exits ${exitOf[signal]}, and leaves nothing`, async () => {
      // A template that is a named pipe holds the render still, with its output staged, until this test feeds it.
      const fifo = path.join(dir, 'hold.fifo');
      const mk = spawn('mkfifo', [fifo]);
      await new Promise((resolve) => mk.on('close', resolve));
      symlinkSync(fifo, path.join(dir, 'job-templates/Zz-config.xml'));
      const before = snapshot(box);
      const child = spawn(process.execPath, [cliPath, 'render', '--out', 'out'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, sig) => resolve({ code, signal: sig })));
      // The pipe opens for writing (without waiting) only once render has it open for reading.
      let fd: number | undefined;
      for (let i = 0; i < 3000 && fd === undefined; i++) {
        try {
          fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
      expect(fd, 'render opened the template pipe').toBeTypeOf('number');
      expect(readdirSync(dir).filter((n) => n.startsWith('.out.jobsmith-'))).toHaveLength(1);
      child.kill(signal);
      for (let i = 0; i < 3000 && !stderr.includes('interrupted'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      // (Render may be gone already: then the pipe has no reader.)
      try {
        writeSync(fd!, '<project/>');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
      }
      closeSync(fd!);
      const end = await closed;
      expect(stderr).toBe(`\ninterrupted (${signal}): nothing written\n`);
      expect(end.code).toBe(exitOf[signal]);
      rmSync(fifo);
      rmSync(path.join(dir, 'job-templates/Zz-config.xml'));
      const after = snapshot(box);
      delete (before as Record<string, string>)['defs/hold.fifo'];
      delete (before as Record<string, string>)['defs/job-templates/Zz-config.xml'];
      expect(after).toEqual(before);
    });
  }

  it('a staging directory left by a render that is gone (kill -9) is removed by the next render into that path; one of a live process is kept', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const stale = path.join(dir, `.out.jobsmith-${gone}-0123456789ab`);
    const live = path.join(dir, `.out.jobsmith-${process.pid}-0123456789ab`);
    const other = path.join(dir, `.other.jobsmith-${gone}-0123456789ab`);
    for (const d of [stale, live, other]) mkdirSync(path.join(d, 'jobs/a'), { recursive: true });
    writeFileSync(path.join(stale, 'jobs/a/config.xml'), '<half/>');
    const r = await runCli(['render', '--out', 'out'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });
});
