/**
 * XML parsing refuses external entities and entity-expansion bombs (issue 10), everywhere XML is
 * parsed: the stand-in (createItem, config.xml POST, createView), the semantic comparison used by
 * `--verify`, render's template scanner (with saxes as its second opinion) and the bulk editor (the
 * last two share the scanner with the comparison). Each one
 * either refuses the document or leaves the entity unexpanded; none reads a local file, and each
 * answers within a bounded time and memory.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { XmlConfig } from '../../src/xml/config-editor.js';
import { JenkinsClient } from '../../src/jenkins/jenkins-client.js';
import { parseTemplate } from '../../src/load/parsed-template.js';
import { sameConfig } from '../../src/plan/same-job-config.js';
import { renderTemplate } from '../../src/render/render-template.js';
import { startStandin } from '../../src/standin/server.js';
import { testSecret } from '../helpers/secret-scan.js';
import { newFigures, saveFigures } from '../reliability/figures.js';

const figures = newFigures();
afterAll(() => saveFigures('xml-entities', figures));

const SECRET_FILE_TEXT = `secret-file-${Math.random().toString(36).slice(2)}`;

function documents(secretFile: string): Array<[string, string]> {
  const laughs = [`<!ENTITY l0 "lollollollollollollollollollol">`];
  for (let k = 1; k <= 12; k++) laughs.push(`<!ENTITY l${k} "${`&l${k - 1};`.repeat(10)}">`);
  const quadratic = `<!ENTITY q "${'Q'.repeat(50_000)}">`;
  return [
    ['external entity (file)', `<?xml version="1.0"?>\n<!DOCTYPE project [<!ENTITY xxe SYSTEM "file://${secretFile}">]>\n<project><description>&xxe;</description></project>`],
    ['external entity (http)', `<?xml version="1.0"?>\n<!DOCTYPE project [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]>\n<project><description>&xxe;</description></project>`],
    ['external parameter entity', `<?xml version="1.0"?>\n<!DOCTYPE project [<!ENTITY % p SYSTEM "file://${secretFile}"> %p;]>\n<project><description>x</description></project>`],
    ['external DTD', `<?xml version="1.0"?>\n<!DOCTYPE project SYSTEM "file://${secretFile}">\n<project><description>x</description></project>`],
    ['billion laughs', `<?xml version="1.0"?>\n<!DOCTYPE project [\n${laughs.join('\n')}\n]>\n<project><description>&l12;</description></project>`],
    ['quadratic blowup', `<?xml version="1.0"?>\n<!DOCTYPE project [${quadratic}]>\n<project><description>${'&q;'.repeat(20_000)}</description></project>`],
  ];
}

async function bounded<T>(what: string, f: () => T | Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const t = performance.now();
  const rss = process.memoryUsage().rss;
  let value: T | undefined;
  let error: unknown;
  try {
    value = await f();
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - t;
  expect(ms, `${what}: took ${ms} ms`).toBeLessThan(5_000);
  expect(process.memoryUsage().rss - rss, `${what}: memory grew`).toBeLessThan(300 * 1024 * 1024);
  return { ...(value !== undefined ? { value } : {}), ...(error !== undefined ? { error } : {}), ms };
}

describe('hostile XML', () => {
  it('the stand-in refuses DOCTYPEs on every XML it accepts; no job is left behind and no file is read', async () => {
    const sandbox = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-sec-xml-'));
    const secretFile = path.join(sandbox, 'local-secret.txt');
    await writeFile(secretFile, SECRET_FILE_TEXT);
    const secret = testSecret();
    const standin = await startStandin({ home: path.join(sandbox, 'home'), port: 0, users: [{ name: secret.user, token: secret.token }] });
    const client = new JenkinsClient({ url: standin.url, user: secret.user, token: secret.token, retries: 0 });
    try {
      await client.createJob('ok', '<project><description>fine</description></project>');
      for (const [label, doc] of documents(secretFile)) {
        figures.badInputs += 3;
        const created = await bounded(`createItem ${label}`, () => client.createJob(`bad-${label.replace(/\W+/g, '-')}`, doc));
        expect(created.error, `createItem accepted ${label}`).toBeDefined();
        const updated = await bounded(`config.xml ${label}`, () => client.updateJob('ok', doc));
        expect(updated.error, `config.xml POST accepted ${label}`).toBeDefined();
        const view = await bounded(`createView ${label}`, () => client.createView(`v-${label.replace(/\W+/g, '-')}`, doc.replace(/project/g, 'hudson.model.ListView')));
        expect(view.error, `createView accepted ${label}`).toBeDefined();
      }
      const items = (await client.list()).items.map((i) => i.fullName);
      expect(items).toEqual(['ok']);
      expect(await client.getConfig('ok')).toContain('fine');
      for (const v of await client.listViews()) expect(v.name.startsWith('v-')).toBe(false);
      // nothing in home contains the local file's text
      const all = await readTree(path.join(sandbox, 'home'));
      expect(all.includes(SECRET_FILE_TEXT)).toBe(false);
    } finally {
      await client.close();
      await standin.close();
      await rm(sandbox, { recursive: true, force: true });
    }
  });

  it('--verify comparison, render and the bulk editor never expand external entities or bombs', async () => {
    const sandbox = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-sec-xml-'));
    const secretFile = path.join(sandbox, 'local-secret.txt');
    await writeFile(secretFile, SECRET_FILE_TEXT);
    try {
      for (const [label, doc] of documents(secretFile)) {
        figures.badInputs += 3;
        // 1. semantic comparison: never equal to a document holding the file's text, bounded
        const cmp = await bounded(`sameConfig ${label}`, () => sameConfig(doc, `<project><description>${SECRET_FILE_TEXT}</description></project>`));
        if (cmp.error === undefined) expect(cmp.value, label).toBe(false);
        // 2. validate: a template with a DOCTYPE is refused (file:line:col), nothing expanded, nothing rendered
        const r = await bounded(`render ${label}`, () => {
          const parsed = parseTemplate('Evil', 'job-templates/Evil-config.xml', new TextEncoder().encode(doc.replace('<description>', '<description>$X.Y ')));
          return { parsed, rendered: renderTemplate(parsed.template, { 'X.Y': 'v' }) };
        });
        expect(r.value, label).toBeTruthy();
        expect(r.value!.parsed.diagnostics.find((d) => d.code === 'xml-doctype'), label).toMatchObject({ severity: 'error', file: 'job-templates/Evil-config.xml', line: 2, column: 1 });
        expect(r.value!.parsed.template.renderable, label).toBe(false);
        expect(r.value!.rendered.config, label).toBe('');
        // 3. bulk editor
        const b = await bounded(`XmlConfig ${label}`, () => {
          const x = new XmlConfig(doc);
          return x.xml;
        });
        if (b.value !== undefined) {
          expect(b.value.includes(SECRET_FILE_TEXT), label).toBe(false);
          expect(b.value.length).toBeLessThan(doc.length + 100);
        }
      }
    } finally {
      await rm(sandbox, { recursive: true, force: true });
    }
  });
});

async function readTree(dir: string): Promise<string> {
  const { readdir } = await import('node:fs/promises');
  let text = '';
  async function walk(d: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else text += await readFile(p, 'utf8');
    }
  }
  await walk(dir);
  return text;
}
