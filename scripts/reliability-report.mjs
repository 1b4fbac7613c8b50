#!/usr/bin/env node
/**
 * `npm run reliability`: build, run the reliability and security tests (test/reliability,
 * test/security) with JOBSMITH_RELIABILITY_DIR set so each test file writes the counters of what
 * it actually ran, then rewrite the figures section of docs/reliability.md from those counters.
 *
 *   npm run reliability                  # the default (CI-sized) run
 *   JOBSMITH_SOAK=1 npm run reliability  # the long soak: more cases, more syncs
 *
 * The figures section is written even when tests fail (with the failure count), and the script
 * then exits non-zero. Nothing is invented: every number comes from the counter files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docFile = path.join(root, 'docs', 'reliability.md');
const START = '<!-- figures:start (written by `npm run reliability`; do not edit by hand) -->';
const END = '<!-- figures:end -->';
const soak = process.env.JOBSMITH_SOAK === '1' || process.env.JOBSMITH_SOAK === 'true';

function run(cmd, args, env = {}) {
  return spawnSync(cmd, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

// 1. build (the CLI tests spawn dist/cli/main.js)
const build = run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
if (build.status !== 0) process.stderr.write(`note: tsc reported errors (it still emits):\n${(build.stdout + build.stderr).split('\n').slice(0, 10).join('\n')}\n`);

// 2. the tests, with counters
/** user+sys CPU seconds of this process's waited-for children (and theirs), from /proc (Linux). */
function childCpuSeconds() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(f[13]) + Number(f[14])) / 100; // cutime + cstime, in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}
const cpuBefore = childCpuSeconds();
const counters = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-reliability-'));
const started = Date.now();
const t = run(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/reliability', 'test/security'], { JOBSMITH_RELIABILITY_DIR: counters });
const seconds = (Date.now() - started) / 1000;
const cpuAfter = childCpuSeconds();
const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
process.stdout.write(t.stdout);
process.stderr.write(t.stderr);
const summary = /tests: (\d+) passed, (\d+) failed, (\d+) skipped/.exec(t.stdout ?? '');

// 3. collect
const files = existsSync(counters) ? readdirSync(counters).filter((f) => f.endsWith('.json')).sort() : [];
const all = files.map((f) => JSON.parse(readFileSync(path.join(counters, f), 'utf8')));
rmSync(counters, { recursive: true, force: true });

const sum = (k) => all.reduce((a, f) => a + (f[k] ?? 0), 0);
const merge = (k) => {
  const out = {};
  for (const f of all) for (const [name, n] of Object.entries(f[k] ?? {})) out[name] = (out[name] ?? 0) + n;
  return out;
};
const properties = merge('properties');
const faults = merge('faults');
const coverage = merge('coverage');
const fmt = (n) => n.toLocaleString('en-US');

const lines = [];
lines.push(START);
lines.push('');
lines.push(`Last run: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, ${soak ? '**soak** (`JOBSMITH_SOAK=1`)' : 'default (CI-sized)'} run, Node ${process.version}, ${os.cpus().length} CPUs, load average at the end ${os.loadavg()[0].toFixed(1)}.`);
lines.push('');
lines.push('| figure | value |');
lines.push('|---|---|');
lines.push(`| tests (test/reliability + test/security) | ${summary ? `${summary[1]} passed, ${summary[2]} failed, ${summary[3]} skipped` : `vitest exit ${t.status}`} |`);
lines.push(`| wall time of the whole suite | ${seconds.toFixed(1)} s |`);
if (cpu !== undefined) lines.push(`| CPU time of the whole suite (user + sys, all processes) | ${cpu.toFixed(1)} s |`);
lines.push(`| property cases run | ${fmt(Object.values(properties).reduce((a, b) => a + b, 0))} |`);
lines.push(`| faults injected (all kinds) | ${fmt(Object.values(faults).reduce((a, b) => a + b, 0))} |`);
lines.push(`| syncs run | ${fmt(sum('syncs'))} |`);
lines.push(`| protected jobs checked after runs (sum over checks) | ${fmt(sum('protectedChecks'))} |`);
lines.push(`| **unintended deletions** (must be 0) | **${fmt(sum('unintendedDeletions'))}** |`);
lines.push(`| bad inputs tried | ${fmt(sum('badInputs'))} |`);
lines.push(`| outputs and files scanned for the test secret | ${fmt(sum('leakScans'))} |`);
lines.push(`| **credential leaks found** (must be 0) | **${fmt(sum('leaksFound'))}** |`);
lines.push('');
lines.push('### Properties and the cases each ran');
lines.push('');
lines.push('| property | cases |');
lines.push('|---|---|');
for (const [k, v] of Object.entries(properties).sort()) lines.push(`| ${k} | ${fmt(v)} |`);
lines.push('');
lines.push('### Faults injected, by kind');
lines.push('');
lines.push('Counted where they happen: `HTTP 5xx` / `connection: network` / `HTTP 401/403` are what the client saw (one per failed exchange, retries included; `network` covers connections dropped mid-request or mid-response and refused while the stand-in restarted); the other kinds are counted by the test harness when it injects them.');
lines.push('');
lines.push('| kind | count |');
lines.push('|---|---|');
for (const [k, v] of Object.entries(faults).sort()) lines.push(`| ${k} | ${fmt(v)} |`);
lines.push('');
lines.push('### How often the interesting situations came up');
lines.push('');
lines.push('| situation | count |');
lines.push('|---|---|');
for (const [k, v] of Object.entries(coverage).sort()) lines.push(`| ${k} | ${fmt(v)} |`);
const notes = all.flatMap((f) => f.notes ?? []);
if (notes.length) {
  lines.push('');
  lines.push('### Notes from the run');
  lines.push('');
  for (const n of notes) lines.push(`- ${n.replace(/\|/g, '\\|')}`);
}
lines.push('');
lines.push(`Counter files: ${files.join(', ') || '(none: the tests did not run)'}.`);
lines.push('');
lines.push(END);

const block = lines.join('\n');
let doc = existsSync(docFile) ? readFileSync(docFile, 'utf8') : `# Reliability and security\n\n## Figures\n\n${START}\n${END}\n`;
const a = doc.indexOf(START);
const b = doc.indexOf(END);
doc = a >= 0 && b > a ? doc.slice(0, a) + block + doc.slice(b + END.length) : `${doc.trimEnd()}\n\n## Figures\n\n${block}\n`;
writeFileSync(docFile, doc);
process.stdout.write(`\nfigures written to ${path.relative(root, docFile)}\n`);
process.exit(t.status === 0 && sum('unintendedDeletions') === 0 && sum('leaksFound') === 0 ? 0 : 1);
