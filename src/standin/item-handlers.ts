import path from 'node:path';
import type { Ctx } from './http-kit.js';
import { failure, oops, redirect, sendEmpty, sendXml, jettyError } from './http-kit.js';
import { type Runtime, need, track } from './runtime.js';
import { type Container, type Item, ItemMap, initFolderViews, fullNameOf, PathEscapeError, touch } from './store.js';
import { checkGoodName, escapeHtml, javaTrim, rawEncode } from './names.js';
import { BodyDecodingError, decodeByContentType, decodeXmlBytes, isXmlContentType } from './body-decoding.js';
import { type XmlElement, XmlSyntaxError, parseXml, setLeaf } from '../xml/tree.js';
import { FILE_DECLARATION, GET_DECLARATION, serialiseXml } from '../xml/serialise.js';
import { encryptSecrets, xstreamFieldOrder } from './field-order.js';
import { identityTransform } from '../xml/identity-transform.js';
import { itemTypeOf, nonItemClassOf } from './item-types.js';
import { param } from './params.js';
import { containerPath, itemPath, listViewJobNames } from './exported.js';
import { removeJobFromAllViews, renameJobInViews } from './view-handlers.js';


function cloneEl(el: XmlElement): XmlElement {
  return { name: el.name, attrs: el.attrs.map(([k, v]) => [k, v] as [string, string]), children: el.children.map((c) => (typeof c === 'string' ? c : cloneEl(c))) };
}

function newItem(parent: Container, name: string, doc: XmlElement, stored: string): Item {
  const type = itemTypeOf(doc.name)!;
  const item: Item = { name, parent, type, root: doc.name, doc, stored, pending: true, heldOff: false, builds: [], nextBuildNumber: 1, chain: Promise.resolve() };
  if (type.kind !== 'job') {
    const fv = initFolderViews(item);
    // Folders created from XML go through onLoad: their child map is case-sensitive (reference §3).
    item.container = { kind: 'folder', items: new ItemMap(false), views: fv.views, primaryView: fv.primary, viewsModifiable: fv.modifiable, item };
  }
  return item;
}

/** Insert and persist a new item; on any failure nothing is left behind. */
async function persistNew(rt: Runtime, ctx: Ctx, parent: Container, item: Item, bytes: string): Promise<boolean> {
  let dir: string;
  try {
    dir = rt.store.dirFor(parent, item.name);
  } catch (e) {
    oops(ctx, e instanceof PathEscapeError ? `java.io.IOException: Failed to create ${item.name}` : String(e));
    return false;
  }
  parent.items.set(item);
  try {
    await track(rt, rt.store.writeNew(dir, bytes));
  } catch (e) {
    parent.items.delete(item.name);
    await rt.store.removeDir(dir).catch(() => undefined);
    oops(ctx, `java.io.IOException: Failed to create ${path.basename(dir)}: ${(e as Error).message}`);
    return false;
  }
  item.pending = false;
  parent.items.changed();
  return true;
}

/** Parse a submitted config and check its root names an item type; answers 500 itself on failure. */
function parseItemXml(ctx: Ctx, text: string, where: string, malformedMessage: string): XmlElement | undefined {
  let doc: XmlElement;
  try {
    doc = parseXml(text);
  } catch (e) {
    oops(ctx, `java.io.IOException: ${malformedMessage}\nCaused by: ${(e as Error).message}`);
    return undefined;
  }
  if (!itemTypeOf(doc.name)) {
    const cls = nonItemClassOf(doc.name);
    if (cls) oops(ctx, `java.lang.ClassCastException: class ${cls} cannot be cast to class hudson.model.TopLevelItem`);
    else oops(ctx, `java.io.IOException: Unable to read ${where}\nCaused by: com.thoughtworks.xstream.mapper.CannotResolveClassException: ${doc.name}`);
    return undefined;
  }
  return doc;
}

/** Resolve a `from` path relative to a group (`a/b`, `/a/b`, `..`). */
export function resolveItemPath(rt: Runtime, from: string, context: Container): Item | undefined {
  let group: Container | undefined = from.startsWith('/') ? rt.store.root : context;
  const parts = from.split('/').filter((p) => p !== '' && p !== '.');
  let found: Item | undefined;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    if (!group) return undefined;
    if (p === '..') {
      group = group.item ? group.item.parent : undefined;
      found = undefined;
      continue;
    }
    found = group.items.get(p);
    if (!found || found.pending) return undefined;
    group = found.container;
    if (k < parts.length - 1 && !group) return undefined;
  }
  return found;
}

