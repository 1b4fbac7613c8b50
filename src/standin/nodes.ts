/**
 * Nodes of the stand-in: the built-in node plus permanent agents (`hudson.slaves.DumbSlave`, XML root
 * `slave`) created through the API and kept in `home/nodes/<name>/config.xml` like Jenkins does.
 *
 * Simulation choices (no agent process ever connects to the stand-in): an agent counts as connected
 * from its creation until `doDisconnect`, and again after `launchSlaveAgent`; `toggleOffline`
 * marks a node temporarily offline (built-in node included). Executors are not a limit: a node runs
 * any number of builds at once.
 */
import { mkdirSync, promises as fsp, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type XmlElement, firstChild, parseXml, textOf } from '../xml/tree.js';
import { FILE_DECLARATION, serialiseXml } from '../xml/serialise.js';
import { parseLabelString, labelMatches, type LabelExpr } from '../model/label-expression.js';
import { isSafeDirName } from './names.js';

/** Why a node is offline: a user took it offline (toggleOffline) or disconnected it (doDisconnect). */
export interface OfflineCause {
  kind: 'temporary' | 'disconnected';
  user: string;
  message: string | null;
  since: number;
}

export interface StandinNode {
  /** Node name; '' for the built-in node. */
  name: string;
  builtIn: boolean;
  /** Agent configuration (`<slave>`), or the built-in node's settings in the same shape. */
  doc: XmlElement;
  temporarilyOffline?: OfflineCause;
  disconnected?: OfflineCause;
}

export const BUILT_IN_LABEL = 'built-in';
export const BUILT_IN_DISPLAY_NAME = 'Built-In Node';
export const BUILT_IN_DESCRIPTION = "the Jenkins controller's built-in node";

function leaf(doc: XmlElement, name: string): string | undefined {
  const el = firstChild(doc, name);
  return el ? textOf(el) : undefined;
}

export function numExecutorsOf(n: StandinNode): number {
  const v = Number((leaf(n.doc, 'numExecutors') ?? '').trim());
  return Number.isInteger(v) && v >= 0 ? v : n.builtIn ? 2 : 1;
}
export function modeOf(n: StandinNode): 'NORMAL' | 'EXCLUSIVE' {
  return (leaf(n.doc, 'mode') ?? '').trim() === 'EXCLUSIVE' ? 'EXCLUSIVE' : 'NORMAL';
}
export function labelStringOf(n: StandinNode): string {
  return (leaf(n.doc, 'label') ?? '').trim();
}
export function descriptionOfNode(n: StandinNode): string {
  return n.builtIn ? BUILT_IN_DESCRIPTION : leaf(n.doc, 'description') ?? '';
}
export function remoteFsOf(n: StandinNode): string {
  return (leaf(n.doc, 'remoteFS') ?? '').trim();
}
/** `Node.getAssignedLabels()`: the label string's atoms plus the node's self label. */
export function labelsOf(n: StandinNode): Set<string> {
  const s = new Set(parseLabelString(labelStringOf(n)));
  s.add(n.builtIn ? BUILT_IN_LABEL : n.name);
  return s;
}
export function isOnline(n: StandinNode): boolean {
  return !n.temporarilyOffline && !n.disconnected;
}
/** `Computer.getDisplayName()`. */
export function displayNameOf(n: StandinNode): string {
  return n.builtIn ? BUILT_IN_DISPLAY_NAME : n.name;
}
/** `Computer.getUrl()` segment: `(built-in)` for the built-in node. */
export function computerSegment(n: StandinNode): string {
  return n.builtIn ? '(built-in)' : n.name;
}

export class NodeStore {
  readonly builtIn: StandinNode = {
    name: '',
    builtIn: true,
    doc: { name: 'hudson', attrs: [], children: [{ name: 'numExecutors', attrs: [], children: ['2'] }, { name: 'mode', attrs: [], children: ['NORMAL'] }, { name: 'label', attrs: [], children: [''] }] },
  };
  private readonly agents = new Map<string, StandinNode>();
  private tmp = 0;
  readonly loadWarnings: string[] = [];

  constructor(private readonly home: string) {}

  /** Built-in settings from the root `config.xml` (`numExecutors`, `mode`, `label`), when present. */
  setBuiltInFrom(rootDoc: XmlElement | undefined): void {
    if (!rootDoc) return;
    for (const name of ['numExecutors', 'mode', 'label']) {
      const el = firstChild(rootDoc, name);
      const mine = firstChild(this.builtIn.doc, name)!;
      if (el) mine.children = [textOf(el)];
    }
  }

  async load(): Promise<void> {
    const dir = path.join(this.home, 'nodes');
    let entries: string[];
    try {
      entries = await fsp.readdir(dir);
    } catch {
      return;
    }
    for (const e of entries.sort()) {
      if (!isSafeDirName(e)) continue;
      let text: string;
      try {
        text = await fsp.readFile(path.join(dir, e, 'config.xml'), 'utf8');
      } catch {
        continue;
      }
      try {
        const doc = parseXml(text);
        const name = (leaf(doc, 'name') ?? e).trim() || e;
        this.agents.set(name, { name, builtIn: false, doc });
      } catch (err) {
        this.loadWarnings.push(`nodes/${e}/config.xml: ${(err as Error).message}`);
      }
    }
  }

  /** Every node as `Jenkins.getComputers()` lists them: sorted by name, so the built-in ('') first. */
  list(): StandinNode[] {
    return [this.builtIn, ...[...this.agents.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))];
  }
  agentList(): StandinNode[] {
    return this.list().slice(1);
  }
  /** `Jenkins.getComputer(name)`: `(built-in)` and the old `(master)` name the built-in node. */
  computer(segment: string): StandinNode | undefined {
    if (segment === '(built-in)' || segment === '(master)' || segment === '') return this.builtIn;
    return this.agents.get(segment);
  }
  agent(name: string): StandinNode | undefined {
    return this.agents.get(name);
  }
  /** Nodes a label matches (`Label.getNodes()`), online or not. */
  nodesFor(label: LabelExpr): StandinNode[] {
    return this.list().filter((n) => labelMatches(label, labelsOf(n)));
  }

  private dirOf(name: string): string {
    if (!isSafeDirName(name)) throw new Error(`unsafe node name for a directory: ${JSON.stringify(name)}`);
    return path.join(this.home, 'nodes', name);
  }

  /** Add (or replace) an agent and write `nodes/<name>/config.xml`. */
  put(node: StandinNode): void {
    const dir = this.dirOf(node.name);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'config.xml');
    const tmp = `${file}.${process.pid}.${++this.tmp}.tmp`;
    writeFileSync(tmp, serialiseXml(node.doc, FILE_DECLARATION));
    renameSync(tmp, file);
    this.agents.set(node.name, node);
  }

  async remove(node: StandinNode): Promise<void> {
    this.agents.delete(node.name);
    await fsp.rm(this.dirOf(node.name), { recursive: true, force: true });
  }

  /** The `<name>` an agent document carries (XStream `Slave.name`). */
  static nameIn(doc: XmlElement): string | undefined {
    const n = leaf(doc, 'name');
    return n === undefined ? undefined : n.trim();
  }
}
