/**
 * The name a replacement parks the old item under while the new one is created
 * (src/apply/apply-plan.ts replaceJob): `jobsmith-replaced-<12 hex>` beside it, derived from the
 * item's full name, so a later run can tell such a leftover from anything a person made.
 */
import { sha256 } from '../model/hash.js';

/** How many candidates are tried before giving up recognising a leftover (names taken by others). */
const CANDIDATES = 16;

function candidate(fullName: string, k: number): string {
  const i = fullName.lastIndexOf('/');
  const parent = i < 0 ? '' : fullName.slice(0, i);
  const leaf = `jobsmith-replaced-${sha256(`${fullName}\u0000${k}`).slice(7, 19)}`;
  return parent ? `${parent}/${leaf}` : leaf;
}

/** A free name beside `fullName` for the old item of a replacement while the new one is created. */
export function asideName(fullName: string, free: (name: string) => boolean): string {
  for (let k = 0; ; k++) {
    const name = candidate(fullName, k);
    if (free(name)) return name;
  }
}

/** Is `name` (exactly) one of the names a replacement of `fullName` parks the old item under? */
export function isAsideOf(name: string, fullName: string): boolean {
  for (let k = 0; k < CANDIDATES; k++) if (candidate(fullName, k) === name) return true;
  return false;
}
