/**
 * Agents through the API (`hudson.model.ComputerSet`, `Computer`, `SlaveComputer`):
 * `computer/doCreateItem` (form + `json`), `computer/createItem` (XML body or `mode=copy`),
 * `computer/NAME/config.xml` GET/POST, `doDelete`, `toggleOffline`, `changeOfflineCause`,
 * `doDisconnect`, `launchSlaveAgent`.
 */
import type { Ctx } from './http-kit.js';
import { failure, forbidden, jettyError, layoutPage, notFound, oops, redirect, requirePost, send, sendEmpty, sendXml } from './http-kit.js';
import { type Runtime, need, touchSession } from './runtime.js';
import { type XmlElement, firstChild, parseXml, setLeaf, textOf } from '../xml/tree.js';
import { GET_DECLARATION, serialiseXml } from '../xml/serialise.js';
import { identityTransform } from '../xml/identity-transform.js';
import { BodyDecodingError, decodeByContentType, decodeXmlBytes, isXmlContentType } from './body-decoding.js';
import { checkGoodName, escapeHtml, javaTrim, rawEncode } from './names.js';
import { hasAnyParam, param } from './params.js';
import { type StandinNode, NodeStore, computerSegment, displayNameOf, isOnline } from './nodes.js';

/** XStream names of permanent agents (`Jenkins.XSTREAM.alias("slave", DumbSlave.class)`). */
const AGENT_ROOTS = new Set(['slave', 'hudson.slaves.DumbSlave']);
/** Descriptor ids / descriptor class names `NodeDescriptor.all().find(type)` accepts. */
const AGENT_TYPES = new Set(['hudson.slaves.DumbSlave', 'hudson.slaves.DumbSlave$DescriptorImpl']);

function computerPath(n: StandinNode): string {
  return `/computer/${rawEncode(computerSegment(n))}/`;
}

function fixEmptyAndTrim(s: string | null): string | null {
  if (s === null) return null;
  const t = javaTrim(s);
  return t === '' ? null : t;
}

function nodesChanged(rt: Runtime): void {
  rt.builds.poke();
}

/** `getSubmittedForm()`: the `json` field as an object; answers 400/500 itself when it is missing or bad. */
function submittedForm(ctx: Ctx): Record<string, unknown> | undefined {
  const json = param(ctx, 'json');
  if (json === null || json === '') {
    jettyError(ctx, 400, 'Bad Request', hasAnyParam(ctx) ? 'This page expects a form submission' : 'Nothing is submitted');
    return undefined;
  }
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    v = undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    oops(ctx, `javax.servlet.ServletException: Failed to parse JSON:${json}`);
    return undefined;
  }
  return v as Record<string, unknown>;
}

function leafEl(name: string, value: string): XmlElement {
  return { name, attrs: [], children: value === '' ? [] : [value] };
}

/** A describable from a form object (`{"stapler-class": "...", field: value}`) as XStream would write it. */
function describable(name: string, v: unknown, fallback: string): XmlElement {
  const o = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const cls = typeof o['stapler-class'] === 'string' ? (o['stapler-class'] as string) : typeof o.$class === 'string' ? (o.$class as string) : fallback;
  const children: XmlElement[] = [];
  if (cls === 'hudson.slaves.JNLPLauncher') {
    children.push({ name: 'workDirSettings', attrs: [], children: [leafEl('disabled', 'false'), leafEl('internalDir', 'remoting'), leafEl('failIfWorkDirIsMissing', 'false')] });
    children.push(leafEl('webSocket', String(o.webSocket === true)));
  } else {
    for (const [k, val] of Object.entries(o)) {
      if (k === 'stapler-class' || k === '$class' || !/^[A-Za-z_][\w.-]*$/.test(k)) continue;
      if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') children.push(leafEl(k, String(val)));
    }
  }
  return { name, attrs: [['class', cls]], children };
}

