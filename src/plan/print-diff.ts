/**
 * `plan --diff`: for each update (jobs, folder-type items, folders, views made from templates), a unified diff of the config Jenkins holds (fetched) against the
 * config jobsmith would push. Both sides are shown in their normal form (src/xml/semantic-compare.ts:
 * no declaration or comments, one element per line, attributes sorted, text decoded), so the diff
 * holds only real differences: not Jenkins' re-serialisation (`<a/>` vs `<a></a>`, `&apos;`, the XML
 * declaration, the final newline). A side that is not well-formed XML is shown as it is. The values
 * of Secret fields (src/model/secret-fields.ts) are shown as `****` on both sides: never a template's
 * plain-text secret in a CI log, and no line for an encrypted value where jobsmith pushes plain text
 * (the same rule as --verify's: src/plan/secret-lines.ts).
 */
import { createTwoFilesPatch } from 'diff';
import type { Change } from '../model/plan.js';
import { normalConfig } from '../xml/semantic-compare.js';
import { rootElementName } from '../xml/root-children.js';
import { jenkinsOwnedParts } from '../model/item-types.js';
import { maskSecrets } from './secret-lines.js';
import { isSecretField } from '../model/secret-fields.js';

function normalOrRaw(xml: string, ignoreRootChildren: ReadonlySet<string>): string {
  if (xml === '') return '';
  try {
    return maskSecrets(normalConfig(xml, { ignoreRootChildren, unorderedRootChildren: true }));
  } catch {
    return maskRawSecrets(xml);
  }
}

/** A side that is not well-formed, shown as it is: still without the values of Secret-named elements. */
function maskRawSecrets(xml: string): string {
  return xml.replace(/<([A-Za-z_][\w.$-]*)(\s[^>]*)?>([^<]*)<\/\1>/g, (all, name: string, attrs: string | undefined, value: string) =>
    value !== '' && (isSecretField(name, undefined) || name === 'defaultValue') ? `<${name}${attrs ?? ''}>****</${name}>` : all,
  );
}

/** Does `plan --diff` show this change (an update or adoption that pushes a whole config: jobs, folders, template views)? */
export function hasConfigDiff(c: Change): boolean {
  return (c.kind === 'update' || c.kind === 'adopt') && c.config !== undefined;
}

/**
 * The diff of one change. The parts Jenkins owns (a job's `<disabled>`, a folder's views, a view's
 * `<name>`: src/model/item-types.ts jenkinsOwnedParts) are left out of both sides: a push keeps or
 * ignores them, so they are no difference.
 */
export function configDiff(change: Change, current: string | undefined): string {
  let root: string | undefined;
  try {
    root = rootElementName(change.config ?? '');
  } catch {
    root = undefined;
  }
  const ignore = root === undefined ? new Set<string>() : jenkinsOwnedParts(root);
  const next = normalOrRaw(change.config ?? '', ignore);
  const now = normalOrRaw(current ?? '', ignore);
  const where = change.target === 'view' ? `view/${change.fullName}` : change.fullName;
  return createTwoFilesPatch(`jenkins/${where}/config.xml`, `jobsmith/${where}/config.xml`, now, next, '', '', { context: 3 });
}
