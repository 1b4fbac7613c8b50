/**
 * `--verify` finds no drift when Jenkins serves a config with its fields in XStream's order
 * (`<actions>` then `<description>` first, jenkins-api.md §5), whatever order the template has: the
 * stand-in serves them so, as Jenkins 2.568 and later do.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeEnv, planned, type Env } from './harness.js';
import { replaceRootDescription } from '../../src/xml/root-description.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const TEMPLATES = {
  // what Jenkins writes for a job created through the API without a description (and JJB output)
  NoDesc: '<project>\n  <actions/>\n  <keepDependencies>false</keepDependencies>\n  <builders/>\n</project>\n',
  // a description written last
  DescLast: '<flow-definition>\n  <keepDependencies>false</keepDependencies>\n  <actions/>\n  <description>late</description>\n</flow-definition>\n',
  Plain: '<project>\n  <builders/>\n</project>\n',
};

describe('--verify and XStream field order', () => {
  it('sync, then --verify: nothing to do; an edit is still found on that job only', async () => {
    env = await makeEnv({ templates: TEMPLATES });
    await env.writeProject('p', 'templates: [NoDesc, DescLast, Plain]\n');
    planned(await env.sync());
    const live = await env.api.getConfig('p-NoDesc');
    expect(live.indexOf('<actions/>')).toBeLessThan(live.indexOf('<description>'));
    expect((await env.api.getConfig('p-DescLast')).indexOf('<description>')).toBeLessThan((await env.api.getConfig('p-DescLast')).indexOf('<keepDependencies>'));
    const v = planned(await env.sync({ verify: true }));
    expect(v.plan.changes.filter((c) => c.kind !== 'unchanged').map((c) => `${c.kind} ${c.fullName}: ${c.reason}`)).toEqual([]);
    await env.api.updateJob('p-NoDesc', live.replace('<keepDependencies>false', '<keepDependencies>true'));
    const d = planned(await env.sync({ verify: true }));
    expect(d.plan.changes.filter((c) => c.kind !== 'unchanged').map((c) => `${c.kind} ${c.fullName}`)).toEqual(['update p-NoDesc']);
    expect(planned(await env.sync({ verify: true })).plan.changes.filter((c) => c.kind !== 'unchanged')).toEqual([]);
  });
});

describe('a description added to a config without one', () => {
  it('goes after a leading <actions>, where Jenkins writes it; else right after the root start tag', () => {
    expect(replaceRootDescription('<project>\n  <actions/>\n  <builders/>\n</project>', () => 'm')).toBe('<project>\n  <actions/><description>m</description>\n  <builders/>\n</project>');
    expect(replaceRootDescription('<project><actions><a/></actions><builders/></project>', () => 'm')).toBe('<project><actions><a/></actions><description>m</description><builders/></project>');
    expect(replaceRootDescription('<project><builders/><actions/></project>', () => 'm')).toBe('<project><description>m</description><builders/><actions/></project>');
  });
});

describe('--verify and secrets Jenkins serves encrypted', () => {
  const SECRET = `<project>
  <actions/>
  <properties>
    <hudson.model.ParametersDefinitionProperty>
      <parameterDefinitions>
        <hudson.model.PasswordParameterDefinition>
          <name>PW</name>
          <defaultValue>changeme</defaultValue>
        </hudson.model.PasswordParameterDefinition>
      </parameterDefinitions>
    </hudson.model.ParametersDefinitionProperty>
  </properties>
  <builders/>
</project>
`;
  it('the stand-in serves a password default encrypted; --verify sees no drift, a real edit still counts', async () => {
    env = await makeEnv({ templates: { S: SECRET } });
    await env.writeProject('p', 'templates: [S]\n');
    planned(await env.sync());
    const live = await env.api.getConfig('p-S');
    expect(live).toMatch(/<defaultValue>\{AQAAABAAAA[A-Za-z0-9+/=]+\}<\/defaultValue>/);
    expect(live).not.toContain('changeme');
    expect(planned(await env.sync({ verify: true })).plan.changes.filter((c) => c.kind !== 'unchanged')).toEqual([]);
    // the encrypted value posted back is the same secret
    await env.api.updateJob('p-S', live.replace('<name>PW</name>', '<name>PASSWORD</name>'));
    expect(await env.api.getConfig('p-S')).toContain(/<defaultValue>(\{[^<]+\})/.exec(live)![1]);
    expect(planned(await env.sync({ verify: true })).plan.changes.filter((c) => c.kind !== 'unchanged').map((c) => c.fullName)).toEqual(['p-S']);
  });
});
