/**
 * Many controllers, attacked (the break-it review of issue 20): one Jenkins under two URLs, a
 * backup copied onto another controller, bootstrap's token bindings, a foldered project moved
 * between controllers, controller names a backup layout uses, bulk's undo hint, blank token
 * variables and the single-Jenkins flags, and messages that must say what is so. Real stand-ins
 * on loopback ports, the built CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startStandin, type Standin } from '../../src/standin/server.js';
import { TEMPLATE } from '../sync/harness.js';
import { git, makeDefinitionsRepo } from '../form/git-fixtures.js';

const TOKENS = { east: 'tok-east-0a1b2c3d4e5f60718293', west: 'tok-west-9f8e7d6c5b4a39281706' };
const ENV = { EAST_TOK: TOKENS.east, WEST_TOK: TOKENS.west };
let root: string;
const standins: Standin[] = [];
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'jobsmith-ctl-break-'));
});
afterAll(async () => {
  for (const s of standins) await s.close();
  await rm(root, { recursive: true, force: true });
});

const homes = new Map<Standin, string>();
async function standin(home: string): Promise<Standin> {
  const s = await startStandin({ home: path.join(root, home), users: [{ name: 'ci-bot', token: TOKENS.east }, { name: 'ci-bot2', token: TOKENS.west }] });
  standins.push(s);
  homes.set(s, path.join(root, home));
  return s;
}

/** A definitions directory with jobsmith.yaml and projects (name -> extra YAML lines). */
async function workspace(name: string, config: string, projects: Record<string, string>): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'job-templates'), { recursive: true });
  await mkdir(path.join(dir, 'jobs'), { recursive: true });
  await writeFile(path.join(dir, 'job-templates', 'CI-build-trunk-config.xml'), TEMPLATE);
  await writeFile(path.join(dir, 'jobsmith.yaml'), config);
  for (const [p, extra] of Object.entries(projects)) await project(dir, p, extra);
  return dir;
}
const project = (dir: string, name: string, extra: string) => writeFile(path.join(dir, 'jobs', `${name}.yaml`), `${extra}templates: [CI-build-trunk]\ntokens:\n  SCM.PATH: https://svn.example.com/${name}\n`);
const deleteJob = (s: Standin, name: string) => fetch(`${s.url}/job/${name}/doDelete`, { method: 'POST', redirect: 'manual', headers: { authorization: `Basic ${Buffer.from(`ci-bot:${TOKENS.east}`).toString('base64')}` } });
const jobsOf = (s: Standin, folder = ''): string[] => {
  const d = path.join(homes.get(s)!, folder ? `jobs/${folder.split('/').join('/jobs/')}/jobs` : 'jobs');
  return existsSync(d) ? readdirSync(d).sort() : [];
};

describe('one Jenkins under two URLs', () => {
  it('two controllers answering the same X-Jenkins-Session are refused before any change (exit 1, naming both)', async () => {
    const j = await standin('same-home');
    const port = new URL(j.url).port;
    const dir = await workspace(
      'same',
      `controllers:\n  east: { url: "http://127.0.0.1:${port}/", user: ci-bot, token-env: EAST_TOK }\n  west: { url: "http://localhost:${port}/", user: ci-bot, token-env: EAST_TOK }\ndefault-controller: east\n`,
      { pay: '', bill: 'controller: west\n' },
    );
    const r = await runCli(['sync'], { cwd: dir, env: ENV });
    expect(r.stderr).toContain('controllers east and west are the same Jenkins (both answered X-Jenkins-Session ');
    expect(r.stderr).toContain('nothing was changed on any controller');
    expect(r.code).toBe(1);
    expect(jobsOf(j)).toEqual([]);
    // jobs made while it was one controller survive: a sync that would delete them as "moved" is refused too
    await writeFile(path.join(dir, 'jobsmith.yaml'), `controllers:\n  east: { url: "http://127.0.0.1:${port}/", user: ci-bot, token-env: EAST_TOK }\ndefault-controller: east\n`);
    await project(dir, 'bill', '');
    expect((await runCli(['sync'], { cwd: dir, env: ENV })).code).toBe(0);
    expect(jobsOf(j)).toEqual(['bill-CI-build-trunk', 'pay-CI-build-trunk']);
    await writeFile(path.join(dir, 'jobsmith.yaml'), `controllers:\n  east: { url: "http://127.0.0.1:${port}/", user: ci-bot, token-env: EAST_TOK }\n  west: { url: "http://localhost:${port}", user: ci-bot, token-env: EAST_TOK }\ndefault-controller: east\n`);
    await project(dir, 'bill', 'controller: west\n');
    const again = await runCli(['sync', '--allow-mass-delete'], { cwd: dir, env: ENV });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('controllers east and west are the same Jenkins');
    expect(jobsOf(j)).toEqual(['bill-CI-build-trunk', 'pay-CI-build-trunk']);
    // two stand-ins are two Jenkins: each its own session, the same definitions sync fine
    const k = await standin('other-home');
    await writeFile(path.join(dir, 'jobsmith.yaml'), `controllers:\n  east: { url: "http://127.0.0.1:${port}/", user: ci-bot, token-env: EAST_TOK }\n  west: { url: "${k.url}/", user: ci-bot, token-env: EAST_TOK }\ndefault-controller: east\n`);
    const two = await runCli(['sync', '--allow-mass-delete'], { cwd: dir, env: ENV });
    expect(two.stderr).not.toContain('same Jenkins');
    expect(two.code).toBe(0);
    expect(jobsOf(k)).toEqual(['bill-CI-build-trunk']);
  });
});

