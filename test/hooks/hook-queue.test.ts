/** The coalescing queue on its own: a fake clock (plain numbers), no timers. */
import { describe, expect, it } from 'vitest';
import { HookQueue, DEFINITIONS_KEY } from '../../src/hooks/hook-queue.js';

describe('hook queue', () => {
  it('a burst of 50 events for one project while a sync runs: the running one plus one more', () => {
    const q = new HookQueue();
    let now = 1000;
    q.enqueue('default', ['pay'], 'e0', now);
    const first = q.take(now);
    expect(first.start.map((b) => [b.keys, b.events])).toEqual([[['pay'], ['e0']]]);
    for (let i = 1; i < 50; i++) {
      now += 10;
      q.enqueue('default', ['pay'], `e${i}`, now);
      expect(q.take(now).start).toEqual([]); // one sync at a time per controller
    }
    q.finish(first.start[0]!);
    const second = q.take(now);
    expect(second.start).toHaveLength(1);
    expect(second.start[0]!.keys).toEqual(['pay']);
    expect(second.start[0]!.events).toEqual(Array.from({ length: 49 }, (_, i) => `e${i + 1}`));
    q.finish(second.start[0]!);
    expect(q.take(now).start).toEqual([]);
    expect(q.busy).toBe(false);
  });

  it('flush (serve stopping): waiting keys start at once instead of settling, still one batch at a time per controller', () => {
    const q = new HookQueue({ settleMs: 200, maxWaitMs: 5_000 });
    q.enqueue('default', ['pay'], 'e1', 0);
    expect(q.take(10)).toEqual({ start: [], wakeAt: 200 });
    const first = q.take(10, true);
    expect(first.start.map((b) => [b.keys, b.events, b.startedAt])).toEqual([[['pay'], ['e1'], 10]]);
    q.enqueue('default', ['shop'], 'e2', 20);
    expect(q.take(20, true).start).toEqual([]); // pay's sync still runs
    q.finish(first.start[0]!);
    expect(q.take(21, true).start.map((b) => b.events)).toEqual([['e2']]);
  });

  it('waiting projects of one controller go into one batch; an event for several projects is listed once', () => {
    const q = new HookQueue();
    q.enqueue('default', ['b', 'a'], 'e1', 0);
    q.enqueue('default', ['c'], 'e2', 0);
    q.enqueue('default', ['a'], 'e3', 0);
    const { start } = q.take(0);
    expect(start.map((b) => ({ keys: b.keys, events: b.events }))).toEqual([{ keys: ['a', 'b', 'c'], events: ['e1', 'e3', 'e2'] }]);
  });

  it('controllers run side by side, each one batch at a time', () => {
    const q = new HookQueue();
    q.enqueue('jenkins-a', ['p1'], 'e1', 0);
    q.enqueue('jenkins-b', ['p2'], 'e2', 0);
    const { start } = q.take(0);
    expect(start.map((b) => [b.controller, b.keys])).toEqual([
      ['jenkins-a', ['p1']],
      ['jenkins-b', ['p2']],
    ]);
    q.enqueue('jenkins-a', ['p3'], 'e3', 1);
    q.enqueue('jenkins-b', ['p4'], 'e4', 1);
    q.finish(start[1]!);
    expect(q.take(1).start.map((b) => [b.controller, b.keys])).toEqual([['jenkins-b', ['p4']]]);
    expect(q.waiting('jenkins-a')).toEqual(['p3']);
    // finishing a batch that is not the running one changes nothing
    q.finish({ ...start[1]!, id: 999 });
    expect(q.take(2).start).toEqual([]);
  });

  it('settle: a batch starts once its newest event is settleMs old, or its oldest maxWaitMs', () => {
    const q = new HookQueue({ settleMs: 100, maxWaitMs: 250 });
    q.enqueue('default', ['pay'], 'e1', 0);
    expect(q.take(50)).toEqual({ start: [], wakeAt: 100 });
    q.enqueue('default', ['pay'], 'e2', 90);
    expect(q.take(100)).toEqual({ start: [], wakeAt: 190 });
    q.enqueue('default', ['pay'], 'e3', 180);
    q.enqueue('default', ['pay'], 'e4', 240);
    // a steady stream: the oldest has waited maxWaitMs at 250
    expect(q.take(249)).toEqual({ start: [], wakeAt: 250 });
    const { start } = q.take(250);
    expect(start[0]!.events).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(start[0]!.startedAt).toBe(250);
  });

  it('the definitions key coalesces like a project', () => {
    const q = new HookQueue();
    q.enqueue('default', [DEFINITIONS_KEY], 'd1', 0);
    q.enqueue('default', [DEFINITIONS_KEY, 'pay'], 'd2', 0);
    expect(q.take(0).start.map((b) => b.keys)).toEqual([[DEFINITIONS_KEY, 'pay']]);
  });
});
