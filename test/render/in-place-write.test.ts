/**
 * render into an existing out/ (break-it review h): files are replaced by a rename, never rewritten
 * in place (a hard-linked snapshot keeps its content); a write that fails leaves out/ as it was and
 * jams no later render; a same-size edit of a rendered file is repaired; a staging directory left
 * by a process that is gone is removed by the next render. Real files and real processes.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliPath, repoRoot, runCli } from '../helpers/cli.js';

let box: string;
beforeEach(() => {
  box = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-inplace-'));
  cpSync(path.join(repoRoot, 'job-templates'), path.join(box, 'job-templates'), { recursive: true });
  cpSync(path.join(repoRoot, 'jobs'), path.join(box, 'jobs'), { recursive: true });
});
afterEach(() => rmSync(box, { recursive: true, force: true }));

/** Every file below `root` (relative path -> content). */
function files(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out[r] = readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(root, '');
  return out;
}

/** `cp -al from to`: the same tree of directories, every file a hard link. */
function linkCopy(from: string, to: string): void {
  mkdirSync(to);
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) linkCopy(path.join(from, e.name), path.join(to, e.name));
    else linkSync(path.join(from, e.name), path.join(to, e.name));
  }
}

const render = (...args: string[]) => runCli(['render', ...args], { cwd: box });
const payments = 'out/jobs/payments-CI-build-trunk/config.xml';

describe('render into an existing out/', () => {
  it('replaces files by a rename: a hard-linked snapshot of out/ (cp -al) keeps its content', async () => {
    expect((await render()).code).toBe(0);
    linkCopy(path.join(box, 'out'), path.join(box, 'snap'));
    const before = files(path.join(box, 'snap'));
    expect(statSync(path.join(box, 'snap/jobs/payments-CI-build-trunk/config.xml')).nlink).toBe(2);
    const defs = path.join(box, 'jobs/payments.yaml');
    writeFileSync(defs, readFileSync(defs, 'utf8').replace('clean install -Pci', 'clean verify -Pci'));
    const r = await render();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 written/);
    expect(readFileSync(path.join(box, payments), 'utf8')).toContain('clean verify -Pci');
    expect(files(path.join(box, 'snap'))).toEqual(before);
    expect(before['jobs/payments-CI-build-trunk/config.xml']).toContain('clean install -Pci');
  });

  it('a same-size edit of a rendered file is rewritten, not called unchanged', async () => {
    expect((await render()).code).toBe(0);
    const file = path.join(box, payments);
    const rendered = readFileSync(file, 'utf8');
    const edited = rendered.replace('clean install -Pci', 'xxxxx yyyyyyy -Pci');
    expect(edited.length).toBe(rendered.length);
    writeFileSync(file, edited);
    const r = await render();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: 1 written, 6 unchanged, 0 removed/);
    expect(readFileSync(file, 'utf8')).toBe(rendered);
  });

  it('a write that fails (a full disk: ulimit -f) leaves out/ as it was, and the next render completes', async () => {
    expect((await render()).code).toBe(0);
    writeFileSync(
      path.join(box, 'jobs/newp.yaml'),
      'project: newp\ntemplates: [CI-build-trunk]\ntokens:\n  POM.ARTIFACTID: newp\n  SCM.PATH: https://svn.example.com/repos/newp\n',
    );
    const defs = path.join(box, 'jobs/payments.yaml');
    writeFileSync(defs, readFileSync(defs, 'utf8').replace('clean install -Pci', 'clean verify -Pci'));
    const before = files(path.join(box, 'out'));
    // 2 KiB at most per file: the new job's config (about 3 KiB) cannot be written.
    const failed = spawnSync('/bin/bash', ['-c', `ulimit -f 2; exec "${process.execPath}" "${cliPath}" render`], { cwd: box, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/cannot write .*\(EFBIG\); nothing written/);
    expect(files(path.join(box, 'out'))).toEqual(before);
    expect(existsSync(path.join(box, 'out/jobs/newp-CI-build-trunk'))).toBe(false);
    const again = await render();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/: 2 written, 6 unchanged, 0 removed/);
    expect(readFileSync(path.join(box, 'out/jobs/newp-CI-build-trunk/config.xml'), 'utf8')).toContain('newp');
    expect(readdirSync(path.join(box, 'out')).filter((n) => n.startsWith('.jobsmith-tmp-'))).toEqual([]);
  });

  it("a staging directory of a process that is gone is removed; a live process' one is kept", async () => {
    expect((await render()).code).toBe(0);
    // a pid that is gone: a child that has exited
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const stale = path.join(box, `out/.jobsmith-tmp-${gone}-0123456789ab`);
    const live = path.join(box, `out/.jobsmith-tmp-${process.pid}-0123456789ab`);
    for (const d of [stale, live]) {
      mkdirSync(d);
      writeFileSync(path.join(d, '0'), '<half/>');
    }
    const defs = path.join(box, 'jobs/payments.yaml');
    writeFileSync(defs, readFileSync(defs, 'utf8').replace('clean install -Pci', 'clean verify -Pci'));
    expect((await render()).code).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(lstatSync(live).isDirectory()).toBe(true);
  });
});
