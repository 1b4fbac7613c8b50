/**
 * Names that try to leave the target directory (issue 10): `..`, encoded slashes and dots,
 * backslashes, absolute paths, NUL, very long names. Neither the stand-in (state in its home
 * directory) nor jobsmith's own file output (render's JENKINS_HOME layout and its manifest) may
 * create, change or delete anything outside the directory it was given.
 *
 * Each test works in a sandbox: a temp dir holding the target directory and a "victim" file next
 * to it; afterwards the sandbox must hold exactly what it held before, plus files inside the target.
 */
import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupJenkins } from '../../src/bulk/backup-jenkins.js';
import { MANIFEST_FILE, writeJenkinsHome } from '../../src/render/write-jenkins-home.js';
import { startStandin } from '../../src/standin/server.js';
import { basicAuthHeader, testSecret } from '../helpers/secret-scan.js';
import { newFigures, saveFigures } from '../reliability/figures.js';
import { MemoryJenkins, type MemItem } from '../reliability/memory-jenkins.js';

const figures = newFigures();
afterAll(() => saveFigures('path-escape', figures));

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string, rel: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.push(r);
      if (e.isDirectory()) await walk(path.join(d, e.name), r);
    }
  }
  await walk(dir, '');
  return out.sort();
}

function raw(url: string, method: string, rawPath: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path: rawPath, headers: { ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let b = '';
      res.setEncoding('utf8').on('data', (d: string) => (b += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
    });
    req.on('error', (e) => resolve({ status: -1, body: e.message }));
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

const HOSTILE_NAMES = [
  '..',
  '.',
  '../escaped',
  '../../escaped',
  '..%2Fescaped',
  '..%2fescaped',
  '%2e%2e',
  '%2e%2e%2fescaped',
  '%252e%252e%252fescaped',
  'a%2F..%2F..%2Fescaped',
  '..%5Cescaped',
  '..\\escaped',
  '%2Fetc%2Fescaped',
  '/tmp/escaped',
  'a%00b',
  'a\u0000b',
  'x'.repeat(300),
  'y'.repeat(5000),
  'jobs',
  'config.xml',
  '.%2e',
  '%c0%ae%c0%ae',
];

describe('the stand-in keeps its state inside its home directory', () => {
  it('createItem, config.xml, copy and rename with hostile names write nothing outside home', async () => {
    const sandbox = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-sec-'));
    const home = path.join(sandbox, 'home');
    await mkdir(home);
    await writeFile(path.join(sandbox, 'victim.txt'), 'keep me');
    const secret = testSecret();
    const standin = await startStandin({ home, port: 0, users: [{ name: secret.user, token: secret.token }] });
    const auth = { Authorization: basicAuthHeader(secret) };
    const xml = '<project><description>x</description></project>';
    try {
      const before = await listTree(sandbox);
      // a job to copy from / rename
      expect((await raw(standin.url, 'POST', '/createItem?name=seed', { ...auth, 'Content-Type': 'application/xml' }, xml)).status).toBe(200);
      for (const name of HOSTILE_NAMES) {
        const q = name.includes('%') ? name : encodeURIComponent(name);
        const attempts: Array<[string, string, string?]> = [
          ['POST', `/createItem?name=${q}`, xml],
          ['POST', `/createItem?name=${q}&mode=copy&from=seed`],
          ['POST', `/job/seed/doRename?newName=${q}`],
          ['POST', `/job/${q}/config.xml`, xml],
          ['GET', `/job/${q}/config.xml`],
          ['POST', `/job/${q}/doDelete`],
          ['POST', `/createView?name=${q}`, '<hudson.model.ListView><name>v</name></hudson.model.ListView>'],
          ['POST', `/job/seed/job/${q}/config.xml`, xml],
          ['GET', `/job/${name.replace(/[\u0000]/g, '%00')}/config.xml`],
        ];
        for (const [method, p, body] of attempts) {
          figures.badInputs++;
          const r = await raw(standin.url, method, p, { ...auth, 'Content-Type': 'application/xml' }, body);
          expect(r.status, `${method} ${p}`).not.toBe(-1);
          expect(r.status, `${method} ${p}: ${r.body.slice(0, 200)}`).toBeLessThan(600);
        }
        // the rename may have worked for a safe-looking name: put the seed back
        const list = JSON.parse((await raw(standin.url, 'GET', '/api/json?tree=jobs[name]', auth)).body) as { jobs: Array<{ name: string }> };
        if (!list.jobs.some((j) => j.name === 'seed')) {
          const other = list.jobs.find((j) => j.name !== 'seed');
          if (other) await raw(standin.url, 'POST', `/job/${encodeURIComponent(other.name)}/doRename?newName=seed`, auth);
        }
      }
      const after = await listTree(sandbox);
      const outside = after.filter((p) => !p.startsWith('home/') && p !== 'home');
      expect(outside).toEqual(before.filter((p) => !p.startsWith('home/') && p !== 'home'));
      expect(await readFile(path.join(sandbox, 'victim.txt'), 'utf8')).toBe('keep me');
      expect(await stat('/tmp/escaped').then(() => 'exists', () => 'absent')).toBe('absent');
      // and nothing inside home is named like a traversal
      for (const p of after.filter((x) => x.startsWith('home/'))) expect(p.split('/')).not.toContain('..');
      // no request killed the server
      expect((await raw(standin.url, 'GET', '/api/json', auth)).status).toBe(200);
    } finally {
      await standin.close();
      await rm(sandbox, { recursive: true, force: true });
    }
  });
});

describe("render's JENKINS_HOME writer stays inside --out", () => {
  it('a crafted manifest cannot make render delete files outside the output directory', async () => {
    const sandbox = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-sec-'));
    const out = path.join(sandbox, 'out');
    await mkdir(path.join(out, 'jobs'), { recursive: true });
    const victims = ['victim.txt', 'jobs-victim.txt'];
    for (const v of victims) await writeFile(path.join(sandbox, v), 'keep me');
    const abs = path.join(sandbox, 'absolute-victim.txt');
    await writeFile(abs, 'keep me');
    try {
      // the manifest render leaves in --out, edited (or committed) by someone else
      const files: Record<string, string> = {
        '../victim.txt': 'sha256:0',
        'jobs/../../jobs-victim.txt': 'sha256:0',
        [abs]: 'sha256:0',
        '../out/../victim.txt': 'sha256:0',
      };
      await writeFile(path.join(out, MANIFEST_FILE), JSON.stringify({ format: 'jobsmith-render', version: 1, files }));
      figures.badInputs += Object.keys(files).length;
      try {
        writeJenkinsHome(out, { jobs: [], folders: [], views: [] });
      } catch {
        // refusing the manifest is fine; deleting outside --out is not
      }
      for (const v of victims) expect(await readFile(path.join(sandbox, v), 'utf8').catch(() => 'DELETED'), v).toBe('keep me');
      expect(await readFile(abs, 'utf8').catch(() => 'DELETED')).toBe('keep me');
      expect((await stat(sandbox)).isDirectory()).toBe(true);
    } finally {
      await rm(sandbox, { recursive: true, force: true });
    }
  });
});

describe('backups stay inside the backup directory', () => {
  it('a Jenkins (or a man in the middle) listing hostile item and view names cannot make a backup write outside it', async () => {
    const hostile = ['../escaped', '../../escaped', 'ok/../../escaped', '/tmp/escaped-abs', '..', '.', 'a\u0000b', 'x'.repeat(300), 'back\\..\\slash'];
    for (const name of hostile) {
      const sandbox = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-sec-backup-'));
      const backup = path.join(sandbox, 'backup');
      await writeFile(path.join(sandbox, 'victim.txt'), 'keep me');
      try {
        figures.badInputs++;
        const item = (fullName: string, isFolder = false): MemItem => ({ fullName, className: isFolder ? 'com.cloudbees.hudson.plugins.folder.Folder' : 'hudson.model.FreeStyleProject', isFolder, config: `<project><description>${fullName.length}</description></project>`, disabled: false, building: false });
        const jenkins = new MemoryJenkins([item('ok', true), item('good-job'), item(name)], [{ name, folder: [], className: 'hudson.model.ListView', jobs: [] }]);
        const before = await listTree(sandbox);
        await backupJenkins(jenkins, backup, { concurrency: 2 }).catch(() => undefined); // refusing is fine
        const after = await listTree(sandbox);
        expect(after.filter((p) => !p.startsWith('backup')), name).toEqual(before.filter((p) => !p.startsWith('backup')));
        for (const p of after) expect(p.split('/'), name).not.toContain('..');
        expect(await readFile(path.join(sandbox, 'victim.txt'), 'utf8')).toBe('keep me');
        expect(await stat('/tmp/escaped-abs').then(() => 'exists', () => 'absent')).toBe('absent');
      } finally {
        await rm(sandbox, { recursive: true, force: true });
      }
    }
  });
});
