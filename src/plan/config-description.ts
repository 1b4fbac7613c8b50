/**
 * Reads and rewrites the root `<description>` of a config.xml without re-serialising the rest of
 * the document (the bytes jobsmith pushes are the rendered bytes plus the marker, nothing else).
 * A small scanner finds the root element's direct `<description>` child (nested ones, such as a
 * parameter's description, are left alone), skipping comments, CDATA and processing instructions.
 */
import { stripMarker } from './marker.js';

interface DescriptionSpot {
  /** Offset of `<description` (or where to insert one). */
  start: number;
  /** Offset just after `</description>` or `/>` (equal to start for an insertion point). */
  end: number;
  /** Raw inner text (escaped XML), '' when self-closing or absent. */
  inner: string;
  found: boolean;
}

const NAME_END = /[\s/>]/;

function skipSpecial(xml: string, i: number): number {
  if (xml.startsWith('<!--', i)) {
    const e = xml.indexOf('-->', i + 4);
    return e < 0 ? xml.length : e + 3;
  }
  if (xml.startsWith('<![CDATA[', i)) {
    const e = xml.indexOf(']]>', i + 9);
    return e < 0 ? xml.length : e + 3;
  }
  if (xml.startsWith('<?', i)) {
    const e = xml.indexOf('?>', i + 2);
    return e < 0 ? xml.length : e + 2;
  }
  if (xml.startsWith('<!', i)) {
    const e = xml.indexOf('>', i + 2);
    return e < 0 ? xml.length : e + 1;
  }
  return -1;
}

/** End of a start tag beginning at i (offset after `>`), honouring quoted attribute values. */
function tagEnd(xml: string, i: number): number {
  let q: string | null = null;
  for (let j = i + 1; j < xml.length; j++) {
    const c = xml[j];
    if (q) {
      if (c === q) q = null;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '>') return j + 1;
  }
  return xml.length;
}

export function findDescription(xml: string): DescriptionSpot | undefined {
  let i = 0;
  // prolog → root start tag
  let rootOpenEnd = -1;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) return undefined;
    const s = skipSpecial(xml, lt);
    if (s >= 0) {
      i = s;
      continue;
    }
    const e = tagEnd(xml, lt);
    if (xml[e - 2] === '/') return { start: e - 2, end: e, inner: '', found: false }; // empty root: caller expands
    rootOpenEnd = e;
    break;
  }
  if (rootOpenEnd < 0) return undefined;
  let depth = 1;
  i = rootOpenEnd;
  while (i < xml.length && depth > 0) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) return undefined;
    const s = skipSpecial(xml, lt);
    if (s >= 0) {
      i = s;
      continue;
    }
    const e = tagEnd(xml, lt);
    if (xml[lt + 1] === '/') {
      depth--;
      i = e;
      continue;
    }
    const selfClosing = xml[e - 2] === '/';
    if (depth === 1 && xml.startsWith('description', lt + 1) && NAME_END.test(xml[lt + 12] ?? '')) {
      if (selfClosing) return { start: lt, end: e, inner: '', found: true };
      // text content (with possible CDATA) up to </description>
      let j = e;
      while (j < xml.length) {
        const n = xml.indexOf('<', j);
        if (n < 0) return undefined;
        if (xml.startsWith('<![CDATA[', n)) {
          j = skipSpecial(xml, n);
          continue;
        }
        if (xml.startsWith('</description', n)) {
          const close = tagEnd(xml, n);
          return { start: lt, end: close, inner: xml.slice(e, n), found: true };
        }
        j = n + 1;
      }
      return undefined;
    }
    if (!selfClosing) depth++;
    i = e;
  }
  // no description: insert right after the root start tag
  return { start: rootOpenEnd, end: rootOpenEnd, inner: '', found: false };
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function unescapeXmlText(raw: string): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw.indexOf('<![CDATA[', i);
    const chunk = c < 0 ? raw.slice(i) : raw.slice(i, c);
    out += chunk.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, name: string) => {
      if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
      return ENTITIES[name] ?? m;
    });
    if (c < 0) break;
    const e = raw.indexOf(']]>', c + 9);
    out += raw.slice(c + 9, e < 0 ? raw.length : e);
    i = e < 0 ? raw.length : e + 3;
  }
  return out;
}

export function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The root description's text (unescaped), '' when absent. */
export function readDescription(xml: string): string {
  const spot = findDescription(xml);
  return spot ? unescapeXmlText(spot.inner) : '';
}

/**
 * The config with its root description's jobsmith marker replaced by `marker` (any old marker is
 * removed; the rest of the description is kept; the element is created when absent).
 * Throws when the document has no root element.
 */
export function withMarker(xml: string, marker: string): string {
  const spot = findDescription(xml);
  if (!spot) throw new Error('config.xml has no root element');
  const text = stripMarker(unescapeXmlText(spot.inner));
  const next = text === '' ? marker : `${text}\n${marker}`;
  const element = `<description>${escapeXmlText(next)}</description>`;
  if (!spot.found && spot.end - spot.start === 2) {
    // empty root `<x/>`: open it
    const open = xml.slice(0, spot.start).replace(/\s*$/, '');
    const rootName = /<([^\s/>]+)[^<]*$/.exec(open)?.[1] ?? 'project';
    return `${open}>${element}</${rootName}>${xml.slice(spot.end)}`;
  }
  return xml.slice(0, spot.start) + element + xml.slice(spot.end);
}

/** The config with every jobsmith marker taken out of its root description (unchanged bytes when there is none). */
export function withoutMarker(xml: string): string {
  const spot = findDescription(xml);
  if (!spot || !spot.found || !spot.inner.includes('jobsmith:v')) return xml;
  const text = unescapeXmlText(spot.inner);
  const stripped = stripMarker(text);
  if (stripped === text) return xml;
  return xml.slice(0, spot.start) + `<description>${escapeXmlText(stripped)}</description>` + xml.slice(spot.end);
}
