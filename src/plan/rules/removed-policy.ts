/**
 * What happens to a managed job whose project or template left the definitions:
 * `--removed delete` (default), `disable` (retire: disabled, marker records when), `keep`.
 */
export type RemovedPolicy = 'delete' | 'disable' | 'keep';

export const REMOVED_POLICIES: readonly RemovedPolicy[] = ['delete', 'disable', 'keep'];
