/**
 * `apply FILE` does not trust the file: the plan made NOW (the planner, run again against a fresh
 * listing with the definitions as they are and `apply`'s own flags) is the authority. A saved plan
 * may only be a subset of it, never more:
 *
 * - every acting change of the file must be in the fresh plan, identical in what it does (kind,
 *   target, name, config written, where a move comes from and passes through, what a view gains and
 *   loses, whether a delete archives first or waits for a replacement or for a create on another
 *   controller, whether a disable retires);
 *   so every rule of the planner (./make-plan.ts and ./rules/: ownership, moves, folders, views,
 *   running builds, branch grace, fail-closed, the upstream check) holds for a saved plan too, with
 *   no second copy of any rule here;
 * - a subset keeps what its changes depend on: a folder delete needs every change of the fresh plan
 *   that empties the folder, a delete that waits for its replacement needs that replacement's create;
 * - options that weaken a guard (`--allow-mass-delete`, `--adopt`, `--allow-empty`, `--allow-stale`)
 *   are never taken from the file: `apply` takes its own flags, the fresh plan is made with them, and
 *   a plan made with one needs the same flag on `apply`;
 * - the fresh plan must not be refused (mass delete, empty definitions), and neither may the saved one
 *   have been; it must be for the same owner.
 *
 * Pure: the caller makes the fresh plan (src/sync/saved-plan-io.ts). Any reason refuses the whole plan.
 */
import { ACTING_KINDS, type Change, type Plan, type PlanOptionsRecord } from '../model/plan.js';

/** `apply`'s own flags: the guards a saved plan may have been made without. */
export interface ApplyFlags {
  allowMassDelete?: boolean;
  adopt?: boolean;
  allowEmpty?: boolean;
  allowStale?: boolean;
}

export interface RecheckInput {
  /** The saved plan (the file). */
  plan: Plan;
  /** The plan the planner makes now: fresh listing, the definitions as they are, `apply`'s flags. */
  fresh: Plan;
  /** The owner id of the definitions apply runs in. */
  owner: string;
  /** `apply`'s own flags (weakening options of the file must be repeated here). */
  flags?: ApplyFlags;
}

export interface RecheckResult {
  /** Why the saved plan must not be applied (empty: it may). */
  reasons: string[];
  /** When it may: the fresh plan's own changes matching the file's, in the fresh plan's order (what apply runs). */
  changes: Change[];
}

/** The weakening options and the flag that gives each. */
const WEAKENING: Array<[keyof PlanOptionsRecord & keyof ApplyFlags, string]> = [
  ['allowMassDelete', '--allow-mass-delete'],
  ['adopt', '--adopt'],
  ['allowEmpty', '--allow-empty'],
  ['allowStale', '--allow-stale'],
];

function key(c: Change): string {
  return `${c.target}\u0000${c.kind}\u0000${c.fullName.toLowerCase()}`;
}

function what(c: Change): string {
  if (c.target === 'view') return `view ${c.fullName}`;
  if (c.target === 'folder') return `folder ${c.fullName}`;
  return c.kind === 'move' && c.from !== undefined ? `${c.from} -> ${c.fullName}` : c.fullName;
}

const sortedJoin = (xs: readonly string[] | undefined): string => [...(xs ?? [])].map((x) => x.toLowerCase()).sort().join('\u0001');

/** How a change of the file differs from the fresh plan's change of the same kind and item ('' = it does not). */
function difference(saved: Change, now: Change): string {
  if (saved.config !== now.config) return 'a plan made now writes another config (the file was edited, or Jenkins or the definitions changed)';
  if ((saved.from ?? '').toLowerCase() !== (now.from ?? '').toLowerCase()) return `a plan made now moves ${now.from ?? 'nothing'} there`;
  if ((saved.via ?? '') !== (now.via ?? '')) return `a plan made now moves it through ${now.via ?? 'no other name'}`;
  if ((saved.after ?? '') !== (now.after ?? '')) return now.after !== undefined ? `a plan made now deletes it only once ${now.after} is created` : 'a plan made now does not tie it to a replacement';
  const waits = (c: Change): string => (c.waitsFor ? `${c.waitsFor.controller}\u0000${c.waitsFor.fullName.toLowerCase()}` : '');
  if (waits(saved) !== waits(now)) return now.waitsFor ? `a plan made now deletes it only once ${now.waitsFor.fullName} is created on controller ${now.waitsFor.controller}` : 'a plan made now does not tie it to a create on another controller';
  if ((saved.archive ?? '') !== (now.archive ?? '')) return now.archive === 'first' ? 'a plan made now archives its builds first' : 'a plan made now does not archive it first';
  if ((saved.retire !== undefined) !== (now.retire !== undefined)) return now.retire !== undefined ? 'a plan made now retires it (records when)' : 'a plan made now disables it without retiring it';
  if (saved.view || now.view) {
    const a = saved.view;
    const b = now.view;
    if (!a || !b || sortedJoin(a.add) !== sortedJoin(b.add) || sortedJoin(a.remove) !== sortedJoin(b.remove)) {
      return `a plan made now ${b ? `adds [${b.add.join(', ')}] and removes [${b.remove.join(', ')}]` : 'does not edit the view'}`;
    }
  }
  return '';
}

