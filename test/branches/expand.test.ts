import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DesiredJob } from '../../src/model/desired-job.js';
import type { ObservedState } from '../../src/model/observed.js';
import { formatMarker } from '../../src/plan/marker.js';
import { branchJobName, branchSlug } from '../../src/branches/branch-job-name.js';
import type { BranchListing } from '../../src/branches/detect-branches.js';
import { expandBranchJobs, repoTokenValue, type BranchProject, type RenderBranchJob } from '../../src/branches/expand-branch-jobs.js';

/** A small real renderer: substitutes the branch tokens into a fixed template text. */
const render: RenderBranchJob = ({ project, template, values, nameFor }) => {
  if (template === 'Missing') return { diagnostics: [{ severity: 'error', code: 'unknown-template', message: `no template ${template}` }] };
  const config = `<project><description>${values['BRANCH.NAME']}</description><scm>${values['BRANCH.REPO']}</scm></project>`;
  const name = nameFor(`${project}-${template}`);
  const job: DesiredJob = {
    fullName: `team/${name}`,
    name,
    folder: ['team'],
    project,
    template,
    config,
    hash: 'sha256:' + createHash('sha256').update(config).digest('hex'),
    rootElement: 'project',
    source: { file: `jobs/${project}.yaml` },
  };
  return { job, diagnostics: [] };
};

function project(name: string, b: Partial<BranchProject['branches']> = {}): BranchProject {
  return { project: name, file: `jobs/${name}.yaml`, line: 4, branches: { repo: 'https://git.example/r.git', templates: ['CI-build-branch'], ...b } };
}
const ok = (...branches: string[]): BranchListing => ({ status: 'ok', branches });

