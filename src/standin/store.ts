import { mkdirSync, promises as fsp, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type XmlElement, childElements, firstChild, lastChild, parseXml, textOf } from '../xml/tree.js';
import { FILE_DECLARATION, serialiseXml } from '../xml/serialise.js';
import { type ItemType, itemTypeOf, viewTypeOf } from './item-types.js';
import { isSafeDirName } from './names.js';
import { loadBuilds } from './build-records.js';
import { encryptSecrets, xstreamFieldOrder } from './field-order.js';

/** One finished or running simulated build. */
export interface Build {
  number: number;
  queueId: number;
  startMs: number;
  durationMs: number;
  /** null while running */
  result: string | null;
  plannedResult: string;
  params: Record<string, string>;
  /** Value class of the parameters that are not strings (`PasswordParameterValue`, ...: parameter-values.ts). */
  paramClasses?: Record<string, string>;
  /** Stopped (`POST job/J/N/stop`) by this user: its log says `Aborted by <user>` (CauseOfInterruption.UserInterruption). */
  abortedBy?: string;
  /** Node it runs on (`''` = the built-in node). */
  builtOn: string;
  /** Who triggered it; null for anonymous. */
  user: string | null;
  /** Triggered with the job's authentication token (`Cause$RemoteCause` from this address). */
  remoteAddr?: string;
  /** Console lines of the checkout and the build steps, fixed when the build starts. */
  steps?: string[];
  /** The job has a shell step (a failed build's log names it). */
  hasShell?: boolean;
  /** Publishers that leave relics when the build ends (from the job's config at start). */
  publish?: { artifacts?: string; junit?: string };
  /** Archived artifacts (relative paths under `builds/N/archive`). */
  artifacts?: string[];
  /** Counts of the recorded test report (`TestResultAction`). */
  tests?: { failCount: number; skipCount: number; totalCount: number };
  /** Revision checked out (the git plugin's `BuildData`). */
  revision?: { sha1: string; branch: string; url: string };
}

export interface View {
  name: string;
  /** XML element of the view (root = class name). */
  doc: XmlElement;
  cls: string;
  listView: boolean;
}

/** Something that holds items and views: the root (Jenkins) or a folder. */
export interface Container {
  kind: 'root' | 'folder';
  items: ItemMap;
  views: View[];
  primaryView: string;
  /** The folder item (undefined at the root). */
  item?: Item;
  /** Views can be added and deleted (false for computed folders, whose holder ignores both). */
  viewsModifiable?: boolean;
}

export interface Item {
  name: string;
  parent: Container;
  type: ItemType;
  /** Root element name as submitted (`project`, `flow-definition`, ...). */
  root: string;
  /** Parsed configuration (the "in-memory object"). */
  doc: XmlElement;
  /** Bytes of config.xml as stored on disk. */
  stored: string;
  /** Being written by createItem; invisible to lookups and listings. */
  pending: boolean;
  /** Held off from building after a copy until its configuration is saved. */
  heldOff: boolean;
  builds: Build[];
  nextBuildNumber: number;
  /** Set for folders. */
  container?: Container;
  /** Serialises writes of this item's files. */
  chain: Promise<unknown>;
  /** Bumped on every change an export of this item could show (config, disabled, builds, queue). */
  rev?: number;
  /** Deleted: nothing may write into its directory any more. */
  deleted?: boolean;
}

/** Mark an item changed so no rendering cached before is reused. */
export function touch(item: Item): void {
  item.rev = (item.rev ?? 0) + 1;
}

/** An item map: case-insensitive at the root, case-sensitive in folders (reference §3). */
export class ItemMap {
  private readonly map = new Map<string, Item>();
  private sorted: Item[] | null = null;
  constructor(readonly caseInsensitive: boolean) {}
  private key(name: string): string {
    return this.caseInsensitive ? name.toLowerCase() : name;
  }
  get(name: string): Item | undefined {
    return this.map.get(this.key(name));
  }
  set(item: Item): void {
    this.map.set(this.key(item.name), item);
    this.sorted = null;
  }
  delete(name: string): void {
    this.map.delete(this.key(name));
    this.sorted = null;
  }
  changed(): void {
    this.sorted = null;
  }
  /** Visible items sorted case-insensitively (cached until the next change). */
  list(): Item[] {
    if (!this.sorted) {
      this.sorted = [...this.map.values()].filter((i) => !i.pending);
      this.sorted.sort((a, b) => {
        const x = a.name.toLowerCase();
        const y = b.name.toLowerCase();
        return x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
      });
    }
    return this.sorted;
  }
  get size(): number {
    return this.map.size;
  }
}

