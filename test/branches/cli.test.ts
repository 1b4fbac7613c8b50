/** `jobsmith plan` / `sync` as whole processes with branch projects (built CLI, --embedded stand-in). */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { branchJobName } from '../../src/branches/branch-job-name.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { GitRemote, removeDir, tempDir } from './fixtures.js';

let root: string;
beforeAll(() => {
  root = tempDir();
});
afterAll(() => removeDir(root));

function workspace(name: string, projects: Record<string, string>): { dir: string; args: string[] } {
  const dir = path.join(root, name);
  fs.mkdirSync(path.join(dir, 'job-templates'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'jobs'));
  for (const f of ['CI-build-branch-config.xml', 'CI-build-branch.yaml']) fs.copyFileSync(path.join(repoRoot, 'job-templates', f), path.join(dir, 'job-templates', f));
  for (const [p, repo] of Object.entries(projects)) {
    fs.writeFileSync(path.join(dir, 'jobs', `${p}.yaml`), `project: ${p}\nbranches:\n  repo: ${repo}\n  templates: [CI-build-branch]\n  keep_days: 0\n`);
  }
  return { dir, args: ['--embedded', path.join(dir, 'home'), '--templates', path.join(dir, 'job-templates'), '--jobs', path.join(dir, 'jobs')] };
}

describe('jobsmith plan / sync with branch projects', () => {
  it('plan shows the branch jobs, sync creates them, a second plan shows nothing', async () => {
    const r = new GitRemote(root, 'cli-ok');
    r.push('main', 'feature/x');
    const w = workspace('ok', { pay: r.url });
    const plan = await runCli(['plan', ...w.args]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(branchJobName('pay-CI-build-branch', 'feature/x'));
    expect(plan.stdout).toContain('new branch feature/x');
    const sync = await runCli(['sync', ...w.args]);
    expect(sync.code).toBe(0);
    const again = await runCli(['plan', '--detailed-exitcode', ...w.args]);
    expect(again.code).toBe(0);
    r.delete('feature/x');
    const gone = await runCli(['sync', ...w.args]);
    expect(gone.code).toBe(0);
    expect(gone.stdout).toContain(branchJobName('pay-CI-build-branch', 'feature/x'));
    expect(fs.existsSync(path.join(w.dir, 'home', 'jobs', branchJobName('pay-CI-build-branch', 'feature/x')))).toBe(false);
    expect(fs.existsSync(path.join(w.dir, 'home', 'jobs', 'pay-CI-build-branch-main'))).toBe(true);
  });

  it('a relative branches.repo (../pay.git) names the repository beside the definitions, whatever the working directory; the jobs check out its absolute path', async () => {
    const w = workspace('relative', { pay: '../pay-rel.git' });
    const r = new GitRemote(w.dir, 'pay-rel');
    r.push('main', 'feature/y');
    // run from somewhere else entirely: the path is the definitions', not the working directory's
    const elsewhere = path.join(root, 'elsewhere', 'deep');
    fs.mkdirSync(elsewhere, { recursive: true });
    const sync = await runCli(['sync', ...w.args], { cwd: elsewhere });
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    const main = fs.readFileSync(path.join(w.dir, 'home', 'jobs', 'pay-CI-build-branch-main', 'config.xml'), 'utf8');
    expect(main).toContain(`<url>${path.join(w.dir, 'pay-rel.git')}</url>`);
    expect(fs.existsSync(path.join(w.dir, 'home', 'jobs', branchJobName('pay-CI-build-branch', 'feature/y')))).toBe(true);
  });

  it('an unreachable remote: exit 3, reported without credentials, nothing torn down, other projects synced', async () => {
    const a = new GitRemote(root, 'cli-lost');
    a.push('main', 'feature/a');
    const b = new GitRemote(root, 'cli-fine');
    b.push('main');
    const w = workspace('lost', { pay: a.url, web: b.url });
    expect((await runCli(['sync', ...w.args])).code).toBe(0);
    // point pay at a remote that refuses, with credentials in the URL
    fs.writeFileSync(
      path.join(w.dir, 'jobs', 'pay.yaml'),
      `project: pay\nbranches:\n  repo: http://alice:s3cret-tok@127.0.0.1:1/pay.git\n  templates: [CI-build-branch]\n  keep_days: 0\n`,
    );
    b.push('feature/new');
    const out = await runCli(['sync', ...w.args]);
    expect(out.code).toBe(3);
    const all = out.stdout + out.stderr;
    expect(all).toContain('pay');
    expect(all).not.toContain('s3cret-tok');
    expect(all).not.toContain('alice');
    const jobs = fs.readdirSync(path.join(w.dir, 'home', 'jobs')).sort();
    expect(jobs).toEqual(
      [branchJobName('pay-CI-build-branch', 'feature/a'), 'pay-CI-build-branch-main', branchJobName('web-CI-build-branch', 'feature/new'), 'web-CI-build-branch-main'].sort(),
    );
    for (const j of ['pay-CI-build-branch-main', branchJobName('pay-CI-build-branch', 'feature/a')]) {
      expect(fs.readFileSync(path.join(w.dir, 'home', 'jobs', j, 'config.xml'), 'utf8')).toContain('<disabled>false</disabled>');
    }
  });
});
