/**
 * Views made from view templates (root element a view type): managed like jobs, in the views of
 * their project's folder (the root when it has none). The marker (`kind=view`, src/plan/marker.ts)
 * is in the view's description; who owns a view follows the same rules as items
 * (./rules/managed-only.ts: this owner's marker naming the view itself).
 *
 * - missing → create; this owner's view with another hash (or drift found by `--verify`) → update
 *   (config POST); of another class → replace (a view holds no history: made under a temporary
 *   name first, then the old one deleted and the new one made in its place, then the temporary one
 *   deleted; a view left at such a name by a run that stopped is deleted by the next);
 * - a view of that name that is not this owner's → conflict (`--adopt` takes an unmanaged one over);
 * - this owner's view that the definitions no longer make (in scope) → delete.
 *
 * The list views a definition's `view:` fills (./plan-views.ts) carry no marker and are never
 * deleted; validate refuses a view template and a `view:` making the same view.
 */
import type { DesiredTemplateView } from '../model/desired-job.js';
import { typeChanges } from '../model/item-types.js';
import type { ObservedView } from '../model/observed.js';
import type { Change, PlanProblem } from '../model/plan.js';
import { withMarker } from './config-description.js';
import { formatMarker, parseMarker, type Marker } from './marker.js';
import { viewKey } from './plan-views.js';
import { DEFAULT_OWNER, ownershipOf } from './rules/managed-only.js';
import type { ScopeTest } from './rules/filter-scope.js';
import { matchesPushed } from './same-job-config.js';
import { asideName, isAsideOf } from './aside-name.js';

/** The exact config jobsmith pushes for a template view: the rendered config with the marker in its description. */
export function pushedViewConfig(v: DesiredTemplateView, owner: string): string {
  return withMarker(v.config, formatMarker(viewMarker(v, owner)));
}

export function viewMarker(v: DesiredTemplateView, owner: string): Marker {
  return { kind: 'view', owner, name: v.fullName, project: v.project, template: v.template, hash: v.hash };
}

/** This owner's view marker naming the view itself, when the observed view carries one. */
export function ownViewMarker(v: ObservedView, owner: string): Marker | undefined {
  const m = parseMarker(v.description);
  if (!m || m.kind !== 'view') return undefined;
  return ownershipOf(m, viewKey(v.name, v.folder), owner) === 'own' ? m : undefined;
}

/** This owner's view marker on a view left at the temporary name of a replacement of the view it names (./aside-name.ts). */
function leftAside(v: ObservedView, key: string, owner: string): Marker | undefined {
  const m = parseMarker(v.description);
  if (!m || m.kind !== 'view' || m.owner !== owner || m.name === undefined || m.name === key) return undefined;
  return isAsideOf(key, m.name) ? m : undefined;
}

/**
 * A view marker of the former shared owner `default` naming the view itself, for a run of another
 * owner that wants this view (./rules/managed-only.ts, `shared-default`): taken over, marker rewritten.
 */
function claimedViewMarker(v: ObservedView, owner: string): Marker | undefined {
  const m = parseMarker(v.description);
  if (!m || m.kind !== 'view') return undefined;
  return ownershipOf(m, viewKey(v.name, v.folder), owner) === 'shared-default' && m.name === viewKey(v.name, v.folder) ? m : undefined;
}

export interface TemplateViewContext {
  owner: string;
  inScope: ScopeTest;
  adopt: boolean;
  /** `--verify`: view configs read from Jenkins (view key → config.xml) for this owner's views. */
  observedConfigs?: ReadonlyMap<string, string>;
}