function describeNow(others: readonly Change[]): string {
  if (others.length === 0) return 'a plan made now does nothing to it';
  return `a plan made now: ${others.map((o) => `${o.kind} (${o.reason})`).join('; ')}`;
}

function inside(folder: string, name: string | undefined): boolean {
  return name !== undefined && name.toLowerCase().startsWith(folder.toLowerCase() + '/');
}

export function recheckPlan(input: RecheckInput): RecheckResult {
  const { plan, fresh, owner } = input;
  const flags = input.flags ?? {};
  const why: string[] = [];
  if (plan.refused) why.push('the plan was refused when it was made');
  if (plan.owner !== undefined && plan.owner !== owner) why.push(`the plan was made for owner ${plan.owner}; these definitions are owner ${owner}`);
  if (plan.owner === undefined) why.push('the plan records no owner (made by an older jobsmith): make a new plan');
  for (const [opt, flag] of WEAKENING) {
    if (plan.options[opt] === true && flags[opt] !== true) why.push(`the plan was made with ${flag}: apply needs ${flag} too (a saved plan never lifts a guard by itself)`);
  }
  if (fresh.refused) {
    for (const p of fresh.problems.filter((x) => x.category === 'refused')) why.push(p.message.replace(/^refusing to apply: /, ''));
  }

  const freshActing = fresh.changes.filter((c) => ACTING_KINDS.includes(c.kind));
  const freshByKey = new Map<string, Change>();
  for (const c of freshActing) freshByKey.set(key(c), c);
  const freshByName = new Map<string, Change[]>();
  for (const c of fresh.changes) {
    const k = `${c.target}\u0000${c.fullName.toLowerCase()}`;
    freshByName.set(k, [...(freshByName.get(k) ?? []), c]);
  }

  const chosen = new Map<string, Change>();
  for (const c of plan.changes.filter((x) => ACTING_KINDS.includes(x.kind))) {
    const k = key(c);
    if (chosen.has(k)) {
      why.push(`${c.kind} ${what(c)}: listed more than once`);
      continue;
    }
    const now = freshByKey.get(k);
    if (!now) {
      const others = (freshByName.get(`${c.target}\u0000${c.fullName.toLowerCase()}`) ?? []).filter((o) => o.kind !== c.kind);
      why.push(`${c.kind} ${what(c)}: not what a plan made now would do (${describeNow(others)})`);
      continue;
    }
    const diff = difference(c, now);
    if (diff !== '') {
      why.push(`${c.kind} ${what(c)}: ${diff}`);
      continue;
    }
    chosen.set(k, now);
  }

  // a subset keeps what its changes depend on
  const chosenList = [...chosen.values()];
  const has = (c: Change): boolean => chosen.has(key(c));
  for (const c of chosenList) {
    if (c.target === 'folder' && c.kind === 'delete') {
      const emptying = freshActing.filter((x) => x !== c && (inside(c.fullName, x.fullName) || inside(c.fullName, x.from)) && !has(x));
      if (emptying.length > 0) why.push(`delete folder ${c.fullName}: the file leaves out what empties it first (${emptying.slice(0, 3).map((x) => `${x.kind} ${what(x)}`).join(', ')}${emptying.length > 3 ? ', ...' : ''})`);
    }
    if (c.kind === 'delete' && c.after !== undefined) {
      const replacement = freshActing.find((x) => x.target === 'job' && (x.kind === 'create' || x.kind === 'move') && x.fullName.toLowerCase() === c.after!.toLowerCase());
      if (replacement && !has(replacement)) why.push(`delete ${c.fullName}: the file leaves out ${replacement.kind} ${c.after}, the job that replaces it`);
    }
  }

  const reasons = [...new Set(why)];
  return { reasons, changes: reasons.length > 0 ? [] : freshActing.filter(has) };
}
