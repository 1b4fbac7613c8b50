/**
 * Bad definitions, searched for counter-examples (issue 10): arbitrary mutations of the shipped,
 * valid definition and template files (deleted keys, wrong types, truncated YAML, duplicate keys,
 * unknown templates and keys, huge values, deep nesting, broken templates, sidecar mistakes).
 *
 * - In-process, many cases: load + render never throw; every mutation that is certainly a mistake
 *   gives an error diagnostic with a file and a line.
 * - Whole process, fewer cases (the CLI is spawned): `jobsmith render` exits 1 with
 *   `file:line[:col]: error: ...` on stderr, no stack trace, and writes nothing (no --out dir);
 *   `jobsmith sync` against a stand-in exits 1 and makes no request at all to Jenkins (the
 *   stand-in's own request counts), and never prints the API token.
 * Mutations that may leave the files valid (a deleted optional key, a truncation at a line end)
 * may also exit 0; they are counted apart.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, parseDocument } from 'yaml';
import { loadWorkspace } from '../../src/load/workspace.js';
import { renderWorkspace } from '../../src/render/render-workspace.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { findSecretLeaks, testSecret } from '../helpers/secret-scan.js';
import { countCase, countCoverage, newFigures, runs, saveFigures } from './figures.js';

const figures = newFigures();
afterAll(() => saveFigures('definitions', figures));

const TEMPLATES = ['CI-build-trunk', 'RC-build-branch', 'Pipeline-git'];
const DEFINITIONS = ['payments.yaml', 'billing.yaml', 'storefront.yaml', '_defaults.yaml'];

interface Files {
  [rel: string]: string;
}

let base: Files = {};

beforeAll(async () => {
  const files: Files = {};
  for (const t of TEMPLATES) {
    files[`job-templates/${t}-config.xml`] = await readFile(path.join(repoRoot, 'job-templates', `${t}-config.xml`), 'utf8');
    files[`job-templates/${t}.yaml`] = await readFile(path.join(repoRoot, 'job-templates', `${t}.yaml`), 'utf8');
  }
  for (const d of DEFINITIONS) files[`jobs/${d}`] = await readFile(path.join(repoRoot, 'jobs', d), 'utf8');
  base = files;
});

// ------------------------------------------------------------------ mutations
type Mutation =
  | { kind: 'wrong-type'; file: string; key: string; value: unknown }
  | { kind: 'duplicate-key'; file: string; key: string }
  | { kind: 'unknown-template'; file: string; name: string }
  | { kind: 'unknown-key'; file: string; key: string }
  | { kind: 'huge-value'; file: string; size: number; tail: string }
  | { kind: 'unterminated'; file: string; at: number; opener: string }
  | { kind: 'deep-nesting'; file: string; depth: number }
  | { kind: 'template-cut'; template: string; at: number }
  | { kind: 'template-unknown-token'; template: string; token: string }
  | { kind: 'template-unbalanced'; template: string; junk: string }
  | { kind: 'sidecar-bad-pattern'; template: string }
  | { kind: 'delete-key'; file: string; key: string }
  | { kind: 'truncate'; file: string; at: number };

/** Certain mistakes: the run must fail with diagnostics. The others may or may not. */
const CERTAIN = new Set(['wrong-type', 'duplicate-key', 'unknown-template', 'unknown-key', 'huge-value', 'unterminated', 'deep-nesting', 'template-cut', 'template-unknown-token', 'template-unbalanced', 'sidecar-bad-pattern']);

