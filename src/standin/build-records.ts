/**
 * Builds on disk, in Jenkins' layout under the job's directory:
 *
 *   jobs/<job>/nextBuildNumber            the next number, as text
 *   jobs/<job>/builds/<N>/build.xml       the build record (actions, timestamps, result, ...)
 *   jobs/<job>/builds/<N>/log             the console log
 *   jobs/<job>/builds/<N>/archive/...     archived artifacts (ArtifactArchiver)
 *   jobs/<job>/builds/<N>/junitResult.xml the test report (JUnitResultArchiver)
 *
 * Because builds live under the job's directory they move with it (rename, move) and go with it
 * (delete), and a restarted stand-in loads them again. build.xml is written when a build starts and
 * again when it ends; a build that was running when the stand-in stopped loads as ABORTED.
 */
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { FILE_DECLARATION, serialiseXml } from '../xml/serialise.js';
import { childElements, firstChild, parseXml, textOf, type XmlElement } from '../xml/tree.js';
import { artifactPaths, buildPlanOf, headRefOf, stepLines } from './build-steps.js';
import type { Build, Item } from './store.js';
import { PASSWORD_VALUE, STRING_VALUE } from './parameter-values.js';

export interface TestCase {
  className: string;
  testName: string;
  duration: number;
  skipped: boolean;
  failedSince: number;
  errorDetails?: string;
  errorStackTrace?: string;
}
export interface TestSuite {
  file: string;
  name: string;
  duration: number;
  timestamp: string;
  cases: TestCase[];
}
export interface TestReport {
  duration: number;
  suites: TestSuite[];
}

export function testCounts(r: TestReport): { failCount: number; skipCount: number; totalCount: number } {
  let fail = 0;
  let skip = 0;
  let total = 0;
  for (const s of r.suites) for (const c of s.cases) {
    total++;
    if (c.skipped) skip++;
    else if (c.errorDetails !== undefined || c.errorStackTrace !== undefined) fail++;
  }
  return { failCount: fail, skipCount: skip, totalCount: total };
}

const el = (name: string, children: Array<XmlElement | string> = [], attrs: Array<[string, string]> = []): XmlElement => ({ name, attrs, children });
const leaf = (name: string, value: string | number | boolean): XmlElement => el(name, [String(value)]);

function childText(e: XmlElement | undefined, name: string): string | undefined {
  const c = e ? firstChild(e, name) : undefined;
  return c ? textOf(c) : undefined;
}

/** The build record as XStream writes `build.xml` (the parts the stand-in keeps). */
export function buildXml(b: Build, version: string): string {
  const actions: XmlElement[] = [];
  const params = Object.entries(b.params);
  if (params.length > 0) {
    actions.push(el('hudson.model.ParametersAction', [
      el('safeParameters', [], [['class', 'sorted-set']]),
      // a password's value is not written (Jenkins writes it encrypted; the stand-in never needs it again)
      el('parameters', params.map(([k, v]) => {
        const cls = b.paramClasses?.[k] ?? STRING_VALUE;
        return el(cls, cls === PASSWORD_VALUE ? [leaf('name', k)] : [leaf('name', k), leaf('value', v)]);
      })),
      el('parameterDefinitionNames', params.map(([k]) => leaf('string', k)), [['class', 'list']]),
    ]));
  }
  const cause = b.remoteAddr !== undefined
    ? el('hudson.model.Cause_-RemoteCause', [leaf('addr', b.remoteAddr)])
    : el('hudson.model.Cause_-UserIdCause', b.user === null ? [] : [leaf('userId', b.user)]);
  actions.push(el('hudson.model.CauseAction', [el('causeBag', [el('entry', [cause, leaf('int', 1)])], [['class', 'linked-hash-map']])]));
  if (b.revision) {
    const r = b.revision;
    actions.push(el('hudson.plugins.git.util.BuildData', [
      el('lastBuild', [
        el('revision', [leaf('sha1', r.sha1), el('branches', [el('hudson.plugins.git.Branch', [leaf('sha1', r.sha1), leaf('name', r.branch)])], [['class', 'list']])]),
        leaf('hudsonBuildNumber', b.number),
      ]),
      el('remoteUrls', [leaf('string', r.url)]),
    ], [['plugin', 'git@5.7.0']]));
  }
  if (b.tests) {
    actions.push(el('hudson.tasks.junit.TestResultAction', [
      el('descriptions', [], [['class', 'concurrent-hash-map']]),
      leaf('failCount', b.tests.failCount),
      leaf('skipCount', b.tests.skipCount),
      leaf('totalCount', b.tests.totalCount),
      leaf('healthScaleFactor', '1.0'),
      el('testData'),
    ], [['plugin', 'junit@1312.v1a_235a_b_94a_31']]));
  }
  const children: XmlElement[] = [
    el('actions', actions),
    leaf('queueId', b.queueId),
    leaf('timestamp', b.startMs),
    leaf('startTime', b.startMs),
  ];
  if (b.result !== null) children.push(leaf('result', b.result), leaf('duration', b.durationMs));
  children.push(leaf('charset', 'UTF-8'), leaf('keepLog', false), leaf('builtOn', b.builtOn), leaf('hudsonVersion', version));
  return serialiseXml(el('build', children), FILE_DECLARATION) + '\n';
}

