import { describe, expect, test } from 'vitest';
import { ExternalError } from '../../src/model/errors.js';
import { JenkinsError, bestErrorText, decodeHeaderText, isNotFound, kindForStatus } from '../../src/jenkins/jenkins-error.js';

describe('JenkinsError', () => {
  test('is an ExternalError with kind, status, X-Error, operation and target', () => {
    const e = new JenkinsError({ kind: 'bad-request', operation: 'create', target: 'a/b', status: 400, xError: 'A job already exists with the name ‘b’' });
    expect(e).toBeInstanceOf(ExternalError);
    expect(e.message).toBe("create 'a/b' failed: HTTP 400: A job already exists with the name ‘b’");
    expect([e.kind, e.status, e.operation, e.target]).toEqual(['bad-request', 400, 'create', 'a/b']);
    expect(isNotFound(e)).toBe(false);
    expect(isNotFound(new JenkinsError({ kind: 'not-found', operation: 'get config', status: 404 }))).toBe(true);
  });
  test('without status the kind is named', () => {
    expect(new JenkinsError({ kind: 'timeout', operation: 'list items', detail: 'no answer' }).message).toBe('list items failed: timeout: no answer');
  });
  test('status classification', () => {
    expect([404, 401, 403, 409, 400, 405, 500, 503].map(kindForStatus)).toEqual(['not-found', 'unauthorized', 'forbidden', 'conflict', 'bad-request', 'bad-request', 'server', 'server']);
  });
});

describe('X-Error decoding', () => {
  test('Latin-1 bytes are read as Latin-1', () => {
    // undici hands header bytes over as Latin-1 characters: é is one byte 0xE9.
    expect(decodeHeaderText('caf\u00e9')).toBe('café');
  });
  test('UTF-8 bytes (a proxy or another server) are recognised', () => {
    const latin1View = Buffer.from('‘x’ is an unsafe character', 'utf8').toString('latin1');
    expect(decodeHeaderText(latin1View)).toBe('‘x’ is an unsafe character');
  });
  test('Jetty placeholders are replaced by the text of the HTML error page', () => {
    const body = '<html><body><h1>Error</h1><p>A job already exists with the name &lsquo;x&rsquo;</p></body></html>';
    // no entity table for lsquo: the page as Jenkins writes it uses the raw characters
    const page = '<html><body><h1>Error</h1><p>A job already exists with the name ‘my job’</p></body></html>';
    expect(bestErrorText('A job already exists with the name ?my job?', page)).toBe('A job already exists with the name ‘my job’');
    expect(bestErrorText('A job already exists with the name  my job ', page)).toBe('A job already exists with the name ‘my job’');
    expect(bestErrorText('A job already exists with the name ?x?', body)).toBe('A job already exists with the name ?x?');
    // leading/trailing placeholders trimmed away by header parsing
    expect(bestErrorText('?  is an unsafe character', '<p>‘?’ is an unsafe character</p>')).toBe('‘?’ is an unsafe character');
    expect(bestErrorText('A name cannot end with  .', '<p>A name cannot end with ‘.’</p>')).toBe('A name cannot end with ‘.’');
    expect(bestErrorText('The new name is the same as the current name.', '<p>The new name is the same as the current name.</p>')).toBe('The new name is the same as the current name.');
    expect(bestErrorText('‘&’ is an unsafe character', '<p>&#8216;&amp;&#8217; is an unsafe character</p>')).toBe('‘&’ is an unsafe character');
  });
});
