import type { CommandModule } from 'yargs';

/**
 * Every `jobsmith` sub-command, one file each under src/cli/. Add yours here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: Array<CommandModule<any, any>> = [];
import { standinCommand } from './standin-command.js';
commands.push(standinCommand);
