/**
 * `jobsmith rename-token OLD NEW`: rename a token in every template (`$OLD`, `${OLD}`), template
 * sidecar and definition (`tokens:` keys), keeping formatting; check the result renders; commit.
 */
import type { Argv, CommandModule } from 'yargs';
import { commandInfo } from './commands.js';
import { UsageError } from '../model/errors.js';
import type { FileEdit } from '../bulk/edit-definitions.js';
import { definitionEditOptions, finishDefinitionEdit, type DefinitionEditArgs } from './set-default-command.js';
import { EXIT } from './exit-codes.js';

interface RenameArgs extends DefinitionEditArgs {
  old: string;
  new: string;
}

export const renameTokenCommand: CommandModule<object, RenameArgs> = {
  ...commandInfo('rename-token'),
  builder: (y) =>
    definitionEditOptions(y)
      .positional('old', { type: 'string', describe: 'Current token name' })
      .positional('new', { type: 'string', describe: 'New token name' }) as unknown as Argv<RenameArgs>,
  handler: async (a) => {
    const { DefinitionEditError, TOKEN_NAME } = await import('../bulk/definition-edit.js');
    const { planRenameToken } = await import('../bulk/edit-definitions.js');
    const [oldName, newName] = [String(a.old), String(a.new)];
    for (const n of [oldName, newName]) if (!TOKEN_NAME.test(n)) throw new UsageError(`${n} is not a token name (like MVN.VERSION: capitals, digits, _ and at least one dot)`);
    if (oldName === newName) throw new UsageError('the old and new names are the same');
    let edits: FileEdit[];
    try {
      edits = await planRenameToken({ templatesDir: a.templates, jobsDir: a.jobs }, oldName, newName);
    } catch (err) {
      if (err instanceof DefinitionEditError) {
        process.stderr.write(`error: ${err.message}\n`);
        process.exitCode = EXIT.badInput;
        return;
      }
      throw err;
    }
    process.exitCode = await finishDefinitionEdit(a, edits, `jobsmith rename-token ${oldName} -> ${newName}`);
  },
};
