/**
 * A save by the stand-in itself (disable, enable, rename) writes config.xml as Jenkins' XmlFile
 * does: XStream's field order, Secrets encrypted (jenkins-api.md §5, §6; break-i finding 5), like a
 * config POST. With `configGet: 'verbatim'` (Jenkins before 2.568) GET then serves that file.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';

const CONFIG = `<project>
  <keepDependencies>false</keepDependencies>
  <properties>
    <hudson.model.ParametersDefinitionProperty>
      <parameterDefinitions>
        <hudson.model.PasswordParameterDefinition>
          <name>PW</name>
          <defaultValue>hunter2</defaultValue>
        </hudson.model.PasswordParameterDefinition>
      </parameterDefinitions>
    </hudson.model.ParametersDefinitionProperty>
  </properties>
  <description>d</description>
  <actions/>
  <disabled>false</disabled>
</project>
`;

let standin: Standin | undefined;
let api: JenkinsClient | undefined;
let dir: string | undefined;
afterEach(async () => {
  await api?.close();
  await standin?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  standin = api = dir = undefined;
});

describe('stand-in: a server-side save', () => {
  for (const configGet of ['reserialise', 'verbatim'] as const) {
    it(`${configGet}: disable/enable and rename write the Secret encrypted, in XStream's field order`, async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-save-secrets-'));
      standin = await startStandin({ home: path.join(dir, 'home'), port: 0, configGet });
      api = new JenkinsClient({ url: standin.url + '/', retries: 0 });
      await api.createJob('j', CONFIG);
      const file = (name: string): Promise<string> => readFile(path.join(dir!, 'home', 'jobs', name, 'config.xml'), 'utf8');
      expect(await file('j')).toContain('<defaultValue>hunter2</defaultValue>'); // a submission is stored as sent
      await api.disableJob('j');
      await api.enableJob('j');
      for (const text of [await file('j'), await api.getConfig('j')]) {
        expect(text).not.toContain('hunter2');
        expect(text).toMatch(/<defaultValue>\{AQAAABAAAA[A-Za-z0-9+/=]+\}<\/defaultValue>/);
        expect(text.indexOf('<actions/>')).toBeLessThan(text.indexOf('<description>'));
        expect(text.indexOf('<description>')).toBeLessThan(text.indexOf('<keepDependencies>'));
      }
      await api.renameJob('j', 'k');
      expect(await file('k')).not.toContain('hunter2');
      expect(await api.getConfig('k')).toMatch(/<defaultValue>\{AQAAABAAAA/);
    });
  }
});
