/**
 * The Secret rule of --verify and plan --diff (break-i findings 2 and 6): an encrypted-looking value
 * where jobsmith pushed plain text is the same only in a field Jenkins stores as a Secret, and never
 * when the pushed value is itself of the encrypted shape.
 */
import { describe, expect, it } from 'vitest';
import { matchesPushed } from '../../src/plan/same-job-config.js';
import { maskSecrets } from '../../src/plan/secret-lines.js';
import { isSecretField } from '../../src/model/secret-fields.js';
import { normalConfig } from '../../src/xml/semantic-compare.js';

const ENC = '{AQAAABAAAAAQk2Yy0lUx3pDk1H3bTt3zR4XFgtzBQpW6QxQxJb4pYb8=}';
const ENC2 = '{AQAAABAAAAAQzzzzzzUx3pDk1H3bTt3zR4XFgtzBQpW6QxQxJb4pYb8=}';
const job = (pw: string, cmd: string, node: string, extra = ''): string =>
  `<project><description>d</description><properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions>` +
  `<hudson.model.PasswordParameterDefinition><name>PW</name><defaultValue>${pw}</defaultValue></hudson.model.PasswordParameterDefinition>` +
  `<hudson.model.StringParameterDefinition><name>S</name><defaultValue>plain</defaultValue></hudson.model.StringParameterDefinition>` +
  `</parameterDefinitions></hudson.model.ParametersDefinitionProperty></properties><assignedNode>${node}</assignedNode>` +
  `<builders><hudson.tasks.Shell><command>${cmd}</command></hudson.tasks.Shell></builders>${extra}</project>`;

describe('the Secret rule of --verify', () => {
  const pushed = job('hunter2', 'make test', 'linux', '<publishers><x.Mailer><smtpPassword>pw1</smtpPassword><authToken>t1</authToken></x.Mailer></publishers>');
  it('an encrypted value in a Secret field where plain text was pushed: the same', () => {
    expect(matchesPushed(pushed.replace('hunter2', ENC), pushed, 'project')).toBe(true);
    expect(matchesPushed(pushed.replace('hunter2', ENC).replace('pw1', ENC2), pushed, 'project')).toBe(true);
  });
  it('an encrypted-looking value in any other field is an edit', () => {
    expect(matchesPushed(pushed.replace('make test', ENC), pushed, 'project')).toBe(false);
    expect(matchesPushed(pushed.replace('>linux<', `>${ENC}<`), pushed, 'project')).toBe(false);
    expect(matchesPushed(pushed.replace('>plain<', `>${ENC}<`), pushed, 'project')).toBe(false); // a String parameter's default
    expect(matchesPushed(pushed.replace('>t1<', `>${ENC}<`), pushed, 'project')).toBe(false); // authToken is a plain String
  });
  it('never when the pushed value is itself encrypted: then it must be that value', () => {
    const encPushed = pushed.replace('hunter2', ENC);
    expect(matchesPushed(encPushed, encPushed, 'project')).toBe(true);
    expect(matchesPushed(pushed.replace('hunter2', ENC2), encPushed, 'project')).toBe(false);
  });
  it('knows the Secret fields by name and, for a default value, by its parameter type', () => {
    for (const n of ['password', 'secret', 'passphrase', 'smtpPassword', 'clientSecret', 'apiToken', 'githubApiToken']) expect(isSecretField(n, 'x'), n).toBe(true);
    for (const n of ['authToken', 'command', 'assignedNode', 'credentialsId', 'passwordId', 'secretId', 'name']) expect(isSecretField(n, 'x'), n).toBe(false);
    expect(isSecretField('defaultValue', 'hudson.model.PasswordParameterDefinition')).toBe(true);
    expect(isSecretField('defaultValue', 'com.example.GlobalPasswordParameterDefinition')).toBe(true);
    expect(isSecretField('defaultValue', 'hudson.model.StringParameterDefinition')).toBe(false);
    expect(isSecretField('defaultValue', undefined)).toBe(false);
  });
});

describe('maskSecrets (plan --diff)', () => {
  it('shows every Secret value as ****, one line, and nothing else changed', () => {
    const xml = job('line1\nline2', 'make', 'linux', '<publishers><password>\nx</password><password><nested>v</nested></password><secret/></publishers>');
    const masked = maskSecrets(normalConfig(xml));
    expect(masked).not.toMatch(/line1|line2|\nx</);
    expect(masked).toContain('        <hudson.model.PasswordParameterDefinition>\n          <name>PW</name>\n          <defaultValue>****</defaultValue>');
    expect(masked).toContain('<defaultValue>plain</defaultValue>');
    expect(masked).toContain('    <password>****</password>');
    expect(masked).toContain('      <nested>v</nested>'); // element content: not a value
    expect(masked).toContain('    <secret/>');
    expect(maskSecrets(normalConfig(job('a', 'b', 'c')))).toBe(maskSecrets(normalConfig(job(ENC, 'b', 'c'))));
  });
});
