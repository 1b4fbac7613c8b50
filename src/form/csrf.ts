import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CSRF_COOKIE = 'jobsmith_csrf';

/**
 * CSRF protection for the form post: a random cookie per browser (HttpOnly, SameSite=Strict) and
 * a form token that is the HMAC of that cookie under a server secret; plus an Origin check.
 */
export class CsrfGuard {
  private readonly secret: Buffer;
  constructor(secret?: Buffer) {
    this.secret = secret ?? randomBytes(32);
  }

  newCookieValue(): string {
    return randomBytes(18).toString('base64url');
  }

  tokenFor(cookieValue: string): string {
    return createHmac('sha256', this.secret).update(cookieValue).digest('base64url');
  }

  /** Why a POST must be refused, or undefined when it may proceed. */
  refusal(req: IncomingMessage, cookieValue: string | undefined, token: string | undefined): string | undefined {
    const origin = header(req, 'origin');
    // Behind a reverse proxy the browser's host arrives as X-Forwarded-Host (a cross-site form post
    // cannot set that header, so trusting it does not help an attacker).
    const hosts = [header(req, 'host'), ...(header(req, 'x-forwarded-host') ?? '').split(',').map((h) => h.trim())].filter(Boolean);
    if (origin !== undefined && origin !== 'null') {
      let originHost: string;
      try {
        originHost = new URL(origin).host;
      } catch {
        return 'cross-site request refused (unreadable Origin header)';
      }
      if (!hosts.includes(originHost)) return `cross-site request refused (Origin ${origin} is not this server)`;
    } else if (origin === 'null') {
      return 'cross-site request refused (opaque Origin)';
    }
    const site = header(req, 'sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return `cross-site request refused (Sec-Fetch-Site: ${site})`;
    if (!cookieValue || !token) return 'the form has expired or cookies are disabled: reload the page and submit again';
    const expected = Buffer.from(this.tokenFor(cookieValue));
    const given = Buffer.from(token);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return 'the form token does not match: reload the page and submit again';
    }
    return undefined;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The request's cookies. Browsers send every cookie of the host (127.0.0.1 cookies of other local
 * apps, on any port): one that is not valid percent-encoding (`progress=50%`) is kept as written,
 * never an error.
 */
export function parseCookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (!k) continue;
    const raw = part.slice(i + 1).trim();
    try {
      out[k] = decodeURIComponent(raw);
    } catch {
      out[k] = raw;
    }
  }
  return out;
}
