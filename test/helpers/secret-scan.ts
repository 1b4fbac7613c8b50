/**
 * Credential leak scanning for tests (issue 10). Use one test secret per test run, pass it to
 * jobsmith (flags, environment, URLs with user info), then scan everything the run produced:
 * stdout, stderr, error messages, saved plans, backups, files written.
 *
 *   const secret = testSecret();
 *   ...
 *   expect(findSecretLeaks(stdout + stderr, secret)).toEqual([]);
 *   expect(await scanTreeForSecret(outDir, secret)).toEqual([]);
 *
 * Every form a credential can take is looked for: the token itself, its URL-encoded form, the
 * `user:token` pair, its base64 (the HTTP basic-auth header value) and base64url, and a URL
 * carrying the user info.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface TestSecret {
  user: string;
  /** The API token / password. Long and random, so a hit is never a coincidence. */
  token: string;
}

/** A fresh user + token pair (token `jstest-secret-<hex>`). */
export function testSecret(user = 'rel-user'): TestSecret {
  return { user, token: `jstest-secret-${randomBytes(12).toString('hex')}` };
}

/** `Basic <base64(user:token)>`, as sent in the Authorization header. */
export function basicAuthHeader(s: TestSecret): string {
  return 'Basic ' + Buffer.from(`${s.user}:${s.token}`).toString('base64');
}

/** `http://user:token@host/…` form of a base URL. */
export function urlWithUserInfo(baseUrl: string, s: TestSecret): string {
  const u = new URL(baseUrl);
  u.username = s.user;
  u.password = s.token;
  return u.toString();
}

/** Every textual form of the secret that must never appear anywhere. */
export function secretForms(s: TestSecret): string[] {
  const pair = `${s.user}:${s.token}`;
  const forms = new Set<string>([
    s.token,
    encodeURIComponent(s.token),
    pair,
    encodeURIComponent(s.user) + ':' + encodeURIComponent(s.token),
    Buffer.from(pair).toString('base64'),
    Buffer.from(pair).toString('base64url'),
    Buffer.from(s.token).toString('base64'),
  ]);
  // the token's random tail alone (catches truncated or re-encoded copies)
  forms.add(s.token.slice('jstest-secret-'.length));
  return [...forms].filter((f) => f.length >= 12);
}

export interface SecretLeak {
  /** Which form of the secret was found. */
  form: string;
  /** Where (label or file path). */
  where: string;
  /** A few characters around the hit, with the secret itself masked. */
  context: string;
}

/** All leaks of the secret in `text` (empty array: clean). `where` labels the text in reports. */
export function findSecretLeaks(text: string, s: TestSecret, where = 'output'): SecretLeak[] {
  const leaks: SecretLeak[] = [];
  for (const form of secretForms(s)) {
    let i = text.indexOf(form);
    while (i >= 0) {
      const context = text.slice(Math.max(0, i - 30), i + form.length + 30).split(form).join('<SECRET>');
      leaks.push({ form: form === s.token ? 'token' : 'derived form', where, context });
      i = text.indexOf(form, i + form.length);
    }
  }
  return leaks;
}

/** Scan every regular file under `dir` (recursively) for the secret; binary files are read as latin1 too. */
export async function scanTreeForSecret(dir: string, s: TestSecret): Promise<SecretLeak[]> {
  const leaks: SecretLeak[] = [];
  async function walk(d: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) {
        const buf = await readFile(p);
        leaks.push(...findSecretLeaks(buf.toString('utf8'), s, p));
        leaks.push(...findSecretLeaks(buf.toString('latin1'), s, p).filter((l) => !leaks.some((k) => k.where === p && k.context === l.context)));
      }
    }
  }
  await walk(dir);
  return leaks;
}
