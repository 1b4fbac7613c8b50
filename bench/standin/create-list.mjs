#!/usr/bin/env node
// Whole-process benchmark of the stand-in: start `jobsmith standin` (its own process), create N jobs
// over HTTP at concurrency C (API-token auth, undici keep-alive pool), then list them all in ONE
// tree request R times and report the server-side time of each listing (X-Standin-Elapsed-Ms),
// then restart the stand-in over the same home and time how long it takes to load N jobs.
//
// usage: node bench/standin/create-list.mjs N HOME_PARENT [CONCURRENCY=8] [LISTINGS=15]
// prints one JSON line: {jobs, concurrency, createSeconds, createsPerSecond, firstListingMs,
//   changedListingMs:{median,min,max}, unchangedListingMs:{...}, listingBytes, loadSeconds}
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const [nArg, parent, concArg, listArg] = process.argv.slice(2);
if (!nArg || !parent) {
  process.stderr.write('usage: create-list.mjs N HOME_PARENT [CONCURRENCY] [LISTINGS]\n');
  process.exit(2);
}
const N = Number(nArg);
const C = Number(concArg ?? 8);
const R = Number(listArg ?? 15);
// STANDIN_VIA=cli runs `jobsmith standin`; the default launcher loads only the stand-in module,
// so the figures do not depend on the rest of the CLI.
const here = path.dirname(fileURLToPath(import.meta.url));
const viaCli = process.env.STANDIN_VIA === 'cli';
const home = mkdtempSync(path.join(parent, 'standin-bench-'));
const TOKEN = '11' + '0123456789abcdef'.repeat(2);
const auth = 'Basic ' + Buffer.from(`bench:${TOKEN}`).toString('base64');

function start() {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const args = viaCli
      ? [path.resolve(here, '../../dist/cli/main.js'), 'standin', '--port', '0', '--home', home, '--user', 'bench', '--token', TOKEN]
      : [path.join(here, 'run-standin.mjs'), home, 'bench', TOKEN];
    const child = spawn(process.execPath, [...(process.env.STANDIN_NODE_ARGS ?? '').split(' ').filter(Boolean), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, url: out.slice(0, nl).replace('listening on ', ''), startSeconds: Number(process.hrtime.bigint() - t0) / 1e9 });
    });
    child.on('error', reject);
    child.on('exit', (c) => reject(new Error(`stand-in exited ${c}`)));
  });
}
function stop(child) {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const config = (i) => `<?xml version='1.0' encoding='UTF-8'?>
<project>
  <description>Benchmark job ${i} &lt;managed&gt;</description>
  <keepDependencies>false</keepDependencies>
  <properties/>
  <scm class="hudson.scm.SubversionSCM" plugin="subversion@2.17">
    <locations><hudson.scm.SubversionSCM_-ModuleLocation><remote>https://svn.example.com/repos/svc${i}/trunk</remote><local>.</local></hudson.scm.SubversionSCM_-ModuleLocation></locations>
  </scm>
  <assignedNode>linux-build-farm</assignedNode>
  <canRoam>false</canRoam>
  <disabled>false</disabled>
  <triggers/>
  <builders><hudson.tasks.Maven><targets>clean install</targets><mavenName>maven-3.9</mavenName></hudson.tasks.Maven></builders>
  <publishers/>
  <buildWrappers/>
</project>`;

let server;
try {
  server = await start();
  const pool = new Pool(server.url, { connections: C, pipelining: 1 });
  let next = 0;
  let failures = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: C }, async () => {
    for (;;) {
      const i = next++;
      if (i >= N) return;
      const r = await pool.request({ method: 'POST', path: `/createItem?name=svc${String(i).padStart(5, '0')}-CI-build-trunk`, headers: { authorization: auth, 'content-type': 'application/xml; charset=utf-8' }, body: config(i) });
      await r.body.text();
      if (r.statusCode !== 200) failures++;
    }
  }));
  const createSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // first: the first listing after the creates (no job rendered before).
  // changed: after one job's config.xml was replaced (that job is rendered again).
  // unchanged: the same request again with nothing changed in between.
  const changed = [];
  const warm = [];
  let bytes = 0;
  const list = async () => {
    const r = await pool.request({ method: 'GET', path: '/api/json?tree=jobs[name,fullName,description,color,url,jobs[name,fullName,description,color,url]],views[name,jobs[name]]', headers: { authorization: auth } });
    const body = await r.body.text();
    bytes = body.length;
    const count = JSON.parse(body).jobs.length;
    if (count !== N) throw new Error(`listing has ${count} jobs, expected ${N}`);
    return Number(r.headers['x-standin-elapsed-ms']);
  };
  const first = await list();
  for (let k = 0; k < R; k++) {
    const t = await pool.request({ method: 'POST', path: '/job/svc00000-CI-build-trunk/config.xml', headers: { authorization: auth, 'content-type': 'application/xml; charset=utf-8' }, body: config(k) });
    await t.body.text();
    changed.push(await list());
    warm.push(await list());
  }
  await pool.close();
  await stop(server.child);
  server = await start();
  const loadSeconds = server.startSeconds;
  process.stdout.write(JSON.stringify({ jobs: N, concurrency: C, failures, createSeconds: +createSeconds.toFixed(3), createsPerSecond: Math.round(N / createSeconds), firstListingMs: +first.toFixed(1), changedListingMs: { median: +median(changed).toFixed(1), min: +Math.min(...changed).toFixed(1), max: +Math.max(...changed).toFixed(1) }, unchangedListingMs: { median: +median(warm).toFixed(1), min: +Math.min(...warm).toFixed(1), max: +Math.max(...warm).toFixed(1) }, listingBytes: bytes, loadSeconds: +loadSeconds.toFixed(3) }) + '\n');
} finally {
  if (server) await stop(server.child);
  rmSync(home, { recursive: true, force: true });
}
