import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDir } from '../helpers/cli.js';
import { BRANCH_API_VERSION } from '../../src/standin/store.js';
import { FOLDER, LIST_VIEW, call, json, post, startTemp, type Running } from './standin-harness.js';

const corpus = (f: string): string => readFileSync(path.join(sharedDir, 'corpus', f), 'utf8');
/** The folderViews block of a folder saved by Jenkins (corpus 056, cloudbees-folder). */
const JENKINS_FOLDER_VIEWS = `  <folderViews class="com.cloudbees.hudson.plugins.folder.views.DefaultFolderViewHolder">
    <views>
      <hudson.model.AllView>
        <owner class="com.cloudbees.hudson.plugins.folder.Folder" reference="../../../.."/>
        <name>All</name>
        <filterExecutors>false</filterExecutors>
        <filterQueue>false</filterQueue>
        <properties class="hudson.model.View$PropertyList"/>
      </hudson.model.AllView>
    </views>
    <tabBar class="hudson.views.DefaultViewsTabBar"/>
  </folderViews>`;

function folderViewsOf(xml: string): string {
  const m = /^ {2}<folderViews[^]*?^ {2}<\/folderViews>|^ {2}<folderViews[^>]*\/>/m.exec(xml);
  return m ? m[0] : '';
}

