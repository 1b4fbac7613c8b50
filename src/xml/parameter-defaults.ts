/**
 * The defaults a parameterized job's *Build with Parameters* form shows: name -> default value
 * from `<hudson.model.ParametersDefinitionProperty><parameterDefinitions>` of a config.xml. String,
 * text and password-less parameters give `<defaultValue>`, booleans `true`/`false`, choices their
 * first choice (what Jenkins preselects). Undefined when the job has no parameters.
 */
import { childElements, firstChild, parseXml, textOf, type XmlElement } from './tree.js';

function find(el: XmlElement, name: string): XmlElement | undefined {
  if (el.name === name) return el;
  for (const c of childElements(el)) {
    const f = find(c, name);
    if (f) return f;
  }
  return undefined;
}

export function parameterDefaults(configXml: string): Map<string, string> | undefined {
  const root = parseXml(configXml);
  const properties = firstChild(root, 'properties');
  const pdp = properties ? find(properties, 'hudson.model.ParametersDefinitionProperty') : undefined;
  const defs = pdp ? firstChild(pdp, 'parameterDefinitions') : undefined;
  if (!defs) return undefined;
  const out = new Map<string, string>();
  for (const d of childElements(defs)) {
    const name = firstChild(d, 'name');
    if (!name) continue;
    const dv = firstChild(d, 'defaultValue');
    if (dv) {
      out.set(textOf(name), textOf(dv));
      continue;
    }
    const choices = firstChild(d, 'choices');
    if (choices) {
      // <choices class="java.util.Arrays$ArrayList"><a class="string-array"><string>..</string></a></choices>, or <string> directly
      const holder = firstChild(choices, 'a') ?? choices;
      const first = childElements(holder).find((c) => c.name === 'string');
      out.set(textOf(name), first ? textOf(first) : '');
      continue;
    }
    out.set(textOf(name), '');
  }
  return out;
}
