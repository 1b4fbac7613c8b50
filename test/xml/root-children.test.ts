import { describe, expect, it } from 'vitest';
import { carryRootChildren, rootElementName } from '../../src/xml/root-children.js';

const PARTS = new Set(['folderViews', 'views', 'primaryView', 'viewsTabBar']);
const LIVE = `<?xml version="1.1" encoding="UTF-8"?>
<com.cloudbees.hudson.plugins.folder.Folder>
  <actions/>
  <description>d</description>
  <folderViews class="com.cloudbees.hudson.plugins.folder.views.DefaultFolderViewHolder">
    <views><hudson.model.ListView><name>mine &amp; yours</name></hudson.model.ListView></views>
  </folderViews>
  <healthMetrics/>
</com.cloudbees.hudson.plugins.folder.Folder>`;

describe('carryRootChildren', () => {
  it('puts the live views where the template has none (before the end tag), every other byte kept', () => {
    const t = '<com.cloudbees.hudson.plugins.folder.Folder>\n  <icon/>\n</com.cloudbees.hudson.plugins.folder.Folder>\n';
    const out = carryRootChildren(t, LIVE, PARTS);
    expect(out).toBe('<com.cloudbees.hudson.plugins.folder.Folder>\n  <icon/>\n  <folderViews class="com.cloudbees.hudson.plugins.folder.views.DefaultFolderViewHolder">\n    <views><hudson.model.ListView><name>mine &amp; yours</name></hudson.model.ListView></views>\n  </folderViews>\n</com.cloudbees.hudson.plugins.folder.Folder>\n');
  });
  it("replaces the template's own views with the live ones, in place", () => {
    const t = '<F>\n  <a/>\n  <folderViews><x/></folderViews>\n  <b/>\n</F>';
    expect(carryRootChildren(t, '<F><folderViews><y/></folderViews></F>', PARTS)).toBe('<F>\n  <a/>\n  <folderViews><y/></folderViews>\n  <b/>\n</F>');
  });
  it('drops them when Jenkins has none; leaves a config without them alone; opens an empty root', () => {
    expect(carryRootChildren('<F>\n  <a/>\n  <views/>\n</F>', '<F/>', PARTS)).toBe('<F>\n  <a/>\n</F>');
    expect(carryRootChildren('<F><a/></F>', '<F/>', PARTS)).toBe('<F><a/></F>');
    expect(carryRootChildren('<F/>', '<F><views><v/></views></F>', PARTS)).toBe('<F><views><v/></views></F>');
  });
  it('rootElementName', () => {
    expect(rootElementName("<?xml version='1.1'?>\n<!-- c --><flow-definition/>")).toBe('flow-definition');
  });
});
