import type { DesiredJob, DesiredState } from '../../src/model/desired-job.js';
import type { ObservedItem, ObservedState } from '../../src/model/observed.js';
import type { Clock } from '../../src/model/clock.js';
import { sha256 } from '../../src/model/hash.js';
import { formatMarker, type Marker } from '../../src/plan/marker.js';

export function job(fullName: string, opts: Partial<DesiredJob> & { token?: string } = {}): DesiredJob {
  const parts = fullName.split('/');
  const config = opts.config ?? `<?xml version="1.0" encoding="UTF-8"?>\n<project>\n  <description>Builds ${fullName}</description>\n  <token>${opts.token ?? 'x'}</token>\n</project>\n`;
  return {
    fullName,
    name: parts[parts.length - 1]!,
    folder: parts.slice(0, -1),
    project: opts.project ?? 'p',
    template: opts.template ?? 'T',
    config,
    hash: sha256(config),
    rootElement: opts.rootElement ?? 'project',
    source: { file: `jobs/${opts.project ?? 'p'}.yaml` },
    ...(opts.branch !== undefined ? { branch: opts.branch } : {}),
    ...(opts.view !== undefined ? { view: opts.view } : {}),
    ...(opts.disabled !== undefined ? { disabled: opts.disabled } : {}),
  };
}

export function desired(jobs: DesiredJob[], extra: Partial<DesiredState> = {}): DesiredState {
  return { jobs, folders: extra.folders ?? [], views: extra.views ?? [] };
}

/** Owner id of the fixtures' runs (the planner's default). */
export const OWNER = 'default';

/**
 * An observed job as jobsmith would have left it for `d` (v2 marker: this owner, d's name and hash),
 * with overrides (`marker: { owner: undefined, name: undefined }` makes an old v1 marker).
 */
export function managedItem(d: DesiredJob, over: Partial<ObservedItem> & { marker?: Partial<Marker> } = {}): ObservedItem {
  const { marker: mo, ...rest } = over;
  const marker: Marker = { kind: 'job', owner: OWNER, name: rest.fullName ?? d.fullName, project: d.project, template: d.template, hash: d.hash, ...(d.branch !== undefined ? { branch: d.branch } : {}), ...mo };
  for (const k of Object.keys(marker) as Array<keyof Marker>) if (marker[k] === undefined) delete marker[k];
  return item(rest.fullName ?? d.fullName, { description: `Builds ${d.fullName}\n${formatMarker(marker)}`, ...rest });
}

export function item(fullName: string, over: Partial<ObservedItem> = {}): ObservedItem {
  const parts = fullName.split('/');
  return {
    fullName,
    name: parts[parts.length - 1]!,
    className: 'hudson.model.FreeStyleProject',
    description: null,
    color: 'blue',
    isFolder: false,
    disabled: false,
    building: false,
    ...over,
  };
}

export function observed(items: ObservedItem[], views: ObservedState['views'] = []): ObservedState {
  return { items, views };
}

export function clockAt(iso: string): Clock {
  return { now: () => new Date(iso) };
}

export const NOW = clockAt('2026-11-25T10:00:00.000Z');
