/**
 * Rule: a bulk edit never touches the jobsmith marker (the HTML comment at the end of the root
 * `<description>`, see ../marker.ts). Removing it would silently turn a managed job into an
 * unmanaged one in the way of its own definition; altering or adding one would forge ownership.
 * `--force` only lets bulk edit managed jobs; removing the marker needs `--unmanage`, and altering
 * or adding one is never done by bulk (sync writes markers).
 *
 * The comparison uses the marker module's own parse and strip functions, so it holds for every
 * marker version they know: the marker parsed before and after must be equal, and so must the
 * marker comments themselves (the text `stripMarker` removes).
 */
import { diffChars } from 'diff';
import { readDescription } from '../config-description.js';
import { parseMarker, stripMarker, type Marker } from '../marker.js';

export type MarkerEdit = 'removed' | 'altered' | 'added';

/** The marker comments of a description: what `stripMarker` removes, in order. */
export function markerComments(description: string): string[] {
  const stripped = stripMarker(description);
  if (stripped === description) return [];
  return diffChars(description, stripped)
    .filter((p) => p.removed)
    .map((p) => p.value.trim());
}

function sameParsed(a: Marker | undefined, b: Marker | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** What an edit from `before` to `after` (whole config.xml texts) does to the marker, or undefined when nothing. */
export function markerEdit(before: string, after: string): MarkerEdit | undefined {
  const db = readDescription(before);
  const da = readDescription(after);
  if (db === da) return undefined;
  const mb = parseMarker(db);
  const ma = parseMarker(da);
  const cb = markerComments(db);
  const ca = markerComments(da);
  if (sameParsed(mb, ma) && cb.length === ca.length && cb.every((c, i) => c === ca[i])) return undefined;
  if (mb === undefined && cb.length === 0) return 'added';
  if (ma === undefined && ca.length === 0) return 'removed';
  return 'altered';
}

/** Why bulk refuses an edit of the marker (undefined: allowed). `unmanage` allows a removal only. */
export function markerEditRefusal(edit: MarkerEdit | undefined, unmanage: boolean): string | undefined {
  switch (edit) {
    case undefined:
      return undefined;
    case 'removed':
      return unmanage
        ? undefined
        : 'the edit would remove the jobsmith marker from the description (the job would no longer be managed, and its definition would meet it as an unmanaged job in the way); --unmanage removes it on purpose';
    case 'altered':
      return 'the edit would alter the jobsmith marker in the description (what jobsmith records about the job); bulk never rewrites it, sync does (--unmanage only allows removing it whole)';
    case 'added':
      return 'the edit would add a jobsmith marker to the description; bulk never makes a job managed (sync --adopt does)';
  }
}
