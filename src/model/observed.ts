/**
 * What Jenkins holds, as read by one listing request (`api/json?tree=...`), flattened.
 */
export interface ObservedItem {
  /** Full name (`folder/sub/job`), in the spelling Jenkins stores. */
  fullName: string;
  name: string;
  /** Jenkins `_class`, e.g. `hudson.model.FreeStyleProject`, `com.cloudbees.hudson.plugins.folder.Folder`. */
  className: string;
  /** Raw description text (may carry a jobsmith marker), null when unset. */
  description: string | null;
  /** Ball colour for jobs (`blue`, `disabled`, `notbuilt_anime`, ...); undefined for folders. */
  color?: string;
  /** The item holds other items (folder, multibranch, organization folder). */
  isFolder: boolean;
  /** Derived from colour `disabled`/`disabled_anime`. */
  disabled: boolean;
  /** Derived from colour `*_anime` (or an explicit building flag). */
  building: boolean;
}

export interface ObservedView {
  name: string;
  /** Folder the view lives in (empty at the root). */
  folder: string[];
  className: string;
  /** Full names of the jobs in the view, when listed. */
  jobs: string[];
  /** Raw description (a view made from a template carries a jobsmith marker there); null when unset, absent when not listed. */
  description?: string | null;
}

export interface ObservedState {
  items: ObservedItem[];
  views: ObservedView[];
  /**
   * The `X-Jenkins-Session` header of the listing's answer (8 hex, new on every start of that
   * Jenkins): which running Jenkins answered. Two controllers answering the same value are one
   * Jenkins under two URLs (src/plan/rules/one-jenkins-one-controller.ts). Absent when not sent.
   */
  session?: string;
}
