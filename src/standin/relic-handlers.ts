/**
 * A build's relics over HTTP, as Jenkins serves them:
 * - `job/J/N/artifact/<path>`: one archived file; `artifact/` + `*zip*` + `/<any>.zip`: all of them in a zip
 *   whose entries start with `archive/` (DirectoryBrowserSupport zips the artifacts root with its
 *   directory name as prefix); `artifact/`: a listing page. 404 when the build archived nothing.
 * - `job/J/N/testReport/api/json`: the junit plugin's TestResult (counts, suites with their cases);
 *   404 when the build recorded no test report.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import type { Ctx } from './http-kit.js';
import { layoutPage, notFound, send } from './http-kit.js';
import { type Runtime, touchSession } from './runtime.js';
import type { Build, Item } from './store.js';
import { Bean, type Prop } from './export-tree.js';
import { parseJunitResult, testCounts, type TestCase, type TestReport, type TestSuite } from './build-records.js';
import { escapeHtml, rawEncode } from './names.js';

function buildDir(rt: Runtime, item: Item, b: Build): string {
  return path.join(rt.store.dirOf(item), 'builds', String(b.number));
}

const TYPES: Record<string, string> = {
  '.txt': 'text/plain', '.log': 'text/plain', '.xml': 'application/xml', '.json': 'application/json', '.html': 'text/html',
  '.jar': 'application/java-archive', '.zip': 'application/zip', '.gz': 'application/gzip', '.tgz': 'application/gzip',
};

/** `GET job/J/N/artifact/...` (`rest` is what follows `artifact/`). */
export async function artifactAction(rt: Runtime, ctx: Ctx, item: Item, b: Build, rest: string[]): Promise<void> {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return notFound(ctx);
  const root = path.join(buildDir(rt, item, b), 'archive');
  const files = b.artifacts ?? [];
  if (files.length === 0) return notFound(ctx);
  if (rest.length === 0) {
    const li = files.map((f) => `<li><a href="${f.split('/').map(rawEncode).join('/')}">${escapeHtml(f)}</a></li>`).join('');
    return layoutPage(ctx, 200, `Artifacts of #${b.number}`, `<h1>Artifacts</h1>\n<ul id="artifacts">${li}</ul>\n<p><a href="*zip*/archive.zip">(all files in zip)</a></p>`, {}, () => touchSession(rt, ctx));
  }
  if (rest[0] === '*zip*') {
    if (rest.length !== 2 || !rest[1]!.endsWith('.zip')) return notFound(ctx);
    const entries: Zippable = {};
    for (const rel of files) {
      try {
        entries[`archive/${rel}`] = [await fsp.readFile(path.join(root, ...rel.split('/'))), { level: 6, mtime: b.startMs + b.durationMs }];
      } catch {
        // a file removed on disk is left out, as Jenkins' scanner would
      }
    }
    return send(ctx, 200, { 'Content-Type': 'application/zip' }, Buffer.from(zipSync(entries)));
  }
  const rel = rest.join('/');
  if (rest.some((s) => s === '..' || s === '.' || s.includes('\\')) || !files.includes(rel)) return notFound(ctx);
  let bytes: Buffer;
  try {
    bytes = await fsp.readFile(path.join(root, ...rest));
  } catch {
    return notFound(ctx);
  }
  const type = TYPES[path.extname(rel).toLowerCase()] ?? 'application/octet-stream';
  send(ctx, 200, { 'Content-Type': type.startsWith('text/') ? `${type};charset=utf-8` : type }, bytes);
}

/** The test report of a build, read from its junitResult.xml (undefined when it recorded none). */
export async function readTestReport(rt: Runtime, item: Item, b: Build): Promise<TestReport | undefined> {
  if (!b.tests) return undefined;
  try {
    return parseJunitResult(await fsp.readFile(path.join(buildDir(rt, item, b), 'junitResult.xml'), 'utf8'));
  } catch {
    return undefined;
  }
}

const EMPTY_MAP = (): Bean => Bean.of<null>(null, [], null);
const failed = (c: TestCase): boolean => !c.skipped && (c.errorDetails !== undefined || c.errorStackTrace !== undefined);

// CaseResult: TestObject's `testActions` first, then its own properties by name.
const CASE_PROPS: Prop<{ c: TestCase; n: number }>[] = [
  { name: 'testActions', vis: 3, get: () => [] },
  { name: 'age', vis: 9, get: (r) => (failed(r.c) ? r.n - r.c.failedSince + 1 : 0) },
  { name: 'className', vis: 9, get: (r) => r.c.className },
  { name: 'duration', vis: 9, get: (r) => r.c.duration },
  { name: 'errorDetails', vis: 1, get: (r) => r.c.errorDetails ?? null },
  { name: 'errorStackTrace', vis: 1, get: (r) => r.c.errorStackTrace ?? null },
  { name: 'failedSince', vis: 9, get: (r) => r.c.failedSince },
  { name: 'flakyFailures', vis: 1, get: () => [] },
  { name: 'name', vis: 999, get: (r) => r.c.testName || '(?)' },
  { name: 'properties', vis: 1, get: EMPTY_MAP },
  { name: 'rerunFailures', vis: 1, get: () => [] },
  { name: 'skipped', vis: 9, get: (r) => r.c.skipped },
  { name: 'skippedMessage', vis: 1, get: () => null },
  { name: 'status', vis: 9, get: (r) => (r.c.skipped ? 'SKIPPED' : failed(r.c) ? 'FAILED' : 'PASSED') },
  { name: 'stderr', vis: 1, get: () => null },
  { name: 'stdout', vis: 1, get: () => null },
];
const SUITE_PROPS: Prop<{ s: TestSuite; n: number }>[] = [
  { name: 'cases', vis: 9, inline: true, get: (r) => r.s.cases.map((c) => Bean.of(null, CASE_PROPS, { c, n: r.n })) },
  { name: 'duration', vis: 9, get: (r) => r.s.duration },
  { name: 'enclosingBlockNames', vis: 9, get: () => [] },
  { name: 'enclosingBlocks', vis: 9, get: () => [] },
  { name: 'id', vis: 9, get: () => null },
  { name: 'name', vis: 9, get: (r) => r.s.name },
  { name: 'nodeId', vis: 9, get: () => null },
  { name: 'properties', vis: 1, get: EMPTY_MAP },
  { name: 'stderr', vis: 1, get: () => null },
  { name: 'stdout', vis: 1, get: () => null },
  { name: 'timestamp', vis: 9, get: (r) => r.s.timestamp || null },
];
const RESULT_PROPS: Prop<{ r: TestReport; n: number }>[] = [
  { name: 'testActions', vis: 3, get: () => [] },
  { name: 'duration', vis: 999, get: (x) => x.r.duration },
  { name: 'empty', vis: 999, get: (x) => testCounts(x.r).totalCount === 0 },
  { name: 'failCount', vis: 999, get: (x) => testCounts(x.r).failCount },
  { name: 'passCount', vis: 999, get: (x) => { const c = testCounts(x.r); return c.totalCount - c.failCount - c.skipCount; } },
  { name: 'skipCount', vis: 999, get: (x) => testCounts(x.r).skipCount },
  { name: 'suites', vis: 9, inline: true, get: (x) => x.r.suites.map((s) => Bean.of(null, SUITE_PROPS, { s, n: x.n })) },
];

/** `hudson.tasks.junit.TestResult` as `testReport/api/json` exports it. */
export function testResultBean(r: TestReport, buildNumber: number): Bean {
  return Bean.of('hudson.tasks.junit.TestResult', RESULT_PROPS, { r, n: buildNumber });
}
