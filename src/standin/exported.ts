import { Bean, type ExportValue, type FragmentCache, type Prop } from './export-tree.js';
import { type Build, type Container, type Item, type View, descriptionOf, fullNameOf, isDisabled } from './store.js';
import { rawEncode } from './names.js';
import { firstChild, textOf } from '../xml/tree.js';
import type { QueueItem } from './builds.js';
import { labelExpressionOf } from './placement.js';
import { BUILT_IN_DESCRIPTION, type NodeStore, modeOf, numExecutorsOf } from './nodes.js';
import { labelAtomBeans } from './node-export.js';
import { BOOLEAN_VALUE, PASSWORD_VALUE, STRING_VALUE, parseBoolean, shortDescription } from './parameter-values.js';

/** Root-relative URL path of an item: `/job/a/job/b/`. */
export function itemPath(item: Item): string {
  let p = `job/${rawEncode(item.name)}/`;
  let c = item.parent;
  while (c.item) {
    p = `job/${rawEncode(c.item.name)}/` + p;
    c = c.item.parent;
  }
  return '/' + p;
}
export function containerPath(c: Container): string {
  return c.item ? itemPath(c.item) : '/';
}
export function viewPath(c: Container, v: View): string {
  return v.name === c.primaryView ? containerPath(c) : `${containerPath(c)}view/${rawEncode(v.name)}/`;
}

/** What the exporters need besides the object: origin for absolute URLs, the view in the request path, and the queue. */
export interface ExportCtx {
  origin: string;
  /** When the request went through `/view/V/`, job URLs are view-relative. */
  viaView?: { container: Container; view: View };
  now: number;
  /** Structural epoch: bumped by renames, which change names and URLs of whole subtrees. */
  epoch: number;
  queueFor(item: Item): QueueItem | undefined;
  buildBusy(item: Item): boolean;
  nodes: NodeStore;
  /** The root item group (labels list their tied jobs from it). */
  root: Container;
  /** Builds running on a node (`''` = built-in) now. */
  runningOn(node: string): number;
  /** Running builds on a node, as build beans (executors' `currentExecutable`). */
  runningBuilds(node: string): Bean[];
}

function itemUrl(x: ExportCtx, item: Item): string {
  if (x.viaView && item.parent === x.viaView.container) {
    return `${x.origin}${containerPath(x.viaView.container)}view/${rawEncode(x.viaView.view.name)}/job/${rawEncode(item.name)}/`;
  }
  return x.origin + itemPath(item);
}

const RESULT_COLOR: Record<string, string> = { SUCCESS: 'blue', UNSTABLE: 'yellow', FAILURE: 'red', NOT_BUILT: 'notbuilt', ABORTED: 'aborted' };

/** Ball colour (`BallColor`): last started build's colour, `_anime` while it runs, `disabled`. */
export function colorOf(item: Item): string {
  const builds = item.builds;
  const last = builds[builds.length - 1];
  const running = last !== undefined && last.result === null;
  if (isDisabled(item)) return running ? 'disabled_anime' : 'disabled';
  if (!last) return 'notbuilt';
  if (running) {
    const prev = [...builds].reverse().find((b) => b.result !== null);
    return `${prev ? RESULT_COLOR[prev.result!] ?? 'notbuilt' : 'notbuilt'}_anime`;
  }
  return RESULT_COLOR[last.result!] ?? 'notbuilt';
}

export function isBuildable(item: Item): boolean {
  return item.type.kind === 'job' && !isDisabled(item) && !item.heldOff;
}

interface BuildRef { x: ExportCtx; item: Item; build: Build }
function buildUrl(r: BuildRef): string {
  return `${itemUrl(r.x, r.item)}${r.build.number}/`;
}
/** `Run.Artifact.displayPath`: the shortest trailing part of the path no other artifact shares. */
function displayPaths(paths: string[]): string[] {
  const segs = paths.map((p) => p.split('/'));
  return segs.map((s) => {
    for (let n = 1; n < s.length; n++) {
      const tail = s.slice(-n).join('/');
      if (segs.filter((o) => o.slice(-n).join('/') === tail).length === 1) return tail;
    }
    return s.join('/');
  });
}
const ARTIFACT_PROPS: Prop<{ rel: string; shown: string }>[] = [
  { name: 'displayPath', vis: 3, get: (a) => a.shown },
  { name: 'fileName', vis: 3, get: (a) => a.rel.slice(a.rel.lastIndexOf('/') + 1) },
  { name: 'relativePath', vis: 3, get: (a) => a.rel },
];
function artifactBeans(paths: string[]): Bean[] {
  const shown = displayPaths(paths);
  return paths.map((rel, k) => Bean.of(null, ARTIFACT_PROPS, { rel, shown: shown[k]! }));
}

