import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { sharedPath } from '../helpers/shared.js';
import { loadBulkScript, ScriptLoadError, type BulkScriptJob } from '../../src/bulk/bulk-script.js';
import { editJobConfig } from '../../src/bulk/edit-job.js';

const examples = path.join(repoRoot, 'docs/examples/bulk');
const corpus = (f: string): string => readFileSync(sharedPath('corpus', f), 'utf8');
const job = (fullName: string): BulkScriptJob => ({ fullName, name: fullName.split('/').pop()!, folder: fullName.split('/').slice(0, -1), className: 'hudson.model.FreeStyleProject', managed: false });
const tmp = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-bulk-script-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MAVEN_JOB = `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <!-- build with maven -->
  <builders>
    <hudson.tasks.Maven>
      <targets>clean install</targets>
      <mavenName>maven-3.8.1</mavenName>
    </hudson.tasks.Maven>
    <hudson.tasks.Maven>
      <targets>-B deploy</targets>
      <mavenName>maven-3.6</mavenName>
    </hudson.tasks.Maven>
  </builders>
</project>`;

describe('example scripts (docs/examples/bulk)', () => {
  it('maven-upgrade.ts (TypeScript, transpiled) upgrades and adds -B', async () => {
    const script = await loadBulkScript(path.join(examples, 'maven-upgrade.ts'));
    const r = await editJobConfig(MAVEN_JOB, [], script, job('a'));
    expect(r.error).toBeUndefined();
    expect(r.xml).toBe(
      MAVEN_JOB.replace('maven-3.8.1', 'maven-3.9.6').replace('<targets>clean install</targets>', '<targets>-B clean install</targets>'),
    );
  });

  it('svn-host-move.mjs rewrites module URLs only', async () => {
    const script = await loadBulkScript(path.join(examples, 'svn-host-move.mjs'));
    const xml = corpus('001-eea-2010-buildout-hudson-trigger.xml');
    const remote = /<remote>([^<]*)<\/remote>/.exec(xml)![1]!;
    const moved = remote.replace(/\/\/[^/]+\//, '//svn.old.example.com/');
    const input = xml.replace(`<remote>${remote}</remote>`, `<remote>${moved}</remote>`) + `<!-- svn.old.example.com -->`;
    const r = await editJobConfig(input, [], script, job('a'));
    expect(r.changed).toBe(true);
    expect(r.xml).toBe(input.replace(`<remote>${moved}</remote>`, `<remote>${moved.replace('svn.old.example.com', 'svn.example.com')}</remote>`));
  });

  it('linux-farm.mjs pins freestyle jobs and skips others', async () => {
    const script = await loadBulkScript(path.join(examples, 'linux-farm.mjs'));
    const free = corpus('007-tor-ci-windows.xml');
    const skipped = await editJobConfig(free, [], script, job('w'));
    expect(free).toMatch(/<assignedNode>[^<]*windows/i);
    expect(skipped.skipped).toBe(true);
    expect(skipped.xml).toBe(free);
    const small = corpus('011-osc-container.xml');
    const r = await editJobConfig(small, [], script, job('team-a/x'));
    expect(r.changed).toBe(true);
    expect(r.xml).toContain('  <assignedNode>linux-farm</assignedNode>\n</project>');
    const pipeline = corpus('039-osc-image-proxy.xml');
    expect((await editJobConfig(pipeline, [], script, job('p'))).skipped).toBe(true);
  });

  it('timestamps.ts adds the wrapper once', async () => {
    const script = await loadBulkScript(path.join(examples, 'timestamps.ts'));
    const xml = corpus('011-osc-container.xml');
    const r = await editJobConfig(xml, [], script, job('a'));
    expect(r.xml).toBe(
      xml.replace('  <buildWrappers/>', '  <buildWrappers>\n    <hudson.plugins.timestamper.TimestamperBuildWrapper plugin="timestamper@1.26"/>\n  </buildWrappers>'),
    );
    const again = await editJobConfig(r.xml, [], script, job('a'));
    expect(again.skipped).toBe(true);
  });
});

describe('script failures', () => {
  it('a TypeScript syntax error names file, line and column', async () => {
    const f = path.join(tmp, 'broken.ts');
    writeFileSync(f, 'export default function (c) {\n  return c.set("a", ;\n}\n');
    await expect(loadBulkScript(f)).rejects.toThrow(/broken\.ts:2:\d+: /);
  });

  it('a module without a function export is refused', async () => {
    const f = path.join(tmp, 'nofn.mjs');
    writeFileSync(f, 'export const x = 1;\n');
    await expect(loadBulkScript(f)).rejects.toBeInstanceOf(ScriptLoadError);
  });

  it('a missing file and a wrong extension are refused', async () => {
    await expect(loadBulkScript(path.join(tmp, 'none.mjs'))).rejects.toThrow(/cannot read script/);
    const f = path.join(tmp, 'x.py');
    writeFileSync(f, '');
    await expect(loadBulkScript(f)).rejects.toThrow(/\.js, \.mjs, \.ts/);
  });

  it('a script that throws or returns malformed XML leaves the job unchanged with an error', async () => {
    const f = path.join(tmp, 'throws.mjs');
    writeFileSync(f, 'export default function (c, job) { if (job.name === "bad") throw new Error("boom"); return "<a><b></a>"; }\n');
    const script = await loadBulkScript(f);
    const xml = corpus('011-osc-container.xml');
    const r1 = await editJobConfig(xml, [], script, job('bad'));
    expect(r1).toMatchObject({ changed: false, xml, error: 'script failed: boom' });
    const r2 = await editJobConfig(xml, [], script, job('ok'));
    expect(r2.changed).toBe(false);
    expect(r2.error).toMatch(/line 1/);
  });
});
