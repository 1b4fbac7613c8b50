import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveConnectionSettings } from '../../src/jenkins/connection-settings.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-conn-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const codes = (r: { diagnostics: { code: string }[] }) => r.diagnostics.map((d) => d.code);

describe('resolveConnectionSettings', () => {
  test('environment only', () => {
    const r = resolveConnectionSettings({ flags: {}, env: { JENKINS_URL: 'https://ci.example.com/jenkins', JENKINS_USER: 'alice', JENKINS_API_TOKEN: 'tok' }, cwd: dir });
    expect(r.diagnostics).toEqual([]);
    expect(r.settings).toEqual({ url: 'https://ci.example.com/jenkins/', user: 'alice', token: 'tok' });
  });

  test('flags beat environment, environment beats the config file', () => {
    writeFileSync(path.join(dir, 'jobsmith.yaml'), 'jenkins:\n  url: http://from-file/\n  user: file-user\n  concurrency: 4\n  timeout: 5\n  retries: 1\n');
    const r = resolveConnectionSettings({ flags: { concurrency: 2 }, env: { JENKINS_URL: 'http://from-env/', JENKINS_API_TOKEN: 't' }, cwd: dir });
    expect(r.diagnostics).toEqual([]);
    expect(r.settings).toEqual({ url: 'http://from-env/', user: 'file-user', token: 't', concurrency: 2, timeoutMs: 5000, retries: 1 });
    const f = resolveConnectionSettings({ flags: { jenkinsUrl: 'http://flag/', user: 'flag-user' }, env: { JENKINS_URL: 'http://from-env/', JENKINS_USER: 'env-user', JENKINS_API_TOKEN: 't' }, cwd: dir });
    expect(f.settings).toMatchObject({ url: 'http://flag/', user: 'flag-user' });
  });

  test('anonymous when no user and no token', () => {
    const r = resolveConnectionSettings({ flags: { jenkinsUrl: 'http://127.0.0.1:8080' }, env: {}, cwd: dir });
    expect(r.settings).toEqual({ url: 'http://127.0.0.1:8080/' });
  });

  test('a token in the config file is refused with its location, and nothing is returned', () => {
    writeFileSync(path.join(dir, 'ci.yaml'), 'jenkins:\n  url: http://x/\n  user: alice\n  token: hunter2-secret\n');
    const r = resolveConnectionSettings({ flags: { config: 'ci.yaml' }, env: { JENKINS_API_TOKEN: 't' }, cwd: dir });
    expect(r.settings).toBeUndefined();
    const d = r.diagnostics.find((x) => x.code === 'secret-in-config')!;
    expect(d).toMatchObject({ severity: 'error', file: 'ci.yaml', line: 4, column: 3, field: 'jenkins.token' });
    expect(JSON.stringify(r.diagnostics)).not.toContain('hunter2');
  });

  test('a password inside the config file URL is refused too', () => {
    writeFileSync(path.join(dir, 'jobsmith.yaml'), 'jenkins:\n  url: http://alice:pw-secret@x/\n');
    const r = resolveConnectionSettings({ flags: {}, env: {}, cwd: dir });
    expect(r.settings).toBeUndefined();
    expect(codes(r)).toContain('secret-in-config');
    expect(JSON.stringify(r.diagnostics)).not.toContain('pw-secret');
  });

  test('credentials in JENKINS_URL become user and token, the URL is cleaned', () => {
    const r = resolveConnectionSettings({ flags: {}, env: { JENKINS_URL: 'http://bob:s%2Fcret@ci/' }, cwd: dir });
    expect(r.settings).toEqual({ url: 'http://ci/', user: 'bob', token: 's/cret' });
  });

  test('all mistakes at once: bad URL scheme, user without token, bad numbers, unknown key, unreadable CA', () => {
    writeFileSync(path.join(dir, 'jobsmith.yaml'), 'jenkins:\n  url: ftp://x/\n  concurency: 3\n  retries: 99\n  ca-files: [missing.pem]\n');
    const r = resolveConnectionSettings({ flags: { timeout: 0 }, env: { JENKINS_USER: 'alice' }, cwd: dir });
    expect(r.settings).toBeUndefined();
    expect(codes(r).sort()).toEqual(['bad-ca-file', 'bad-jenkins-url', 'bad-setting', 'bad-setting', 'missing-token', 'unknown-key']);
    expect(r.diagnostics.find((d) => d.code === 'unknown-key')).toMatchObject({ severity: 'warning', line: 3, field: 'jenkins.concurency' });
    expect(r.diagnostics.find((d) => d.code === 'bad-jenkins-url')).toMatchObject({ file: 'jobsmith.yaml', line: 2, column: 8 });
  });

  test('missing URL and token without user', () => {
    const r = resolveConnectionSettings({ flags: {}, env: { JENKINS_API_TOKEN: 'x' }, cwd: dir });
    expect(codes(r).sort()).toEqual(['missing-jenkins-url', 'missing-user']);
  });

  test('an explicit config file that does not exist is an error; the default one is optional', () => {
    expect(codes(resolveConnectionSettings({ flags: { config: 'nope.yaml', jenkinsUrl: 'http://x/' }, env: {}, cwd: dir }))).toEqual(['config-unreadable']);
    expect(codes(resolveConnectionSettings({ flags: { jenkinsUrl: 'http://x/' }, env: {}, cwd: dir }))).toEqual([]);
  });

  test('YAML syntax errors carry a location', () => {
    writeFileSync(path.join(dir, 'jobsmith.yaml'), 'jenkins:\n  url: [unclosed\n');
    const r = resolveConnectionSettings({ flags: {}, env: {}, cwd: dir });
    expect(r.diagnostics[0]).toMatchObject({ code: 'config-yaml', file: 'jobsmith.yaml' });
    expect(r.diagnostics[0]!.line).toBeGreaterThan(0);
  });

  test('token file: first line, trimmed', () => {
    writeFileSync(path.join(dir, 'tok'), '  abc123  \nignored\n');
    const r = resolveConnectionSettings({ flags: { jenkinsUrl: 'http://x/', user: 'u', tokenFile: 'tok' }, env: { JENKINS_API_TOKEN: 'env' }, cwd: dir });
    expect(r.settings?.token).toBe('abc123');
    const missing = resolveConnectionSettings({ flags: { jenkinsUrl: 'http://x/', user: 'u', tokenFile: 'none' }, env: {}, cwd: dir });
    expect(codes(missing)).toEqual(['token-file-unreadable']);
  });

  test('CA files: flags relative to cwd, config relative to the file, NODE_EXTRA_CA_CERTS kept', () => {
    writeFileSync(path.join(dir, 'a.pem'), PEM);
    writeFileSync(path.join(dir, 'extra.pem'), PEM);
    const r = resolveConnectionSettings({ flags: { jenkinsUrl: 'https://x/', caFile: ['a.pem'] }, env: { NODE_EXTRA_CA_CERTS: path.join(dir, 'extra.pem') }, cwd: dir });
    expect(r.settings?.caFiles).toEqual([path.join(dir, 'a.pem'), path.join(dir, 'extra.pem')]);
    writeFileSync(path.join(dir, 'sub.yaml'), 'jenkins:\n  ca-files: a.pem\n');
    const f = resolveConnectionSettings({ flags: { jenkinsUrl: 'https://x/', config: 'sub.yaml' }, env: {}, cwd: dir });
    expect(f.settings?.caFiles).toEqual([path.join(dir, 'a.pem')]);
    // Without extra CA files, Node applies NODE_EXTRA_CA_CERTS itself: nothing to pass.
    expect(resolveConnectionSettings({ flags: { jenkinsUrl: 'https://x/' }, env: { NODE_EXTRA_CA_CERTS: 'x' }, cwd: dir }).settings?.caFiles).toBeUndefined();
    writeFileSync(path.join(dir, 'bad.pem'), 'hello');
    expect(codes(resolveConnectionSettings({ flags: { jenkinsUrl: 'https://x/', caFile: ['bad.pem'] }, env: {}, cwd: dir }))).toEqual(['bad-ca-file']);
  });

  test('proxy by scheme from the environment, NO_PROXY passed on', () => {
    const env = { HTTPS_PROXY: 'http://secure-proxy:3128', HTTP_PROXY: 'http://plain-proxy:3128', NO_PROXY: 'localhost,.corp' };
    expect(resolveConnectionSettings({ flags: { jenkinsUrl: 'https://x/' }, env, cwd: dir }).settings).toMatchObject({ proxy: 'http://secure-proxy:3128', noProxy: 'localhost,.corp' });
    expect(resolveConnectionSettings({ flags: { jenkinsUrl: 'http://x/' }, env, cwd: dir }).settings).toMatchObject({ proxy: 'http://plain-proxy:3128' });
    expect(resolveConnectionSettings({ flags: { jenkinsUrl: 'http://x/', proxy: 'http://flag:1' }, env, cwd: dir }).settings?.proxy).toBe('http://flag:1');
    const bad = resolveConnectionSettings({ flags: { jenkinsUrl: 'http://x/', proxy: 'socks://u:pw-secret@p' }, env: {}, cwd: dir });
    expect(codes(bad)).toEqual(['bad-proxy']);
    expect(JSON.stringify(bad)).not.toContain('pw-secret');
  });
});
