/**
 * A faithful in-memory JenkinsApi for property tests that need thousands of plan/apply runs
 * (the stand-in over loopback is used for everything else: fault injection, concurrency, CLI).
 *
 * It follows ../shared/jenkins-api.md where the planner and the executor depend on it:
 * case-insensitive item names within a folder; createItem needs an existing parent folder and
 * refuses an existing name (400); config.xml POST replaces the whole config (so `<disabled>`
 * comes from the posted XML) and cannot change the item's type; `_class` comes from the root
 * element; deleting a folder deletes everything inside it; disable/enable rewrite `<disabled>`;
 * list views hold job names relative to their folder.
 *
 * It also keeps the evidence the properties check: every item deleted (and whether it had a
 * running build at that moment) and every mutating request.
 */
import type { JenkinsApi } from '../../src/model/jenkins-api.js';
import type { ObservedItem, ObservedState, ObservedView } from '../../src/model/observed.js';
import { readDescription } from '../../src/plan/config-description.js';
import { classForRoot } from '../../src/model/item-types.js';

export const FOLDER_CLASS = 'com.cloudbees.hudson.plugins.folder.Folder';

export interface MemItem {
  fullName: string;
  className: string;
  isFolder: boolean;
  config: string;
  disabled: boolean;
  building: boolean;
}

export interface MemView {
  name: string;
  folder: string[];
  className: string;
  jobs: string[];
}

export class MemoryJenkinsError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parentOf(fullName: string): string {
  const i = fullName.lastIndexOf('/');
  return i < 0 ? '' : fullName.slice(0, i);
}

function rootElement(xml: string): string {
  const m = /<([A-Za-z_][\w.:-]*)[\s/>]/.exec(xml.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, ''));
  if (!m) throw new MemoryJenkinsError(500, 'malformed config.xml: no root element');
  return m[1]!;
}

function classOf(xml: string): { className: string; isFolder: boolean } {
  const root = rootElement(xml);
  if (root === FOLDER_CLASS) return { className: FOLDER_CLASS, isFolder: true };
  return { className: classForRoot(root) ?? root, isFolder: false };
}

function disabledIn(xml: string): boolean {
  return /<disabled>\s*true\s*<\/disabled>/.test(xml);
}

function setDisabled(xml: string, on: boolean): string {
  if (/<disabled>[^<]*<\/disabled>/.test(xml)) return xml.replace(/<disabled>[^<]*<\/disabled>/, `<disabled>${on}</disabled>`);
  return xml.replace(/(<[A-Za-z_][\w.:-]*(?:\s[^>]*)?>)/, `$1<disabled>${on}</disabled>`);
}

export class MemoryJenkins implements JenkinsApi {
  private items = new Map<string, MemItem>();
  private views = new Map<string, MemView>();
  /** Every mutating request (`method name`). */
  readonly mutations: string[] = [];
  /** Every item removed from Jenkins, with its state at that moment. */
  readonly deleted: MemItem[] = [];

  constructor(items: MemItem[] = [], views: MemView[] = []) {
    for (const i of items) this.items.set(i.fullName.toLowerCase(), { ...i });
    for (const v of views) this.views.set(this.viewKey(v.name, v.folder.join('/')), { ...v, jobs: [...v.jobs] });
  }

  private viewKey(name: string, folder?: string): string {
    return `${(folder ?? '').toLowerCase()}\u0000${name.toLowerCase()}`;
  }

  private get(fullName: string): MemItem {
    const i = this.items.get(fullName.toLowerCase());
    if (!i) throw new MemoryJenkinsError(404, `${fullName}: no such job`);
    return i;
  }

  /** A deep copy of the state, sorted (for equality checks). */
  snapshot(): { items: MemItem[]; views: MemView[] } {
    const items = [...this.items.values()].map((i) => ({ ...i })).sort((a, b) => a.fullName.localeCompare(b.fullName));
    const views = [...this.views.values()].map((v) => ({ ...v, jobs: [...v.jobs].sort() })).sort((a, b) => (a.folder.join('/') + '/' + a.name).localeCompare(b.folder.join('/') + '/' + b.name));
    return { items, views };
  }

  has(fullName: string): boolean {
    return this.items.has(fullName.toLowerCase());
  }

  item(fullName: string): MemItem | undefined {
    const i = this.items.get(fullName.toLowerCase());
    return i ? { ...i } : undefined;
  }

  async version(): Promise<string> {
    return '2.500';
  }

  /** Only the built-in node (the property tests never restrict jobs to labels). */
  async listNodes(): Promise<Array<{ name: string; labels: string[]; offline: boolean }>> {
    return [{ name: 'Built-In Node', labels: ['built-in'], offline: false }];
  }

  async whoAmI(): Promise<{ name: string; anonymous: boolean; authorities: string[] }> {
    return { name: 'admin', anonymous: false, authorities: ['authenticated'] };
  }

