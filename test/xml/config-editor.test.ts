import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../helpers/shared.js';
import { XmlConfig, XmlEditError } from '../../src/xml/config-editor.js';
import { parsePositioned, XmlSyntaxError } from '../../src/xml/positions.js';
import { parseCondition, conditionHolds } from '../../src/xml/condition.js';
import { PathSyntaxError } from '../../src/xml/element-path.js';

const corpusDir = sharedPath('corpus');
const corpus = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.xml'))
  .sort()
  .map((f) => ({ file: f, xml: readFileSync(path.join(corpusDir, f), 'utf8') }));

/** The text outside [start, end) of `after` equals the same outside of `before`. */
function changedSpan(before: string, after: string): { prefix: number; suffix: number } {
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < before.length - prefix && suffix < after.length - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return { prefix, suffix };
}

describe('positions on the corpus', () => {
  it('has well-formed files to test', () => expect(corpus.length).toBeGreaterThan(50));
  for (const { file, xml } of corpus) {
    it(`${file}: every element's recorded span is its start and end tag`, () => {
      const doc = parsePositioned(xml);
      const walk = (el: typeof doc.root): number => {
        expect(xml.slice(el.start, el.start + 1 + el.name.length)).toBe(`<${el.name}`);
        if (el.selfClosing) expect(xml.slice(el.start, el.end)).toMatch(/\/>$/);
        else {
          expect(xml[el.openEnd - 1]).toBe('>');
          expect(xml.slice(el.closeStart, el.end)).toMatch(new RegExp(`^</${el.name.replace(/[.]/g, '\\.')}\\s*>$`));
        }
        return 1 + el.children.reduce((n, c) => n + walk(c), 0);
      };
      expect(walk(doc.root)).toBeGreaterThan(0);
    });
  }
});

describe('byte preservation on the corpus', () => {
  for (const { file, xml } of corpus) {
    it(`${file}: a no-op edit is byte-identical; an edit changes only its span`, () => {
      const c = new XmlConfig(xml);
      // No-op: set every leaf element to its own text; replace a string that is absent.
      for (const leaf of c.query('//*').filter((e) => !e.hasChildren).slice(0, 40)) {
        expect(c.set(leaf.path, leaf.text)).toBe(0);
      }
      expect(c.replace('\u0001never-there\u0001', 'x')).toBe(0);
      expect(c.xml).toBe(xml);
      expect(c.changed).toBe(false);

      // A real edit on the last leaf with text: only that element's content changes.
      const leaves = c.query('//*').filter((e) => !e.hasChildren);
      const target = leaves[leaves.length - 1]!;
      const value = 'edited <&> "value"';
      expect(c.set(target.path, value)).toBe(1);
      expect(c.get(target.path)).toBe(value);
      const { prefix, suffix } = changedSpan(xml, c.xml);
      const changed = c.xml.slice(prefix, c.xml.length - suffix);
      expect(changed).toContain('edited &lt;&amp;&gt; "value"');
      expect(changed.length).toBeLessThan(target.xml.length + 40);
      // And back again: byte-identical when the original text needed no other escaping style.
      if (!/&#|&quot;|&apos;|\r|]]>|CDATA|\/>$/.test(target.xml)) {
        c.set(target.path, target.text);
        expect(c.xml).toBe(xml);
      }
    });
  }

  it('every corpus file re-parses after removing and adding elements', () => {
    for (const { xml } of corpus) {
      const c = new XmlConfig(xml);
      const n = c.query('*').length;
      if (n === 0) continue;
      c.add('/*', '<jobsmithTest>1</jobsmithTest>');
      expect(c.get('jobsmithTest')).toBe('1');
      expect(c.remove('jobsmithTest')).toBe(1);
      expect(c.xml).toBe(xml);
    }
  });
});

