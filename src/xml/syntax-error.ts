import { lineColumn } from './scan.js';

/**
 * A document that is not well-formed XML. Every parser of src/xml throws this one class: the
 * message says what is wrong, `offset` (UTF-16 index into the parsed text) and `line`/`column`
 * (1-based) say where.
 */
export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
  readonly line: number;
  readonly column: number;
  constructor(
    message: string,
    readonly offset: number,
    where?: { line: number; column: number },
  ) {
    super(message);
    this.line = where?.line ?? 0;
    this.column = where?.column ?? 0;
  }

  /** The error at `offset` of `text`, with its line and column. */
  static at(text: string, offset: number, message: string): XmlSyntaxError {
    return new XmlSyntaxError(message, offset, lineColumn(text, Math.max(0, Math.min(offset, text.length))));
  }
}

/** The scanner's first error (by position) as an XmlSyntaxError, or undefined when there is none. */
export function firstScanError(text: string, errors: ReadonlyArray<{ offset: number; message: string }>): XmlSyntaxError | undefined {
  let first: { offset: number; message: string } | undefined;
  for (const e of errors) if (first === undefined || e.offset < first.offset) first = e;
  return first && XmlSyntaxError.at(text, first.offset, first.message);
}
