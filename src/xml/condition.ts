import { parsePath, PathSyntaxError, type ElementPath } from './element-path.js';
import type { XmlConfig } from './config-editor.js';

/**
 * A selection condition on a config, e.g.
 *   `//hudson.tasks.Maven/mavenName=maven-3.9`   some match has exactly this (trimmed) text
 *   `assignedNode!=linux`                         no match has this text (true when absent)
 *   `assignedNode~linux`                          some match's text matches the regex
 *   `assignedNode!~^win`                          no match's text matches the regex
 *   `scm/@class=hudson.scm.SubversionSCM`         attribute value
 *   `triggers/hudson.triggers.TimerTrigger`       exists;   `!disabled` ... does not exist
 */
export interface ConfigCondition {
  source: string;
  path: ElementPath;
  op: 'exists' | 'absent' | '=' | '!=' | '~' | '!~';
  value?: string;
  regex?: RegExp;
}

export function parseCondition(source: string): ConfigCondition {
  const s = source.trim();
  // Find the first operator outside brackets and quotes.
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (depth === 0 && (c === '=' || c === '~' || (c === '!' && (s[i + 1] === '=' || s[i + 1] === '~')))) {
      const op = (c === '!' ? s.slice(i, i + 2) : c) as ConfigCondition['op'];
      const value = s.slice(i + op.length);
      const path = parsePath(s.slice(0, i));
      if (op === '~' || op === '!~') {
        let regex: RegExp;
        try {
          regex = new RegExp(value);
        } catch (err) {
          throw new PathSyntaxError(`bad condition '${source}': ${(err as Error).message}`);
        }
        return { source, path, op, value, regex };
      }
      return { source, path, op, value };
    }
  }
  if (s.startsWith('!')) return { source, path: parsePath(s.slice(1)), op: 'absent' };
  return { source, path: parsePath(s), op: 'exists' };
}

export function conditionHolds(config: XmlConfig, cond: ConfigCondition): boolean {
  const values = config.getAll(cond.path.source.trim().replace(/^!/, ''));
  switch (cond.op) {
    case 'exists':
      return values.length > 0;
    case 'absent':
      return values.length === 0;
    case '=':
      return values.some((v) => v.trim() === cond.value);
    case '!=':
      return !values.some((v) => v.trim() === cond.value);
    case '~':
      return values.some((v) => cond.regex!.test(v));
    case '!~':
      return !values.some((v) => cond.regex!.test(v));
  }
}
