/**
 * Rule: right before apply writes to an item, the item is still the one the plan saw.
 *
 * Jenkins has no compare-and-swap, and time passes between the listing the plan was made from and
 * each write (seconds in a sync; retries with back-off; a whole queue of changes). Meanwhile a
 * person may rename their own job to the name, take a job over by hand, or another run may change
 * it. So (src/apply/apply-plan.ts asks; the answer is decided here):
 *
 * - before a destructive step (a delete, a move's source, a retirement, the old item of a
 *   replacement, a template view's delete or replacement) the item's config is read and must carry
 *   this owner's marker naming that very item, with the hash the plan saw; a folder jobsmith made
 *   must not have been configured since (./folder-contents.ts folderAdditions);
 * - before a write is repeated after its answer was lost, the item must still carry this owner's
 *   marker (with the hash the plan saw, or the one this write puts there);
 * - an item found at a name after a create whose answer was lost counts as that create's only when it
 *   carries the marker the create wrote: anything else was made or renamed there meanwhile by
 *   someone else, and is never written over.
 *
 * A refusal fails that one step (the rest of the plan goes on); the next sync plans from what
 * Jenkins then holds. What remains: a first (not repeated) update is checked only against the
 * listing (reading every config before writing it would double a sync's requests); `--verify`
 * finds a config edited since.
 */
import type { WriteGuard } from '../../model/jenkins-api.js';
import type { Change } from '../../model/plan.js';
import { readDescription } from '../config-description.js';
import { parseMarker, type Marker } from '../marker.js';
import { folderAdditions } from './folder-contents.js';
import { isAsideOf } from '../aside-name.js';

/** What a write expects to find in the item's marker. */
export interface ExpectedMarker {
  kind: Marker['kind'];
  owner: string;
  /** The item's full name the marker must name (case-insensitive, as Jenkins' names); undefined: any name (a claim the plan made: an old v1 marker, an interrupted move). */
  name?: string;
  /** Other names the marker may name (a move's target, for a move stopped half-way; the item a replacement left aside). */
  alsoNames?: readonly string[];
  /** Accept the marker of the item `name` is the replacement's temporary name of. */
  asideOk?: boolean;
  /** The marker's hash must be one of these. */
  hashes: ReadonlyArray<string | undefined>;
}

function markerKind(c: Change): Marker['kind'] {
  return c.target === 'folder' ? 'folder' : c.target === 'view' ? 'view' : 'job';
}

/** Undefined when the config carries the expected marker; otherwise why not, in words. */
export function markerMismatch(config: string, expected: ExpectedMarker): string | undefined {
  let m: Marker | undefined;
  try {
    m = parseMarker(readDescription(config));
  } catch {
    m = undefined;
  }
  if (!m) return 'it carries no jobsmith marker';
  if (m.kind !== expected.kind) return `it carries a ${m.kind}'s marker`;
  if (m.owner !== undefined && m.owner !== expected.owner) return `it is managed by other definitions (owner ${m.owner})`;
  if (expected.name !== undefined) {
    if (m.owner === undefined || m.name === undefined) return 'it carries an old (v1) jobsmith marker';
    const names = [expected.name, ...(expected.alsoNames ?? [])].map((x) => x.toLowerCase());
    // the old item a replacement parked under its temporary name (../aside-name.ts) carries its own marker
    if (!names.includes(m.name.toLowerCase()) && !(expected.asideOk === true && isAsideOf(expected.name, m.name))) return `its marker names ${m.name} (a copy, or an item renamed to this name)`;
  }
  if (!expected.hashes.includes(m.hash)) return 'its marker records another config (another run changed it)';
  return undefined;
}

/**
 * Before a destructive step on `at` (default: the change's item; a move passes its source): the
 * item carries this owner's marker for `at` with the hash the plan saw.
 */
export function destructiveGuard(c: Change, owner: string, at: string = c.fullName): WriteGuard {
  // an item a replacement left under its temporary name carries the marker of the item it replaced
  // (and a move stopped half-way carries its target's marker with from=)
  const leftAsideOf = c.code === 'left-aside' ? c.params?.['of'] : c.code === 'view-left-aside' ? c.params?.['view'] : undefined;
  const alsoNames = [c.fullName, ...(typeof leftAsideOf === 'string' && leftAsideOf !== '' ? [leftAsideOf] : [])].filter((n) => n.toLowerCase() !== at.toLowerCase());
  const expected: ExpectedMarker = { kind: markerKind(c), owner, name: at, alsoNames: c.kind === 'move' || leftAsideOf !== undefined ? alsoNames : [], asideOk: c.kind === 'delete', hashes: [c.previousHash] };
  return (config) => {
    const why = markerMismatch(config, expected);
    if (why !== undefined || c.target !== 'folder' || c.kind !== 'delete') return why;
    // a folder jobsmith made, configured by a person since the listing (./folder-contents.ts)
    const added = folderAdditions(config);
    return added.length > 0 ? `it was configured in Jenkins since (${added.join(', ')})` : undefined;
  };
}

/**
 * Before an update (or a move's config push) is repeated: the item still carries this owner's
 * marker, as listed or as this very write put it. Undefined for an adoption (the item carries no
 * marker of this owner; the plan takes it as it is).
 */
export function repeatGuard(c: Change, owner: string): WriteGuard | undefined {
  if (c.kind === 'adopt' || c.previousHash === undefined) return undefined;
  const expected: ExpectedMarker = { kind: markerKind(c), owner, hashes: [c.previousHash, c.hash] };
  return (config) => markerMismatch(config, expected);
}

/**
 * After a create whose answer was lost: the item found at the name is this create's when it carries
 * the very marker the create wrote (owner, name, hash). Undefined when the config written carries
 * none (the client then compares the whole config).
 */
export function createdGuard(c: Change): WriteGuard | undefined {
  let m: Marker | undefined;
  try {
    m = c.config === undefined ? undefined : parseMarker(readDescription(c.config));
  } catch {
    m = undefined;
  }
  if (!m || m.owner === undefined || m.name === undefined) return undefined;
  const expected: ExpectedMarker = { kind: m.kind, owner: m.owner, name: m.name, hashes: [m.hash] };
  return (config) => markerMismatch(config, expected);
}
