/**
 * A folder-type item's views are Jenkins' own: a config push keeps the views people made inside it,
 * `--verify` does not report them, and `plan --diff` does not show them as removed. `plan --diff`
 * shows the updates of views made from templates too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeEnv, planned, type Env } from './harness.js';
import { runCli } from '../helpers/cli.js';

const FOLDER = `<com.cloudbees.hudson.plugins.folder.Folder>
</com.cloudbees.hudson.plugins.folder.Folder>
`;
const FOLDER2 = `<com.cloudbees.hudson.plugins.folder.Folder>
  <healthMetrics/>
</com.cloudbees.hudson.plugins.folder.Folder>
`;
const MINE = '<hudson.model.ListView><name>mine</name><jobNames><comparator class="java.lang.String$CaseInsensitiveComparator"/></jobNames></hudson.model.ListView>';
const TEAM = `<hudson.model.ListView>
  <filterExecutors>false</filterExecutors>
  <filterQueue>false</filterQueue>
  <properties class="hudson.model.View$PropertyList"/>
  <jobNames><comparator class="java.lang.String$CaseInsensitiveComparator"/></jobNames>
  <jobFilters/>
  <columns><hudson.views.StatusColumn/><hudson.views.JobColumn/></columns>
  <recurse>false</recurse>
</hudson.model.ListView>
`;

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

function cliEnv(e: Env): NodeJS.ProcessEnv {
  return { JENKINS_URL: e.standin.url, JENKINS_USER: 'sync', JENKINS_API_TOKEN: '11aaaabbbbccccddddeeeeffff00001111', CI: '1' };
}

describe('a folder-type template item keeps the views people made inside it', () => {
  it('through a template update, a drift repair (--verify) and plan --diff', async () => {
    env = await makeEnv({ templates: { F: FOLDER } });
    await env.writeProject('x', 'templates:\n  - template: F\n    job: grp\n');
    planned(await env.sync());
    await env.api.createView('mine', MINE, 'grp');
    expect((await env.api.listViews('grp')).map((v) => v.name).sort()).toEqual(['All', 'mine']);
    // a person's view is not drift
    const verified = planned(await env.sync({ verify: true }));
    expect(verified.plan.changes.filter((c) => c.kind !== 'unchanged')).toEqual([]);
    // the template changes: plan --diff shows the change, not the views as removed
    await writeFile(path.join(env.templatesDir, 'F-config.xml'), FOLDER2);
    const d = await runCli(['plan', '--diff', '--templates', env.templatesDir, '--jobs', env.jobsDir], { cwd: env.dir, env: cliEnv(env) });
    expect(d.stdout).toMatch(/~ update\s+grp/);
    expect(d.stdout).toMatch(/^\+\s*<healthMetrics/m);
    expect(d.stdout).not.toMatch(/^-.*(folderViews|AllView|mine)/m);
    const synced = planned(await env.sync());
    expect(synced.applied!.failed).toEqual([]);
    expect((await env.api.listViews('grp')).map((v) => v.name).sort()).toEqual(['All', 'mine']);
    expect(await env.api.getViewConfig('mine', 'grp')).toContain('<name>mine</name>');
  });
});

describe('plan --diff for views made from templates', () => {
  it('shows the difference of a view edited in Jenkins and of a template change', async () => {
    env = await makeEnv({ templates: { Team: TEAM } });
    await env.writeProject('x', 'templates:\n  - template: Team\n    job: Team\n');
    planned(await env.sync());
    const live = await env.api.getViewConfig('Team');
    await env.api.updateViewConfig('Team', live.replace('<recurse>false</recurse>', '<recurse>true</recurse>'));
    const args = ['plan', '--templates', env.templatesDir, '--jobs', env.jobsDir];
    const v = await runCli([...args, '--verify', '--diff'], { cwd: env.dir, env: cliEnv(env) });
    expect(v.stdout).toMatch(/~ update\s+view Team/);
    expect(v.stdout).toContain('+++ jobsmith/view/Team/config.xml');
    expect(v.stdout).toMatch(/^-\s*<recurse>true<\/recurse>/m);
    expect(v.stdout).toMatch(/^\+\s*<recurse>false<\/recurse>/m);
    // the view's <name> is Jenkins' own: not a difference
    expect(v.stdout).not.toMatch(/^-\s*<name>/m);
    await writeFile(path.join(env.templatesDir, 'Team-config.xml'), TEAM.replace('<filterQueue>false', '<filterQueue>true'));
    const t = await runCli([...args, '--diff'], { cwd: env.dir, env: cliEnv(env) });
    expect(t.stdout).toMatch(/^\+\s*<filterQueue>true<\/filterQueue>/m);
  });
});

describe('a folder-type template item that leaves with its project', () => {
  it('is not deleted while it holds a view a person made inside it (reported); without it, it goes', async () => {
    env = await makeEnv({ templates: { F: FOLDER, J: '<project>\n  <builders/>\n</project>\n' } });
    await env.writeProject('x', 'templates:\n  - template: F\n    job: grp\n');
    await env.writeProject('y', 'templates: [J]\n'); // another project: under the mass-delete guard
    planned(await env.sync());
    await env.api.createView('mine', MINE, 'grp');
    await env.removeProject('x');
    const o = planned(await env.sync());
    expect(o.plan.changes.filter((c) => c.fullName === 'grp').map((c) => c.kind)).toEqual(['keep']);
    expect(o.plan.problems.find((p) => p.code === 'folder-holds-items')?.message).toContain('view grp/mine');
    expect((await env.api.list()).items.map((i) => i.fullName)).toContain('grp');
    await env.api.deleteView('mine', 'grp');
    const gone = planned(await env.sync());
    expect(gone.plan.changes.filter((c) => c.fullName === 'grp').map((c) => c.kind)).toEqual(['delete']);
    expect((await env.api.list()).items.map((i) => i.fullName)).toEqual(['y-J']);
  });
});
