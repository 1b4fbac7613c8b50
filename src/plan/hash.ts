import { createHash } from 'node:crypto';

/** `sha256:` + hex digest of the UTF-8 bytes (the same form as DesiredJob.hash). */
export function sha256(text: string): string {
  return 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex');
}