/** The git plugin's `BuildData` (defaultVisibility 999) and the junit plugin's `TestResultAction`. */
function relicActions(b: Build): Bean[] {
  const out: Bean[] = [];
  if (b.revision) {
    const rev = b.revision;
    const revision = (): Bean => Bean.of<null>(null, [
      { name: 'SHA1', vis: 999, get: () => rev.sha1 },
      { name: 'branch', vis: 999, get: () => [Bean.of<null>(null, [{ name: 'SHA1', vis: 999, get: () => rev.sha1 }, { name: 'name', vis: 999, get: () => rev.branch }], null)] },
    ], null);
    const gitBuild = Bean.of<null>('hudson.plugins.git.util.Build', [
      { name: 'buildNumber', vis: 999, get: () => b.number },
      { name: 'buildResult', vis: 999, get: () => null },
      { name: 'marked', vis: 999, get: revision },
      { name: 'revision', vis: 999, get: revision },
    ], null);
    out.push(Bean.of<null>('hudson.plugins.git.util.BuildData', [
      { name: 'buildsByBranchName', vis: 999, get: () => Bean.of<null>(null, [{ name: rev.branch, vis: 999, get: () => gitBuild }], null) },
      { name: 'lastBuiltRevision', vis: 999, get: revision },
      { name: 'remoteUrls', vis: 999, get: () => [rev.url] },
      { name: 'scmName', vis: 999, get: () => '' },
    ], null));
  }
  if (b.tests) {
    const t = b.tests;
    out.push(Bean.of<null>('hudson.tasks.junit.TestResultAction', [
      { name: 'failCount', vis: 2, get: () => t.failCount },
      { name: 'skipCount', vis: 2, get: () => t.skipCount },
      { name: 'totalCount', vis: 2, get: () => t.totalCount },
      { name: 'urlName', vis: 2, get: () => 'testReport' },
    ], null));
  }
  return out;
}

const BUILD_PROPS: Prop<BuildRef>[] = [
  { name: 'actions', vis: 1, get: (r) => [...triggerActions(r.build.params, r.build.user, r.build.remoteAddr, r.build.paramClasses), ...relicActions(r.build)] },
  { name: 'artifacts', vis: 1, get: (r) => artifactBeans(r.build.artifacts ?? []) },
  { name: 'building', vis: 1, get: (r) => r.build.result === null },
  { name: 'description', vis: 1, get: () => null },
  { name: 'displayName', vis: 1, get: (r) => `#${r.build.number}` },
  { name: 'duration', vis: 1, get: (r) => (r.build.result === null ? 0 : r.build.durationMs) },
  { name: 'estimatedDuration', vis: 1, get: (r) => r.build.durationMs },
  { name: 'executor', vis: 1, get: () => null },
  { name: 'fullDisplayName', vis: 1, get: (r) => `${fullNameOf(r.item).split('/').join(' \u00bb ')} #${r.build.number}` },
  { name: 'id', vis: 1, get: (r) => String(r.build.number) },
  { name: 'inProgress', vis: 1, get: (r) => r.build.result === null },
  { name: 'keepLog', vis: 1, get: () => false },
  { name: 'number', vis: 2, get: (r) => r.build.number },
  { name: 'queueId', vis: 1, get: (r) => r.build.queueId },
  { name: 'result', vis: 1, get: (r) => r.build.result },
  { name: 'timestamp', vis: 1, get: (r) => r.build.startMs },
  { name: 'url', vis: 2, get: (r) => buildUrl(r) },
];
const ABSTRACT_BUILD_PROPS: Prop<BuildRef>[] = [
  { name: 'builtOn', vis: 1, get: (r) => r.build.builtOn },
  { name: 'changeSet', vis: 1, get: () => Bean.of<null>('hudson.scm.EmptyChangeLogSet', [{ name: 'items', vis: 1, get: () => [] }, { name: 'kind', vis: 1, get: () => null }], null) },
  { name: 'culprits', vis: 1, get: () => [] },
];