// Root fields given twice: Jenkins keeps the last (see lastChild), in api/json and everywhere it reads them.
export function isDisabled(item: Item): boolean {
  const d = lastChild(item.doc, 'disabled');
  return d !== undefined && textOf(d).trim() === 'true';
}
export function descriptionOf(item: Item | View): string | null {
  const d = lastChild(item.doc, 'description');
  return d === undefined ? null : textOf(d);
}
export function fullNameOf(item: Item): string {
  if (!item.parent.item) return item.name;
  const parts: string[] = [item.name];
  let c = item.parent;
  while (c.item) {
    parts.unshift(c.item.name);
    c = c.item.parent;
  }
  return parts.join('/');
}

/** `<owner class=… reference=…/>` as XStream writes a view's owner (a back reference to the enclosing object). */
function ownerElement(cls: string, reference: string): XmlElement {
  return { name: 'owner', attrs: [['class', cls], ['reference', reference]], children: [] };
}
/** Root views live in `hudson/views/<view>`: their owner is three levels up. */
const ROOT_OWNER = (): XmlElement => ownerElement('hudson', '../../..');

export function defaultAllView(name: string, owner: XmlElement = ROOT_OWNER()): View {
  const doc: XmlElement = {
    name: 'hudson.model.AllView',
    attrs: [],
    children: [
      owner,
      { name: 'name', attrs: [], children: [name] },
      { name: 'filterExecutors', attrs: [], children: ['false'] },
      { name: 'filterQueue', attrs: [], children: ['false'] },
      { name: 'properties', attrs: [['class', 'hudson.model.View$PropertyList']], children: [] },
    ],
  };
  return { name, doc, cls: 'hudson.model.AllView', listView: false };
}

export function viewFromElement(el: XmlElement, name?: string): View | undefined {
  const t = viewTypeOf(el.name);
  if (!t) return undefined;
  const nm = name ?? textOf(firstChild(el, 'name') ?? { name: 'name', attrs: [], children: [] });
  return { name: nm, doc: el, cls: t.cls, listView: t.listView };
}

/** Make a view's first child the owner back reference XStream writes (`View.owner` is its first field). */
export function setViewOwner(v: View, owner: XmlElement): void {
  v.doc.children = [owner, ...v.doc.children.filter((c) => typeof c === 'string' || c.name !== 'owner')];
}

const DEFAULT_HOLDER = 'com.cloudbees.hudson.plugins.folder.views.DefaultFolderViewHolder';
/** Computed folders (branch-api) keep no views: their holder only points back to its owner. */
const COMPUTED_HOLDERS: Record<string, { holder: string; emptyView: string; plugin?: string }> = {
  'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject': { holder: 'jenkins.branch.MultiBranchProjectViewHolder', emptyView: 'jenkins.branch.MultiBranchProjectEmptyView', plugin: 'branch-api' },
  'jenkins.branch.OrganizationFolder': { holder: 'jenkins.branch.OrganizationFolderViewHolder', emptyView: 'jenkins.branch.OrganizationFolderEmptyView' },
};
/** Version written in `plugin="branch-api@…"` (the stand-in's plugin list has the same). */
export const BRANCH_API_VERSION = '2.1217.v43d8b_b_d8b_2c7';

function attr(el: XmlElement, name: string): string | undefined {
  return el.attrs.find(([k]) => k === name)?.[1];
}
function removeChildren(el: XmlElement, names: string[]): void {
  el.children = el.children.filter((c) => typeof c === 'string' || !names.includes(c.name));
}
/** Insert `child` where XStream writes `folderViews`: after `properties` (AbstractFolder's field order). */
function insertFolderViews(doc: XmlElement, child: XmlElement): void {
  const at = doc.children.findIndex((c) => typeof c !== 'string' && c.name === 'properties');
  if (at >= 0) doc.children.splice(at + 1, 0, child);
  else {
    const hm = doc.children.findIndex((c) => typeof c !== 'string' && (c.name === 'healthMetrics' || c.name === 'icon'));
    if (hm >= 0) doc.children.splice(hm, 0, child);
    else doc.children.push(child);
  }
}