const projectFile = fc.constantFrom('jobs/payments.yaml', 'jobs/billing.yaml', 'jobs/storefront.yaml');
const anyDefFile = fc.constantFrom(...DEFINITIONS.map((d) => `jobs/${d}`));
const templateName = fc.constantFrom(...TEMPLATES);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('wrong-type' as const),
    file: projectFile,
    key: fc.constantFrom('templates', 'tokens', 'folder', 'view', 'disabled'),
    value: fc.constantFrom<unknown>(42, { a: 1 }, [[1]], [{ x: [1] }], 'maybe-not-a-bool', true),
  }).filter((m) => !(m.key === 'disabled' && m.value === true) && !((m.key === 'folder' || m.key === 'view') && typeof m.value !== 'object')),
  fc.record({ kind: fc.constant('duplicate-key' as const), file: anyDefFile, key: fc.constantFrom('tokens', 'templates', 'project', 'folder') }),
  fc.record({ kind: fc.constant('unknown-template' as const), file: projectFile, name: fc.constantFrom('No-Such-Template', 'ci-build-trunk-x', 'CI-build-trunk ', '../CI-build-trunk', '') }),
  fc.record({ kind: fc.constant('unknown-key' as const), file: anyDefFile, key: fc.constantFrom('tempaltes', 'token', 'Tokens', 'folders', 'branch', '__proto__', 'constructor') }),
  fc.record({ kind: fc.constant('huge-value' as const), file: projectFile, size: fc.integer({ min: 50_000, max: 400_000 }), tail: fc.constantFrom('\u0000', '\u0001', '\uFFFE', '\u001B[31m') }),
  fc.record({ kind: fc.constant('unterminated' as const), file: anyDefFile, at: fc.nat(), opener: fc.constantFrom('"unterminated', "'unterminated", 'key: [a, b', 'key: {a: 1', 'key: "a\\') }),
  fc.record({ kind: fc.constant('deep-nesting' as const), file: anyDefFile, depth: fc.integer({ min: 200, max: 20_000 }) }),
  fc.record({ kind: fc.constant('template-cut' as const), template: templateName, at: fc.nat() }),
  fc.record({ kind: fc.constant('template-unknown-token' as const), template: templateName, token: fc.constantFrom('NO.SUCH.TOKEN', 'SCM.PAHT', 'X.Y') }),
  fc.record({ kind: fc.constant('template-unbalanced' as const), template: templateName, junk: fc.constantFrom('<unclosed>', '</project>', '<a b="1>', '&undefined;', '<![CDATA[', '<!--') }),
  fc.record({ kind: fc.constant('sidecar-bad-pattern' as const), template: fc.constantFrom('CI-build-trunk', 'RC-build-branch') }),
  fc.record({ kind: fc.constant('delete-key' as const), file: anyDefFile, key: fc.constantFrom('templates', 'tokens', 'project', 'folder', 'view') }),
  fc.record({ kind: fc.constant('truncate' as const), file: anyDefFile, at: fc.nat() }),
);

/**
 * Edit a YAML file through the yaml Document API; when an earlier mutation already broke it (not
 * a map any more), append the edit as text instead (the file stays a certain mistake).
 */
function editYaml(text: string, edit: (doc: ReturnType<typeof parseDocument>) => void, fallback: string): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return `${text}\n${fallback}\n`;
  try {
    edit(doc);
  } catch {
    return `${text}\n${fallback}\n`; // e.g. setIn below a scalar an earlier mutation put there
  }
  return doc.toString({ lineWidth: 0 });
}

