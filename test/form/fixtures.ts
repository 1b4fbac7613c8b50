/** A small template set for self-service tests: a freestyle build and a pipeline, with sidecars. */
export const buildTemplate = `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <description>Builds $PROJECT.NAME from $SCM.URL</description>
  <keepDependencies>false</keepDependencies>
  <properties/>
  <scm class="hudson.scm.NullSCM"/>
  <assignedNode>$BUILD.FARM</assignedNode>
  <canRoam>false</canRoam>
  <disabled>false</disabled>
  <triggers/>
  <builders>
    <hudson.tasks.Shell>
      <command>mvn $MVN.GOALS # notify=$NOTIFY.ON.FAILURE</command>
    </hudson.tasks.Shell>
  </builders>
  <publishers/>
  <buildWrappers/>
</project>
`;

export const buildSidecar = `description: Freestyle Maven build of the trunk
tokens:
  SCM.URL:
    description: Repository URL of the project.
    pattern: '(https?|svn|file)://\\S+'
    example: https://svn.example.com/repos/payments
  BUILD.FARM:
    description: Agents the build may run on.
    allowed: [linux, windows]
    default: linux
  MVN.GOALS:
    description: Maven goals.
    default: clean install
    example: clean deploy -Pci
  NOTIFY.ON.FAILURE:
    description: Mail the team when the build breaks.
    allowed: ['true', 'false']
    default: 'false'
`;

export const pipelineTemplate = `<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job">
  <description>Pipeline of $PROJECT.NAME</description>
  <keepDependencies>false</keepDependencies>
  <properties/>
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition" plugin="workflow-cps">
    <scm class="hudson.plugins.git.GitSCM" plugin="git">
      <configVersion>2</configVersion>
      <userRemoteConfigs>
        <hudson.plugins.git.UserRemoteConfig>
          <url>$SCM.URL</url>
        </hudson.plugins.git.UserRemoteConfig>
      </userRemoteConfigs>
    </scm>
    <scriptPath>Jenkinsfile</scriptPath>
    <lightweight>true</lightweight>
  </definition>
  <disabled>false</disabled>
</flow-definition>
`;

export const pipelineSidecar = `description: Git pipeline from the project's Jenkinsfile
tokens:
  SCM.URL:
    description: Clone URL of the git repository that holds the Jenkinsfile.
    pattern: '(https?|svn|file)://\\S+'
`;

/** Files of a definitions repository: templates (+ master-job templates from the repo) and one existing project. */
export function definitionsFiles(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'job-templates/Build-config.xml': buildTemplate,
    'job-templates/Build.yaml': buildSidecar,
    'job-templates/Pipeline-config.xml': pipelineTemplate,
    'job-templates/Pipeline.yaml': pipelineSidecar,
    'jobs/existing.yaml': 'templates: [Build]\ntokens:\n  SCM.URL: https://svn.example.com/existing\n',
    ...extra,
  };
}
