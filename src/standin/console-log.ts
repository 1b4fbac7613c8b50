/**
 * A simulated build's console log and the endpoints that serve it: `consoleText` (whole log) and
 * `logText/progressiveText|progressiveHtml?start=N` (Stapler's `LargeText.doProgressText`: the log
 * from byte N, `X-Text-Size` = bytes so far, `X-More-Data: true` while the build runs; line ends
 * written as CRLF by `LineEndNormalizingWriter`).
 */
import path from 'node:path';
import type { Ctx } from './http-kit.js';
import { oops, send } from './http-kit.js';
import type { Runtime } from './runtime.js';
import { type Build, type Item, fullNameOf } from './store.js';
import { param } from './params.js';
import { computerSegment, labelsOf, remoteFsOf } from './nodes.js';
import { escapeHtml } from './names.js';

/** The log as Jenkins would have written it so far (`\n` line ends). */
export function buildLog(rt: Runtime, item: Item, b: Build): string {
  const lines = [b.user === null ? 'Started by user unknown or anonymous' : `Started by user ${b.user}`];
  if (item.type.abstractProject) {
    const agents = rt.nodes.agentList();
    const node = b.builtOn === '' ? rt.nodes.builtIn : rt.nodes.agent(b.builtOn);
    let where = 'Building';
    if (agents.length > 0 && node) {
      if (node.builtIn) where = 'Building on the built-in node';
      else {
        const labels = [...labelsOf(node)].filter((l) => l !== node.name);
        where = `Building remotely on ${computerSegment(node)}${labels.length > 0 ? ` (${labels.join(' ')})` : ''}`;
      }
    }
    const base = node && !node.builtIn ? remoteFsOf(node) : rt.store.home;
    lines.push(`${where} in workspace ${path.posix.join(base, 'workspace', fullNameOf(item))}`);
  }
  if (b.result !== null) lines.push(`Finished: ${b.result}`);
  return lines.join('\n') + '\n';
}

/** `GET job/J/N/consoleText`. */
export function consoleText(rt: Runtime, ctx: Ctx, item: Item, b: Build): void {
  send(ctx, 200, { 'Content-Type': 'text/plain;charset=utf-8' }, buildLog(rt, item, b));
}

/** `GET|POST job/J/N/logText/progressiveText|progressiveHtml?start=N`. */
export function progressiveLog(rt: Runtime, ctx: Ctx, item: Item, b: Build, html: boolean): void {
  const log = Buffer.from(buildLog(rt, item, b), 'utf8');
  const raw = param(ctx, 'start');
  let start = 0;
  if (raw !== null) {
    if (!/^[-+]?\d+$/.test(raw)) return oops(ctx, `java.lang.NumberFormatException: For input string: "${raw}"`);
    start = Number(raw);
    if (start < 0) return oops(ctx, `java.io.EOFException: Attempted to read from ${start} but skipped 0 bytes`);
  }
  if (start > log.length) start = 0; // text rolled over
  const text = log.subarray(start).toString('utf8').replace(/(?<!\r)\n/g, '\r\n');
  const headers: Record<string, string> = {
    'Content-Type': html ? 'text/html;charset=UTF-8' : 'text/plain;charset=UTF-8',
    'X-Text-Size': String(log.length),
  };
  if (b.result === null) headers['X-More-Data'] = 'true';
  send(ctx, 200, headers, html ? escapeHtml(text) : text);
}
