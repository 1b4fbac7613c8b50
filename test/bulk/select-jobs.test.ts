import { describe, expect, it } from 'vitest';
import type { ObservedItem, ObservedState } from '../../src/model/observed.js';
import { selectJobs, SelectorError } from '../../src/bulk/select-jobs.js';
import { formatMarker } from '../../src/plan/marker.js';
import { jobConfigPath, parseHomePath, viewConfigPath } from '../../src/bulk/home-layout.js';

const item = (fullName: string, className = 'hudson.model.FreeStyleProject', description: string | null = null): ObservedItem => ({
  fullName,
  name: fullName.split('/').pop()!,
  className,
  description,
  isFolder: className.includes('Folder'),
  disabled: false,
  building: false,
});
const marker = formatMarker({ kind: 'job', project: 'payments', template: 'CI-build-trunk', hash: 'sha256:00' });
const state: ObservedState = {
  items: [
    item('team-a', 'com.cloudbees.hudson.plugins.folder.Folder'),
    item('team-a/api-trunk'),
    item('team-a/deep', 'com.cloudbees.hudson.plugins.folder.Folder'),
    item('team-a/deep/pipe', 'org.jenkinsci.plugins.workflow.job.WorkflowJob'),
    item('payments-CI-build-trunk', 'hudson.model.FreeStyleProject', `build\n${marker}`),
    item('legacy-maven', 'hudson.maven.MavenModuleSet'),
  ],
  views: [
    { name: 'Legacy', folder: [], className: 'hudson.model.ListView', jobs: ['legacy-maven'] },
    { name: 'A', folder: ['team-a'], className: 'hudson.model.ListView', jobs: ['api-trunk'] },
  ],
};
const names = (sel: Parameters<typeof selectJobs>[1]): string[] => selectJobs(state, sel).map((s) => s.item.fullName);

describe('selectJobs', () => {
  it('never selects folders; everything else by default, sorted', () => {
    expect(names({})).toEqual(['legacy-maven', 'payments-CI-build-trunk', 'team-a/api-trunk', 'team-a/deep/pipe']);
  });
  it('globs, regex, folder', () => {
    expect(names({ match: ['team-a/**'] })).toEqual(['team-a/api-trunk', 'team-a/deep/pipe']);
    expect(names({ match: ['*-trunk', 'legacy-*'] })).toEqual(['legacy-maven', 'payments-CI-build-trunk']);
    expect(names({ regex: /pipe$/ })).toEqual(['team-a/deep/pipe']);
    expect(names({ folder: 'team-a/deep' })).toEqual(['team-a/deep/pipe']);
  });
  it('views at the root and in folders; unknown view is an error', () => {
    expect(names({ view: 'Legacy' })).toEqual(['legacy-maven']);
    expect(names({ view: 'team-a/A' })).toEqual(['team-a/api-trunk']);
    expect(() => names({ view: 'Nope' })).toThrow(SelectorError);
  });
  it('types by root element or class', () => {
    expect(names({ types: ['flow-definition'] })).toEqual(['team-a/deep/pipe']);
    expect(names({ types: ['hudson.maven.MavenModuleSet', 'project'] })).toEqual(['legacy-maven', 'payments-CI-build-trunk', 'team-a/api-trunk']);
  });
  it('managed or not, with the marker', () => {
    const m = selectJobs(state, { managed: true });
    expect(m.map((s) => s.item.fullName)).toEqual(['payments-CI-build-trunk']);
    expect(m[0]!.marker).toMatchObject({ project: 'payments', template: 'CI-build-trunk' });
    expect(names({ managed: false })).not.toContain('payments-CI-build-trunk');
  });
});

describe('JENKINS_HOME layout', () => {
  it('maps nested jobs and views both ways', () => {
    expect(jobConfigPath('a/b/c')).toBe('jobs/a/jobs/b/jobs/c/config.xml');
    expect(parseHomePath('jobs/a/jobs/b/jobs/c/config.xml')).toEqual({ kind: 'job', fullName: 'a/b/c' });
    expect(viewConfigPath('All', [])).toBe('views/All.xml');
    expect(viewConfigPath('V', ['a', 'b'])).toBe('jobs/a/jobs/b/views/V.xml');
    expect(parseHomePath('jobs/a/jobs/b/views/V.xml')).toEqual({ kind: 'view', name: 'V', folder: ['a', 'b'] });
    expect(parseHomePath('jobs/a/builds/1/build.xml')).toBeUndefined();
    expect(() => jobConfigPath('a/../b')).toThrow(/unsafe/);
  });
});
