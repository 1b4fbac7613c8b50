/**
 * Every URL printed is redacted: user info and secret-like query values (issue 16), by the one
 * redactor in src/model/redact-url.ts. The CLI case: a `?token=` in `branches.repo` whose listing
 * fails is not printed (git quotes the URL, and for a local path, the path with the query).
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSecretParam, redactUrl, redactUrlsInText } from '../../src/model/redact-url.js';
import { repoRoot, runCli } from '../helpers/cli.js';

describe('redactUrl', () => {
  it.each([
    ['https://bob:pw@git.example.com/x.git', 'https://***@git.example.com/x.git'],
    ['https://git.example.com/x.git?token=abc', 'https://git.example.com/x.git?token=***'],
    ['https://gitlab.example.com/x.git?private_token=abc&ref=main', 'https://gitlab.example.com/x.git?private_token=***&ref=main'],
    ['https://s3.example.com/b?X-Amz-Signature=f00&X-Amz-Credential=AK%2F1&x=1', 'https://s3.example.com/b?X-Amz-Signature=***&X-Amz-Credential=***&x=1'],
    ['https://h/x?api_key=k1&password=p1&page=2', 'https://h/x?api_key=***&password=***&page=2'],
    ['https://h/x?ref=main&depth=1', 'https://h/x?ref=main&depth=1'],
    ['not a url?token=abc', 'not a url?token=***'],
    ['https://h/x?token=', 'https://h/x?token='],
  ])('%s -> %s', (input, shown) => {
    expect(redactUrl(input)).toBe(shown);
  });

  it('knows secret names and leaves ordinary ones', () => {
    for (const n of ['token', 'access_token', 'private-token', 'apiKey', 'api_key', 'secret', 'client_secret', 'password', 'sig', 'X-Amz-Signature', 'auth']) expect(isSecretParam(n), n).toBe(true);
    for (const n of ['ref', 'branch', 'page', 'monkey', 'depth', 'name']) expect(isSecretParam(n), n).toBe(false);
  });

  it('free text: every URL, and the known URL\'s secrets wherever they are quoted', () => {
    const repo = 'https://u:pw-123@h/x.git?token=tok-456';
    const text = "fatal: unable to access 'https://u:pw-123@h/x.git?token=tok-456/': 403; also '/srv/x.git?token=tok-456' and pw-123";
    const out = redactUrlsInText(text, repo);
    expect(out).not.toMatch(/pw-123|tok-456/);
    expect(out).toContain("'https://***@h/x.git?token=***'");
  });
});

describe('CLI: a ?token= in branches.repo is never printed', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-redact-'));
    cpSync(path.join(repoRoot, 'job-templates'), path.join(dir, 'job-templates'), { recursive: true });
    cpSync(path.join(repoRoot, 'jobs'), path.join(dir, 'jobs'), { recursive: true });
    writeFileSync(
      path.join(dir, 'jobs/tokrepo.yaml'),
      [
        'templates: [Pipeline-git]',
        'tokens:',
        '  GIT.URL: https://git.example.com/x.git',
        '  GIT.CREDENTIALS: c',
        'branches:',
        '  repo: http://127.0.0.1:1/x.git?private_token=sekrit-tok-9f3a',
        '  templates: [CI-build-branch]',
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'jobs/localrepo.yaml'),
      ['templates: [Pipeline-git]', 'tokens:', '  GIT.URL: https://git.example.com/y.git', '  GIT.CREDENTIALS: c', 'branches:', `  repo: file://${dir}/none.git?token=sekrit-tok-9f3a`, '  templates: [CI-build-branch]', ''].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('plan (text and --json) and sync --dry-run: the listing failure is reported, exit 3, the token is not', async () => {
    for (const args of [['plan'], ['plan', '--json'], ['sync', '--dry-run']]) {
      const r = await runCli([...args, '--embedded', path.join(dir, 'home')], { cwd: dir });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stdout + r.stderr).toContain('branch listing failed');
      expect(r.stdout + r.stderr).toContain('private_token=***');
      expect(r.stdout + r.stderr).not.toContain('sekrit-tok-9f3a');
    }
  });
});
