/** `queue/api/json`, `queue/cancelItem`, `queue/item/N/` (index, api/json, cancelQueue). */
import type { Ctx } from './http-kit.js';
import { notFound, oops, requirePost, send, sendEmpty } from './http-kit.js';
import { type Runtime, need } from './runtime.js';
import type { QueueItem } from './builds.js';
import { hasPermission } from './auth.js';
import { param } from './params.js';

/** `HttpResponses.error(code, message)`: the Oops page with the given status. */
function error(ctx: Ctx, status: number, message: string): void {
  oops(ctx, message, status);
}

/** `POST queue/cancelItem?id=N` (`Queue.doCancelItem`): 204, 404 unknown, 422 no Cancel permission, 500 already left. */
export function cancelItem(rt: Runtime, ctx: Ctx): void {
  if (ctx.method !== 'POST') return requirePost(ctx);
  const raw = param(ctx, 'id');
  let id = 0;
  if (raw !== null && raw !== '') {
    if (!/^-?\d+$/.test(raw.trim())) return oops(ctx, `org.apache.commons.beanutils.ConversionException: Error converting '${raw}' to long`);
    id = Number(raw.trim());
  }
  const q = rt.builds.get(id);
  if (!q) return error(ctx, 404, `Provided id (${id}) not found`);
  if (!hasCancel(rt, ctx)) return error(ctx, 422, `Item for id (${id}) is not cancellable`);
  if (!rt.builds.cancel(q)) return error(ctx, 500, `Could not cancel run for id ${id}`);
  sendEmpty(ctx, 204);
}

/** `Item.hasCancelPermission()`: the task's `Item.CANCEL`. */
function hasCancel(_rt: Runtime, ctx: Ctx): boolean {
  return hasPermission(ctx.principal, 'Job/Cancel');
}

/** `queue/item/N/...` other than api/json. */
export function queueItemAction(rt: Runtime, ctx: Ctx, q: QueueItem, action: string): void {
  if (action === '') {
    // Queue.Item.doIndex: a text pointer to the API
    return send(ctx, 200, { 'Content-Type': 'text/plain;charset=utf-8' }, `Queue item exists. For details check, for example, ${ctx.rawPath}api/json?tree=cancelled,executable[url]`);
  }
  if (action === 'cancelQueue') {
    // deprecated Queue.Item.doCancelQueue: 204 whether or not it could cancel
    if (ctx.method !== 'POST') return requirePost(ctx);
    if (!need(rt, ctx, 'Job/Read')) return;
    if (hasCancel(rt, ctx)) rt.builds.cancel(q);
    return sendEmpty(ctx, 204);
  }
  return notFound(ctx);
}
