// Where the time of a branch plan goes, phase by phase (in-process, performance.now and process.cpuUsage).
// Usage: node bench/branches/phases.mjs [DIR] [JENKINS_URL]   (after make-repos.sh and a sync)
import path from 'node:path';
import { loadWorkspace } from '../../dist/load/workspace.js';
import { renderWorkspace } from '../../dist/render/render-workspace.js';
import { startBranchDetection } from '../../dist/branches/workspace-branches.js';
import { createBranchSource } from '../../dist/branches/auto-branch-source.js';
import { JenkinsClient } from '../../dist/jenkins/jenkins-client.js';
import { makePlan } from '../../dist/plan/make-plan.js';
import { systemClock } from '../../dist/model/clock.js';

const dir = process.argv[2] ?? '/dev/shm/jobsmith-bench-branches';
const url = process.argv[3] ?? 'http://127.0.0.1:18931';
let t = performance.now();
let c = process.cpuUsage();
const lap = (what) => {
  const now = performance.now();
  const cpu = process.cpuUsage(c);
  console.log(`${what.padEnd(28)} wall ${(now - t).toFixed(0).padStart(6)} ms  node cpu ${((cpu.user + cpu.system) / 1000).toFixed(0).padStart(6)} ms`);
  t = now;
  c = process.cpuUsage();
};
const { workspace } = await loadWorkspace({ templatesDir: path.join(dir, 'defs/job-templates'), jobsDir: path.join(dir, 'defs/jobs') });
lap('load');
const detection = startBranchDetection(workspace, { source: createBranchSource() });
const r = renderWorkspace(workspace);
lap('render (+ listings started)');
const observed = await new JenkinsClient({ url }).list();
lap(`jenkins listing (${observed.items.length})`);
const b = await detection.expand(observed, r.desired.jobs.map((j) => j.fullName));
lap(`detect wait + expand (${b.jobs.length})`);
const plan = makePlan({ desired: { jobs: [...r.desired.jobs, ...b.jobs], folders: b.folders, views: [] }, observed, clock: systemClock, branchScopes: b.scopes, options: {} });
lap(`plan (${plan.summary.unchanged} unchanged)`);
