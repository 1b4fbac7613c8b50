/**
 * Golden cases in the style of Jenkins Job Builder's fixtures:
 *   test/fixtures/golden/<case>/{job-templates,jobs}/  ->  expected/
 * expected/ holds the JENKINS_HOME tree render writes (jobs/.../config.xml), `views.txt` (views and
 * disabled jobs) and, when there are any, `diagnostics.txt` (errors mean no tree at all).
 * Regenerate after an intended change with JOBSMITH_UPDATE_GOLDEN=1 and review the diff.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, hasErrors, sortDiagnostics } from '../../src/model/diagnostic.js';
import { loadWorkspace } from '../../src/load/workspace.js';
import { renderWorkspace } from '../../src/render/render-workspace.js';
import { MANIFEST_FILE, writeJenkinsHome } from '../../src/render/write-jenkins-home.js';
import { repoRoot } from '../helpers/cli.js';

const goldenDir = path.join(repoRoot, 'test/fixtures/golden');
const update = process.env['JOBSMITH_UPDATE_GOLDEN'] === '1';

function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const abs = path.join(d, e);
      if (statSync(abs).isDirectory()) walk(abs);
      else out.set(path.relative(dir, abs).split(path.sep).join('/'), readFileSync(abs));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

async function run(caseDir: string): Promise<Map<string, Buffer>> {
  const rel = path.relative(repoRoot, caseDir);
  const { workspace, diagnostics } = await loadWorkspace({ templatesDir: path.join(rel, 'job-templates'), jobsDir: path.join(rel, 'jobs') });
  const r = renderWorkspace(workspace);
  const all = sortDiagnostics([...diagnostics, ...r.diagnostics]);
  const result = new Map<string, Buffer>();
  if (all.length > 0) result.set('diagnostics.txt', Buffer.from(all.map((d) => formatDiagnostic(d).split(rel + '/').join('')).join('\n') + '\n'));
  if (hasErrors(all)) return result;
  const out = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-golden-'));
  try {
    writeJenkinsHome(out, r.desired);
    for (const [k, v] of tree(out)) if (k !== MANIFEST_FILE) result.set(k, v);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const lines = [
    ...r.desired.views.map((v) => `view ${[...v.folder, v.name].join('/')}: ${v.jobs.join(', ')}`),
    ...r.desired.jobs.filter((j) => j.disabled).map((j) => `disabled ${j.fullName}`),
  ];
  if (lines.length) result.set('views.txt', Buffer.from(lines.join('\n') + '\n'));
  return result;
}

describe('golden cases', () => {
  const cases = readdirSync(goldenDir).filter((c) => statSync(path.join(goldenDir, c)).isDirectory()).sort();
  it('exist', () => expect(cases.length).toBeGreaterThanOrEqual(6));
  for (const c of cases) {
    it(c, async () => {
      // cwd-relative paths, as a user types them
      const prev = process.cwd();
      process.chdir(repoRoot);
      try {
        const caseDir = path.join(goldenDir, c);
        const actual = await run(caseDir);
        const expectedDir = path.join(caseDir, 'expected');
        if (update) {
          rmSync(expectedDir, { recursive: true, force: true });
          for (const [k, v] of actual) {
            mkdirSync(path.dirname(path.join(expectedDir, k)), { recursive: true });
            writeFileSync(path.join(expectedDir, k), v);
          }
        }
        const expected = tree(expectedDir);
        expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [k, v] of expected) {
          expect({ file: k, text: actual.get(k)?.toString('utf8') }).toEqual({ file: k, text: v.toString('utf8') });
          expect(Buffer.compare(actual.get(k)!, v)).toBe(0);
        }
      } finally {
        process.chdir(prev);
      }
    });
  }
});
