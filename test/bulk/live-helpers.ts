import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { jobConfigPath } from '../../src/bulk/home-layout.js';
import { sharedPath } from '../helpers/shared.js';

export interface Live {
  standin: Standin;
  client: JenkinsClient;
  home: string;
  tmp: string;
  close(): Promise<void>;
}

export const corpusXml = (f: string): string => readFileSync(sharedPath('corpus', f), 'utf8');

export const FOLDER_XML = `<?xml version='1.1' encoding='UTF-8'?>
<com.cloudbees.hudson.plugins.folder.Folder plugin="cloudbees-folder@6.9">
  <description></description>
  <properties/>
  <folderViews class="com.cloudbees.hudson.plugins.folder.views.DefaultFolderViewHolder">
    <views>
      <hudson.model.AllView>
        <owner class="com.cloudbees.hudson.plugins.folder.Folder" reference="../../../.."/>
        <name>All</name>
        <filterExecutors>false</filterExecutors>
        <filterQueue>false</filterQueue>
        <properties class="hudson.model.View$PropertyImpl"/>
      </hudson.model.AllView>
    </views>
    <tabBar class="hudson.views.DefaultViewsTabBar"/>
  </folderViews>
  <healthMetrics/>
</com.cloudbees.hudson.plugins.folder.Folder>`;

/** Write jobs straight into a JENKINS_HOME before the stand-in starts (fast seeding). */
export function seedHome(home: string, jobs: Record<string, string>): void {
  for (const [fullName, xml] of Object.entries(jobs)) {
    const file = path.join(home, jobConfigPath(fullName));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, xml);
  }
}

export async function startLive(opts: { jobs?: Record<string, string>; configGet?: 'verbatim' | 'reserialise' } = {}): Promise<Live> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-bulk-'));
  const home = path.join(tmp, 'home');
  mkdirSync(home);
  if (opts.jobs) seedHome(home, opts.jobs);
  const standin = await startStandin({ home, port: 0, configGet: opts.configGet ?? 'verbatim' });
  const client = new JenkinsClient({ url: standin.url, retries: 0, retryBaseDelayMs: 1 });
  return {
    standin,
    client,
    home,
    tmp,
    close: async () => {
      await standin.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
