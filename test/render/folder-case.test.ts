/**
 * Folders whose names differ only in case (`finance` / `Finance`) are one item in Jenkins (a
 * case-insensitive item map): validate and render refuse them, naming both definitions (break-it
 * review h). The built CLI on a copy of the shipped examples.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

let box: string;
beforeEach(() => {
  box = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-folder-case-'));
  cpSync(path.join(repoRoot, 'job-templates'), path.join(box, 'job-templates'), { recursive: true });
  cpSync(path.join(repoRoot, 'jobs'), path.join(box, 'jobs'), { recursive: true });
});
afterEach(() => rmSync(box, { recursive: true, force: true }));

describe('folder names that differ only in case', () => {
  it('validate and render exit 1 naming both definitions; nothing is written', async () => {
    // jobs/billing.yaml has `folder: finance`
    writeFileSync(path.join(box, 'jobs/zz.yaml'), 'project: zz\nfolder: Finance\ntemplates: [CI-build-trunk]\ntokens:\n  POM.ARTIFACTID: zz\n  SCM.PATH: https://svn.example.com/repos/zz\n');
    const v = await runCli(['validate'], { cwd: box });
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/jobs\/zz\.yaml:2:\d+: error: folder Finance and folder finance \(jobs\/billing\.yaml:\d+:\d+\) differ only in case/);
    const r = await runCli(['render'], { cwd: box });
    expect(r.code).toBe(1);
    expect(existsSync(path.join(box, 'out'))).toBe(false);
    const j = await runCli(['validate', '--json'], { cwd: box });
    expect(JSON.parse(j.stdout).diagnostics.filter((d: { code: string }) => d.code === 'folder-case')).toHaveLength(1);
  });

  it('the same spelling (and a deeper folder of different case below the same one) is fine', async () => {
    writeFileSync(path.join(box, 'jobs/zz.yaml'), 'project: zz\nfolder: finance/Sub\ntemplates: [CI-build-trunk]\ntokens:\n  POM.ARTIFACTID: zz\n  SCM.PATH: https://svn.example.com/repos/zz\n');
    expect((await runCli(['validate'], { cwd: box })).code).toBe(0);
    writeFileSync(path.join(box, 'jobs/zy.yaml'), 'project: zy\nfolder: finance/sub\ntemplates: [CI-build-trunk]\ntokens:\n  POM.ARTIFACTID: zy\n  SCM.PATH: https://svn.example.com/repos/zy\n');
    const v = await runCli(['validate'], { cwd: box });
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/folder finance\/(sub|Sub) and folder finance\/(Sub|sub) .* differ only in case/);
  });
});
