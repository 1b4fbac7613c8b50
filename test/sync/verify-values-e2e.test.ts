/**
 * `--verify` against the stand-in over loopback: an edit of a value's leading or trailing
 * whitespace in Jenkins is drift (XStream keeps a String field exactly), indentation is not; text
 * with U+2028 / U+0085 (which Jenkins writes raw in its XML 1.1 files and reads back as line ends)
 * gives no false drift.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeEnv, planned, type Env } from './harness.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const PARAM = `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <actions/>
  <description>hello</description>
  <properties>
    <hudson.model.ParametersDefinitionProperty>
      <parameterDefinitions>
        <hudson.model.StringParameterDefinition>
          <name>ENV</name>
          <defaultValue>prod</defaultValue>
          <trim>false</trim>
        </hudson.model.StringParameterDefinition>
      </parameterDefinitions>
    </hudson.model.ParametersDefinitionProperty>
  </properties>
  <builders>
  </builders>
</project>
`;

function drifted(o: Awaited<ReturnType<Env['sync']>>): string[] {
  return planned(o).plan.changes.filter((c) => c.kind !== 'unchanged').map((c) => `${c.kind} ${c.fullName}: ${c.reason}`);
}

describe('--verify: whitespace of a value is part of the value', () => {
  it('finds each whitespace edit made in Jenkins (spaces, a no-break space, the description), and no drift for indentation', async () => {
    env = await makeEnv({ templates: { T: PARAM } });
    await env.writeProject('p', 'templates: [T]\n');
    planned(await env.sync());
    // indentation only (`<builders>\n  </builders>` is served as Jenkins writes it): no drift
    expect(drifted(await env.sync({ verify: true }))).toEqual([]);
    const original = await env.api.getConfig('p-T');
    const edits: Array<[string, string]> = [
      ['<defaultValue>prod</defaultValue>', '<defaultValue>prod </defaultValue>'],
      ['<defaultValue>prod</defaultValue>', '<defaultValue>  prod</defaultValue>'],
      ['<defaultValue>prod</defaultValue>', '<defaultValue>prod\u00a0</defaultValue>'],
      ['<defaultValue>prod</defaultValue>', '<defaultValue>prod\u3000</defaultValue>'],
      ['<description>hello', '<description>   hello'],
      ['<description>hello', '<description>\thello'],
    ];
    for (const [from, to] of edits) {
      expect(original).toContain(from);
      await env.api.updateJob('p-T', original.replace(from, to));
      expect(drifted(await env.sync({ verify: true })), `${JSON.stringify(to)}`).toEqual(['update p-T: edited in Jenkins (drift found by --verify)']);
      // the sync put the template's value back
      expect(await env.api.getConfig('p-T')).toContain(from);
      expect(drifted(await env.sync({ verify: true }))).toEqual([]);
    }
    // Jenkins re-indenting (its own serialisation of the same values) is no drift
    await env.api.updateJob('p-T', original.replace(/>\n\s*</g, '><'));
    expect(drifted(await env.sync({ verify: true }))).toEqual([]);
  });
});

describe('--verify: U+2028 and U+0085 in a template', () => {
  const withSeparators = (text: string): string => `<project>\n  <description>${text}</description>\n  <builders>\n    <hudson.tasks.Shell>\n      <command>echo a\u2028echo b\u0085echo c</command>\n    </hudson.tasks.Shell>\n  </builders>\n</project>\n`;
  it('no false drift after a sync (Jenkins reads them as line ends); a real edit still found', async () => {
    env = await makeEnv({ templates: { T: withSeparators('Deploys the shop.\u2028Owner: team A\u0085end') } });
    await env.writeProject('p', 'templates: [T]\n');
    planned(await env.sync());
    const live = await env.api.getConfig('p-T');
    expect(live).toMatch(/^<\?xml version=.1\.1/);
    for (let i = 0; i < 2; i++) expect(drifted(await env.sync({ verify: true }))).toEqual([]);
    await env.api.updateJob('p-T', live.replace('Owner: team A', 'Owner: team B'));
    expect(drifted(await env.sync({ verify: true }))).toEqual(['update p-T: edited in Jenkins (drift found by --verify)']);
    expect(drifted(await env.sync({ verify: true }))).toEqual([]);
  });
});

describe('--verify: an encrypted-looking value outside a Secret field is an edit', () => {
  const T = `<project>\n  <actions/>\n  <description>d</description>\n  <properties>\n    <hudson.model.ParametersDefinitionProperty>\n      <parameterDefinitions>\n        <hudson.model.PasswordParameterDefinition>\n          <name>PW</name>\n          <defaultValue>hunter2</defaultValue>\n        </hudson.model.PasswordParameterDefinition>\n      </parameterDefinitions>\n    </hudson.model.ParametersDefinitionProperty>\n  </properties>\n  <assignedNode>linux</assignedNode>\n  <builders>\n    <hudson.tasks.Shell>\n      <command>make test</command>\n    </hudson.tasks.Shell>\n  </builders>\n</project>\n`;
  it('a command or a label replaced by {AQAAABAAAA…} in Jenkins is drift; the Secret served encrypted is not', async () => {
    env = await makeEnv({ templates: { T } });
    await env.writeProject('p', 'templates: [T]\n');
    planned(await env.sync());
    const live = await env.api.getConfig('p-T');
    const enc = /<defaultValue>(\{AQAAABAAAA[^<]+\})</.exec(live)![1]!;
    expect(drifted(await env.sync({ verify: true }))).toEqual([]);
    for (const [from, to] of [['make test', enc], ['>linux<', `>${enc}<`]] as const) {
      await env.api.updateJob('p-T', live.replace(from, to));
      expect(drifted(await env.sync({ verify: true })), to).toEqual(['update p-T: edited in Jenkins (drift found by --verify)']);
      expect(drifted(await env.sync({ verify: true }))).toEqual([]);
    }
  });
});
