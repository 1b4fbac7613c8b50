/**
 * A plan as JSON for scripts: the plan without the (large) config bodies unless asked for.
 */
import type { Plan } from '../model/plan.js';

export function planToJson(plan: Plan, opts: { includeConfigs?: boolean } = {}): unknown {
  if (opts.includeConfigs) return plan;
  return { ...plan, changes: plan.changes.map(({ config: _config, ...rest }) => rest) };
}
