/** A webhook's sync limits itself to projects by name: `--only` patterns that match exactly that name. */
import { describe, expect, it } from 'vitest';

describe('the sync of a webhook names projects literally', () => {
  it('glob characters in a project name match only that name', async () => {
    const { literalPattern } = await import('../../src/hooks/hook-runner.js');
    const { scopeTest } = await import('../../src/plan/rules/filter-scope.js');
    const inScope = scopeTest(['a*', 'b[1]', '{x,y}', 'pay.api'].map(literalPattern));
    expect(['a*', 'b[1]', '{x,y}', 'pay.api'].every((p) => inScope('job', p))).toBe(true);
    expect(['abc', 'a', 'b1', 'x', 'y', 'payXapi'].some((p) => inScope('job', p))).toBe(false);
  });
});
