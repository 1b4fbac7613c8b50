import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { SIMPLE_TEMPLATE, tempTree } from '../render/workspace-fixture.js';

const OK = {
  'job-templates/Simple-config.xml': SIMPLE_TEMPLATE,
  'job-templates/Simple.yaml': 'description: A simple job\ntokens:\n  SCM.PATH:\n    description: where\n    example: svn://x\n',
  'jobs/p.yaml': 'folder: team\nview: V\ntemplates: [Simple]\ntokens:\n  DESC.TEXT: "a <b>"\n  SCM.PATH: svn://x\n  CMD.ARGS: go\n',
};
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function tree(files: Record<string, string>) {
  const t = tempTree(files);
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('jobsmith render', () => {
  it('writes the JENKINS_HOME layout and exits 0; re-running rewrites nothing', async () => {
    const cwd = tree(OK);
    const r = await runCli(['render'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('rendered 1 job and 1 folder into out/jobs: 2 written, 0 unchanged, 0 removed\n');
    expect(readFileSync(path.join(cwd, 'out/jobs/team/jobs/p-Simple/config.xml'), 'utf8')).toContain('<description>a &lt;b&gt;</description>');
    expect(existsSync(path.join(cwd, 'out/jobs/team/config.xml'))).toBe(true);
    const again = await runCli(['render', '--json'], { cwd });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, jobs: 1, folders: 1, written: [], unchanged: 2, removed: [], diagnostics: [] });
  });

  it('bad input: exit 1, every diagnostic, and nothing written (not even out/)', async () => {
    const cwd = tree({ ...OK, 'jobs/q.yaml': 'templates: [Simpel]\n', 'jobs/r.yaml': 'templates: [Simple]\ntokens: {SCM.PATH: x, DESC.TEXT: y, CMD.ARGS: z, X.Y: 1}\n' });
    const r = await runCli(['render', '--out', 'o'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('jobs/q.yaml:1:13: error: unknown template "Simpel" (did you mean Simple?)');
    expect(r.stderr).toContain('jobs/r.yaml:2:50: error: no template of project r uses the token X.Y');
    expect(r.stderr).toMatch(/2 errors\nnothing written\n$/);
    expect(existsSync(path.join(cwd, 'o'))).toBe(false);
    const j = await runCli(['render', '--json'], { cwd });
    expect(j.code).toBe(1);
    const parsed = JSON.parse(j.stdout) as { ok: boolean; diagnostics: Array<{ code: string; file: string; line: number; column: number }> };
    expect(parsed.ok).toBe(false);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['unknown-template', 'unused-token']);
    expect(parsed.diagnostics[0]).toMatchObject({ file: 'jobs/q.yaml', line: 1, column: 13, severity: 'error' });
    expect(existsSync(path.join(cwd, 'out'))).toBe(false);
  });

  it('usage errors exit 2', async () => {
    const cwd = tree(OK);
    expect((await runCli(['render', '--bogus'], { cwd })).code).toBe(2);
    expect((await runCli(['show'], { cwd })).code).toBe(2);
  });

  it('a missing directory is bad input', async () => {
    const cwd = tree({});
    const r = await runCli(['validate'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('job-templates: error: cannot read the templates directory job-templates: it does not exist');
  });

  it('--templates/--jobs/--out and --project', async () => {
    const cwd = tree({
      'tpl/Simple-config.xml': SIMPLE_TEMPLATE,
      'defs/a.yaml': 'templates: [Simple]\ntokens: {SCM.PATH: x, DESC.TEXT: y, CMD.ARGS: z}\n',
      'defs/b.yaml': 'templates: [Simple]\ntokens: {SCM.PATH: x, DESC.TEXT: y, CMD.ARGS: z}\n',
    });
    const r = await runCli(['render', '--templates', 'tpl', '--jobs', 'defs', '--out', 'home', '--project', 'b'], { cwd });
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(cwd, 'home/jobs'))).toEqual(['b-Simple']);
  });

  it('--project writes that project and removes nothing of the others; the next full render removes what is gone', async () => {
    const cwd = tree({
      'tpl/Simple-config.xml': SIMPLE_TEMPLATE,
      'defs/a.yaml': 'templates: [Simple]\ntokens: {SCM.PATH: x, DESC.TEXT: y, CMD.ARGS: z}\n',
      'defs/b.yaml': 'templates: [Simple]\ntokens: {SCM.PATH: x, DESC.TEXT: y, CMD.ARGS: z}\n',
    });
    const args = ['render', '--templates', 'tpl', '--jobs', 'defs', '--out', 'home'];
    expect((await runCli(args, { cwd })).stdout).toBe('rendered 2 jobs into home/jobs: 2 written, 0 unchanged, 0 removed\n');
    writeFileSync(path.join(cwd, 'defs/b.yaml'), 'templates: [Simple]\ntokens: {SCM.PATH: x, DESC.TEXT: changed, CMD.ARGS: z}\n');
    const one = await runCli([...args, '--project', 'b'], { cwd });
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toBe('rendered 1 job into home/jobs: 1 written, 0 unchanged, 0 removed\n');
    expect(readdirSync(path.join(cwd, 'home/jobs')).sort()).toEqual(['a-Simple', 'b-Simple']);
    expect(readFileSync(path.join(cwd, 'home/jobs/b-Simple/config.xml'), 'utf8')).toContain('changed');
    // a's file is still render's own: the next full render leaves it unchanged, and removes it once a is gone
    expect((await runCli(args, { cwd })).stdout).toBe('rendered 2 jobs into home/jobs: 0 written, 2 unchanged, 0 removed\n');
    rmSync(path.join(cwd, 'defs/a.yaml'));
    expect((await runCli([...args, '--project', 'b'], { cwd })).stdout).toBe('rendered 1 job into home/jobs: 0 written, 1 unchanged, 0 removed\n');
    expect(existsSync(path.join(cwd, 'home/jobs/a-Simple/config.xml'))).toBe(true);
    expect((await runCli(args, { cwd })).stdout).toBe('rendered 1 job into home/jobs: 0 written, 1 unchanged, 1 removed\n');
    expect(readdirSync(path.join(cwd, 'home/jobs'))).toEqual(['b-Simple']);
  });
});

describe('jobsmith validate / list / templates / show', () => {
  it('validate prints ok and writes nothing', async () => {
    const cwd = tree(OK);
    const r = await runCli(['validate'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ok: 1 templates, 1 projects, 1 jobs\n');
    expect(existsSync(path.join(cwd, 'out'))).toBe(false);
    const j = JSON.parse((await runCli(['validate', '--json'], { cwd })).stdout);
    expect(j).toEqual({ ok: true, jobs: 1, projects: 1, templates: 1, views: 0, diagnostics: [] });
  });

  it('validate exits 1 with warnings and errors listed; warnings alone exit 0', async () => {
    const cwd = tree({ ...OK, 'job-templates/Odd-config.xml': '<odd/>' });
    const r = await runCli(['validate'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('job-templates/Odd-config.xml:1: warning: root element <odd>');
    const bad = tree({ ...OK, 'jobs/p.yaml': 'templates: [Simple]\n' });
    const b = await runCli(['validate'], { cwd: bad });
    expect(b.code).toBe(1);
    expect(b.stderr.match(/error: no value for token/g)).toHaveLength(3);
  });

  it('list shows each job, template and project (text and JSON)', async () => {
    const cwd = tree(OK);
    const r = await runCli(['list'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('team/p-Simple  Simple    p\n');
    const j = JSON.parse((await runCli(['list', '--json'], { cwd })).stdout);
    expect(j.jobs).toEqual([expect.objectContaining({ fullName: 'team/p-Simple', folder: ['team'], template: 'Simple', project: 'p', view: 'V', rootElement: 'project' })]);
    expect(j.views).toEqual([{ name: 'V', folder: ['team'], jobs: ['team/p-Simple'] }]);
  });

  it('templates lists tokens with positions and sidecar docs', async () => {
    const cwd = tree(OK);
    const r = await runCli(['templates'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Simple  (job-templates/Simple-config.xml, <project>)\n  A simple job\n');
    expect(r.stdout).toContain('  $SCM.PATH  [4:49]  where\n');
    const j = JSON.parse((await runCli(['templates', '--json'], { cwd })).stdout);
    expect(j.templates[0].tokens.find((t: { name: string }) => t.name === 'SCM.PATH')).toEqual({
      name: 'SCM.PATH',
      builtin: false,
      description: 'where',
      example: 'svn://x',
      occurrences: [{ line: 4, column: 49, context: 'attribute' }],
    });
  });

  it('show prints one config; an unknown job exits 1 with a hint', async () => {
    const cwd = tree(OK);
    const r = await runCli(['show', 'team/p-Simple'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<command><![CDATA[echo go]]></command>');
    const miss = await runCli(['show', 'team/p-Simpel'], { cwd });
    expect(miss.code).toBe(1);
    expect(miss.stderr).toBe('error: no job team/p-Simpel (did you mean team/p-Simple?)\n');
  });

  it('the shipped examples render (the README first command)', async () => {
    const t = tempTree({});
    cleanups.push(t.cleanup);
    const r = await runCli(['render', '--out', path.join(t.dir, 'out'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.jobs).toBeGreaterThanOrEqual(5);
    expect(j.diagnostics.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
  });
});