function apply(files: Files, m: Mutation): Files {
  const f = { ...files };
  switch (m.kind) {
    case 'wrong-type':
      f[m.file] = editYaml(f[m.file]!, (d) => d.set(m.key, m.value), `${m.key}: ${JSON.stringify(m.value)}`);
      break;
    case 'duplicate-key':
      f[m.file] = `${f[m.file]!.replace(/\n*$/, '\n')}${m.key}: ${m.key === 'tokens' ? '\n  MVN.VERSION: maven-3' : m.key === 'templates' ? '\n  - CI-build-trunk' : 'dup'}\n${m.key}: ${m.key === 'tokens' ? '{}' : m.key === 'templates' ? '[]' : 'dup2'}\n`;
      break;
    case 'unknown-template':
      f[m.file] = editYaml(
        f[m.file]!,
        (d) => {
          const t = d.get('templates');
          if (t && typeof (t as { add?: unknown }).add === 'function') (t as { add: (v: unknown) => void }).add(m.name);
          else d.set('templates', [m.name]);
        },
        `templates: [${JSON.stringify(m.name)}]`,
      );
      break;
    case 'unknown-key':
      f[m.file] = `${f[m.file]!.replace(/\n*$/, '\n')}${m.key}: 1\n`;
      break;
    case 'huge-value': {
      const v = 'x'.repeat(m.size) + m.tail;
      f[m.file] = editYaml(
        f[m.file]!,
        (d) => {
          d.setIn(['tokens', 'SCM.PATH'], v);
          d.setIn(['tokens', 'GIT.URL'], v);
        },
        `tokens: {SCM.PATH: ${JSON.stringify(v)}}`,
      );
      break;
    }
    case 'unterminated': {
      const t = f[m.file]!;
      f[m.file] = `${t.slice(0, m.at % (t.length + 1))}\n${m.opener}\n`;
      break;
    }
    case 'deep-nesting':
      f[m.file] = `${f[m.file]!.replace(/\n*$/, '\n')}extra: ${'['.repeat(m.depth)}${']'.repeat(m.depth)}\n`;
      break;
    case 'template-cut': {
      const rel = `job-templates/${m.template}-config.xml`;
      const t = f[rel]!;
      const lastClose = t.lastIndexOf('</');
      f[rel] = t.slice(0, m.at % Math.max(1, lastClose));
      break;
    }
    case 'template-unknown-token': {
      const rel = `job-templates/${m.template}-config.xml`;
      f[rel] = f[rel]!.replace('<description>', `<description>$${m.token} `);
      if (!f[rel]!.includes(`$${m.token}`)) f[rel] = f[rel]!.replace(/<\/(\w[\w.-]*)>\s*$/, `<x>$${m.token}</x></$1>\n`);
      break;
    }
    case 'template-unbalanced': {
      const rel = `job-templates/${m.template}-config.xml`;
      const t = f[rel]!;
      const i = t.indexOf('</description>');
      f[rel] = i < 0 ? `${t}${m.junk}` : t.slice(0, i) + m.junk + t.slice(i);
      break;
    }
    case 'sidecar-bad-pattern': {
      const rel = `job-templates/${m.template}.yaml`;
      f[rel] = editYaml(f[rel]!, (d) => d.setIn(['tokens', 'POM.ARTIFACTID', 'pattern'], '([unclosed'), `tokens: {POM.ARTIFACTID: {pattern: '([unclosed'}}`);
      break;
    }
    case 'delete-key':
      f[m.file] = editYaml(f[m.file]!, (d) => void d.delete(m.key), '');
      break;
    case 'truncate': {
      const t = f[m.file]!;
      f[m.file] = t.slice(0, m.at % (t.length + 1));
      break;
    }
  }
  return f;
}

/**
 * A later `truncate` or `delete-key` of the same file may cut away or delete what an earlier
 * certain mistake put there (a truncated deep nesting, a deleted key of the wrong type): then the
 * earlier mutation is no longer certain.
 */
function undoneLater(m: Mutation, later: readonly Mutation[]): boolean {
  const file = 'file' in m ? m.file : undefined;
  return file !== undefined && later.some((l) => (l.kind === 'truncate' || l.kind === 'delete-key') && l.file === file);
}

async function writeWorkspace(files: Files): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-rel-defs-'));
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.join(dir, 'job-templates'));
  await mkdir(path.join(dir, 'jobs'));
  for (const [rel, text] of Object.entries(files)) await writeFile(path.join(dir, rel), text);
  return dir;
}

const STACK = /^\s+at .+\(?.*:\d+:\d+\)?$/m;
const LOCATED = /^(?:jobs|job-templates)\/[^\s:]+:\d+(?::\d+)?: error: /m;

const IN_PROCESS = runs(100, 10);
const WHOLE_PROCESS = runs(6, 10);