  async listFolder(fullName: string): Promise<Array<{ fullName: string; className: string; isFolder: boolean }>> {
    if (!this.get(fullName).isFolder) throw new MemoryJenkinsError(404, `${fullName}: not a folder`);
    const parent = fullName.toLowerCase();
    return [...this.items.values()].filter((i) => parentOf(i.fullName).toLowerCase() === parent).map((i) => ({ fullName: i.fullName, className: i.className, isFolder: i.isFolder }));
  }

  async list(): Promise<ObservedState> {
    const items: ObservedItem[] = [...this.items.values()].map((i) => {
      const d = readDescription(i.config);
      const o: ObservedItem = {
        fullName: i.fullName,
        name: i.fullName.slice(i.fullName.lastIndexOf('/') + 1),
        className: i.className,
        description: d === '' ? null : d,
        isFolder: i.isFolder,
        disabled: !i.isFolder && i.disabled,
        building: !i.isFolder && i.building,
      };
      if (!i.isFolder) o.color = (i.disabled ? 'disabled' : 'blue') + (i.building ? '_anime' : '');
      return o;
    });
    const views: ObservedView[] = [...this.views.values()]
      .filter((v) => v.folder.length === 0)
      .map((v) => ({ name: v.name, folder: [], className: v.className, jobs: [...v.jobs] }));
    return { items, views };
  }

  async getConfig(fullName: string): Promise<string> {
    return this.get(fullName).config;
  }

  async createJob(fullName: string, configXml: string): Promise<void> {
    this.mutations.push(`create ${fullName}`);
    const parent = parentOf(fullName);
    if (parent !== '') {
      const p = this.items.get(parent.toLowerCase());
      if (!p || !p.isFolder) throw new MemoryJenkinsError(404, `${parent}: no such folder`);
    }
    if (this.items.has(fullName.toLowerCase())) throw new MemoryJenkinsError(400, `A job already exists with the name ‘${fullName}’`);
    const { className, isFolder } = classOf(configXml);
    this.items.set(fullName.toLowerCase(), { fullName, className, isFolder, config: configXml, disabled: !isFolder && disabledIn(configXml), building: false });
  }

  async updateJob(fullName: string, configXml: string): Promise<void> {
    this.mutations.push(`update ${fullName}`);
    const i = this.get(fullName);
    const { className } = classOf(configXml);
    if (className !== i.className) throw new MemoryJenkinsError(400, `${fullName}: cannot change the type of an item (${i.className} → ${className})`);
    i.config = configXml;
    if (!i.isFolder) i.disabled = disabledIn(configXml);
  }

  async deleteJob(fullName: string): Promise<void> {
    this.mutations.push(`delete ${fullName}`);
    const i = this.get(fullName);
    const prefix = i.fullName.toLowerCase() + '/';
    for (const [k, v] of [...this.items]) {
      if (k === i.fullName.toLowerCase() || k.startsWith(prefix)) {
        this.deleted.push({ ...v });
        this.items.delete(k);
      }
    }
    for (const v of this.views.values()) v.jobs = v.jobs.filter((j) => j.toLowerCase() !== i.fullName.toLowerCase());
  }

  async disableJob(fullName: string): Promise<void> {
    this.mutations.push(`disable ${fullName}`);
    const i = this.get(fullName);
    if (i.isFolder) throw new MemoryJenkinsError(404, `${fullName}: a folder cannot be disabled`);
    i.disabled = true;
    i.config = setDisabled(i.config, true);
  }

  async enableJob(fullName: string): Promise<void> {
    this.mutations.push(`enable ${fullName}`);
    const i = this.get(fullName);
    if (i.isFolder) throw new MemoryJenkinsError(404, `${fullName}: a folder cannot be enabled`);
    i.disabled = false;
    i.config = setDisabled(i.config, false);
  }

  async renameJob(fullName: string, newName: string): Promise<void> {
    this.mutations.push(`rename ${fullName}`);
    const i = this.get(fullName);
    const to = parentOf(i.fullName) ? `${parentOf(i.fullName)}/${newName}` : newName;
    if (this.items.has(to.toLowerCase())) throw new MemoryJenkinsError(400, `${to} already exists`);
    this.items.delete(i.fullName.toLowerCase());
    this.items.set(to.toLowerCase(), { ...i, fullName: to });
    this.locationChanged(i.fullName, to);
  }

  /** The folders plugin's move: keeps the item (its builds); views follow it (ListView's listener). */
  async moveJob(fullName: string, destinationFolder: string): Promise<void> {
    this.mutations.push(`move ${fullName}`);
    const i = this.get(fullName);
    if (destinationFolder !== '') {
      const d = this.items.get(destinationFolder.toLowerCase());
      if (!d || !d.isFolder) throw new MemoryJenkinsError(302, `${destinationFolder}: not a valid destination`);
    }
    if (parentOf(i.fullName).toLowerCase() === destinationFolder.toLowerCase()) throw new MemoryJenkinsError(302, 'already there');
    const leaf = i.fullName.slice(i.fullName.lastIndexOf('/') + 1);
    const to = destinationFolder ? `${destinationFolder}/${leaf}` : leaf;
    if (this.items.has(to.toLowerCase())) throw new MemoryJenkinsError(302, `${to} already exists`);
    const prefix = i.fullName.toLowerCase() + '/';
    for (const [k, v] of [...this.items]) {
      if (k !== i.fullName.toLowerCase() && !k.startsWith(prefix)) continue;
      this.items.delete(k);
      const moved = to + v.fullName.slice(i.fullName.length);
      this.items.set(moved.toLowerCase(), { ...v, fullName: moved });
    }
    this.locationChanged(i.fullName, to);
  }

