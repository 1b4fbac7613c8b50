#!/usr/bin/env node
// Writes a jobsmith definitions set equivalent to ../shared/bench/gen-jjb.py N DIR:
// N seed-style projects x 2 templates (CI-build-trunk, RC-build-branch: svn scm, assigned node,
// maven builder), using the templates shipped in job-templates/.
// Usage: node bench/sync/gen-defs.mjs N DIR   (writes DIR/job-templates and DIR/jobs)
import { mkdirSync, copyFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [n, out] = [Number(process.argv[2]), process.argv[3]];
if (!Number.isInteger(n) || n < 1 || !out) {
  console.error('usage: gen-defs.mjs N DIR');
  process.exit(2);
}
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tdir = path.join(out, 'job-templates');
const jdir = path.join(out, 'jobs');
mkdirSync(tdir, { recursive: true });
mkdirSync(jdir, { recursive: true });
for (const t of ['CI-build-trunk', 'RC-build-branch']) {
  for (const ext of ['-config.xml', '.yaml']) {
    const src = path.join(repo, 'job-templates', t + ext);
    if (existsSync(src)) copyFileSync(src, path.join(tdir, t + ext));
  }
}
writeFileSync(path.join(jdir, '_defaults.yaml'), 'tokens:\n  BUILD.FARM: linux-build-farm\n  MVN.VERSION: maven-3.9\n  MVN.GOALS: clean install\n');
for (let i = 0; i < n; i++) {
  const p = `svc${String(i).padStart(5, '0')}`;
  writeFileSync(
    path.join(jdir, `${p}.yaml`),
    `templates: [CI-build-trunk, RC-build-branch]\ntokens:\n  POM.ARTIFACTID: ${p}-core\n  SCM.PATH: https://svn.example.com/repos/${p}\n  RC.BRANCH: rc\n`,
  );
}
console.log(`wrote ${n} projects (${2 * n} jobs) to ${out}`);
