/**
 * What apply needs to carry out a plan's `archive: 'first'` deletes: the store at the plan's
 * archive directory (the plain-files store unless another is given) and Jenkins as the source of
 * relics. A plan without an archive policy needs neither.
 */
import type { ApplyOptions } from '../apply/apply-plan.js';
import { FsArchiveStore } from '../archive/fs-archive-store.js';
import type { ArchiveStore } from '../model/archive-store.js';
import type { RelicSource } from '../model/build-relics.js';
import type { JenkinsApi } from '../model/jenkins-api.js';
import type { Plan } from '../model/plan.js';

export type OpenArchiveStore = (dir: string) => ArchiveStore;

export const openFsArchive: OpenArchiveStore = (dir) => new FsArchiveStore(dir);

export function isRelicSource(api: unknown): api is RelicSource {
  const a = api as Partial<RelicSource> | null;
  return !!a && typeof a.listBuilds === 'function' && typeof a.countBuilds === 'function' && typeof a.fetchRelic === 'function';
}

export function archiveTarget(plan: Plan, api: JenkinsApi, open: OpenArchiveStore = openFsArchive): ApplyOptions['archive'] {
  if (!plan.archive) return undefined;
  return { store: open(plan.archive.dir), ...(isRelicSource(api) ? { relics: api } : {}) };
}