describe('folders re-serialised like Jenkins (cloudbees-folder, branch-api)', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startTemp();
  });
  afterAll(() => r.stop());

  it('a folder created with an empty <folderViews/> gets the holder Jenkins writes: owner four levels up, a tabBar, no primaryView', async () => {
    expect((await post(r.s, '/createItem?name=F', FOLDER)).status).toBe(200);
    const xml = (await call(r.s, '/job/F/config.xml')).text;
    expect(folderViewsOf(xml)).toBe(JENKINS_FOLDER_VIEWS);
    expect(xml).not.toContain('class="hudson"');
  });

  it('the same block as a folder Jenkins itself saved (corpus 056), which round-trips unchanged', async () => {
    const src = corpus('056-hornetm-mon-folder-job.xml');
    expect(folderViewsOf(src)).toBe(JENKINS_FOLDER_VIEWS);
    expect((await post(r.s, '/createItem?name=F056', src)).status).toBe(200);
    const once = (await call(r.s, '/job/F056/config.xml')).text;
    expect(folderViewsOf(once)).toBe(JENKINS_FOLDER_VIEWS);
    expect((await post(r.s, '/job/F056/config.xml', once)).status).toBe(200);
    expect((await call(r.s, '/job/F056/config.xml')).text).toBe(once);
  });

  it('legacy <views/>, <viewsTabBar>, <primaryView> (JJB folder template) migrate into a DefaultFolderViewHolder and disappear', async () => {
    expect((await post(r.s, '/createItem?name=Fjjb', corpus('058-jjb-folder-template001.xml'))).status).toBe(200);
    const xml = (await call(r.s, '/job/Fjjb/config.xml')).text;
    expect(folderViewsOf(xml)).toBe(JENKINS_FOLDER_VIEWS);
    expect(xml).not.toMatch(/^ {2}<(views|viewsTabBar|primaryView)\b/m);
  });

  it('a view created in a folder is saved with the folder as its owner', async () => {
    expect((await post(r.s, '/job/F/createView?name=mine', LIST_VIEW())).status).toBe(200);
    const onDisk = readFileSync(path.join(r.home, 'jobs/F/config.xml'), 'utf8');
    expect(onDisk.match(/<owner [^>]*\/>/g)).toEqual([
      '<owner class="com.cloudbees.hudson.plugins.folder.Folder" reference="../../../.."/>',
      '<owner class="com.cloudbees.hudson.plugins.folder.Folder" reference="../../../.."/>',
    ]);
    expect(onDisk).toContain('<tabBar class="hudson.views.DefaultViewsTabBar"/>');
    // root views keep the root owner form
    expect((await post(r.s, '/createView?name=rootview', LIST_VIEW())).status).toBe(200);
    const root = readFileSync(path.join(r.home, 'config.xml'), 'utf8');
    expect(root.match(/<owner [^>]*\/>/g)).toEqual(['<owner class="hudson" reference="../../.."/>', '<owner class="hudson" reference="../../.."/>']);
  });

  it('a multibranch project gets only the branch-api holder with its owner (no views block)', async () => {
    const minimal = '<org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject><properties/><healthMetrics/></org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject>';
    expect((await post(r.s, '/createItem?name=MB', minimal)).status).toBe(200);
    const xml = (await call(r.s, '/job/MB/config.xml')).text;
    expect(folderViewsOf(xml)).toBe(`  <folderViews class="jenkins.branch.MultiBranchProjectViewHolder" plugin="branch-api@${BRANCH_API_VERSION}">
    <owner class="org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject" reference="../.."/>
  </folderViews>`);
    expect(xml.indexOf('<properties/>')).toBeLessThan(xml.indexOf('<folderViews'));
    expect(xml.indexOf('<folderViews')).toBeLessThan(xml.indexOf('<healthMetrics/>'));
    const api = await json(r.s, '/job/MB/api/json?tree=views[name],primaryView[name]');
    expect(api).toEqual({
      _class: 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject',
      primaryView: { _class: 'jenkins.branch.MultiBranchProjectEmptyView', name: 'welcome' },
      views: [{ _class: 'jenkins.branch.MultiBranchProjectEmptyView', name: 'welcome' }],
    });
  });

  it('a multibranch project saved by Jenkins (corpus 061) keeps its holder exactly', async () => {
    const src = corpus('061-mcgill-auv-multibranch.xml');
    expect((await post(r.s, '/createItem?name=MB061', src)).status).toBe(200);
    const xml = (await call(r.s, '/job/MB061/config.xml')).text;
    expect(folderViewsOf(xml)).toBe(folderViewsOf(src));
  });

  it('an organization folder gets its own holder (same plugin: no plugin attribute)', async () => {
    expect((await post(r.s, '/createItem?name=Org', corpus('064-jobdsl-organizationfolder.xml'))).status).toBe(200);
    const xml = (await call(r.s, '/job/Org/config.xml')).text;
    expect(folderViewsOf(xml)).toBe(`  <folderViews class="jenkins.branch.OrganizationFolderViewHolder">
    <owner class="jenkins.branch.OrganizationFolder" reference="../.."/>
  </folderViews>`);
  });

  it('createView and view doDelete on a computed folder succeed and change nothing (its holder ignores them)', async () => {
    expect((await post(r.s, '/job/MB/createView?name=extra', LIST_VIEW())).status).toBe(200);
    const api = await json(r.s, '/job/MB/api/json?tree=views[name]');
    expect((api.views as Array<{ name: string }>).map((v) => v.name)).toEqual(['welcome']);
    const del = await post(r.s, '/job/MB/view/welcome/doDelete');
    expect(del.status).toBe(302);
    expect(((await json(r.s, '/job/MB/api/json?tree=views[name]')).views as unknown[]).length).toBe(1);
  });

  it('a multibranch template (JJB) with a holder and legacy <views>: the holder wins, the legacy fields are dropped', async () => {
    const src = corpus('062-jjb-multibranch-scm-git-full.xml');
    expect((await post(r.s, '/createItem?name=MBjjb', src)).status).toBe(200);
    const xml = (await call(r.s, '/job/MBjjb/config.xml')).text;
    expect(folderViewsOf(xml)).toBe(folderViewsOf(src));
    expect(xml).not.toMatch(/^ {2}<(views|viewsTabBar)\b/m);
  });

  it('legacy <views> without a holder become a DefaultFolderViewHolder owned by the project (AbstractFolder.init)', async () => {
    const src = corpus('062-jjb-multibranch-scm-git-full.xml').replace(/^ {2}<folderViews[^]*?<\/folderViews>\n/m, '');
    expect(src).not.toContain('folderViews');
    expect((await post(r.s, '/createItem?name=MBlegacy', src)).status).toBe(200);
    const fv = folderViewsOf((await call(r.s, '/job/MBlegacy/config.xml')).text);
    expect(fv).toContain('<folderViews class="com.cloudbees.hudson.plugins.folder.views.DefaultFolderViewHolder">');
    expect(fv).toContain('<owner class="org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject" reference="../../../.."/>');
    expect(fv).toContain('<tabBar class="hudson.views.DefaultViewsTabBar"/>');
    expect(fv).not.toContain('<viewsTabBar');
  });
});
