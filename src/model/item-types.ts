/**
 * What a template's root element makes in Jenkins, and the `_class` Jenkins reports for it
 * (jenkins-api.md §9): a job, a folder-type item (a folder, a multibranch project, an organization
 * folder: items that hold other items), or a view. Used to see when an item must change type
 * (config.xml POST cannot do that), which items hold children, and what Jenkins rewrites itself.
 */
const CLASS_BY_ROOT: Record<string, string> = {
  project: 'hudson.model.FreeStyleProject',
  'flow-definition': 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
  'maven2-moduleset': 'hudson.maven.MavenModuleSet',
  'matrix-project': 'hudson.matrix.MatrixProject',
};

export const FOLDER_CLASS = 'com.cloudbees.hudson.plugins.folder.Folder';
export const MULTIBRANCH_CLASS = 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject';
export const ORGANIZATION_FOLDER_CLASS = 'jenkins.branch.OrganizationFolder';

/**
 * Folders whose children Jenkins computes (branch projects of a multibranch project, repositories of
 * an organization folder): the children are Jenkins' own and go with the folder, as in Jenkins.
 */
const COMPUTED_FOLDER_CLASSES: ReadonlySet<string> = new Set([
  MULTIBRANCH_CLASS,
  ORGANIZATION_FOLDER_CLASS,
  'org.jenkinsci.plugins.pipeline.multibranch.defaults.PipelineMultiBranchDefaultsProject',
  'org.jenkinsci.plugins.workflow.multibranch.template.MultiBranchProjectFactory',
]);

/** Folder-type items whose children people (or other tools) create: never deleted while they hold items nobody lets go. */
const PLAIN_FOLDER_CLASSES: ReadonlySet<string> = new Set([FOLDER_CLASS]);

/** View classes of Jenkins and the common view plugins (the root element of a view's config.xml). */
const VIEW_CLASSES: ReadonlySet<string> = new Set([
  'hudson.model.ListView',
  'hudson.model.AllView',
  'hudson.model.MyView',
  'hudson.model.ProxyView',
  'listView',
  'au.com.centrumsystems.hudson.plugin.buildpipeline.BuildPipelineView',
  'hudson.plugins.nested_view.NestedView',
  'hudson.plugins.sectioned_view.SectionedView',
  'hudson.plugins.view.dashboard.Dashboard',
  'com.smartcodeltd.jenkinsci.plugins.buildmonitor.BuildMonitorView',
  'org.jenkinsci.plugins.categorizedview.CategorizedJobsView',
  'jenkins.plugins.linkedjobs.LinkedJobsView',
]);

/** The `_class` for a root element (plugin classes are their own root element), or undefined. */
export function classForRoot(rootElement: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(CLASS_BY_ROOT, rootElement)) return CLASS_BY_ROOT[rootElement];
  return rootElement.includes('.') ? rootElement : undefined;
}

/** True when the observed item's class is known to differ from what the rendered config creates. */
export function typeChanges(rootElement: string, observedClass: string): boolean {
  const want = classForRoot(rootElement);
  return want !== undefined && observedClass !== '' && want !== observedClass;
}

/** A computed folder (multibranch project, organization folder): Jenkins makes and removes its children. */
export function isComputedFolderClass(cls: string): boolean {
  return COMPUTED_FOLDER_CLASSES.has(cls) || /\.[A-Za-z]*MultiBranchProject$/.test(cls) || cls.endsWith('.OrganizationFolder');
}

/** Does a template with this root element make an item that holds other items (a folder type)? */
export function isFolderRoot(rootElement: string): boolean {
  const cls = classForRoot(rootElement) ?? rootElement;
  return PLAIN_FOLDER_CLASSES.has(cls) || isComputedFolderClass(cls) || /\.[A-Za-z]*Folder$/.test(cls);
}

/** Does a template with this root element make a view (not an item)? */
export function isViewRoot(rootElement: string): boolean {
  return VIEW_CLASSES.has(rootElement) || /^[a-z][\w$]*(\.[\w$]+)+\.[A-Za-z]*View$/.test(rootElement);
}

const ALWAYS_JENKINS_OWNED = ['disabled'];
const FOLDER_VIEW_PARTS = ['folderViews', 'views', 'viewsTabBar', 'primaryView'];

/**
 * A folder-type item's views and view holder (root children): Jenkins' own. A config push that
 * leaves them out resets them to a lone All view (AbstractFolder.init() builds a new holder when
 * `folderViews` is null after the unmarshal), so apply carries the live ones into every push of a
 * folder-type item (src/apply/apply-plan.ts pushConfig). Empty for other roots.
 */
export function folderViewParts(rootElement: string): ReadonlySet<string> {
  return new Set(isFolderRoot(rootElement) ? FOLDER_VIEW_PARTS : []);
}
/** A view's `<name>` is the name in its URL: Jenkins sets it when the view is created (`createView?name=`). */
const VIEW_PARTS: ReadonlySet<string> = new Set(['name']);

/**
 * Direct children of an item's root that Jenkins changes through other ways than a config push, and
 * so are not drift (`--verify` leaves them out of the comparison):
 * - `disabled`: the disable/enable buttons write it; the plan handles it with `disable`/`enable`;
 * - a folder-type item's views and view holder: Jenkins builds them when it loads the folder
 *   (an All view, the holder class, owner references) and changes them through the view endpoints;
 * - a view's `name`: the name in its URL, which Jenkins writes into the view.
 */
export function jenkinsOwnedParts(rootElement: string): ReadonlySet<string> {
  if (isViewRoot(rootElement)) return VIEW_PARTS;
  return new Set(isFolderRoot(rootElement) ? [...ALWAYS_JENKINS_OWNED, ...FOLDER_VIEW_PARTS] : ALWAYS_JENKINS_OWNED);
}

/** What Jenkins owns in any item's config (jobs and folder-type items alike), for comparing a config whose type is not known. */
export const ITEM_JENKINS_OWNED_PARTS: ReadonlySet<string> = new Set([...ALWAYS_JENKINS_OWNED, ...FOLDER_VIEW_PARTS]);
