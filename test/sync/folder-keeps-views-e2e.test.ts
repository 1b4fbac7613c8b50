/**
 * Finding 7 of break-it report A: a folder jobsmith made is deleted only when nothing else is in it:
 * no item, no view a person made (a view in a folder goes with the folder, and views are never
 * deleted), and nothing configured on the folder itself since (a description, folder properties
 * such as folder credentials). Against the stand-in on a loopback port.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { listViewConfig } from '../../src/plan/list-view-config.js';
import { makeEnv, planned, project, type Env } from './harness.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const ALICE_VIEW = '<hudson.model.ListView><name>Alice-view</name><jobNames><comparator class="java.lang.String$CaseInsensitiveComparator"/><string>shop-CI-build-trunk</string></jobNames><jobFilters/><columns/><recurse>false</recurse></hudson.model.ListView>';

/** Projects a, b at the root, and shop in folder web with its definition view Shop; synced. */
async function world(): Promise<Env> {
  env = await makeEnv();
  await env.writeProject('a', project('svn://a'));
  await env.writeProject('b', project('svn://b'));
  await env.writeProject('c', project('svn://c'));
  await env.writeProject('shop', project('svn://shop', 'folder: web\nview: Shop\n'));
  expect(planned(await env.sync()).applied?.failed).toEqual([]);
  return env;
}

const moveShopOut = (e: Env) => e.writeProject('shop', project('svn://shop', 'folder: store\nview: Shop\n'));
const folderLine = (o: Awaited<ReturnType<Env['sync']>>) => planned(o).plan.changes.filter((c) => c.target === 'folder' && c.fullName === 'web').map((c) => [c.kind, c.reason]);
const names = async (e: Env) => (await e.api.list()).items.map((i) => i.fullName);

describe('a folder jobsmith made is deleted only when nothing else is left in it', () => {
  it('without anything a person added: the emptied folder goes, with the list view jobsmith made there for the definition (control)', async () => {
    const e = await world();
    await moveShopOut(e);
    const o = await e.sync();
    expect(folderLine(o)).toEqual([['delete', 'folder no longer needed and empty after this run']]);
    expect(await names(e)).not.toContain('web');
  });

  it("a person's view in it keeps the folder (reported); the view is untouched; once it is gone, the next sync deletes the folder", async () => {
    const e = await world();
    await e.api.createView('Alice-view', ALICE_VIEW, 'web');
    await moveShopOut(e);
    const o = planned(await e.sync());
    expect(folderLine(o)).toEqual([['keep', 'folder no longer needed, but it holds view web/Alice-view, which jobsmith does not delete']]);
    expect(o.plan.problems).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'folder-holds-items', message: 'folder web: not deleted: it holds view web/Alice-view; jobsmith never deletes a view it did not make: delete or move it in Jenkins, and the next sync deletes the folder' }));
    expect(o.applied?.succeeded.map((c) => `${c.kind} ${c.fullName}`)).toContain('move store/shop-CI-build-trunk');
    expect((await e.api.listViews('web')).map((v) => v.name).sort()).toEqual(['Alice-view', 'All', 'Shop']);
    expect(await e.api.getViewConfig('Alice-view', 'web')).toContain('<columns/>');
    await e.api.deleteView('Alice-view', 'web');
    expect(folderLine(await e.sync())).toEqual([['delete', 'folder no longer needed and empty after this run']]);
  });

  it('a list view exactly like the one jobsmith writes for a view: does not hold the folder; one with anything of its own does', async () => {
    const e = await world();
    await e.api.createView('Plain', listViewConfig('Plain', ['shop-CI-build-trunk']), 'web');
    await e.api.createView('Filtered', listViewConfig('Filtered', []).replace('</jobNames>', '</jobNames>\n  <includeRegex>shop-.*</includeRegex>'), 'web');
    await moveShopOut(e);
    expect(folderLine(await e.sync())).toEqual([['keep', 'folder no longer needed, but it holds view web/Filtered, which jobsmith does not delete']]);
  });

  it('a folder configured in Jenkins since jobsmith made it (a description, folder credentials) is kept and reported', async () => {
    const e = await world();
    const config = await e.api.getConfig('web');
    const withCredentials = config.replace(/<properties\s*\/>|<properties>\s*<\/properties>/, '<properties><com.cloudbees.hudson.plugins.folder.properties.FolderCredentialsProperty><domainCredentialsMap class="hudson.util.CopyOnWriteMap$Hash"/></com.cloudbees.hudson.plugins.folder.properties.FolderCredentialsProperty></properties>');
    expect(withCredentials).not.toBe(config);
    await e.api.updateJob('web', withCredentials);
    await moveShopOut(e);
    const o = planned(await e.sync());
    expect(folderLine(o)).toEqual([['keep', 'folder no longer needed, but it was configured in Jenkins since jobsmith made it (folder properties (FolderCredentialsProperty))']]);
    expect(o.plan.problems).toContainEqual(expect.objectContaining({ code: 'folder-configured' }));
    expect(await names(e)).toContain('web');
    // a description a person wrote on it counts too
    await e.api.updateJob('web', config.replace('<description>', '<description>Team web: ask Dana before deleting\n'));
    expect(folderLine(await e.sync())).toEqual([['keep', 'folder no longer needed, but it was configured in Jenkins since jobsmith made it (a description)']]);
  });

  it('configured between the plan and its apply: the delete is refused right before it is sent', async () => {
    const e = await world();
    await moveShopOut(e);
    const plan = planned(await e.sync({ dryRun: true })).plan;
    expect(plan.changes.filter((c) => c.target === 'folder' && c.kind === 'delete').map((c) => c.fullName)).toEqual(['web']);
    const config = await e.api.getConfig('web');
    await e.api.updateJob('web', config.replace('<description>', '<description>Dana keeps notes here\n'));
    const r = await applyPlan(e.api, plan);
    expect(r.failed.map((f) => f.error)).toEqual(["delete 'web' refused: it is no longer what the plan saw: it was configured in Jenkins since (a description); not touched"]);
    expect(await names(e)).toContain('web');
  });
});