/** `POST [job/F/]createItem?name=N` (XML body, or `mode=copy&from=SRC`). */
export async function createItem(rt: Runtime, ctx: Ctx, parent: Container, onCreated?: (item: Item) => Promise<void>): Promise<void> {
  if (!need(rt, ctx, 'Job/Create')) return;
  const name = param(ctx, 'name');
  const mode = param(ctx, 'mode');
  const ct = ctx.req.headers['content-type'];
  if (!ct && mode !== 'copy') return failure(ctx, 'No Content-Type header set');
  if (name === null) return failure(ctx, "Query parameter 'name' is required");
  const bad = checkGoodName(name);
  if (bad) return failure(ctx, bad);
  const trimmed = javaTrim(name);
  if (parent.items.get(trimmed)) return failure(ctx, `A job already exists with the name \u2018${trimmed}\u2019`);

  if (mode === 'copy') return copyItem(rt, ctx, parent, trimmed);
  if (isXmlContentType(ct)) {
    let text: string;
    try {
      text = decodeXmlBytes(ctx.body);
    } catch (e) {
      return oops(ctx, `java.io.IOException: Failed to persist config.xml\nCaused by: ${(e as Error).message}`);
    }
    // XMLUtils.safeTransform writes the file, then XStream loads it.
    let stored: string;
    try {
      stored = identityTransform(text);
    } catch (e) {
      return oops(ctx, `java.io.IOException: Failed to persist config.xml\nCaused by: ${(e as Error).message}`);
    }
    const where = `${rt.store.home}/${path.relative(rt.store.home, safeDir(rt, parent, trimmed))}/config.xml`;
    const doc = parseItemXml(ctx, stored, where, 'Failed to persist config.xml');
    if (!doc) return;
    const item = newItem(parent, trimmed, doc, stored);
    if (!(await persistNew(rt, ctx, parent, item, stored))) return;
    if (onCreated) await onCreated(item);
    sendEmpty(ctx);
    return;
  }
  if (mode === null) return failure(ctx, 'No mode given');
  const known: Record<string, string> = {
    'hudson.model.FreeStyleProject': 'project',
    'org.jenkinsci.plugins.workflow.job.WorkflowJob': 'flow-definition',
    'com.cloudbees.hudson.plugins.folder.Folder': 'com.cloudbees.hudson.plugins.folder.Folder',
  };
  const root = known[mode];
  if (!root) return failure(ctx, `No item type \u2018${mode}\u2019 is known`);
  const item = newItem(parent, trimmed, { name: root, attrs: [], children: [] }, '');
  // a new empty item is saved by XStream (with the defaults onCreatedFromScratch set up)
  const stored = (item.stored = serialiseXml(item.doc, FILE_DECLARATION));
  if (await persistNew(rt, ctx, parent, item, stored)) redirect(ctx, `${containerPath(parent)}job/${rawEncode(trimmed)}/configure`);
}

function safeDir(rt: Runtime, parent: Container, name: string): string {
  try {
    return rt.store.dirFor(parent, name);
  } catch {
    return path.join(rt.store.home, 'jobs', '(invalid)');
  }
}

async function copyItem(rt: Runtime, ctx: Ctx, parent: Container, name: string): Promise<void> {
  const from = param(ctx, 'from');
  if (!from) return failure(ctx, 'Specify which job to copy');
  const src = resolveItemPath(rt, from, parent);
  if (!src) return failure(ctx, `No such job: ${from}`);
  const doc = cloneEl(src.doc);
  const item = newItem(parent, name, doc, src.stored);
  item.heldOff = item.type.kind === 'job';
  if (await persistNew(rt, ctx, parent, item, src.stored)) redirect(ctx, `${containerPath(parent)}job/${rawEncode(name)}/configure`);
}

/** `GET|POST job/N/config.xml`. */
export async function itemConfig(rt: Runtime, ctx: Ctx, item: Item): Promise<void> {
  if (ctx.method === 'GET') {
    if (!need(rt, ctx, 'Job/ExtendedRead')) return;
    const body = rt.settings.configGet === 'verbatim' ? item.stored : serialiseXml(encryptSecrets(xstreamFieldOrder(item.doc)), GET_DECLARATION);
    return sendXml(ctx, body);
  }
  if (ctx.method !== 'POST') return jettyError(ctx, 400, 'Bad Request', 'Bad Request');
  if (!need(rt, ctx, 'Job/Configure')) return;
  const reserialise = rt.settings.configGet === 'reserialise';
  const malformed = reserialise ? 'Failed to process config.xml' : 'Failed to persist config.xml';
  let text: string;
  try {
    text = decodeByContentType(ctx.body, ctx.req.headers['content-type']);
  } catch (e) {
    return oops(ctx, `java.io.IOException: ${malformed}\nCaused by: ${(e as Error).message}`);
  }
  let transformed: string;
  let doc: XmlElement;
  try {
    transformed = identityTransform(text);
    doc = parseXml(transformed);
  } catch (e) {
    return oops(ctx, `java.io.IOException: ${malformed}\nCaused by: ${(e as XmlSyntaxError).message}`);
  }
  const t = itemTypeOf(doc.name);
  if (!t) {
    const cls = nonItemClassOf(doc.name);
    return oops(ctx, cls
      ? `java.io.IOException: Expecting class ${item.type.cls} but got class ${cls} instead`
      : `java.io.IOException: Unable to read ${rt.store.dirOf(item)}/config.xml\nCaused by: com.thoughtworks.xstream.mapper.CannotResolveClassException: ${doc.name}`);
  }
  if (t.cls !== item.type.cls) return oops(ctx, `java.io.IOException: Expecting class ${item.type.cls} but got class ${t.cls} instead`);
  item.doc = doc;
  item.root = doc.name;
  item.heldOff = false;
  touch(item);
  if (item.container) {
    const fv = initFolderViews(item);
    item.container.views = fv.views;
    item.container.primaryView = fv.primary;
    item.container.viewsModifiable = fv.modifiable;
  }
  const bytes = reserialise ? serialiseXml(encryptSecrets(xstreamFieldOrder(doc)), FILE_DECLARATION) : transformed;
  item.stored = bytes;
  try {
    await track(rt, rt.store.enqueue(item, () => rt.store.writeConfig(item, bytes)));
  } catch (e) {
    return oops(ctx, `java.io.IOException: ${(e as Error).message}`);
  }
  sendEmpty(ctx);
}