  /** ListView entries follow a rename or move (names relative to the view's folder; a job leaving the folder leaves the listing). */
  private locationChanged(from: string, to: string): void {
    for (const v of this.views.values()) {
      const folder = v.folder.join('/');
      v.jobs = v.jobs.flatMap((j) => {
        if (j.toLowerCase() !== from.toLowerCase()) return [j];
        return parentOf(to).toLowerCase() === folder.toLowerCase() ? [to] : [];
      });
    }
  }

  async copyJob(fromFullName: string, toFullName: string): Promise<void> {
    this.mutations.push(`copy ${toFullName}`);
    const i = this.get(fromFullName);
    await this.createJob(toFullName, i.config);
  }

  async ensureFolder(fullName: string): Promise<void> {
    const parts = fullName.split('/');
    for (let n = 1; n <= parts.length; n++) {
      const name = parts.slice(0, n).join('/');
      if (!this.items.has(name.toLowerCase())) await this.createJob(name, `<${FOLDER_CLASS}/>`);
    }
  }

  async listViews(folder?: string): Promise<Array<{ name: string; className: string; jobs: string[] }>> {
    const f = (folder ?? '').toLowerCase();
    return [...this.views.values()].filter((v) => v.folder.join('/').toLowerCase() === f).map((v) => ({ name: v.name, className: v.className, jobs: [...v.jobs] }));
  }

  async createView(name: string, _configXml: string, folder?: string): Promise<void> {
    this.mutations.push(`createView ${folder ?? ''}/${name}`);
    const k = this.viewKey(name, folder);
    if (this.views.has(k)) throw new MemoryJenkinsError(400, `A view already exists with the name "${name}"`);
    // the list view config names its jobs; the planner also adds them afterwards
    this.views.set(k, { name, folder: folder ? folder.split('/') : [], className: 'hudson.model.ListView', jobs: [] });
  }

  async getViewConfig(name: string, folder?: string): Promise<string> {
    const v = this.views.get(this.viewKey(name, folder));
    if (!v) throw new MemoryJenkinsError(404, `view ${name}: not found`);
    return `<hudson.model.ListView><name>${name}</name></hudson.model.ListView>`;
  }

  async updateViewConfig(name: string, _configXml: string, folder?: string): Promise<void> {
    this.mutations.push(`updateView ${folder ?? ''}/${name}`);
    if (!this.views.has(this.viewKey(name, folder))) throw new MemoryJenkinsError(404, `view ${name}: not found`);
  }

  async deleteView(name: string, folder?: string): Promise<void> {
    this.mutations.push(`deleteView ${folder ?? ''}/${name}`);
    if (!this.views.delete(this.viewKey(name, folder))) throw new MemoryJenkinsError(404, `view ${name}: not found`);
  }

  async addJobToView(view: string, jobName: string, folder?: string): Promise<void> {
    this.mutations.push(`addToView ${view} ${jobName}`);
    const v = this.views.get(this.viewKey(view, folder));
    if (!v) throw new MemoryJenkinsError(404, `view ${view}: not found`);
    const full = folder ? `${folder}/${jobName}` : jobName;
    const item = this.items.get(full.toLowerCase());
    if (!item) throw new MemoryJenkinsError(404, `Query parameter 'name' does not correspond to a known item`);
    if (!v.jobs.some((j) => j.toLowerCase() === item.fullName.toLowerCase())) v.jobs.push(item.fullName);
  }

  async removeJobFromView(view: string, jobName: string, folder?: string): Promise<void> {
    this.mutations.push(`removeFromView ${view} ${jobName}`);
    const v = this.views.get(this.viewKey(view, folder));
    if (!v) throw new MemoryJenkinsError(404, `view ${view}: not found`);
    const full = (folder ? `${folder}/${jobName}` : jobName).toLowerCase();
    v.jobs = v.jobs.filter((j) => j.toLowerCase() !== full);
  }

  async build(fullName: string): Promise<number> {
    this.get(fullName).building = true;
    return 1;
  }

  /** A running build ends (test control; Jenkins does this by itself). */
  finishBuild(fullName: string): void {
    const i = this.items.get(fullName.toLowerCase());
    if (i) i.building = false;
  }

  async queueItem(id: number): Promise<{ id: number; cancelled: boolean; buildNumber?: number; why?: string | null }> {
    return { id, cancelled: false, buildNumber: 1, why: null };
  }

  async buildStatus(fullName: string): Promise<{ building: boolean; result: string | null }> {
    const i = this.get(fullName);
    return { building: i.building, result: i.building ? null : 'SUCCESS' };
  }
}
