/**
 * Which node a queued build may run on, and Jenkins' "why" text when none can take it
 * (`Queue.BuildableItem.getCauseOfBlockage`, `hudson.model.queue.CauseOfBlockage`).
 */
import { firstChild, textOf } from '../xml/tree.js';
import { jenkinsLabel, labelName, type LabelExpr } from '../model/label-expression.js';
import type { Item } from './store.js';
import type { Placement } from './builds.js';
import { BUILT_IN_LABEL, type NodeStore, type StandinNode, displayNameOf, isOnline, modeOf, numExecutorsOf } from './nodes.js';

/**
 * `AbstractProject.getAssignedLabel()`: none when `canRoam` is true; the built-in node's self label
 * when no `assignedNode` is set; otherwise `Jenkins.getLabel(assignedNode)`. Pipeline jobs (and the
 * other non-AbstractProject types) have none here: their `node` steps choose agents while they run.
 */
export function assignedLabel(item: Item): LabelExpr | null {
  if (!item.type.abstractProject) return null;
  const canRoam = firstChild(item.doc, 'canRoam');
  if (canRoam && textOf(canRoam).trim().toLowerCase() === 'true') return null;
  const node = firstChild(item.doc, 'assignedNode');
  if (!node) return { kind: 'atom', name: BUILT_IN_LABEL };
  return jenkinsLabel(textOf(node));
}

/** `assignedNode` as the job exports it (`labelExpression`): null when it roams. */
export function labelExpressionOf(item: Item): string | null {
  if (!item.type.abstractProject) return null;
  const canRoam = firstChild(item.doc, 'canRoam');
  if (canRoam && textOf(canRoam).trim().toLowerCase() === 'true') return null;
  const node = firstChild(item.doc, 'assignedNode');
  return node ? textOf(node) : null;
}

/** Pick a node for a build of `item`, or say why it has to wait. */
export function place(nodes: NodeStore, item: Item, running: (n: StandinNode) => number): Placement {
  const label = assignedLabel(item);
  const usable = (n: StandinNode): boolean => isOnline(n) && numExecutorsOf(n) > 0;
  const candidates = label === null
    ? nodes.list().filter((n) => usable(n) && modeOf(n) === 'NORMAL')
    : nodes.nodesFor(label).filter(usable);
  if (candidates.length > 0) {
    let best = candidates[0]!;
    let load = running(best);
    for (const n of candidates.slice(1)) {
      const l = running(n);
      if (l < load) {
        best = n;
        load = l;
      }
    }
    return { node: best.name };
  }
  if (label === null) return { why: 'Waiting for next available executor', stuck: false };
  const matching = nodes.nodesFor(label);
  const offline = !matching.some(isOnline);
  // With no agents at all Jenkins does not talk about nodes ("pointless"), but still calls it stuck.
  if (nodes.agentList().length === 0) return { why: 'Waiting for next available executor', stuck: offline };
  const name = labelName(label);
  if (offline) {
    if (matching.length === 1) return { why: `\u2018${displayNameOf(matching[0]!)}\u2019 is offline`, stuck: true };
    return { why: matching.length === 0 ? `There are no nodes with the label \u2018${name}\u2019` : `All nodes of label \u2018${name}\u2019 are offline`, stuck: true };
  }
  return { why: `Waiting for next available executor on \u2018${matching.length === 1 ? displayNameOf(matching[0]!) : name}\u2019`, stuck: false };
}
