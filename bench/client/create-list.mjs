#!/usr/bin/env node
// Whole-process benchmark of the Jenkins client (dist/jenkins/jenkins-client.js) against the stand-in
// running in its own process: create N jobs through JenkinsClient.createJob at concurrency C (API-token
// auth; the client's own queue, keep-alive pool, lazy crumb), then list them R times with
// JenkinsClient.list() (ONE api/json?tree= request each) and report the server-side time of each
// listing (the stand-in's X-Standin-Elapsed-Ms header, read through the client's onResponse hook) and
// the client-side time (request + JSON parse + flattening).
//
// usage: node bench/client/create-list.mjs N HOME_PARENT [CONCURRENCY=8] [LISTINGS=9]
//   KEEP_HOME=1 keeps the stand-in home (for list-once.mjs) and prints its path on stderr.
// prints one JSON line: {jobs, concurrency, createSeconds, createsPerSecond, clientCpuSeconds, standinCpuSeconds,
//   requests, maxInFlight, listing:{serverMs, clientMs}} (CPU seconds of the create phase, per process)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JenkinsClient } from '../../dist/jenkins/jenkins-client.js';

const [nArg, parent, concArg, listArg] = process.argv.slice(2);
if (!nArg || !parent) {
  process.stderr.write('usage: create-list.mjs N HOME_PARENT [CONCURRENCY] [LISTINGS]\n');
  process.exit(2);
}
const N = Number(nArg);
const C = Number(concArg ?? 8);
const R = Number(listArg ?? 9);
const here = path.dirname(fileURLToPath(import.meta.url));
const home = mkdtempSync(path.join(parent, 'client-bench-'));
const USER = 'bench';
const TOKEN = '11' + '0123456789abcdef'.repeat(2);

function startStandin() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(process.env.STANDIN_NODE_ARGS ?? '').split(' ').filter(Boolean), path.resolve(here, '../standin/run-standin.mjs'), home, USER, TOKEN], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, url: out.slice(0, nl).replace('listening on ', '') });
    });
    child.on('error', reject);
    child.on('exit', (c) => reject(new Error(`stand-in exited ${c}`)));
  });
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stats = (xs) => ({ median: +median(xs).toFixed(1), min: +Math.min(...xs).toFixed(1), max: +Math.max(...xs).toFixed(1) });
const config = (i) => `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <description>benchmark job ${i}</description>
  <keepDependencies>false</keepDependencies>
  <properties/>
  <scm class="hudson.scm.NullSCM"/>
  <canRoam>true</canRoam>
  <disabled>false</disabled>
  <triggers/>
  <concurrentBuild>false</concurrentBuild>
  <builders>
    <hudson.tasks.Shell>
      <command>echo building ${i}</command>
    </hudson.tasks.Shell>
  </builders>
  <publishers/>
  <buildWrappers/>
</project>
`;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
const cpuOf = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};

const { child, url } = await startStandin();
let serverMs;
const client = new JenkinsClient({
  url,
  user: USER,
  token: TOKEN,
  concurrency: C,
  onResponse: (e) => {
    if (e.route === 'GET api/json (listing)') serverMs = Number(e.headers['x-standin-elapsed-ms']);
  },
});
try {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const standinCpu0 = cpuOf(child.pid);
  // C workers pulling from one counter, as jobsmith apply does (runLimited); the client's gate is the limit.
  let next = 0;
  await Promise.all(
    Array.from({ length: C }, async () => {
      for (let i = next++; i < N; i = next++) await client.createJob(`job-${String(i).padStart(5, '0')}`, config(i));
    }),
  );
  const createSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const clientCpuSeconds = (cpu.user + cpu.system) / 1e6;
  const standinCpuSeconds = cpuOf(child.pid) - standinCpu0;
  const server = [];
  const clientSide = [];
  for (let r = 0; r < R; r++) {
    const t = performance.now();
    const state = await client.list();
    clientSide.push(performance.now() - t);
    server.push(serverMs);
    if (state.items.length !== N) throw new Error(`listing returned ${state.items.length} items, expected ${N}`);
  }
  process.stdout.write(
    JSON.stringify({
      jobs: N,
      concurrency: C,
      createSeconds: +createSeconds.toFixed(3),
      createsPerSecond: Math.round(N / createSeconds),
      clientCpuSeconds: +clientCpuSeconds.toFixed(3),
      standinCpuSeconds: +standinCpuSeconds.toFixed(2),
      requests: client.stats.requests,
      maxInFlight: client.stats.maxInFlight,
      listing: { serverMs: stats(server), clientMs: stats(clientSide) },
    }) + '\n',
  );
} finally {
  await client.close();
  child.removeAllListeners('exit');
  await new Promise((r) => {
    child.on('exit', r);
    child.kill('SIGTERM');
  });
  if (process.env.KEEP_HOME) process.stderr.write(`stand-in home kept: ${home}\n`);
  else rmSync(home, { recursive: true, force: true });
}
