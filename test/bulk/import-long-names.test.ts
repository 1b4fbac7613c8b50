/**
 * import of jobs whose names are long (break-it review h): a 251-255-byte job name (valid in
 * Jenkins) made a definition file name over 255 bytes and an internal error (exit 70). The project
 * name is now cut and ends in a hash (the job keeps its name through `job:`); a --prefix that cannot
 * name a template file is a usage error. The built CLI against an embedded stand-in.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let box: string;
const long = 'x'.repeat(253);
const deep = ['f'.repeat(200), 'g'.repeat(200), 'h'.repeat(200)];
beforeEach(() => {
  box = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-import-long-'));
  const xml = '<?xml version="1.1" encoding="UTF-8"?>\n<project><description>d</description><builders/></project>\n';
  for (const name of ['short', long]) {
    mkdirSync(path.join(box, 'st/jobs', name), { recursive: true });
    writeFileSync(path.join(box, 'st/jobs', name, 'config.xml'), xml);
  }
  // a job in folders whose path is 600 bytes long
  const folderXml = '<?xml version="1.1" encoding="UTF-8"?>\n<com.cloudbees.hudson.plugins.folder.Folder plugin="cloudbees-folder"><properties/></com.cloudbees.hudson.plugins.folder.Folder>\n';
  let dir = path.join(box, 'st');
  for (const f of deep) {
    dir = path.join(dir, 'jobs', f);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'config.xml'), folderXml);
  }
  mkdirSync(path.join(dir, 'jobs/leaf'), { recursive: true });
  writeFileSync(path.join(dir, 'jobs/leaf/config.xml'), xml);
});
afterEach(() => rmSync(box, { recursive: true, force: true }));

describe('import of long job names', () => {
  it('a 253-byte job name and a 600-byte folder path are imported (dry run and real), never an internal error', async () => {
    for (const dry of [['--dry-run'], []]) {
      const r = await runCli(['import', '--embedded', 'st', '--match', '*', '--match', '**', '--out', 'imp', ...dry], { cwd: box });
      expect(r.stderr).not.toContain('internal error');
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).toMatch(/3 job\(s\) render back to their config \(checked\), 0 not imported/);
    }
    const defs = readdirSync(path.join(box, 'imp/jobs')).sort();
    expect(defs).toHaveLength(3);
    for (const d of defs) expect(Buffer.byteLength(d)).toBeLessThanOrEqual(205);
    const longDef = defs.find((d) => d.startsWith('xxx'))!;
    expect(longDef).toMatch(/^x{183}-[0-9a-f]{16}\.yaml$/);
    expect(readFileSync(path.join(box, 'imp/jobs', longDef), 'utf8')).toContain(`job: "${long}"`);
    const v = await runCli(['validate', '--templates', 'imp/job-templates', '--jobs', 'imp/jobs'], { cwd: box });
    expect(v.code).toBe(0);
  }, 60_000);

  it('a --prefix that cannot name a template file is a usage error (exit 2), nothing written', async () => {
    for (const prefix of ['p'.repeat(260), 'a/../b', '']) {
      const r = await runCli(['import', '--embedded', 'st', '--match', '*', '--out', 'imp', '--prefix', prefix], { cwd: box });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(prefix === '' ? /--prefix needs a value/ : /--prefix: letters, digits/);
      expect(readdirSync(box)).not.toContain('imp');
    }
  });
});
