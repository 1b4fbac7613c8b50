/**
 * CSRF crumb state. Jenkins checks a crumb on POSTs only, and not on API-token-authenticated ones
 * (>= 2.96), but older Jenkins and password or anonymous callers need one, bound to the HTTP
 * session of the crumb request (>= 2.186). So the crumb is fetched lazily before the first POST
 * (one GET per client), kept with the session cookie that came with it, and fetched again once
 * when a POST fails with "No valid crumb" (e.g. the session expired).
 */

/** A crumb; `none`: CSRF protection is off (issuer 404); `refused`: the issuer refused us (403). */
export type Crumb = { field: string; value: string } | 'none' | 'refused';

export interface CrumbFetchResult {
  crumb: Crumb;
  /** `name=value` pairs from Set-Cookie on the crumb response. */
  cookies: string[];
}

export class CrumbSession {
  private crumb: Crumb | undefined;
  private cookies = new Map<string, string>();
  private pending: Promise<void> | undefined;
  /** Incremented on every (re)fetch; a request remembers the generation it was sent with. */
  generation = 0;
  fetches = 0;

  constructor(private readonly fetchCrumb: (cookieHeader: string | undefined) => Promise<CrumbFetchResult>) {}

  /** Headers to add to a POST: the crumb and the session cookie. Fetches the crumb the first time. */
  async headersForPost(): Promise<{ headers: Record<string, string>; generation: number }> {
    if (this.crumb === undefined) await this.refetch(this.generation);
    return { headers: this.currentHeaders(), generation: this.generation };
  }

  currentHeaders(): Record<string, string> {
    const h: Record<string, string> = {};
    if (typeof this.crumb === 'object') h[this.crumb.field] = this.crumb.value;
    const cookie = this.cookieHeader();
    if (cookie !== undefined) h.cookie = cookie;
    return h;
  }

  /** True when the crumb issuer refused to give us a crumb (no Overall/Read). */
  get refused(): boolean {
    return this.crumb === 'refused';
  }

  cookieHeader(): string | undefined {
    return this.cookies.size ? [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }

  /**
   * Fetch a new crumb with a fresh session, unless another request already did so since
   * `seenGeneration` (concurrent crumb failures share one fetch).
   */
  async refetch(seenGeneration: number): Promise<void> {
    if (this.generation !== seenGeneration && this.crumb !== undefined) return;
    if (!this.pending) {
      this.pending = (async () => {
        try {
          this.cookies.clear();
          this.fetches++;
          const r = await this.fetchCrumb(undefined);
          for (const c of r.cookies) {
            const eq = c.indexOf('=');
            if (eq > 0) this.cookies.set(c.slice(0, eq).trim(), c.slice(eq + 1).trim());
          }
          this.crumb = r.crumb;
          this.generation++;
        } finally {
          this.pending = undefined;
        }
      })();
    }
    await this.pending;
  }
}

/** `name=value` of each Set-Cookie header (attributes dropped). */
export function cookiePairs(setCookie: string | string[] | undefined): string[] {
  if (setCookie === undefined) return [];
  const list = Array.isArray(setCookie) ? setCookie : [setCookie];
  return list.map((c) => c.split(';')[0]!.trim()).filter((c) => c.includes('='));
}