/** The `<slave>` a DumbSlave built from the create form serialises to. */
function agentFromForm(name: string, f: Record<string, unknown>): { doc: XmlElement } | { error: string } {
  const str = (k: string): string => (typeof f[k] === 'string' ? (f[k] as string) : typeof f[k] === 'number' ? String(f[k]) : '');
  const execRaw = str('numExecutors');
  const executors = execRaw === '' ? 1 : Number(execRaw);
  if (!Number.isInteger(executors) || executors <= 0) return { error: `Invalid agent configuration for ${name}. Invalid number of executors.` };
  const mode = str('mode') === 'EXCLUSIVE' ? 'EXCLUSIVE' : 'NORMAL';
  return {
    doc: {
      name: 'slave',
      attrs: [],
      children: [
        leafEl('name', name),
        leafEl('description', str('nodeDescription')),
        leafEl('remoteFS', javaTrim(str('remoteFS'))),
        leafEl('numExecutors', String(executors)),
        leafEl('mode', mode),
        describable('retentionStrategy', f.retentionStrategy, 'hudson.slaves.RetentionStrategy$Always'),
        describable('launcher', f.launcher, 'hudson.slaves.JNLPLauncher'),
        leafEl('label', javaTrim(str('labelString'))),
        { name: 'nodeProperties', attrs: [], children: [] },
      ],
    },
  };
}

function addAgent(rt: Runtime, ctx: Ctx, name: string, doc: XmlElement): boolean {
  setLeaf(doc, 'name', name);
  try {
    rt.nodes.put({ name, builtIn: false, doc });
  } catch (e) {
    oops(ctx, `java.io.IOException: ${(e as Error).message}`);
    return false;
  }
  nodesChanged(rt);
  return true;
}

/** `ComputerSet.checkName`: required, trimmed, a good name, not taken. */
function checkAgentName(rt: Runtime, ctx: Ctx, name: string | null): string | undefined {
  if (name === null) {
    failure(ctx, "Query parameter 'name' is required");
    return undefined;
  }
  const t = javaTrim(name);
  const bad = checkGoodName(t);
  if (bad) {
    failure(ctx, bad);
    return undefined;
  }
  if (rt.nodes.agent(t) || t === '') {
    failure(ctx, `Agent called \u2018${t}\u2019 already exists`);
    return undefined;
  }
  return t;
}

/** `POST computer/doCreateItem?name=N&type=T&json={...}` → 302 to `/computer/`. */
export function doCreateAgent(rt: Runtime, ctx: Ctx): void {
  if (!need(rt, ctx, 'Agent/Create')) return;
  const name = checkAgentName(rt, ctx, fixEmptyAndTrim(param(ctx, 'name')));
  if (name === undefined) return;
  const form = submittedForm(ctx);
  if (!form) return;
  const type = param(ctx, 'type');
  if (type === null || !AGENT_TYPES.has(type)) return oops(ctx, `java.lang.NullPointerException: no node type ${type === null ? '' : type}`);
  const made = agentFromForm(name, form);
  if ('error' in made) return failure(ctx, made.error);
  if (!addAgent(rt, ctx, name, made.doc)) return;
  redirect(ctx, '/computer/');
}

