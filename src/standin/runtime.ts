import type { Security, Permission } from './auth.js';
import { hasPermission } from './auth.js';
import type { BuildSimulator } from './builds.js';
import type { FaultState } from './faults.js';
import type { Ctx, Settings } from './http-kit.js';
import { forbidden } from './http-kit.js';
import type { Store } from './store.js';
import type { NodeStore } from './nodes.js';
import { type ExportCtx, buildBean } from './exported.js';

export interface RouteTiming {
  count: number;
  totalMs: number;
  maxMs: number;
  lastMs: number;
}

/** Everything one running stand-in holds; handlers receive it as an argument. */
export interface Runtime {
  store: Store;
  nodes: NodeStore;
  security: Security;
  builds: BuildSimulator;
  settings: Settings;
  faults: FaultState;
  counts: Map<string, number>;
  timings: Map<string, RouteTiming>;
  /** Writes still in flight (awaited by close()). */
  inflight: Set<Promise<unknown>>;
  /** Bumped by renames (they change the names and URLs of a whole subtree); items carry their own `rev`. */
  epoch: number;
}

/** Create an HTTP session for this request if it has none (crumb issuer, HTML pages). */
export function touchSession(rt: Runtime, ctx: Ctx): void {
  if (ctx.sessionId) return;
  ctx.sessionId = rt.security.newSession();
  ctx.newCookie = rt.security.setCookie(ctx.sessionId);
}

/** Check a permission; when missing, answer 403 and return false. */
export function need(rt: Runtime, ctx: Ctx, perm: Permission): boolean {
  if (hasPermission(ctx.principal, perm)) return true;
  forbidden(ctx, perm, () => touchSession(rt, ctx));
  return false;
}

export function exportCtx(rt: Runtime, ctx: Ctx): ExportCtx {
  const x: ExportCtx = {
    origin: ctx.origin,
    now: Date.now(),
    epoch: rt.epoch,
    queueFor: (item) => rt.builds.queuedFor(item),
    buildBusy: (item) => rt.builds.isBuilding(item),
    nodes: rt.nodes,
    root: rt.store.root,
    runningOn: (node) => rt.builds.runningOn(node),
    runningBuilds: (node) => rt.builds.runningBuildsOn(node).map(({ item, build }) => buildBean(x, item, build)),
  };
  return x;
}

/** Track a write so close() can wait for it. */
export function track<T>(rt: Runtime, p: Promise<T>): Promise<T> {
  rt.inflight.add(p);
  const done = (): void => {
    rt.inflight.delete(p);
  };
  p.then(done, done);
  return p;
}
