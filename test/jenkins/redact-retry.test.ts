import { describe, expect, test } from 'vitest';
import { Redactor, redactUserInfo } from '../../src/jenkins/redact.js';
import { DEFAULT_RETRY, backoffDelay, isTransient } from '../../src/jenkins/retry-policy.js';
import { JenkinsError, type JenkinsErrorKind } from '../../src/jenkins/jenkins-error.js';

describe('redaction', () => {
  test('user info in URLs', () => {
    expect(redactUserInfo('GET https://alice:s3cr3t@ci.example.com/job/x failed')).toBe('GET https://***@ci.example.com/job/x failed');
    expect(redactUserInfo('proxy http://u@proxy:3128')).toBe('proxy http://***@proxy:3128');
  });
  test('known secrets in every encoding', () => {
    const r = new Redactor(['tok/en+1', 'alice:tok/en+1']);
    const b64 = Buffer.from('alice:tok/en+1').toString('base64');
    expect(r.redact(`a tok/en+1 b ${encodeURIComponent('tok/en+1')} c ${b64}`)).toBe('a *** b *** c ***');
  });
  test('very short secrets are not used to mangle text', () => {
    expect(new Redactor(['ab']).redact('abc')).toBe('abc');
  });
});

describe('retry policy', () => {
  const err = (kind: JenkinsErrorKind, status?: number) => new JenkinsError({ kind, operation: 'x', ...(status !== undefined ? { status } : {}) });
  test('only transient failures', () => {
    expect(isTransient(err('network'))).toBe(true);
    expect(isTransient(err('timeout'))).toBe(true);
    expect(isTransient(err('server', 503))).toBe(true);
    expect(isTransient(err('server', 502))).toBe(true);
    expect(isTransient(err('server', 500))).toBe(false);
    expect(isTransient(err('bad-request', 400))).toBe(false);
    expect(isTransient(err('not-found', 404))).toBe(false);
    expect(isTransient(err('crumb', 403))).toBe(false);
    expect(isTransient(new Error('x'))).toBe(false);
  });
  test('exponential backoff with jitter, capped', () => {
    const p = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, p, () => 0)).toBe(50);
    expect(backoffDelay(1, p, () => 1)).toBe(100);
    expect(backoffDelay(3, p, () => 1)).toBe(400);
    expect(backoffDelay(10, p, () => 1)).toBe(1000);
    expect(backoffDelay(10, p, () => 0)).toBe(500);
  });
});
