/**
 * bulk keeps what sync guarantees (issue 14, items 4 and 5), end to end: the CLI against the
 * stand-in over loopback.
 * - A config POST that went through but whose answer was lost is recorded as such, and undone.
 * - An interrupted `bulk --apply` (Ctrl-C, or killed outright) leaves a backup `--undo` can use;
 *   undo reports every job it looked at and why.
 * - An edit that would remove, alter or add the jobsmith marker is refused, `--force` or not;
 *   `--unmanage` allows removing it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { BULK_JOURNAL, BULK_MANIFEST, type BulkManifest } from '../../src/bulk/run-bulk.js';
import { parseMarker, formatMarker } from '../../src/plan/marker.js';
import { readDescription } from '../../src/plan/config-description.js';
import { sameConfig } from '../../src/xml/semantic-compare.js';
import { cliPath, runCli, type CliResult } from '../helpers/cli.js';
import { corpusXml, seedHome } from './live-helpers.js';
import { TEMPLATE, project } from '../sync/harness.js';

let tmp: string;
let standin: Standin;
let api: JenkinsClient;
let env: NodeJS.ProcessEnv;
const cli = (args: string[]) => runCli(args, { cwd: tmp, env });
const manifestOf = (dir: string): BulkManifest => JSON.parse(readFileSync(path.join(tmp, dir, BULK_MANIFEST), 'utf8'));

const CORPUS: Record<string, string> = {
  win: '007-tor-ci-windows.xml',
  cwl: '009-cwl-cwltool-release.xml',
  mips: '012-freebsd-head-mips32-be.xml',
  scan: '013-freebsd-head-scan-build.xml',
};

async function start(jobs: Record<string, string>, latencyMs = 0): Promise<void> {
  seedHome(path.join(tmp, 'home'), jobs);
  standin = await startStandin({ home: path.join(tmp, 'home'), port: 0, ...(latencyMs ? { faults: { latencyMs } } : {}) });
  api = new JenkinsClient({ url: standin.url, retries: 0 });
  env = { JENKINS_URL: standin.url, CI: '1' };
}

beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-bulk-safety-'));
});
afterEach(async () => {
  await api?.close();
  await standin?.close();
  rmSync(tmp, { recursive: true, force: true });
});

function corpusJobs(): Record<string, string> {
  return Object.fromEntries(Object.entries(CORPUS).map(([n, f]) => [n, corpusXml(f)]));
}

describe('bulk --apply / --undo when answers are lost or the run is cut short', () => {
  it('a POST whose answer was lost is recorded as such; undo checks it against Jenkins and restores it', async () => {
    await start(corpusJobs());
    const before: Record<string, string> = {};
    for (const n of Object.keys(CORPUS)) before[n] = await api.getConfig(n);
    standin.faults.set({ dropResponse: { 'POST config.xml': { times: 1 } } });
    const r = await cli(['bulk', '--set', 'assignedNode=linux-farm', '--apply', '--backup-dir', 'bk', '--retries', '0', '--concurrency', '1']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toContain('applied: 3 updated, 1 failed (1 without an answer: they may have been applied; --undo checks them)');
    const m = manifestOf('bk');
    expect(m.state).toBe('complete');
    const lost = m.jobs.filter((j) => j.outcome === 'unknown');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ applied: false });
    expect(lost[0]!.error).toMatch(/network/);
    expect(m.jobs.filter((j) => j.outcome === 'applied')).toHaveLength(3);
    // the lost one did go through
    for (const n of Object.keys(CORPUS)) expect(await api.getConfig(n)).toContain('<assignedNode>linux-farm</assignedNode>');

    standin.faults.clear();
    const u = await cli(['bulk', '--undo', 'bk']);
    expect(u.code, u.stderr).toBe(0);
    expect(u.stdout).toContain(`restored ${lost[0]!.fullName}: restored (its POST got no answer, but went through)`);
    expect(u.stdout).toContain('undo: 4 restored, 0 already as in the backup, 0 never changed by the bulk edit, 0 refused, 0 failed (of 4 jobs in the backup)');
    for (const n of Object.keys(CORPUS)) expect(sameConfig(await api.getConfig(n), before[n]!), n).toBe(true);
  });

  it('a lost request (never applied) and a refused POST: undo says so per job and restores the rest', async () => {
    await start(corpusJobs());
    standin.faults.set({ dropRequest: { 'POST config.xml': { times: 1 } } });
    const r = await cli(['bulk', '--set', 'assignedNode=linux-farm', '--apply', '--backup-dir', 'bk', '--retries', '0', '--concurrency', '1', '--json']);
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ applied: 3, applyFailed: 1, applyUnknown: 1, interrupted: false });
    const notApplied = out.jobs.find((j: { applied?: boolean }) => j.applied === false).fullName as string;
    expect(await api.getConfig(notApplied)).not.toContain('linux-farm');
    // someone edits one of the applied jobs in the meantime
    const edited = out.jobs.find((j: { applied?: boolean }) => j.applied === true).fullName as string;
    await api.updateJob(edited, (await api.getConfig(edited)).replace('linux-farm', 'by-hand'));
    const u = await cli(['bulk', '--undo', 'bk', '--json']);
    expect(u.code).toBe(1);
    const undo = JSON.parse(u.stdout);
    expect(undo.summary).toEqual({ restored: 2, 'would-restore': 0, unchanged: 0, 'not-applied': 1, refused: 1, failed: 0 });
    expect(undo.jobs).toHaveLength(4);
    expect(undo.jobs.find((j: { fullName: string }) => j.fullName === notApplied)).toEqual({
      fullName: notApplied,
      status: 'not-applied',
      message: expect.stringMatching(/^its POST got no answer \(.*\) and the live config is the backup's: it was not applied, nothing to restore$/),
    });
    expect(undo.jobs.find((j: { fullName: string }) => j.fullName === edited)).toMatchObject({ status: 'refused', message: expect.stringContaining('changed in Jenkins since the bulk edit') });
    expect(await api.getConfig(edited)).toContain('by-hand');
  });

  /** Run `bulk --apply` in its own process; `stop` once `ready(journal lines)` holds. */
  async function interruptedBulk(signal: NodeJS.Signals, ready: (lines: Array<{ fullName: string; outcome: string }>) => boolean): Promise<CliResult> {
    const child = spawn(process.execPath, [cliPath, 'bulk', '--set', 'assignedNode=linux-farm', '--apply', '--backup-dir', 'bk', '--concurrency', '1'], { cwd: tmp, env: { ...process.env, ...env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number>((resolve) => child.on('close', (code, sig) => resolve(code ?? (sig === 'SIGKILL' ? 137 : -1))));
    const journal = path.join(tmp, 'bk', BULK_JOURNAL);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const lines = (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n') : []).flatMap((l) => {
        try {
          return [JSON.parse(l) as { fullName: string; outcome: string }];
        } catch {
          return []; // empty, or a line being written right now
        }
      });
      if (ready(lines)) break;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`bulk never got there: ${stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill(signal);
    const code = await exited;
    return { code, stdout, stderr };
  }

  it('Ctrl-C: posts in flight end, the manifest is written (interrupted), exit 130; undo restores exactly what was changed', async () => {
    const jobs: Record<string, string> = {};
    for (let k = 0; k < 12; k++) jobs[`job-${String(k).padStart(2, '0')}`] = corpusXml('007-tor-ci-windows.xml');
    await start(jobs, 120);
    const r = await interruptedBulk('SIGINT', (lines) => lines.filter((l) => l.outcome === 'applied').length >= 2);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('interrupted: finishing the posts in flight, then writing the manifest');
    expect(r.stdout).toMatch(/^bulk INTERRUPTED: 12 jobs selected: \d+ changed, 0 unchanged, \d+ not looked at \(interrupted\)$/m);
    expect(r.stdout).toContain('undo with: jobsmith bulk --undo bk');
    const m = manifestOf('bk');
    expect(m.state).toBe('interrupted');
    expect(m.jobs.every((j) => j.outcome === 'applied')).toBe(true);
    const changed = m.jobs.map((j) => j.fullName).sort();
    expect(changed.length).toBeGreaterThanOrEqual(2);
    expect(changed.length).toBeLessThan(12);
    const live = async (n: string) => (await api.getConfig(n)).includes('linux-farm');
    for (const n of Object.keys(jobs)) expect(await live(n), n).toBe(changed.includes(n));

    const u = await cli(['bulk', '--undo', 'bk']);
    expect(u.code, u.stderr).toBe(0);
    expect(u.stdout).toContain('note: the bulk run was interrupted; every job it backed up was checked against Jenkins');
    expect(u.stdout).toContain(`undo: ${changed.length} restored, 0 already as in the backup, 0 never changed by the bulk edit, 0 refused, 0 failed (of ${changed.length} jobs in the backup)`);
    for (const n of Object.keys(jobs)) expect(await live(n), n).toBe(false);
  });

  it('killed outright mid-run (no manifest update): undo reads the journal, checks the POST in flight, restores the rest', async () => {
    const jobs: Record<string, string> = {};
    for (let k = 0; k < 8; k++) jobs[`job-${k}`] = corpusXml('007-tor-ci-windows.xml');
    await start(jobs, 150);
    // kill while a POST is in flight (its `posting` line is the last one)
    const r = await interruptedBulk('SIGKILL', (lines) => lines.filter((l) => l.outcome === 'applied').length >= 2 && lines[lines.length - 1]!.outcome === 'posting');
    expect(r.code).toBe(137);
    const m = manifestOf('bk');
    expect(m).toMatchObject({ state: 'running', jobs: [] });
    // let the in-flight POST land (or not) before undoing (its latency is 150 ms)
    await new Promise((res) => setTimeout(res, 1500));
    const changedNow: string[] = [];
    for (const n of Object.keys(jobs)) if ((await api.getConfig(n)).includes('linux-farm')) changedNow.push(n);
    expect(changedNow.length).toBeGreaterThanOrEqual(2);

    const u = await cli(['bulk', '--undo', 'bk', '--json']);
    expect(u.code, u.stderr).toBe(0);
    const undo = JSON.parse(u.stdout);
    expect(undo.state).toBe('running');
    expect(undo.jobs.filter((j: { status: string }) => j.status === 'restored').map((j: { fullName: string }) => j.fullName).sort()).toEqual(changedNow.sort());
    expect(undo.summary.restored + undo.summary['not-applied']).toBe(undo.jobs.length);
    for (const n of Object.keys(jobs)) expect((await api.getConfig(n)).includes('linux-farm'), n).toBe(false);
  });

  it('bad backup directories: neither manifest nor journal, a tampered manifest, an unwritable directory (exit 1, nothing posted)', async () => {
    await start(corpusJobs());
    mkdirSync(path.join(tmp, 'empty'));
    const u = await cli(['bulk', '--undo', 'empty']);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('is not a bulk backup (jobsmith-bulk.json: ENOENT)');
    mkdirSync(path.join(tmp, 'tampered'));
    writeFileSync(path.join(tmp, 'tampered', BULK_MANIFEST), JSON.stringify({ format: 'jobsmith-bulk-backup', version: 1, jobs: [{ fullName: 7 }] }));
    const t = await cli(['bulk', '--undo', 'tampered']);
    expect(t.code).toBe(1);
    expect(t.stderr).toContain('jobs[0] is not a bulk backup entry');
    writeFileSync(path.join(tmp, 'a-file'), 'x');
    const notDir = await cli(['bulk', '--set', 'assignedNode=x', '--apply', '--backup-dir', 'a-file/bk']);
    expect(notDir.code).toBe(1);
    expect(notDir.stderr).toMatch(/^error: cannot use a-file\/bk as the backup directory: ENOTDIR/m);
    // whatever happened above, nothing was posted
    expect(standin.requestCounts()['POST config.xml'] ?? 0).toBe(0);
  });
});

describe('bulk and the jobsmith marker', () => {
  const JOB = 'pay-CI-build-trunk';
  async function managedSetup(): Promise<void> {
    await start({ other: corpusXml('011-osc-container.xml').replace('<keepDependencies>', '<description>by hand</description>\n  <keepDependencies>') });
    mkdirSync(path.join(tmp, 'job-templates'));
    mkdirSync(path.join(tmp, 'jobs'));
    writeFileSync(path.join(tmp, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
    writeFileSync(path.join(tmp, 'jobs', 'pay.yaml'), project('https://svn.example.com/pay'));
    expect((await cli(['sync'])).code).toBe(0);
  }

  it('--force edits a managed job but never its marker: removing, altering or adding one is refused (exit 1), the job stays managed', async () => {
    await managedSetup();
    const original = await api.getConfig(JOB);
    const marker = parseMarker(readDescription(original));
    expect(marker).toMatchObject({ project: 'pay', template: 'CI-build-trunk' });

    // the command
    const set = await cli(['bulk', '--force', '--match', JOB, '--set', 'description=hello', '--apply', '--backup-dir', 'bk1']);
    expect(set.code).toBe(1);
    expect(set.stdout).toContain(`refused ${JOB}: the edit would remove the jobsmith marker from the description`);
    expect(set.stdout).toContain('1 refused (the edit would touch the jobsmith marker; --unmanage to remove it)');
    expect(await api.getConfig(JOB)).toBe(original);
    // a replacement that reaches into the marker's text alters it
    const alter = await cli(['bulk', '--force', '--match', JOB, '--replace', 'project=pay', 'project=pax', '--apply', '--backup-dir', 'bk2']);
    expect(alter.code).toBe(1);
    expect(alter.stdout).toContain(`refused ${JOB}: the edit would alter the jobsmith marker`);
    expect(await api.getConfig(JOB)).toBe(original);
    // a dry run says the same
    const dry = await cli(['bulk', '--force', '--match', JOB, '--set', 'description=hello']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('would remove the jobsmith marker');
    // editing the description text around the marker, or anything else, is fine: the marker stays
    const around = await cli(['bulk', '--force', '--match', JOB, '--replace', 'Trunk build of', 'Nightly build of', '--set', 'assignedNode=linux', '--apply', '--backup-dir', 'bk3']);
    expect(around.code, around.stdout).toBe(0);
    const now = await api.getConfig(JOB);
    expect(now).toContain('Nightly build of pay');
    expect(parseMarker(readDescription(now))).toEqual(marker);
    // sync still sees its own job (changed in Jenkins, not a stranger in the way)
    const plan = await cli(['plan']);
    expect(plan.stdout).not.toMatch(/conflict|unmanaged/);

    // adding a marker to an unmanaged job would forge ownership: refused even with --unmanage
    const forged = formatMarker({ kind: 'job', project: 'pay', template: 'CI-build-trunk', hash: 'sha256:00' });
    const add = await cli(['bulk', '--match', 'other', '--set', `description=${forged}`, '--apply', '--unmanage', '--backup-dir', 'bk4']);
    expect(add.code).toBe(1);
    expect(add.stdout).toContain('refused other: the edit would add a jobsmith marker to the description; bulk never makes a job managed');
    expect(parseMarker(readDescription(await api.getConfig('other')))).toBeUndefined();
  });

  it('a second root <description> (Jenkins keeps the last) cannot forge or strip a marker: refused like a set; the stand-in and the listing read the last one', async () => {
    await managedSetup();
    const original = await api.getConfig(JOB);
    const owner = parseMarker(readDescription(original))!.owner!;
    // forge: --add appends a second <description> whose marker names the unmanaged job itself
    const forged = formatMarker({ kind: 'job', owner, name: 'other', project: 'pay', template: 'CI-build-trunk', hash: 'sha256:00' });
    const snippet = `<description>${forged.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</description>`;
    const otherBefore = await api.getConfig('other');
    const add = await cli(['bulk', '--match', 'other', '--add', '/project', snippet, '--apply', '--backup-dir', 'bk1', '--no-diff']);
    expect(add.code, add.stdout).toBe(1);
    expect(add.stdout).toContain('refused other: the edit would add a jobsmith marker to the description');
    expect(await api.getConfig('other')).toBe(otherBefore);
    // strip: a managed job given a second, marker-less description would stop being managed
    const strip = await cli(['bulk', '--force', '--match', JOB, '--add', '/project', '<description>no marker</description>', '--no-diff']);
    expect(strip.code, strip.stdout).toBe(1);
    expect(strip.stdout).toContain(`refused ${JOB}: the edit would remove the jobsmith marker`);
    // what Jenkins does with such a config (the stand-in too): the listing shows the LAST description
    await api.updateJob('other', otherBefore.replace('</project>', `${snippet}\n</project>`));
    const listed = (await api.list()).items.find((i) => i.fullName === 'other')!;
    expect(parseMarker(listed.description)).toMatchObject({ owner, name: 'other' });
    expect(parseMarker(readDescription(await api.getConfig('other')))).toMatchObject({ name: 'other' });
  });

  it('--unmanage removes the marker on purpose (no --force needed); undo puts it back', async () => {
    await managedSetup();
    const original = await api.getConfig(JOB);
    const r = await cli(['bulk', '--unmanage', '--match', JOB, '--set', 'description=hello', '--apply', '--backup-dir', 'bk']);
    expect(r.code, r.stdout).toBe(0);
    const now = await api.getConfig(JOB);
    expect(readDescription(now)).toBe('hello');
    expect(manifestOf('bk').operations).toEqual(['set description=hello', 'unmanage']);
    const plan = await cli(['plan']);
    expect(plan.stdout).toMatch(/unmanaged job has this name/);
    const u = await cli(['bulk', '--undo', 'bk']);
    expect(u.code, u.stdout).toBe(0);
    expect(parseMarker(readDescription(await api.getConfig(JOB)))).toEqual(parseMarker(readDescription(original)));
  });
});

describe('what bulk selects and refuses (break-a 11 and its messages)', () => {
  const JOB = 'pay-CI-build-trunk';
  async function setup(): Promise<{ copy: string; theirs: string }> {
    await start({ other: corpusXml('011-osc-container.xml'), 'team-x': corpusXml('007-tor-ci-windows.xml') });
    mkdirSync(path.join(tmp, 'job-templates'));
    mkdirSync(path.join(tmp, 'jobs'));
    writeFileSync(path.join(tmp, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
    writeFileSync(path.join(tmp, 'jobs', 'pay.yaml'), project('https://svn.example.com/pay'));
    expect((await cli(['sync'])).code).toBe(0);
    const mine = await api.getConfig(JOB);
    // a copy made in Jenkins (New Item, copy from: the marker names the original) and another definitions' job
    await api.createJob('pay-hotfix', mine);
    const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const foreign = formatMarker({ kind: 'job', owner: 'github.com/acme/other', name: 'ops-nightly', project: 'ops', template: 'Nightly', hash: 'sha256:00' });
    await api.createJob('ops-nightly', corpusXml('011-osc-container.xml').replace('<keepDependencies>', `<description>${esc(foreign)}</description>\n  <keepDependencies>`));
    return { copy: await api.getConfig('pay-hotfix'), theirs: await api.getConfig('ops-nightly') };
  }

  it('an empty selection value (an unset variable) is a usage error, not "every job" (it edited all of them, or crashed)', async () => {
    await start({ other: corpusXml('011-osc-container.xml') });
    const before = await api.getConfig('other');
    for (const [flag, value] of [['--folder', ''], ['--regex', ''], ['--match', ''], ['--view', ''], ['--type', '']]) {
      const r = await cli(['bulk', flag!, value!, '--set', 'assignedNode=x', '--apply', '--backup-dir', `bk-${flag!.slice(2)}`]);
      expect(r.code, `${flag} ${value}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`error: ${flag} needs a value (it was given an empty one or none: an unset variable?)`);
      expect(r.stderr).not.toContain('internal error');
    }
    // an empty glob among several (the command line's rule sees only the first value)
    for (const [flag, values] of [['--match', ['other', '']], ['--type', ['project', ' ']]] as const) {
      const r = await cli(['bulk', flag, ...values, '--set', 'assignedNode=x', '--apply', '--backup-dir', `bk-${flag.slice(2)}-among`]);
      expect(r.code, `${flag} ${values.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`error: ${flag} needs a value for each entry (an empty one: an unset variable?)`);
      expect(r.stderr).not.toContain('internal error');
    }
    // a folder or view of slashes only ("$TEAM/" with TEAM unset) names nothing either
    for (const [flag, value] of [['--folder', '/'], ['--view', '//']]) {
      const r = await cli(['bulk', flag!, value!, '--set', 'assignedNode=x', '--apply', '--backup-dir', `bk-${flag!.slice(2)}-slash`]);
      expect(r.code, `${flag} ${value}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`error: ${flag} ${JSON.stringify(value)} names no ${flag!.slice(2)}: it would select every job, not none`);
    }
    expect(await api.getConfig('other')).toBe(before);
    const imp = await cli(['import', '--match', '', '--dry-run']);
    expect(imp.code, imp.stderr).toBe(2);
    expect(imp.stderr).toContain('error: --match needs a value (it was given an empty one or none: an unset variable?)');
    expect(imp.stderr).not.toContain('internal error');
  });

  it('--where is checked before the managed refusal: a managed job it does not match is "not matched", not refused', async () => {
    await setup();
    const r = await cli(['bulk', '--where', 'assignedNode=nowhere', '--set', 'assignedNode=x', '--no-diff']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toContain('refused');
    const hit = await cli(['bulk', '--where', '!assignedNode', '--set', 'assignedNode=x', '--no-diff', '--match', 'pay-*']);
    expect(hit.stdout).toContain(`refused ${JOB}: managed by jobsmith: change template job-templates/CI-build-trunk-config.xml or definition jobs/pay.yaml instead`);
  });

  it('a copy made in Jenkins is edited like any unmanaged job (no sync changes it; its marker is kept); another owner\'s job is refused in its own terms', async () => {
    const { copy, theirs } = await setup();
    const r = await cli(['bulk', '--match', 'pay-*', '--match', 'ops-*', '--set', 'canRoam=false', '--no-diff', '--apply', '--backup-dir', 'bk']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`refused ${JOB}: managed by jobsmith: change template job-templates/CI-build-trunk-config.xml or definition jobs/pay.yaml instead`);
    expect(r.stdout).toContain('refused ops-nightly: managed by other definitions (owner github.com/acme/other, project ops, template Nightly): change them there instead (their next sync that re-renders it, or sync --verify, reverts a live edit); --force edits it anyway');
    expect(r.stdout).not.toContain('jobs/ops.yaml');
    expect(r.stdout).not.toMatch(/refused pay-hotfix/);
    const edited = await api.getConfig('pay-hotfix');
    expect(edited).toContain('<canRoam>false</canRoam>');
    expect(parseMarker(readDescription(edited))).toEqual(parseMarker(readDescription(copy)));
    expect(await api.getConfig('ops-nightly')).toBe(theirs);
  });
});
