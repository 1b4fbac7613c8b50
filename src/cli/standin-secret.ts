/**
 * The stand-in user's secret (API token or password) from one of: the flag (`--token T`: visible to
 * every user of the machine in `ps`), a file (`--token-file F`, its first line), or a variable
 * (`JOBSMITH_STANDIN_TOKEN`, `JOBSMITH_STANDIN_PASSWORD`). A flag or file wins over the variable;
 * a flag and a file together are a usage error; an unreadable or empty file is bad input.
 */
import { readFileSync } from 'node:fs';
import { InputError, UsageError } from '../model/errors.js';

export function standinSecret(kind: 'token' | 'password', flag: string | undefined, file: string | undefined, fromEnv: string | undefined): string | undefined {
  if (flag !== undefined && file !== undefined) throw new UsageError(`--${kind} and --${kind}-file: give one`);
  if (flag !== undefined) return flag;
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new InputError(`--${kind}-file ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    const first = text.split(/\r?\n/)[0]!.trim();
    if (first === '') throw new InputError(`--${kind}-file ${file}: the file is empty`);
    return first;
  }
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
}
