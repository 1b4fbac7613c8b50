/**
 * The jobsmith marker: an HTML comment at the end of an item's description that says which
 * definitions manage the item, under which name, and what it was rendered from.
 *
 * ## Format (version 2, written since ownership: issue 13)
 *
 *   <!-- jobsmith:v2 owner=github.com%2Facme%2Fci%2Djobs name=team%2Fpayments%2DCI%2Dbuild%2Dtrunk project=payments template=CI%2Dbuild%2Dtrunk hash=sha256%3Aab12.. branch=feature%2Fx gone=2026%2D11%2D20T10%3A00%3A00.000Z -->
 *   <!-- jobsmith:v2 kind=folder owner=github.com%2Facme%2Fci%2Djobs name=team hash=sha256%3Acd34.. -->
 *   <!-- jobsmith:v2 kind=view owner=github.com%2Facme%2Fci%2Djobs name=team%2Fpayments%2DDashboard project=payments template=Dashboard hash=sha256%3Aef56.. -->
 *
 * One line, fields separated by single spaces, `key=value`, keys lower-case letters, in this order:
 *
 * | key      | job      | folder   | view     | meaning |
 * |----------|----------|----------|----------|---------|
 * | kind     | absent   | `folder` | `view`   | what the item is (a job, or a folder-type item made from a template, has no kind) |
 * | owner    | required | required | required | the owner id of the definitions that wrote it (see src/sync/owner-id.ts: `owner:` in jobsmith.yaml, else the normalised git remote URL of the definitions, else `dir:` and the path of a plain definitions directory; `default` in markers written before: see `shared-default` in src/plan/rules/managed-only.ts) |
 * | name     | required | required | required | the item's full name (`folder/job`), or the view's folder path and name, when jobsmith wrote the marker |
 * | project  | required | absent   | required | the definition (project) the job is rendered from |
 * | template | required | absent   | required | the template it is rendered from |
 * | hash     | required | required | required | `sha256:` of the rendered config (without the marker) |
 * | branch   | optional | absent   | absent   | the branch of a per-branch job |
 * | gone     | optional | absent   | absent   | ISO time jobsmith retired the job (branch gone, or `--removed disable`) |
 * | from     | optional | absent   | absent   | while a move in two steps (folder and name) is under way: where the job comes from; `name` is then where it goes. Written before the first step, removed by the config push after the last, so a move stopped half-way is finished by the next sync (src/plan/rules/managed-only.ts claimLeftover) |
 *
 * A view's marker is in the view's description (views made from view templates; added with
 * `kind=view`: readers before it took such a marker for a job's, but they never read views).
 *
 * Values are percent-encoded (everything but `A-Z a-z 0-9 . _ ~`; `-` and `:` too), so they never
 * contain spaces, `-` (no `--`/`-->` inside the comment) or `<`/`>`/`&`. Unknown keys are ignored
 * when reading (later versions may add fields). A description may hold several markers: the last
 * well-formed one counts; writing a marker removes all others. The comment is invisible on the
 * Jenkins page (the plain-text and safe-HTML markup formatters drop or hide comments).
 *
 * ## Who manages an item (src/plan/rules/managed-only.ts)
 *
 * A run manages an item only when the marker's `owner` is the run's owner AND its `name` is the
 * item's own full name. The name is what tells a copy (`createItem?mode=copy` keeps the
 * description) or a rename/move made in Jenkins from the original: their marker names another
 * item, so they are never changed or deleted (`import --adopt` takes them over explicitly).
 * Items of another owner are never touched. A marker without owner and name is not valid v2.
 *
 * ## Version 1 (read, never written for new items)
 *
 *   <!-- jobsmith:v1 project=payments template=CI%2Dbuild%2Dtrunk hash=sha256%3Aab12.. branch=.. gone=.. -->
 *
 * No owner and no name. A v1 item is managed by whichever run desires a job of exactly its full
 * name (it is then updated, which writes a v2 marker); any other v1 item is left alone.
 */
export interface Marker {
  kind: 'job' | 'folder' | 'view';
  /** v2: owner id of the definitions that wrote the marker (absent in v1 markers). */
  owner?: string;
  /** v2: the item's full name when the marker was written (absent in v1 markers). */
  name?: string;
  project?: string;
  template?: string;
  hash: string;
  branch?: string;
  /** ISO time jobsmith retired the job (branch gone, or project removed with `--removed disable`). */
  gone?: string;
  /** A move in two steps is under way from this full name to `name` (see the table above). */
  from?: string;
}