export function buildBean(x: ExportCtx, item: Item, build: Build): Bean {
  const props = item.type.abstractProject ? [...BUILD_PROPS, ...ABSTRACT_BUILD_PROPS] : BUILD_PROPS;
  return Bean.of(item.type.buildCls ?? 'hudson.model.Run', props, { x, item, build });
}

interface ItemRef { x: ExportCtx; item: Item }
function buildOrNull(r: ItemRef, pick: (b: Build[]) => Build | undefined): ExportValue {
  const b = pick(r.item.builds);
  return b ? buildBean(r.x, r.item, b) : null;
}
function lastWhere(pred: (b: Build) => boolean): (b: Build[]) => Build | undefined {
  return (bs) => {
    for (let k = bs.length - 1; k >= 0; k--) if (pred(bs[k]!)) return bs[k];
    return undefined;
  };
}

const ITEM_PROPS: Prop<ItemRef>[] = [
  { name: 'actions', vis: 1, get: () => [] },
  { name: 'description', vis: 1, get: (r) => descriptionOf(r.item) },
  { name: 'displayName', vis: 1, get: (r) => r.item.name },
  { name: 'displayNameOrNull', vis: 1, get: () => null },
  { name: 'fullDisplayName', vis: 1, get: (r) => fullNameOf(r.item).split('/').join(' \u00bb ') },
  { name: 'fullName', vis: 1, get: (r) => fullNameOf(r.item) },
  { name: 'name', vis: 999, get: (r) => r.item.name },
  { name: 'url', vis: 999, get: (r) => itemUrl(r.x, r.item) },
];
const JOB_PROPS: Prop<ItemRef>[] = [
  // `Job.getBuilds()` exported as allBuilds with visibility -2: every build, asked for by tree
  { name: 'allBuilds', vis: -2, get: (r) => r.item.builds.slice().reverse().map((b) => buildBean(r.x, r.item, b)) },
  { name: 'buildable', vis: 1, get: (r) => isBuildable(r.item) },
  { name: 'builds', vis: 1, get: (r) => r.item.builds.slice().reverse().slice(0, 100).map((b) => buildBean(r.x, r.item, b)) },
  { name: 'color', vis: 2, get: (r) => colorOf(r.item) },
  { name: 'firstBuild', vis: 1, get: (r) => buildOrNull(r, (b) => b[0]) },
  { name: 'healthReport', vis: 1, get: () => [] },
  { name: 'inQueue', vis: 1, get: (r) => r.x.queueFor(r.item) !== undefined },
  { name: 'keepDependencies', vis: 1, get: (r) => textOf(firstChild(r.item.doc, 'keepDependencies') ?? { name: '', attrs: [], children: [] }).trim() === 'true' },
  { name: 'lastBuild', vis: 1, get: (r) => buildOrNull(r, (b) => b[b.length - 1]) },
  { name: 'lastCompletedBuild', vis: 1, get: (r) => buildOrNull(r, lastWhere((b) => b.result !== null)) },
  { name: 'lastFailedBuild', vis: 1, get: (r) => buildOrNull(r, lastWhere((b) => b.result === 'FAILURE')) },
  { name: 'lastStableBuild', vis: 1, get: (r) => buildOrNull(r, lastWhere((b) => b.result === 'SUCCESS')) },
  { name: 'lastSuccessfulBuild', vis: 1, get: (r) => buildOrNull(r, lastWhere((b) => b.result === 'SUCCESS' || b.result === 'UNSTABLE')) },
  { name: 'lastUnstableBuild', vis: 1, get: (r) => buildOrNull(r, lastWhere((b) => b.result === 'UNSTABLE')) },
  { name: 'lastUnsuccessfulBuild', vis: 1, get: (r) => buildOrNull(r, lastWhere((b) => b.result !== null && b.result !== 'SUCCESS')) },
  { name: 'nextBuildNumber', vis: 1, get: (r) => r.item.nextBuildNumber },
  { name: 'property', vis: 1, get: () => [] },
  { name: 'queueItem', vis: 1, get: (r) => {
    const q = r.x.queueFor(r.item);
    return q ? queueBean(r.x, q) : null;
  } },
];
const PROJECT_PROPS: Prop<ItemRef>[] = [
  { name: 'concurrentBuild', vis: 1, get: (r) => textOf(firstChild(r.item.doc, 'concurrentBuild') ?? { name: '', attrs: [], children: [] }).trim() === 'true' },
  { name: 'disabled', vis: 1, get: (r) => isDisabled(r.item) },
  { name: 'downstreamProjects', vis: 1, get: () => [] },
  { name: 'labelExpression', vis: 1, get: (r) => labelExpressionOf(r.item) },
  { name: 'scm', vis: 1, get: () => Bean.of<null>('hudson.scm.NullSCM', [], null) },
  { name: 'upstreamProjects', vis: 1, get: () => [] },
];
const WORKFLOW_PROPS: Prop<ItemRef>[] = [
  { name: 'concurrentBuild', vis: 1, get: (r) => firstChild(r.item.doc, 'concurrentBuild') === undefined || textOf(firstChild(r.item.doc, 'concurrentBuild')!).trim() !== 'false' },
  { name: 'disabled', vis: 1, get: (r) => isDisabled(r.item) },
  { name: 'resumeBlocked', vis: 1, get: () => false },
];
const FOLDER_PROPS: Prop<ItemRef>[] = [
  { name: 'healthReport', vis: 1, get: () => [] },
  { name: 'jobs', vis: 1, get: (r) => r.item.container!.items.list().map((i) => itemBean(r.x, i)) },
  { name: 'primaryView', vis: 1, get: (r) => viewBean(r.x, r.item.container!, primaryViewOf(r.item.container!)) },
  { name: 'views', vis: 1, get: (r) => r.item.container!.views.map((v) => viewBean(r.x, r.item.container!, v)) },
];
const FREESTYLE_ALL = [...ITEM_PROPS, ...JOB_PROPS, ...PROJECT_PROPS];
const WORKFLOW_ALL = [...ITEM_PROPS, ...JOB_PROPS, ...WORKFLOW_PROPS];
const FOLDER_ALL = [...ITEM_PROPS, ...FOLDER_PROPS];

