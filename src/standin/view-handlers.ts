import type { Ctx } from './http-kit.js';
import { failure, jettyError, oops, redirect, sendEmpty, sendXml } from './http-kit.js';
import { type Runtime, need, track } from './runtime.js';
import { type Container, type Item, type View, viewFromElement } from './store.js';
import { checkGoodName } from './names.js';
import { BodyDecodingError, decodeByContentType, decodeXmlBytes, isXmlContentType } from './body-decoding.js';
import { type XmlElement, firstChild, parseXml, setLeaf } from '../xml/tree.js';
import { GET_DECLARATION, serialiseXml } from '../xml/serialise.js';
import { itemTypeOf, nonItemClassOf, viewTypeOf } from './item-types.js';
import { containerPath, listViewJobNames, viewPath } from './exported.js';
import { resolveItemPath } from './item-handlers.js';
import { hasAnyParam, param } from './params.js';
import { xstreamViewFields } from './field-order.js';

function save(rt: Runtime, c: Container): Promise<void> {
  return track(rt, rt.store.saveViews(c, rt.settings.version));
}

function emptyListView(name: string): XmlElement {
  return {
    name: 'hudson.model.ListView',
    attrs: [],
    children: [
      { name: 'name', attrs: [], children: [name] },
      { name: 'filterExecutors', attrs: [], children: ['false'] },
      { name: 'filterQueue', attrs: [], children: ['false'] },
      { name: 'properties', attrs: [['class', 'hudson.model.View$PropertyList']], children: [] },
      { name: 'jobNames', attrs: [], children: [{ name: 'comparator', attrs: [['class', 'java.lang.String$CaseInsensitiveComparator']], children: [] }] },
      { name: 'jobFilters', attrs: [], children: [] },
      { name: 'columns', attrs: [], children: ['hudson.views.StatusColumn', 'hudson.views.WeatherColumn', 'hudson.views.JobColumn', 'hudson.views.LastSuccessColumn', 'hudson.views.LastFailureColumn', 'hudson.views.LastDurationColumn', 'hudson.views.BuildButtonColumn'].map((n) => ({ name: n, attrs: [], children: [] })) },
      { name: 'recurse', attrs: [], children: ['false'] },
    ],
  };
}

function cloneEl(el: XmlElement): XmlElement {
  return { name: el.name, attrs: el.attrs.map(([k, v]) => [k, v] as [string, string]), children: el.children.map((c) => (typeof c === 'string' ? c : cloneEl(c))) };
}

/** `POST [job/F/]createView?name=V` with an XML body, or `mode=hudson.model.ListView` / `mode=copy&from=V`. */
export async function createView(rt: Runtime, ctx: Ctx, c: Container): Promise<void> {
  if (!need(rt, ctx, 'View/Create')) return;
  const name = param(ctx, 'name');
  const mode = param(ctx, 'mode');
  const ct = ctx.req.headers['content-type'];
  if (!ct && mode !== 'copy') return failure(ctx, 'No Content-Type header set');
  const bad = checkGoodName(name);
  if (bad) return failure(ctx, bad);
  const nm = name!;
  if (c.views.some((v) => v.name === nm)) return failure(ctx, `A view already exists with the name "${nm}"`);
  let view: View;
  if (mode === 'copy') {
    const from = param(ctx, 'from');
    if (!from) return failure(ctx, 'Specify which view to copy');
    const src = c.views.find((v) => v.name === from);
    if (!src) return failure(ctx, `No such view: ${from}`);
    const doc = cloneEl(src.doc);
    setLeaf(doc, 'name', nm);
    view = viewFromElement(doc, nm)!;
  } else if (isXmlContentType(ct) && mode === null) {
    let doc: XmlElement;
    try {
      doc = parseXml(decodeXmlBytes(ctx.body));
    } catch (e) {
      return oops(ctx, `java.io.IOException: Unable to read\nCaused by: ${(e as Error).message}`);
    }
    if (!viewTypeOf(doc.name)) return oops(ctx, notAView(doc.name));
    setLeaf(doc, 'name', nm);
    view = viewFromElement(doc, nm)!;
  } else if (mode === null) {
    return failure(ctx, 'No view type is specified');
  } else {
    const t = viewTypeOf(mode);
    if (!t || !t.listView) return failure(ctx, `No view type \u2018${mode}\u2019 is known`);
    // descriptor.newInstance(req, req.getSubmittedForm()): Stapler wants the `json` form field.
    const json = param(ctx, 'json');
    if (json === null || json === '') return jettyError(ctx, 400, 'Bad Request', hasAnyParam(ctx) ? 'This page expects a form submission' : 'Nothing is submitted');
    let form: unknown;
    try {
      form = JSON.parse(json);
    } catch {
      form = undefined;
    }
    if (form === null || typeof form !== 'object' || Array.isArray(form)) return oops(ctx, `javax.servlet.ServletException: Failed to parse JSON:${json}`);
    view = viewFromElement(emptyListView(nm), nm)!;
  }
  // Computed folders (multibranch, organization) ignore addView: the request succeeds, nothing changes.
  if (c.viewsModifiable === false) {
    if (mode !== null) return redirect(ctx, `${viewPath(c, view)}configure`);
    return sendEmpty(ctx);
  }
  c.views.push(view);
  try {
    await save(rt, c);
  } catch (e) {
    return oops(ctx, `java.io.IOException: ${(e as Error).message}`);
  }
  if (mode !== null && mode !== 'copy') return redirect(ctx, `${viewPath(c, view)}configure`);
  if (mode === 'copy') return redirect(ctx, `${viewPath(c, view)}configure`);
  sendEmpty(ctx);
}

