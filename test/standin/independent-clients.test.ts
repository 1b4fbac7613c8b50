import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../helpers/shared.js';
import { TOKEN, USER, json, startTemp, type Running } from './standin-harness.js';

const run = promisify(execFile);
const scenario = path.join(path.dirname(new URL(import.meta.url).pathname), 'python/python_jenkins_scenario.py');

interface Step { step: string; ok: boolean; detail: unknown }

describe('python-jenkins (Debian python3-jenkins, /usr/bin/python3) against the stand-in', () => {
  let r: Running;
  let steps: Map<string, Step>;
  beforeAll(async () => {
    r = await startTemp({ buildDurationMs: 200 });
    const { stdout } = await run('/usr/bin/python3', [scenario, r.s.url, USER, TOKEN], { timeout: 60_000 });
    expect(stdout).not.toContain(TOKEN);
    steps = new Map(stdout.trim().split('\n').map((l) => JSON.parse(l) as Step).map((s) => [s.step, s]));
  });
  afterAll(() => r.stop());

  const ok = (name: string): Step => {
    const s = steps.get(name);
    expect(s, name).toBeDefined();
    expect(s!.ok, `${name}: ${JSON.stringify(s!.detail)}`).toBe(true);
    return s!;
  };

  it('whoami, version (after auth is resolved), plugins', () => {
    expect(ok('whoami').detail).toBe(USER);
    expect(ok('version').detail).toBe('2.479.3');
    expect(ok('plugins').detail).toBeGreaterThan(0);
  });
  it('create, duplicate refusal (client-side and server-side), reconfig, get config, info', () => {
    expect(ok('create').detail).toBe(true);
    expect(ok('duplicate').detail).toBe('refused: job[alpha] already exists');
    expect(ok('duplicate_other_case').detail).toBe('refused: Jenkins returned an unexpected job name alpha (expected: ALPHA)');
    expect(ok('duplicate_server_side').detail).toEqual({ status: 400, x_error: 'A job already exists with the name ?ALPHA?' });
    expect(ok('reconfig').detail).toContain('<description>second &amp; better</description>');
    expect(ok('info').detail).toEqual({ name: 'alpha', color: 'notbuilt', buildable: true, description: 'second & better' });
  });
  it('disable/enable, copy (held off), rename', () => {
    expect(ok('disable_enable').detail).toEqual(['disabled', 'notbuilt']);
    expect(ok('copy').detail).toBe(false);
    expect(ok('rename').detail).toEqual([null, true]);
  });
  it('folders, missing folder, views', () => {
    expect(ok('folders').detail).toEqual({ is_folder: true, exists: true, all: ['alpha', 'gamma', 'team', 'team/inner'] });
    expect(ok('missing_folder').detail).toBe('refused: Cannot create job[nofolder/x] because folder for the job does not exist');
    expect(ok('views').detail).toEqual({ exists: true, config_has_name: true, views: ['all', 'mine'], jobs: ['alpha', 'gamma'], after_delete: null });
  });
  it('build, delete (job and folder with children)', () => {
    expect(ok('build').detail).toMatchObject({ has_task: 'alpha' });
    expect(ok('delete').detail).toEqual([null, null]);
  });
  it('bad token → 401, malformed XML → 500 and no job, bad name → 400 HTTPError', () => {
    expect(ok('bad_token').detail).toContain('[401]');
    const m = ok('malformed').detail as { refused: string; exists_after: unknown };
    expect(m.refused).toContain('[500]');
    expect(m.exists_after).toBeNull();
    expect(ok('bad_name').detail).toContain('HTTPError 400');
  });
  it('get_version as the very first call fails: python-jenkins sends GET / before resolving auth (as against real Jenkins)', () => {
    const s = steps.get('version_first')!;
    expect(s.ok).toBe(false);
    expect(String(s.detail)).toContain('BadHTTPException');
  });
});

