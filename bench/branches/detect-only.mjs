// Whole-process timing of branch detection alone: lists every repository of DIR/repos with the
// shipped git source (ls-remote, 8 at a time) and prints the count. Build first (npm run build).
// Usage: node bench/branches/detect-only.mjs [DIR]
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createBranchSource } from '../../dist/branches/auto-branch-source.js';
import { detectBranches } from '../../dist/branches/detect-branches.js';

const dir = process.argv[2] ?? '/dev/shm/jobsmith-bench-branches';
const repos = readdirSync(path.join(dir, 'repos')).filter((n) => n.endsWith('.git')).sort();
const t0 = performance.now();
const got = await detectBranches(
  repos.map((r) => ({ project: r, repo: pathToFileURL(path.join(dir, 'repos', r)).href })),
  createBranchSource(),
  { concurrency: 8 },
);
let branches = 0;
let failed = 0;
for (const l of got.values()) l.status === 'ok' ? (branches += l.branches.length) : failed++;
console.log(`${repos.length} repositories, ${branches} branches, ${failed} failed, ${(performance.now() - t0).toFixed(0)} ms`);
if (failed) process.exit(3);