export function planTemplateViews(desired: readonly DesiredTemplateView[], observed: readonly ObservedView[], ctx: TemplateViewContext): { changes: Change[]; problems: PlanProblem[] } {
  const changes: Change[] = [];
  const problems: PlanProblem[] = [];
  const seen = new Map(observed.map((v) => [viewKey(v.name, v.folder), v]));
  const wanted = new Set<string>();
  for (const d of desired) {
    wanted.add(d.fullName);
    if (!ctx.inScope(d.fullName, d.project)) continue;
    const base = { target: 'view' as const, fullName: d.fullName, project: d.project, template: d.template, hash: d.hash, view: { name: d.name, folder: [...d.folder], add: [], remove: [] } };
    const o = seen.get(d.fullName);
    if (!o) {
      changes.push({ ...base, kind: 'create', reason: `new view from ${d.project} / ${d.template}`, code: 'new-view', params: { project: d.project, template: d.template }, config: pushedViewConfig(d, ctx.owner) });
      continue;
    }
    const claimed = claimedViewMarker(o, ctx.owner);
    const m = ownViewMarker(o, ctx.owner) ?? claimed;
    if (!m) {
      const other = parseMarker(o.description);
      const foreign = other !== undefined && other.owner !== undefined && other.owner !== ctx.owner;
      if (ctx.adopt && !foreign && !typeChanges(d.rootElement, o.className)) {
        changes.push({ ...base, kind: 'adopt', reason: 'unmanaged view taken over (--adopt)', code: 'adopted', params: { ownership: 'unmanaged' }, config: pushedViewConfig(d, ctx.owner) });
      } else {
        const why = foreign ? `it is managed by other definitions (owner ${other!.owner})` : 'it is not managed by jobsmith';
        changes.push({ ...base, kind: 'conflict', reason: `a view of this name exists; ${why}; not touched${foreign ? '' : ' (--adopt takes it over)'}`, code: 'view-in-the-way', params: { detail: why, adoptable: !foreign } });
        problems.push({ severity: 'warning', category: 'notice', code: 'view-conflict', message: `view ${d.fullName}: ${why}; not touched${foreign ? '' : ' (--adopt takes it over)'}` });
      }
      continue;
    }
    if (typeChanges(d.rootElement, o.className)) {
      // made first under a free name beside it (Jenkins cannot rename a view through its API): the old
      // view goes only once Jenkins has shown it can make the new one (src/apply/apply-plan.ts replaceView)
      const via = asideName(d.fullName, (n) => !seen.has(n));
      changes.push({ ...base, previousHash: m.hash, kind: 'replace', via, reason: `view type changes (${o.className} → ${d.rootElement}): made under a temporary name first, then the old one deleted and the new one made in its place (a view holds no history)`, code: 'view-type-changes', params: { from: o.className, to: d.rootElement }, config: pushedViewConfig(d, ctx.owner) });
      continue;
    }
    let reason: string | undefined;
    let why: Pick<Change, 'code' | 'params'> = { code: 'up-to-date' };
    if (m.project !== d.project || m.template !== d.template)
      (reason = `now rendered from ${d.project} / ${d.template} (was ${m.project} / ${m.template})`), (why = { code: 'source-changed', params: { project: d.project, template: d.template, wasProject: m.project ?? '', wasTemplate: m.template ?? '' } });
    else if (m.hash !== d.hash) (reason = `rendered config changed (template ${d.template} or project ${d.project})`), (why = { code: 'config-changed', params: { project: d.project, template: d.template } });
    else if (claimed) (reason = `marker of the former shared owner ${DEFAULT_OWNER} now records this owner (the definitions want exactly this view)`), (why = { code: 'marker-owner-taken-over', params: { was: DEFAULT_OWNER } });
    else if (ctx.observedConfigs) {
      const live = ctx.observedConfigs.get(d.fullName);
      if (live !== undefined && !matchesPushed(live, pushedViewConfig(d, ctx.owner), d.rootElement)) (reason = 'edited in Jenkins (drift found by --verify)'), (why = { code: 'drift' });
    }
    if (reason !== undefined) changes.push({ ...base, previousHash: m.hash, kind: 'update', reason, ...why, config: pushedViewConfig(d, ctx.owner) });
    else changes.push({ ...base, kind: 'unchanged', reason: 'up to date', code: 'up-to-date' });
  }
  for (const o of observed) {
    const key = viewKey(o.name, o.folder);
    if (wanted.has(key)) continue;
    const m = ownViewMarker(o, ctx.owner) ?? leftAside(o, key, ctx.owner);
    if (!m || !ctx.inScope(key, m.project)) continue;
    const base = { target: 'view' as const, fullName: key, previousHash: m.hash, view: { name: o.name, folder: [...o.folder], add: [], remove: [] }, ...(m.project !== undefined ? { project: m.project } : {}), ...(m.template !== undefined ? { template: m.template } : {}) };
    const now = desired.find((d) => d.project === m.project && d.template === m.template);
    if (m.name !== key) {
      changes.push({ ...base, kind: 'delete', reason: `left under a temporary name by a replacement of view ${m.name} that stopped half-way`, code: 'view-left-aside', params: { view: m.name ?? '' } });
    } else if (now !== undefined) {
      changes.push({ ...base, kind: 'delete', reason: `view template ${m.template} of project ${m.project} now makes ${now.fullName}`, code: 'view-template-moved', params: { project: m.project ?? '', template: m.template ?? '', to: now.fullName } });
    } else {
      changes.push({ ...base, kind: 'delete', reason: `view template ${m.template} is no longer used by project ${m.project}`, code: 'view-template-unused', params: { project: m.project ?? '', template: m.template ?? '' } });
    }
  }
  return { changes, problems };
}
