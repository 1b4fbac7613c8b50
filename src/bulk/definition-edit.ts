import { isMap, isScalar, isSeq, parseDocument, Scalar, stringify, type Document } from 'yaml';
import { TOKEN_NAME_SOURCE } from '../xml/scan.js';

/**
 * Edits of definition and template files that keep everything else as written: YAML through the
 * `yaml` Document API (comments, key order, quoting and blank lines are kept), templates by
 * replacing token references only.
 */

export class DefinitionEditError extends Error {
  override name = 'DefinitionEditError';
}

export const TOKEN_NAME = new RegExp(`^${TOKEN_NAME_SOURCE}$`);

function parse(file: string, text: string): Document {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new DefinitionEditError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${e.message.split('\n')[0]}`);
  }
  return doc;
}

/** A YAML scalar's source for a string value, in the style of the one it replaces when possible. */
function scalarSource(value: string, like?: Scalar): string {
  if (like?.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  if (like?.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  const plain = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
  return plain.includes('\n') ? JSON.stringify(value) : plain;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/**
 * Set `tokens.<name>` to `value` (a string), splicing the source so everything else stays as it
 * was (comments, spacing, quoting). Returns the same text when it already had that value.
 */
export function setTokenInYaml(file: string, text: string, name: string, value: string): string {
  const doc = parse(file, text);
  if (doc.contents !== null && !isMap(doc.contents)) throw new DefinitionEditError(`${file}: expected a mapping at the top`);
  const tokens = doc.get('tokens', true);
  if (tokens !== undefined && tokens !== null && !isMap(tokens)) throw new DefinitionEditError(`${file}: tokens must be a mapping`);
  if (isMap(tokens) && !tokens.flow && tokens.items.length > 0) {
    const pair = tokens.items.find((p) => isScalar(p.key) && p.key.value === name);
    if (pair) {
      const v = pair.value;
      if (isScalar(v) && v.range) {
        if (v.value === value) return text;
        if (v.type === Scalar.BLOCK_FOLDED || v.type === Scalar.BLOCK_LITERAL) {
          // fall through to the Document API for block scalars
        } else return splice(text, v.range[0], v.range[1], scalarSource(value, v));
      } else if ((v === null || v === undefined) && isScalar(pair.key) && pair.key.range) {
        const colon = text.indexOf(':', pair.key.range[1]);
        if (colon >= 0) return splice(text, colon + 1, colon + 1, ` ${scalarSource(value)}`);
      }
    } else {
      const first = tokens.items[0]!.key;
      const last = tokens.items[tokens.items.length - 1]!;
      const lastNode = (last.value ?? last.key) as { range?: [number, number, number] } | null;
      if (isScalar(first) && first.range && lastNode?.range) {
        const keyStart = first.range[0];
        const indent = text.slice(text.lastIndexOf('\n', keyStart - 1) + 1, keyStart);
        if (/^[ ]*$/.test(indent)) {
          let eol = text.indexOf('\n', lastNode.range[1]);
          if (eol < 0) eol = text.length;
          const nl = text.includes('\r\n') ? '\r\n' : '\n';
          const at = text[eol - 1] === '\r' ? eol - 1 : eol;
          return splice(text, at, at, `${nl}${indent}${stringify(name).trim()}: ${scalarSource(value)}`);
        }
      }
    }
  }
  if (doc.getIn(['tokens', name]) === value) return text;
  doc.setIn(['tokens', name], value);
  return doc.toString({ lineWidth: 0 });
}

/**
 * Rename a token key in every `tokens:` map of a definition (top level, template uses, branch
 * templates) or of a template sidecar. Returns the new text and how many keys were renamed.
 */
export function renameTokenInYaml(file: string, text: string, oldName: string, newName: string): { text: string; count: number } {
  const doc = parse(file, text);
  let count = 0;
  const spans: Array<[number, number]> = [];
  const renameIn = (node: unknown): void => {
    if (!isMap(node)) return;
    const clash = node.items.some((p) => isScalar(p.key) && p.key.value === newName);
    for (const pair of node.items) {
      if (isScalar(pair.key) && pair.key.value === oldName) {
        if (clash) throw new DefinitionEditError(`${file}: both ${oldName} and ${newName} are set; remove one first`);
        if (!pair.key.range) throw new DefinitionEditError(`${file}: cannot locate the key ${oldName}`);
        spans.push([pair.key.range[0], pair.key.range[1]]);
        count++;
      }
    }
  };
  const visitOwner = (owner: unknown): void => {
    if (!isMap(owner)) return;
    renameIn(owner.get('tokens', true));
    const templates = owner.get('templates', true);
    if (isSeq(templates)) for (const t of templates.items) if (isMap(t)) renameIn(t.get('tokens', true));
    const branches = owner.get('branches', true);
    if (isMap(branches)) visitOwner(branches);
  };
  visitOwner(doc.contents);
  let out = text;
  for (const [s0, e0] of spans.sort((a, b) => b[0] - a[0])) out = splice(out, s0, e0, newName);
  return { text: out, count };
}

/** Replace `$OLD` and `${OLD}` (not `$$OLD`, not a longer token name) with the new name. */
export function renameTokenInTemplate(text: string, oldName: string, newName: string): { text: string; count: number } {
  const esc = oldName.replace(/\./g, '\\.');
  let count = 0;
  const out = text
    .replace(new RegExp(`(?<!\\$)\\$\\{${esc}\\}`, 'g'), () => (count++, `\${${newName}}`))
    .replace(new RegExp(`(?<!\\$)\\$${esc}(?![A-Z0-9_]|\\.[A-Z0-9_])`, 'g'), () => (count++, `$${newName}`));
  return { text: out, count };
}

/** The project-level facts `--where` can test, read from a definition's YAML. */
export function definitionFacts(file: string, text: string): { project: string; folder: string; templates: string[]; view?: string } {
  const doc = parse(file, text);
  const js = (doc.toJS() ?? {}) as Record<string, unknown>;
  const base = file.split(/[\\/]/).pop()!.replace(/\.ya?ml$/, '');
  const templates = Array.isArray(js.templates)
    ? js.templates.map((t) => (typeof t === 'string' ? t : typeof t === 'object' && t && typeof (t as { template?: unknown }).template === 'string' ? (t as { template: string }).template : '')).filter(Boolean)
    : [];
  const facts: { project: string; folder: string; templates: string[]; view?: string } = {
    project: typeof js.project === 'string' ? js.project : base,
    folder: typeof js.folder === 'string' ? js.folder : Array.isArray(js.folder) ? js.folder.join('/') : '',
    templates,
  };
  if (typeof js.view === 'string') facts.view = js.view;
  return facts;
}
