import { describe, expect, it } from 'vitest';
import { printable, printableLines } from '../../src/cli/printable.js';

describe('text from Jenkins made safe for a terminal', () => {
  it('names: every control character is shown escaped, the rest unchanged', () => {
    expect(printable('team/ünï job')).toBe('team/ünï job');
    expect(printable('a\u001b]0;pwned\u0007b')).toBe('a\\u001b]0;pwned\\u0007b');
    expect(printable('x\ny\rz\u009bq\u202ertl')).toBe('x\\u000ay\\u000dz\\u009bq\\u202ertl');
  });
  it('logs: lines and tabs stay, escape sequences and carriage returns do not', () => {
    expect(printableLines('a\tb\r\nc\n\u001b[31mred\u001b[0m\rover')).toBe('a\tb\nc\n\\u001b[31mred\\u001b[0m\\u000dover');
  });
});
