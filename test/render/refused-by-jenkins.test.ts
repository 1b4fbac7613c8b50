/**
 * validate reports everything plan, apply or Jenkins would refuse, with file:line:col, all at once
 * (issue 15): names over 255 bytes, bad branch globs, a DOCTYPE, roots that are not items, what a
 * folder or a view cannot be; and view templates render to views.
 */
import { describe, expect, it } from 'vitest';
import { renderTree } from './workspace-fixture.js';

const JOB = '<project>\n  <builders/>\n</project>\n';
const FOLDER = '<com.cloudbees.hudson.plugins.folder.Folder>\n  <properties/>\n</com.cloudbees.hudson.plugins.folder.Folder>\n';
const MB = '<org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject>\n  <properties/>\n</org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject>\n';
/** The fields Jenkins writes for every list view (a template without them gets a warning: see the last test). */
const LIST_FIELDS = '  <filterExecutors>false</filterExecutors>\n  <filterQueue>false</filterQueue>\n  <properties class="hudson.model.View$PropertyList"/>\n  <jobFilters/>\n  <recurse>false</recurse>\n';
const VIEW = `<hudson.model.ListView>\n  <name>v</name>\n  <jobNames><comparator class="java.lang.String$CaseInsensitiveComparator"/></jobNames>\n  <columns/>\n${LIST_FIELDS}</hudson.model.ListView>\n`;

