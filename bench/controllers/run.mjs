#!/usr/bin/env node
// Many controllers (docs/controllers.md): K stand-ins x N jobs each, synced by ONE jobsmith run
// (jobsmith.yaml `controllers:`), next to the same work done as K separate single-controller runs.
// Scenarios, each timed RUNS times (median printed), with the requests each stand-in counted:
//   cold      every job created on empty stand-ins
//   noop      nothing changed (target: one listing per controller)
//   one       one project changed on one controller
// Usage: npm run build && node bench/controllers/run.mjs [--controllers 4] [--jobs 5000] [--runs 5] [--dir DIR]
// (jobs per controller; each project makes 2 jobs). A quick check: --controllers 2 --jobs 20 --runs 1
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const K = Number(arg('controllers', '4'));
const N = Number(arg('jobs', '5000'));
const RUNS = Number(arg('runs', '5'));
const base = arg('dir', undefined) ?? mkdtempSync(path.join(os.tmpdir(), 'jobsmith-bench-ctl-'));
const { startStandin } = await import(path.join(repo, 'dist/standin/server.js'));
const names = Array.from({ length: K }, (_, i) => `c${i + 1}`);
const perController = Math.ceil(N / 2);

function writeTemplates(dir) {
  mkdirSync(path.join(dir, 'job-templates'), { recursive: true });
  mkdirSync(path.join(dir, 'jobs'), { recursive: true });
  for (const t of ['CI-build-trunk', 'RC-build-branch'])
    for (const ext of ['-config.xml', '.yaml']) {
      const src = path.join(repo, 'job-templates', t + ext);
      if (existsSync(src)) copyFileSync(src, path.join(dir, 'job-templates', t + ext));
    }
  writeFileSync(path.join(dir, 'jobs', '_defaults.yaml'), 'tokens:\n  BUILD.FARM: linux-build-farm\n  MVN.VERSION: maven-3.9\n  MVN.GOALS: clean install\n');
}
function writeProject(dir, controller, i, rev = '') {
  const p = `${controller}-svc${String(i).padStart(5, '0')}`;
  const c = controller && dir.endsWith('multi') ? `controller: ${controller}\n` : '';
  writeFileSync(path.join(dir, 'jobs', `${p}.yaml`), `${c}templates: [CI-build-trunk, RC-build-branch]\ntokens:\n  POM.ARTIFACTID: ${p}-core\n  SCM.PATH: https://svn.example.com/repos/${p}${rev}\n  RC.BRANCH: rc\n`);
}

// definitions: one set for the many-controllers run, one set per controller for the separate runs
const multi = path.join(base, 'multi');
writeTemplates(multi);
for (const c of names) {
  const single = path.join(base, `single-${c}`);
  writeTemplates(single);
  for (let i = 0; i < perController; i++) {
    writeProject(multi, c, i);
    writeProject(single, c, i);
  }
}

async function standins() {
  const out = [];
  for (const c of names) {
    const home = path.join(base, 'homes', c);
    rmSync(home, { recursive: true, force: true });
    out.push({ name: c, s: await startStandin({ home, port: 0 }) });
  }
  return out;
}
// the stand-ins run in this process: the CLI is a child process, awaited without blocking them
const cli = (args, cwd, env = {}) =>
  new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, [path.join(repo, 'dist/cli/main.js'), ...args], { cwd, env: { ...process.env, JENKINS_URL: '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t) : reject(new Error(`jobsmith ${args.join(' ')} exited ${code}: ${err}`))));
  });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const counts = (ss) => Object.fromEntries(ss.map(({ name, s }) => [name, Object.values(s.requestCounts()).reduce((a, b) => a + b, 0)]));
const results = [];

for (const mode of ['many', 'separate']) {
  const times = { cold: [], noop: [], one: [] };
  let requests = {};
  for (let run = 0; run < RUNS; run++) {
    const ss = await standins();
    try {
      const step = async (scenario, before) => {
        before?.();
        for (const { s } of ss) s.resetCounts();
        let ms = 0;
        if (mode === 'many') {
          writeFileSync(path.join(multi, 'jobsmith.yaml'), `controllers:\n${ss.map(({ name, s }) => `  ${name}: { url: '${s.url}/' }`).join('\n')}\ndefault-controller: ${names[0]}\n`);
          ms = await cli(['sync', '--allow-mass-delete'], multi);
        } else {
          for (const { name, s } of ss) ms += await cli(['sync', '--jenkins-url', s.url + '/'], path.join(base, `single-${name}`));
        }
        times[scenario].push(ms);
        requests[scenario] = counts(ss);
      };
      await step('cold');
      await step('noop');
      await step('one', () => {
        writeProject(multi, names[0], 0, `-${mode}${run}`);
        writeProject(path.join(base, `single-${names[0]}`), names[0], 0, `-${mode}${run}`);
      });
    } finally {
      for (const { s } of ss) await s.close();
    }
  }
  for (const k of Object.keys(times)) results.push({ mode, scenario: k, medianMs: Math.round(median(times[k])), runs: RUNS, requestsPerController: requests[k] });
}
console.log(`${K} controllers x ${perController * 2} jobs (definitions in ${base})`);
for (const r of results) console.log(`${r.mode.padEnd(8)} ${r.scenario.padEnd(5)} median ${String(r.medianMs).padStart(7)} ms  requests per controller ${JSON.stringify(r.requestsPerController)}`);
if (!arg('dir', undefined)) rmSync(base, { recursive: true, force: true });
