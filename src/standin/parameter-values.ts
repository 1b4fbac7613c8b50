/**
 * Parameter values as Jenkins keeps and exports them, by the kind of parameter definition:
 * - `hudson.model.PasswordParameterDefinition` makes a `PasswordParameterValue`: its value is a
 *   `Secret` that is not `@Exported` (the REST API shows the name only) and its short description is
 *   `NAME=****` (core/src/main/java/hudson/model/PasswordParameterValue.java). Jenkins stores it in
 *   build.xml encrypted with its own key; the stand-in, which has no use for it once the build is
 *   queued, never writes it to disk.
 * - `hudson.model.BooleanParameterDefinition` makes a `BooleanParameterValue` whose `value` is a
 *   boolean (`@Exported(visibility=4) public final boolean value`, BooleanParameterValue.java), parsed
 *   from the request with `Boolean.parseBoolean` ("true" in any case is true, anything else false:
 *   BooleanParameterDefinition.createValue).
 * - `hudson.model.TextParameterDefinition` makes a `TextParameterValue`; the others (string,
 *   choice, ...) a `StringParameterValue`, `value` a string.
 */
import { childElements, firstChild, textOf } from '../xml/tree.js';
import type { Item } from './store.js';

export const PASSWORD_VALUE = 'hudson.model.PasswordParameterValue';
export const BOOLEAN_VALUE = 'hudson.model.BooleanParameterValue';
export const STRING_VALUE = 'hudson.model.StringParameterValue';

const VALUE_CLASS: Record<string, string> = {
  'hudson.model.PasswordParameterDefinition': PASSWORD_VALUE,
  'hudson.model.BooleanParameterDefinition': BOOLEAN_VALUE,
  'hudson.model.TextParameterDefinition': 'hudson.model.TextParameterValue',
};

/** Value class per parameter name of a job (the parameters that are not plain strings). */
export function parameterValueClasses(item: Item): Record<string, string> {
  const props = firstChild(item.doc, 'properties');
  const pdp = props ? firstChild(props, 'hudson.model.ParametersDefinitionProperty') : undefined;
  const defs = pdp ? firstChild(pdp, 'parameterDefinitions') : undefined;
  const out: Record<string, string> = {};
  for (const d of defs ? childElements(defs) : []) {
    const n = firstChild(d, 'name');
    const cls = VALUE_CLASS[d.name];
    if (n && cls) out[textOf(n)] = cls;
  }
  return out;
}

/** `Boolean.parseBoolean`: "true" in any case. */
export function parseBoolean(v: string): boolean {
  return v.toLowerCase() === 'true';
}

/** The values as the build keeps them: booleans normalised to `true`/`false`. */
export function normaliseValues(values: Record<string, string>, classes: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) out[k] = classes[k] === BOOLEAN_VALUE ? String(parseBoolean(v)) : v;
  return out;
}

/** `ParameterValue.getShortDescription` (the queue item's `params`). */
export function shortDescription(name: string, value: string, cls: string | undefined): string {
  return cls === PASSWORD_VALUE ? `${name}=****` : `${name}=${value}`;
}
