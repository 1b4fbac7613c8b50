/**
 * A directory named on the command line that a command creates or writes into (--out, --git,
 * --home): when something that is not a directory is in the way, a clear bad-input error (exit 1)
 * before anything is done, not a failed mkdir deep inside.
 */
import { statSync } from 'node:fs';
import { InputError, UsageError } from '../model/errors.js';
import { outputDirProblem } from '../output/output-tree.js';

export function checkDirectoryArg(dir: string, flag: string): void {
  // An empty value (a bare flag, an unset variable) would mean the working directory: never that.
  if (dir.trim() === '') throw new UsageError(`${flag} needs a directory (an empty value: an unset variable?)`);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      // Created when needed: say now when it cannot be (a link to an unmounted share, a file in the way).
      const problem = outputDirProblem(dir);
      if (problem) throw new InputError(`${flag} ${dir}: cannot create it: ${problem}`);
      return;
    }
    throw new InputError(`${flag} ${dir}: cannot use it (${code ?? String(err)})`);
  }
  if (!isDir) throw new InputError(`${flag} ${dir} is not a directory`);
}
