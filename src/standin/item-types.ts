/** Root elements the stand-in knows (XStream aliases and class names, reference §9). */
export interface ItemType {
  cls: string;
  /** `_class` of its builds; undefined for folders. */
  buildCls?: string;
  kind: 'job' | 'folder' | 'computed-folder';
  /** Properties of the AbstractProject family (scm, upstreamProjects, ...). */
  abstractProject: boolean;
}

const FREESTYLE: ItemType = { cls: 'hudson.model.FreeStyleProject', buildCls: 'hudson.model.FreeStyleBuild', kind: 'job', abstractProject: true };
const WORKFLOW: ItemType = { cls: 'org.jenkinsci.plugins.workflow.job.WorkflowJob', buildCls: 'org.jenkinsci.plugins.workflow.job.WorkflowRun', kind: 'job', abstractProject: false };
const MAVEN: ItemType = { cls: 'hudson.maven.MavenModuleSet', buildCls: 'hudson.maven.MavenModuleSetBuild', kind: 'job', abstractProject: true };
const MATRIX: ItemType = { cls: 'hudson.matrix.MatrixProject', buildCls: 'hudson.matrix.MatrixBuild', kind: 'job', abstractProject: true };
const FOLDER: ItemType = { cls: 'com.cloudbees.hudson.plugins.folder.Folder', kind: 'folder', abstractProject: false };
const MULTIBRANCH: ItemType = { cls: 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject', kind: 'computed-folder', abstractProject: false };
const ORG_FOLDER: ItemType = { cls: 'jenkins.branch.OrganizationFolder', kind: 'computed-folder', abstractProject: false };

const BY_ROOT: Record<string, ItemType> = {
  project: FREESTYLE,
  'hudson.model.FreeStyleProject': FREESTYLE,
  'flow-definition': WORKFLOW,
  'org.jenkinsci.plugins.workflow.job.WorkflowJob': WORKFLOW,
  'maven2-moduleset': MAVEN,
  'hudson.maven.MavenModuleSet': MAVEN,
  'matrix-project': MATRIX,
  'hudson.matrix.MatrixProject': MATRIX,
  'com.cloudbees.hudson.plugins.folder.Folder': FOLDER,
  'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject': MULTIBRANCH,
  'jenkins.branch.OrganizationFolder': ORG_FOLDER,
};

/** Classes XStream knows that are not items (createItem with them fails with a ClassCastException). */
const NON_ITEM: Record<string, string> = {
  'hudson.model.ListView': 'hudson.model.ListView',
  'hudson.model.AllView': 'hudson.model.AllView',
  'hudson.model.MyView': 'hudson.model.MyView',
  hudson: 'hudson.model.Hudson',
  'maven2': 'hudson.maven.MavenModule',
  'matrix-config': 'hudson.matrix.MatrixConfiguration',
  // core classes (and those of the plugins the stand-in imitates) that are not items: Jenkins has them,
  // so createItem fails to cast, never to resolve (Items.load → ClassCastException, jenkins-api.md §4)
  'hudson.model.Hudson': 'hudson.model.Hudson',
  'jenkins.model.Jenkins': 'jenkins.model.Jenkins',
  'hudson.maven.MavenModule': 'hudson.maven.MavenModule',
  'hudson.matrix.MatrixConfiguration': 'hudson.matrix.MatrixConfiguration',
  slave: 'hudson.slaves.DumbSlave',
  'hudson.slaves.DumbSlave': 'hudson.slaves.DumbSlave',
  build: 'hudson.model.FreeStyleBuild',
  'hudson.model.FreeStyleBuild': 'hudson.model.FreeStyleBuild',
  'flow-build': 'org.jenkinsci.plugins.workflow.job.WorkflowRun',
  'org.jenkinsci.plugins.workflow.job.WorkflowRun': 'org.jenkinsci.plugins.workflow.job.WorkflowRun',
  'matrix-build': 'hudson.matrix.MatrixBuild',
  'matrix-run': 'hudson.matrix.MatrixRun',
  'maven2-moduleset-build': 'hudson.maven.MavenModuleSetBuild',
  'maven-build': 'hudson.maven.MavenBuild',
  user: 'hudson.model.User',
  'hudson.model.User': 'hudson.model.User',
};

export function itemTypeOf(root: string): ItemType | undefined {
  return Object.prototype.hasOwnProperty.call(BY_ROOT, root) ? BY_ROOT[root] : undefined;
}
export function nonItemClassOf(root: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(NON_ITEM, root) ? NON_ITEM[root] : undefined;
}

export const VIEW_TYPES: Record<string, { cls: string; listView: boolean }> = {
  'hudson.model.ListView': { cls: 'hudson.model.ListView', listView: true },
  listView: { cls: 'hudson.model.ListView', listView: true },
  'hudson.model.AllView': { cls: 'hudson.model.AllView', listView: false },
  'hudson.model.MyView': { cls: 'hudson.model.MyView', listView: false },
};
export function viewTypeOf(root: string): { cls: string; listView: boolean } | undefined {
  return Object.prototype.hasOwnProperty.call(VIEW_TYPES, root) ? VIEW_TYPES[root] : undefined;
}
