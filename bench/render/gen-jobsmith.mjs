#!/usr/bin/env node
// Write a jobsmith job set equivalent to `python3 ../shared/bench/gen-jjb.py N DIR`:
// N seed-style projects x 2 templates (CI-build-trunk, RC-build-branch): svn scm, assigned node,
// maven builder. Templates are the XML Jenkins Job Builder writes for that set, tokenised.
//   node bench/render/gen-jobsmith.mjs N DIR   ->  DIR/job-templates/, DIR/jobs/svcNNNNN.yaml
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [n, out] = [Number(process.argv[2]), process.argv[3]];
if (!Number.isInteger(n) || n < 1 || !out) {
  process.stderr.write('usage: gen-jobsmith.mjs N DIR\n');
  process.exit(2);
}

const template = (description, remote, goals) => `<?xml version="1.0" encoding="utf-8"?>
<project>
  <actions/>
  <description>${description}</description>
  <keepDependencies>false</keepDependencies>
  <blockBuildWhenDownstreamBuilding>false</blockBuildWhenDownstreamBuilding>
  <blockBuildWhenUpstreamBuilding>false</blockBuildWhenUpstreamBuilding>
  <concurrentBuild>false</concurrentBuild>
  <assignedNode>$BUILD.FARM</assignedNode>
  <canRoam>false</canRoam>
  <properties/>
  <scm class="hudson.scm.SubversionSCM">
    <locations>
      <hudson.scm.SubversionSCM_-ModuleLocation>
        <remote>${remote}</remote>
        <local>.</local>
        <depthOption>infinity</depthOption>
        <ignoreExternalsOption>false</ignoreExternalsOption>
      </hudson.scm.SubversionSCM_-ModuleLocation>
    </locations>
    <workspaceUpdater class="hudson.scm.subversion.CheckoutUpdater"/>
    <ignoreDirPropChanges>false</ignoreDirPropChanges>
    <filterChangelog>false</filterChangelog>
  </scm>
  <builders>
    <hudson.tasks.Maven>
      <targets>${goals}</targets>
      <properties/>
      <mavenName>$MVN.VERSION</mavenName>
      <usePrivateRepository>false</usePrivateRepository>
      <settings class="jenkins.mvn.DefaultSettingsProvider"/>
      <globalSettings class="jenkins.mvn.DefaultGlobalSettingsProvider"/>
    </hudson.tasks.Maven>
  </builders>
  <publishers/>
  <buildWrappers/>
</project>
`;

mkdirSync(path.join(out, 'job-templates'), { recursive: true });
mkdirSync(path.join(out, 'jobs'), { recursive: true });
writeFileSync(path.join(out, 'job-templates/CI-build-trunk-config.xml'), template('Builds $POM.ARTIFACTID', '$SCM.PATH/trunk', '$MVN.GOALS'));
writeFileSync(path.join(out, 'job-templates/RC-build-branch-config.xml'), template('Release candidate build of $POM.ARTIFACTID', '$SCM.PATH/branches/rc', '$MVN.GOALS -Prelease'));
for (let i = 0; i < n; i++) {
  const p = `svc${String(i).padStart(5, '0')}`;
  writeFileSync(
    path.join(out, 'jobs', `${p}.yaml`),
    `templates: [CI-build-trunk, RC-build-branch]
tokens:
  POM.ARTIFACTID: ${p}-core
  SCM.PATH: https://svn.example.com/repos/${p}
  BUILD.FARM: linux-build-farm
  MVN.VERSION: maven-3.9
  MVN.GOALS: clean install
`,
  );
}
