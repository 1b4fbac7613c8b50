import { describe, expect, it } from 'vitest';
import { checkLabels, labelExpressionOfConfig, labelledJobs, type NodeLabels } from '../../src/plan/rules/label-check.js';
import type { DesiredJob } from '../../src/model/desired-job.js';

const BUILT_IN: NodeLabels = { name: 'Built-In Node', labels: ['built-in'] };
const LINUX: NodeLabels = { name: 'agent-1', labels: ['agent-1', 'linux', 'docker'] };

function job(fullName: string, config: string, file = 'jobs/pay.yaml'): DesiredJob {
  return { fullName, name: fullName, folder: [], project: 'pay', template: 'T', config, hash: 'sha256:x', rootElement: 'project', source: { file } };
}
const cfg = (inner: string) => `<?xml version='1.1' encoding='UTF-8'?>\n<project>${inner}<builders/></project>`;

describe('label check rule (pure)', () => {
  it('reads assignedNode unless canRoam is true; none without assignedNode (the built-in node, always there)', () => {
    expect(labelExpressionOfConfig(cfg('<assignedNode>linux &amp;&amp; docker</assignedNode><canRoam>false</canRoam>'))).toBe('linux && docker');
    expect(labelExpressionOfConfig(cfg('<assignedNode>linux</assignedNode>'))).toBe('linux');
    expect(labelExpressionOfConfig(cfg('<assignedNode>linux</assignedNode><canRoam>true</canRoam>'))).toBeUndefined();
    expect(labelExpressionOfConfig(cfg('<canRoam>false</canRoam>'))).toBeUndefined();
    // a nested assignedNode (a plugin's own field) is not the job's
    expect(labelExpressionOfConfig(cfg('<properties><x><assignedNode>mac</assignedNode></x></properties>'))).toBeUndefined();
    expect(labelExpressionOfConfig('<flow-definition><definition/></flow-definition>')).toBeUndefined();
  });

  it('no warning when some node matches (built-in included); one warning per expression that matches none, naming jobs and files', () => {
    const jobs = labelledJobs([
      job('a', cfg('<assignedNode>linux &amp;&amp; docker</assignedNode>')),
      job('b', cfg('<assignedNode>built-in</assignedNode>')),
      job('c', cfg('<assignedNode>mac</assignedNode>'), 'jobs/ios.yaml'),
      job('d', cfg('<assignedNode>mac</assignedNode>'), 'jobs/ios.yaml'),
      job('e', cfg('<assignedNode>linux &amp;&amp; !docker</assignedNode>')),
    ]);
    expect(jobs.map((j) => j.fullName)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const problems = checkLabels(jobs, [BUILT_IN, LINUX]);
    expect(problems.map((p) => p.code)).toEqual(['label-no-node', 'label-no-node']);
    expect(problems.every((p) => p.severity === 'warning' && p.category === 'notice')).toBe(true);
    expect(problems[0]!.message).toBe('label expression "linux && !docker" matches no node of this Jenkins (nodes: Built-In Node, agent-1): builds of e would wait in the queue; defined in jobs/pay.yaml');
    expect(problems[1]!.message).toBe('label expression "mac" matches no node of this Jenkins (nodes: Built-In Node, agent-1): builds of c, d would wait in the queue; defined in jobs/ios.yaml');
  });

  it('an expression Jenkins cannot parse is one label atom: say so', () => {
    const [p] = checkLabels(labelledJobs([job('x', cfg('<assignedNode>linux &amp; docker</assignedNode>'))]), [BUILT_IN, LINUX]);
    expect(p!.message).toContain('not a valid label expression, so Jenkins reads it as one label named "linux & docker"');
  });

  it('lists at most five jobs per expression', () => {
    const many = Array.from({ length: 8 }, (_, k) => job(`j${k}`, cfg('<assignedNode>gpu</assignedNode>')));
    const [p] = checkLabels(labelledJobs(many), [BUILT_IN]);
    expect(p!.message).toContain('builds of j0, j1, j2, j3, j4 and 3 more would wait');
  });
});
