/**
 * The examples in README.md and docs/*.md are tests. The convention (also in docs/README.md):
 *
 * - A fenced block with the info string `console` is a runnable example. Lines starting with `$ `
 *   are commands, run by `/bin/sh` in a temporary copy of the repository (templates, definitions,
 *   package.json, docs/examples; a git repository with one commit), with `jobsmith` (and
 *   `npx jobsmith`) running the built CLI. A command continues onto the next line after a trailing
 *   `\`, and through a here-document (`<<'EOF'` ... `EOF`).
 * - The lines after a command, up to the next `$ `, are its expected output (stdout and stderr
 *   together, as a terminal shows them). They must appear in that order as consecutive lines;
 *   a line `…` (or `...`) stands for any number of lines, a `…` inside a line for any text. Runs of
 *   spaces and tabs compare equal. `[exit N]` says the command exits with N (otherwise 0).
 * - A command ending in ` &` runs in the background: its expected lines are waited for, and at the
 *   end of the block it gets SIGINT and must exit 0.
 * - Blocks of one page run in order in the same copy, so a page can build on its earlier examples.
 *   The port `8080` in a block is replaced by a free port.
 * - A ```ts block is type-checked against the built library and run with Node; it must exit 0.
 *   A block right after it preceded by `<!-- test: output -->` holds its expected output (matched
 *   like a command's).
 * - Every other shell block (`sh`, `bash`, `shell`) must be preceded by
 *   `<!-- test: skip REASON -->` (a real Jenkins, a browser, a synopsis with placeholders, ...).
 *   The marker also skips a `console` block. Every marker is listed in the test output.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface DocBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  body: string[];
  /** The reason given by `<!-- test: skip REASON -->` right before the block. */
  skip?: string;
  /** `<!-- test: output -->` right before the block: the expected output of the example above it. */
  output?: boolean;
}

export interface Step {
  /** The shell text (without `$ `), continuation lines and here-documents included. */
  command: string;
  background: boolean;
  expected: string[];
  exit: number;
  /** 1-based line in the page. */
  line: number;
}

export const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console', 'shell-session', 'zsh']);

/** The fenced blocks of a markdown text, with the skip marker that precedes each. */
export function parseBlocks(file: string, text: string): DocBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: DocBlock[] = [];
  let open: { fence: string; indent: number; block: DocBlock } | undefined;
  let lastNonBlank = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (open) {
      const close = /^(\s*)(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[2]!.startsWith(open.fence)) {
        blocks.push(open.block);
        open = undefined;
        lastNonBlank = '```';
        continue;
      }
      open.block.body.push(line.slice(Math.min(open.indent, line.length - line.trimStart().length)));
      continue;
    }
    const start = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (start) {
      const marker = /^<!--\s*test:\s*skip\b\s*(.*?)\s*-->$/.exec(lastNonBlank.trim());
      const block: DocBlock = { file, line: i + 1, lang: start[3] ?? '', body: [] };
      if (marker) block.skip = marker[1] ?? '';
      if (/^<!--\s*test:\s*output\s*-->$/.test(lastNonBlank.trim())) block.output = true;
      open = { fence: start[2]!, indent: start[1]!.length, block };
      continue;
    }
    if (line.trim() !== '') lastNonBlank = line;
  }
  if (open) throw new Error(`${file}:${open.block.line}: the code block is never closed`);
  return blocks;
}