const two = (east: Standin, west: Standin, names = ['east', 'west']) =>
  `controllers:\n  ${names[0]}: { url: "${east.url}/", user: ci-bot, token-env: EAST_TOK }\n  ${names[1]}: { url: "${west.url}/", user: ci-bot2, token-env: WEST_TOK }\ndefault-controller: ${names[0]}\n`;

describe('a backup of one controller restored onto another', () => {
  it('is written as an unmanaged copy: the next sync neither deletes it nor calls it moved', async () => {
    const east = await standin('copy-east');
    const staging = await standin('copy-staging');
    const dir = await workspace('copy', two(east, staging, ['east', 'staging']), { pay: '', s1: 'controller: staging\n' });
    expect((await runCli(['sync'], { cwd: dir, env: ENV })).code).toBe(0);
    const bk = path.join(root, 'copy-bk');
    expect((await runCli(['backup', '--out', bk, '--controller', 'east'], { cwd: dir, env: ENV })).code).toBe(0);
    const r = await runCli(['restore', path.join(bk, 'east'), '--controller', 'staging', '--apply'], { cwd: dir, env: ENV });
    expect(r.stdout).toContain("a copy of controller east's item: written without jobsmith's marker, unmanaged on staging");
    expect(r.code).toBe(0);
    expect(jobsOf(staging)).toEqual(['pay-CI-build-trunk', 's1-CI-build-trunk']);
    const copy = await readFile(path.join(homes.get(staging)!, 'jobs', 'pay-CI-build-trunk', 'config.xml'), 'utf8');
    expect(copy).toContain('Trunk build of pay');
    expect(copy).not.toContain('jobsmith:v');
    const s = await runCli(['sync'], { cwd: dir, env: ENV });
    expect(s.stdout).not.toContain('moved to controller');
    expect(s.code).toBe(0);
    expect(jobsOf(staging)).toEqual(['pay-CI-build-trunk', 's1-CI-build-trunk']);
    // a controller's own backup restored onto itself stays managed (the marker kept)
    expect((await deleteJob(east, 'pay-CI-build-trunk')).status).toBe(302);
    expect(jobsOf(east)).toEqual([]);
    const own = await runCli(['restore', path.join(bk, 'east'), '--controller', 'east', '--apply'], { cwd: dir, env: ENV });
    expect(own.code).toBe(0);
    expect(own.stdout).not.toContain('a copy of controller');
    expect(await readFile(path.join(homes.get(east)!, 'jobs', 'pay-CI-build-trunk', 'config.xml'), 'utf8')).toContain('jobsmith:v');
  });
});

