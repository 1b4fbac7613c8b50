/**
 * XStream writes an object's fields superclass first (its reflection provider walks the class
 * hierarchy from the top): for every item, `Actionable.actions` comes first, then
 * `AbstractItem.description`, then the fields of the subclasses, whatever order the submitted
 * config had. Jenkins 2.568 and later serve config.xml re-serialised that way (jenkins-api.md §5),
 * so the stand-in's re-serialising GET does the same.
 */
import type { XmlElement, XmlNode } from '../xml/tree.js';

const FIRST = ['actions', 'description'];

function nameOf(n: XmlNode): string | undefined {
  return typeof n === 'string' ? undefined : n.name;
}

/** The item config with its root's `actions` and `description` first (the rest in their order). */
export function xstreamFieldOrder(doc: XmlElement): XmlElement {
  const first: XmlNode[] = [];
  for (const name of FIRST) for (const c of doc.children) if (nameOf(c) === name) first.push(c);
  if (first.length === 0) return doc;
  const rest = doc.children.filter((c) => !FIRST.includes(nameOf(c) ?? ''));
  // whitespace-only text between elements is not kept by XStream anyway: drop it, the serialiser indents
  return { ...doc, children: [...first, ...rest.filter((c) => typeof c !== 'string' || c.trim() !== '')] };
}
