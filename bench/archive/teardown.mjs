#!/usr/bin/env node
// Archiving before a teardown: JOBS managed jobs with BUILDS builds each (a log, a test report and
// one artifact per build) are deleted by one plan that archives them first.
// usage: node bench/archive/teardown.mjs [JOBS=100] [BUILDS=10] [ARCHIVE_CONCURRENCY=4] [PARENT=os.tmpdir()]
// Build first (npm run build). The stand-in runs in its own process (bench/standin/run-standin.mjs),
// so the figures for Jenkins are the server's; its per-route counts and server-side times come from
// its control endpoint. Prints one JSON line:
//   wallMs        the apply (archive + delete every job), ms
//   archivedBuilds, archiveBytes
//   requests      per route, as the stand-in counted them (the load on Jenkins)
//   serverMs      per route, total server-side time
//   peakInFlight  the most requests jobsmith had in flight at once (client side)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyPlan } from '../../dist/apply/apply-plan.js';
import { FsArchiveStore } from '../../dist/archive/fs-archive-store.js';
import { JenkinsClient } from '../../dist/jenkins/jenkins-client.js';
import { makePlan } from '../../dist/plan/make-plan.js';
import { withMarker } from '../../dist/plan/config-description.js';
import { formatMarker } from '../../dist/plan/marker.js';
import { buildXml, generatedReport, junitResultXml } from '../../dist/standin/build-records.js';

const [jobs = 100, builds = 10, concurrency = 4] = process.argv.slice(2, 5).map(Number);
const parent = process.argv[5] ?? os.tmpdir();
const here = path.dirname(fileURLToPath(import.meta.url));
const root = fs.mkdtempSync(path.join(parent, 'jobsmith-bench-archive-'));
const home = path.join(root, 'home');
const archiveDir = path.join(root, 'archive');
const USER = 'bench';
const TOKEN = '11' + 'b'.repeat(32);

const CONFIG = (name) =>
  withMarker(
    `<?xml version='1.1' encoding='UTF-8'?>\n<project>\n  <description>bench job ${name}</description>\n  <canRoam>true</canRoam>\n  <disabled>false</disabled>\n  <builders>\n    <hudson.tasks.Shell>\n      <command>make test</command>\n    </hudson.tasks.Shell>\n  </builders>\n  <publishers>\n    <hudson.tasks.ArtifactArchiver>\n      <artifacts>target/*.jar</artifacts>\n    </hudson.tasks.ArtifactArchiver>\n    <hudson.tasks.junit.JUnitResultArchiver>\n      <testResults>target/*.xml</testResults>\n    </hudson.tasks.junit.JUnitResultArchiver>\n  </publishers>\n</project>`,
    formatMarker({ kind: 'job', owner: 'bench', name, project: 'gone', template: 'Bench', hash: 'sha256:' + '0'.repeat(64) }),
  );

// Seed the home in Jenkins' layout (as the stand-in writes it): much faster than running the builds.
const t0 = Date.parse('2026-11-01T00:00:00Z');
for (let j = 0; j < jobs; j++) {
  const name = `bench-${String(j).padStart(4, '0')}`;
  const dir = path.join(home, 'jobs', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.xml'), CONFIG(name));
  fs.writeFileSync(path.join(dir, 'nextBuildNumber'), `${builds + 1}\n`);
  for (let n = 1; n <= builds; n++) {
    const result = n % 5 === 0 ? 'UNSTABLE' : 'SUCCESS';
    const b = { number: n, queueId: n, startMs: t0 + n * 60_000, durationMs: 30_000, result, plannedResult: result, params: {}, builtOn: '', user: 'bench' };
    const report = generatedReport(name, b, result, `/ws/${name}`, 'target/*.xml');
    const counts = { failCount: result === 'UNSTABLE' ? 1 : 0, skipCount: 0, totalCount: 3 };
    const bdir = path.join(dir, 'builds', String(n));
    fs.mkdirSync(path.join(bdir, 'archive', 'target'), { recursive: true });
    fs.writeFileSync(path.join(bdir, 'build.xml'), buildXml({ ...b, tests: counts }, '2.479.3'));
    fs.writeFileSync(path.join(bdir, 'log'), `Started by user bench\nBuilding in workspace /ws/${name}\n[${name}] $ /bin/sh -xe /tmp/jenkins1.sh\n+ make test\n${'compiling module\n'.repeat(200)}Archiving artifacts\nRecording test results\nFinished: ${result}\n`);
    fs.writeFileSync(path.join(bdir, 'archive', 'target', `build-${n}.jar`), Buffer.alloc(16 * 1024, n));
    fs.writeFileSync(path.join(bdir, 'junitResult.xml'), junitResultXml(report));
  }
}
fs.mkdirSync(path.join(home, 'jobs', 'keep'), { recursive: true });
fs.writeFileSync(path.join(home, 'jobs', 'keep', 'config.xml'), '<project><description>not managed</description></project>');

const child = spawn(process.execPath, [path.join(here, '..', 'standin', 'run-standin.mjs'), home, USER, TOKEN], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    out += d;
    const m = /listening on (\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  child.on('exit', (code) => reject(new Error(`stand-in exited ${code}`)));
});
const api = new JenkinsClient({ url, user: USER, token: TOKEN, concurrency: 8 });
try {
  const observed = await api.list();
  const plan = makePlan({
    desired: { jobs: [], folders: [], views: [] },
    observed,
    owner: 'bench',
    projectCount: 0,
    clock: { now: () => new Date() },
    options: { removed: 'delete', allowMassDelete: true, allowEmpty: true, archive: { dir: archiveDir, maxArtifactsMb: 100, onCap: 'list', concurrency } },
  });
  const deletes = plan.changes.filter((c) => c.kind === 'delete' && c.archive === 'first').length;
  if (deletes !== jobs) throw new Error(`expected ${jobs} archived deletes, the plan has ${deletes}`);
  await fetch(`${url}/__standin/counts`, { method: 'DELETE' });
  const started = performance.now();
  const result = await applyPlan(api, plan, { concurrency: 8, archive: { store: new FsArchiveStore(archiveDir), relics: api } });
  const wallMs = Math.round(performance.now() - started);
  if (result.failed.length) throw new Error(`failed: ${JSON.stringify(result.failed.slice(0, 3))}`);
  const { counts, timings } = await (await fetch(`${url}/__standin/counts`)).json();
  let archiveBytes = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else archiveBytes += fs.statSync(p).size;
    }
  };
  walk(archiveDir);
  const serverMs = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v.totalMs)]));
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  process.stdout.write(JSON.stringify({ jobs, builds, archiveConcurrency: concurrency, wallMs, archivedBuilds: result.archived.reduce((n, r) => n + r.builds, 0), archiveBytes, requestsTotal: total, requests: counts, serverMs, peakInFlight: api.stats.maxInFlight }) + '\n');
} finally {
  await api.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  fs.rmSync(root, { recursive: true, force: true });
}
