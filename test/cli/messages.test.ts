/**
 * Messages a new user meets (issue 16): each problem said once, in the user's terms, with one
 * "error:", pointing at the user's files (never at a temporary copy or an internal wrapper).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-messages-'));
  cpSync(path.join(repoRoot, 'job-templates'), path.join(dir, 'job-templates'), { recursive: true });
  cpSync(path.join(repoRoot, 'jobs'), path.join(dir, 'jobs'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const cli = (args: string[]) => runCli(args, { cwd: dir, env: { JENKINS_URL: '', JENKINS_USER: '', JENKINS_API_TOKEN: '' } });

describe('set-default', () => {
  it('a bad value every project inherits is one line naming the jobs, not one per job', async () => {
    const r = await cli(['set-default', 'MVN.VERSION', 'a\u0001b', '--no-commit']);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.includes('U+0001'));
    expect(lines).toEqual([
      'jobs/_defaults.yaml:3:16: error: value of MVN.VERSION contains U+0001, which XML 1.0 cannot carry (jobs finance/billing-CI-build-trunk, finance/billing-release, payments-CI-build-trunk, payments-RC-build-branch) [tokens.MVN.VERSION]',
    ]);
    expect(r.stderr).toContain('\n1 error\n');
  });

  it('problems of the templates point at the templates, never at a temporary directory', async () => {
    writeFileSync(path.join(dir, 'job-templates/Orphan.yaml'), 'description: x\n');
    const r = await cli(['set-default', 'MVN.VERSION', 'maven-4', '--no-commit', '--dry-run']);
    expect(r.stderr).toContain('job-templates/Orphan.yaml: warning: sidecar without a template: expected job-templates/Orphan-config.xml');
    expect(r.stderr).not.toContain(os.tmpdir());
    expect(r.stderr).not.toMatch(/jobsmith-defs-/);
  });
});

describe('bulk --add', () => {
  it('a malformed snippet is a usage error found once, before Jenkins is asked, in the snippet\'s own terms', async () => {
    const home = path.join(dir, 'home');
    for (const n of ['a', 'b', 'c']) {
      mkdirSync(path.join(home, 'jobs', n), { recursive: true });
      writeFileSync(path.join(home, 'jobs', n, 'config.xml'), '<project><builders/></project>\n');
    }
    const r = await cli(['bulk', '--embedded', home, '--add', 'builders', '<hudson.tasks.Shell><command>x</command>']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --add builders "<hudson.tasks.Shell><command>x</command>": the snippet is not well-formed XML: <hudson.tasks.Shell> (at 1:1) is never closed\n');
    expect(r.stdout).toBe('');
  });

  it('a stray close tag', async () => {
    const r = await cli(['bulk', '--embedded', path.join(dir, 'home'), '--add', 'builders', '<a/></b>']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the snippet is not well-formed XML: </b> at 1:5 closes no element');
    expect(r.stderr).not.toMatch(/snippet>/);
  });
});

describe('restore', () => {
  it('a backup with errors: "The backup has errors"', async () => {
    mkdirSync(path.join(dir, 'bk/jobs/x'), { recursive: true });
    writeFileSync(path.join(dir, 'bk/jobs/x/config.xml'), '<project>');
    const r = await cli(['restore', 'bk', '--embedded', path.join(dir, 'home')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The backup has errors: nothing was changed in Jenkins.');
  });
});

describe('definition files that are not read are never silent (break-a 8)', () => {
  it('a definition moved into a subdirectory of jobs/ is an error: sync deletes nothing (it deleted the project\'s jobs)', async () => {
    const first = await cli(['sync', '--embedded', 'home']);
    expect(first.code, first.stderr).toBe(0);
    mkdirSync(path.join(dir, 'jobs/finance'));
    renameSync(path.join(dir, 'jobs/billing.yaml'), path.join(dir, 'jobs/finance/billing.yaml'));
    const v = await cli(['validate']);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain('jobs/finance/billing.yaml: error: not read: definitions are read only from jobs/*.yaml, not from its subdirectories (jobs/finance/); move the file up to jobs/billing.yaml');
    const s = await cli(['sync', '--embedded', 'home']);
    expect(s.code, s.stdout + s.stderr).toBe(1);
    expect(s.stdout).not.toMatch(/delete/);
    expect(existsSync(path.join(dir, 'home/jobs/finance/jobs/billing-release/config.xml'))).toBe(true);
  });

  it('a .YAML name is an error naming the right one; a backup copy (x.yaml.orig, x.yml~) is a warning; hidden and template directories are not looked into', async () => {
    renameSync(path.join(dir, 'jobs/billing.yaml'), path.join(dir, 'jobs/billing.YAML'));
    writeFileSync(path.join(dir, 'jobs/payments.yaml.orig'), 'templates: [CI-build-trunk]\n');
    writeFileSync(path.join(dir, 'jobs/payments.yml~'), 'x');
    mkdirSync(path.join(dir, 'jobs/.cache'));
    writeFileSync(path.join(dir, 'jobs/.cache/x.yaml'), 'x');
    mkdirSync(path.join(dir, 'jobs/notes'));
    writeFileSync(path.join(dir, 'jobs/notes/README.md'), 'x');
    const v = await cli(['validate']);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain('jobs/billing.YAML: error: not read: a definition file\'s name ends in .yaml or .yml, in lower case; rename it to billing.yaml');
    expect(v.stderr).toContain('jobs/payments.yaml.orig: warning: not read: only *.yaml and *.yml files are definitions');
    expect(v.stderr).toContain('jobs/payments.yml~: warning: not read');
    expect(v.stderr).not.toContain('.cache');
    expect(v.stderr).not.toContain('notes');
    expect(v.stderr).toMatch(/\n1 error, 2 warnings\n/);
    // the templates directory inside the jobs directory is not a subdirectory of definitions
    renameSync(path.join(dir, 'jobs/billing.YAML'), path.join(dir, 'jobs/billing.yaml'));
    rmSync(path.join(dir, 'jobs/payments.yaml.orig'));
    rmSync(path.join(dir, 'jobs/payments.yml~'));
    renameSync(path.join(dir, 'job-templates'), path.join(dir, 'jobs/templates'));
    const inner = await cli(['validate', '--templates', 'jobs/templates']);
    expect(inner.code, inner.stderr).toBe(0);
  });
});

describe('restore --only', () => {
  it('an empty pattern is a usage error before Jenkins is asked; one that matches nothing too (it was exit 70 and exit 0)', async () => {
    mkdirSync(path.join(dir, 'bk/jobs/x'), { recursive: true });
    writeFileSync(path.join(dir, 'bk/jobs/x/config.xml'), '<project/>\n');
    const empty = await cli(['restore', 'bk', '--embedded', 'home', '--only', '']);
    expect(empty.code, empty.stderr).toBe(2);
    expect(empty.stderr).toBe('error: --only was given an empty pattern (an unset variable?): it would match nothing; nothing was done\n');
    expect(existsSync(path.join(dir, 'home'))).toBe(false);
    const none = await cli(['restore', 'bk', '--embedded', 'home', '--only', 'y*', '--apply']);
    expect(none.code, none.stderr).toBe(2);
    expect(none.stderr).toContain('error: --only "y*" matches no item or view of the backup; nothing was done\n');
    expect(existsSync(path.join(dir, 'home/jobs/x'))).toBe(false);
  });
});

describe('one "error:" per line, whatever failed', () => {
  it.each([
    [['plan', '--jenkins-url', 'htp://x']],
    [['bulk', '--set', 'a=b', '--jenkins-url', 'http://x/?token=1']],
    [['backup']],
    [['apply', 'no-such-plan.json', '--jenkins-url', 'http://127.0.0.1:1/']],
    [['set-default', 'bad', 'x']],
    [['show', 'nope']],
    [['create', '--project', 'x']],
  ])('%j', async (args) => {
    const r = await cli(args);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBe(70);
    expect(r.stderr).not.toMatch(/error: error:|internal error|\n\s+at \S+:\d+:\d+/);
    expect(r.stderr).toMatch(/error: /);
  });
});

describe('paths named on the command line: bad input, exit 1, before any work (was an internal error)', () => {
  beforeEach(() => writeFileSync(path.join(dir, 'a-file'), 'x'));
  it.each([
    [['backup', '--out', 'a-file', '--embedded', 'home'], 'error: --out a-file is not a directory'],
    [['backup', '--git', 'a-file', '--embedded', 'home'], 'error: --git a-file is not a directory'],
    [['standin', '--home', 'a-file', '--port', '0'], 'error: --home a-file is not a directory'],
    [['plan', '--embedded', 'a-file'], 'error: --embedded a-file is not a directory'],
    [['import', '--match', '*', '--out', 'a-file', '--embedded', 'home'], 'error: --out a-file is not a directory'],
    [['plan', '--embedded', 'home', '--out', 'no/such/dir/plan.json'], 'error: --out no/such/dir/plan.json: cannot write there: its directory no/such/dir cannot be used (ENOENT)'],
    [['plan', '--embedded', 'home', '--out', 'jobs'], 'error: --out jobs: cannot write there: it is a directory'],
    [['apply', 'no-such-plan.json', '--embedded', 'home'], 'error: no-such-plan.json: cannot read the plan file (ENOENT)'],
    [['render', '--project', 'paymnts'], 'error: no project paymnts in jobs (did you mean payments?) [--project]'],
    // break-a 17: a directory given as the saved plan, a file given as the jobs directory (were exit 70 and a GitConstructError stack)
    [['apply', 'jobs', '--embedded', 'home'], 'error: jobs: is a directory, not a saved plan (`jobsmith plan --out FILE` writes one)'],
    [['plan', '--embedded', 'home', '--jobs', 'jobs/payments.yaml'], 'jobs/payments.yaml: error: cannot read the jobs directory jobs/payments.yaml: it is not a directory'],
    [['sync', '--embedded', 'home', '--jobs', 'jobs/payments.yaml'], 'jobs/payments.yaml: error: cannot read the jobs directory jobs/payments.yaml: it is not a directory'],
    [['set-default', 'MVN.VERSION', 'x', '--no-commit', '--jobs', 'no-such-dir'], 'error: cannot read the jobs directory no-such-dir: it does not exist; nothing was changed'],
    [['rename-token', 'MVN.VERSION', 'MVN.V2', '--no-commit', '--templates', 'a-file'], 'error: cannot read the templates directory a-file: it is not a directory; nothing was changed'],
  ])('%j', async (args, message) => {
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('a dangling symbolic link as --embedded or render --out: bad input, and nothing is created through it', async () => {
    symlinkSync(path.join(dir, 'gone'), path.join(dir, 'dangling'));
    for (const args of [['plan', '--embedded', 'dangling'], ['render', '--out', 'dangling']]) {
      const r = await cli(args);
      expect(r.code, r.stderr).toBe(1);
      // The flag (where the path came from), the link, and where it points: an unmounted share, say.
      if (args[0] === 'plan') expect(r.stderr).toContain(`error: --embedded dangling: cannot create it: dangling is a symbolic link to nothing (${path.join(dir, 'gone')}: an unmounted share?)`);
      else expect(r.stderr).toContain(`dangling: error: cannot be created: dangling is a symbolic link to nothing (${path.join(dir, 'gone')}: an unmounted share?)\nnothing written`);
      expect(r.stderr).not.toContain('internal error');
      expect(existsSync(path.join(dir, 'gone'))).toBe(false);
    }
  });

  it('apply with --jobs naming a file says it is not a directory (nothing is applied)', async () => {
    const made = await cli(['plan', '--embedded', 'home', '--out', 'plan.json']);
    expect(made.code, made.stderr).toBe(0);
    const r = await cli(['apply', 'plan.json', '--embedded', 'home', '--jobs', 'jobs/payments.yaml']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('jobs/payments.yaml (not a directory) not found here');
    expect(existsSync(path.join(dir, 'home/jobs/payments-CI-build-trunk'))).toBe(false);
  });

  it('restore --revision that does not exist is bad input naming the flag', async () => {
    const r = await cli(['restore', repoRoot, '--revision', 'no-such-revision', '--embedded', 'home']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: no revision 'no-such-revision' in ${repoRoot} [--revision]`);
  });
});
