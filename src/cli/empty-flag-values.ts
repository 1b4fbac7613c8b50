/**
 * A flag that takes a value, given without one (`--embedded` at the end of the line, `--out ""`,
 * `--port $UNSET`), is a usage error (exit 2) for every command: yargs would read it as an empty
 * string (the working directory, for a directory flag), or a number flag as absent or 0, or
 * `--no-proxy` as the negation of `--proxy`. Checked on the command line as typed, with the value
 * flags yargs knows for the command being run.
 *
 * `--no-proxy HOSTS` is also made to mean the hosts (yargs reads `--no-X` as "X is false"):
 * `withNoProxyValue` rewrites it to `--no-proxy=HOSTS` before parsing.
 */

/**
 * Flags whose command reports an empty value itself, in its own words: `--only` (an empty pattern
 * is refused with the rest of the filter's checks, src/plan/rules/filter-scope.ts).
 */
const OWN_CHECK: ReadonlySet<string> = new Set(['only']);

/** Flags that take a value, by name (aliases included); flags taking several values (nargs > 1) are left out. */
export interface ValueFlags {
  string: readonly string[];
  number: readonly string[];
  alias: Readonly<Record<string, readonly string[]>>;
  narg: Readonly<Record<string, number>>;
}

/** A token that is a value, not another flag (a negative number is a value). */
function isValue(token: string | undefined): boolean {
  return token !== undefined && token.trim() !== '' && (!token.startsWith('-') || /^-\d/.test(token));
}

/** The value flags of `argv` given an empty value or none, as typed (`--out`), in order, each once. */
export function emptyFlagValues(argv: readonly string[], flags: ValueFlags): string[] {
  const names = new Set<string>();
  for (const n of [...flags.string, ...flags.number]) {
    if ((flags.narg[n] ?? 1) > 1 || OWN_CHECK.has(n)) continue;
    names.add(n);
    for (const a of flags.alias[n] ?? []) names.add(a);
  }
  const found: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]!;
    if (t === '--') break;
    const m = /^--?([^=]+)(=(.*))?$/s.exec(t);
    if (!m || !names.has(m[1]!)) continue;
    const shown = t.startsWith('--') ? `--${m[1]}` : `-${m[1]}`;
    const empty = m[2] !== undefined ? m[3]!.trim() === '' : !isValue(argv[i + 1]);
    if (empty && !found.includes(shown)) found.push(shown);
  }
  return found;
}

/** `--no-proxy HOSTS` as `--no-proxy=HOSTS`, so that yargs does not read it as `--proxy false` followed by a stray word. */
export function withNoProxyValue(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]!;
    if (t === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (t === '--no-proxy' && i + 1 < argv.length && (argv[i + 1] === '' || isValue(argv[i + 1]))) {
      out.push(`--no-proxy=${argv[i + 1]}`);
      i++;
    } else out.push(t);
  }
  return out;
}
