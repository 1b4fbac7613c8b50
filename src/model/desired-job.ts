/**
 * What the definitions say Jenkins should hold: the output of render, the input of plan.
 * Plain data, no behaviour.
 */
export interface DesiredJob {
  /** Jenkins full name: folder segments and the job name joined by `/` (e.g. `team-a/payments-CI-build-trunk`). */
  fullName: string;
  /** Last segment of fullName. */
  name: string;
  /** Folder path segments (empty at the root). */
  folder: string[];
  /** Project (definition) the job comes from. */
  project: string;
  /** Template name (file `job-templates/<template>-config.xml`). */
  template: string;
  /** Branch name as written, for per-branch jobs. */
  branch?: string;
  /** Rendered config.xml, exactly as written by `render` (no jobsmith marker). */
  config: string;
  /** `sha256:` + hex digest of `config` (UTF-8 bytes). */
  hash: string;
  /** Root element of the rendered config (`project`, `flow-definition`, ...). */
  rootElement: string;
  /** List view the job belongs to, if the definition names one. */
  view?: string;
  /** The definition asks for the job to be disabled. */
  disabled?: boolean;
  /** Where the job comes from, for messages. */
  source: { file: string; line?: number };
  /** The controller the job goes to (set when the definitions are split per controller; absent: the one Jenkins). */
  controller?: string;
}

/** A folder that must exist for some desired job (each prefix of a job's folder path). */
export interface DesiredFolder {
  fullName: string;
  /** config.xml for the folder (a minimal cloudbees Folder unless a template provides one). */
  config: string;
}

export interface DesiredView {
  /** View name (views live at the root, or in `folder` when given). */
  name: string;
  folder: string[];
  /** Full names of the jobs the view must contain. */
  jobs: string[];
}

/** Projects whose definitions opt out of archiving (`archive: false`), see docs/archive.md. */
export interface ArchiveOptOut {
  /** `archive: false` at the top of the definition: none of the project's deleted jobs is archived. */
  projects: string[];
  /** `archive: false` in its `branches:` block: torn-down branch jobs are not archived. */
  branches: string[];
}

/**
 * A view made from a template whose root element is a view type (`hudson.model.ListView`, ...): it
 * lives in the project's folder (the root when it has none) and is named like a job would be
 * (`<project>-<template>`, or the entry's `job:`). Managed like a job: created, updated, verified,
 * deleted with its project (the marker is in the view's description).
 */
export interface DesiredTemplateView {
  /** View name. */
  name: string;
  /** Folder the view lives in (empty at the root). */
  folder: string[];
  /** Folder path and name joined by `/` (the key of the view). */
  fullName: string;
  project: string;
  template: string;
  /** Rendered config.xml (no jobsmith marker). */
  config: string;
  /** `sha256:` + hex digest of `config`. */
  hash: string;
  /** Root element of the rendered config (the view's class). */
  rootElement: string;
  source: { file: string; line?: number };
  /** The controller the view goes to (absent: the one Jenkins). */
  controller?: string;
}

/** Everything render produces for one run. */
export interface DesiredState {
  jobs: DesiredJob[];
  folders: DesiredFolder[];
  views: DesiredView[];
  /** Absent: no definition opts out. */
  archiveOptOut?: ArchiveOptOut;
  /** Views made from view templates (absent: none). */
  templateViews?: DesiredTemplateView[];
}
