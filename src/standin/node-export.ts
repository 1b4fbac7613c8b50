/**
 * What `computer/api/json`, `computer/NAME/api/json` and `label/NAME/api/json` export
 * (`hudson.model.ComputerSet`, `Computer`, `SlaveComputer`, `Node`, `Label`, `LabelAtom`,
 * `hudson.slaves.OfflineCause`), property names, visibilities and order as Stapler writes them.
 */
import { Bean, type Prop } from './export-tree.js';
import { type ExportCtx, itemBean } from './exported.js';
import { labelName, type LabelExpr } from '../model/label-expression.js';
import { firstChild } from '../xml/tree.js';
import type { Container, Item } from './store.js';
import { type NodeStore, type OfflineCause, type StandinNode, descriptionOfNode, displayNameOf, isOnline, labelsOf, modeOf, numExecutorsOf, remoteFsOf } from './nodes.js';
import { assignedLabel } from './placement.js';
import { escapeHtml } from './names.js';


const LABEL_CLASS: Record<LabelExpr['kind'], string> = {
  atom: 'hudson.model.labels.LabelAtom',
  not: 'hudson.model.labels.LabelExpression$Not',
  paren: 'hudson.model.labels.LabelExpression$Paren',
  and: 'hudson.model.labels.LabelExpression$And',
  or: 'hudson.model.labels.LabelExpression$Or',
  implies: 'hudson.model.labels.LabelExpression$Implies',
  iff: 'hudson.model.labels.LabelExpression$Iff',
};

function busy(x: ExportCtx, n: StandinNode): number {
  return Math.min(x.runningOn(n.name), numExecutorsOf(n));
}

/** `Label.getDescription()`. */
function labelDescription(nodes: StandinNode[]): string {
  if (nodes.length === 0) return 'invalid label';
  if (nodes.length === 1) return descriptionOfNode(nodes[0]!);
  let buf = '';
  for (const n of nodes) {
    if (buf.length > 80) {
      buf += ',...';
      break;
    }
    buf += (buf === '' ? '' : ',') + displayNameOf(n);
  }
  return `group of ${buf}`;
}

function allItems(c: Container, out: Item[] = []): Item[] {
  for (const i of c.items.list()) {
    out.push(i);
    if (i.container) allItems(i.container, out);
  }
  return out;
}

interface LabelRef { x: ExportCtx; label: LabelExpr }
const LABEL_PROPS: Prop<LabelRef>[] = [
  { name: 'actions', vis: 1, get: () => [] },
  { name: 'busyExecutors', vis: 1, get: (r) => r.x.nodes.nodesFor(r.label).filter(isOnline).reduce((s, n) => s + busy(r.x, n), 0) },
  { name: 'clouds', vis: 1, get: () => [] },
  { name: 'description', vis: 1, get: (r) => labelDescription(r.x.nodes.nodesFor(r.label)) },
  { name: 'idleExecutors', vis: 1, get: (r) => r.x.nodes.nodesFor(r.label).filter(isOnline).reduce((s, n) => s + numExecutorsOf(n) - busy(r.x, n), 0) },
  { name: 'loadStatistics', vis: 1, get: () => Bean.of<null>('hudson.model.Label$1', [], null) },
  { name: 'name', vis: 2, get: (r) => labelName(r.label) },
  { name: 'nodes', vis: 1, get: (r) => r.x.nodes.nodesFor(r.label).map((n) => nodeBean(r.x, n)) },
  { name: 'offline', vis: 1, get: (r) => !r.x.nodes.nodesFor(r.label).some(isOnline) },
  { name: 'tiedJobs', vis: 1, get: (r) => {
    const name = labelName(r.label);
    return allItems(r.x.root)
      .filter((i) => i.type.abstractProject && (() => {
        const l = assignedLabel(i);
        return l !== null && labelName(l) === name;
      })())
      .map((i) => itemBean(r.x, i));
  } },
  { name: 'totalExecutors', vis: 1, get: (r) => r.x.nodes.nodesFor(r.label).filter(isOnline).reduce((s, n) => s + numExecutorsOf(n), 0) },
];
const ATOM_PROPS: Prop<LabelRef>[] = [...LABEL_PROPS, { name: 'propertiesList', vis: 1, get: () => [] }];

/** A label (`label/NAME/api/json`); `withClass` false where Stapler omits `_class` (a Set<LabelAtom>). */
export function labelBean(x: ExportCtx, label: LabelExpr, withClass = true): Bean {
  return Bean.of(withClass ? LABEL_CLASS[label.kind] : null, label.kind === 'atom' ? ATOM_PROPS : LABEL_PROPS, { x, label });
}

const LEAF_ATOM_PROPS: Prop<string>[] = [{ name: 'name', vis: 2, get: (name) => name }];

/**
 * `Node.getAssignedLabels()` as beans, sorted by name (Jenkins' HashSet order is unspecified).
 * Labels and nodes refer to each other; inside a label's `nodes` the labels are written with their
 * name only, so a deep `depth=` cannot grow the answer without bound (identical up to depth 2).
 */
export function labelAtomBeans(x: ExportCtx, n: StandinNode, leaf = false): Bean[] {
  return [...labelsOf(n)].sort().map((name) => (leaf ? Bean.of<string>(null, LEAF_ATOM_PROPS, name) : labelBean(x, { kind: 'atom', name }, false)));
}

