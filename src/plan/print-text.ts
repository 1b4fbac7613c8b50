/**
 * A plan as text, Terraform style: one line per change that does something (or is held back),
 * then the counts. Unchanged items are only counted unless `verbose`.
 */
import type { Change, ChangeKind, Plan } from '../model/plan.js';

const SYMBOL: Record<ChangeKind, string> = {
  create: '+',
  move: '>',
  update: '~',
  adopt: '~',
  replace: '±',
  enable: '>',
  disable: '!',
  delete: '-',
  unchanged: '=',
  keep: '.',
  conflict: '?',
};

const ORDER: ChangeKind[] = ['create', 'move', 'update', 'adopt', 'replace', 'enable', 'disable', 'delete', 'keep', 'conflict', 'unchanged'];

const ARCHIVE_NOTE: Record<NonNullable<Change['archive']>, string> = {
  first: 'builds archived first',
  'opted-out': 'not archived: archive: false',
};

export function formatChange(c: Change): string {
  const what = c.target === 'job' ? '' : `${c.target} `;
  const name = c.kind === 'move' && c.from !== undefined ? `${c.from} -> ${c.fullName}` : c.fullName;
  const archive = c.archive === undefined ? '' : c.folderType === 'computed' ? `; the builds of the jobs in it ${c.archive === 'first' ? 'archived first' : 'not archived: archive: false'}` : `; ${ARCHIVE_NOTE[c.archive]}`;
  return `  ${SYMBOL[c.kind]} ${c.kind.padEnd(9)} ${what}${name}  (${c.reason}${archive})`;
}

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  const parts = [
    `${s.create} to create`,
    ...(s.move ? [`${s.move} to move`] : []),
    `${s.update + s.adopt} to update`,
    ...(s.replace ? [`${s.replace} to replace`] : []),
    ...(s.enable ? [`${s.enable} to enable`] : []),
    `${s.disable} to disable`,
    `${s.delete} to delete`,
    `${s.unchanged} unchanged`,
    ...(s.keep ? [`${s.keep} held`] : []),
    ...(s.conflict ? [`${s.conflict} in conflict`] : []),
  ];
  return `Plan: ${parts.join(', ')}.`;
}

export function formatPlanText(plan: Plan, opts: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  const shown = opts.verbose ? [...plan.changes] : plan.changes.filter((c) => c.kind !== 'unchanged');
  const rank = (k: ChangeKind) => ORDER.indexOf(k);
  shown.sort((a, b) => rank(a.kind) - rank(b.kind) || (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
  for (const c of shown) lines.push(formatChange(c));
  if (lines.length === 0) lines.push('No changes: Jenkins matches the definitions.');
  lines.push('');
  lines.push(summaryLine(plan));
  for (const p of plan.problems) lines.push(`${p.severity}: ${p.message}`);
  return lines.join('\n') + '\n';
}
