/**
 * The saxes-based positioned parser jobsmith used before its own scanner took the job: kept here
 * as the reference of the differential test (test/bulk/xml-positions-differential.test.ts).
 */
import { SaxesParser } from 'saxes';
import { XmlSyntaxError, type PositionedXml, type XmlElementNode } from '../../src/xml/positions.js';

export function saxesPositioned(text: string): PositionedXml {
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
    if (!failure) failure = new XmlSyntaxError(err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, ''), -1, { line: parser.line, column: parser.column + 1 });
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
    if (!failure) failure = new XmlSyntaxError((err as Error).message, -1, { line: parser.line, column: parser.column + 1 });
  }
  if (failure) throw failure;
  if (!root) throw new XmlSyntaxError('no root element', 0, { line: 1, column: 1 });
  const crlf = /\r?\n/.exec(text);
  return { text, root, eol: crlf?.[0] === '\r\n' ? '\r\n' : '\n' };
}
