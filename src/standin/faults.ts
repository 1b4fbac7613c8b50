/**
 * Fault injection for tests: latency, error rates per route, dropped connections, slow or truncated
 * listings, session expiry and credential revocation. Random decisions come from a seeded RNG so a
 * test run is repeatable.
 */

export interface RouteFault {
  /** Probability 0..1 that a request on this route is hit (default 1). */
  rate?: number;
  /** Status for `errors` (500, 502 or 503; default 503). */
  status?: number;
  /** Only the next N matching requests are hit (default unlimited). */
  times?: number;
}

export interface FaultConfig {
  /** Extra latency before every request is handled, ms. */
  latencyMs?: number;
  /** Error responses by route key (`POST createItem`, `GET api/json`, `*` for every route). */
  errors?: Record<string, RouteFault>;
  /** Close the connection before answering (the request may or may not have been applied: never). */
  dropRequest?: Record<string, RouteFault>;
  /** Apply the request, then send headers and half the body and close the connection. */
  dropResponse?: Record<string, RouteFault>;
  /** Extra delay for item listings (`api/json` on the root, a folder or a view), ms. */
  slowListingMs?: number;
  /** Item listings answer 200 with a body cut in half (invalid JSON, consistent Content-Length). */
  truncateListing?: RouteFault | boolean;
}

export interface FaultControls {
  /** Replace the fault configuration. */
  set(config: FaultConfig): void;
  /** Merge into the fault configuration. */
  update(config: FaultConfig): void;
  get(): FaultConfig;
  /** Remove every fault (sessions and revocations are not restored). */
  clear(): void;
  /** Invalidate every HTTP session and so every crumb issued so far. */
  expireSessions(): void;
  /** Make a user's credentials fail with 401 from now on. */
  revokeCredentials(user: string): void;
  /** Undo revocations (one user, or all). */
  restoreCredentials(user?: string): void;
}

/** mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultState {
  config: FaultConfig = {};
  constructor(private readonly random: () => number) {}

  /** Does a fault table hit this route now? Consumes one `times` when it does. */
  private hit(table: Record<string, RouteFault> | undefined, route: string): RouteFault | undefined {
    if (!table) return undefined;
    const f = table[route] ?? table['*'];
    if (!f) return undefined;
    if (f.times !== undefined && f.times <= 0) return undefined;
    if (this.random() >= (f.rate ?? 1)) return undefined;
    if (f.times !== undefined) f.times--;
    return f;
  }
  errorFor(route: string): number | undefined {
    const f = this.hit(this.config.errors, route);
    return f ? (f.status ?? 503) : undefined;
  }
  dropRequest(route: string): boolean {
    return this.hit(this.config.dropRequest, route) !== undefined;
  }
  dropResponse(route: string): boolean {
    return this.hit(this.config.dropResponse, route) !== undefined;
  }
  truncateListing(): boolean {
    const t = this.config.truncateListing;
    if (t === undefined || t === false) return false;
    if (t === true) return true;
    return this.hit({ '*': t }, '*') !== undefined;
  }
}

/** Validate a fault configuration received as JSON on the control endpoint. */
export function parseFaultConfig(value: unknown): FaultConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('fault configuration must be a JSON object');
  const v = value as Record<string, unknown>;
  const out: FaultConfig = {};
  const num = (k: string): number | undefined => {
    if (v[k] === undefined) return undefined;
    if (typeof v[k] !== 'number' || !(v[k] as number >= 0)) throw new Error(`${k} must be a non-negative number`);
    return v[k] as number;
  };
  const routeFault = (x: unknown, where: string): RouteFault => {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) throw new Error(`${where} must be an object`);
    const r = x as Record<string, unknown>;
    const f: RouteFault = {};
    if (r.rate !== undefined) {
      if (typeof r.rate !== 'number' || r.rate < 0 || r.rate > 1) throw new Error(`${where}.rate must be between 0 and 1`);
      f.rate = r.rate;
    }
    if (r.status !== undefined) {
      if (typeof r.status !== 'number' || !Number.isInteger(r.status) || r.status < 400 || r.status > 599) throw new Error(`${where}.status must be an HTTP error status`);
      f.status = r.status;
    }
    if (r.times !== undefined) {
      if (typeof r.times !== 'number' || !Number.isInteger(r.times) || r.times < 0) throw new Error(`${where}.times must be a non-negative integer`);
      f.times = r.times;
    }
    return f;
  };
  const table = (k: string): Record<string, RouteFault> | undefined => {
    if (v[k] === undefined) return undefined;
    if (v[k] === null || typeof v[k] !== 'object' || Array.isArray(v[k])) throw new Error(`${k} must be an object of route → fault`);
    const t: Record<string, RouteFault> = {};
    for (const [route, f] of Object.entries(v[k] as Record<string, unknown>)) t[route] = routeFault(f, `${k}[${JSON.stringify(route)}]`);
    return t;
  };
  for (const k of Object.keys(v)) {
    if (!['latencyMs', 'errors', 'dropRequest', 'dropResponse', 'slowListingMs', 'truncateListing'].includes(k)) throw new Error(`unknown fault setting: ${k}`);
  }
  const latencyMs = num('latencyMs');
  if (latencyMs !== undefined) out.latencyMs = latencyMs;
  const slow = num('slowListingMs');
  if (slow !== undefined) out.slowListingMs = slow;
  const errors = table('errors');
  if (errors) out.errors = errors;
  const dq = table('dropRequest');
  if (dq) out.dropRequest = dq;
  const dr = table('dropResponse');
  if (dr) out.dropResponse = dr;
  if (v.truncateListing !== undefined) out.truncateListing = typeof v.truncateListing === 'boolean' ? v.truncateListing : routeFault(v.truncateListing, 'truncateListing');
  return out;
}