export interface FolderViews {
  views: View[];
  primary: string;
  /** false for computed folders (multibranch, organization): createView/doDelete change nothing. */
  modifiable: boolean;
}

/**
 * Read a folder's views the way `AbstractFolder.init()` sets them up after loading: a
 * `folderViews` holder with a class is kept; a holder without one cannot be instantiated and is
 * dropped; legacy `<views>`/`<viewsTabBar>`/`<primaryView>` fields (transient, read but never
 * written) become a DefaultFolderViewHolder; otherwise the type's own holder is created (an `All`
 * view for folders, the branch-api holder for computed folders). The doc is rewritten to match
 * what Jenkins would write back.
 */
export function initFolderViews(item: Item): FolderViews {
  const doc = item.doc;
  let holder = firstChild(doc, 'folderViews');
  if (holder && attr(holder, 'class') === undefined) {
    removeChildren(doc, ['folderViews']);
    holder = undefined;
  }
  const legacyViews = firstChild(doc, 'views');
  const legacyTabBar = firstChild(doc, 'viewsTabBar');
  const legacyPrimary = firstChild(doc, 'primaryView');
  removeChildren(doc, ['views', 'viewsTabBar', 'primaryView']);
  if (!holder) {
    const legacy = legacyViews ? childElements(legacyViews).filter((c) => viewTypeOf(c.name)) : [];
    const computed = COMPUTED_HOLDERS[item.type.cls];
    if (legacy.length > 0 || !computed) {
      holder = { name: 'folderViews', attrs: [['class', DEFAULT_HOLDER]], children: [{ name: 'views', attrs: [], children: legacy }] };
      if (legacy.length > 0 && legacyPrimary) holder.children.push({ name: 'primaryView', attrs: [], children: [textOf(legacyPrimary)] });
      holder.children.push(legacyTabBar ? { ...legacyTabBar, name: 'tabBar' } : { name: 'tabBar', attrs: [['class', 'hudson.views.DefaultViewsTabBar']], children: [] });
    } else {
      holder = { name: 'folderViews', attrs: [['class', computed.holder], ...(computed.plugin ? [['plugin', `${computed.plugin}@${BRANCH_API_VERSION}`] as [string, string]] : [])], children: [] };
    }
    insertFolderViews(doc, holder);
  }
  const cls = attr(holder, 'class')!;
  const computed = Object.values(COMPUTED_HOLDERS).find((c) => c.holder === cls);
  if (computed) {
    holder.children = [ownerElement(item.type.cls, '../..')];
    const welcome: XmlElement = { name: computed.emptyView, attrs: [], children: [{ name: 'name', attrs: [], children: ['welcome'] }] };
    return { views: [{ name: 'welcome', doc: welcome, cls: computed.emptyView, listView: false }], primary: 'welcome', modifiable: false };
  }
  const viewsEl = firstChild(holder, 'views');
  const views: View[] = [];
  if (viewsEl) for (const c of childElements(viewsEl)) {
    const v = viewFromElement(c);
    if (v) views.push(v);
  }
  if (views.length === 0) views.push(defaultAllView('All'));
  const pv = firstChild(holder, 'primaryView');
  const primary = pv && views.some((v) => v.name === textOf(pv)) ? textOf(pv) : views[0]!.name;
  const c: FolderViews = { views, primary, modifiable: true };
  writeFolderViews(item, c);
  return c;
}

/** Write a folder's (modifiable) views back into its configuration, as XStream would. */
function writeFolderViews(item: Item, c: { views: View[]; primary: string }): void {
  const holder = firstChild(item.doc, 'folderViews');
  if (!holder || Object.values(COMPUTED_HOLDERS).some((h) => h.holder === attr(holder, 'class'))) return;
  // views/<view>/owner -> folderViews -> the folder: four levels up
  for (const v of c.views) setViewOwner(v, ownerElement(item.type.cls, '../../../..'));
  const pv = firstChild(holder, 'primaryView');
  const tabBar = firstChild(holder, 'tabBar') ?? { name: 'tabBar', attrs: [['class', 'hudson.views.DefaultViewsTabBar']], children: [] };
  const keepPrimary = pv !== undefined || c.primary !== c.views[0]!.name;
  holder.children = [
    { name: 'views', attrs: [], children: c.views.map((v) => v.doc) },
    ...(keepPrimary ? [{ name: 'primaryView', attrs: [], children: [c.primary] } as XmlElement] : []),
    tabBar,
  ];
}

