/**
 * Root element of a config.xml ↔ the `_class` Jenkins reports for the item (jenkins-api.md §9).
 * Used to see when a job must change type (config.xml POST cannot do that: delete + create).
 */
const CLASS_BY_ROOT: Record<string, string> = {
  project: 'hudson.model.FreeStyleProject',
  'flow-definition': 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
  'maven2-moduleset': 'hudson.maven.MavenModuleSet',
  'matrix-project': 'hudson.matrix.MatrixProject',
};

/** The `_class` for a root element (plugin classes are their own root element), or undefined. */
export function classForRoot(rootElement: string): string | undefined {
  return CLASS_BY_ROOT[rootElement] ?? (rootElement.includes('.') ? rootElement : undefined);
}

/** True when the observed item's class is known to differ from what the rendered config creates. */
export function typeChanges(rootElement: string, observedClass: string): boolean {
  const want = classForRoot(rootElement);
  return want !== undefined && observedClass !== '' && want !== observedClass;
}
