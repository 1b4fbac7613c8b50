/**
 * Definitions for archive tests: a branch template whose builds leave every kind of relic
 * (a shell step, ArtifactArchiver, JUnitResultArchiver, a git checkout of the branch), a project
 * with a `branches:` block, and jobsmith.yaml; plus helpers to build a job and to run a
 * long-lived CLI process (serve).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { cliPath } from '../helpers/cli.js';

export const RELIC_TEMPLATE = `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <description>Builds branch $BRANCH.NAME</description>
  <keepDependencies>false</keepDependencies>
  <properties>
    <hudson.model.ParametersDefinitionProperty>
      <parameterDefinitions>
        <hudson.model.StringParameterDefinition><name>STANDIN_RESULT</name><defaultValue>SUCCESS</defaultValue></hudson.model.StringParameterDefinition>
      </parameterDefinitions>
    </hudson.model.ParametersDefinitionProperty>
  </properties>
  <scm class="hudson.plugins.git.GitSCM" plugin="git">
    <configVersion>2</configVersion>
    <userRemoteConfigs><hudson.plugins.git.UserRemoteConfig><url>$BRANCH.REPO</url></hudson.plugins.git.UserRemoteConfig></userRemoteConfigs>
    <branches><hudson.plugins.git.BranchSpec><name>refs/heads/$BRANCH.NAME</name></hudson.plugins.git.BranchSpec></branches>
  </scm>
  <canRoam>true</canRoam>
  <disabled>false</disabled>
  <concurrentBuild>false</concurrentBuild>
  <builders>
    <hudson.tasks.Shell><command>make test</command></hudson.tasks.Shell>
  </builders>
  <publishers>
    <hudson.tasks.ArtifactArchiver><artifacts>target/*.jar</artifacts></hudson.tasks.ArtifactArchiver>
    <hudson.tasks.junit.JUnitResultArchiver><testResults>target/surefire-reports/*.xml</testResults></hudson.tasks.junit.JUnitResultArchiver>
  </publishers>
  <buildWrappers/>
</project>
`;

/** job-templates/Relic-branch-*, jobs/<project>.yaml (branches, keep_days 0), jobsmith.yaml. */
export function writeDefinitions(dir: string, repoUrl: string, opts: { project?: string; archive?: string; extra?: string; branchesExtra?: string } = {}): void {
  const project = opts.project ?? 'pay';
  fs.mkdirSync(path.join(dir, 'job-templates'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'jobs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'job-templates', 'Relic-branch-config.xml'), RELIC_TEMPLATE);
  fs.writeFileSync(path.join(dir, 'job-templates', 'Relic-branch.yaml'), 'description: A branch build that leaves a log, a test report and artifacts.\n');
  fs.writeFileSync(
    path.join(dir, 'jobs', `${project}.yaml`),
    `project: ${project}\nfolder: team\n${opts.extra ?? ''}branches:\n  repo: ${repoUrl}\n  templates: [Relic-branch]\n  keep_days: 0\n${opts.branchesExtra ?? ''}`,
  );
  if (opts.archive !== undefined) fs.writeFileSync(path.join(dir, 'jobsmith.yaml'), opts.archive);
}

/** Queue a build and wait until it has finished; returns its number. */
export async function buildAndWait(api: JenkinsClient, job: string, params?: Record<string, string>): Promise<number> {
  const q = await api.build(job, params);
  let num: number | undefined;
  for (let i = 0; i < 400 && num === undefined; i++) {
    num = (await api.queueItem(q)).buildNumber;
    if (num === undefined) await new Promise((r) => setTimeout(r, 25));
  }
  if (num === undefined) throw new Error(`${job}: the build did not start`);
  for (let i = 0; i < 400; i++) {
    if (!(await api.buildStatus(job, num)).building) return num;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${job} #${num} did not finish`);
}

/** A CLI process that runs until stopped (serve), with its first stdout line matching `ready`. */
export async function startCli(args: string[], cwd: string, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${ready}" within 20 s; stdout: ${out} stderr: ${err}`)), 20_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before it was ready; stdout: ${out} stderr: ${err}`));
    });
  });
  return {
    child,
    match,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