/** Write a folder's views back into its configuration element (after createView, doDelete, ...). */
export function syncFolderViewsIntoDoc(folder: Item): void {
  const c = folder.container!;
  writeFolderViews(folder, { views: c.views, primary: c.primaryView });
}

export class PathEscapeError extends Error {}

/**
 * The on-disk store: Jenkins' layout under `home` (`jobs/<name>/config.xml`, nested
 * `jobs/<folder>/jobs/<name>/config.xml`, root views in `config.xml`). Everything is also held in
 * memory; files are only read at start.
 */
export class Store {
  readonly root: Container = { kind: 'root', items: new ItemMap(true), views: [], primaryView: 'all' };
  /** Warnings from loading (unreadable config files are skipped, like Jenkins does). */
  readonly loadWarnings: string[] = [];
  /** The root `config.xml` as loaded (built-in node settings are read from it). */
  rootDoc?: XmlElement;
  private rootChain: Promise<unknown> = Promise.resolve();
  private tmpCounter = 0;

  constructor(readonly home: string) {}

  /** Directory of an item: `home/jobs/a/jobs/b`. */
  dirOf(item: Item): string {
    const names: string[] = [];
    let cur: Item | undefined = item;
    while (cur) {
      names.unshift(cur.name);
      cur = cur.parent.item;
    }
    return this.safePath(names);
  }
  /** Directory that will hold a new item `name` in `parent`. */
  dirFor(parent: Container, name: string): string {
    const names: string[] = [name];
    let cur = parent.item;
    while (cur) {
      names.unshift(cur.name);
      cur = cur.parent.item;
    }
    return this.safePath(names);
  }
  private safePath(names: string[]): string {
    // Every component is a single safe directory name (no separator, not . or .., no NUL), so the
    // joined path stays under home; plain concatenation keeps this cheap on the create path.
    let p = this.home;
    for (const n of names) {
      if (!isSafeDirName(n)) throw new PathEscapeError(`unsafe item name for a directory: ${JSON.stringify(n)}`);
      p += '/jobs/' + n;
    }
    return p;
  }

  async load(): Promise<void> {
    await fsp.mkdir(path.join(this.home, 'jobs'), { recursive: true });
    await this.loadRootConfig();
    await this.loadGroup(this.root, path.join(this.home, 'jobs'));
  }

