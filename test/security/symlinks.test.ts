/**
 * Symbolic links out of the definitions are refused (issue 16): templates, sidecars, definitions,
 * the templates and jobs directories (or a directory above them) and jobsmith.yaml that resolve
 * outside the definitions root give a located error, in every command that loads them (validate,
 * list, templates, show, render, plan, sync, restore, set-default, rename-token, the form), and
 * nothing of the outside file is printed, pushed or written. Links that stay inside are fine.
 *
 * Each test builds a sandbox: `defs/` (a copy of the repository's definitions, the working
 * directory) and `outside/` beside it, holding a file with a marker that must never show up.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderChecker } from '../../src/form/render-checker.js';
import { loadWorkspace } from '../../src/load/workspace.js';
import { repoRoot, runCli } from '../helpers/cli.js';

const MARKER = 'OUTSIDE-SECRET-7c1e';
let box: string;
let defs: string;
let outside: string;
const cli = (args: string[], cwd = defs) => runCli(args, { cwd, env: { JENKINS_URL: '', JENKINS_USER: '', JENKINS_API_TOKEN: '' } });

beforeEach(() => {
  box = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-symlinks-'));
  defs = path.join(box, 'defs');
  outside = path.join(box, 'outside');
  mkdirSync(defs);
  mkdirSync(outside);
  cpSync(path.join(repoRoot, 'job-templates'), path.join(defs, 'job-templates'), { recursive: true });
  cpSync(path.join(repoRoot, 'jobs'), path.join(defs, 'jobs'), { recursive: true });
  writeFileSync(path.join(outside, 'Sec-config.xml'), `<project><description>${MARKER} $JOB.NAME</description></project>\n`);
  writeFileSync(path.join(outside, 'Sec.yaml'), `description: ${MARKER}\n`);
  writeFileSync(path.join(outside, 'evil.yaml'), `templates: [CI-build-trunk]\ntokens:\n  POM.ARTIFACTID: ${MARKER}\n`);
});
afterEach(() => rmSync(box, { recursive: true, force: true }));

const link = (target: string, at: string) => symlinkSync(target, path.join(defs, at));
const located = (file: string, target: string) => `${file}: error: a symbolic link resolving to ${target}, outside the definitions (.): refused`;

describe('loading refuses links out of the definitions, in every command', () => {
  it('a template linked outside: validate, list, templates, show, render, plan all exit 1 with the located error; nothing of it is shown or written', async () => {
    link('../../outside/Sec-config.xml', 'job-templates/Sec-config.xml');
    writeFileSync(path.join(defs, 'jobs/sec.yaml'), 'templates: [Sec]\n');
    for (const args of [['validate'], ['list'], ['templates'], ['show', 'sec-Sec'], ['render', '--out', 'out'], ['plan', '--embedded', path.join(box, 'home')], ['sync', '--embedded', path.join(box, 'home')]]) {
      const r = await cli(args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain(located('job-templates/Sec-config.xml', path.join(outside, 'Sec-config.xml')));
      expect(r.stdout + r.stderr).not.toContain(MARKER);
    }
    expect(existsSync(path.join(defs, 'out'))).toBe(false);
    // Nothing reached the stand-in either.
    expect(existsSync(path.join(box, 'home/jobs/sec-Sec'))).toBe(false);
  });

  it('a sidecar and a definition linked outside are refused, each located', async () => {
    rmSync(path.join(defs, 'job-templates/CI-build-trunk.yaml'));
    link('../../outside/Sec.yaml', 'job-templates/CI-build-trunk.yaml');
    link('../../outside/evil.yaml', 'jobs/evil.yaml');
    const r = await cli(['validate', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { diagnostics: Array<{ file: string; code: string; severity: string }> };
    expect(out.diagnostics.filter((d) => d.code === 'outside-definitions').map((d) => d.file)).toEqual(['job-templates/CI-build-trunk.yaml', 'jobs/evil.yaml']);
    expect(r.stdout).not.toContain(MARKER);
  });

  it('the jobs directory linked outside, or a directory above the templates: refused', async () => {
    cpSync(path.join(defs, 'jobs'), path.join(outside, 'jobs'), { recursive: true });
    rmSync(path.join(defs, 'jobs'), { recursive: true });
    link('../outside/jobs', 'jobs');
    const r = await cli(['validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`jobs: error: the jobs directory, resolving to ${path.join(outside, 'jobs')}, outside the definitions (.): refused`);

    // --templates sub/job-templates where sub/ is a link out: the directory above is followed too.
    rmSync(path.join(defs, 'jobs'));
    cpSync(path.join(repoRoot, 'jobs'), path.join(defs, 'jobs'), { recursive: true });
    mkdirSync(path.join(outside, 'sub'));
    cpSync(path.join(repoRoot, 'job-templates'), path.join(outside, 'sub/job-templates'), { recursive: true });
    link('../outside/sub', 'sub');
    const t = await cli(['validate', '--templates', 'sub/job-templates']);
    expect(t.code).toBe(1);
    expect(t.stderr).toContain(`sub/job-templates: error: the templates directory, resolving to ${path.join(outside, 'sub/job-templates')}, outside the definitions (.): refused`);
  });

  it('links that stay inside the definitions are fine', async () => {
    mkdirSync(path.join(defs, 'shared'));
    writeFileSync(path.join(defs, 'shared/extra.yaml'), 'templates: [CI-build-trunk]\ntokens:\n  POM.ARTIFACTID: extra\n  SCM.PATH: https://svn.example.com/extra\n  BUILD.FARM: linux\n  NOTIFY.EMAIL: a@example.com\n');
    link('../shared/extra.yaml', 'jobs/extra.yaml');
    const r = await cli(['validate']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ok: /);
  });

  it('the library refuses the same (loadWorkspace), and the form\'s catalog reports it', async () => {
    link('../../outside/Sec-config.xml', 'job-templates/Sec-config.xml');
    const dirs = { templatesDir: path.join(defs, 'job-templates'), jobsDir: path.join(defs, 'jobs') };
    const loaded = await loadWorkspace(dirs);
    expect(loaded.workspace.templates.has('Sec')).toBe(false);
    expect(loaded.diagnostics.find((d) => d.code === 'outside-definitions')?.file).toBe(path.join(defs, 'job-templates/Sec-config.xml'));
    const catalog = await renderChecker(dirs).catalog();
    expect(catalog.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['outside-definitions']);
    expect(JSON.stringify(catalog.value)).not.toContain(MARKER);
  });

  it('a check with an overlay (the form validating a new project) still refuses the links around it', async () => {
    link('../../outside/evil.yaml', 'jobs/evil.yaml');
    const dirs = { templatesDir: path.join(defs, 'job-templates'), jobsDir: path.join(defs, 'jobs') };
    const r = await renderChecker(dirs).check('new', { file: path.join(defs, 'jobs/new.yaml'), text: 'templates: [Pipeline-git]\ntokens:\n  GIT.URL: https://g/x.git\n  GIT.CREDENTIALS: c\n' });
    expect(r.diagnostics.find((d) => d.code === 'outside-definitions')?.file).toBe(path.join(defs, 'jobs/evil.yaml'));
  });

  it('jobsmith.yaml linked outside the working directory is refused (exit 1, located)', async () => {
    writeFileSync(path.join(outside, 'jobsmith.yaml'), `jenkins:\n  url: http://127.0.0.1:1/\n  user: ${MARKER}\n`);
    link('../outside/jobsmith.yaml', 'jobsmith.yaml');
    const r = await cli(['plan']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`jobsmith.yaml: error: the config file resolves to ${path.join(outside, 'jobsmith.yaml')}, outside ${defs}: a symbolic link out of it is refused`);
    expect(r.stdout + r.stderr).not.toContain(MARKER);
  });

  it('restore from a git revision whose tree holds a link out of the definitions: exit 1, nothing restored', async () => {
    link(path.join(outside, 'evil.yaml'), 'jobs/evil.yaml'); // absolute: it points out of the extracted tree too
    const git = (...a: string[]) => execFileSync('git', a, { cwd: defs, env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@x' } });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'defs');
    const r = await runCli(['restore', defs, '--revision', 'HEAD', '--embedded', path.join(box, 'home'), '--apply'], { cwd: box });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('jobs/evil.yaml: error: a symbolic link resolving to');
    expect(r.stdout + r.stderr).not.toContain(MARKER);
    expect(existsSync(path.join(box, 'home/jobs')) ? readdirSync(path.join(box, 'home/jobs')) : []).toEqual([]);
  });
});

describe('definition edits never read or write through a link out', () => {
  it('set-default --where: a definition linked outside is refused before anything is shown', async () => {
    link('../../outside/evil.yaml', 'jobs/evil.yaml');
    for (const extra of [[], ['--dry-run']]) {
      const r = await cli(['set-default', 'MVN.VERSION', 'maven-4', '--where', 'project=*', '--no-commit', ...extra]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: ${path.join('jobs', 'evil.yaml')} resolves to ${path.join(outside, 'evil.yaml')}, outside the definitions`);
      expect(r.stdout + r.stderr).not.toContain(MARKER);
    }
    expect(readFileSync(path.join(outside, 'evil.yaml'), 'utf8')).not.toContain('maven-4');
  });

  it('set-default: a dangling _defaults.yaml link is not written through (the target is never created)', async () => {
    rmSync(path.join(defs, 'jobs/_defaults.yaml'));
    link('../../outside/created.yaml', 'jobs/_defaults.yaml');
    for (const extra of [['--dry-run'], []]) {
      const r = await cli(['set-default', 'MVN.VERSION', 'maven-4', '--no-commit', ...extra]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('jobs/_defaults.yaml: error: jobs/_defaults.yaml is a symbolic link to nothing; nothing was written');
    }
    expect(readdirSync(outside)).not.toContain('created.yaml');
  });

  it('rename-token: a template linked outside is refused, the outside file unchanged', async () => {
    writeFileSync(path.join(outside, 'Sec-config.xml'), `<project><description>${MARKER} $MVN.GOALS</description></project>\n`);
    link('../../outside/Sec-config.xml', 'job-templates/Sec-config.xml');
    const r = await cli(['rename-token', 'MVN.GOALS', 'MVN.TARGETS', '--no-commit']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('outside the definitions');
    expect(r.stdout + r.stderr).not.toContain(MARKER);
    expect(readFileSync(path.join(outside, 'Sec-config.xml'), 'utf8')).toContain('$MVN.GOALS');
  });
});
