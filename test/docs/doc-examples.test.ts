import { afterAll, describe, expect, it } from 'vitest';
import { findMismatch, parseBlocks, parseSteps } from './doc-examples.js';
import { cleanUpExamples, makeWorkspace, runBlock, runTsExample, typecheckExamples } from './run-doc-example.js';

// The documentation-examples convention itself: parsing, matching, and that a wrong example fails.

afterAll(cleanUpExamples);

const page = [
  '# Title',
  '',
  '<!-- test: skip needs a real Jenkins -->',
  '```sh',
  'jobsmith sync',
  '```',
  '',
  '```console',
  '$ jobsmith validate \\',
  '    --json',
  '{"ok":true}',
  '$ cat > x.yaml <<\'EOF\'',
  'a: 1',
  '$ not a command',
  'EOF',
  '$ jobsmith standin --home h --port 8080 &',
  'listening on http://127.0.0.1:8080',
  '$ false',
  '[exit 1]',
  '```',
  '',
  '   ```yaml',
  '   a: b',
  '   ```',
].join('\n');

describe('parseBlocks / parseSteps', () => {
  const blocks = parseBlocks('page.md', page);

  it('finds every fenced block with its language, line and skip marker', () => {
    expect(blocks.map((b) => [b.lang, b.line, b.skip])).toEqual([
      ['sh', 4, 'needs a real Jenkins'],
      ['console', 8, undefined],
      ['yaml', 22, undefined],
    ]);
    expect(blocks[2]!.body).toEqual(['a: b']);
  });

  it('splits a console block into commands, expected lines and exit codes', () => {
    const steps = parseSteps(blocks[1]!);
    expect(steps.map((s) => [s.line, s.command, s.background, s.expected, s.exit])).toEqual([
      [9, 'jobsmith validate \\\n    --json', false, ['{"ok":true}'], 0],
      [12, "cat > x.yaml <<'EOF'\na: 1\n$ not a command\nEOF", false, [], 0],
      [16, 'jobsmith standin --home h --port 8080', true, ['listening on http://127.0.0.1:8080'], 0],
      [18, 'false', false, [], 1],
    ]);
  });

  it('refuses a console block that does not start with a command, and an unclosed here-document', () => {
    expect(() => parseSteps({ file: 'p.md', line: 3, lang: 'console', body: ['output first'] })).toThrow('p.md:4: a console block must start with a "$ " command line');
    expect(() => parseSteps({ file: 'p.md', line: 3, lang: 'console', body: ["$ cat <<'EOF'", 'x'] })).toThrow('p.md:4: the here-document EOF is never closed');
    expect(() => parseBlocks('p.md', '```console\n$ x\n')).toThrow('p.md:1: the code block is never closed');
  });
});

describe('findMismatch', () => {
  const out = 'header\nPlan: 3 to create\n\nApplied 3 change(s).\nfooter\n';

  it('accepts consecutive lines anywhere, gaps marked …, text wildcards inside a line and any spacing', () => {
    expect(findMismatch(['Plan: 3 to create', '', 'Applied 3 change(s).'], out)).toBeUndefined();
    expect(findMismatch(['header', '…', 'footer'], out)).toBeUndefined();
    expect(findMismatch(['Plan:   3 to …'], out)).toBeUndefined();
    expect(findMismatch([], out)).toBeUndefined();
  });

  it('rejects a changed line, a wrong order and lines that are not consecutive', () => {
    expect(findMismatch(['Plan: 4 to create'], out)).toEqual(['Plan: 4 to create']);
    expect(findMismatch(['footer', '…', 'header'], out)).toEqual(['header']);
    expect(findMismatch(['header', 'Applied 3 change(s).'], out)).toEqual(['header', 'Applied 3 change(s).']);
    expect(findMismatch(['Plan: 3 to create.'], out)).toEqual(['Plan: 3 to create.']);
  });
});

describe('runBlock against the built CLI', () => {
  const block = (body: string[]) => ({ file: 'fake.md', line: 1, lang: 'console', body });

  it('passes a true example, carrying export and cd to the next command', async () => {
    const session = makeWorkspace();
    const n = await runBlock(block(['$ export GREETING=hello && mkdir -p sub && cd sub', '$ echo "$GREETING from $(basename "$PWD")"', 'hello from sub', '$ cd .. && jobsmith validate', '[exit 0]']), session);
    expect(n).toBe(3);
  });

  it('fails an example whose output or exit code is not what the page says', async () => {
    const session = makeWorkspace();
    await expect(runBlock(block(['$ jobsmith list', 'payments-CI-build-trunk  CI-build-trunk  billing']), session)).rejects.toThrow('fake.md:2: $ jobsmith list');
    await expect(runBlock(block(['$ jobsmith show no-such-job']), session)).rejects.toThrow(/exit code 1 \(expected 0\)/);
    await expect(runBlock(block(['$ jobsmith standin --home h --port 8080 &', 'listening on http://example.invalid']), session)).rejects.toThrow(/listening on http:\/\/example.invalid/);
  }, 90_000);
});

describe('TypeScript examples', () => {
  const ts = (line: number, body: string[]) => ({ file: 'fake.md', line, lang: 'ts', body });

  it('a type error or an unknown export of the library is reported at its line in the page', async () => {
    const session = makeWorkspace();
    const errors = await typecheckExamples(
      [
        ts(10, ["import { loadWorkspace } from 'jobsmith';", "const r = await loadWorkspace({ templatesDir: 'job-templates', jobsDir: 'jobs' });", 'console.log(r.workspace.length);']),
        ts(20, ["import { noSuchExport } from 'jobsmith';", 'noSuchExport();']),
        ts(30, ["import { hasErrors } from 'jobsmith';", 'console.log(hasErrors([]));']),
      ],
      session.stateDir,
    );
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^fake\.md:13: Property 'length' does not exist on type 'Workspace'/);
    expect(errors[1]).toMatch(/^fake\.md:21: Module '"jobsmith"' has no exported member 'noSuchExport'/);
  }, 120_000);

  it('an example that throws fails with its page and line', async () => {
    const session = makeWorkspace();
    await expect(runTsExample(ts(40, ["throw new Error('boom');"]), session.stateDir, session.cwd, session.env)).rejects.toThrow(/fake\.md:40: the TypeScript example exited with 1[\s\S]*boom/);
    expect(await runTsExample(ts(50, ["import { hasErrors } from 'jobsmith';", 'console.log(hasErrors([]));']), session.stateDir, session.cwd, session.env)).toBe('false\n');
  }, 60_000);
});

describe('links', () => {
  it('computes the anchors GitHub gives headings, and finds relative links outside code', async () => {
    const { anchorsOf, relativeLinks } = await import('./doc-examples.js');
    const text = ['# The web form: `jobsmith serve`', '## Inside Jenkins: `jobsmith bootstrap`', '## Notes', '## Notes', '```sh', '# not a heading', '```', 'See [a](docs/a.md#x), [b](https://x.example/) and `[c](d.md)`.'].join('\n');
    expect([...anchorsOf(text)]).toEqual(['the-web-form-jobsmith-serve', 'inside-jenkins-jobsmith-bootstrap', 'notes', 'notes-1']);
    expect(relativeLinks(text)).toEqual([{ line: 8, target: 'docs/a.md#x' }]);
  });
});
