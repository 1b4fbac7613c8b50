/**
 * A simulated build's console log and the endpoints that serve it: `consoleText` (whole log) and
 * `logText/progressiveText|progressiveHtml?start=N` (Stapler's `LargeText.doProgressText`: the log
 * from byte N, `X-Text-Size` = bytes so far, `X-More-Data: true` while the build runs; line ends
 * written as CRLF by `LineEndNormalizingWriter`).
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Ctx } from './http-kit.js';
import { oops, send } from './http-kit.js';
import type { Runtime } from './runtime.js';
import { type Build, type Item, fullNameOf } from './store.js';
import { param } from './params.js';
import { computerSegment, labelsOf, remoteFsOf } from './nodes.js';
import { escapeHtml } from './names.js';

/** Where a build of this job runs (`<remote FS or home>/workspace/<full name>`). */
export function workspaceOf(rt: Runtime, item: Item, b: Build): string {
  const node = b.builtOn === '' ? rt.nodes.builtIn : rt.nodes.agent(b.builtOn);
  const base = node && !node.builtIn ? remoteFsOf(node) : rt.store.home;
  return path.posix.join(base, 'workspace', fullNameOf(item));
}

/** The lines a finished build adds: the failed step, the publishers that ran. */
function endLines(b: Build): string[] {
  const out: string[] = [];
  if (b.result === 'FAILURE' && b.hasShell) out.push("Build step 'Execute shell' marked build as failure");
  if (b.result !== 'ABORTED' && b.result !== 'NOT_BUILT') {
    if (b.publish?.artifacts !== undefined) out.push('Archiving artifacts');
    if (b.publish?.junit !== undefined) out.push('Recording test results');
  }
  return out;
}

/** The log as Jenkins would have written it so far (`\n` line ends). */
export function buildLog(rt: Runtime, item: Item, b: Build): string {
  const lines = [b.remoteAddr !== undefined ? `Started by remote host ${b.remoteAddr}` : b.user === null ? 'Started by user unknown or anonymous' : `Started by user ${b.user}`];
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
    lines.push(`${where} in workspace ${workspaceOf(rt, item, b)}`);
  }
  lines.push(...(b.steps ?? []));
  if (b.result !== null) {
    // Run.execute on an interrupt: Messages Run.BuildAborted, then the CauseOfInterruption (UserInterruption.print)
    if (b.abortedBy !== undefined) lines.push('Build was aborted', `Aborted by ${b.abortedBy}`);
    lines.push(...endLines(b), `Finished: ${b.result}`);
  }
  return lines.join('\n') + '\n';
}

/** The log of a build: the file under the job for a finished build (it survives restarts), else as it is now. */
export async function currentLog(rt: Runtime, item: Item, b: Build): Promise<string> {
  if (b.result !== null) {
    try {
      return await fsp.readFile(path.join(rt.store.dirOf(item), 'builds', String(b.number), 'log'), 'utf8');
    } catch {
      // not written (disk full): as the stand-in knows it
    }
  }
  return buildLog(rt, item, b);
}

/** `GET job/J/N/consoleText`. */
export async function consoleText(rt: Runtime, ctx: Ctx, item: Item, b: Build): Promise<void> {
  send(ctx, 200, { 'Content-Type': 'text/plain;charset=utf-8' }, await currentLog(rt, item, b));
}

/** `GET|POST job/J/N/logText/progressiveText|progressiveHtml?start=N`. */
export async function progressiveLog(rt: Runtime, ctx: Ctx, item: Item, b: Build, html: boolean): Promise<void> {
  const log = Buffer.from(await currentLog(rt, item, b), 'utf8');
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
