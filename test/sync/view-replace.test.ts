/**
 * A view made from a template whose type changes is replaced without ever deleting the old view
 * before Jenkins has made the new one: a missing view plugin leaves the old view in place and says
 * what to do (class `jenkins`), and a replacement stopped half-way is cleaned up by the next sync.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeEnv, planned, type Env } from './harness.js';
import { asideName } from '../../src/plan/aside-name.js';
import { runCli } from '../helpers/cli.js';

const LIST = `<hudson.model.ListView>
  <jobNames><comparator class="java.lang.String$CaseInsensitiveComparator"/></jobNames>
</hudson.model.ListView>
`;
const PIPELINE_VIEW = `<au.com.centrumsystems.hudson.plugin.buildpipeline.BuildPipelineView plugin="build-pipeline-plugin@1.5.8">
  <filterExecutors>false</filterExecutors>
</au.com.centrumsystems.hudson.plugin.buildpipeline.BuildPipelineView>
`;
const MY = `<hudson.model.MyView>
  <filterExecutors>false</filterExecutors>
</hudson.model.MyView>
`;

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function views(e: Env): Promise<string[]> {
  return (await e.api.listViews()).map((v) => `${v.name}:${v.className}`).sort();
}

describe('view replacement', () => {
  it('a view type no plugin provides: the old view stays, the failure says install the plugin, every sync', async () => {
    env = await makeEnv({ templates: { Team: LIST } });
    await env.writeProject('x', 'templates:\n  - template: Team\n    job: Team\n');
    planned(await env.sync());
    await writeFile(path.join(env.templatesDir, 'Team-config.xml'), PIPELINE_VIEW);
    for (let run = 0; run < 2; run++) {
      const o = planned(await env.sync());
      expect(o.plan.changes.filter((c) => c.target === 'view').map((c) => c.kind)).toEqual(['replace']);
      expect(o.applied!.failed.map((f) => [f.class, f.hint])).toEqual([['jenkins', expect.stringMatching(/no plugin that provides <au\.com\.centrumsystems\.hudson\.plugin\.buildpipeline\.BuildPipelineView>: install it/)]]);
      expect(await views(env)).toEqual(['Team:hudson.model.ListView', 'all:hudson.model.AllView']);
    }
    // the CLI: the hint, no doubled "view", exit 3 (Jenkins must change)
    const r = await runCli(['sync', '--templates', env.templatesDir, '--jobs', env.jobsDir], { cwd: env.dir, env: { JENKINS_URL: env.standin.url, JENKINS_USER: 'sync', JENKINS_API_TOKEN: '11aaaabbbbccccddddeeeeffff00001111', CI: '1' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('→ Jenkins has no plugin that provides');
    expect(r.stderr).not.toContain("'view ");
    expect(r.stderr).toMatch(/1 failure\(s\) will fail again until Jenkins changes \(see → above\)\. Then run sync again/);
  });

  it('a view type Jenkins has: replaced, no temporary view left; one left by a stopped run is deleted', async () => {
    env = await makeEnv({ templates: { Team: LIST } });
    await env.writeProject('x', 'templates:\n  - template: Team\n    job: Team\n');
    planned(await env.sync());
    await writeFile(path.join(env.templatesDir, 'Team-config.xml'), MY);
    const o = planned(await env.sync());
    expect(o.applied!.failed).toEqual([]);
    expect(await views(env)).toEqual(['Team:hudson.model.MyView', 'all:hudson.model.AllView']);
    // a run stopped after making the new view under its temporary name: the next sync deletes that one
    const temp = asideName('Team', () => true);
    const config = await env.api.getViewConfig('Team');
    await env.api.createView(temp, config);
    const next = planned(await env.sync());
    expect(next.plan.changes.filter((c) => c.target === 'view' && c.kind !== 'unchanged').map((c) => [c.kind, c.fullName, c.reason])).toEqual([['delete', temp, 'left under a temporary name by a replacement of view Team that stopped half-way']]);
    expect(await views(env)).toEqual(['Team:hudson.model.MyView', 'all:hudson.model.AllView']);
  });
});

describe('list view templates and the fields Jenkins fills in', () => {
  const MINIMAL = '<hudson.model.ListView>\n  <description>d</description>\n</hudson.model.ListView>\n';
  const FULL = `<hudson.model.ListView>
  <description>d</description>
  <filterExecutors>false</filterExecutors>
  <filterQueue>false</filterQueue>
  <properties class="hudson.model.View$PropertyList"/>
  <jobNames><comparator class="java.lang.String$CaseInsensitiveComparator"/></jobNames>
  <jobFilters/>
  <columns><hudson.views.StatusColumn/><hudson.views.JobColumn/></columns>
  <recurse>false</recurse>
</hudson.model.ListView>
`;
  it('the stand-in serves every field, like Jenkins; validate warns about a template without them; a complete one verifies clean', async () => {
    env = await makeEnv({ templates: { Min: MINIMAL, Full: FULL } });
    await env.writeProject('t', 'templates:\n  - template: Min\n    job: Team\n  - template: Full\n    job: Crew\n');
    const o = planned(await env.sync());
    expect(o.diagnostics.filter((d) => d.code === 'view-fields-missing').map((d) => d.message)).toEqual([
      "Min: the list view leaves out <filterExecutors>, <filterQueue>, <properties>, <jobNames>, <jobFilters>, <columns>, <recurse>, which Jenkins fills in and writes back: --verify would report the view as edited on every run; add them (or export the view's config.xml from Jenkins)",
    ]);
    const validate = await runCli(['validate', '--templates', env.templatesDir, '--jobs', env.jobsDir], { cwd: env.dir });
    expect(validate.stdout).toContain('ok: 2 templates, 1 projects, 0 jobs, 2 views');
    const list = await runCli(['list', '--json', '--templates', env.templatesDir, '--jobs', env.jobsDir], { cwd: env.dir });
    expect(JSON.parse(list.stdout).templateViews.map((v: { fullName: string; template: string }) => `${v.fullName} ${v.template}`)).toEqual(['Crew Full', 'Team Min']);
    expect((await runCli(['list', '--templates', env.templatesDir, '--jobs', env.jobsDir], { cwd: env.dir })).stdout).toMatch(/^view Team\s+Min\s+t$/m);
    const got = await env.api.getViewConfig('Team');
    expect(got).toContain('<hudson.views.WeatherColumn/>');
    expect(got.indexOf('<description>')).toBeLessThan(got.indexOf('<filterExecutors>'));
    const v = planned(await env.sync({ verify: true }));
    expect(v.plan.changes.filter((c) => c.target === 'view' && c.kind !== 'unchanged').map((c) => c.fullName)).toEqual(['Team']);
  });
});
