import type { Ctx } from './http-kit.js';
import { send } from './http-kit.js';
import type { Runtime } from './runtime.js';
import { parseFaultConfig } from './faults.js';

function json(ctx: Ctx, status: number, value: unknown): void {
  send(ctx, status, { 'Content-Type': 'application/json;charset=utf-8' }, JSON.stringify(value));
}

/**
 * Loopback control endpoint (no auth, not counted, no faults):
 * - `GET /__standin/faults` → current faults; `PUT|POST` (JSON body) replaces; `PATCH` merges; `DELETE` clears.
 * - `GET /__standin/counts` → `{counts, timings}`; `DELETE` resets them.
 * - `POST /__standin/expire-sessions`; `POST /__standin/revoke?user=NAME`; `POST /__standin/restore[?user=NAME]`.
 */
export function handleControl(rt: Runtime, ctx: Ctx): void {
  const what = ctx.segments[1] ?? '';
  const m = ctx.method;
  if (what === 'faults') {
    if (m === 'GET') return json(ctx, 200, rt.faults.config);
    if (m === 'DELETE') {
      rt.faults.config = {};
      return json(ctx, 200, rt.faults.config);
    }
    if (m === 'PUT' || m === 'POST' || m === 'PATCH') {
      let cfg;
      try {
        cfg = parseFaultConfig(JSON.parse(ctx.body.toString('utf8') || '{}'));
      } catch (e) {
        return json(ctx, 400, { error: (e as Error).message });
      }
      rt.faults.config = m === 'PATCH' ? { ...rt.faults.config, ...cfg } : cfg;
      return json(ctx, 200, rt.faults.config);
    }
  } else if (what === 'counts') {
    if (m === 'GET') return json(ctx, 200, { counts: Object.fromEntries(rt.counts), timings: Object.fromEntries(rt.timings) });
    if (m === 'DELETE' || m === 'POST') {
      rt.counts.clear();
      rt.timings.clear();
      return json(ctx, 200, { counts: {}, timings: {} });
    }
  } else if (what === 'expire-sessions' && m === 'POST') {
    rt.security.expireSessions();
    return json(ctx, 200, { ok: true });
  } else if (what === 'revoke' && m === 'POST') {
    const u = ctx.query.get('user');
    if (!u) return json(ctx, 400, { error: 'user parameter required' });
    rt.security.revoke(u);
    return json(ctx, 200, { ok: true });
  } else if (what === 'restore' && m === 'POST') {
    rt.security.restore(ctx.query.get('user') ?? undefined);
    return json(ctx, 200, { ok: true });
  }
  return json(ctx, 404, { error: 'unknown control request' });
}
