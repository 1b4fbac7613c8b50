import type { Ctx } from './http-kit.js';
import { failure, forbidden, jettyError, requirePost, send } from './http-kit.js';
import { type Runtime, need, touchSession } from './runtime.js';
import { type Item, fullNameOf } from './store.js';
import { childElements, firstChild, textOf } from '../xml/tree.js';
import { isBuildable } from './exported.js';
import { allParams, param } from './params.js';

/** Parameter definitions (`name` → default) of a job, or undefined when it is not parameterized. */
export function parameterDefinitions(item: Item): Map<string, string> | undefined {
  const props = firstChild(item.doc, 'properties');
  const pdp = props ? firstChild(props, 'hudson.model.ParametersDefinitionProperty') : undefined;
  if (!pdp) return undefined;
  const defs = firstChild(pdp, 'parameterDefinitions');
  const out = new Map<string, string>();
  for (const d of defs ? childElements(defs) : []) {
    const n = firstChild(d, 'name');
    if (!n) continue;
    const dv = firstChild(d, 'defaultValue');
    out.set(textOf(n), dv ? textOf(dv) : '');
  }
  return out;
}

function authToken(item: Item): string | undefined {
  const t = firstChild(item.doc, 'authToken');
  return t ? textOf(t) : undefined;
}


/** BuildAuthorizationToken.checkPermission: true when the request may trigger (answers otherwise). */
function checkTrigger(rt: Runtime, ctx: Ctx, item: Item): boolean {
  const token = param(ctx, 'token');
  const expected = authToken(item);
  if (expected !== undefined && token !== null) {
    if (token === expected) return true;
    forbidden(ctx, undefined, () => touchSession(rt, ctx));
    return false;
  }
  if (!need(rt, ctx, 'Job/Build')) return false;
  if (ctx.method !== 'POST') {
    requirePost(ctx);
    return false;
  }
  return true;
}

function delayMs(rt: Runtime, ctx: Ctx): number {
  const d = param(ctx, 'delay');
  const m = d ? /^(\d+)\s*(sec|secs|s)?$/.exec(d.trim()) : null;
  return m ? Math.min(Number(m[1]) * 1000, 60_000) : rt.settings.quietPeriodMs;
}

function queued(rt: Runtime, ctx: Ctx, item: Item, params: Record<string, string>, mergedStatus: number): void {
  // ParameterizedJobMixIn.getBuildCause: a RemoteCause when the job's token was used, else the user
  const viaToken = authToken(item) !== undefined && param(ctx, 'token') !== null;
  const { q, merged } = viaToken
    ? rt.builds.schedule(item, params, delayMs(rt, ctx), null, ctx.req.socket.remoteAddress ?? '127.0.0.1')
    : rt.builds.schedule(item, params, delayMs(rt, ctx), ctx.principal.anonymous ? null : ctx.principal.name);
  // Build-trigger Locations are always absolute (Stapler makes 201/303 targets absolute itself).
  send(ctx, merged ? mergedStatus : 201, { Location: `${ctx.origin}/queue/item/${q.id}/` });
}

/** `POST job/N/build`. */
export function build(rt: Runtime, ctx: Ctx, item: Item): void {
  if (!isBuildable(item)) return jettyError(ctx, 409, 'Conflict', `${fullNameOf(item)} is not buildable`);
  if (!checkTrigger(rt, ctx, item)) return;
  const defs = parameterDefinitions(item);
  queued(rt, ctx, item, defs ? Object.fromEntries(defs) : {}, 201);
}

/** `POST job/N/buildWithParameters?P=v`. */
export function buildWithParameters(rt: Runtime, ctx: Ctx, item: Item): void {
  if (!checkTrigger(rt, ctx, item)) return;
  if (!isBuildable(item)) return jettyError(ctx, 409, 'Conflict', `${fullNameOf(item)} is not buildable`);
  const defs = parameterDefinitions(item);
  if (!defs) return failure(ctx, `${fullNameOf(item)} is not parameterized`);
  const given = allParams(ctx);
  const params: Record<string, string> = {};
  for (const [k, dv] of defs) params[k] = given.get(k) ?? dv;
  const r = given.get('STANDIN_RESULT');
  if (r !== null && !defs.has('STANDIN_RESULT')) params.STANDIN_RESULT = r;
  queued(rt, ctx, item, params, 303);
}
