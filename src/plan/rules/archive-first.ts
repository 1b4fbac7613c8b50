/**
 * Rule: build relics outlive their jobs (issue 19). With an archive configured, every job this
 * plan deletes (a torn-down branch, a removed project or template) or replaces (a type change
 * deletes it first) is archived first: its builds' logs, test reports and artifacts, its last
 * config.xml and marker. A definition (or its `branches:` block) saying `archive: false` opts its
 * jobs out. A project no longer in the definitions cannot opt out: its jobs are archived.
 * What happens when archiving fails (the job is disabled and kept) is apply's part; deciding is here.
 */
import type { ArchiveOptOut } from '../../model/desired-job.js';
import type { ArchivePolicy, Change } from '../../model/plan.js';

export function optedOut(c: Change, optOut: ArchiveOptOut | undefined): boolean {
  if (!optOut || c.project === undefined) return false;
  return optOut.projects.includes(c.project) || (c.branch !== undefined && optOut.branches.includes(c.project));
}

/**
 * Mark the job deletes and replacements of a plan with how they are archived. A computed folder
 * (multibranch project, organization folder) is marked too: its branch jobs have builds and go
 * with it, so apply archives each of them first (a fresh listing of the project at apply time; see
 * ./folder-contents.ts). Plain folders (a folder made from a template: `folderType: 'plain'`) have
 * no builds of their own and are emptied by the plan's own deletes first: they are not marked, nor
 * is the replacement of a folder-type item (`folderItems`: it is renamed aside, not emptied).
 */
export function archiveFirst(changes: Change[], policy: ArchivePolicy | undefined, optOut: ArchiveOptOut | undefined, folderItems: ReadonlySet<string> = new Set()): Change[] {
  if (!policy) return changes;
  return changes.map((c) => {
    if (c.target !== 'job' || (c.kind !== 'delete' && c.kind !== 'replace')) return c;
    if (folderItems.has(c.fullName) && !(c.kind === 'delete' && c.folderType === 'computed')) return c;
    return { ...c, archive: optedOut(c, optOut) ? 'opted-out' : 'first' };
  });
}

/**
 * The last check before a job that was archived is deleted (apply asks it, with a fresh listing of
 * the job's newest build). Apply disables the job before archiving it, so no build can start while
 * its relics are copied; a build that started before the disable (between the plan and the
 * disable) would be deleted unarchived, or with a log cut short. So the delete goes ahead only when
 * the newest build Jenkins holds now is one that was archived, finished when it was archived, and
 * is not running. Otherwise the job is kept (disabled) and the next sync archives it again, whole.
 * `archived`: the builds as the archiving listed them (newest first); `newest`: the job's newest
 * build now (undefined: it has none).
 */
export function deleteAfterArchive(archived: ReadonlyArray<{ number: number; building: boolean }>, newest: { number: number; building: boolean } | undefined): { ok: true } | { ok: false; why: string } {
  if (newest === undefined) return { ok: true };
  const top = archived.reduce((m, b) => Math.max(m, b.number), 0);
  if (newest.number > top) return { ok: false, why: `build #${newest.number} started while its builds were archived` };
  if (newest.building) return { ok: false, why: `build #${newest.number} is running` };
  const cut = archived.find((b) => b.building);
  if (cut) return { ok: false, why: `build #${cut.number} was still running when it was archived` };
  return { ok: true };
}