  private async loadRootConfig(): Promise<void> {
    let text: string | undefined;
    try {
      text = await fsp.readFile(path.join(this.home, 'config.xml'), 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      try {
        const doc = parseXml(text);
        this.rootDoc = doc;
        const views = firstChild(doc, 'views');
        if (views) for (const c of childElements(views)) {
          const v = viewFromElement(c);
          if (v) this.root.views.push(v);
        }
        const pv = firstChild(doc, 'primaryView');
        if (pv) this.root.primaryView = textOf(pv);
      } catch (e) {
        this.loadWarnings.push(`config.xml: ${(e as Error).message}`);
      }
    }
    if (this.root.views.length === 0) this.root.views.push(defaultAllView('all'));
    if (!this.root.views.some((v) => v.name === this.root.primaryView)) this.root.primaryView = this.root.views[0]!.name;
  }

  private async loadGroup(group: Container, dir: string): Promise<void> {
    let entries: string[];
    try {
      entries = await fsp.readdir(dir);
    } catch {
      return;
    }
    const batch = 64;
    for (let k = 0; k < entries.length; k += batch) {
      await Promise.all(entries.slice(k, k + batch).map((e) => this.loadItem(group, dir, e)));
    }
  }

  private async loadItem(group: Container, dir: string, name: string): Promise<void> {
    if (!isSafeDirName(name)) return;
    const file = path.join(dir, name, 'config.xml');
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch {
      return; // not an item directory
    }
    let doc: XmlElement;
    try {
      doc = parseXml(text);
    } catch (e) {
      this.loadWarnings.push(`${path.relative(this.home, file)}: ${(e as Error).message}`);
      return;
    }
    const type = itemTypeOf(doc.name);
    if (!type) {
      this.loadWarnings.push(`${path.relative(this.home, file)}: unknown root element <${doc.name}>`);
      return;
    }
    const item: Item = {
      name, parent: group, type, root: doc.name, doc, stored: text, pending: false, heldOff: false,
      builds: [], nextBuildNumber: 1, chain: Promise.resolve(),
    };
    if (type.kind === 'job') {
      const loaded = await loadBuilds(path.join(dir, name));
      item.builds = loaded.builds.slice(-200);
      item.nextBuildNumber = loaded.nextBuildNumber;
    } else {
      // Folders loaded from disk use a case-sensitive child map (reference §3).
      const fv = initFolderViews(item);
      item.container = { kind: 'folder', items: new ItemMap(false), views: fv.views, primaryView: fv.primary, viewsModifiable: fv.modifiable, item };
    }
    group.items.set(item);
    if (item.container) await this.loadGroup(item.container, path.join(dir, name, 'jobs'));
  }

  /** Queue a write for an item; writes of one item never interleave. */
  enqueue<T>(item: Item, op: () => Promise<T>): Promise<T> {
    const next = item.chain.then(op, op);
    item.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Write a brand-new item's directory and config.xml. The file calls are synchronous on purpose:
   * a create is one small mkdir + one small file, and the thread-pool round trips of the promise
   * API cost about four times the CPU of the calls themselves (measured on tmpfs).
   */
  async writeNew(dir: string, bytes: string): Promise<void> {
    try {
      mkdirSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') mkdirSync(dir, { recursive: true }); // first child of a folder
      else if (code !== 'EEXIST') throw e; // a stray directory without config.xml is reused, as Jenkins does
    }
    writeFileSync(dir + '/config.xml', bytes);
  }

  /** Atomically replace a file: write a temp file beside it, then rename (synchronous: see writeNew). */
  private async replaceFile(file: string, bytes: string): Promise<void> {
    const tmp = `${file}.${process.pid}.${++this.tmpCounter}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  }

  /** Atomically replace an item's config.xml. */
  async writeConfig(item: Item, bytes: string): Promise<void> {
    await this.replaceFile(this.dirOf(item) + '/config.xml', bytes);
    item.stored = bytes;
  }

  /**
   * Re-serialise an item and save it: a save by Jenkins itself (disable/enable, rename, a folder's
   * views) writes XmlFile.write form, XStream's field order with Secrets encrypted (jenkins-api.md
   * §5, §6), as the config POST path does; an old Jenkins then serves that file as it is.
   */
  saveItem(item: Item): Promise<void> {
    const bytes = serialiseXml(encryptSecrets(xstreamFieldOrder(item.doc)), FILE_DECLARATION);
    item.stored = bytes;
    return this.enqueue(item, () => this.writeConfig(item, bytes));
  }

  removeDir(dir: string): Promise<void> {
    return fsp.rm(dir, { recursive: true, force: true });
  }
  renameDir(from: string, to: string): Promise<void> {
    return fsp.rename(from, to);
  }

  /** Move an item's directory into another folder (its `jobs/` directory is made when missing). */
  async moveDir(from: string, to: string): Promise<void> {
    await fsp.mkdir(path.dirname(to), { recursive: true });
    await fsp.rename(from, to);
  }

  /** Save root views to `home/config.xml` (root writes never interleave). */
  saveRoot(version: string): Promise<void> {
    const doc: XmlElement = {
      name: 'hudson',
      attrs: [],
      children: [
        { name: 'version', attrs: [], children: [version] },
        // the built-in node's settings, kept as loaded (Jenkins writes them in this order)
        ...(['numExecutors', 'mode', 'label'].map((n) => (this.rootDoc ? firstChild(this.rootDoc, n) : undefined)).filter((e): e is XmlElement => e !== undefined)),
        { name: 'views', attrs: [], children: this.root.views.map((v) => v.doc) },
        { name: 'primaryView', attrs: [], children: [this.root.primaryView] },
      ],
    };
    for (const v of this.root.views) setViewOwner(v, ROOT_OWNER());
    const bytes = serialiseXml(doc, FILE_DECLARATION);
    const op = (): Promise<void> => this.replaceFile(path.join(this.home, 'config.xml'), bytes);
    const next = this.rootChain.then(op, op);
    this.rootChain = next.catch(() => undefined);
    return next;
  }

  /** Wait for queued root writes. */
  async close(): Promise<void> {
    await this.rootChain;
  }

  /** Save the views of a container (root config.xml, or the folder's config.xml). */
  saveViews(c: Container, version: string): Promise<void> {
    if (c.kind === 'root') return this.saveRoot(version);
    syncFolderViewsIntoDoc(c.item!);
    return this.saveItem(c.item!);
  }
}