/** 2 when the marker records owner and name, 1 for an old marker without them. */
export function markerVersion(m: Marker): 1 | 2 {
  return m.owner !== undefined && m.name !== undefined ? 2 : 1;
}

export function encodeMarkerValue(v: string): string {
  return encodeURIComponent(v).replace(/[-!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function decodeValue(v: string): string | undefined {
  try {
    return decodeURIComponent(v);
  } catch {
    return undefined;
  }
}

/** The marker comment; v2 when owner and name are given (always so for what jobsmith writes), else v1. */
export function formatMarker(m: Marker): string {
  const v2 = markerVersion(m) === 2;
  const parts: string[] = [];
  if (m.kind !== 'job') parts.push(`kind=${m.kind}`);
  if (v2) parts.push(`owner=${encodeMarkerValue(m.owner!)}`, `name=${encodeMarkerValue(m.name!)}`);
  if (m.project !== undefined) parts.push(`project=${encodeMarkerValue(m.project)}`);
  if (m.template !== undefined) parts.push(`template=${encodeMarkerValue(m.template)}`);
  parts.push(`hash=${encodeMarkerValue(m.hash)}`);
  if (m.branch !== undefined) parts.push(`branch=${encodeMarkerValue(m.branch)}`);
  if (m.gone !== undefined) parts.push(`gone=${encodeMarkerValue(m.gone)}`);
  if (m.from !== undefined) parts.push(`from=${encodeMarkerValue(m.from)}`);
  return `<!-- jobsmith:v${v2 ? 2 : 1} ${parts.join(' ')} -->`;
}

const OPEN = /<!-- jobsmith:v([12]) /g;
const OPEN_LEN = '<!-- jobsmith:v1 '.length;
const CLOSE = ' -->';
const VALUE_CHARS = /^[A-Za-z0-9._~:%-]*$/;

/** The last well-formed marker in a description, or undefined (then the item is unmanaged). */
export function parseMarker(description: string | null | undefined): Marker | undefined {
  if (!description || !description.includes('<!-- jobsmith:v')) return undefined;
  const starts: Array<{ at: number; version: 1 | 2 }> = [];
  for (const m of description.matchAll(OPEN)) starts.push({ at: m.index, version: m[1] === '2' ? 2 : 1 });
  for (let k = starts.length - 1; k >= 0; k--) {
    const m = parseAt(description, starts[k]!.at, starts[k]!.version);
    if (m !== null) return m;
  }
  return undefined;
}

/** The marker starting at `at`; null when malformed there (an earlier one may still be good), undefined when incomplete. */
function parseAt(description: string, at: number, version: 1 | 2): Marker | undefined | null {
  const end = description.indexOf(CLOSE, at + OPEN_LEN);
  if (end < 0) return null;
  const body = description.slice(at + OPEN_LEN, end);
  const fields: Record<string, string> = {};
  for (const part of body.split(' ')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const key = part.slice(0, eq);
    const raw = part.slice(eq + 1);
    if (!/^[a-z]+$/.test(key) || !VALUE_CHARS.test(raw)) return null;
    const v = raw.includes('%') ? decodeValue(raw) : raw;
    if (v === undefined) return undefined;
    fields[key] = v;
  }
  if (fields.hash === undefined) return undefined;
  const kind = fields.kind === 'folder' ? 'folder' : fields.kind === 'view' ? 'view' : 'job';
  if (kind !== 'folder' && (fields.project === undefined || fields.template === undefined)) return undefined;
  const marker: Marker = { kind, hash: fields.hash };
  if (version === 2) {
    if (!fields.owner || !fields.name) return undefined;
    marker.owner = fields.owner;
    marker.name = fields.name;
  }
  if (fields.project !== undefined) marker.project = fields.project;
  if (fields.template !== undefined) marker.template = fields.template;
  if (fields.branch !== undefined) marker.branch = fields.branch;
  if (fields.gone !== undefined) marker.gone = fields.gone;
  if (fields.from !== undefined && kind === 'job') marker.from = fields.from;
  return marker;
}

/** The description without any jobsmith marker (and the newline jobsmith put before it). */
export function stripMarker(description: string): string {
  return description.replace(/\n?<!-- jobsmith:v[12](?: [a-z]+=[A-Za-z0-9._~:%-]*)* -->/g, '');
}

export function sameMarker(a: Marker, b: Marker): boolean {
  return (
    a.kind === b.kind &&
    a.owner === b.owner &&
    a.name === b.name &&
    a.project === b.project &&
    a.template === b.template &&
    a.hash === b.hash &&
    a.branch === b.branch &&
    a.gone === b.gone &&
    a.from === b.from
  );
}
