/**
 * Rule: a desired job restricted to a label expression (`<assignedNode>`, "Restrict where this
 * project can be run") that no node of the target Jenkins matches gets a warning: its builds would
 * wait in the queue forever ("There are no nodes with the label ‘…’"). Pure: the node listing is an
 * argument; the request for it lives in src/sync/label-check-step.ts.
 *
 * Jenkins' rules (see docs/jenkins-api-notes.md): `canRoam` true means no restriction; without
 * `assignedNode` a job is tied to the built-in node (always present); an expression that does not
 * parse is taken as one label atom.
 */
import type { DesiredJob } from '../../model/desired-job.js';
import type { PlanProblem } from '../../model/plan.js';
import { jenkinsLabel, labelMatches, labelName, parseLabelExpression, unquote } from '../../model/label-expression.js';
import { childElements, firstChild, parseXml, textOf } from '../../xml/tree.js';

/** A node as listed by `computer/api/json`: its name and label atoms (self label included). */
export interface NodeLabels {
  name: string;
  labels: readonly string[];
}

export interface LabelledJob {
  fullName: string;
  labelExpression: string;
  source: string;
}

/** The label expression a job's config restricts it to, if any (`assignedNode` unless `canRoam` is true). */
export function labelExpressionOfConfig(config: string): string | undefined {
  if (!config.includes('assignedNode')) return undefined; // the common case: no parse at all
  let root;
  try {
    root = parseXml(config);
  } catch {
    return undefined; // not parseable here: validate reports broken templates
  }
  const node = firstChild(root, 'assignedNode');
  if (!node || childElements(node).length > 0) return undefined;
  const canRoam = firstChild(root, 'canRoam');
  if (canRoam && textOf(canRoam).trim().toLowerCase() === 'true') return undefined;
  return textOf(node);
}

/** Desired jobs that name a label expression (no request is needed when there are none). */
export function labelledJobs(jobs: readonly DesiredJob[]): LabelledJob[] {
  const out: LabelledJob[] = [];
  for (const j of jobs) {
    const e = labelExpressionOfConfig(j.config);
    if (e !== undefined) out.push({ fullName: j.fullName, labelExpression: e, source: j.source.file });
  }
  return out;
}

const SHOWN = 5;

/** One warning per distinct label expression that matches no node. */
export function checkLabels(jobs: readonly LabelledJob[], nodes: readonly NodeLabels[]): PlanProblem[] {
  const byExpr = new Map<string, LabelledJob[]>();
  for (const j of jobs) {
    const list = byExpr.get(j.labelExpression);
    if (list) list.push(j);
    else byExpr.set(j.labelExpression, [j]);
  }
  const problems: PlanProblem[] = [];
  const nodeList = nodes.map((n) => n.name).join(', ');
  for (const [expr, list] of [...byExpr].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const label = jenkinsLabel(expr);
    if (nodes.some((n) => labelMatches(label, new Set(n.labels)))) continue;
    const unparsed = !parseLabelExpression(unquote(expr)).ok;
    const names = list.map((j) => j.fullName).sort();
    const shown = names.slice(0, SHOWN).join(', ') + (names.length > SHOWN ? ` and ${names.length - SHOWN} more` : '');
    const sources = [...new Set(list.map((j) => j.source))].sort().join(', ');
    const hint = unparsed ? ` (not a valid label expression, so Jenkins reads it as one label named "${labelName(label)}")` : '';
    problems.push({
      severity: 'warning',
      category: 'notice',
      code: 'label-no-node',
      message: `label expression "${expr}"${hint} matches no node of this Jenkins (nodes: ${nodeList || 'none'}): builds of ${shown} would wait in the queue; defined in ${sources}`,
    });
  }
  return problems;
}