describe('bootstrap binds each token variable once', () => {
  it('two controllers sharing a token-env with different credentials, or a token-env the master jobs bind already: exit 1, nothing installed', async () => {
    const shared = 'controllers:\n  east: { url: http://east.invalid/, user: bot, token-env: SHARED_TOK }\n  west: { url: http://west.invalid/, user: bot, token-env: SHARED_TOK }\ndefault-controller: east\n';
    const dir = await workspace('boot', shared, {});
    const home = path.join(dir, 'state');
    const base = ['bootstrap', '--embedded', home, '--repo', 'https://git.example.com/defs.git', '--git-credentials', 'g', '--jenkins-credentials', 'j'];
    const r = await runCli([...base, '--controller-credentials', 'east=cred-east', '--controller-credentials', 'west=cred-west'], { cwd: dir });
    expect(r.stderr).toContain('controllers east, west share token-env SHARED_TOK but --controller-credentials gives them different credentials (east=cred-east, west=cred-west)');
    expect(r.code).toBe(1);
    expect(existsSync(path.join(home, 'east', 'jobs'))).toBe(false);
    // the same credential for both: bound once
    const same = await runCli([...base, '--controller-credentials', 'east=cred', '--controller-credentials', 'west=cred'], { cwd: dir });
    expect(same.code).toBe(0);
    const xml = await readFile(path.join(home, 'east', 'jobs', 'jobsmith-sync', 'config.xml'), 'utf8');
    expect(xml.match(/variable: (&apos;|')SHARED_TOK/g)).toHaveLength(1);
    await writeFile(path.join(dir, 'jobsmith.yaml'), 'controllers:\n  east: { url: http://east.invalid/, user: bot, token-env: JENKINS_API_TOKEN }\n  west: { url: http://west.invalid/, user: bot, token-env: WEST_TOK }\ndefault-controller: east\n');
    const taken = await runCli([...base.map((x) => (x === home ? path.join(dir, 'state2') : x)), '--controller-credentials', 'east=cred-east', '--controller-credentials', 'west=cred-west'], { cwd: dir });
    expect(taken.stderr).toContain('controller east: token-env JENKINS_API_TOKEN is the variable the master jobs bind from --jenkins-credentials');
    expect(taken.code).toBe(1);
    expect(existsSync(path.join(dir, 'state2', 'east', 'jobs'))).toBe(false);
  });
});

describe('a project with a folder moved between controllers', () => {
  it('deletes the emptied folder after the moved jobs, in the same run: exit 0, nothing left behind', async () => {
    const east = await standin('fold-east');
    const west = await standin('fold-west');
    const dir = await workspace('fold', two(east, west), { bill: 'folder: finance\n', pay: '' });
    expect((await runCli(['sync'], { cwd: dir, env: ENV })).code).toBe(0);
    expect(jobsOf(east, 'finance')).toEqual(['bill-CI-build-trunk']);
    await project(dir, 'bill', 'folder: finance\ncontroller: west\n');
    const plan = await runCli(['plan'], { cwd: dir, env: ENV });
    expect(plan.stdout).toMatch(/delete\s+folder finance .*done after the moved jobs in it are deleted/);
    const r = await runCli(['sync'], { cwd: dir, env: ENV });
    expect(r.stderr).not.toContain('made since');
    expect(r.code).toBe(0);
    expect(jobsOf(east)).toEqual(['pay-CI-build-trunk']);
    expect(jobsOf(west, 'finance')).toEqual(['bill-CI-build-trunk']);
  });
});

describe('controller names a backup layout uses', () => {
  it('jobs, views and job-templates are refused in the config file (located, exit 1) before anything is done', async () => {
    const dir = await workspace('reserved', 'controllers:\n  jobs: { url: http://a.invalid/ }\n  Views: { url: http://b.invalid/ }\n  job-templates: { url: http://c.invalid/ }\n  west: { url: http://d.invalid/ }\ndefault-controller: west\n', { pay: 'controller: west\n' });
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('jobsmith.yaml:2:3: error: controller name "jobs" is taken');
    expect(r.stderr).toContain('jobsmith.yaml:3:3: error: controller name "Views" is taken');
    expect(r.stderr).toContain('jobsmith.yaml:4:3: error: controller name "job-templates" is taken');
    const b = await runCli(['backup', '--out', path.join(dir, 'bk'), '--embedded', path.join(dir, 'st')], { cwd: dir });
    expect(b.code).toBe(1);
    expect(existsSync(path.join(dir, 'bk'))).toBe(false);
  });
});

describe("bulk's undo over controllers", () => {
  it('prints an undo command that works; a backup directory that is one bulk backup is undone on one controller', async () => {
    const east = await standin('bulk-east');
    const west = await standin('bulk-west');
    const dir = await workspace('bulk', two(east, west), { pay: '', web: 'controller: west\n' });
    expect((await runCli(['sync'], { cwd: dir, env: ENV })).code).toBe(0);
    const bk = path.join(root, 'bulk-bk');
    const label = (s: Standin, job: string) => readFile(path.join(homes.get(s)!, 'jobs', job, 'config.xml'), 'utf8');
    expect(await label(east, 'pay-CI-build-trunk')).toContain('<canRoam>true<');
    const edit = ['bulk', '--match', '*-CI-build-trunk', '--set', 'canRoam=false', '--force', '--apply', '--backup-dir', bk];
    const r = await runCli(edit, { cwd: dir, env: ENV });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`undo with: jobsmith bulk --undo ${bk} --controller east`);
    expect(r.stdout).toContain(`undo with: jobsmith bulk --undo ${bk} --controller west`);
    expect(await label(east, 'pay-CI-build-trunk')).toContain('<canRoam>false<');
    // exactly the hint: east only
    const u = await runCli(['bulk', '--undo', bk, '--controller', 'east'], { cwd: dir, env: ENV });
    expect(u.code).toBe(0);
    expect(await label(east, 'pay-CI-build-trunk')).toContain('<canRoam>true<');
    expect(await label(west, 'web-CI-build-trunk')).toContain('<canRoam>false<');
    // BACKUP-DIR/west named directly: it is west's bulk backup, undone on west
    const w = await runCli(['bulk', '--undo', path.join(bk, 'west')], { cwd: dir, env: ENV });
    expect(w.stdout).toContain('== controller west ==');
    expect(w.code).toBe(0);
    expect(await label(west, 'web-CI-build-trunk')).toContain('<canRoam>true<');
    // a bulk backup made before controllers: (no DIR/<name>) is undone on the controller named, else the default one
    await writeFile(path.join(root, 'single.yaml'), `jenkins: { url: "${east.url}/", user: ci-bot }\n`);
    const old = path.join(root, 'bulk-old');
    const single = await runCli([...edit.slice(0, -1), old, '--config', path.join(root, 'single.yaml')], { cwd: root, env: { JENKINS_API_TOKEN: TOKENS.east } });
    expect(single.code).toBe(0);
    expect(single.stdout).toContain(`undo with: jobsmith bulk --undo ${old}\n`);
    const o = await runCli(['bulk', '--undo', old], { cwd: dir, env: ENV });
    expect(o.stdout).toContain('== controller east ==');
    expect(o.code).toBe(0);
    expect(await label(east, 'pay-CI-build-trunk')).toContain('<canRoam>true<');
    const both = await runCli(['bulk', '--undo', old, '--controller', 'east', '--controller', 'west'], { cwd: dir, env: ENV });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('is one bulk backup: undo it on one controller');
  });
});

describe('the token of a controller', () => {
  it('a blank token-env variable is unset (exit 1, no request); --user and --token-file are usage errors like --jenkins-url', async () => {
    const east = await standin('tok-east');
    const west = await standin('tok-west');
    const dir = await workspace('tok', two(east, west), { pay: '' });
    east.resetCounts();
    const blank = await runCli(['plan'], { cwd: dir, env: { ...ENV, EAST_TOK: '   ' } });
    expect(blank.stderr).toContain('controller east: the environment variable EAST_TOK (token-env) is blank');
    expect(blank.code).toBe(1);
    expect(Object.keys(east.requestCounts())).toEqual([]);
    for (const flags of [['--user', 'bob'], ['--token-file', '/nonexistent/token']]) {
      const r = await runCli(['plan', ...flags], { cwd: dir, env: ENV });
      expect(r.stderr).toContain(`${flags[0]} cannot be used with the controllers of jobsmith.yaml`);
      expect(r.code).toBe(2);
    }
  });
});

describe('messages that say what is so', () => {
  it('a one-Jenkins saved plan where controllers are configured; controller: ~ and controller: ""', async () => {
    const east = await standin('msg-east');
    const west = await standin('msg-west');
    const dir = await workspace('msg', two(east, west), { pay: '' });
    await writeFile(path.join(dir, 'single.yaml'), `jenkins: { url: "${east.url}/", user: ci-bot }\n`);
    expect((await runCli(['plan', '--config', 'single.yaml', '--out', 'single.plan'], { cwd: dir, env: { JENKINS_API_TOKEN: TOKENS.east } })).code).toBe(0);
    await project(dir, 'web', 'controller: west\n');
    const r = await runCli(['apply', 'single.plan'], { cwd: dir, env: ENV });
    expect(r.stderr).toContain('single.plan is a plan for one Jenkins (made without `controllers:`), but jobsmith.yaml configures controllers (east, west)');
    expect(r.stderr).not.toContain('no controllers are configured');
    expect(r.code).toBe(1);
    expect(jobsOf(east)).toEqual([]);
    await project(dir, 'web', 'controller: ~\n');
    await project(dir, 'pay', 'controller: ""\n');
    const v = await runCli(['validate'], { cwd: dir });
    expect(v.code).toBe(1);
    expect(v.stderr).toContain('jobs/web.yaml:1:13: error: controller is empty: name a controller or a list of them');
    expect(v.stderr).toContain('jobs/pay.yaml:1:13: error: controller is empty: name a controller or a list of them');
    expect(v.stderr).not.toContain('unknown controller "~"');
    expect(v.stderr).not.toContain('must be a list');
  });
});

describe('messages of a move between controllers that say what is so', () => {
  it("a stale checkout's held delete says the project goes to another controller, not that it left the definitions", async () => {
    const east = await standin('stale-east');
    const west = await standin('stale-west');
    const def = (extra: string) => `${extra}templates: [CI-build-trunk]\ntokens:\n  SCM.PATH: https://svn.example.com/pay\n`;
    const repo = makeDefinitionsRepo({ 'jobsmith.yaml': two(east, west), 'job-templates/CI-build-trunk-config.xml': TEMPLATE, 'jobs/pay.yaml': def(''), 'jobs/stays.yaml': def('').replace('/pay', '/stays') });
    try {
      expect((await runCli(['sync'], { cwd: repo.work, env: ENV })).code).toBe(0);
      expect(jobsOf(east)).toEqual(['pay-CI-build-trunk', 'stays-CI-build-trunk']);
      // another checkout moves pay to west and syncs; this one is not pulled
      const other = repo.clone('stale-other');
      await writeFile(path.join(other, 'jobs', 'pay.yaml'), def('controller: west\n'));
      git(other, 'commit', '--quiet', '-am', 'pay to west');
      git(other, 'push', '--quiet', 'origin', 'main');
      expect((await runCli(['sync'], { cwd: other, env: ENV })).code).toBe(0);
      expect(jobsOf(west)).toEqual(['pay-CI-build-trunk']);
      expect(jobsOf(east)).toEqual(['stays-CI-build-trunk']);
      git(repo.work, 'fetch', '--quiet');
      const j = await runCli(['plan', '--json'], { cwd: repo.work, env: ENV });
      const out = JSON.parse(j.stdout) as { controllers: { controller: string; plan: { changes: { fullName: string; kind: string; code: string; params: Record<string, unknown> }[] } }[] };
      const held = out.controllers.find((c) => c.controller === 'west')!.plan.changes.find((c) => c.fullName === 'pay-CI-build-trunk')!;
      expect([held.kind, held.code, held.params.action]).toEqual(['keep', 'held', 'delete']);
      expect(held.params.cause).toEqual({ code: 'moved-to-controller', params: { controller: 'east', cause: { code: 'project-removed', params: { project: 'pay' } } } });
      const r = await runCli(['sync'], { cwd: repo.work, env: ENV });
      expect(r.stdout).toContain('keep      pay-CI-build-trunk  (not deleted: the definitions are not current (would: project pay moved to controller east; its build history stays on controller west))');
      expect(r.stdout).toContain('deletions held: the definitions are behind origin/main by 1 commit');
      expect(r.stdout).not.toContain('no longer in the definitions');
      expect(jobsOf(west)).toEqual(['pay-CI-build-trunk']);
    } finally {
      repo.cleanup();
    }
  });

  it('a plan set without a plan for a controller says so when applied, not that --controller left it out', async () => {
    const east = await standin('set-east');
    const west = await standin('set-west');
    const dir = await workspace('set', two(east, west), { pay: '', stays: '' });
    expect((await runCli(['sync'], { cwd: dir, env: ENV })).code).toBe(0);
    await project(dir, 'pay', 'controller: west\n');
    expect((await runCli(['plan', '--out', 'set.plan'], { cwd: dir, env: ENV })).code).toBe(0);
    // the plan of west taken out of the set: east's delete waits for a create no plan of the set makes
    const set = JSON.parse(await readFile(path.join(dir, 'set.plan'), 'utf8')) as { plans: { controller: string }[] };
    set.plans = set.plans.filter((p) => p.controller !== 'west');
    await writeFile(path.join(dir, 'east.plan'), JSON.stringify(set));
    const r = await runCli(['apply', 'east.plan'], { cwd: dir, env: ENV });
    expect(r.stderr).toContain('project pay moved to controller west; kept here: the plan set has no plan for controller west');
    expect(r.stdout + r.stderr).not.toContain('(--controller)');
    expect(r.code).toBe(1);
    expect(jobsOf(east)).toEqual(['pay-CI-build-trunk', 'stays-CI-build-trunk']);
    expect(jobsOf(west)).toEqual([]);
    // with --controller the words stay those of --controller
    const p = await runCli(['plan', '--controller', 'east', '--verbose'], { cwd: dir, env: ENV });
    expect(p.stdout).toContain('kept here: controller west is not part of this run (--controller)');
  });
});
