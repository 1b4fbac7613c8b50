/**
 * Render, many controllers: the one rendered DesiredState split into one per controller, by the
 * controllers of each item's project (src/controllers/assign-controllers.ts). Every item in a
 * controller's state carries that controller; a project on several controllers is in each of their
 * states. Folders go where some job or view inside them goes; list views keep the jobs of their
 * controller (and go where any of their jobs goes). Pure.
 */
import type { DesiredFolder, DesiredJob, DesiredState, DesiredTemplateView, DesiredView } from '../model/desired-job.js';

export function splitDesired(desired: DesiredState, names: readonly string[], controllersOf: (project: string) => readonly string[]): Map<string, DesiredState> {
  const jobs = new Map<string, DesiredJob[]>(names.map((n) => [n, []]));
  const views = new Map<string, DesiredTemplateView[]>(names.map((n) => [n, []]));
  for (const j of desired.jobs) for (const c of controllersOf(j.project)) jobs.get(c)?.push({ ...j, controller: c });
  for (const v of desired.templateViews ?? []) for (const c of controllersOf(v.project)) views.get(c)?.push({ ...v, controller: c });
  const out = new Map<string, DesiredState>();
  for (const c of names) {
    const js = jobs.get(c)!;
    const tvs = views.get(c)!;
    const neededFolders = new Set<string>();
    const need = (folder: readonly string[]): void => {
      for (let i = 1; i <= folder.length; i++) neededFolders.add(folder.slice(0, i).join('/'));
    };
    for (const j of js) need(j.folder);
    for (const v of tvs) need(v.folder);
    const folders: DesiredFolder[] = desired.folders.filter((f) => neededFolders.has(f.fullName));
    const names = new Set(js.map((j) => j.fullName));
    const listViews: DesiredView[] = [];
    for (const v of desired.views) {
      const mine = v.jobs.filter((n) => names.has(n));
      if (mine.length > 0) listViews.push({ ...v, jobs: mine });
    }
    const state: DesiredState = { jobs: js, folders, views: listViews };
    if (desired.archiveOptOut) state.archiveOptOut = desired.archiveOptOut;
    if (desired.templateViews) state.templateViews = tvs;
    out.set(c, state);
  }
  return out;
}

/** Branch jobs (rendered after each controller's listing) of the projects that go to `controller`. */
export function jobsOfController(jobs: readonly DesiredJob[], controller: string, controllersOf: (project: string) => readonly string[]): DesiredJob[] {
  return jobs.filter((j) => controllersOf(j.project).includes(controller)).map((j) => ({ ...j, controller }));
}
