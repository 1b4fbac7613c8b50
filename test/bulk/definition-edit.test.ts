import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renameTokenInTemplate, renameTokenInYaml, setTokenInYaml } from '../../src/bulk/definition-edit.js';
import { loadWorkspace } from '../../src/load/workspace.js';
import { renderWorkspace } from '../../src/render/render-workspace.js';
import { repoRoot, runCli } from '../helpers/cli.js';

const DEFS = `# Defaults for everyone.
tokens:
  # the Maven installation
  MVN.VERSION: maven-3.9.6   # keep in step with the agents
  BUILD.KEEP: '30'

# trailing comment
`;

describe('YAML edits keep comments and formatting', () => {
  it('setTokenInYaml changes only the value', () => {
    const out = setTokenInYaml('d.yaml', DEFS, 'MVN.VERSION', 'maven-3.9.9');
    expect(out).toBe(DEFS.replace('maven-3.9.6', 'maven-3.9.9'));
    expect(setTokenInYaml('d.yaml', DEFS, 'MVN.VERSION', 'maven-3.9.6')).toBe(DEFS);
    const added = setTokenInYaml('d.yaml', DEFS, 'NEW.TOKEN', '007');
    expect(added).toContain("  NEW.TOKEN: \"007\"");
    expect(added).toContain('# the Maven installation');
    expect(added).toContain('# trailing comment');
    expect(setTokenInYaml('e.yaml', '', 'A.B', 'x')).toBe('tokens:\n  A.B: x\n');
  });

  it('renameTokenInYaml renames keys in all tokens maps', () => {
    const def = `templates:\n  - CI-build-trunk\n  - template: RC-build-branch\n    tokens:\n      BUILD.FARM: windows # per job\ntokens:\n  BUILD.FARM: linux\n`;
    const r = renameTokenInYaml('p.yaml', def, 'BUILD.FARM', 'BUILD.LABEL');
    expect(r.count).toBe(2);
    expect(r.text).toBe(def.replaceAll('BUILD.FARM', 'BUILD.LABEL'));
    expect(() => renameTokenInYaml('p.yaml', 'tokens:\n  A.B: 1\n  A.C: 2\n', 'A.B', 'A.C')).toThrow(/both A.B and A.C/);
  });

  it('renameTokenInTemplate respects token boundaries and $$ escapes', () => {
    const t = '<a>$SCM.PATH/trunk ${SCM.PATH} $SCM.PATHX $SCM.PATH.SUB $$SCM.PATH</a>';
    const r = renameTokenInTemplate(t, 'SCM.PATH', 'SVN.URL');
    expect(r.text).toBe('<a>$SVN.URL/trunk ${SVN.URL} $SCM.PATHX $SCM.PATH.SUB $$SCM.PATH</a>');
    expect(r.count).toBe(2);
  });
});

describe('set-default and rename-token (CLI, real git repository)', () => {
  let repo: string;
  beforeEach(async () => {
    repo = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-defs-edit-'));
    cpSync(path.join(repoRoot, 'job-templates'), path.join(repo, 'job-templates'), { recursive: true });
    cpSync(path.join(repoRoot, 'jobs'), path.join(repo, 'jobs'), { recursive: true });
    const g = simpleGit(repo);
    await g.init();
    await g.addConfig('user.email', 't@example.com').addConfig('user.name', 'test');
    await g.add('.').commit('v1');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  const render = async (): Promise<Map<string, string>> => {
    const loaded = await loadWorkspace({ templatesDir: path.join(repo, 'job-templates'), jobsDir: path.join(repo, 'jobs') });
    const r = renderWorkspace(loaded.workspace);
    expect([...loaded.diagnostics, ...r.diagnostics].filter((d) => d.severity === 'error')).toEqual([]);
    return new Map(r.desired.jobs.map((j) => [j.fullName, j.config]));
  };

  it('set-default edits _defaults.yaml (comments kept) and commits; every job using it changes', async () => {
    const before = await render();
    const defaults = readFileSync(path.join(repo, 'jobs/_defaults.yaml'), 'utf8');
    const r = await runCli(['set-default', 'MVN.VERSION', 'maven-3.9.9'], { cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/committed [0-9a-f]{12}/);
    expect(readFileSync(path.join(repo, 'jobs/_defaults.yaml'), 'utf8')).toBe(defaults.replace(/MVN\.VERSION: \S+/, 'MVN.VERSION: maven-3.9.9'));
    const log = await simpleGit(repo).log();
    expect(log.latest!.message).toBe('jobsmith set-default MVN.VERSION=maven-3.9.9 (default for all projects)');
    const after = await render();
    const changed = [...after].filter(([n, c]) => before.get(n) !== c).map(([n]) => n);
    expect(changed.length).toBeGreaterThan(0);
    for (const n of changed) expect(after.get(n)).toContain('maven-3.9.9');
  });

  it('set-default --where sets the token in matching projects only', async () => {
    const r = await runCli(['set-default', 'BUILD.FARM', 'linux', '--where', 'folder=finance'], { cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(repo, 'jobs/billing.yaml'), 'utf8')).toContain('BUILD.FARM: linux\n');
    expect(readFileSync(path.join(repo, 'jobs/payments.yaml'), 'utf8')).toContain('BUILD.FARM: linux-build-farm');
  });

  it('a value the template does not allow: diagnostics, nothing written or committed', async () => {
    const defaults = readFileSync(path.join(repo, 'jobs/_defaults.yaml'), 'utf8');
    const r = await runCli(['set-default', 'BUILD.KEEP', 'lots'], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/BUILD\.KEEP/);
    expect(r.stderr).toContain('nothing was written');
    expect(readFileSync(path.join(repo, 'jobs/_defaults.yaml'), 'utf8')).toBe(defaults);
    expect((await simpleGit(repo).log()).total).toBe(1);
  });

  it('rename-token renames everywhere; the rendered jobs are identical', async () => {
    const before = await render();
    const r = await runCli(['rename-token', 'BUILD.FARM', 'BUILD.LABEL'], { cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    const tpl = readFileSync(path.join(repo, 'job-templates/CI-build-trunk-config.xml'), 'utf8');
    expect(tpl).toContain('$BUILD.LABEL');
    expect(tpl).not.toContain('$BUILD.FARM');
    expect(readFileSync(path.join(repo, 'job-templates/CI-build-trunk.yaml'), 'utf8')).toContain('BUILD.LABEL:');
    expect(await render()).toEqual(before);
    expect((await simpleGit(repo).status()).isClean()).toBe(true);
    expect((await runCli(['rename-token', 'bad', 'BUILD.X'], { cwd: repo })).code).toBe(2);
  });

  it('--dry-run and --no-commit', async () => {
    const d = await runCli(['set-default', 'MVN.VERSION', 'maven-4', '--dry-run'], { cwd: repo });
    expect(d.stdout).toContain('+  MVN.VERSION: maven-4');
    expect((await simpleGit(repo).status()).isClean()).toBe(true);
    const n = await runCli(['set-default', 'MVN.VERSION', 'maven-4', '--no-commit'], { cwd: repo });
    expect(n.code).toBe(0);
    expect((await simpleGit(repo).status()).modified).toEqual(['jobs/_defaults.yaml']);
    writeFileSync(path.join(repo, 'x'), '');
  });
});
