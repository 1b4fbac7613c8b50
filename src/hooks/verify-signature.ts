/**
 * Is a webhook request signed with our secret? Per provider:
 * - GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`;
 * - Gitea: `X-Gitea-Signature: <hex HMAC-SHA256 of the body>`;
 * - Bitbucket Server / Data Center: `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>`;
 * - GitLab: `X-Gitlab-Token: <the secret itself>` (GitLab sends the token, it does not sign).
 * Comparisons are constant-time (crypto.timingSafeEqual over equal-length digests).
 *
 * `checkSignatureHeader` is what can be told before the body is read (no secret, a missing or
 * malformed header, a wrong GitLab token): the HTTP route answers those at once, without reading the
 * body; only a well-formed signature leads to reading it (bounded) and to `verifySignature`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Provider } from './hook-event.js';

export type HeaderGetter = (name: string) => string | undefined;

/** The header each provider authenticates with. */
export const SIGNATURE_HEADER: Record<Provider, string> = {
  github: 'x-hub-signature-256',
  gitea: 'x-gitea-signature',
  bitbucket: 'x-hub-signature',
  gitlab: 'x-gitlab-token',
};

function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function hexOf(text: string): Buffer | undefined {
  const t = text.trim().toLowerCase();
  return /^[0-9a-f]{64}$/.test(t) ? Buffer.from(t, 'hex') : undefined;
}

/** Why a request is refused before its body is read; undefined: read the body and verify it. */
export type HeaderRefusal = 'no-secret' | 'missing' | 'malformed' | 'wrong-token';

/** A signature header as the provider sends it: `sha256=<64 hex>` (GitHub, Bitbucket) or `<64 hex>` (Gitea). */
const WELL_FORMED: Record<Exclude<Provider, 'gitlab'>, RegExp> = {
  github: /^sha256=[0-9a-f]{64}$/i,
  bitbucket: /^sha256=[0-9a-f]{64}$/i,
  gitea: /^[0-9a-f]{64}$/i,
};

function sameToken(given: string, secret: string): boolean {
  // hash both sides first: equal lengths for timingSafeEqual, and no early exit on length
  return sameDigest(createHash('sha256').update(given, 'utf8').digest(), createHash('sha256').update(secret, 'utf8').digest());
}

/**
 * What the headers alone say (the body is not needed for it): a refusal, or undefined when the body
 * must be read and verified. GitLab's token does not depend on the body, so it is compared here.
 */
export function checkSignatureHeader(provider: Provider, secret: string | undefined, header: HeaderGetter): HeaderRefusal | undefined {
  if (secret === undefined || secret === '') return 'no-secret';
  const given = header(SIGNATURE_HEADER[provider]);
  if (given === undefined || given.trim() === '') return 'missing';
  if (provider === 'gitlab') return sameToken(given, secret) ? undefined : 'wrong-token';
  return WELL_FORMED[provider].test(given.trim()) ? undefined : 'malformed';
}

/** True only when the request carries the right signature (or token) for `body`. */
export function verifySignature(provider: Provider, secret: string | undefined, header: HeaderGetter, body: Buffer): boolean {
  if (secret === undefined || secret === '') return false;
  const given = header(SIGNATURE_HEADER[provider]);
  if (given === undefined || given === '') return false;
  if (provider === 'gitlab') return sameToken(given, secret);
  const expected = createHmac('sha256', secret).update(body).digest();
  let hex = given.trim();
  if (provider !== 'gitea') {
    if (!/^sha256=/i.test(hex)) return false;
    hex = hex.slice('sha256='.length);
  }
  const got = hexOf(hex);
  return got !== undefined && sameDigest(got, expected);
}

/** A signature header for `body` as the provider would send it (tests, the benchmark, docs' examples). */
export function signatureFor(provider: Provider, secret: string, body: string | Buffer): { name: string; value: string } {
  if (provider === 'gitlab') return { name: 'X-Gitlab-Token', value: secret };
  const hex = createHmac('sha256', secret).update(body).digest('hex');
  if (provider === 'gitea') return { name: 'X-Gitea-Signature', value: hex };
  return { name: provider === 'github' ? 'X-Hub-Signature-256' : 'X-Hub-Signature', value: `sha256=${hex}` };
}