/** `POST computer/createItem`: an XML body (200), `mode=copy&from=X` (302 to the copy's configure page). */
export function createAgentItem(rt: Runtime, ctx: Ctx): void {
  if (!need(rt, ctx, 'Agent/Create')) return;
  const mode = param(ctx, 'mode');
  if (mode === 'copy') {
    const name = checkAgentName(rt, ctx, param(ctx, 'name'));
    if (name === undefined) return;
    const from = param(ctx, 'from') ?? '';
    const src = rt.nodes.agent(from);
    if (!src) return failure(ctx, from === '' ? 'Specify which agent to copy' : `No such agent: ${from}`);
    const doc = parseXml(serialiseXml(src.doc, GET_DECLARATION));
    if (!addAgent(rt, ctx, name, doc)) return;
    return redirect(ctx, `/computer/${rawEncode(name)}/configure`);
  }
  if (isXmlContentType(ctx.req.headers['content-type'])) {
    let doc: XmlElement;
    try {
      doc = parseXml(identityTransform(decodeXmlBytes(ctx.body)));
    } catch (e) {
      return oops(ctx, `com.thoughtworks.xstream.io.StreamException: ${(e as Error).message}`);
    }
    if (!AGENT_ROOTS.has(doc.name)) return oops(ctx, `java.lang.ClassCastException: ${doc.name} cannot be cast to class hudson.model.Node`);
    const name = fixEmptyAndTrim(param(ctx, 'name')) ?? NodeStore.nameIn(doc) ?? '';
    if (rt.nodes.agent(name)) return failure(ctx, `Node '${name}' already exists`);
    const bad = checkGoodName(name);
    if (bad) return failure(ctx, bad);
    if (!addAgent(rt, ctx, name, doc)) return;
    return sendEmpty(ctx);
  }
  if (mode === null) return failure(ctx, 'No mode given');
  if (!AGENT_TYPES.has(mode)) return failure(ctx, `No node type \u2018${mode}\u2019 is known`);
  layoutPage(ctx, 200, 'New node', `<h1>New node</h1>\n<p>Configure ${escapeHtml(param(ctx, 'name') ?? '')} through computer/doCreateItem.</p>`, {}, () => touchSession(rt, ctx));
}

/** Everything under `computer/NAME/` other than `api/json`. */
export async function computerAction(rt: Runtime, ctx: Ctx, n: StandinNode, action: string): Promise<void> {
  const m = ctx.method === 'HEAD' ? 'GET' : ctx.method;
  switch (action) {
    case '':
      return m === 'GET' ? computerPage(rt, ctx, n) : notFound(ctx);
    case 'config.xml':
      return nodeConfig(rt, ctx, n);
    case 'doDelete': {
      if (m !== 'POST') return requirePost(ctx);
      // MasterComputer.hasPermission(DELETE) is always false
      if (n.builtIn) return forbidden(ctx, 'Agent/Delete', () => touchSession(rt, ctx));
      if (!need(rt, ctx, 'Agent/Delete')) return;
      try {
        await rt.nodes.remove(n);
      } catch (e) {
        return oops(ctx, `java.io.IOException: ${(e as Error).message}`);
      }
      nodesChanged(rt);
      return redirect(ctx, '/computer/');
    }
    case 'toggleOffline': {
      if (m !== 'POST') return requirePost(ctx);
      if (n.temporarilyOffline) {
        if (!need(rt, ctx, 'Agent/Connect')) return;
        delete n.temporarilyOffline;
      } else {
        if (!need(rt, ctx, 'Agent/Disconnect')) return;
        n.temporarilyOffline = { kind: 'temporary', user: ctx.principal.name, message: fixEmptyAndTrim(param(ctx, 'offlineMessage')), since: Date.now() };
      }
      nodesChanged(rt);
      return redirect(ctx, computerPath(n));
    }
    case 'changeOfflineCause': {
      if (m !== 'POST') return requirePost(ctx);
      if (!need(rt, ctx, 'Agent/Disconnect')) return;
      n.temporarilyOffline = { kind: 'temporary', user: ctx.principal.name, message: fixEmptyAndTrim(param(ctx, 'offlineMessage')), since: Date.now() };
      nodesChanged(rt);
      return redirect(ctx, computerPath(n));
    }
    case 'doDisconnect': {
      if (n.builtIn) return notFound(ctx);
      if (m !== 'POST') return requirePost(ctx);
      if (!n.disconnected) {
        if (!need(rt, ctx, 'Agent/Disconnect')) return;
        n.disconnected = { kind: 'disconnected', user: ctx.principal.name, message: fixEmptyAndTrim(param(ctx, 'offlineMessage')), since: Date.now() };
      }
      return redirect(ctx, computerPath(n));
    }
    case 'launchSlaveAgent': {
      if (n.builtIn) return notFound(ctx);
      if (m !== 'POST') return requirePost(ctx);
      if (!need(rt, ctx, 'Agent/Connect')) return;
      if (!n.disconnected) return layoutPage(ctx, 200, displayNameOf(n), `<p>This agent is already connected.</p>`, {}, () => touchSession(rt, ctx));
      delete n.disconnected;
      nodesChanged(rt);
      return redirect(ctx, `${computerPath(n)}log`);
    }
  }
  return notFound(ctx);
}

