/**
 * The CLI around --verify (break-i findings 2 and 4), as whole processes against the embedded
 * stand-in: `--json`'s `exitCode` is the process's exit code for plan, sync and apply, with and
 * without `--detailed-exitcode`; `plan --diff` never prints a Secret field's value and shows no line
 * for a secret Jenkins holds encrypted.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';

const TEMPLATE = `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <actions/>
  <description>deploys</description>
  <keepDependencies>false</keepDependencies>
  <properties>
    <hudson.model.ParametersDefinitionProperty>
      <parameterDefinitions>
        <hudson.model.PasswordParameterDefinition>
          <name>DEPLOY_PW</name>
          <defaultValue>S3cr3t-Pa55</defaultValue>
        </hudson.model.PasswordParameterDefinition>
      </parameterDefinitions>
    </hudson.model.ParametersDefinitionProperty>
  </properties>
  <scm class="hudson.scm.NullSCM"/>
  <builders>
    <hudson.tasks.Shell>
      <command>./deploy.sh</command>
    </hudson.tasks.Shell>
  </builders>
  <publishers>
    <x.Notifier>
      <apiToken>tok-123456</apiToken>
    </x.Notifier>
  </publishers>
</project>
`;

let dir: string;
let home: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-verify-cli-'));
  home = path.join(dir, 'home');
  mkdirSync(path.join(dir, 'job-templates'));
  mkdirSync(path.join(dir, 'jobs'));
  writeFileSync(path.join(dir, 'job-templates', 'T-config.xml'), TEMPLATE);
  writeFileSync(path.join(dir, 'jobs', 'p.yaml'), 'templates: [T]\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const cli = (...args: string[]): Promise<CliResult> => runCli([...args, '--embedded', home, ...(args[0] === 'plan' ? ['--no-label-check'] : [])], { cwd: dir });
const liveFile = (): string => path.join(home, 'jobs', 'p-T', 'config.xml');

/** The process's exit code and the JSON document's `exitCode`. */
function codes(r: CliResult): [number, unknown] {
  let doc: { exitCode?: unknown };
  try {
    doc = JSON.parse(r.stdout) as { exitCode?: unknown };
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return [r.code, doc.exitCode];
}

describe('--json exitCode is the process exit code', () => {
  it('plan, sync and apply, with and without --detailed-exitcode, with and without changes', async () => {
    // changes to make: plan 0, plan --detailed-exitcode 2
    expect(codes(await cli('plan', '--json'))).toEqual([0, 0]);
    expect(codes(await cli('plan', '--json', '--detailed-exitcode'))).toEqual([2, 2]);
    expect(codes(await cli('plan', '--json', '--detailed-exitcode', '--diff'))).toEqual([2, 2]);
    const saved = path.join(dir, 'plan.json');
    expect((await cli('plan', '--out', saved)).code).toBe(0);
    expect(codes(await cli('apply', saved, '--json'))).toEqual([0, 0]);
    // nothing to do: 0 both ways
    expect(codes(await cli('plan', '--json', '--detailed-exitcode', '--verify'))).toEqual([0, 0]);
    expect(codes(await cli('sync', '--json', '--verify'))).toEqual([0, 0]);
    // drift (an edit in Jenkins' home): plan --verify --detailed-exitcode 2, sync repairs it (0)
    writeFileSync(liveFile(), readFileSync(liveFile(), 'utf8').replace('./deploy.sh', './deploy.sh --force'));
    const drift = await cli('plan', '--json', '--detailed-exitcode', '--verify');
    expect(codes(drift)).toEqual([2, 2]);
    expect((JSON.parse(drift.stdout) as { plan: { changes: Array<{ code: string }> } }).plan.changes.map((c) => c.code)).toContain('drift');
    expect(codes(await cli('plan', '--json', '--verify'))).toEqual([0, 0]);
    expect(codes(await cli('sync', '--json', '--verify'))).toEqual([0, 0]);
    expect(codes(await cli('plan', '--json', '--detailed-exitcode', '--verify'))).toEqual([0, 0]);
    // bad definitions: 1 both ways, with or without the flag
    writeFileSync(path.join(dir, 'jobs', 'p.yaml'), 'templates: [NoSuchTemplate]\n');
    expect(codes(await cli('plan', '--json', '--detailed-exitcode'))).toEqual([1, 1]);
    expect(codes(await cli('plan', '--json'))).toEqual([1, 1]);
    expect(codes(await cli('sync', '--json'))).toEqual([1, 1]);
    // sync has no --detailed-exitcode: a usage error
    expect((await cli('sync', '--detailed-exitcode')).code).toBe(2);
  });
});

describe('plan --diff and Secret fields', () => {
  it('prints no secret value, and no line for a secret Jenkins holds encrypted; a real difference is shown', async () => {
    expect((await cli('sync')).code).toBe(0);
    const live = readFileSync(liveFile(), 'utf8');
    expect(live).toContain('<defaultValue>S3cr3t-Pa55</defaultValue>'); // the file holds the submission; GET serves it encrypted
    writeFileSync(liveFile(), live.replace('./deploy.sh', './deploy.sh --force'));
    const r = await cli('plan', '--verify', '--diff');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('-      <command>./deploy.sh --force</command>');
    expect(r.stdout).toContain('+      <command>./deploy.sh</command>');
    expect(r.stdout).not.toContain('S3cr3t-Pa55');
    expect(r.stdout).not.toContain('tok-123456');
    expect(r.stdout).not.toContain('{AQAAABAAAA');
    expect(r.stdout).not.toMatch(/^[-+].*defaultValue/m);
    // the secret's own name is shown, and a plain-text secret changed in a template is masked on both sides
    writeFileSync(path.join(dir, 'job-templates', 'T-config.xml'), TEMPLATE.replace('tok-123456', 'tok-654321').replace('DEPLOY_PW', 'DEPLOY_PASSWORD'));
    const r2 = await cli('plan', '--diff');
    expect(r2.stdout).toContain('+          <name>DEPLOY_PASSWORD</name>');
    expect(r2.stdout).toContain('           <defaultValue>****</defaultValue>');
    expect(r2.stdout).not.toMatch(/tok-|S3cr3t|apiToken/);
  });
});
