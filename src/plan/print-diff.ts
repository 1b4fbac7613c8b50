/**
 * `plan --diff`: the XML difference for each update, as a unified diff of the config Jenkins
 * holds (fetched) against the config jobsmith would push.
 */
import { createTwoFilesPatch } from 'diff';
import type { Change } from '../model/plan.js';

export function configDiff(change: Change, current: string | undefined): string {
  const next = change.config ?? '';
  return createTwoFilesPatch(`jenkins/${change.fullName}/config.xml`, `jobsmith/${change.fullName}/config.xml`, current ?? '', next, '', '', { context: 3 });
}
