#!/usr/bin/env node
// Start-up of the CLI against a bare Node process, side by side in one run: `node -e 0`,
// `jobsmith --version`, `jobsmith --help`, `jobsmith render --help` and `jobsmith validate` on an
// empty directory, run in turn (A B C ... A B C ...), ROUNDS times; medians and each one's ratio to
// `node -e 0` (target for --version and --help: within 2x).
//   npm run build && node bench/startup/run.mjs [ROUNDS = 21]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'dist/cli/main.js');
const rounds = Number(process.argv[2] ?? 21);
const empty = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-startup-'));
const cases = [
  ['node -e 0', ['-e', '0']],
  ['jobsmith --version', [cli, '--version']],
  ['jobsmith --help', [cli, '--help']],
  ['jobsmith render --help', [cli, 'render', '--help']],
  ['jobsmith validate (empty dir)', [cli, 'validate', '--templates', empty, '--jobs', empty]],
];
const times = cases.map(() => []);
for (let i = 0; i < rounds; i++) {
  cases.forEach(([, args], k) => {
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, args, { stdio: 'ignore', cwd: empty });
    times[k].push(Number(process.hrtime.bigint() - t) / 1e6);
  });
}
rmSync(empty, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times[0]);
let out = `start-up, medians of ${rounds} rounds (Node ${process.version})\n| command | ms | × node -e 0 |\n|---|---:|---:|\n`;
cases.forEach(([name], k) => {
  const m = median(times[k]);
  out += `| ${name} | ${m.toFixed(1)} | ${(m / base).toFixed(2)} |\n`;
});
process.stdout.write(out);