describe('expandBranchJobs', () => {
  it('one job per matching branch and template, tokens set, branch on the job', () => {
    const r = expandBranchJobs({
      projects: [project('pay', { include: ['feature/*', 'main'], exclude: ['feature/wip-*'], templates: ['CI-build-branch', 'Nightly'], keep_days: 2 })],
      listings: new Map([['pay', ok('feature/a', 'feature/wip-1', 'main', 'other')]]),
      render,
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.problems).toEqual([]);
    expect(r.jobs.map((j) => j.fullName)).toEqual([
      `team/${branchJobName('pay-CI-build-branch', 'feature/a')}`,
      `team/${branchJobName('pay-Nightly', 'feature/a')}`,
      'team/pay-CI-build-branch-main',
      'team/pay-Nightly-main',
    ]);
    expect(r.jobs.map((j) => j.branch)).toEqual(['feature/a', 'feature/a', 'main', 'main']);
    expect(r.jobs[0]?.config).toContain('<description>feature/a</description>');
    expect(r.scopes).toEqual({ pay: { status: 'ok', keepDays: 2, listed: 4, filtered: ['feature/wip-1', 'other'] } });
  });

  it('a failed listing: no jobs, failed scope, an external problem; other projects still expand', () => {
    const r = expandBranchJobs({
      projects: [project('a'), project('b')],
      listings: new Map<string, BranchListing>([
        ['a', { status: 'failed', detail: 'git ls-remote https://***@h/r.git: fatal', reason: 'auth' }],
        ['b', ok('main')],
      ]),
      render,
    });
    expect(r.jobs.map((j) => j.project)).toEqual(['b']);
    expect(r.scopes.a).toEqual({ status: 'failed', keepDays: 3, detail: 'git ls-remote https://***@h/r.git: fatal' });
    expect(r.scopes.b).toEqual({ status: 'ok', keepDays: 3, listed: 1 });
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'error', category: 'external', code: 'branch-listing-failed', project: 'a' })]);
  });

  it('an empty remote is ok with listed 0 (the planner holds existing jobs)', () => {
    const r = expandBranchJobs({ projects: [project('a')], listings: new Map([['a', ok()]]), render });
    expect(r.jobs).toEqual([]);
    expect(r.scopes.a).toEqual({ status: 'ok', keepDays: 3, listed: 0 });
  });

  it('cap: existing branch jobs kept first, overflow reported', () => {
    const observed: ObservedState = {
      items: [
        { fullName: 'team/x', name: 'x', className: 'hudson.model.FreeStyleProject', description: formatMarker({ kind: 'job', project: 'a', template: 'CI-build-branch', hash: 'sha256:1', branch: 'zeta' }), isFolder: false, disabled: false, building: false },
      ],
      views: [],
    };
    const r = expandBranchJobs({ projects: [project('a', { max: 2 })], listings: new Map([['a', ok('alpha', 'beta', 'gamma', 'zeta')]]), render, observed });
    expect(r.jobs.map((j) => j.branch)).toEqual(['alpha', 'zeta']);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'branch-cap', category: 'notice', project: 'a', message: expect.stringContaining('no jobs for 2 (beta, gamma)') })]);
  });

  it("cap: only this owner's branch jobs count as existing (another definitions' project of that name, or a copy, does not)", () => {
    const at = (fullName: string, owner: string, branch: string, name = fullName) => ({
      fullName, name: fullName.split('/').pop()!, className: 'hudson.model.FreeStyleProject', isFolder: false, disabled: false, building: false,
      description: formatMarker({ kind: 'job', owner, name, project: 'a', template: 'CI-build-branch', hash: 'sha256:1', branch }),
    });
    const observed: ObservedState = {
      items: [at('team/theirs', 'github.com/other/defs', 'zeta'), at('team/copy', 'dir:/mine/jobs', 'gamma', 'team/original'), at('team/mine', 'dir:/mine/jobs', 'beta')],
      views: [],
    };
    const r = expandBranchJobs({ projects: [project('a', { max: 2 })], listings: new Map([['a', ok('alpha', 'beta', 'gamma', 'zeta')]]), render, observed, owner: 'dir:/mine/jobs' });
    expect(r.jobs.map((j) => j.branch)).toEqual(['alpha', 'beta']);
    // without the owner (every marker counted) the other owner's and the copy's branches pushed alpha out
    expect(expandBranchJobs({ projects: [project('a', { max: 3 })], listings: new Map([['a', ok('alpha', 'beta', 'gamma', 'zeta')]]), render, observed }).jobs.map((j) => j.branch)).toEqual(['beta', 'gamma', 'zeta']);
  });

  it('default cap of 100 per project', () => {
    const many = Array.from({ length: 150 }, (_, i) => `b${String(i).padStart(3, '0')}`);
    const r = expandBranchJobs({ projects: [project('a')], listings: new Map([['a', ok(...many)]]), render });
    expect(r.jobs).toHaveLength(100);
  });

  it('bad globs and numbers are diagnostics with file, line and field, all at once', () => {
    const r = expandBranchJobs({
      projects: [project('a', { include: ['ok', 'bad['], exclude: [''], keep_days: -1, max: 1.5 })],
      listings: new Map([['a', ok('main')]]),
      render,
    });
    expect(r.jobs).toEqual([]);
    expect(r.diagnostics.map((d) => [d.file, d.line, d.field, d.severity])).toEqual([
      ['jobs/a.yaml', 4, 'branches.include[1]', 'error'],
      ['jobs/a.yaml', 4, 'branches.exclude[0]', 'error'],
      ['jobs/a.yaml', 4, 'branches.keep_days', 'error'],
      ['jobs/a.yaml', 4, 'branches.max', 'error'],
    ]);
  });

  it('render diagnostics are passed on', () => {
    const r = expandBranchJobs({ projects: [project('a', { templates: ['Missing'] })], listings: new Map([['a', ok('main')]]), render });
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'unknown-template' })]);
  });

  it('a branch job name taken by another job fails that project closed', () => {
    const r = expandBranchJobs({
      projects: [project('a'), project('b')],
      listings: new Map([['a', ok('main')], ['b', ok('main')]]),
      render,
      otherJobNames: ['team/A-CI-build-branch-MAIN'],
    });
    expect(r.scopes.a?.status).toBe('failed');
    expect(r.jobs.map((j) => j.project)).toEqual(['b']);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'branch-name-collision', project: 'a' })]);
  });

  it('BRANCH.REPO drops the password (keeps the user, unless it is a token) and the svn+ prefix', () => {
    expect(repoTokenValue('https://u:p@h/r.git')).toBe('https://u@h/r.git');
    expect(repoTokenValue('ssh://git@host/team/r.git')).toBe('ssh://git@host/team/r.git');
    expect(repoTokenValue('ssh://git:s3cret@host:2222/team/r.git')).toBe('ssh://git@host:2222/team/r.git');
    expect(repoTokenValue('svn+ssh://builder@svn.example.com/repo')).toBe('svn+ssh://builder@svn.example.com/repo');
    expect(repoTokenValue('git@github.com:team/r.git')).toBe('git@github.com:team/r.git');
    expect(repoTokenValue('https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/t/r.git')).toBe('https://github.com/t/r.git');
    expect(repoTokenValue('https://glpat-abc123@gitlab.example.com/t/r.git')).toBe('https://gitlab.example.com/t/r.git');
    expect(repoTokenValue('https://0123456789abcdef0123456789abcdef01234567@h/r.git')).toBe('https://h/r.git');
    expect(repoTokenValue('https://x-access-token:0123456789abcdef@github.com/t/r.git')).toBe('https://x-access-token@github.com/t/r.git');
    expect(repoTokenValue('https://:pw@h/r.git')).toBe('https://h/r.git');
    expect(repoTokenValue('https://AbCdEfGh1234567890XyZw@h/r.git')).toBe('https://h/r.git');
    expect(repoTokenValue('https://ci-bot-2024-builder-account@h/r.git')).toBe('https://ci-bot-2024-builder-account@h/r.git');
    expect(repoTokenValue('svn+https://h/svn/r')).toBe('https://h/svn/r');
    expect(branchSlug('main')).toBe('main');
  });
});