const RESULTS = new Set(['SUCCESS', 'UNSTABLE', 'FAILURE', 'NOT_BUILT', 'ABORTED']);

/** Read a build.xml back (undefined when it is not one). A build without result was interrupted: ABORTED. */
export function parseBuildXml(text: string, number: number): Build | undefined {
  let doc: XmlElement;
  try {
    doc = parseXml(text);
  } catch {
    return undefined;
  }
  if (doc.name !== 'build' && !doc.name.endsWith('Build') && !doc.name.endsWith('Run')) return undefined;
  const num = (name: string): number => {
    const v = Number(childText(doc, name));
    return Number.isFinite(v) ? v : 0;
  };
  const resultText = childText(doc, 'result')?.trim();
  const result = resultText !== undefined && RESULTS.has(resultText) ? resultText : 'ABORTED';
  const b: Build = {
    number,
    queueId: num('queueId'),
    startMs: num('startTime') || num('timestamp'),
    durationMs: num('duration'),
    result,
    plannedResult: result,
    params: {},
    builtOn: childText(doc, 'builtOn') ?? '',
    user: null,
  };
  const actions = firstChild(doc, 'actions');
  for (const a of actions ? childElements(actions) : []) {
    if (a.name === 'hudson.model.ParametersAction') {
      const ps = firstChild(a, 'parameters');
      for (const p of ps ? childElements(ps) : []) {
        const n = childText(p, 'name');
        if (n === undefined) continue;
        b.params[n] = p.name === PASSWORD_VALUE ? '' : (childText(p, 'value') ?? '');
        if (p.name !== STRING_VALUE) (b.paramClasses ??= {})[n] = p.name;
      }
    } else if (a.name === 'hudson.model.CauseAction') {
      const bag = firstChild(a, 'causeBag');
      for (const entry of bag ? childElements(bag) : []) {
        for (const c of childElements(entry)) {
          if (c.name === 'hudson.model.Cause_-UserIdCause') b.user = childText(c, 'userId') ?? null;
          else if (c.name === 'hudson.model.Cause_-RemoteCause') b.remoteAddr = childText(c, 'addr') ?? '';
        }
      }
    } else if (a.name === 'hudson.plugins.git.util.BuildData') {
      const rev = firstChild(firstChild(a, 'lastBuild') ?? el('x'), 'revision');
      const sha1 = childText(rev, 'sha1');
      const branches = rev ? firstChild(rev, 'branches') : undefined;
      const branch = branches ? childText(childElements(branches)[0], 'name') : undefined;
      const urls = firstChild(a, 'remoteUrls');
      const url = urls ? textOf(childElements(urls)[0] ?? el('x')) : '';
      if (sha1) b.revision = { sha1, branch: branch ?? '', url };
    } else if (a.name === 'hudson.tasks.junit.TestResultAction') {
      b.tests = { failCount: Number(childText(a, 'failCount') ?? 0) || 0, skipCount: Number(childText(a, 'skipCount') ?? 0) || 0, totalCount: Number(childText(a, 'totalCount') ?? 0) || 0 };
    }
  }
  return b;
}

