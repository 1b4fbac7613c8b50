import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityTransform } from '../../src/xml/identity-transform.js';
import { decodeXmlBytes } from '../../src/standin/body-decoding.js';
import { sharedDir } from '../helpers/cli.js';

const here = path.dirname(new URL(import.meta.url).pathname);
/** [input, what the JDK 17 identity transform stored], recorded with test/xml/jdk/SafeTransform.java. */
const recorded = JSON.parse(readFileSync(path.join(here, 'jdk/recorded-cases.json'), 'utf8')) as Array<[string, string]>;

describe('identity transform (what Jenkins stores on createItem / config.xml POST)', () => {
  it('matches the outputs recorded from the JDK transformer, case by case', () => {
    expect(recorded.length).toBeGreaterThan(15);
    for (const [input, jdk] of recorded) expect(identityTransform(input), JSON.stringify(input)).toBe(jdk);
  });

  it('drops the final newline and decodes &quot; in text (the two facts the reference left unverified)', () => {
    const out = identityTransform('<?xml version="1.0"?>\n<project><description>a &quot;b&quot;</description></project>\n');
    expect(out).toBe('<?xml version="1.0" encoding="UTF-8"?><project><description>a "b"</description></project>');
  });

  it('keeps &quot; in attributes, comments, and CDATA as they are', () => {
    expect(identityTransform(`<p a='"'><!-- &quot; --><![CDATA[&quot;]]></p>`)).toBe('<?xml version="1.0" encoding="UTF-8"?><p a="&quot;"><!-- &quot; --><![CDATA[&quot;]]></p>');
  });

  it('refuses malformed documents and a DOCTYPE', () => {
    expect(() => identityTransform('<p><q></p>')).toThrow(/does not match/);
    expect(() => identityTransform('<p>]]></p>')).toThrow(/]]>/);
    expect(() => identityTransform('<!DOCTYPE p [<!ENTITY e "x">]><p>&e;</p>')).toThrow(/DOCTYPE/);
  });
});

describe('identity transform against the JDK itself (javac/java on PATH)', () => {
  let work: string;
  const files: string[] = [];
  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'jdk-transform-'));
    copyFileSync(path.join(here, 'jdk/SafeTransform.java'), path.join(work, 'SafeTransform.java'));
    execFileSync('javac', ['-nowarn', '-d', work, path.join(work, 'SafeTransform.java')], { stdio: 'pipe', timeout: 120_000 });
    const corpus = path.join(sharedDir, 'corpus');
    for (const f of readdirSync(corpus).filter((f) => /^\d{3}-.*\.xml$/.test(f))) {
      copyFileSync(path.join(corpus, f), path.join(work, f));
      files.push(f);
    }
    recorded.forEach(([input], k) => {
      const f = `recorded-${k}.xml`;
      writeFileSync(path.join(work, f), input, 'utf8');
      files.push(f);
    });
    execFileSync('java', ['-cp', work, 'SafeTransform', ...files.map((f) => path.join(work, f))], { stdio: 'pipe', timeout: 120_000 });
  }, 240_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('stores byte-identical output for every corpus config and every recorded case', () => {
    expect(files.length).toBeGreaterThan(60);
    let compared = 0;
    for (const f of files) {
      const input = readFileSync(path.join(work, f));
      const jdkOut = path.join(work, f + '.out');
      if (!existsSync(jdkOut)) {
        // the JDK refused it: so must the stand-in
        expect(() => identityTransform(decodeXmlBytes(input)), f).toThrow();
        continue;
      }
      const ours = Buffer.from(identityTransform(decodeXmlBytes(input)), 'utf8');
      expect(ours.toString('utf8'), f).toBe(readFileSync(jdkOut).toString('utf8'));
      compared++;
    }
    expect(compared).toBeGreaterThan(60);
  });
});
