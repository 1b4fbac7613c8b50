/**
 * Redaction masks whole secret values of a useful length (MIN_MASKED_SECRET_LENGTH, 6 characters),
 * never a short token inside other words: "the user name or API token was refused" stays readable
 * when the token is `tok` (break-it finding on issue 16). Credentials as credentials (URL user
 * info, secret query values) are hidden whatever their length.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/jenkins/redact.js';
import { MIN_MASKED_SECRET_LENGTH, redactUrlsInText } from '../../src/model/redact-url.js';
import { startStandin } from '../../src/standin/server.js';
import { runCli } from '../helpers/cli.js';

describe('Redactor (the Jenkins client\'s known secrets)', () => {
  it('a short token is not masked inside words; a long one is masked wherever it stands as a value', () => {
    expect(MIN_MASKED_SECRET_LENGTH).toBe(6);
    const short = new Redactor(['tok', 'admin:tok']);
    expect(short.redact('HTTP 401: the user name or API token was refused')).toBe('HTTP 401: the user name or API token was refused');
    const long = new Redactor(['11aa22bb33cc44dd55ee66ff77aa88bb99', 'admin:11aa22bb33cc44dd55ee66ff77aa88bb99']);
    expect(long.redact('token 11aa22bb33cc44dd55ee66ff77aa88bb99 refused')).toBe('token *** refused');
    expect(long.redact('auth admin:11aa22bb33cc44dd55ee66ff77aa88bb99.')).toBe('auth ***.');
    const basic = Buffer.from('admin:11aa22bb33cc44dd55ee66ff77aa88bb99').toString('base64');
    expect(long.redact(`authorization: Basic ${basic}`)).toBe('authorization: Basic ***');
  });

  it('a password that is an ordinary word is masked only as a whole word, not inside job names', () => {
    const r = new Redactor(['pipeline']);
    expect(r.redact('job web-pipeline-trunk failed; password pipeline refused')).toBe('job web-pipeline-trunk failed; password *** refused');
    expect(r.redact('job pipelines')).toBe('job pipelines');
  });

  it('URL user info and secret query values are hidden whatever their length', () => {
    const r = new Redactor(['tok']);
    expect(r.redact('GET http://u:tok@host/x?token=ab failed')).toBe('GET http://***@host/x?token=*** failed');
  });
});

describe('redactUrlsInText with known URLs (git and svn output)', () => {
  it('the user info is hidden where git quotes it without the scheme; a short password is not masked inside words', () => {
    const repo = 'https://bob:trunk@git.example.com/r.git';
    expect(redactUrlsInText("fatal: unable to access 'bob:trunk@git.example.com/r.git/': build-trunk", repo)).toBe("fatal: unable to access '***@git.example.com/r.git/': build-trunk");
  });

  it('a long password is masked as a whole value', () => {
    const repo = 'https://bob:Sup3rSecretPw@git.example.com/r.git';
    expect(redactUrlsInText('password Sup3rSecretPw rejected', repo)).toBe('password *** rejected');
  });
});

describe('jenkins ping with a wrong short token against the stand-in', () => {
  let home: string;
  let standin: Awaited<ReturnType<typeof startStandin>>;
  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-redact-words-'));
    standin = await startStandin({ home, port: 0, users: [{ name: 'admin', token: 'right-token-value' }] });
  });
  afterAll(async () => {
    await standin.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('the 401 message reads as written (no "API ***en")', async () => {
    const r = await runCli(['jenkins', 'ping', '--retries', '0'], { env: { JENKINS_URL: standin.url + '/', JENKINS_USER: 'admin', JENKINS_API_TOKEN: 'tok' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the user name or API token was refused');
    expect(r.stderr).not.toContain('***en');
  });
});
