import { scanXml } from './scan.js';
import { decodeAttribute } from './escape.js';
import { firstScanError, XmlSyntaxError } from './syntax-error.js';

export { XmlSyntaxError };

/**
 * A config.xml parsed into elements that remember where they are in the original text (UTF-16
 * offsets), so edits can be spliced into the text and everything else stays byte-for-byte.
 * Well-formedness is checked, and the positions found, by the project's one XML scanner
 * (./scan.ts, the one that checks templates): declared version 1.0/1.1, characters,
 * references, tags, one root. Differential tests hold it to saxes on the real-world corpus.
 */
export interface XmlTextPart {
  kind: 'text' | 'cdata';
  /** Raw span; for CDATA the span of the content between `<![CDATA[` and `]]>`. */
  start: number;
  end: number;
}

export interface XmlElementNode {
  name: string;
  /** Decoded attribute values, in document order. */
  attrs: Record<string, string>;
  /** Offset of `<`. */
  start: number;
  /** Offset just after the start tag's `>`. */
  openEnd: number;
  /** Offset of `</` (equals openEnd and end for a self-closing element). */
  closeStart: number;
  /** Offset just after the element. */
  end: number;
  selfClosing: boolean;
  parent: XmlElementNode | undefined;
  children: XmlElementNode[];
  /** Direct text and CDATA parts, in order. */
  texts: XmlTextPart[];
  /** Nesting depth (root = 0). */
  depth: number;
}

export interface PositionedXml {
  text: string;
  root: XmlElementNode;
  /** `\r\n` when the document's first line break is CRLF, else `\n`. */
  eol: string;
}

export function parsePositioned(text: string): PositionedXml {
  let cursor = 0;
  let root: XmlElementNode | undefined;
  const stack: XmlElementNode[] = [];
  /** Attribute values are decoded once the declared version is known (XML 1.1 has more line ends). */
  const rawAttrs: Array<{ attrs: Record<string, string>; name: string; raw: string }> = [];
  const textUpTo = (s: number): void => {
    const top = stack[stack.length - 1];
    if (top && s > cursor) top.texts.push({ kind: 'text', start: cursor, end: s });
  };
  const scan = scanXml(text, {
    tokens: false,
    // The text is already decoded: the declared encoding name is kept as it is, whatever it says.
    anyEncoding: true,
    listener: {
      startTag(name, start, end, selfClosing, attrSpans) {
        textUpTo(start);
        const parent = stack[stack.length - 1];
        const attrs: Record<string, string> = {};
        for (const a of attrSpans) {
          attrs[a.name] = '';
          rawAttrs.push({ attrs, name: a.name, raw: text.slice(a.valueStart, a.valueEnd) });
        }
        const node: XmlElementNode = { name, attrs, start, openEnd: end, closeStart: end, end, selfClosing, parent, children: [], texts: [], depth: stack.length };
        if (parent) parent.children.push(node);
        else root ??= node;
        if (!selfClosing) stack.push(node);
        cursor = end;
      },
      endTag(start, end) {
        textUpTo(start);
        const node = stack.pop();
        if (node) {
          node.closeStart = start;
          node.end = end;
        }
        cursor = end;
      },
      cdata(start, end) {
        textUpTo(start);
        stack[stack.length - 1]?.texts.push({ kind: 'cdata', start: start + 9, end: end - 3 });
        cursor = end;
      },
      other(start, end) {
        textUpTo(start);
        cursor = end;
      },
    },
  });
  const error = firstScanError(text, scan.errors);
  if (error) throw error;
  if (!root) throw XmlSyntaxError.at(text, 0, 'no root element');
  for (const a of rawAttrs) a.attrs[a.name] = decodeAttribute(a.raw, scan.version);
  const crlf = /\r?\n/.exec(text);
  return { text, root, eol: crlf?.[0] === '\r\n' ? '\r\n' : '\n' };
}

