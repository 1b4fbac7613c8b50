/**
 * Why a change is what it is, as a stable code plus parameters: what scripts read from `--json`
 * (format `jobsmith-result` version 1, docs/json-output.md). The words a person reads are the text
 * printer's (`Change.reason`); codes and parameter names only ever get added, never renamed.
 *
 * Each code with the parameters it carries (a `cause` parameter is the wrapped change's own
 * `{ code, params }`: a held delete says what the delete was for).
 */
export const REASON_CODES = {
  // jobs and folder-type items
  'new-job': 'not in Jenkins: created {project, template}',
  'new-branch-job': 'a new branch of the project: created {project, template, branch}',
  'up-to-date': 'the live item is what the definitions make',
  'up-to-date-disabled-by-hand': 'the live item is what the definitions make; a person disabled it in Jenkins: kept disabled',
  'config-changed': 'the rendered config changed {project, template}',
  'source-changed': 'now made by another project or template {project, template, wasProject, wasTemplate}',
  'branch-changed': 'the branch recorded in the marker changed {branch}',
  'back': 'retired by jobsmith earlier and wanted again {branch?}',
  'moved-in-jenkins': 'moved or renamed in Jenkins by a person; the marker follows {from}',
  'marker-upgraded': 'an old (v1) marker is rewritten with owner and name',
  'marker-owner-taken-over': 'a marker of the former shared owner of plain directories (default) now records this owner: the definitions want exactly this item {was}',
  'drift': 'edited in Jenkins; --verify pushes the definitions again',
  'moved': 'the definitions place the job elsewhere: moved, builds kept {from, to, folder, renamed}',
  'move-waits-for-build': 'a move held until the running build ends {to}',
  'type-changes': 'the template makes another item type: created anew, then the old one deleted {from, to}',
  'type-change-waits-for-build': 'a type change held until the running build ends {from, to}',
  'type-change-would-lose-items': 'a type change held: the old item holds what jobsmith does not own {from, to, held}',
  'definition-disables': 'the definition disables the job',
  'disabled-in-jenkins': 'a person disabled the job: kept disabled after the config update',
  're-enabled': 'retired by jobsmith and wanted again: enabled {branch?}',
  'adopted': 'an item not managed by these definitions taken over (--adopt) {ownership}',
  'not-managed': 'an item these definitions do not manage has the name (--adopt takes it over) {ownership}',
  'other-owner': 'another definitions repository owns the item {owner}',
  'adopt-type-differs': 'not adopted: the item is of another type {className, wanted}',
  'move-target-taken': 'an item these definitions do not manage sits where a managed job moves to: the move is held and --adopt does not take the item {from, ownership}',
  'folder-in-the-way': 'a folder has the name of a desired job {className}',
  'branch-job-in-the-way': 'a branch job and a job of the definitions want one name: the one in Jenkins keeps it, with its builds {branch?, project?, template?}',
  // leaving: removed from the definitions (a cause) and what happens to it
  'project-removed': 'the project is no longer in the definitions {project}',
  'project-never-defined': 'not deleted: the project is not in the definitions and never was in their git history (made or adopted from a commit not here) {project}',
  'template-unused': 'the project no longer uses the template {project, template}',
  'branch-jobs-stopped': 'the project no longer makes branch jobs {project}',
  'second-job': 'a second job of the same project and template: the definitions make that job at another name {project, template, branch?, as}',
  'left-for-unfiltered-run': 'the definitions want the job at a name --only does not select: kept where it is for a run that selects both names {wantedAs}',
  'replaced-elsewhere': 'the job is made elsewhere now, and could not be moved {project, template, by, detail}',
  'replacement-blocked': 'not deleted: the job that replaces it cannot be made {by}',
  'left-aside': 'the old job a replacement stopped half-way left under its temporary name {of}',
  'removed-keep': 'removed from the definitions, kept (--removed keep) {cause}',
  'removed-disable': 'removed from the definitions, disabled (--removed disable) {cause, retiredAt?}',
  'removed-kept-disabled': 'removed and already disabled (retired earlier, or by a person), stays disabled (--removed disable) {cause, retiredAt?}',
  'build-running': 'a build is running: disabled now, deleted by a later sync {cause}',
  'build-running-keep': 'a build is running: deleted by a later sync {cause}',
  'build-running-inside': 'a build is running inside the folder-type item: deleted by a later sync {cause}',
  'holds-items': 'not deleted: the folder-type item holds items jobsmith does not own {cause, held}',
  'holds-views': 'not deleted: the folder-type item holds views a person made (views are never deleted) {cause, views}',
  'folder-cannot-disable': 'a folder-type item cannot be disabled: kept {cause}',
  // branch jobs
  'branch-gone': 'the branch is gone, or still listed but dropped by the include/exclude (filtered) or the cap (capped) {branch, capped, filtered?, max?, keepDays?, since?, deleteAfter?}',
  'branch-gone-reenabled': 'the branch is gone but the job was re-enabled in Jenkins: disabled again {branch, detail}',
  'branch-held': 'not torn down: the branch listing cannot be trusted {detail}',
  'branch-detection-off': 'branch detection did not run: nothing torn down',
  // folders jobsmith makes for jobs
  'folder-needed': 'a folder that desired jobs live in',
  'folder-changed': 'the folder config changed',
  'folder-up-to-date': 'the folder is what the definitions make',
  'existing-folder': 'a folder jobsmith does not manage; used as it is {ownership}',
  'item-in-the-way': 'an item of another kind has the name of a desired folder {className}',
  'folder-empty': 'no longer needed and empty after this run: deleted',
  'folder-not-empty': 'no longer needed but still holds items {count}',
  'folder-holds-views': 'no longer needed, but it holds views a person made (views are never deleted): kept {views}',
  'folder-configured': 'no longer needed, but configured in Jenkins since jobsmith made it (a description, folder properties): kept {what}',
  // list views of definitions (`view:`)
  'view-new': 'a list view for the definitions\' jobs {jobs}',
  'view-jobs-changed': 'jobs added to or removed from the list view {added, removed}',
  'view-up-to-date': 'the list view holds its jobs',
  'view-other-class': 'a view of another class has the name {className}',
  // views from view templates
  'new-view': 'a view made from a view template {project, template}',
  'view-type-changes': 'the view changes class: made under a temporary name first, then the old one deleted and the new one made in its place {from, to}',
  'view-left-aside': 'a view left under a temporary name by a replacement that stopped half-way: deleted {view}',
  'view-template-moved': 'the view template now makes a view elsewhere (another folder or name): the old view is deleted {project, template, to}',
  'view-in-the-way': 'a view of that name is not managed by these definitions {detail, adoptable}',
  'view-template-unused': 'the project no longer uses the view template {project, template}',
  // many controllers (docs/controllers.md)
  'moved-to-controller': 'the project moved to another controller: removed here after the job exists there; build history stays here {controller, cause}',
  'controller-move-held': 'the project moved to another controller, which could not take it in this run: kept here {controller, detail}',
  // safety rules that hold a change back
  'held': 'a destructive change held because an input failed {action, detail, cause}',
  'restore-never': 'restore only adds: the change is held {detail, cause}',
  'restore-creates': 'restore creates the job and leaves the original where it is {from}',
  // restore from a backup
  'restored': 'missing in Jenkins: restored from the backup (a folder: with the views its config holds) {views?}',
  'restored-copy': 'a backup of another controller restored here: written without jobsmith\'s marker, so it is unmanaged here (no sync changes or deletes it) {from}',
  'exists-no-overwrite': 'exists in Jenkins: restore does not overwrite without --overwrite',
  'same-as-backup': 'the item is what the backup holds',
  'differs-from-backup': 'the item differs from the backup: updated with --overwrite (without it, held: restore-never)',
  'not-in-backup': 'the folder is not in the backup',
  'folder-cannot-be-restored': 'the folder it lives in cannot be restored',
  'view-restored-with-folder': 'the view comes back with its folder\'s config',
  'view-exists': 'the view exists in Jenkins',
  'view-never-changed': 'the view exists in Jenkins and differs from the backup (or was not compared): restore never changes a view {compared}',
  'kind-in-the-way': 'an item of another kind is in the way {className}',
  'name-differs-in-case': 'an item whose top-level name differs only in case exists in Jenkins, which refuses the create: held (a conflict with --overwrite) {existing}',
  'type-differs': 'the item in Jenkins is of another type than the backup\'s: a config post cannot change it, restore never replaces it: held (a conflict with --overwrite) {className, rootElement}',
  'needed-folder-exists': 'a folder restore --only needs (not matched itself) exists: never changed',
} as const;

export type ReasonCode = keyof typeof REASON_CODES;

export const REASON_CODE_LIST = Object.keys(REASON_CODES) as ReasonCode[];

/** A wrapped change's reason (what a held delete was for). */
export interface ReasonRef {
  code: ReasonCode;
  params?: ReasonParams;
}

export type ReasonParam = string | number | boolean | string[] | ReasonRef;
export type ReasonParams = { [name: string]: ReasonParam };
