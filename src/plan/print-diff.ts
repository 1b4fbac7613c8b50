/**
 * `plan --diff`: for each update, a unified diff of the config Jenkins holds (fetched) against the
 * config jobsmith would push. Both sides are shown in their normal form (src/xml/semantic-compare.ts:
 * no declaration or comments, one element per line, attributes sorted, text decoded), so the diff
 * holds only real differences: not Jenkins' re-serialisation (`<a/>` vs `<a></a>`, `&apos;`, the XML
 * declaration, the final newline). A side that is not well-formed XML is shown as it is.
 */
import { createTwoFilesPatch } from 'diff';
import type { Change } from '../model/plan.js';
import { normalConfig } from '../xml/semantic-compare.js';

function normalOrRaw(xml: string): string {
  if (xml === '') return '';
  try {
    return normalConfig(xml);
  } catch {
    return xml;
  }
}

export function configDiff(change: Change, current: string | undefined): string {
  const next = normalOrRaw(change.config ?? '');
  const now = normalOrRaw(current ?? '');
  return createTwoFilesPatch(`jenkins/${change.fullName}/config.xml`, `jobsmith/${change.fullName}/config.xml`, now, next, '', '', { context: 3 });
}
