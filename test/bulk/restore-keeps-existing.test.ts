/**
 * `restore` never changes an item that exists in Jenkins without --overwrite, in every mode: from
 * the definitions at a git revision (the sequence: template change, sync, restore of the
 * previous revision), and it never deletes or retires anything even with --overwrite.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { parseMarker } from '../../src/plan/marker.js';
import { readDescription } from '../../src/plan/config-description.js';
import { restoreOnly, RESTORE_NO_OVERWRITE } from '../../src/plan/rules/restore-only.js';
import type { Change } from '../../src/model/plan.js';
import { runCli } from '../helpers/cli.js';
import { TEMPLATE, project } from '../sync/harness.js';

const TOKEN = '11ffffeeeeddddccccbbbbaaaa99998888';
let dir: string;
let standin: Standin;
let api: JenkinsClient;
let env: NodeJS.ProcessEnv;
const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
const cli = (args: string[]) => runCli(args, { cwd: dir, env });
const JOB = 'pay-CI-build-trunk';

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-restore-keep-'));
  mkdirSync(path.join(dir, 'job-templates'));
  mkdirSync(path.join(dir, 'jobs'));
  writeFileSync(path.join(dir, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
  writeFileSync(path.join(dir, 'jobs', 'pay.yaml'), project('https://svn.example.com/pay', 'view: Payments\n'));
  writeFileSync(path.join(dir, '.gitignore'), 'home/\n');
  git('init', '-q', '-b', 'main');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'v1');
  standin = await startStandin({ home: path.join(dir, 'home'), port: 0, users: [{ name: 'ci', token: TOKEN }] });
  api = new JenkinsClient({ url: standin.url, user: 'ci', token: TOKEN, retries: 0 });
  env = { JENKINS_URL: standin.url, JENKINS_USER: 'ci', JENKINS_API_TOKEN: TOKEN, CI: '1' };
});
afterEach(async () => {
  await api.close();
  await standin.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('restore FROM --revision REV (definitions at a git revision)', () => {
  it('leaves a live job alone after a template change unless --overwrite; recreates a deleted one', async () => {
    expect((await cli(['sync'])).code).toBe(0);
    writeFileSync(path.join(dir, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE.replace('echo $SCM.PATH', 'echo v2 $SCM.PATH'));
    writeFileSync(path.join(dir, 'jobs', 'web.yaml'), project('https://svn.example.com/web', 'view: Payments\n'));
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qam', 'v2');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'web');
    expect((await cli(['sync'])).code).toBe(0);
    const live = await api.getConfig(JOB);
    expect(live).toContain('echo v2 ');
    const views = async () => (await api.listViews()).find((v) => v.name === 'Payments')!.jobs.sort();
    expect(await views()).toEqual(['pay-CI-build-trunk', 'web-CI-build-trunk']);

    // the command: HEAD~2 is v1 (old template, no web project)
    const r = await cli(['restore', '.', '--revision', 'HEAD~2', '--apply']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(RESTORE_NO_OVERWRITE);
    expect(r.stdout).not.toMatch(/\bupdate\b.*pay-CI-build-trunk/);
    expect(await api.getConfig(JOB)).toBe(live);
    expect(await views()).toEqual(['pay-CI-build-trunk', 'web-CI-build-trunk']);
    expect((await api.list()).items.map((i) => i.fullName).sort()).toEqual(['pay-CI-build-trunk', 'web-CI-build-trunk']);

    const json = JSON.parse((await cli(['restore', '.', '--revision', 'HEAD~2', '--json'])).stdout);
    const pay = json.plan.changes.find((c: Change) => c.fullName === JOB);
    expect(pay).toMatchObject({ kind: 'keep' });
    // --json says why with a code and its parameters (the words are the text printer's)
    expect(pay).not.toHaveProperty('reason');
    expect(pay).toMatchObject({ code: 'restore-never', params: { detail: RESTORE_NO_OVERWRITE, would: 'update', cause: { code: 'config-changed' } } });
    expect(json.plan.summary.update + json.plan.summary.delete + json.plan.summary.disable).toBe(0);

    // a deleted job comes back from the old revision, managed; the other stays
    await api.deleteJob(JOB);
    const back = await cli(['restore', '.', '--revision', 'HEAD~2', '--apply']);
    expect(back.code, back.stderr).toBe(0);
    const recreated = await api.getConfig(JOB);
    expect(recreated).toContain('echo https://svn.example.com/pay');
    expect(parseMarker(readDescription(recreated))).toMatchObject({ project: 'pay', template: 'CI-build-trunk' });

    // --overwrite: the live job goes back to the old revision; web (not in v1) is neither deleted nor disabled
    expect((await cli(['sync'])).code).toBe(0);
    expect(await api.getConfig(JOB)).toContain('echo v2 ');
    const o = await cli(['restore', '.', '--revision', 'HEAD~2', '--apply', '--overwrite']);
    expect(o.code, o.stderr).toBe(0);
    expect(await api.getConfig(JOB)).toContain('echo https://svn.example.com/pay');
    expect((await api.list()).items.find((i) => i.fullName === 'web-CI-build-trunk')!.disabled).toBe(false);
  });
});

describe('the restore-only rule', () => {
  const c = (kind: Change['kind'], extra: Partial<Change> = {}): Change => ({ kind, target: 'job', fullName: 'j', reason: 'why', code: kind === 'create' ? 'new-job' : 'config-changed', config: '<project/>', ...extra });
  it('without --overwrite: only creates act; with it, changes to existing items too; never a delete, retire or replace', () => {
    for (const overwrite of [false, true]) {
      expect(restoreOnly(c('create'), overwrite).kind).toBe('create');
      expect(restoreOnly(c('delete'), overwrite)).toMatchObject({ kind: 'keep', reason: 'restore never deletes (would: delete, why)', code: 'restore-never', params: { would: 'delete', cause: { code: 'config-changed' } } });
      expect(restoreOnly(c('replace'), overwrite).kind).toBe('keep');
      expect(restoreOnly(c('disable', { retire: '2026-01-01T00:00:00.000Z' }), overwrite)).toMatchObject({ kind: 'keep', reason: 'restore never retires a job (would: disable, why)', code: 'restore-never', params: { would: 'disable', cause: { code: 'config-changed' } } });
      expect(restoreOnly(c('delete'), overwrite).config).toBeUndefined();
    }
    for (const kind of ['update', 'adopt', 'enable', 'disable'] as const) {
      expect(restoreOnly(c(kind), false)).toMatchObject({ kind: 'keep', reason: `${RESTORE_NO_OVERWRITE} (would: ${kind}, why)` });
      expect(restoreOnly(c(kind), true).kind).toBe(kind);
    }
    expect(restoreOnly(c('update', { target: 'view', view: { name: 'v', folder: [], add: ['j'], remove: [] } }), false).kind).toBe('keep');
  });
});