/** The junit plugin's `junitResult.xml` (TestResult as XStream writes it). */
export function junitResultXml(r: TestReport): string {
  const suites = r.suites.map((s) =>
    el('suite', [
      leaf('file', s.file),
      leaf('name', s.name),
      leaf('duration', s.duration),
      leaf('timestamp', s.timestamp),
      el('cases', s.cases.map((c) => {
        const kids: XmlElement[] = [leaf('duration', c.duration), leaf('className', c.className), leaf('testName', c.testName), leaf('skipped', c.skipped)];
        if (c.errorStackTrace !== undefined) kids.push(leaf('errorStackTrace', c.errorStackTrace));
        if (c.errorDetails !== undefined) kids.push(leaf('errorDetails', c.errorDetails));
        kids.push(leaf('failedSince', c.failedSince));
        return el('case', kids);
      })),
    ]),
  );
  return serialiseXml(el('result', [el('suites', suites), leaf('duration', r.duration), leaf('keepLongStdio', false)], [['plugin', 'junit@1312.v1a_235a_b_94a_31']]), FILE_DECLARATION) + '\n';
}

export function parseJunitResult(text: string): TestReport | undefined {
  let doc: XmlElement;
  try {
    doc = parseXml(text);
  } catch {
    return undefined;
  }
  if (doc.name !== 'result') return undefined;
  const suitesEl = firstChild(doc, 'suites');
  const suites: TestSuite[] = (suitesEl ? childElements(suitesEl) : []).map((s) => {
    const casesEl = firstChild(s, 'cases');
    return {
      file: childText(s, 'file') ?? '',
      name: childText(s, 'name') ?? '',
      duration: Number(childText(s, 'duration') ?? 0) || 0,
      timestamp: childText(s, 'timestamp') ?? '',
      cases: (casesEl ? childElements(casesEl) : []).map((c) => {
        const tc: TestCase = {
          className: childText(c, 'className') ?? '',
          testName: childText(c, 'testName') ?? '',
          duration: Number(childText(c, 'duration') ?? 0) || 0,
          skipped: childText(c, 'skipped') === 'true',
          failedSince: Number(childText(c, 'failedSince') ?? 0) || 0,
        };
        const d = childText(c, 'errorDetails');
        const st = childText(c, 'errorStackTrace');
        if (d !== undefined) tc.errorDetails = d;
        if (st !== undefined) tc.errorStackTrace = st;
        return tc;
      }),
    };
  });
  return { duration: Number(childText(doc, 'duration') ?? 0) || 0, suites };
}

/** A small generated report: three passing cases; one fails when the build is UNSTABLE or FAILURE. */
export function generatedReport(fullName: string, b: Build, result: string, workspace: string, pattern: string): TestReport {
  const cls = 'standin.' + (fullName.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'job') + 'Test';
  const names = ['compiles', 'passesUnitTests', 'packages'];
  const failing = result === 'UNSTABLE' || result === 'FAILURE';
  const cases: TestCase[] = names.map((n, k) => {
    const c: TestCase = { className: cls, testName: n, duration: Math.round((0.002 + k * 0.001) * 1000) / 1000, skipped: false, failedSince: 0 };
    if (failing && k === 1) {
      c.failedSince = b.number;
      c.errorDetails = 'expected:<0> but was:<1>';
      c.errorStackTrace = `java.lang.AssertionError: expected:<0> but was:<1>\n\tat ${cls}.${n}(${cls.split('.').pop()}.java:${10 + k})`;
    }
    return c;
  });
  const dir = pattern.split(',')[0]!.trim().split('/').filter((s) => s && !s.includes('*')).join('/');
  const file = path.posix.join(workspace, dir, `TEST-${cls}.xml`);
  const duration = Math.round(cases.reduce((t, c) => t + c.duration, 0) * 1000) / 1000;
  return { duration, suites: [{ file, name: cls, duration, timestamp: new Date(b.startMs).toISOString().slice(0, 19), cases }] };
}

