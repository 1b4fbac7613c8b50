import type { XmlElement } from './tree.js';

/** Declaration Jenkins' XmlFile writes when it saves an object (`save()`). */
export const FILE_DECLARATION = "<?xml version='1.1' encoding='UTF-8'?>";
/** Declaration of `Items.XSTREAM2.toXMLUTF8` (config.xml GET since 2.568, view config.xml GET). */
export const GET_DECLARATION = '<?xml version="1.1" encoding="UTF-8"?>';

function escapeText(s: string): string {
  let out = '';
  for (const ch of s) {
    switch (ch) {
      case '&': out += '&amp;'; break;
      case '<': out += '&lt;'; break;
      case '>': out += '&gt;'; break;
      case '"': out += '&quot;'; break;
      case "'": out += '&apos;'; break;
      case '\r': out += '&#xd;'; break;
      default: {
        const c = ch.codePointAt(0)!;
        if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f)) out += `&#x${c.toString(16)};`;
        else out += ch;
      }
    }
  }
  return out;
}
function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r/g, '&#xd;').replace(/\n/g, '&#xa;').replace(/\t/g, '&#x9;');
}

function hasElementChild(el: XmlElement): boolean {
  for (const c of el.children) if (typeof c !== 'string') return true;
  return false;
}

function write(el: XmlElement, indent: string, out: string[]): void {
  let open = `${indent}<${el.name}`;
  for (const [k, v] of el.attrs) open += ` ${k}="${escapeAttr(v)}"`;
  if (el.children.length === 0) {
    out.push(`${open}/>`);
    return;
  }
  if (!hasElementChild(el)) {
    out.push(`${open}>${escapeText(el.children.join(''))}</${el.name}>`);
    return;
  }
  // Element content: XStream has no mixed content, so whitespace between elements is formatting
  // and is dropped; stray non-blank text is kept on its own line.
  out.push(`${open}>`);
  const inner = indent + '  ';
  for (const c of el.children) {
    if (typeof c === 'string') {
      const t = c.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, ''); // XML's whitespace only: a no-break space is text
      if (t !== '') out.push(inner + escapeText(t));
    } else write(c, inner, out);
  }
  out.push(`${indent}</${el.name}>`);
}

/**
 * XStream-like pretty print (two-space indent, `<x/>` for empty elements, text escaped as
 * XStream's PrettyPrintWriter does). Comments are not represented in the tree so they are gone.
 */
export function serialiseXml(root: XmlElement, declaration: string): string {
  const out: string[] = [declaration];
  write(root, '', out);
  return out.join('\n');
}
