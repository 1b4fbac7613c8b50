import { hash } from 'node:crypto';

/**
 * `sha256:` + hex digest of the UTF-8 bytes: the form of DesiredJob.hash, the managed-job marker and
 * the render manifest. One-shot `crypto.hash` (no Hash object per call: render hashes every job).
 */
export function sha256(text: string): string {
  return 'sha256:' + hash('sha256', text, 'hex');
}