/** Every build directory of a job, read back (numbers from the directory names), oldest first. */
export async function loadBuilds(jobDir: string): Promise<{ builds: Build[]; nextBuildNumber: number }> {
  let next = 1;
  try {
    const n = Number((await fsp.readFile(path.join(jobDir, 'nextBuildNumber'), 'utf8')).trim());
    if (Number.isInteger(n) && n > 0) next = n;
  } catch {
    // no file: 1, or one above the highest build
  }
  let entries: string[];
  try {
    entries = await fsp.readdir(path.join(jobDir, 'builds'));
  } catch {
    return { builds: [], nextBuildNumber: next };
  }
  const numbers = entries.filter((e) => /^[1-9]\d{0,9}$/.test(e)).map(Number).sort((a, b) => a - b);
  const builds: Build[] = [];
  for (const num of numbers) {
    const dir = path.join(jobDir, 'builds', String(num));
    let text: string;
    try {
      text = await fsp.readFile(path.join(dir, 'build.xml'), 'utf8');
    } catch {
      continue;
    }
    const b = parseBuildXml(text, num);
    if (!b) continue;
    const artifacts = await listFiles(path.join(dir, 'archive'));
    if (artifacts.length > 0) b.artifacts = artifacts;
    builds.push(b);
  }
  const top = builds.length ? builds[builds.length - 1]!.number : 0;
  return { builds, nextBuildNumber: Math.max(next, top + 1) };
}

/** Jenkins' artifact order: the archive tree walked depth-first, each directory's entries sorted by name. */
export function treeOrder(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let k = 0; k < Math.min(x.length, y.length); k++) {
    if (x[k] !== y[k]) return x[k]! < y[k]! ? -1 : 1;
  }
  return x.length - y.length;
}

/** Files below `dir`, as relative `/` paths, in tree order. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    let list: import('node:fs').Dirent[];
    try {
      list = await fsp.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of list) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(d, e.name), r);
      else if (e.isFile()) out.push(r);
    }
  };
  await walk(dir, '');
  return out.sort(treeOrder);
}

let tmpCounter = 0;
async function replaceFile(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`;
  await fsp.writeFile(tmp, text);
  await fsp.rename(tmp, file);
}

/** Only local repositories are looked at (a path or file:// URL): the stand-in never goes on the network. */
function localRepo(url: string): string | undefined {
  if (url.startsWith('file://')) return url;
  if (path.isAbsolute(url)) return url;
  return undefined;
}

/** `git ls-remote` of a local repository for one ref: the commit, or undefined. */
export function resolveLocalRevision(url: string, ref: string): Promise<string | undefined> {
  const repo = localRepo(url);
  if (!repo) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile('git', ['ls-remote', '--', repo, ref], { timeout: 10_000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (err, stdout) => {
      if (err) return resolve(undefined);
      const line = String(stdout).split('\n').find((l) => l.endsWith(`\t${ref}`));
      const sha = line?.split('\t')[0];
      resolve(sha && /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined);
    });
  });
}

/** A URL without user information (the console never shows credentials). */
export function withoutUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

export interface RecorderDeps {
  /** The job's directory now (it changes with renames and moves). */
  dirOf(item: Item): string;
  /** Serialise writes with the job's other file operations. */
  enqueue<T>(item: Item, op: () => Promise<T>): Promise<T>;
  /** The item is still there (not deleted). */
  live(item: Item): boolean;
  version: string;
  /** Workspace path of a build (for the console and test report file names). */
  workspaceOf(item: Item, b: Build): string;
  /** Full name of the item now. */
  fullNameOf(item: Item): string;
  /** The log so far (head lines, steps; the end once there is a result). */
  logOf(item: Item, b: Build): string;
}

/**
 * Writes builds as they start and end. Errors writing are swallowed (a full disk loses a build's
 * files, as a Jenkins with a full disk would), but never recreate the directory of a deleted job.
 */
export class BuildRecorder {
  constructor(private readonly deps: RecorderDeps) {}

