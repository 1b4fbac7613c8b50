/** A webhook's sync is limited to projects by identity (PlanOptions.projects), as the form's is. */
import { describe, expect, it } from 'vitest';
import { scopeTest } from '../../src/plan/rules/filter-scope.js';

describe('the sync of a webhook names projects by identity', () => {
  it('glob characters in a project name match only that name', () => {
    const inScope = scopeTest([], ['a*', 'b[1]', '{x,y}', 'pay.api']);
    expect(['a*', 'b[1]', '{x,y}', 'pay.api'].every((p) => inScope('job', p))).toBe(true);
    expect(['abc', 'a', 'b1', 'x', 'y', 'payXapi'].some((p) => inScope('job', p))).toBe(false);
  });

  it('a job whose name is the project name, in another project, is out of scope (an --only pattern matched it)', () => {
    const byProject = scopeTest([], ['payments']);
    expect(byProject('payments', 'billing')).toBe(false);
    expect(byProject('payments', undefined)).toBe(false);
    expect(byProject('billing-ci', 'payments')).toBe(true);
    // what the webhook sync used before: an exact --only pattern also matches a job's full name
    expect(scopeTest(['payments'])('payments', 'billing')).toBe(true);
  });
});
