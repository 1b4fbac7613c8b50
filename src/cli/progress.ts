/**
 * Progress of an apply: a redrawn bar on a terminal, plain lines in CI logs (one per change
 * made, failures marked), nothing with --json (the JSON result says it all).
 */
import type { ApplyEvent } from '../apply/apply-events.js';
import type { Change } from '../model/plan.js';

export type ProgressMode = 'bar' | 'lines' | 'off';

export function progressMode(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv, json: boolean): ProgressMode {
  if (json) return 'off';
  if (stream.isTTY && !env.CI && env.TERM !== 'dumb') return 'bar';
  return 'lines';
}

const PAST: Record<string, string> = {
  create: 'created',
  move: 'moved',
  update: 'updated',
  adopt: 'adopted',
  replace: 'replaced',
  enable: 'enabled',
  disable: 'disabled',
  delete: 'deleted',
};

export function describeStep(c: Change): string {
  const what = c.target === 'job' ? 'job' : c.target;
  return c.kind === 'move' && c.from !== undefined ? `${what} ${c.from} -> ${c.fullName}` : `${what} ${c.fullName}`;
}

export function progressReporter(mode: ProgressMode, out: { write(s: string): unknown }, columns = 80): (e: ApplyEvent) => void {
  if (mode === 'off') return () => {};
  if (mode === 'lines') {
    // Lines are batched (flushed every 200 ms and at the end): 10,000 creates are 10,000 lines.
    let pending = '';
    let lastFlush = Date.now();
    const flush = () => {
      if (pending) out.write(pending);
      pending = '';
      lastFlush = Date.now();
    };
    return (e) => {
      if (e.type === 'step') {
        const verb = PAST[e.change.kind] ?? e.change.kind;
        pending += e.ok ? `${verb} ${describeStep(e.change)}\n` : e.error === 'skipped' ? `SKIPPED ${e.change.kind} ${describeStep(e.change)}\n` : `FAILED ${e.change.kind} ${describeStep(e.change)}: ${e.error}\n`;
        if (Date.now() - lastFlush > 200 || pending.length > 65_536) flush();
      } else if (e.type === 'phase') {
        flush();
      } else if (e.type === 'end') {
        if (e.succeeded + e.failed + e.skipped > 0) pending += `applied: ${e.succeeded} done, ${e.failed} failed, ${e.skipped} skipped\n`;
        flush();
      }
    };
  }
  let last = 0;
  let total = 0;
  const draw = (done: number, label: string) => {
    const width = Math.max(10, Math.min(40, columns - 40));
    const filled = total ? Math.round((done / total) * width) : width;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`;
    out.write(`\r${line.slice(0, columns - 1).padEnd(Math.min(columns - 1, line.length + 10))}`);
  };
  return (e) => {
    if (e.type === 'start') {
      total = e.total;
      if (total > 0) draw(0, '');
    } else if (e.type === 'step') {
      if (!e.ok) {
        out.write(e.error === 'skipped' ? `\r\x1b[KSKIPPED ${e.change.kind} ${describeStep(e.change)}\n` : `\r\x1b[KFAILED ${e.change.kind} ${describeStep(e.change)}: ${e.error}\n`);
      }
      const now = Date.now();
      if (now - last > 80 || e.done === e.total) {
        last = now;
        draw(e.done, describeStep(e.change));
      }
    } else if (e.type === 'end') {
      if (total === 0) return;
      out.write(`\r\x1b[K`);
      out.write(`applied: ${e.succeeded} done, ${e.failed} failed, ${e.skipped} skipped\n`);
    }
  };
}
