import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { CsrfGuard } from '../../src/form/csrf.js';
import { parseIdentity, readFormSettings } from '../../src/form/self-service-setup.js';
import { redactUrlsInText as redactUrls } from '../../src/model/redact-url.js';
import { InputError } from '../../src/model/errors.js';
import { formatDiagnostic } from '../../src/model/diagnostic.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function req(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('CSRF guard', () => {
  const guard = new CsrfGuard(Buffer.from('k'.repeat(32)));
  const cookie = guard.newCookieValue();
  const token = guard.tokenFor(cookie);
  it('accepts same-origin posts with the token of their cookie', () => {
    expect(guard.refusal(req({ host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080' }), cookie, token)).toBeUndefined();
    expect(guard.refusal(req({ host: '127.0.0.1:8080' }), cookie, token)).toBeUndefined();
    expect(guard.refusal(req({ host: '127.0.0.1:8080', origin: 'https://jobs.example.com', 'x-forwarded-host': 'jobs.example.com' }), cookie, token)).toBeUndefined();
  });
  it('refuses other origins, opaque origins, cross-site fetch metadata, missing or foreign tokens', () => {
    expect(guard.refusal(req({ host: '127.0.0.1:8080', origin: 'http://localhost:9999' }), cookie, token)).toMatch(/Origin http:\/\/localhost:9999 is not this server/);
    expect(guard.refusal(req({ host: '127.0.0.1:8080', origin: 'null' }), cookie, token)).toMatch(/opaque/);
    expect(guard.refusal(req({ host: '127.0.0.1:8080', 'sec-fetch-site': 'cross-site' }), cookie, token)).toMatch(/Sec-Fetch-Site/);
    expect(guard.refusal(req({ host: 'h' }), undefined, token)).toMatch(/expired/);
    expect(guard.refusal(req({ host: 'h' }), guard.newCookieValue(), token)).toMatch(/does not match/);
    expect(guard.refusal(req({ host: 'h' }), cookie, token.slice(1))).toMatch(/does not match/);
  });
});

describe('self-service settings', () => {
  it('parses identities', () => {
    expect(parseIdentity('Ada Lovelace <ada@example.com>', '--author')).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com' });
    expect(() => parseIdentity('ada@example.com', '--author')).toThrow(/--author must look like "Name <email@example.com>"/);
  });

  it('reads the form: section of jobsmith.yaml, and reports unknown or bad settings', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'jobsmith-formcfg-'));
    writeFileSync(path.join(dir, 'jobsmith.yaml'), 'jenkins:\n  url: http://j\nform:\n  allow: [alice, bob]\n  user-header: X-Forwarded-User\n  port: 9090\n  sync: master-job\n');
    expect(readFormSettings(undefined, dir)).toEqual({ access: { allow: ['alice', 'bob'], userHeader: 'X-Forwarded-User' }, port: 9090, sync: 'master-job' });
    writeFileSync(path.join(dir, 'other.yaml'), 'form:\n  alow: [x]\n  sync: later\n');
    // Bad input, located (exit 1 in the CLI), every problem at once.
    let err: unknown;
    try {
      readFormSettings('other.yaml', dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).diagnostics.map(formatDiagnostic)).toEqual([
      'other.yaml:2:3: error: unknown setting form.alow (known: allow, user-header, author-email, host, allowed-hosts, port, sync) [form.alow]',
      'other.yaml:3:9: error: form.sync must be "now" or "master-job" [form.sync]',
    ]);
    expect(readFormSettings(undefined, path.join(dir, 'nowhere'))).toEqual({});
  });

  it('redacts credentials in URLs', () => {
    expect(redactUrls('fatal: https://user:s3cret@git.example.com/x.git not found')).toBe('fatal: https://***@git.example.com/x.git not found');
  });
});
