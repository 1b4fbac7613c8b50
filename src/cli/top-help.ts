/**
 * `jobsmith --help` without loading yargs or any command: the usage line and every command's
 * usage and description (from src/cli/commands.ts, their one home), word-wrapped.
 */
import { COMMANDS } from './commands.js';

export const USAGE = '$0 <command> [options]';
export const DESCRIPTION = 'Generate Jenkins jobs from templates and keep Jenkins in step with git';

/** Split `text` into lines of at most `width` characters, at spaces (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

export function topLevelHelp(columns: number, name = 'jobsmith'): string {
  const width = Math.max(60, Math.min(110, columns));
  const rows = Object.values(COMMANDS).map((c) => [`${name} ${c.usage}`, c.describe] as const);
  const left = Math.max(...rows.map(([u]) => u.length)) + 2;
  const table = (entries: ReadonlyArray<readonly [string, string]>, pad: number): string =>
    entries
      .map(([u, d]) => {
        const text = wrap(d, Math.max(20, width - 2 - pad));
        return text.map((l, i) => `  ${(i === 0 ? u : '').padEnd(pad)}${l}`).join('\n');
      })
      .join('\n');
  return [
    USAGE.replace('$0', name),
    '',
    DESCRIPTION,
    '',
    'Commands:',
    table(rows, left),
    '',
    'Options:',
    table(
      [
        ['-h, --help', 'Show help'],
        ['    --version', 'Show version number'],
      ],
      15,
    ),
    '',
    ...wrap(`Run \`${name} <command> --help\` for the options of a command.`, width),
    '',
  ].join('\n');
}
