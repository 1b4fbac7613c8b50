/**
 * The root element's own `<description>` (a job's, folder's or view's description; a parameter's
 * nested description is not it): read its text, or rewrite it while every other byte of the
 * document stays as it was (any other direct child of the root can be read the same way). Found by
 * the project's scanner (./scan.ts), which stops as soon as the element is closed and no other
 * element of that name follows (the description comes first in the configs Jenkins writes).
 *
 * When the root has the element several times, the LAST one counts, as in Jenkins: XStream's
 * `RobustReflectionConverter.doUnmarshal` writes each occurrence into the field before its
 * `SeenFields` check throws `DuplicateFieldException`, which is recorded as a load error and skipped
 * (jenkinsci/jenkins `core/src/main/java/hudson/util/RobustReflectionConverter.java`). So the
 * description api/json shows, and the marker jobsmith reads, is the last one; a second
 * `<description>` cannot hide or forge a marker.
 *
 * Writing keeps the existing raw text when the new text only adds to it (the marker appended to a
 * description: the template's own escaping, CDATA and line ends are untouched), and otherwise
 * escapes the whole text for the document's XML version (./escape-context.ts), so a carriage
 * return (`&#13;`) or an XML 1.1 control character read from the document is written back as a
 * reference and survives.
 */
import { decodeText } from './escape.js';
import { escapeForContext, type XmlVersion } from './escape-context.js';
import { declaredVersion, scanXml } from './scan.js';
import { firstScanError, XmlSyntaxError } from './syntax-error.js';

interface Spot {
  /** Offset of `<description` (or where to insert one). */
  start: number;
  /** Offset just after `</description>` or `/>` (equal to start for an insertion point). */
  end: number;
  /** Offsets of the raw inner content (between the tags); empty when self-closing or absent. */
  innerStart: number;
  innerEnd: number;
  /** Decoded text of the description. */
  text: string;
  found: boolean;
  /** The root element is empty (`<x/>`): start/end span its start tag. */
  emptyRoot?: { name: string };
  version: XmlVersion;
}

/** Thrown to stop the scan once the description is found (a plain value: no stack to capture). */
const FOUND = { found: true };

function locate(xml: string, child = 'description'): Spot {
  const version = declaredVersion(xml);
  let depth = 0;
  let spot: Spot | undefined;
  let rootOpenEnd = -1;
  /** The root's first child: where a missing description goes when it is `<actions>` (XStream writes actions first). */
  let first: { name: string; end?: number } | undefined;
  /** Inside the description: its raw pieces. */
  let inDescription: { start: number; openEnd: number; pieces: Array<{ start: number; end: number; cdata: boolean }>; cursor: number } | undefined;
  const textUpTo = (s: number): void => {
    if (inDescription && s > inDescription.cursor) inDescription.pieces.push({ start: inDescription.cursor, end: s, cdata: false });
  };
  /** No element of that name anywhere after `at`: the one just found is the last (the common case: stop here). */
  const noneAfter = (at: number): boolean => {
    const i = xml.indexOf(`<${child}`, at);
    return i < 0;
  };
  let scan;
  try {
    scan = scanXml(xml, {
      tokens: false,
      anyEncoding: true,
      listener: {
        startTag(name, start, end, selfClosing) {
          if (inDescription) {
            // an element inside the description (not something Jenkins writes): its text is not ours
            textUpTo(start);
            inDescription.cursor = end;
          }
          if (depth === 0) {
            rootOpenEnd = end;
            if (selfClosing) {
              spot = { start, end, innerStart: end, innerEnd: end, text: '', found: false, emptyRoot: { name }, version };
              throw FOUND;
            }
          } else if (depth === 1 && first === undefined) {
            first = selfClosing ? { name, end } : { name };
          }
          if (depth === 1 && name === child && !inDescription) {
            if (selfClosing) {
              spot = { start, end, innerStart: end, innerEnd: end, text: '', found: true, version };
              if (noneAfter(end)) throw FOUND;
              return;
            }
            inDescription = { start, openEnd: end, pieces: [], cursor: end };
          }
          if (!selfClosing) depth++;
        },
        endTag(start, end) {
          depth--;
          if (depth === 1 && first !== undefined && first.end === undefined) first.end = end;
          if (inDescription) {
            textUpTo(start);
            inDescription.cursor = end;
            if (depth === 1) {
              let text = '';
              for (const p of inDescription.pieces) text += decodeText(xml.slice(p.start, p.end), p.cdata, version);
              spot = { start: inDescription.start, end, innerStart: inDescription.openEnd, innerEnd: start, text, found: true, version };
              inDescription = undefined;
              if (noneAfter(end)) throw FOUND;
            }
          } else if (depth === 0 && spot) throw FOUND; // the root is closed: the last one found counts
        },
        cdata(start, end) {
          if (!inDescription) return;
          textUpTo(start);
          inDescription.pieces.push({ start: start + 9, end: end - 3, cdata: true });
          inDescription.cursor = end;
        },
        other(start, end) {
          if (!inDescription) return;
          textUpTo(start);
          inDescription.cursor = end;
        },
      },
    });
  } catch (e) {
    if (e === FOUND && spot) return spot;
    throw e;
  }
  const error = firstScanError(xml, scan.errors);
  if (error) throw error;
  if (spot) return spot;
  if (rootOpenEnd < 0) throw XmlSyntaxError.at(xml, 0, 'no root element');
  // no description: it goes where Jenkins writes it, right after a leading <actions>, else right after the root start tag
  const at = child === 'description' && first?.name === 'actions' && first.end !== undefined ? first.end : rootOpenEnd;
  return { start: at, end: at, innerStart: at, innerEnd: at, text: '', found: false, version };
}