describe('bad definitions (property)', () => {
  it(`load + render never throw; certain mistakes give located errors (${IN_PROCESS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), async (mutations) => {
        countCase(figures, 'definitions: load + render never throw, certain mistakes located (in-process)');
        figures.badInputs += mutations.length;
        const files = mutations.reduce(apply, base);
        const dir = await writeWorkspace(files);
        try {
          const { workspace, diagnostics } = await loadWorkspace({ templatesDir: path.join(dir, 'job-templates'), jobsDir: path.join(dir, 'jobs') });
          const r = renderWorkspace(workspace);
          const errors = [...diagnostics, ...r.diagnostics].filter((d) => d.severity === 'error');
          const certain = mutations.some((m, i) => CERTAIN.has(m.kind) && !undoneLater(m, mutations.slice(i + 1)));
          if (certain) {
            countCoverage(figures, 'in-process: certain mistakes');
            expect(errors.length, JSON.stringify(mutations).slice(0, 300)).toBeGreaterThan(0);
          } else if (errors.length === 0) countCoverage(figures, 'in-process: mutation left the files valid');
          for (const e of errors) {
            expect(e.file, JSON.stringify(e)).toBeDefined();
            if (!/directory/.test(e.message)) expect(e.line, JSON.stringify(e)).toBeDefined();
            expect(e.message).not.toMatch(STACK);
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: IN_PROCESS },
    );
  }, 300_000);

  describe('whole process', () => {
    let standin: Standin;
    let home: string;
    const secret = testSecret();
    beforeAll(async () => {
      home = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-rel-home-'));
      standin = await startStandin({ home, port: 0, users: [{ name: secret.user, token: secret.token }] });
    });
    afterAll(async () => {
      await standin?.close();
      await rm(home, { recursive: true, force: true });
    });

    it(`render and sync exit 1 with located diagnostics, write nothing, send nothing (${WHOLE_PROCESS} cases)`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(mutationArb.filter((m) => CERTAIN.has(m.kind)), { minLength: 1, maxLength: 2 }), async (mutations) => {
          countCase(figures, 'definitions: CLI render/sync exit 1, located, nothing written, no request (whole process)');
          figures.badInputs += mutations.length;
          const dir = await writeWorkspace(mutations.reduce(apply, base));
          try {
            const render = await runCli(['render', '--templates', 'job-templates', '--jobs', 'jobs', '--out', 'out'], { cwd: dir, timeoutMs: 60_000 });
            const what = `${JSON.stringify(mutations).slice(0, 200)}\n${render.stderr.slice(0, 1500)}`;
            expect(render.code, what).toBe(1);
            expect(render.stderr, what).toMatch(LOCATED);
            expect(render.stderr + render.stdout, what).not.toMatch(STACK);
            expect(await stat(path.join(dir, 'out')).then(() => 'exists', () => 'absent'), what).toBe('absent');

            standin.resetCounts();
            const sync = await runCli(['sync', '--jenkins-url', standin.url, '--user', secret.user, '--templates', 'job-templates', '--jobs', 'jobs', '--no-branches'], {
              cwd: dir,
              env: { JENKINS_API_TOKEN: secret.token },
              timeoutMs: 60_000,
            });
            figures.syncs++;
            const swhat = `${JSON.stringify(mutations).slice(0, 200)}\n${sync.stderr.slice(0, 1500)}`;
            expect(sync.code, swhat).toBe(1);
            expect(sync.stderr, swhat).toMatch(LOCATED);
            expect(sync.stderr + sync.stdout, swhat).not.toMatch(STACK);
            expect(standin.requestCounts(), swhat).toEqual({});
            figures.leakScans += 2;
            const leaks = findSecretLeaks(render.stdout + render.stderr + sync.stdout + sync.stderr, secret).length;
            figures.leaksFound += leaks;
            expect(leaks).toBe(0);
          } finally {
            await rm(dir, { recursive: true, force: true });
          }
        }),
        { numRuns: WHOLE_PROCESS },
      );
      // the unmutated workspace is valid (so the failures above come from the mutations)
      const dir = await writeWorkspace(base);
      try {
        const ok = await runCli(['render', '--out', 'out'], { cwd: dir });
        expect(ok.code, ok.stderr).toBe(0);
        const synced = await runCli(['sync', '--jenkins-url', standin.url, '--user', secret.user, '--no-branches'], { cwd: dir, env: { JENKINS_API_TOKEN: secret.token } });
        expect(synced.code, synced.stderr).toBe(0);
        figures.syncs++;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 600_000);
  });
});

