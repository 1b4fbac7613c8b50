import { SaxesParser } from 'saxes';

/**
 * A config.xml parsed into elements that remember where they are in the original text (UTF-16
 * offsets), so edits can be spliced into the text and everything else stays byte-for-byte.
 * Well-formedness is checked by saxes; offsets come from its positions plus the fact that, in
 * well-formed XML, the next markup after a construct starts at the next `<`.
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

export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

export function parsePositioned(text: string): PositionedXml {
  const parser = new SaxesParser({ position: true });
  let failure: XmlSyntaxError | undefined;
  let cursor = 0;
  let root: XmlElementNode | undefined;
  const stack: XmlElementNode[] = [];

  const markupStart = (): number => {
    const s = text.indexOf('<', cursor);
    return s < 0 ? text.length : s;
  };
  const textUpTo = (s: number): void => {
    const top = stack[stack.length - 1];
    if (top && s > cursor) top.texts.push({ kind: 'text', start: cursor, end: s });
  };

  parser.on('error', (err) => {
    if (!failure) failure = new XmlSyntaxError(err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, ''), parser.line, parser.column + 1);
  });
  parser.on('opentag', (tag) => {
    const start = markupStart();
    textUpTo(start);
    const parent = stack[stack.length - 1];
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[k] = typeof v === 'string' ? v : v.value;
    const node: XmlElementNode = {
      name: tag.name,
      attrs,
      start,
      openEnd: parser.position,
      closeStart: parser.position,
      end: parser.position,
      selfClosing: tag.isSelfClosing,
      parent,
      children: [],
      texts: [],
      depth: stack.length,
    };
    if (parent) parent.children.push(node);
    else root ??= node;
    stack.push(node);
    cursor = parser.position;
  });
  parser.on('closetag', () => {
    const node = stack[stack.length - 1];
    if (!node) return;
    if (!node.selfClosing) {
      const start = markupStart();
      textUpTo(start);
      stack.pop();
      node.closeStart = start;
      node.end = parser.position;
      cursor = parser.position;
    } else stack.pop();
  });
  const skip = (open: number, close: string): void => {
    const start = markupStart();
    textUpTo(start);
    const e = text.indexOf(close, start + open);
    cursor = e < 0 ? text.length : e + close.length;
  };
  parser.on('comment', () => skip(4, '-->'));
  parser.on('processinginstruction', () => skip(2, '?>'));
  parser.on('xmldecl', () => skip(2, '?>'));
  parser.on('cdata', () => {
    const start = markupStart();
    textUpTo(start);
    const e = text.indexOf(']]>', start + 9);
    const top = stack[stack.length - 1];
    if (top) top.texts.push({ kind: 'cdata', start: start + 9, end: e });
    cursor = e + 3;
  });
  parser.on('doctype', () => {
    markupStart();
    let e = parser.position;
    if (text[e - 1] !== '>') e = text.indexOf('>', e) + 1;
    cursor = e;
  });
  try {
    parser.write(text).close();
  } catch (err) {
    if (!failure) failure = new XmlSyntaxError((err as Error).message, parser.line, parser.column + 1);
  }
  if (failure) throw failure;
  if (!root) throw new XmlSyntaxError('no root element', 1, 1);
  const crlf = /\r?\n/.exec(text);
  return { text, root, eol: crlf?.[0] === '\r\n' ? '\r\n' : '\n' };
}
