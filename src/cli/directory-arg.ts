/**
 * A directory named on the command line that a command creates or writes into (--out, --git,
 * --home): when something that is not a directory is in the way, a clear bad-input error (exit 1)
 * before anything is done, not a failed mkdir deep inside.
 */
import { statSync } from 'node:fs';
import { InputError } from '../model/errors.js';

export function checkDirectoryArg(dir: string, flag: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return; // created when needed
    throw new InputError(`${flag} ${dir}: cannot use it (${code ?? String(err)})`);
  }
  if (!isDir) throw new InputError(`${flag} ${dir} is not a directory`);
}
