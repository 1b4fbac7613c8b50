// Webhook benchmark: REPOS repositories x BRANCHES branches defined (branch jobs already in Jenkins),
// then a burst of EVENTS GitHub `create` events for new branches (spread over the repositories),
// sent at once to a real `jobsmith serve`; measures, per event, the time from sending it to its
// job existing in Jenkins (`syncedAt` in /hooks/status) and to its first build being queued
// (`firstBuildAt`): p50, p99 and max, and how many syncs served the burst.
//
// Usage: npm run build && node bench/webhooks/run.mjs [--repos 50] [--branches 200] [--events 100] [--dir DIR]
// (a small check: node bench/webhooks/run.mjs --repos 3 --branches 5 --events 6)
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signatureFor } from '../../dist/hooks/verify-signature.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const cli = path.join(root, 'dist/cli/main.js');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const REPOS = Number(arg('repos', 50));
const BRANCHES = Number(arg('branches', 200));
const EVENTS = Number(arg('events', 100));
const DIR = arg('dir', fs.existsSync('/dev/shm') ? '/dev/shm/jobsmith-bench-webhooks' : path.join(root, '.bench-webhooks'));
const SECRET = 'bench-webhook-secret';
if (EVENTS > 100) throw new Error('--events: at most 100 (the status keeps the last 100 events)');

const children = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid' };
const git = (cwd, ...a) => execFileSync('git', a, { cwd, env: gitEnv, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();

function startProcess(args, cwd, env = {}) {
  const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no URL from ${args[0]}: ${out}${err}`)), 120_000);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /^listening on (http:\/\/\S+)$/m.exec(out);
      if (m) (clearTimeout(t), resolve({ child, url: m[1] }));
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited ${code}: ${err}`)));
  });
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

// 1. repositories and definitions (the branch benchmark's generator), as a git working copy
execFileSync(path.join(root, 'bench/branches/make-repos.sh'), [DIR, String(REPOS), String(BRANCHES)], { stdio: ['ignore', 'ignore', 'inherit'] });
const defs = path.join(DIR, 'defs');
git(defs, 'init', '-q');
git(defs, 'add', '.');
git(defs, 'commit', '-q', '-m', 'bench definitions');
// a node labelled linux, so the shipped branch template's builds can start
fs.mkdirSync(path.join(DIR, 'home/nodes/linux-1'), { recursive: true });
fs.writeFileSync(path.join(DIR, 'home/nodes/linux-1/config.xml'), '<slave><name>linux-1</name><remoteFS>/srv/agent</remoteFS><numExecutors>4</numExecutors><mode>NORMAL</mode><label>linux</label></slave>');

// 2. the stand-in with every existing branch's job
const standin = await startProcess(['standin', '--home', path.join(DIR, 'home'), '--port', '0', '--build-seconds', '1', '--quiet-seconds', '0'], DIR);
console.error(`initial sync of ${REPOS * BRANCHES} branch jobs ...`);
execFileSync(process.execPath, [cli, 'sync', '--jenkins-url', standin.url], { cwd: defs, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 256 * 1024 * 1024 });

// 3. new branches (not yet known to Jenkins), one event each
const repoPath = (r) => path.join(DIR, 'repos', `r${String(r + 1).padStart(String(REPOS).length, '0')}.git`);
const events = [];
for (let i = 0; i < EVENTS; i++) {
  const repo = repoPath(i % REPOS);
  const head = git(repo, 'rev-parse', `refs/heads/${git(repo, 'for-each-ref', '--count=1', '--format=%(refname:short)', 'refs/heads')}`);
  const branch = `hook/new-${i}`;
  git(repo, 'update-ref', `refs/heads/${branch}`, head);
  const url = `file://${repo}`;
  const body = JSON.stringify({ ref: branch, ref_type: 'branch', master_branch: 'main', pusher_type: 'user', repository: { full_name: `bench/${path.basename(repo, '.git')}`, clone_url: url, html_url: url }, sender: { login: 'bench' } });
  events.push({ branch, body });
}

// 4. serve, then the burst
const serve = await startProcess(['serve', '--port', '0', '--jenkins-url', standin.url, '--no-push'], defs, { JOBSMITH_WEBHOOK_SECRET: SECRET });
const sent = new Map();
await Promise.all(
  events.map(async (e) => {
    const sig = signatureFor('github', SECRET, e.body);
    const t = Date.now();
    const res = await fetch(`${serve.url}/hooks/github`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'create', [sig.name]: sig.value }, body: e.body });
    const j = await res.json();
    if (res.status !== 202 || j.status !== 'queued') throw new Error(`event answered ${res.status} ${JSON.stringify(j)}`);
    sent.set(j.id, t);
  }),
);

// 5. wait for every outcome
let records = [];
const deadline = Date.now() + 600_000;
for (;;) {
  records = (await (await fetch(`${serve.url}/hooks/status`)).json()).events.filter((r) => sent.has(r.id));
  if (records.length === sent.size && records.every((r) => r.status === 'done' || r.status === 'failed')) break;
  if (Date.now() > deadline) throw new Error('events not done after 10 minutes');
  await new Promise((r) => setTimeout(r, 50));
}
const failed = records.filter((r) => r.status === 'failed');
const toJob = records.filter((r) => r.syncedAt).map((r) => Date.parse(r.syncedAt) - sent.get(r.id));
const toBuild = records.filter((r) => r.firstBuildAt).map((r) => Date.parse(r.firstBuildAt) - sent.get(r.id));
const batches = new Set(records.map((r) => r.batch));
const created = new Set(records.flatMap((r) => r.created ?? []));
const line = (what, xs) => `${what.padEnd(22)} p50 ${String(pct(xs, 50)).padStart(6)} ms  p99 ${String(pct(xs, 99)).padStart(6)} ms  max ${String(Math.max(...xs)).padStart(6)} ms  (${xs.length} events)`;
console.log(`${REPOS} repositories x ${BRANCHES} branches, a burst of ${EVENTS} create events: ${batches.size} sync(s), ${created.size} jobs created, ${failed.length} failed`);
console.log(line('event -> job', toJob));
console.log(line('event -> first build', toBuild));
if (failed.length) console.log(`failures: ${failed.map((r) => r.message).slice(0, 3).join(' | ')}`);
serve.child.kill('SIGINT');
standin.child.kill('SIGINT');
process.exitCode = failed.length || created.size !== EVENTS ? 1 : 0;