describe('malformed input', () => {
  const bad = readdirSync(path.join(corpusDir, 'malformed')).filter((f) => f.endsWith('.xml'));
  for (const f of bad) {
    it(`${f} is rejected with a line and column`, () => {
      const xml = readFileSync(path.join(corpusDir, 'malformed', f), 'utf8');
      try {
        new XmlConfig(xml);
        expect.unreachable('should have thrown');
      } catch (err) {
        expect(err).toBeInstanceOf(XmlSyntaxError);
        expect((err as XmlSyntaxError).line).toBeGreaterThan(0);
      }
    });
  }
});

const SAMPLE =
  "<?xml version='1.1' encoding='UTF-8'?>\r\n" +
  '<!-- keep me -->\r\n' +
  '<project>\r\n' +
  "  <description>a &quot;b&quot; c</description>\r\n" +
  '  <assignedNode>linux</assignedNode>\r\n' +
  "  <scm class='hudson.scm.SubversionSCM' plugin=\"subversion@1.54\">\r\n" +
  '    <locations>\r\n' +
  '      <hudson.scm.SubversionSCM_-ModuleLocation><remote>svn://svn/repo/trunk</remote></hudson.scm.SubversionSCM_-ModuleLocation>\r\n' +
  '    </locations>\r\n' +
  '  </scm>\r\n' +
  '  <builders>\r\n' +
  '    <hudson.tasks.Shell><command>echo trunk &amp;&amp; make&#xd;\r\nmake test</command></hudson.tasks.Shell>\r\n' +
  '    <hudson.tasks.Maven><targets>clean install</targets><mavenName>maven-3.9</mavenName></hudson.tasks.Maven>\r\n' +
  '    <script><![CDATA[println "trunk"]]></script>\r\n' +
  '  </builders>\r\n' +
  '  <publishers/>\r\n' +
  '</project>';