interface NodeRef { x: ExportCtx; n: StandinNode }
const NODE_PROPS: Prop<NodeRef>[] = [
  { name: 'assignedLabels', vis: 1, get: (r) => labelAtomBeans(r.x, r.n, true) },
  { name: 'mode', vis: 1, get: (r) => modeOf(r.n) },
  { name: 'nodeDescription', vis: 1, get: (r) => descriptionOfNode(r.n) },
  { name: 'nodeName', vis: 999, get: (r) => r.n.name },
  { name: 'numExecutors', vis: 1, get: (r) => numExecutorsOf(r.n) },
];
/** A node as a label's `nodes` list shows it (`hudson.model.Hudson` for the built-in node, `DumbSlave` for agents). */
export function nodeBean(x: ExportCtx, n: StandinNode): Bean {
  return Bean.of(n.builtIn ? 'hudson.model.Hudson' : 'hudson.slaves.DumbSlave', NODE_PROPS, { x, n });
}

function offlineCauseBean(c: OfflineCause): Bean {
  const description = `Disconnected by ${c.user}${c.message !== null ? ' : ' + c.message : ''}`;
  return Bean.of<OfflineCause>('hudson.slaves.OfflineCause$UserCause', [
    { name: 'timestamp', vis: 1, get: (o) => o.since },
    { name: 'description', vis: 1, get: () => description },
  ], c);
}
function causeOf(n: StandinNode): OfflineCause | undefined {
  return n.temporarilyOffline ?? n.disconnected;
}

function launcherClass(n: StandinNode): string | undefined {
  const l = firstChild(n.doc, 'launcher');
  return l?.attrs.find(([k]) => k === 'class')?.[1];
}

interface ComputerRef { x: ExportCtx; n: StandinNode }
const COMPUTER_PROPS: Prop<ComputerRef>[] = [
  { name: 'actions', vis: 1, get: () => [] },
  { name: 'assignedLabels', vis: 1, get: (r) => labelAtomBeans(r.x, r.n) },
  { name: 'description', vis: 1, get: (r) => descriptionOfNode(r.n) },
  { name: 'displayName', vis: 1, get: (r) => displayNameOf(r.n) },
  { name: 'executors', vis: 1, get: (r) => {
    const running = r.x.runningBuilds(r.n.name);
    return Array.from({ length: numExecutorsOf(r.n) }, (_, k) => Bean.of<null>(null, [
      { name: 'currentExecutable', vis: 1, get: () => running[k] ?? null },
      { name: 'idle', vis: 1, get: () => running[k] === undefined },
      { name: 'likelyStuck', vis: 1, get: () => false },
      { name: 'number', vis: 1, get: () => k },
      { name: 'progress', vis: 1, get: () => (running[k] === undefined ? -1 : 0) },
    ], null));
  } },
  { name: 'icon', vis: 1, get: (r) => iconOf(r.n) },
  { name: 'iconClassName', vis: 1, get: (r) => iconOf(r.n) },
  { name: 'idle', vis: 1, get: (r) => r.x.runningOn(r.n.name) === 0 },
  { name: 'jnlpAgent', vis: 1, get: (r) => !r.n.builtIn && launcherClass(r.n) === 'hudson.slaves.JNLPLauncher' },
  { name: 'launchSupported', vis: 1, get: (r) => r.n.builtIn || launcherClass(r.n) !== 'hudson.slaves.JNLPLauncher' },
  { name: 'loadStatistics', vis: 1, get: () => Bean.of<null>('hudson.model.Label$1', [], null) },
  { name: 'manualLaunchAllowed', vis: 1, get: () => true },
  { name: 'monitorData', vis: 1, inline: true, get: () => Bean.of<null>(null, [], null) },
  { name: 'numExecutors', vis: 1, get: (r) => numExecutorsOf(r.n) },
  { name: 'offline', vis: 1, get: (r) => !isOnline(r.n) },
  { name: 'offlineCause', vis: 1, get: (r) => {
    const c = causeOf(r.n);
    return c ? offlineCauseBean(c) : null;
  } },
  { name: 'offlineCauseReason', vis: 1, get: (r) => {
    const c = causeOf(r.n);
    return c?.message != null ? escapeHtml(c.message) : '';
  } },
  { name: 'oneOffExecutors', vis: 1, get: () => [] },
  { name: 'temporarilyOffline', vis: 1, get: (r) => r.n.temporarilyOffline !== undefined },
];
const SLAVE_COMPUTER_PROPS: Prop<ComputerRef>[] = [
  ...COMPUTER_PROPS,
  { name: 'absoluteRemotePath', vis: 1, get: (r) => (isOnline(r.n) ? remoteFsOf(r.n) || null : null) },
];

/** `IComputer.getIcon()`. */
function iconOf(n: StandinNode): string {
  if (causeOf(n)) return 'symbol-computer-disconnected';
  return isOnline(n) ? 'symbol-computer' : 'symbol-computer-offline';
}

export function computerBean(x: ExportCtx, n: StandinNode): Bean {
  return Bean.of(n.builtIn ? 'hudson.model.Hudson$MasterComputer' : 'hudson.slaves.SlaveComputer', n.builtIn ? COMPUTER_PROPS : SLAVE_COMPUTER_PROPS, { x, n });
}

/** `GET computer/api/json` (`hudson.model.ComputerSet`; `computer` is inline). */
export function computerSetBean(x: ExportCtx, nodes: NodeStore): Bean {
  return Bean.of<null>('hudson.model.ComputerSet', [
    { name: 'busyExecutors', vis: 1, get: () => nodes.list().filter(isOnline).reduce((s, n) => s + busy(x, n), 0) },
    { name: 'computer', vis: 1, inline: true, get: () => nodes.list().map((n) => computerBean(x, n)) },
    { name: 'displayName', vis: 1, get: () => 'Nodes' },
    { name: 'totalExecutors', vis: 1, get: () => nodes.list().filter(isOnline).reduce((s, n) => s + numExecutorsOf(n), 0) },
  ], null);
}

