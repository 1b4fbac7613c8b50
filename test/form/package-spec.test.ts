import { describe, expect, it } from 'vitest';
import { checkPackageSpec, hasUrlCredentials } from '../../src/form/package-spec.js';
import { lockProblem, lockedJobsmith } from '../../src/form/package-pin.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const SRI = 'sha512-0NTbql7fe5snPkJA9YF5W/WwjeyVhnDEiNZI2Y1c7RI6WY6BjaNTO35hIaJ8/e7m99Mu/JGwupbdKhqglcCZQg==';

describe('--package: only exact specs are accepted', () => {
  it.each([
    ['0.4.1', { kind: 'version', dependency: '0.4.1' }],
    ['jobsmith@0.4.1', { kind: 'version', dependency: '0.4.1' }],
    ['jobsmith@1.0.0-rc.2+build.7', { kind: 'version', dependency: '1.0.0-rc.2+build.7' }],
    ['@corp/jobsmith@0.4.1', { kind: 'version', dependency: 'npm:@corp/jobsmith@0.4.1' }],
    ['npm:@corp/jobsmith@0.4.1', { kind: 'version', dependency: 'npm:@corp/jobsmith@0.4.1' }],
    ['file:vendor/jobsmith-0.4.1.tgz', { kind: 'tarball', dependency: 'file:vendor/jobsmith-0.4.1.tgz', file: 'vendor/jobsmith-0.4.1.tgz' }],
    ['vendor/jobsmith-0.4.1.tar.gz', { kind: 'tarball', file: 'vendor/jobsmith-0.4.1.tar.gz' }],
    [`git+https://git.example.com/tools/jobsmith.git#${SHA}`, { kind: 'git', commit: SHA }],
    [`github:acme/jobsmith#${SHA.toUpperCase()}`, { kind: 'git', commit: SHA }],
  ])('%s', (spec, expected) => {
    const r = checkPackageSpec(spec);
    expect(r.ok).toBe(true);
    expect(r.ok && r.pin).toMatchObject(expected);
  });

  it('an https tarball needs its integrity, which must look like npm\'s', () => {
    const url = 'https://artifacts.example.com/jobsmith-0.4.1.tgz';
    expect(checkPackageSpec(url, { integrity: SRI })).toMatchObject({ ok: true, pin: { kind: 'tarball', url, integrity: SRI } });
    expect(checkPackageSpec(url)).toMatchObject({ ok: false, reason: expect.stringContaining('without integrity: add --package-integrity') });
    expect(checkPackageSpec(url, { integrity: 'md5-abc' })).toMatchObject({ ok: false, reason: expect.stringContaining('npm integrity string') });
    expect(checkPackageSpec('http://artifacts.example.com/jobsmith-0.4.1.tgz', { integrity: SRI })).toMatchObject({ ok: false, reason: expect.stringContaining('plain http') });
  });

  it.each([
    ['jobsmith', 'bare package name'],
    ['@corp/jobsmith', 'bare package name'],
    ['jobsmith@latest', 'names the tag "latest"'],
    ['jobsmith@next', 'names the tag "next"'],
    ['jobsmith@^0.4.1', 'is the range "^0.4.1"'],
    ['jobsmith@~0.4', 'is the range "~0.4"'],
    ['jobsmith@0.x', 'is the range "0.x"'],
    ['jobsmith@>=0.4.0 <1', 'is the range'],
    ['jobsmith@*', 'is the range "*"'],
    ['^0.4.1', 'is not an npm package spec'],
    ['git+https://git.example.com/tools/jobsmith.git', 'without a commit'],
    ['git+https://git.example.com/tools/jobsmith.git#main', 'pointing at "main", which can move'],
    ['github:acme/jobsmith#v0.4.1', 'pointing at "v0.4.1"'],
    ['github:acme/jobsmith#semver:^0.4', 'pointing at "semver:^0.4"'],
    ['acme/jobsmith#abc1234', 'pointing at "abc1234"'],
    ['file:../jobsmith', 'is a directory'],
    ['./jobsmith', 'is a directory'],
    ['https://example.com/jobsmith', 'neither a tarball'],
    ['', 'is empty'],
  ])('refuses %j (%s)', (spec, why) => {
    const r = checkPackageSpec(spec);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(why);
  });

  it('refuses credentials in any URL, and its reason never repeats them', () => {
    for (const spec of [`git+https://bob:hunter2@git.example.com/jobsmith.git#${SHA}`, 'https://tok3n@artifacts.example.com/jobsmith-0.4.1.tgz']) {
      const r = checkPackageSpec(spec, { integrity: SRI });
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toContain('user name or password');
      expect(!r.ok && r.reason).not.toMatch(/hunter2|tok3n/);
    }
    expect(hasUrlCredentials('see https://x@host/y')).toBe(true);
    expect(hasUrlCredentials('ssh://git:pw@host/y')).toBe(true);
    expect(hasUrlCredentials('mail bob@example.com, https://host/y')).toBe(false);
    // an ssh user name is no secret
    expect(hasUrlCredentials('ssh://git@github.com/acme/jobs.git')).toBe(false);
    expect(hasUrlCredentials('svn+ssh://alice@svn.example.com/repos/x')).toBe(false);
    expect(checkPackageSpec(`git+ssh://git@github.com/acme/jobsmith.git#${SHA}`)).toMatchObject({ ok: true, pin: { kind: 'git' } });
  });
});

describe('package-lock.json: what pins jobsmith', () => {
  it('reads the v3 packages entry and the v1 dependencies entry', () => {
    const v3 = JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/jobsmith': { version: '0.4.1', resolved: 'https://r/jobsmith-0.4.1.tgz', integrity: SRI } } });
    expect(lockedJobsmith(v3)).toEqual({ version: '0.4.1', resolved: 'https://r/jobsmith-0.4.1.tgz', integrity: SRI });
    const v1 = JSON.stringify({ lockfileVersion: 1, dependencies: { jobsmith: { version: `git+https://h/j.git#${SHA}`, resolved: `git+https://h/j.git#${SHA}` } } });
    expect(lockProblem(lockedJobsmith(v1))).toBeUndefined();
    expect(lockProblem(lockedJobsmith(JSON.stringify({ packages: { 'node_modules/jobsmith': { version: '0.4.1' } } })))).toBe('records jobsmith without an integrity or commit id');
    expect(lockProblem(lockedJobsmith('{not json'))).toBe('has no jobsmith entry');
    expect(lockProblem(lockedJobsmith(JSON.stringify({ packages: {} })))).toBe('has no jobsmith entry');
  });
});

describe('secret query values are URL credentials', () => {
  it('hasUrlCredentials flags ?token=, private_token, access_token, password (the redactor\'s names), not other queries', async () => {
    const { hasUrlCredentials } = await import('../../src/form/package-spec.js');
    for (const u of ['https://h/x.git?private_token=abc123', 'https://h/x?a=1&access_token=abc123', 'https://h/x?token=abc123', 'https://h/x?PASSWORD=abc123', 'https://h/x.tgz?X-Amz-Signature=abc123']) expect([u, hasUrlCredentials(u)]).toEqual([u, true]);
    for (const u of ['https://h/x.git?ref=main', 'https://h/x?token=', 'ssh://git@h/x.git', 'no url token=abc']) expect([u, hasUrlCredentials(u)]).toEqual([u, false]);
  });
});
