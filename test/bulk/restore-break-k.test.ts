/**
 * Break-it review k, restore plans: what Jenkins must refuse (a type change, a top-level name that
 * differs only in case) is held in the plan, never posted (a conflict and exit 1 with --overwrite,
 * kept without it); `--only` changes only what it matches (an existing parent folder stays as it
 * is). The built CLI against embedded stand-ins.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let box: string;
beforeEach(() => {
  box = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-restore-k-'));
});
afterEach(() => rmSync(box, { recursive: true, force: true }));

const fs = (d: string) => `<?xml version="1.1" encoding="UTF-8"?>\n<project>\n  <description>${d}</description>\n  <builders/>\n</project>\n`;
const pipe = (d: string) => `<?xml version="1.1" encoding="UTF-8"?>\n<flow-definition plugin="workflow-job">\n  <description>${d}</description>\n</flow-definition>\n`;
const folder = (d: string) => `<?xml version="1.1" encoding="UTF-8"?>\n<com.cloudbees.hudson.plugins.folder.Folder plugin="cloudbees-folder@6.9">\n  <description>${d}</description>\n  <properties/>\n  <healthMetrics/>\n</com.cloudbees.hudson.plugins.folder.Folder>\n`;

function put(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(box, rel)), { recursive: true });
  writeFileSync(path.join(box, rel), text);
}
const cli = (...args: string[]) => runCli(args, { cwd: box });

describe('restore holds what Jenkins refuses', () => {
  beforeEach(async () => {
    put('h/jobs/build/config.xml', fs('build (freestyle)'));
    put('h/jobs/Deploy/config.xml', fs('deploy'));
    expect((await cli('backup', '--embedded', 'h', '--out', 'bk')).code).toBe(0);
    // since: build re-created as a pipeline, Deploy renamed to deploy
    rmSync(path.join(box, 'h/jobs/build'), { recursive: true });
    rmSync(path.join(box, 'h/jobs/Deploy'), { recursive: true });
    put('h/jobs/build/config.xml', pipe('build (pipeline)'));
    put('h/jobs/deploy/config.xml', fs('deploy'));
  });

  it('--overwrite: both are conflicts with their reasons; the dry run and --apply exit 1 and post nothing', async () => {
    const dry = await cli('restore', 'bk', '--embedded', 'h', '--overwrite');
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('? conflict  Deploy  (deploy exists in Jenkins: names at the top level differ only in case there, so Jenkins refuses to create Deploy');
    expect(dry.stdout).toContain('? conflict  build  (it is of class org.jenkinsci.plugins.workflow.job.WorkflowJob in Jenkins, the backup holds a <project>');
    const applied = await cli('restore', 'bk', '--embedded', 'h', '--overwrite', '--apply', '--json');
    expect(applied.code).toBe(1);
    const j = JSON.parse(applied.stdout);
    expect(j.exitCode).toBe(1);
    expect(j.applied.failed).toEqual([]);
    expect(j.plan.changes.filter((c: { kind: string }) => c.kind === 'conflict').map((c: { code: string }) => c.code).sort()).toEqual(['name-differs-in-case', 'type-differs']);
    const text = await cli('restore', 'bk', '--embedded', 'h', '--overwrite', '--apply');
    expect(text.stdout + text.stderr).not.toContain('Run restore again');
    expect(readFileSync(path.join(box, 'h/jobs/build/config.xml'), 'utf8')).toContain('build (pipeline)');
  });

  it('without --overwrite: both are kept (exists in Jenkins), exit 0, nothing posted', async () => {
    const r = await cli('restore', 'bk', '--embedded', 'h', '--apply');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('. keep      Deploy  (deploy exists in Jenkins');
    expect(r.stdout).toContain('. keep      build  (exists in Jenkins as another type (org.jenkinsci.plugins.workflow.job.WorkflowJob)');
    expect(r.stdout).toContain('Restored: 0 done, 0 failed, 0 skipped.');
  });
});

describe('restore --only changes only what it matches', () => {
  it("an existing parent folder is kept; the matched job is overwritten; a missing folder is still created", async () => {
    put('h/jobs/team/config.xml', folder('team, as backed up'));
    put('h/jobs/team/jobs/job1/config.xml', fs('job1 v1'));
    put('h/jobs/team/jobs/job2/config.xml', fs('job2 v1'));
    expect((await cli('backup', '--embedded', 'h', '--out', 'bk')).code).toBe(0);
    put('h/jobs/team/config.xml', folder('team, CHANGED SINCE'));
    put('h/jobs/team/jobs/job1/config.xml', fs('job1 broken'));
    const r = await cli('restore', 'bk', '--embedded', 'h', '--only', 'team/job1', '--overwrite', '--apply', '--verbose');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('~ update    team/job1');
    expect(r.stdout).toContain('. keep      folder team  (exists in Jenkins; restore --only creates the folders it needs when missing');
    expect(readFileSync(path.join(box, 'h/jobs/team/config.xml'), 'utf8')).toContain('CHANGED SINCE');
    expect(readFileSync(path.join(box, 'h/jobs/team/jobs/job1/config.xml'), 'utf8')).toContain('job1 v1');
    // the folder matched itself: overwritten
    const both = await cli('restore', 'bk', '--embedded', 'h', '--only', 'team', '--overwrite', '--apply');
    expect(both.code).toBe(0);
    expect(readFileSync(path.join(box, 'h/jobs/team/config.xml'), 'utf8')).toContain('team, as backed up');
    // onto an empty Jenkins: the folder it needs is created
    const fresh = await cli('restore', 'bk', '--embedded', 'new', '--only', 'team/job1', '--apply');
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain('+ create    folder team');
    expect(readFileSync(path.join(box, 'new/jobs/team/jobs/job1/config.xml'), 'utf8')).toContain('job1 v1');
  });
});