const fragmentCaches = new WeakMap<Item, FragmentCache>();

/** Nothing time-dependent (queue wait text, running build) is shown for this item or its children. */
function quiet(x: ExportCtx, item: Item): boolean {
  if (item.container) return false;
  return !x.buildBusy(item) && x.queueFor(item) === undefined;
}

export function itemBean(x: ExportCtx, item: Item): Bean {
  const props = item.type.kind !== 'job' ? FOLDER_ALL : item.type.abstractProject ? FREESTYLE_ALL : WORKFLOW_ALL;
  const b = Bean.of(item.type.cls, props, { x, item });
  if (quiet(x, item)) {
    let holder = fragmentCaches.get(item);
    if (!holder) fragmentCaches.set(item, (holder = new WeakMap()));
    const via = x.viaView && item.parent === x.viaView.container ? `|${x.viaView.view.name}` : '';
    b.cache = { holder, tag: `${x.origin}${via}#${x.epoch}`, epoch: item.rev ?? 0 };
  }
  return b;
}

export function primaryViewOf(c: Container): View {
  return c.views.find((v) => v.name === c.primaryView) ?? c.views[0]!;
}

/** Items a view shows: everything for AllView, `jobNames` (case-insensitive) or `includeRegex` for ListView. */
export function viewItems(c: Container, v: View): Item[] {
  const all = c.items.list();
  if (!v.listView) return all;
  const names = new Set(listViewJobNames(v).map((n) => n.toLowerCase()));
  const rx = firstChild(v.doc, 'includeRegex');
  let re: RegExp | undefined;
  if (rx) {
    try {
      re = new RegExp(`^(?:${textOf(rx)})$`);
    } catch {
      re = undefined; // invalid regex silently dropped (ListView.readResolve)
    }
  }
  return all.filter((i) => names.has(i.name.toLowerCase()) || (re !== undefined && re.test(i.name)));
}

export function listViewJobNames(v: View): string[] {
  const jn = firstChild(v.doc, 'jobNames');
  if (!jn) return [];
  const out: string[] = [];
  for (const c of jn.children) if (typeof c !== 'string' && c.name === 'string') out.push(textOf(c));
  return out;
}

