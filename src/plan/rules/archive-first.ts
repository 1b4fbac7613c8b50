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
 * Mark the job deletes and replacements of a plan with how they are archived. Folder-type items
 * (`folderItems`: a folder, multibranch project or organization folder made from a template) have
 * no builds of their own and are not marked.
 */
export function archiveFirst(changes: Change[], policy: ArchivePolicy | undefined, optOut: ArchiveOptOut | undefined, folderItems: ReadonlySet<string> = new Set()): Change[] {
  if (!policy) return changes;
  return changes.map((c) => {
    if (c.target !== 'job' || (c.kind !== 'delete' && c.kind !== 'replace') || folderItems.has(c.fullName)) return c;
    return { ...c, archive: optedOut(c, optOut) ? 'opted-out' : 'first' };
  });
}