function computerPage(rt: Runtime, ctx: Ctx, n: StandinNode): void {
  const state = isOnline(n) ? 'online' : 'offline';
  layoutPage(ctx, 200, displayNameOf(n), `<h1>${escapeHtml(n.builtIn ? displayNameOf(n) : `Agent ${n.name}`)}</h1>\n<p id="state">${state}</p>`, {}, () => touchSession(rt, ctx));
}

/** `Computer.doConfigDotXml`: GET the node's XStream form, POST replaces the node (same type). */
async function nodeConfig(rt: Runtime, ctx: Ctx, n: StandinNode): Promise<void> {
  if (ctx.method === 'GET') {
    if (!need(rt, ctx, 'Agent/ExtendedRead')) return;
    return sendXml(ctx, serialiseXml(n.builtIn ? builtInDoc(rt) : n.doc, GET_DECLARATION));
  }
  if (ctx.method !== 'POST') return jettyError(ctx, 400, 'Bad Request', 'Bad Request');
  if (!need(rt, ctx, 'Agent/Configure')) return;
  let doc: XmlElement;
  try {
    doc = parseXml(identityTransform(decodeByContentType(ctx.body, ctx.req.headers['content-type'])));
  } catch (e) {
    if (e instanceof BodyDecodingError) return oops(ctx, `java.io.IOException: ${e.message}`);
    return oops(ctx, `com.thoughtworks.xstream.io.StreamException: ${(e as Error).message}`);
  }
  const sameType = n.builtIn ? doc.name === 'hudson' : AGENT_ROOTS.has(doc.name);
  if (!sameType) {
    if (!n.builtIn && !/^[\w.$-]+$/.test(doc.name)) return oops(ctx, `com.thoughtworks.xstream.mapper.CannotResolveClassException: ${doc.name}`);
    return send(ctx, 400, { 'Content-Type': 'text/plain;charset=utf-8' }, 'Node types do not match');
  }
  if (n.builtIn) return oops(ctx, 'java.lang.IllegalStateException: the built-in node is configured through the Jenkins configuration');
  const name = NodeStore.nameIn(doc) ?? n.name;
  const bad = checkGoodName(name);
  if (bad) return failure(ctx, bad);
  if (name !== n.name && rt.nodes.agent(name)) return failure(ctx, `Node '${name}' already exists`);
  const replaced: StandinNode = { name, builtIn: false, doc, ...(n.temporarilyOffline ? { temporarilyOffline: n.temporarilyOffline } : {}), ...(n.disconnected ? { disconnected: n.disconnected } : {}) };
  try {
    if (name !== n.name) await rt.nodes.remove(n);
    rt.nodes.put(replaced);
  } catch (e) {
    return oops(ctx, `java.io.IOException: ${(e as Error).message}`);
  }
  nodesChanged(rt);
  sendEmpty(ctx);
}

/** The built-in node's part of the root configuration, as `computer/(built-in)/config.xml` shows it. */
function builtInDoc(rt: Runtime): XmlElement {
  const b = rt.nodes.builtIn.doc;
  return { name: 'hudson', attrs: [], children: [leafEl('numExecutors', textOf(firstChild(b, 'numExecutors')!)), leafEl('mode', textOf(firstChild(b, 'mode')!)), leafEl('label', textOf(firstChild(b, 'label')!))] };
}