  /** When a build starts: what it will do (from the job's config), its first files, the checkout. */
  async started(item: Item, b: Build): Promise<void> {
    // the record exists at once (a stop while the checkout is resolved leaves an interrupted build)
    const first = this.write(item, b, false);
    const plan = item.type.abstractProject ? buildPlanOf(item.doc) : { steps: [] };
    const publish: NonNullable<Build['publish']> = {};
    if (plan.artifacts !== undefined) publish.artifacts = plan.artifacts;
    if (plan.junit !== undefined) publish.junit = plan.junit;
    b.publish = publish;
    const ws = this.deps.workspaceOf(item, b);
    const wsName = ws.split('/').pop() || 'workspace';
    const lines: string[] = [];
    if (plan.git) {
      const url = withoutUserInfo(plan.git.url);
      lines.push('The recommended git tool is: NONE', 'No credentials specified', 'Cloning the remote Git repository', `Cloning repository ${url}`);
      const ref = headRefOf(plan.git.branchSpec);
      const sha = ref ? await resolveLocalRevision(plan.git.url, ref) : undefined;
      if (sha && ref) {
        const branch = `refs/remotes/origin/${ref.slice('refs/heads/'.length)}`;
        b.revision = { sha1: sha, branch, url };
        lines.push(`Checking out Revision ${sha} (${branch})`);
      }
    }
    lines.push(...stepLines(plan.steps, wsName, b.number));
    b.steps = lines;
    b.hasShell = plan.steps.some((s) => s.kind === 'shell');
    await first;
    await this.write(item, b, false);
  }

  /** When a build ends (result decided): the publishers' relics, the whole log, the final record. */
  async finished(item: Item, b: Build, result: string): Promise<void> {
    const p = b.publish ?? {};
    const ranPublishers = result !== 'ABORTED' && result !== 'NOT_BUILT';
    // a file whose name has a segment over 255 bytes cannot exist in a workspace: no artifact of that name
    if (ranPublishers && p.artifacts !== undefined) b.artifacts = artifactPaths(p.artifacts, b.number).filter((rel) => rel.split('/').every((seg) => Buffer.byteLength(seg, 'utf8') <= 255)).sort(treeOrder);
    let report: TestReport | undefined;
    if (ranPublishers && p.junit !== undefined) {
      report = generatedReport(this.deps.fullNameOf(item), b, result, this.deps.workspaceOf(item, b), p.junit);
      b.tests = testCounts(report);
    }
    await this.write(item, { ...b, result }, true, report);
  }

  /** Write a build's files; `b` is the build as it is to be shown (with its result when final). */
  private write(item: Item, b: Build, final: boolean, report?: TestReport): Promise<void> {
    return this.deps.enqueue(item, async () => {
      if (!this.deps.live(item)) return;
      const jobDir = this.deps.dirOf(item);
      const dir = path.join(jobDir, 'builds', String(b.number));
      try {
        await fsp.mkdir(dir, { recursive: true });
        if (final) {
          for (const rel of b.artifacts ?? []) {
            const file = path.join(dir, 'archive', ...rel.split('/'));
            await fsp.mkdir(path.dirname(file), { recursive: true });
            await fsp.writeFile(file, `artifact ${rel} of ${this.deps.fullNameOf(item)} #${b.number}\n`);
          }
          if (report) await fsp.writeFile(path.join(dir, 'junitResult.xml'), junitResultXml(report));
        }
        // replaced whole (temp file, then rename), as Jenkins' AtomicFileWriter does: a reader never sees half a file
        await replaceFile(path.join(dir, 'log'), this.deps.logOf(item, b));
        await replaceFile(path.join(dir, 'build.xml'), buildXml(b, this.deps.version));
        await replaceFile(path.join(jobDir, 'nextBuildNumber'), `${item.nextBuildNumber}\n`);
      } catch {
        // the job's files are gone or the disk is full: the build lives on in memory only
      }
    });
  }

  /** Remove the files of builds dropped from memory (the stand-in keeps the newest 200 per job). */
  discard(item: Item, numbers: number[]): Promise<void> {
    return this.deps.enqueue(item, async () => {
      if (!this.deps.live(item)) return;
      const jobDir = this.deps.dirOf(item);
      for (const n of numbers) await fsp.rm(path.join(jobDir, 'builds', String(n)), { recursive: true, force: true }).catch(() => undefined);
    });
  }
}