/**
 * Jenkins' answer to a view config whose root is not a view it knows. View.createViewFromXML casts
 * `Jenkins.XSTREAM.fromXML(in)` to View and wraps only StreamException, ConversionException and
 * Error in "Unable to read": a class no plugin provides is XStream's CannotResolveClassException
 * (an XStreamException, not wrapped), a known class that is not a view a ClassCastException.
 */
function notAView(root: string): string {
  const cls = itemTypeOf(root)?.cls ?? nonItemClassOf(root);
  if (cls) return `java.lang.ClassCastException: class ${cls} cannot be cast to class hudson.model.View`;
  return `com.thoughtworks.xstream.mapper.CannotResolveClassException: ${root}`;
}

function withoutOwner(el: XmlElement): XmlElement {
  return { ...el, children: el.children.filter((ch) => typeof ch === 'string' || ch.name !== 'owner') };
}

/** `GET|POST view/V/config.xml`. */
export async function viewConfig(rt: Runtime, ctx: Ctx, c: Container, v: View): Promise<void> {
  if (ctx.method === 'GET') {
    if (!need(rt, ctx, 'View/Read')) return;
    return sendXml(ctx, serialiseXml(withoutOwner(xstreamViewFields(v.doc)), GET_DECLARATION));
  }
  if (ctx.method !== 'POST') return oops(ctx, `Unexpected request method ${ctx.method}`, 400);
  if (!need(rt, ctx, 'View/Configure')) return;
  let doc: XmlElement;
  try {
    doc = parseXml(decodeByContentType(ctx.body, ctx.req.headers['content-type']));
  } catch (e) {
    if (e instanceof BodyDecodingError) return oops(ctx, `java.io.IOException: Failed to persist configuration.xml\nCaused by: ${e.message}`);
    return oops(ctx, `java.io.IOException: Failed to persist configuration.xml\nCaused by: ${(e as Error).message}`);
  }
  const t = viewTypeOf(doc.name);
  if (!t) return oops(ctx, notAView(doc.name));
  if (t.cls !== v.cls) return oops(ctx, `java.io.IOException: Expecting view type: ${v.cls} but got: ${t.cls} instead.`);
  setLeaf(doc, 'name', v.name);
  const owner = firstChild(v.doc, 'owner');
  if (owner && !firstChild(doc, 'owner')) doc.children.unshift(owner);
  v.doc = doc;
  try {
    await save(rt, c);
  } catch (e) {
    return oops(ctx, `java.io.IOException: ${(e as Error).message}`);
  }
  sendEmpty(ctx);
}

/** `POST view/V/doDelete` → 302 to the owner. */
export async function deleteView(rt: Runtime, ctx: Ctx, c: Container, v: View): Promise<void> {
  if (!need(rt, ctx, 'View/Delete')) return;
  if (c.viewsModifiable === false) return redirect(ctx, containerPath(c));
  if (c.views.length <= 1) return oops(ctx, 'java.lang.IllegalStateException: Cannot delete last view');
  c.views = c.views.filter((x) => x !== v);
  if (c.primaryView === v.name) c.primaryView = c.views[0]!.name;
  try {
    await save(rt, c);
  } catch (e) {
    return oops(ctx, `java.io.IOException: ${(e as Error).message}`);
  }
  redirect(ctx, containerPath(c));
}