/** The steps of a `console` block; throws (naming file:line) when the block breaks the convention. */
export function parseSteps(block: DocBlock): Step[] {
  const steps: Step[] = [];
  const body = block.body;
  for (let i = 0; i < body.length; i++) {
    const line = body[i]!;
    const lineNo = block.line + 1 + i;
    if (line.startsWith('$ ')) {
      let command = line.slice(2);
      const startLine = lineNo;
      // continuation lines
      while (command.endsWith('\\') && i + 1 < body.length) command += '\n' + body[++i];
      // here-document
      const heredoc = /<<(-?)\s*(['"]?)([A-Za-z_]\w*)\2/.exec(command);
      if (heredoc) {
        const word = heredoc[3]!;
        let closed = false;
        while (i + 1 < body.length) {
          const next = body[++i]!;
          command += '\n' + next;
          if ((heredoc[1] ? next.trim() : next) === word) {
            closed = true;
            break;
          }
        }
        if (!closed) throw new Error(`${block.file}:${startLine}: the here-document ${word} is never closed`);
      }
      let background = false;
      const trimmed = command.trimEnd();
      if (/[^&]&$/.test(trimmed)) {
        background = true;
        command = trimmed.slice(0, -1).trimEnd();
      }
      steps.push({ command, background, expected: [], exit: 0, line: startLine });
      continue;
    }
    const step = steps[steps.length - 1];
    if (!step) {
      if (line.trim() === '') continue;
      throw new Error(`${block.file}:${lineNo}: a console block must start with a "$ " command line (got ${JSON.stringify(line)})`);
    }
    const exit = /^\[exit (\d+)\]$/.exec(line.trim());
    if (exit) step.exit = Number(exit[1]);
    else step.expected.push(line);
  }
  if (steps.length === 0) throw new Error(`${block.file}:${block.line}: a console block without a "$ " command`);
  for (const s of steps) while (s.expected.length > 0 && s.expected[s.expected.length - 1]!.trim() === '') s.expected.pop();
  return steps;
}

const norm = (s: string): string => s.replace(/[ \t]+/g, ' ').trim();
const isGap = (s: string): boolean => s.trim() === '…' || s.trim() === '...';

function lineMatches(expected: string, actual: string): boolean {
  const e = norm(expected);
  if (!e.includes('…')) return e === norm(actual);
  const re = new RegExp('^' + e.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(norm(actual));
}

/**
 * Whether the expected lines appear in the output: consecutive groups (separated by `…` lines)
 * in order, each group as consecutive lines. Returns undefined on a match, else the first group
 * that could not be found.
 */
export function findMismatch(expected: readonly string[], output: string): string[] | undefined {
  const actual = output.replace(/\r\n/g, '\n').split('\n');
  const groups: string[][] = [[]];
  for (const e of expected) {
    if (isGap(e)) groups.push([]);
    else groups[groups.length - 1]!.push(e);
  }
  let from = 0;
  for (const group of groups) {
    if (group.length === 0) continue;
    let found = -1;
    for (let i = from; i + group.length <= actual.length; i++) {
      if (group.every((e, k) => lineMatches(e, actual[i + k]!))) {
        found = i;
        break;
      }
    }
    if (found < 0) return group;
    from = found + group.length;
  }
  return undefined;
}

/** README.md and every markdown page under docs/ (sorted), relative to the repository root. */
export function docPages(repoRoot: string): string[] {
  const pages = ['README.md'];
  const walk = (dir: string): void => {
    for (const e of readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.md')) pages.push(rel);
    }
  };
  walk('docs');
  return pages;
}

export function readBlocks(repoRoot: string, page: string): DocBlock[] {
  return parseBlocks(page, readFileSync(path.join(repoRoot, page), 'utf8'));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a markdown text (headings outside code blocks; repeated ones get -1, -2, ...). */
export function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fence = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) fence = !fence;
    if (fence) continue;
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = headingSlug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Relative links `[text](target)` of a markdown text outside code blocks, with their lines. */
export function relativeLinks(text: string): Array<{ line: number; target: string }> {
  const out: Array<{ line: number; target: string }> = [];
  let fence = false;
  text.split(/\r?\n/).forEach((line, i) => {
    if (/^\s*(`{3,}|~{3,})/.test(line)) fence = !fence;
    if (fence) return;
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) out.push({ line: i + 1, target });
    }
  });
  return out;
}
