/**
 * A file a command will write, named on the command line (plan --out): checked before any work
 * (its directory exists, it is not a directory), so a long plan is not made for nothing; a write
 * that still fails is bad input naming the file (exit 1), never an internal error.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../model/errors.js';

export function checkOutputFileArg(file: string, flag: string): void {
  const dir = path.dirname(path.resolve(file));
  let problem: string | undefined;
  try {
    if (!statSync(dir).isDirectory()) problem = `${path.dirname(file)} is not a directory`;
  } catch (err) {
    problem = `its directory ${path.dirname(file)} cannot be used (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
  try {
    if (statSync(file).isDirectory()) problem = 'it is a directory';
  } catch {
    /* a new file */
  }
  if (problem) throw new InputError(`${flag} ${file}: cannot write there: ${problem}`);
}

/** Run a write of `file`; a failure becomes bad input naming it. */
export async function writingTo<T>(file: string, flag: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    throw new InputError(`${flag} ${file}: cannot write there (${code})`);
  }
}
