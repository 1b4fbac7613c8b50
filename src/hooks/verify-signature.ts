/**
 * Is a webhook request signed with our secret? Per provider:
 * - GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`;
 * - Gitea: `X-Gitea-Signature: <hex HMAC-SHA256 of the body>`;
 * - Bitbucket Server / Data Center: `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>`;
 * - GitLab: `X-Gitlab-Token: <the secret itself>` (GitLab sends the token, it does not sign).
 * Comparisons are constant-time (crypto.timingSafeEqual over equal-length digests).
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

/** True only when the request carries the right signature (or token) for `body`. */
export function verifySignature(provider: Provider, secret: string | undefined, header: HeaderGetter, body: Buffer): boolean {
  if (secret === undefined || secret === '') return false;
  const given = header(SIGNATURE_HEADER[provider]);
  if (given === undefined || given === '') return false;
  if (provider === 'gitlab') {
    // hash both sides first: equal lengths for timingSafeEqual, and no early exit on length
    return sameDigest(createHash('sha256').update(given, 'utf8').digest(), createHash('sha256').update(secret, 'utf8').digest());
  }
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
