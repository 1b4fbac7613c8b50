/**
 * The Folders plugin's move action (cloudbees-folder `RelocationAction.doMove` and
 * `StandardHandler`, core `Items.move`): `POST job/NAME/move/move?destination=/F1/F2`.
 *
 * - Permission `Item.RELOCATE` ("Job/Move") on the item; POST only.
 * - The destination is matched exactly against `"/" + fullName` of the item's valid destinations:
 *   the root (when it holds no item of that name), and every folder the user may create in that is
 *   not the item itself, not inside it, not its current parent, and holds no item of that name.
 *   Multibranch and organization folders are no destinations (not directly modifiable).
 * - A destination that is not valid, or the item's own parent, answers with a redirect to the
 *   previous page (the `Referer`, else the request's directory) and changes nothing: no error.
 * - Success: the item's directory (with its builds) moves, ListViews everywhere follow it (core's
 *   `ListView.Listener.onLocationChanged` rewrites relative job names), 302 to the new item URL.
 *   Moving does not check running builds (Items.move says so).
 */
import type { Ctx } from './http-kit.js';
import { oops, redirect, send } from './http-kit.js';
import { hasPermission } from './auth.js';
import { type Runtime, need, track } from './runtime.js';
import { type Container, type Item, fullNameOf } from './store.js';
import { containerPath, listViewJobNames } from './exported.js';
import { rawEncode } from './names.js';
import { setJobNames } from './view-handlers.js';
import { param } from './params.js';

function containerFullName(c: Container): string {
  return c.item ? fullNameOf(c.item) : '';
}

function isInside(c: Container, item: Item): boolean {
  for (let cur: Container | undefined = c; cur?.item; cur = cur.item.parent) if (cur.item === item) return true;
  return false;
}

function allContainers(root: Container): Container[] {
  const out: Container[] = [root];
  for (let k = 0; k < out.length; k++) for (const i of out[k]!.items.list()) if (i.container) out.push(i.container);
  return out;
}

/** StandardHandler.validDestinations, for the requesting user. */
export function validDestinations(rt: Runtime, ctx: Ctx, item: Item): Container[] {
  const canCreate = hasPermission(ctx.principal, 'Job/Create');
  const out: Container[] = [];
  const root = rt.store.root;
  if ((root === item.parent || canCreate) && root.items.get(item.name) === undefined) out.push(root);
  for (const c of allContainers(root)) {
    if (!c.item || c.item.type.kind !== 'folder') continue;
    if (c !== item.parent && !canCreate) continue;
    if (c.item === item || c === item.parent) continue;
    if (c.items.get(item.name) !== undefined) continue;
    if (isInside(c, item)) continue;
    out.push(c);
  }
  return out;
}

/** Items.getCanonicalName: a relative job name (`x`, `../x`, `/a/x`) resolved against a folder. */
export function canonicalName(contextFullName: string, relative: string): string {
  const name = contextFullName === '' ? [] : contextFullName.split('/');
  const parts = relative.split('/');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === 0 && p === '') {
      name.length = 0;
      continue;
    }
    if (p === '..') {
      name.pop();
      continue;
    }
    if (p === '.') continue;
    name.push(p);
  }
  return name.join('/');
}

/** Items.getRelativeNameFrom(String, String). */
export function relativeNameFrom(itemFullName: string, groupFullName: string): string {
  const a = itemFullName === '' ? [] : itemFullName.split('/');
  const g = groupFullName === '' ? [] : groupFullName.split('/');
  for (let i = 0; ; i++) {
    if (i === a.length) return i === g.length ? '.' : Array(g.length - a.length).fill('..').join('/');
    if (i === g.length) return a.slice(i).join('/');
    if (a[i] === g[i]) continue;
    return [...Array(g.length - i).fill('..'), ...a.slice(i)].join('/');
  }
}

/** ListView.Listener.onLocationChanged: every ListView's job names follow the item. */
export async function locationChangedInViews(rt: Runtime, oldFullName: string, newFullName: string): Promise<void> {
  const saves: Array<Promise<void>> = [];
  for (const c of allContainers(rt.store.root)) {
    const ctxName = containerFullName(c);
    let changed = false;
    for (const v of c.views) {
      if (!v.listView) continue;
      const names = listViewJobNames(v);
      const next = names.map((rel) => {
        const canonical = canonicalName(ctxName, rel);
        if (canonical !== oldFullName && !canonical.startsWith(oldFullName + '/')) return rel;
        const moved = newFullName + canonical.slice(oldFullName.length);
        return rel.startsWith('/') ? '/' + moved : relativeNameFrom(moved, ctxName);
      });
      if (next.some((n, i) => n !== names[i])) {
        setJobNames(v, next);
        changed = true;
      }
    }
    if (changed) saves.push(track(rt, rt.store.saveViews(c, rt.settings.version)));
  }
  await Promise.all(saves);
}

/** Stapler's forwardToPreviousPage: the Referer, else the directory of the request. */
function forwardToPreviousPage(ctx: Ctx): void {
  const referer = ctx.req.headers.referer;
  if (typeof referer === 'string' && referer !== '') {
    if (/^https?:\/\//i.test(referer) || referer.startsWith('/')) return send(ctx, 302, { Location: referer });
    const base = ctx.rawPath.slice(0, ctx.rawPath.lastIndexOf('/') + 1);
    return redirect(ctx, base + referer);
  }
  redirect(ctx, ctx.rawPath.slice(0, ctx.rawPath.lastIndexOf('/') + 1));
}

/** `POST job/NAME/move/move?destination=/F1/F2`. */
export async function moveItem(rt: Runtime, ctx: Ctx, item: Item): Promise<void> {
  if (!need(rt, ctx, 'Job/Move')) return;
  const destination = param(ctx, 'destination'); // @QueryParameter: the query string or a form body
  const dest = validDestinations(rt, ctx, item).find((c) => '/' + containerFullName(c) === destination);
  if (!dest || dest === item.parent) return forwardToPreviousPage(ctx);
  const oldFullName = fullNameOf(item);
  const oldDir = rt.store.dirOf(item);
  let newDir: string;
  try {
    newDir = rt.store.dirFor(dest, item.name);
  } catch {
    return oops(ctx, `java.io.IOException: Failed to move ${oldFullName}`);
  }
  try {
    await track(rt, rt.store.enqueue(item, () => rt.store.moveDir(oldDir, newDir)));
  } catch (e) {
    return oops(ctx, `java.io.IOException: Failed to move ${oldFullName}: ${(e as Error).message}`);
  }
  item.parent.items.delete(item.name);
  item.parent = dest;
  dest.items.set(item);
  rt.epoch++; // names and URLs of the item and everything under it changed
  try {
    await locationChangedInViews(rt, oldFullName, fullNameOf(item));
  } catch (e) {
    return oops(ctx, `java.io.IOException: ${(e as Error).message}`);
  }
  redirect(ctx, `${containerPath(dest)}job/${rawEncode(item.name)}/`);
}