/** The root description's text (decoded), '' when there is none. Throws XmlSyntaxError when the document is not well-formed. */
export function readRootDescription(xml: string): string {
  return locate(xml).text;
}

/** The decoded text of the root's direct child of that name (such as `disabled`; the last when given twice), undefined when there is none. */
export function readRootChild(xml: string, name: string): string | undefined {
  const spot = locate(xml, name);
  return spot.found ? spot.text : undefined;
}

function escaped(text: string, version: XmlVersion): string {
  const r = escapeForContext(text, 'text', version);
  if (r.text === undefined) throw new Error(`the description cannot be written: it ${r.problem}`);
  return r.text;
}

/**
 * The document with its root description's text replaced by `next(current text)`; the element is
 * created (right after the root start tag, opening an empty root) when absent. Every byte outside
 * the description stays as it was; returns the document itself when the text does not change.
 * Throws XmlSyntaxError when the document is not well-formed.
 */
export function replaceRootDescription(xml: string, next: (text: string) => string): string {
  const spot = locate(xml);
  const text = next(spot.text);
  if (text === spot.text && spot.found) return xml;
  const inner = spot.found && text.startsWith(spot.text) ? xml.slice(spot.innerStart, spot.innerEnd) + escaped(text.slice(spot.text.length), spot.version) : escaped(text, spot.version);
  const element = `<description>${inner}</description>`;
  if (spot.emptyRoot) {
    const open = xml.slice(spot.start, spot.end - 2).replace(/[ \t\r\n]*$/, '');
    return `${xml.slice(0, spot.start)}${open}>${element}</${spot.emptyRoot.name}>${xml.slice(spot.end)}`;
  }
  return xml.slice(0, spot.start) + element + xml.slice(spot.end);
}

/**
 * The names of the elements directly inside the root's first direct child of that name (such as a
 * folder's `properties`), in document order; undefined when the root has no such child. Throws
 * XmlSyntaxError when the document is not well-formed.
 */
export function readRootChildElements(xml: string, name: string): string[] | undefined {
  let depth = 0;
  let inside = false;
  let found = false;
  const names: string[] = [];
  const scan = scanXml(xml, {
    tokens: false,
    anyEncoding: true,
    listener: {
      startTag(tag, _start, _end, selfClosing) {
        if (depth === 1 && tag === name && !found) {
          found = true;
          inside = !selfClosing;
        } else if (inside && depth === 2) names.push(tag);
        if (!selfClosing) depth++;
      },
      endTag() {
        depth--;
        if (inside && depth === 1) inside = false;
      },
      cdata() {},
      other() {},
    },
  });
  const error = firstScanError(xml, scan.errors);
  if (error) throw error;
  return found ? names : undefined;
}
