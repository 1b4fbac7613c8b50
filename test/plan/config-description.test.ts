import { describe, expect, it } from 'vitest';
import { readDescription, withMarker } from '../../src/plan/config-description.js';
import { parseMarker } from '../../src/plan/marker.js';
import { readRootChild } from '../../src/xml/root-description.js';
import { canonicalConfig } from '../../src/plan/same-job-config.js';

const M = '<!-- jobsmith:v1 project=p template=t hash=sha256:1 -->';

describe('withMarker', () => {
  it('appends the marker, XML-escaped, to the root description only', () => {
    const xml = '<?xml version="1.0"?>\n<project>\n  <description>Builds &amp; tests &lt;core&gt;</description>\n  <properties><p><description>param</description></p></properties>\n</project>\n';
    const out = withMarker(xml, M);
    expect(out).toContain(`<description>Builds &amp; tests &lt;core&gt;\n&lt;!-- jobsmith:v1 project=p template=t hash=sha256:1 --&gt;</description>`);
    expect(out).toContain('<p><description>param</description></p>');
    expect(readDescription(out)).toBe(`Builds & tests <core>\n${M}`);
    expect(parseMarker(readDescription(out))?.project).toBe('p');
  });

  it('creates the element when absent, expands a self-closing one, and opens an empty root', () => {
    expect(withMarker('<project><keepDependencies>false</keepDependencies></project>', M)).toBe(
      `<project><description>&lt;!-- jobsmith:v1 project=p template=t hash=sha256:1 --&gt;</description><keepDependencies>false</keepDependencies></project>`,
    );
    expect(readDescription(withMarker('<project>\n  <description/>\n</project>', M))).toBe(M);
    expect(readDescription(withMarker('<?xml version="1.0"?><project/>', M))).toBe(M);
  });

  it('does not mistake a nested description or one inside a comment/CDATA', () => {
    const xml = '<flow-definition plugin="workflow-job@1"><!-- <description>no</description> --><definition><script><![CDATA[<description>no</description>]]></script></definition></flow-definition>';
    const out = withMarker(xml, M);
    expect(out.startsWith('<flow-definition plugin="workflow-job@1"><description>')).toBe(true);
    expect(out).toContain('<![CDATA[<description>no</description>]]>');
  });

  it('replaces an old marker instead of stacking them, keeping the user text', () => {
    const once = withMarker('<project><description>hello</description></project>', M);
    const twice = withMarker(once, M.replace('sha256:1', 'sha256:2'));
    expect(readDescription(twice)).toBe('hello\n<!-- jobsmith:v1 project=p template=t hash=sha256:2 -->');
  });

  it('keeps a carriage return (&#xd;) of the description: the text Jenkins holds is the text of the template', () => {
    const xml = '<project><description>line one&#xd;\nline two</description></project>';
    const out = withMarker(xml, M);
    expect(out).toBe(`<project><description>line one&#xd;\nline two\n&lt;!-- jobsmith:v1 project=p template=t hash=sha256:1 --&gt;</description></project>`);
    expect(readDescription(out)).toBe(`line one\r\nline two\n${M}`);
    // replacing an old marker re-escapes the whole text: the CR is still a reference
    const again = withMarker(out, M.replace('sha256:1', 'sha256:2'));
    expect(again).toContain('line one&#13;\nline two\n');
    expect(readDescription(again)).toBe(`line one\r\nline two\n${M.replace('sha256:1', 'sha256:2')}`);
  });

  it('writes XML 1.1 control characters back as references', () => {
    const xml = "<?xml version='1.1' encoding='UTF-8'?>\n<project><description>esc &#x1b;[0m</description></project>";
    const once = withMarker(xml, M);
    const twice = withMarker(once, M.replace('sha256:1', 'sha256:2'));
    expect(twice).toContain('esc &#x1B;[0m\n');
    expect(readDescription(twice)).toBe(`esc \u001b[0m\n${M.replace('sha256:1', 'sha256:2')}`);
  });

  it('refuses a document that is not well-formed', () => {
    expect(() => withMarker('<project><description>x</project>', M)).toThrow(/does not match/);
  });

  it('two root descriptions: the last one is read and rewritten (Jenkins keeps the last), the first is left as it is', () => {
    const xml = '<project>\n  <description>first ' + M.replace(/</g, '&lt;').replace(/>/g, '&gt;') + '</description>\n  <p><description>nested</description></p>\n  <description/>\n  <description>last</description>\n</project>';
    expect(readDescription(xml)).toBe('last');
    expect(parseMarker(readDescription(xml))).toBeUndefined();
    const out = withMarker(xml, M);
    expect(readDescription(out)).toBe(`last\n${M}`);
    expect(out.startsWith('<project>\n  <description>first &lt;!--')).toBe(true);
    expect(out).toContain('<p><description>nested</description></p>');
    // an empty last one counts too
    expect(readDescription('<project><description>a</description><description/></project>')).toBe('');
  });

  it('keeps CDATA description text', () => {
    const out = withMarker('<project><description><![CDATA[a <b> c]]></description></project>', M);
    expect(readDescription(out)).toBe(`a <b> c\n${M}`);
  });

  it('leaves the document semantically the same apart from the description', () => {
    const xml = '<project><description>d</description><builders><hudson.tasks.Shell><command>echo "&lt;x&gt;"</command></hudson.tasks.Shell></builders></project>';
    const out = withMarker(xml, M);
    expect(canonicalConfig(out)).toBe(canonicalConfig(xml)); // the marker is ignored by the semantic compare
    expect(out.replace(/<description>[\s\S]*<\/description>/, '')).toBe(xml.replace(/<description>.*<\/description>/, ''));
  });
});

describe('readRootChild (a root field given twice: the last counts, as in Jenkins)', () => {
  it('reads the last direct child of the root, not a nested one, and stops early when there is one', () => {
    expect(readRootChild('<project><disabled>true</disabled><x><disabled>true</disabled></x><disabled>false</disabled></project>', 'disabled')).toBe('false');
    expect(readRootChild('<project><disabled>true</disabled><x><disabled>false</disabled></x></project>', 'disabled')).toBe('true');
    expect(readRootChild('<project><x><disabled>true</disabled></x></project>', 'disabled')).toBeUndefined();
    // the one-element case is found without reading the rest (a broken tail is not looked at)
    expect(readRootChild('<project><disabled>true</disabled><a>', 'disabled')).toBe('true');
  });
});
