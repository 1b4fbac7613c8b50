/**
 * Ctrl-C (SIGINT) during a command that changes Jenkins. Before anything is applied, it stops at
 * once (nothing was changed). While applying, the first Ctrl-C starts no more changes and lets
 * those in flight finish, so the command can say exactly what was applied and what was not, then
 * exit 130; a second Ctrl-C stops at once.
 */
import { EXIT } from './exit-codes.js';
import { resultJson, type ResultCommand } from '../plan/print-json.js';

export interface Interrupt {
  /** Aborted by the first Ctrl-C once applying has begun. */
  signal: AbortSignal;
  /** From now on Ctrl-C stops between changes instead of at once. */
  applying(): void;
  /** Remove the handler. */
  dispose(): void;
}

export function onInterrupt(stderr: NodeJS.WritableStream = process.stderr, json?: ResultCommand): Interrupt {
  const controller = new AbortController();
  let applying = false;
  const handler = (): void => {
    if (!applying) {
      stderr.write('\ninterrupted: nothing was changed in Jenkins\n');
      // --json: still one document on stdout
      if (json !== undefined) process.stdout.write(resultJson(json, { status: 'interrupted', exitCode: EXIT.interrupted, error: { class: 'interrupted', message: 'interrupted before anything was applied: nothing was changed in Jenkins' } }));
      process.exit(EXIT.interrupted);
    }
    if (controller.signal.aborted) {
      stderr.write('\ninterrupted again: stopping now; the changes that were in flight may or may not have been applied (run sync again to converge)\n');
      process.exit(EXIT.interrupted);
    }
    stderr.write('\ninterrupted: starting no more changes, letting those in flight finish (Ctrl-C again to stop at once)\n');
    controller.abort();
  };
  process.on('SIGINT', handler);
  return {
    signal: controller.signal,
    applying: () => {
      applying = true;
    },
    dispose: () => void process.off('SIGINT', handler),
  };
}