describe('validate refuses what Jenkins would refuse', () => {
  it('a job or folder name over 255 bytes of UTF-8 (a view name may be longer: it is no directory)', async () => {
    const long = 'ü'.repeat(128); // 256 bytes
    const r = await renderTree({
      'job-templates/Job-config.xml': JOB,
      'job-templates/View-config.xml': VIEW,
      'jobs/p.yaml': `templates:\n  - {template: Job, job: ${long}}\n  - {template: Job, job: ${'a'.repeat(255)}}\n  - {template: View, job: ${long}}\n`,
      'jobs/q.yaml': `folder: ${'ä'.repeat(130)}\ntemplates: [Job]\n`,
    });
    expect(r.lines).toEqual([
      `jobs/p.yaml:2:26: error: job name "${long}": the name is 256 bytes of UTF-8; Jenkins keeps each item in a directory of that name, and a directory name has at most 255 bytes [templates[0].job]`,
      `jobs/q.yaml:1:1: error: folder "${'ä'.repeat(130)}": the name is 260 bytes of UTF-8; Jenkins keeps each item in a directory of that name, and a directory name has at most 255 bytes [folder]`,
    ]);
    expect(r.desired.jobs.map((j) => j.name.length)).toEqual([255]);
    expect(r.desired.templateViews?.map((v) => v.name)).toEqual([long]);
  });

  it('every bad glob of branches.include/exclude/refs, at its own line and column', async () => {
    const r = await renderTree({
      'job-templates/Job-config.xml': JOB,
      'jobs/p.yaml': "templates: [Job]\nbranches:\n  repo: https://git.example.com/p.git\n  include: ['feature/*', '[abc']\n  exclude:\n    - 'wip-{a'\n    - '[z-a]'\n  refs: ['pull/*/head']\n  templates: [Job]\n",
    });
    expect(r.lines).toEqual([
      'jobs/p.yaml:4:26: error: branches.include[1] is not a valid glob: Missing closing: "]" - use "\\\\]" to match literal characters [branches.include[1]]',
      'jobs/p.yaml:6:7: error: branches.exclude[0] is not a valid glob: Missing closing: "}" - use "\\\\}" to match literal characters [branches.exclude[0]]',
      'jobs/p.yaml:7:7: error: branches.exclude[1] is not a valid glob: it can never match (a character range written backwards?) [branches.exclude[1]]',
      'jobs/p.yaml:8:10: error: branches.refs[0] is not a valid glob: a refs pattern names git refs, so it starts with refs/ (e.g. refs/pull/*/head) [branches.refs[0]]',
    ]);
  });

  it('a DOCTYPE in a template, with its line and column (nothing is expanded)', async () => {
    const r = await renderTree({
      'job-templates/Dtd-config.xml': '<?xml version="1.0"?>\n<!DOCTYPE project [<!ENTITY who "world">]>\n<project><description>hello &who;</description></project>\n',
      'jobs/p.yaml': 'templates: [Dtd]\n',
    });
    expect(r.lines).toEqual([
      "job-templates/Dtd-config.xml:2:1: error: a DOCTYPE is not allowed in a template: Jenkins drops it when it stores the config (expanding its entities, refusing external ones), so the job in Jenkins would never match the template; write the entities\u2019 text out instead",
    ]);
    expect(r.desired.jobs).toEqual([]);
  });

  it('a root element that is not an item (a Maven module, a node, Jenkins itself)', async () => {
    const r = await renderTree({ 'job-templates/Mod-config.xml': '<maven2>\n  <groupId>x</groupId>\n</maven2>\n', 'jobs/p.yaml': 'templates: [Mod]\n' });
    expect(r.lines[0]).toBe('job-templates/Mod-config.xml:1: error: root element <maven2> is a Maven module (part of a Maven job), not a job, folder or view: Jenkins refuses it as an item (ClassCastException)');
  });

  it('the class-name forms of those roots, build and user records: errors, one per template', async () => {
    const roots = ['hudson.slaves.DumbSlave', 'hudson.matrix.MatrixConfiguration', 'hudson.maven.MavenModule', 'build', 'hudson.model.FreeStyleBuild', 'flow-build', 'user', 'hudson.model.User', 'constructor'];
    const files: Record<string, string> = { 'jobs/p.yaml': `templates: [${roots.map((_, i) => `T${i}`).join(', ')}]\n` };
    roots.forEach((r, i) => (files[`job-templates/T${i}-config.xml`] = `<${r}>\n</${r}>\n`));
    const r = await renderTree(files);
    const errors = r.lines.filter((l) => l.includes(': error: '));
    expect(errors.map((l) => /<([^>]+)> is ([^,]+),/.exec(l)?.slice(1).join(' is '))).toEqual([
      'hudson.slaves.DumbSlave is a node (agent)',
      'hudson.matrix.MatrixConfiguration is a matrix configuration (part of a matrix job)',
      'hudson.maven.MavenModule is a Maven module (part of a Maven job)',
      "build is a build's record (build.xml)",
      "hudson.model.FreeStyleBuild is a build's record (build.xml)",
      "flow-build is a build's record (build.xml)",
      "user is a user's record (users/NAME/config.xml)",
      "hudson.model.User is a user's record (users/NAME/config.xml)",
    ]);
    // a root that merely shares a name with an object property is an unknown root (a warning), not "a function"
    expect(r.lines.filter((l) => l.includes('T8-config.xml'))).toEqual([expect.stringContaining('warning: root element <constructor> is not a job, folder or view type jobsmith knows')]);
  });

  it('a folder-type or view template cannot be disabled, nor be a branch template', async () => {
    const r = await renderTree({
      'job-templates/Folder-config.xml': FOLDER,
      'job-templates/MB-config.xml': MB,
      'job-templates/View-config.xml': VIEW,
      'job-templates/Job-config.xml': JOB,
      'jobs/p.yaml': 'templates:\n  - {template: Folder, disabled: true}\n  - View\n  - Job\ndisabled: true\nbranches:\n  repo: https://git.example.com/p.git\n  templates: [MB, View]\n',
    });
    expect(r.lines).toEqual([
      'jobs/p.yaml:2:16: error: Folder makes a folder-type item (com.cloudbees.hudson.plugins.folder.Folder), which Jenkins cannot disable: remove `disabled` [templates[0].disabled]',
      'jobs/p.yaml:5:1: error: View makes a view (hudson.model.ListView), which cannot be disabled: remove `disabled` [disabled]',
      'jobs/p.yaml:8:15: error: MB makes a folder-type item (org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject); branch templates make one job per branch, which jobsmith retires by disabling it: list it under templates instead (a multibranch project makes its own branch jobs) [branches.templates[0]]',
      'jobs/p.yaml:8:19: error: View makes a view (hudson.model.ListView); branch templates make one job per branch, which jobsmith retires by disabling it: list it under templates instead (a multibranch project makes its own branch jobs) [branches.templates[1]]',
    ]);
  });

  it('a view template renders to a view in the project folder; a `view:` of the same name is refused', async () => {
    const ok = await renderTree({ 'job-templates/View-config.xml': VIEW, 'job-templates/Job-config.xml': JOB, 'jobs/p.yaml': 'folder: team\ntemplates: [Job, View]\n' });
    expect(ok.lines).toEqual([]);
    expect(ok.desired.jobs.map((j) => j.fullName)).toEqual(['team/p-Job']);
    expect(ok.desired.templateViews).toEqual([expect.objectContaining({ name: 'p-View', folder: ['team'], fullName: 'team/p-View', rootElement: 'hudson.model.ListView', project: 'p', template: 'View' })]);
    expect(ok.desired.folders.map((f) => f.fullName)).toEqual(['team']);
    const clash = await renderTree({ 'job-templates/View-config.xml': VIEW, 'job-templates/Job-config.xml': JOB, 'jobs/p.yaml': 'folder: team\nview: p-View\ntemplates: [Job, View]\n' });
    expect(clash.lines).toEqual(['jobs/p.yaml:2:1: error: view team/p-View is made by template View (project p) and is also named by `view:`: rename one of them [view]']);
  });

  it('a list view template whose <jobNames> Jenkins would reorder is a warning (--verify would see it edited every run)', async () => {
    const view = (names: string[]) => `<hudson.model.ListView>\n  <jobNames>\n    <comparator class="java.lang.String$CaseInsensitiveComparator"/>\n${names.map((n) => `    <string>${n}</string>\n`).join('')}  </jobNames>\n  <columns/>\n${LIST_FIELDS}</hudson.model.ListView>\n`;
    const sorted = await renderTree({ 'job-templates/V-config.xml': view(['alpha', 'Beta', 'gamma']), 'jobs/p.yaml': 'templates: [V]\n' });
    expect(sorted.lines).toEqual([]);
    const unsorted = await renderTree({ 'job-templates/V-config.xml': view(['zeta', 'Alpha']), 'jobs/p.yaml': 'templates: [V]\n' });
    expect(unsorted.lines).toEqual([expect.stringMatching(/^job-templates\/V-config\.xml: warning: V: the view's <jobNames> are not in the order Jenkins keeps them \(case-insensitive: zeta before Alpha\)/)]);
    expect(unsorted.desired.templateViews).toHaveLength(1);
  });
});