interface ViewRef { x: ExportCtx; c: Container; v: View }
const VIEW_PROPS: Prop<ViewRef>[] = [
  { name: 'description', vis: 1, get: (r) => descriptionOf(r.v) },
  { name: 'jobs', vis: 1, get: (r) => {
    const x: ExportCtx = r.v.name === r.c.primaryView ? r.x : { ...r.x, viaView: { container: r.c, view: r.v } };
    return viewItems(r.c, r.v).map((i) => itemBean(x, i));
  } },
  { name: 'name', vis: 2, get: (r) => r.v.name },
  { name: 'property', vis: 1, get: () => [] },
  { name: 'url', vis: 2, get: (r) => r.x.origin + viewPath(r.c, r.v) },
];
export function viewBean(x: ExportCtx, c: Container, v: View): Bean {
  return Bean.of(v.cls, VIEW_PROPS, { x, c, v });
}

interface RootRef { x: ExportCtx; root: Container; useSecurity: boolean }
const ROOT_PROPS: Prop<RootRef>[] = [
  { name: 'assignedLabels', vis: 1, get: (r) => labelAtomBeans(r.x, r.x.nodes.builtIn) },
  { name: 'mode', vis: 1, get: (r) => modeOf(r.x.nodes.builtIn) },
  { name: 'nodeDescription', vis: 1, get: () => BUILT_IN_DESCRIPTION },
  { name: 'nodeName', vis: 999, get: () => '' },
  { name: 'numExecutors', vis: 1, get: (r) => numExecutorsOf(r.x.nodes.builtIn) },
  { name: 'description', vis: 1, get: () => null },
  { name: 'jobs', vis: 1, get: (r) => r.root.items.list().map((i) => itemBean(r.x, i)) },
  { name: 'overallLoad', vis: 1, get: () => Bean.of<null>(null, [], null) },
  { name: 'primaryView', vis: 1, get: (r) => viewBean(r.x, r.root, primaryViewOf(r.root)) },
  { name: 'quietDownReason', vis: 1, get: () => null },
  { name: 'quietingDown', vis: 1, get: () => false },
  { name: 'slaveAgentPort', vis: 1, get: () => -1 },
  { name: 'unlabeledLoad', vis: 1, get: () => Bean.of<null>('jenkins.model.UnlabeledLoadStatistics', [], null) },
  { name: 'url', vis: 1, get: (r) => `${r.x.origin}/` },
  { name: 'useCrumbs', vis: 1, get: () => true },
  { name: 'useSecurity', vis: 1, get: (r) => r.useSecurity },
  { name: 'views', vis: 1, get: (r) => r.root.views.map((v) => viewBean(r.x, r.root, v)) },
];
export function rootBean(x: ExportCtx, root: Container, useSecurity: boolean): Bean {
  return Bean.of('hudson.model.Hudson', ROOT_PROPS, { x, root, useSecurity });
}

interface QueueRef { x: ExportCtx; q: QueueItem }
const causeProps: Prop<string | null>[] = [
  { name: 'shortDescription', vis: 3, get: (u) => `Started by user ${u ?? 'anonymous'}` },
  { name: 'userId', vis: 3, get: (u) => u },
  { name: 'userName', vis: 3, get: (u) => u ?? 'anonymous' },
];
const remoteCauseProps: Prop<string>[] = [
  { name: 'shortDescription', vis: 3, get: (addr) => `Started by remote host ${addr}` },
  { name: 'addr', vis: 3, get: (addr) => addr },
  { name: 'note', vis: 3, get: () => null },
];
/**
 * Actions of a queue item or build: ParametersAction (when parameterized), then CauseAction
 * (ParameterizedJobMixIn.getBuildCause: `Cause$RemoteCause` when the job's authentication token
 * triggered it, else `Cause$UserIdCause` of the requesting user).
 */
