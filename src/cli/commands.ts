import type { CommandModule } from 'yargs';

/**
 * Every `jobsmith` sub-command, one file each under src/cli/. Add yours here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: Array<CommandModule<any, any>> = [];
import { standinCommand } from './standin-command.js';
commands.push(standinCommand);
import { renderCommand } from './render-command.js';
commands.push(renderCommand);
import { validateCommand } from './validate-command.js';
commands.push(validateCommand);
import { listCommand } from './list-command.js';
commands.push(listCommand);
import { templatesCommand } from './templates-command.js';
commands.push(templatesCommand);
import { showCommand } from './show-command.js';
commands.push(showCommand);
import { planCommand } from './plan-command.js';
commands.push(planCommand);
import { applyCommand } from './apply-command.js';
commands.push(applyCommand);
import { syncCommand } from './sync-command.js';
commands.push(syncCommand);
import { bulkCommand } from './bulk-command.js';
commands.push(bulkCommand);
import { serveCommand } from './serve-command.js';
commands.push(serveCommand);
import { createCommand } from './create-command.js';
commands.push(createCommand);
import { bootstrapCommand } from './bootstrap-command.js';
commands.push(bootstrapCommand);
import { jenkinsCommand } from './jenkins-command.js';
commands.push(jenkinsCommand);
import { backupCommand } from './backup-command.js';
commands.push(backupCommand);
import { restoreCommand } from './restore-command.js';
commands.push(restoreCommand);
import { setDefaultCommand } from './set-default-command.js';
commands.push(setDefaultCommand);
import { renameTokenCommand } from './rename-token-command.js';
commands.push(renameTokenCommand);
import { importCommand } from './import-command.js';
commands.push(importCommand);
