import type { Change } from '../model/plan.js';
import type { ArchiveReport } from './archive-job.js';
import type { FailureClass } from './failure-class.js';

/** The phases of an apply, in order. */
export type ApplyPhase = 'folders' | 'moves' | 'jobs' | 'enables' | 'views' | 'disables' | 'deletes';

export type ApplyEvent =
  | { type: 'start'; total: number }
  | { type: 'phase'; phase: ApplyPhase; count: number }
  | { type: 'step'; change: Change; ok: boolean; error?: string; done: number; total: number }
  | { type: 'end'; succeeded: number; failed: number; skipped: number };

export interface StepFailure {
  change: Change;
  /** Error text (never credentials). */
  error: string;
  /** A policy held the step back (archive cap with `on_cap: hold`), rather than a failure of Jenkins, git or a disk. */
  held?: boolean;
  /**
   * Failed steps: whether running sync again fixes it (`transient`), or the definitions (`input`)
   * or Jenkins (`jenkins`) must change first; see ./failure-class.ts. Absent for skipped steps.
   */
  class?: FailureClass;
  /** Failed steps: what to do, in words. */
  hint?: string;
}

export interface ApplyResult {
  /** The plan was refused (mass delete): nothing was done. */
  refused: boolean;
  succeeded: Change[];
  failed: StepFailure[];
  /** Not attempted because something they depend on failed (e.g. their folder). */
  skipped: StepFailure[];
  /**
   * Set when the apply was interrupted (its signal aborted, e.g. Ctrl-C): the changes never
   * started. Those in flight were let finish, so succeeded/failed are exact.
   */
  notStarted?: Change[];
  /** Jobs whose build relics were archived before they were deleted or replaced. */
  archived: ArchiveReport[];
}
