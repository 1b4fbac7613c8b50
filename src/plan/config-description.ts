/**
 * The jobsmith marker in a config's root `<description>`: read the description, put a marker in
 * (replacing any old one, keeping the rest of the text), take markers out. The bytes jobsmith
 * pushes are the rendered bytes plus the marker, nothing else: the XML work (finding the root
 * description, escaping) is src/xml/root-description.ts.
 */
import { readRootDescription, replaceRootDescription } from '../xml/root-description.js';
import { stripMarker } from './marker.js';

/** The root description's text (unescaped), '' when absent. */
export function readDescription(xml: string): string {
  return readRootDescription(xml);
}

/**
 * The config with its root description's jobsmith marker replaced by `marker` (any old marker is
 * removed; the rest of the description is kept; the element is created when absent).
 * Throws when the document is not well-formed.
 */
export function withMarker(xml: string, marker: string): string {
  return replaceRootDescription(xml, (text) => markedDescription(text, marker));
}

/** A description's text with its jobsmith marker replaced by `marker` (the text withMarker writes). */
export function markedDescription(text: string, marker: string): string {
  const rest = stripMarker(text);
  return rest === '' ? marker : `${rest}\n${marker}`;
}

/** The config with every jobsmith marker taken out of its root description (unchanged bytes when there is none). */
export function withoutMarker(xml: string): string {
  if (!xml.includes('jobsmith:v')) return xml;
  return replaceRootDescription(xml, stripMarker);
}