function jobNamesEl(v: View): XmlElement {
  let jn = firstChild(v.doc, 'jobNames');
  if (!jn) {
    jn = { name: 'jobNames', attrs: [], children: [{ name: 'comparator', attrs: [['class', 'java.lang.String$CaseInsensitiveComparator']], children: [] }] };
    const props = v.doc.children.findIndex((ch) => typeof ch !== 'string' && ch.name === 'properties');
    v.doc.children.splice(props >= 0 ? props + 1 : v.doc.children.length, 0, jn);
  }
  return jn;
}
export function setJobNames(v: View, names: string[]): void {
  const jn = jobNamesEl(v);
  const comparator = jn.children.filter((ch) => typeof ch !== 'string' && ch.name !== 'string');
  const ci = comparator.length > 0;
  const uniq: string[] = [];
  for (const n of names) if (!uniq.some((u) => (ci ? u.toLowerCase() === n.toLowerCase() : u === n))) uniq.push(n);
  uniq.sort((a, b) => {
    const x = ci ? a.toLowerCase() : a;
    const y = ci ? b.toLowerCase() : b;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  jn.children = [...comparator, ...uniq.map((n) => ({ name: 'string', attrs: [], children: [n] }) as XmlElement)];
}

function relativeName(item: Item, c: Container): string {
  if (item.parent === c) return item.name;
  const parts: string[] = [item.name];
  let g = item.parent;
  while (g.item && g !== c) {
    parts.unshift(g.item.name);
    g = g.item.parent;
  }
  return g === c ? parts.join('/') : '/' + parts.join('/');
}

/** `POST view/V/addJobToView?name=J` / `removeJobFromView` → 200 empty. */
export async function addRemoveJob(rt: Runtime, ctx: Ctx, c: Container, v: View, add: boolean): Promise<void> {
  if (!need(rt, ctx, 'View/Configure')) return;
  const name = param(ctx, 'name');
  if (name === null) return failure(ctx, "Query parameter 'name' is required");
  const item = resolveItemPath(rt, name, c) ?? resolveItemPath(rt, '/' + name, c);
  if (!item) return failure(ctx, add ? "Query parameter 'name' does not correspond to a known item" : "Query parameter 'name' does not correspond to a known and readable item");
  const rel = relativeName(item, c);
  const names = listViewJobNames(v);
  const next = add ? [...names, rel] : names.filter((n) => n.toLowerCase() !== rel.toLowerCase());
  setJobNames(v, next);
  try {
    await save(rt, c);
  } catch (e) {
    return oops(ctx, `java.io.IOException: ${(e as Error).message}`);
  }
  sendEmpty(ctx);
}

/** ListView's item listener: drop a deleted job from the views of its group. */
export function removeJobFromAllViews(rt: Runtime, item: Item): Promise<void> {
  const c = item.parent;
  let changed = false;
  for (const v of c.views) {
    if (!v.listView) continue;
    const names = listViewJobNames(v);
    const next = names.filter((n) => n.toLowerCase() !== item.name.toLowerCase());
    if (next.length !== names.length) {
      setJobNames(v, next);
      changed = true;
    }
  }
  return changed && (c.kind === 'root' || c.item?.parent.items.get(c.item.name) === c.item) ? save(rt, c) : Promise.resolve();
}

/** ListView's item listener: follow a rename. */
export function renameJobInViews(rt: Runtime, c: Container, oldName: string, newName: string): Promise<void> {
  let changed = false;
  for (const v of c.views) {
    if (!v.listView) continue;
    const names = listViewJobNames(v);
    if (names.some((n) => n.toLowerCase() === oldName.toLowerCase())) {
      setJobNames(v, names.map((n) => (n.toLowerCase() === oldName.toLowerCase() ? newName : n)));
      changed = true;
    }
  }
  return changed ? save(rt, c) : Promise.resolve();
}

/** Add a job name to a ListView and save its owner. */
export function addJobNameToView(rt: Runtime, c: Container, v: View, name: string): Promise<void> {
  setJobNames(v, [...listViewJobNames(v), name]);
  return save(rt, c);
}
