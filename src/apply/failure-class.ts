/**
 * What a failed step of an apply means for the user: will running sync again fix it, or must
 * something be changed first? Pure: from the error the Jenkins client threw (src/jenkins/jenkins-error.ts)
 * and the change that failed.
 *
 * - `transient`: a 5xx answer, a timeout, a dropped connection, a conflict with something that
 *   was happening in Jenkins (a build, someone else's edit), an item that appeared or disappeared
 *   since the listing, an item that is no longer what the plan saw (src/plan/rules/still-owned.ts):
 *   the next sync plans from a fresh listing and converges. Exit 3.
 * - `input`: the definitions ask for something Jenkins refuses, and will refuse again: a name over
 *   255 bytes, a name Jenkins' rules refuse, a config Jenkins cannot read as that kind of item.
 *   The hint says what to change in the definitions or templates. Exit 1.
 * - `jenkins`: Jenkins itself must change: credentials, a missing permission, a missing plugin, an
 *   endpoint this Jenkins does not have. Exit 3, but running sync again alone does not help.
 */
import type { Change } from '../model/plan.js';

export type FailureClass = 'transient' | 'input' | 'jenkins';

export interface FailureVerdict {
  class: FailureClass;
  /** What to do, in words ("run sync again", "shorten the job name ..."). */
  hint: string;
}

/** The fields of a client error the classification reads (JenkinsError has them; other errors only a message). */
interface ErrorLike {
  message?: string;
  kind?: string;
  status?: number;
  xError?: string;
  /** An archive policy held the step back (src/apply/archive-job.ts ArchiveError). */
  held?: boolean;
}

const MAX_NAME_BYTES = 255;

const AGAIN = 'run sync again';

function leafOf(fullName: string): string {
  return fullName.slice(fullName.lastIndexOf('/') + 1);
}

/** The names a change creates in Jenkins (its full name, and a move's intermediate name). */
function namesMade(c: Change): string[] {
  if (c.kind === 'create' || c.kind === 'replace') return [c.fullName];
  if (c.kind === 'move') return [c.fullName, ...(c.via !== undefined ? [c.via] : [])];
  return [];
}

export function classifyFailure(err: unknown, change: Change): FailureVerdict {
  const e: ErrorLike = typeof err === 'object' && err !== null ? (err as ErrorLike) : { message: String(err) };
  const text = `${e.message ?? ''} ${e.xError ?? ''}`;
  if (e.held === true) {
    return { class: 'input', hint: 'the archive settings hold it back (its artifacts are over max_artifacts_mb and on_cap is hold): raise the cap or set on_cap: list, or delete the job by hand' };
  }
  const tooLong = namesMade(change).find((n) => Buffer.byteLength(leafOf(n), 'utf8') > MAX_NAME_BYTES);
  if (tooLong !== undefined) {
    return { class: 'input', hint: `the name ${leafOf(tooLong).slice(0, 40)}... is ${Buffer.byteLength(leafOf(tooLong), 'utf8')} bytes of UTF-8; Jenkins stores an item in a directory of that name, at most ${MAX_NAME_BYTES} bytes: shorten it (job: or the project name)` };
  }
  const missingClass = /CannotResolveClassException: ([\w.$-]+)/.exec(text);
  if (missingClass) {
    return { class: 'jenkins', hint: `Jenkins has no plugin that provides <${missingClass[1]}>: install it in Jenkins, or change the template ${change.template ?? ''}`.trimEnd() };
  }
  if (/cannot be cast to (?:class )?hudson\.model\.TopLevelItem/.test(text)) {
    return { class: 'input', hint: `the template ${change.template ?? ''} is not a job or folder config (its root element makes something else, such as a view): change its root element`.replace('  ', ' ') };
  }
  if (/Expecting class [\w.$]+ but got class [\w.$]+/.test(text)) {
    return { class: 'transient', hint: `the item changed type in Jenkins since the listing: ${AGAIN} (the plan replaces it)` };
  }
  if (/cannot move items between folders/.test(text)) {
    return { class: 'jenkins', hint: 'this Jenkins cannot move items between folders: install the Folders plugin (cloudbees-folder), or move the job in Jenkins by hand' };
  }
  switch (e.kind) {
    case 'network':
    case 'timeout':
    case 'server':
    case 'crumb':
      return { class: 'transient', hint: AGAIN };
    case 'conflict':
      if (/not touched|not written over|not written again/.test(text)) {
        return { class: 'transient', hint: `the item is no longer what the plan saw (renamed there, taken over or changed in Jenkins since the listing), so it was left alone: ${AGAIN} (the next plan sees it as it is now)` };
      }
      return { class: 'transient', hint: `${AGAIN} (something was happening in Jenkins: a build, another change)` };
    case 'not-found':
      if (change.kind === 'create') return { class: 'transient', hint: `its folder is gone from Jenkins: ${AGAIN}` };
      return { class: 'transient', hint: `it is gone from Jenkins since the listing: ${AGAIN}` };
    case 'unauthorized':
      return { class: 'jenkins', hint: 'Jenkins refused the user name or API token: check the credentials' };
    case 'forbidden':
      return { class: 'jenkins', hint: 'the Jenkins user lacks a permission for this: grant it in Jenkins (or use another user)' };
    case 'bad-request': {
      if (/already exists|is already in use/i.test(text)) return { class: 'transient', hint: `an item of that name appeared in Jenkins since the listing: ${AGAIN} (it is then reported, not touched)` };
      if (/unsafe character|control code|not an allowed name|cannot end with|No name is specified|invalid name/i.test(text)) {
        return { class: 'input', hint: 'Jenkins refuses the name: change it in the definitions (`jobsmith validate` reports the names Jenkins refuses)' };
      }
      if (e.status === 405) return { class: 'jenkins', hint: 'this Jenkins does not offer that action (a plugin or a newer Jenkins is needed)' };
      return { class: 'input', hint: 'Jenkins refused the request (4xx) and will refuse it again: see the message, and change the definitions or the template' };
    }
    default:
      return { class: 'transient', hint: AGAIN };
  }
}
