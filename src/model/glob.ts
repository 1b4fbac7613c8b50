/**
 * Is a glob pattern one that picomatch can use, and can it match anything? The one check behind
 * every glob jobsmith takes (branch `include`/`exclude`/`refs`), so `validate` refuses exactly what
 * branch detection would fail on, with the pattern's file, line and column.
 */
import { createRequire } from 'node:module';

/** picomatch, loaded on the first pattern (most definitions have none: start-up time matters for render). */
let picomatchLib: typeof import('picomatch') | undefined;

/** Why a pattern is not a usable glob (undefined when it is). */
export function globProblem(pattern: string): string | undefined {
  if (pattern === '') return 'empty pattern';
  picomatchLib ??= createRequire(import.meta.url)('picomatch') as typeof import('picomatch');
  let re: RegExp;
  try {
    re = picomatchLib.makeRe(pattern, { dot: true, strictBrackets: true });
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  // picomatch compiles a bracket range it cannot build (`[z-a]`) to a pattern that matches nothing
  if (re.source === '$^') return 'it can never match (a character range written backwards?)';
  return undefined;
}
