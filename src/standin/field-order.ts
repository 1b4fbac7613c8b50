/**
 * XStream writes an object's fields superclass first (its reflection provider walks the class
 * hierarchy from the top): for every item, `Actionable.actions` comes first, then
 * `AbstractItem.description`, then the fields of the subclasses, whatever order the submitted
 * config had. Jenkins 2.568 and later serve config.xml re-serialised that way (jenkins-api.md §5),
 * so the stand-in's re-serialising GET does the same.
 */
import { createHash } from 'node:crypto';
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

const COLUMNS = ['hudson.views.StatusColumn', 'hudson.views.WeatherColumn', 'hudson.views.JobColumn', 'hudson.views.LastSuccessColumn', 'hudson.views.LastFailureColumn', 'hudson.views.LastDurationColumn', 'hudson.views.BuildButtonColumn'];

/**
 * A list view's fields in XStream's order (View's, then ListView's), each with the value Jenkins
 * gives it when the config leaves it out: the booleans' defaults, the property list, and what
 * ListView.readResolve fills in (an empty case-insensitive `jobNames`, `jobFilters`, the default
 * columns). Undefined: written only when set.
 */
const LIST_VIEW_FIELDS: Array<[string, (() => XmlElement) | undefined]> = [
  ['owner', undefined],
  ['name', undefined],
  ['description', undefined],
  ['filterExecutors', () => ({ name: 'filterExecutors', attrs: [], children: ['false'] })],
  ['filterQueue', () => ({ name: 'filterQueue', attrs: [], children: ['false'] })],
  ['properties', () => ({ name: 'properties', attrs: [['class', 'hudson.model.View$PropertyList']], children: [] })],
  ['jobNames', () => ({ name: 'jobNames', attrs: [], children: [{ name: 'comparator', attrs: [['class', 'java.lang.String$CaseInsensitiveComparator']], children: [] }] })],
  ['jobFilters', () => ({ name: 'jobFilters', attrs: [], children: [] })],
  ['columns', () => ({ name: 'columns', attrs: [], children: COLUMNS.map((n) => ({ name: n, attrs: [], children: [] })) })],
  ['includeRegex', undefined],
  ['recurse', () => ({ name: 'recurse', attrs: [], children: ['false'] })],
  ['statusFilter', undefined],
];

/** A view as Jenkins re-serialises it: a list view with every field, in XStream's order (other views as they are). */
export function xstreamViewFields(doc: XmlElement): XmlElement {
  if (doc.name !== 'hudson.model.ListView' && doc.name !== 'listView') return doc;
  const known = new Set(LIST_VIEW_FIELDS.map(([n]) => n));
  const children: XmlNode[] = [];
  for (const [name, make] of LIST_VIEW_FIELDS) {
    const have = doc.children.filter((c) => nameOf(c) === name);
    if (have.length > 0) children.push(...have);
    else if (make) children.push(make());
  }
  children.push(...doc.children.filter((c) => typeof c !== 'string' && !known.has(c.name)));
  return { ...doc, children };
}

/**
 * Secret fields the stand-in knows, as Jenkins serves them: `hudson.util.Secret` is written with its
 * encrypted value (`{` + base64 of version byte 1, the IV and the AES payload + `}`, so it starts
 * `{AQAAABAAAA`); an encrypted value submitted back is the same secret. Known here: a password
 * parameter's default value.
 */
const SECRET_FIELDS: Record<string, string> = { 'hudson.model.PasswordParameterDefinition': 'defaultValue' };
const ENCRYPTED = /^\{AQAAABAAAA[A-Za-z0-9+/=]+\}$/;

export function encryptSecrets(doc: XmlElement): XmlElement {
  const field = Object.prototype.hasOwnProperty.call(SECRET_FIELDS, doc.name) ? SECRET_FIELDS[doc.name] : undefined;
  const children = doc.children.map((c): XmlNode => {
    if (typeof c === 'string') return c;
    if (field !== undefined && c.name === field) {
      const text = c.children.filter((x): x is string => typeof x === 'string').join('');
      if (text === '' || ENCRYPTED.test(text)) return c;
      return { ...c, children: [encrypted(text)] };
    }
    return encryptSecrets(c);
  });
  return { ...doc, children };
}

/** An imitation of Secret.getEncryptedValue(): same layout and prefix, a fixed IV per value (no key: it is not a cipher). */
function encrypted(plain: string): string {
  const iv = createHash('sha256').update(`iv\u0000${plain}`).digest().subarray(0, 16);
  const body = createHash('sha256').update(`secret\u0000${plain}`).digest();
  const head = Buffer.from([1, 0, 0, 0, 16, 0, 0, 0, body.length]);
  return `{${Buffer.concat([head.subarray(0, 5), Buffer.from([0, 0, 0, body.length]), iv, body]).toString('base64')}}`;
}