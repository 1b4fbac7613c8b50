/**
 * The jobsmith marker: an HTML comment at the end of a job's description that says "jobsmith
 * manages this job" and records what it was rendered from:
 *
 *   <!-- jobsmith:v1 project=payments template=CI-build-trunk hash=sha256:ab12.. branch=feature%2Fx gone=2026-11-20T10:00:00.000Z -->
 *
 * Values are percent-encoded (everything but `A-Z a-z 0-9 . _ ~ :`), so they never contain spaces,
 * `-` (no `--`/`-->` inside the comment) or `<`/`>`/`&`. Folders carry `kind=folder` and no
 * project/template. The comment is invisible on the Jenkins page (both the plain-text and the
 * safe-HTML markup formatters drop or hide comments).
 */
export interface Marker {
  kind: 'job' | 'folder';
  project?: string;
  template?: string;
  hash: string;
  branch?: string;
  /** ISO time jobsmith retired the job (branch gone, or project removed with `--removed disable`). */
  gone?: string;
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

export function formatMarker(m: Marker): string {
  const parts: string[] = [];
  if (m.kind === 'folder') parts.push('kind=folder');
  if (m.project !== undefined) parts.push(`project=${encodeMarkerValue(m.project)}`);
  if (m.template !== undefined) parts.push(`template=${encodeMarkerValue(m.template)}`);
  parts.push(`hash=${encodeMarkerValue(m.hash)}`);
  if (m.branch !== undefined) parts.push(`branch=${encodeMarkerValue(m.branch)}`);
  if (m.gone !== undefined) parts.push(`gone=${encodeMarkerValue(m.gone)}`);
  return `<!-- jobsmith:v1 ${parts.join(' ')} -->`;
}

const OPEN = '<!-- jobsmith:v1 ';
const CLOSE = ' -->';
const VALUE_CHARS = /^[A-Za-z0-9._~:%-]*$/;

/** The last well-formed marker in a description, or undefined (then the item is unmanaged). */
export function parseMarker(description: string | null | undefined): Marker | undefined {
  if (!description) return undefined;
  let at = description.lastIndexOf(OPEN);
  while (at >= 0) {
    const m = parseAt(description, at);
    if (m !== null) return m;
    at = at > 0 ? description.lastIndexOf(OPEN, at - 1) : -1;
  }
  return undefined;
}

/** The marker starting at `at`; null when malformed there (an earlier one may still be good), undefined when incomplete. */
function parseAt(description: string, at: number): Marker | undefined | null {
  const end = description.indexOf(CLOSE, at + OPEN.length);
  if (end < 0) return null;
  const body = description.slice(at + OPEN.length, end);
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
  const kind = fields.kind === 'folder' ? 'folder' : 'job';
  if (kind === 'job' && (fields.project === undefined || fields.template === undefined)) return undefined;
  const marker: Marker = { kind, hash: fields.hash };
  if (fields.project !== undefined) marker.project = fields.project;
  if (fields.template !== undefined) marker.template = fields.template;
  if (fields.branch !== undefined) marker.branch = fields.branch;
  if (fields.gone !== undefined) marker.gone = fields.gone;
  return marker;
}

/** The description without any jobsmith marker (and the newline jobsmith put before it). */
export function stripMarker(description: string): string {
  return description.replace(/\n?<!-- jobsmith:v1(?: [a-z]+=[A-Za-z0-9._~:%-]*)* -->/g, '');
}

export function sameMarker(a: Marker, b: Marker): boolean {
  return (
    a.kind === b.kind &&
    a.project === b.project &&
    a.template === b.template &&
    a.hash === b.hash &&
    a.branch === b.branch &&
    a.gone === b.gone
  );
}
