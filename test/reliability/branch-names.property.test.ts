/**
 * Branch names → job names, searched for counter-examples (issue 10): arbitrary branch names
 * (git-shaped ones, any Unicode string, case variants, names shaped like hashed slugs, very long
 * ones) map to job names that Jenkins accepts, that are stable (a function of the project's job
 * name and the branch alone, whatever other branches exist) and distinct (also ignoring case, as
 * Jenkins compares names). Across projects, the expansion never hands out one name twice: a
 * collision fails that project closed.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { branchJobName, branchSlug, JOB_NAME_MAX } from '../../src/branches/branch-job-name.js';
import { expandBranchJobs, type BranchProject } from '../../src/branches/expand-branch-jobs.js';
import type { BranchListing } from '../../src/branches/detect-branches.js';
import type { DesiredJob } from '../../src/model/desired-job.js';
import { countCase, countCoverage, newFigures, runs, saveFigures } from './figures.js';

const figures = newFigures();
afterAll(() => saveFigures('branch-names', figures));

/** Jenkins.checkGoodName (../shared/jenkins-api.md §3) plus the length jobsmith promises. */
function jenkinsAccepts(name: string): boolean {
  if (name === '' || name.length > JOB_NAME_MAX) return false;
  const t = name.trim();
  if (t === '.' || t === '..' || t !== name) return false;
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return false;
    if ('?*/\\%!@#$^&|<>[]:;'.includes(ch)) return false;
  }
  return !name.endsWith('.');
}

const gitSegment = fc.stringMatching(/^[A-Za-z0-9._+=,@{}~#%'"() -]{1,16}$/);
const hashLike = fc.tuple(fc.stringMatching(/^[a-z0-9-]{1,30}$/), fc.stringMatching(/^[0-9a-f]{8}$/)).map(([a, h]) => `${a}.${h}`);
const branchArb = fc.oneof(
  { weight: 4, arbitrary: fc.array(gitSegment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 100, maxLength: 400 }) },
  { weight: 1, arbitrary: hashLike },
  { weight: 1, arbitrary: fc.constantFrom('main', 'Main', 'MAIN', 'feature/a-b', 'feature-a/b', 'feature/a', 'feature_a', 'a b', 'a-b', 'x.', 'x', '..', '.', '-', '日本', '🙂', 'ünï') },
);
/** Project job names as render makes them (`<project>-<template>`), including long ones. */
const baseArb = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}-CI-build-branch$/),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._ -]{0,118}[A-Za-z0-9_-]$/),
);

const N = runs(2000);

describe('branch job names (property)', () => {
  it(`valid in Jenkins, bounded, stable (${N} cases)`, () => {
    fc.assert(
      fc.property(baseArb, branchArb, (base, branch) => {
        countCase(figures, 'branch names: Jenkins-valid, bounded, deterministic');
        const name = branchJobName(base, branch);
        expect(jenkinsAccepts(name), JSON.stringify({ base, branch, name })).toBe(true);
        expect(branchJobName(base, branch)).toBe(name);
        expect(name.startsWith(base.slice(0, Math.min(base.length, 100)).replace(/[-. ]+$/, '')) || name.length === JOB_NAME_MAX).toBe(true);
        if (base.length + 1 + branchSlug(branch).length > JOB_NAME_MAX) countCoverage(figures, 'names cut and hashed for length');
      }),
      { numRuns: N },
    );
  });

  it(`distinct branches get distinct names, ignoring case, whatever else exists (${Math.ceil(N / 4)} cases)`, () => {
    fc.assert(
      fc.property(baseArb, fc.uniqueArray(branchArb, { minLength: 2, maxLength: 80 }), fc.array(branchArb, { maxLength: 20 }), (base, branches, others) => {
        countCase(figures, 'branch names: distinct (case-insensitive) and independent of other branches');
        const names = branches.map((b) => branchJobName(base, b).toLowerCase());
        expect(new Set(names).size, JSON.stringify(branches)).toBe(branches.length);
        // stability: the name of a branch does not depend on the other branches of the run
        const alone = branches.map((b) => branchJobName(base, b).toLowerCase());
        const crowded = new Map([...others, ...branches].map((b) => [b, branchJobName(base, b).toLowerCase()]));
        branches.forEach((b, i) => expect(crowded.get(b)).toBe(alone[i]));
        if (branches.some((b) => branches.some((c) => c !== b && c.toLowerCase() === b.toLowerCase()))) countCoverage(figures, 'sets with case-only variants');
      }),
      { numRuns: Math.ceil(N / 4) },
    );
  });

  it(`across projects the expansion never gives one job name to two jobs (${Math.ceil(N / 4)} cases)`, () => {
    const projectArb = fc.record({
      project: fc.constantFrom('pay', 'pay-CI', 'pay-CI-main', 'Pay', 'web', 'web-x'),
      branches: fc.uniqueArray(branchArb, { maxLength: 12 }),
      templates: fc.subarray(['CI', 'RC', 'ci'], { minLength: 1 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(projectArb, { minLength: 1, maxLength: 4, selector: (p) => p.project }), fc.subarray(['pay-CI-main', 'web-x-CI', 'pay-CI-main-CI']), (projects, otherJobs) => {
        countCase(figures, 'branch names: no name handed out twice across projects');
        const defs: BranchProject[] = projects.map((p) => ({ project: p.project, file: `jobs/${p.project}.yaml`, line: 1, branches: { repo: 'https://git.example.com/r.git', templates: p.templates, keep_days: 0 } }));
        const listings = new Map<string, BranchListing>(projects.map((p) => [p.project, { status: 'ok', branches: p.branches }]));
        const out = expandBranchJobs({
          projects: defs,
          listings,
          otherJobNames: otherJobs,
          render: ({ project, template, nameFor }) => {
            const name = nameFor(`${project}-${template}`);
            const job: DesiredJob = { fullName: name, name, folder: [], project, template, config: '<project/>', hash: 'sha256:0', rootElement: 'project', source: { file: `jobs/${project}.yaml` } };
            return { job, diagnostics: [] };
          },
        });
        const all = [...otherJobs.map((n) => n.toLowerCase()), ...out.jobs.map((j) => j.fullName.toLowerCase())];
        expect(new Set(all).size, JSON.stringify(all)).toBe(all.length);
        for (const j of out.jobs) expect(jenkinsAccepts(j.fullName)).toBe(true);
        const failed = Object.entries(out.scopes).filter(([, s]) => s.status === 'failed');
        if (failed.length > 0) countCoverage(figures, 'collisions caught (project failed closed)');
        for (const [project] of failed) expect(out.problems.some((p) => p.project === project)).toBe(true);
      }),
      { numRuns: Math.ceil(N / 4) },
    );
  });

  it('the classic collisions stay apart', () => {
    const pairs: Array<[string, string]> = [
      ['feature/a-b', 'feature-a/b'],
      ['Feature/X', 'feature/x'],
      ['feature/a', 'feature_a'],
      ['a b', 'a-b'],
      ['x.', 'x'],
      [branchSlug('feature/x'), 'feature/x'],
    ];
    for (const [a, b] of pairs) {
      countCase(figures, 'branch names: classic collision pairs');
      expect(branchJobName('pay-CI', a).toLowerCase()).not.toBe(branchJobName('pay-CI', b).toLowerCase());
    }
  });
});