describe('Jenkins Job Builder (jenkins-jobs 3.11) against the stand-in', () => {
  let r: Running;
  let work: string;
  let ini: string;
  const jjb = (...args: string[]) => run('jenkins-jobs', ['--conf', ini, ...args], { timeout: 120_000, env: { ...process.env, HOME: work } });

  beforeAll(async () => {
    r = await startTemp();
    work = mkdtempSync(path.join(os.tmpdir(), 'standin-jjb-'));
    await run('python3', [sharedPath('bench', 'gen-jjb.py'), '3', path.join(work, 'defs')]);
    writeFileSync(path.join(work, 'defs/extra.yaml'), `
- job:
    name: team-folder
    project-type: folder
- job:
    name: team-folder/inner-job
    description: in a folder
- job:
    name: pipe
    project-type: pipeline
    dsl: echo 1
- view:
    name: jjb-view
    view-type: list
    job-name:
      - svc00000-CI-build-trunk
`);
    ini = path.join(work, 'jenkins_jobs.ini');
    writeFileSync(ini, `[job_builder]\nignore_cache=True\n\n[jenkins]\nuser=${USER}\npassword=${TOKEN}\nurl=${r.s.url}\nquery_plugins_info=True\n`);
  });
  afterAll(async () => {
    await r.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('update creates jobs, folders and views; a second update reconfigures', async () => {
    const first = await jjb('update', path.join(work, 'defs'));
    expect(first.stderr).toContain('Number of jobs updated: 9');
    expect(first.stderr).toContain('Number of views updated: 1');
    expect(first.stderr + first.stdout).not.toContain(TOKEN);
    const root = await json(r.s, '/api/json?tree=jobs[name,jobs[name]],views[name]');
    const names = (root.jobs as Array<{ name: string }>).map((j) => j.name);
    expect(names).toEqual(['pipe', 'svc00000-CI-build-trunk', 'svc00000-RC-build-branch', 'svc00001-CI-build-trunk', 'svc00001-RC-build-branch', 'svc00002-CI-build-trunk', 'svc00002-RC-build-branch', 'team-folder']);
    expect((root.views as Array<{ name: string }>).map((v) => v.name)).toEqual(['all', 'jjb-view']);
    expect((await json(r.s, '/job/team-folder/job/inner-job/api/json?tree=description')).description).toContain('in a folder');
    expect((await json(r.s, '/job/pipe/api/json?tree=name'))._class).toBe('org.jenkinsci.plugins.workflow.job.WorkflowJob');
    r.s.resetCounts();
    const second = await jjb('update', path.join(work, 'defs'));
    expect(second.stderr).toContain('Number of jobs updated: 9');
    // 9 job configs + 1 view config (view/jjb-view/config.xml)
    expect(r.s.requestCounts()['POST config.xml']).toBe(10);
    expect(r.s.requestCounts()['POST createItem']).toBeUndefined();
  });

  it('delete and update --delete-old remove managed jobs', async () => {
    await jjb('delete', 'svc00002-CI-build-trunk', 'team-folder/inner-job');
    expect(existsSync(path.join(r.home, 'jobs/svc00002-CI-build-trunk'))).toBe(false);
    expect(existsSync(path.join(r.home, 'jobs/team-folder/jobs/inner-job'))).toBe(false);
    rmSync(path.join(work, 'defs/extra.yaml'));
    const res = await jjb('update', '--delete-old', path.join(work, 'defs'));
    expect(res.stderr).toContain('Number of jobs deleted:');
    const names = ((await json(r.s, '/api/json?tree=jobs[name]')).jobs as Array<{ name: string }>).map((j) => j.name);
    expect(names).toEqual(['svc00000-CI-build-trunk', 'svc00000-RC-build-branch', 'svc00001-CI-build-trunk', 'svc00001-RC-build-branch', 'svc00002-CI-build-trunk', 'svc00002-RC-build-branch']);
  });
});
