#!/usr/bin/env node
// jobsmith render against the floor (floor.mjs: a bare Node process writing the same files), side
// by side in one run: the two run in turn (A B A B ...), each into a fresh directory, on tmpfs by
// default; medians of ROUNDS whole-process wall times and their ratio, and the median of the ratios
// pair by pair (target: render within 2.5x).
//   npm run build && node bench/render/vs-floor.mjs [N projects = 5000 -> 10,000 jobs] [ROUNDS = 7]
//   WORK=/dev/shm/... to choose the directory (default /dev/shm/jobsmith-floor)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const n = Number(process.argv[2] ?? 5000);
const rounds = Number(process.argv[3] ?? 7);
const work = process.env.WORK ?? '/dev/shm/jobsmith-floor';
const defs = path.join(work, `defs${n}`);
mkdirSync(work, { recursive: true });

const run = (args) => {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
};
if (!existsSync(defs)) run([path.join(here, 'gen-jobsmith.mjs'), String(n), defs]);
const render = (out) => [path.join(root, 'dist/cli/main.js'), 'render', '--templates', path.join(defs, 'job-templates'), '--jobs', path.join(defs, 'jobs'), '--out', out];

// The file list comes from one render (not timed).
const reference = path.join(work, 'reference');
rmSync(reference, { recursive: true, force: true });
run(render(reference));
const list = path.join(work, `files${n}.tsv`);
writeFileSync(list, run([path.join(here, 'floor-list.mjs'), reference]));
rmSync(reference, { recursive: true, force: true });

const timed = (args, out) => {
  rmSync(out, { recursive: true, force: true });
  const t = process.hrtime.bigint();
  run(args);
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  rmSync(out, { recursive: true, force: true });
  return s;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const js = [];
const floor = [];
for (let i = 0; i < rounds; i++) {
  const out = path.join(work, 'out');
  js.push(timed(render(out), out));
  floor.push(timed([path.join(here, 'floor.mjs'), list, out], out));
}
const m = { jobsmith: median(js), floor: median(floor) };
// The ratio pair by pair too: it holds when the machine's speed drifts between rounds.
const pairs = median(js.map((t, i) => t / floor[i]));
process.stdout.write(
  `render of ${n * 2} jobs into ${work}, medians of ${rounds} paired runs\n` +
    `| jobsmith render s | floor s | ratio | median of pair ratios |\n|---:|---:|---:|---:|\n` +
    `| ${m.jobsmith.toFixed(3)} | ${m.floor.toFixed(3)} | ${(m.jobsmith / m.floor).toFixed(2)} | ${pairs.toFixed(2)} |\n`,
);