describe('operations', () => {
  it('set escapes, keeps CRLF, comments, quotes and entity style elsewhere', () => {
    const c = new XmlConfig(SAMPLE);
    expect(c.set('assignedNode', 'linux && docker')).toBe(1);
    expect(c.xml).toBe(SAMPLE.replace('<assignedNode>linux</assignedNode>', '<assignedNode>linux &amp;&amp; docker</assignedNode>'));
    expect(c.get('assignedNode')).toBe('linux && docker');
  });

  it('set with characters XML cannot carry is refused and changes nothing; later edits see the new positions', () => {
    const c = new XmlConfig(SAMPLE);
    expect(() => c.set('assignedNode', 'a\u0000b')).toThrow(XmlEditError);
    expect(() => c.set('assignedNode', 'a\u0001b')).toThrow(XmlEditError);
    expect(() => c.set('assignedNode', 'a\uD800b')).toThrow(XmlEditError);
    expect(c.xml).toBe(SAMPLE);
    // A text edit followed by edits that need positions after it (found again lazily).
    expect(c.set('assignedNode', 'a much longer node label than before')).toBe(1);
    expect(c.set('builders/script', 'x')).toBe(1);
    expect(c.get('assignedNode')).toBe('a much longer node label than before');
    expect(c.get('builders/script')).toBe('x');
    expect(new XmlConfig(c.xml).get('builders/script')).toBe('x');
  });

  it('set an attribute keeps its quote style', () => {
    const c = new XmlConfig(SAMPLE);
    expect(c.set('scm/@class', "it's")).toBe(1);
    expect(c.xml).toContain("<scm class='it&apos;s' plugin=\"subversion@1.54\">");
    expect(c.get('scm/@class')).toBe("it's");
  });

  it('set inside a CDATA-only element stays CDATA', () => {
    const c = new XmlConfig(SAMPLE);
    c.set('builders/script', 'a < b');
    expect(c.xml).toContain('<script><![CDATA[a < b]]></script>');
  });

  it('set on a self-closing element and refusal on an element with children', () => {
    const c = new XmlConfig(SAMPLE);
    c.set('publishers', 'x');
    expect(c.xml).toContain('<publishers>x</publishers>');
    expect(() => c.set('scm', 'x')).toThrow(XmlEditError);
  });

  it('replace works on decoded text, per text node, keeping other entities', () => {
    const c = new XmlConfig(SAMPLE);
    expect(c.replace('trunk', 'branches/b1')).toBe(3);
    expect(c.xml).toContain('<remote>svn://svn/repo/branches/b1</remote>');
    expect(c.xml).toContain('echo branches/b1 &amp;&amp; make&#xd;\r\nmake test');
    expect(c.xml).toContain('<![CDATA[println "branches/b1"]]>');
    // Entities outside the match stay as written.
    const d = new XmlConfig(SAMPLE);
    expect(d.replace('c', 'C', 'description')).toBe(1);
    expect(d.xml).toContain('<description>a &quot;b&quot; C</description>');
  });

  it('replace never matches across element boundaries or in tags/attributes', () => {
    const c = new XmlConfig(SAMPLE);
    expect(c.replace('clean installmaven', 'x')).toBe(0);
    expect(c.replace('hudson.scm', 'x')).toBe(0);
    expect(c.replace('keep me', 'x')).toBe(0);
    expect(c.xml).toBe(SAMPLE);
  });

  it('replace with a regex and groups; a decoded & is re-escaped', () => {
    const c = new XmlConfig(SAMPLE);
    expect(c.replace(/maven-(\d)\.(\d)/, 'maven-$1.$2.1 & co')).toBe(1);
    expect(c.get('//mavenName')).toBe('maven-3.9.1 & co');
    expect(c.xml).toContain('<mavenName>maven-3.9.1 &amp; co</mavenName>');
  });

  it('remove takes the element and its line', () => {
    const c = new XmlConfig(SAMPLE);
    expect(c.remove('assignedNode')).toBe(1);
    expect(c.xml).toBe(SAMPLE.replace('  <assignedNode>linux</assignedNode>\r\n', ''));
    expect(c.remove('nothing')).toBe(0);
  });

  it('add appends with indentation and the document line ends', () => {
    const c = new XmlConfig(SAMPLE);
    expect(c.add('builders', '<hudson.tasks.Shell><command>ls</command></hudson.tasks.Shell>')).toBe(1);
    expect(c.xml).toContain(
      '<script><![CDATA[println "trunk"]]></script>\r\n    <hudson.tasks.Shell><command>ls</command></hudson.tasks.Shell>\r\n  </builders>',
    );
    c.add('publishers', '<a/>');
    expect(c.xml).toContain('  <publishers>\r\n    <a/>\r\n  </publishers>');
    expect(() => c.add('builders', '<a>')).toThrow(/not well-formed/);
  });

  it('paths: descendant, index, attribute and child predicates, absolute', () => {
    const c = new XmlConfig(SAMPLE);
    expect(c.get('//hudson.tasks.Maven/targets')).toBe('clean install');
    expect(c.get('builders/*[2]/mavenName')).toBe('maven-3.9');
    expect(c.get("scm[@class='hudson.scm.SubversionSCM']//remote")).toBe('svn://svn/repo/trunk');
    expect(c.get("builders/*[mavenName='maven-3.9']/targets")).toBe('clean install');
    expect(c.get('/project/assignedNode')).toBe('linux');
    expect(c.get('/other/assignedNode')).toBeUndefined();
    expect(() => c.get('a/[')).toThrow(PathSyntaxError);
  });

  it('conditions', () => {
    const c = new XmlConfig(SAMPLE);
    const holds = (s: string): boolean => conditionHolds(c, parseCondition(s));
    expect(holds('//hudson.tasks.Maven/mavenName=maven-3.9')).toBe(true);
    expect(holds('//hudson.tasks.Maven/mavenName=maven-3.8')).toBe(false);
    expect(holds('assignedNode~lin')).toBe(true);
    expect(holds('assignedNode!~lin')).toBe(false);
    expect(holds('assignedNode!=windows')).toBe(true);
    expect(holds('scm/@class=hudson.scm.SubversionSCM')).toBe(true);
    expect(holds('!disabled')).toBe(true);
    expect(holds('disabled')).toBe(false);
    expect(holds("scm[@class='hudson.scm.SubversionSCM']")).toBe(true);
  });
});