/** Remove an item (and its children) from memory: queue, builds, views. */
function forget(rt: Runtime, item: Item): void {
  item.deleted = true;
  rt.builds.cancelFor(item);
  rt.builds.abortRunning(item);
  if (item.container) for (const c of [...item.container.items.list()]) forget(rt, c);
}

async function deleteItem(rt: Runtime, item: Item): Promise<void> {
  const dir = rt.store.dirOf(item);
  forget(rt, item);
  item.parent.items.delete(item.name);
  const changed = removeJobFromAllViews(rt, item);
  await track(rt, rt.store.enqueue(item, () => rt.store.removeDir(dir)));
  await changed;
}

/** `POST job/N/doDelete` → 302 to the nearest view or item group in the request path. */
export async function doDelete(rt: Runtime, ctx: Ctx, item: Item, redirectTo: string): Promise<void> {
  if (!need(rt, ctx, 'Job/Delete')) return;
  try {
    await deleteItem(rt, item);
  } catch (e) {
    return oops(ctx, `java.io.IOException: ${(e as Error).message}`);
  }
  redirect(ctx, redirectTo);
}

/** `DELETE job/N/` → 204. */
export async function httpDelete(rt: Runtime, ctx: Ctx, item: Item): Promise<void> {
  if (!need(rt, ctx, 'Job/Delete')) return;
  try {
    await deleteItem(rt, item);
  } catch (e) {
    return oops(ctx, `java.io.IOException: ${(e as Error).message}`);
  }
  sendEmpty(ctx, 204);
}

/** `POST job/N/disable|enable` → 302 to the job; saves the configuration in XStream form. */
export async function setDisabled(rt: Runtime, ctx: Ctx, item: Item, disabled: boolean): Promise<void> {
  if (!need(rt, ctx, 'Job/Configure')) return;
  const cur = item.doc.children.some((c) => typeof c !== 'string' && c.name === 'disabled' && c.children.join('').trim() === 'true');
  if (cur !== disabled) {
    setLeaf(item.doc, 'disabled', disabled ? 'true' : 'false', ['canRoam', 'keepDependencies', 'description', 'properties', 'scm', 'actions']);
    if (disabled) rt.builds.cancelFor(item);
    touch(item);
    try {
      await track(rt, rt.store.saveItem(item));
    } catch (e) {
      return oops(ctx, `java.io.IOException: ${(e as Error).message}`);
    }
  }
  redirect(ctx, itemPath(item));
}

/** `POST job/N/confirmRename|doRename?newName=M` → 302 to `/job/M`. */
export async function rename(rt: Runtime, ctx: Ctx, item: Item): Promise<void> {
  if (!need(rt, ctx, 'Job/Configure')) return;
  const raw = param(ctx, 'newName');
  const fv = (msg: string): void => failure(ctx, escapeHtml(msg), { escapeHtml: true });
  const newName = raw === null ? null : javaTrim(raw);
  const bad = checkGoodName(newName);
  if (bad) return fv(bad);
  const nn = newName!;
  if (nn === item.name) return fv('The new name is the same as the current name.');
  if (item.parent.items.get(nn)) return fv(`The name \u201c${nn}\u201d is already in use.`);
  if (rt.builds.isBuilding(item)) return fv('Unable to rename a job while it is building.');
  const oldDir = rt.store.dirOf(item);
  let newDir: string;
  try {
    newDir = rt.store.dirFor(item.parent, nn);
  } catch {
    return oops(ctx, `java.io.IOException: Failed to rename ${item.name} to ${nn}`);
  }
  const oldName = item.name;
  const parent = item.parent;
  try {
    await track(rt, rt.store.enqueue(item, () => rt.store.renameDir(oldDir, newDir)));
  } catch (e) {
    return oops(ctx, `java.io.IOException: Failed to rename ${oldName} to ${nn}: ${(e as Error).message}`);
  }
  parent.items.delete(oldName);
  item.name = nn;
  parent.items.set(item);
  rt.epoch++; // names and URLs of the item and everything under it changed
  const viewsSaved = renameJobInViews(rt, parent, oldName, nn);
  try {
    await track(rt, rt.store.saveItem(item));
    await viewsSaved;
  } catch (e) {
    return oops(ctx, `java.io.IOException: ${(e as Error).message}`);
  }
  redirect(ctx, `${containerPath(parent)}job/${rawEncode(nn)}`);
}

export { fullNameOf, listViewJobNames };