export function triggerActions(params: Record<string, string>, user: string | null, remoteAddr?: string, classes: Record<string, string> = {}): Bean[] {
  const out: Bean[] = [];
  if (Object.keys(params).length > 0) {
    out.push(Bean.of<Record<string, string>>('hudson.model.ParametersAction', [{
      name: 'parameters', vis: 2, get: (p) => Object.entries(p).map(([k, v]) => parameterBean(k, v, classes[k])),
    }], params));
  }
  const cause = remoteAddr !== undefined ? Bean.of('hudson.model.Cause$RemoteCause', remoteCauseProps, remoteAddr) : Bean.of('hudson.model.Cause$UserIdCause', causeProps, user);
  out.push(Bean.of<null>('hudson.model.CauseAction', [{ name: 'causes', vis: 2, get: () => [cause] }], null));
  return out;
}
/** A ParameterValue: `name` (3), `value` (4) as its class exports it; a password's value is not exported (parameter-values.ts). */
function parameterBean(name: string, value: string, cls: string | undefined): Bean {
  const nameProp: Prop<null> = { name: 'name', vis: 3, get: () => name };
  if (cls === PASSWORD_VALUE) return Bean.of<null>(PASSWORD_VALUE, [nameProp], null);
  if (cls === BOOLEAN_VALUE) return Bean.of<null>(BOOLEAN_VALUE, [nameProp, { name: 'value', vis: 4, get: () => parseBoolean(value) }], null);
  return Bean.of<null>(cls ?? STRING_VALUE, [nameProp, { name: 'value', vis: 4, get: () => value }], null);
}
// Queue.Item is @ExportedBean(defaultVisibility = 999); `actions` comes from Actionable (1).
const QUEUE_PROPS: Prop<QueueRef>[] = [
  { name: 'actions', vis: 1, get: (r) => triggerActions(r.q.params, r.q.user, r.q.remoteAddr, r.q.paramClasses) },
  { name: 'blocked', vis: 999, get: (r) => r.q.state === 'blocked' },
  { name: 'buildable', vis: 999, get: (r) => r.q.state === 'buildable' },
  { name: 'id', vis: 999, get: (r) => r.q.id },
  { name: 'inQueueSince', vis: 999, get: (r) => r.q.inQueueSince },
  { name: 'params', vis: 999, get: (r) => Object.entries(r.q.params).map(([k, v]) => `\n${shortDescription(k, v, r.q.paramClasses[k])}`).join('') },
  { name: 'stuck', vis: 999, get: (r) => r.q.state === 'buildable' && r.q.stuck },
  { name: 'task', vis: 999, get: (r) => itemBean(r.x, r.q.item) },
  { name: 'url', vis: 999, get: (r) => `queue/item/${r.q.id}/` },
  { name: 'why', vis: 999, get: (r) => r.q.why(r.x.now) },
];
const NOT_WAITING_PROPS: Prop<QueueRef>[] = [{ name: 'buildableStartMilliseconds', vis: 999, get: (r) => r.q.buildableSince ?? r.q.startAt }];
const BUILDABLE_PROPS: Prop<QueueRef>[] = [...NOT_WAITING_PROPS, { name: 'pending', vis: 999, get: () => false }];
const LEFT_PROPS: Prop<QueueRef>[] = [
  { name: 'cancelled', vis: 999, get: (r) => r.q.cancelled },
  { name: 'executable', vis: 999, get: (r) => (r.q.build ? buildBean(r.x, r.q.item, r.q.build) : null) },
];
const WAITING_PROPS: Prop<QueueRef>[] = [{ name: 'timestamp', vis: 999, get: (r) => r.q.startAt }];
const QUEUE_CLASS: Record<QueueItem['state'], [string, Prop<QueueRef>[]]> = {
  waiting: ['hudson.model.Queue$WaitingItem', [...QUEUE_PROPS, ...WAITING_PROPS]],
  blocked: ['hudson.model.Queue$BlockedItem', [...QUEUE_PROPS, ...NOT_WAITING_PROPS]],
  buildable: ['hudson.model.Queue$BuildableItem', [...QUEUE_PROPS, ...BUILDABLE_PROPS]],
  left: ['hudson.model.Queue$LeftItem', [...QUEUE_PROPS, ...LEFT_PROPS]],
};

export function queueBean(x: ExportCtx, q: QueueItem): Bean {
  const [cls, props] = QUEUE_CLASS[q.state];
  return Bean.of(cls, props, { x, q });
}

/** `GET queue/api/json`: items inline (the same depth as the queue), newest buildable last. */
export function queueListBean(x: ExportCtx, items: QueueItem[]): Bean {
  return Bean.of<null>('hudson.model.Queue', [
    { name: 'discoverableItems', vis: 1, inline: true, get: () => [] },
    { name: 'items', vis: 1, inline: true, get: () => items.map((q) => queueBean(x, q)) },
  ], null);
}
