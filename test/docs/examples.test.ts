import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { cliPath, repoRoot } from '../helpers/cli.js';
import { SHELL_LANGS, anchorsOf, docPages, findMismatch, readBlocks, relativeLinks, type DocBlock } from './doc-examples.js';
import { TS_LANGS, cleanUpExamples, makeWorkspace, runBlock, runTsExample, typecheckExamples, type Session } from './run-doc-example.js';

// Runs every `console` example of README.md and docs/*.md as whole processes of the built CLI
// (see doc-examples.ts for the convention), in a temporary copy of the shipped examples.

const pages = docPages(repoRoot);
const everyBlock = pages.flatMap((p) => readBlocks(repoRoot, p));
const allBlocks = everyBlock.filter((b) => SHELL_LANGS.has(b.lang));
const tsBlocks = everyBlock.filter((b) => TS_LANGS.has(b.lang) && b.skip === undefined);
/** The `<!-- test: output -->` block right after a TypeScript example. */
const outputOf = (b: DocBlock): DocBlock | undefined => {
  const next = everyBlock[everyBlock.indexOf(b) + 1];
  return next && next.file === b.file && next.output ? next : undefined;
};
const strayOutputs = everyBlock.filter((b) => b.output && !tsBlocks.some((t) => outputOf(t) === b));
const runnable = allBlocks.filter((b) => b.lang === 'console' && b.skip === undefined);
const skipped = allBlocks.filter((b) => b.skip !== undefined);
const unmarked = allBlocks.filter((b) => b.lang !== 'console' && b.skip === undefined);

afterAll(cleanUpExamples);

describe(`documentation examples: ${runnable.length} shell and ${tsBlocks.length} TypeScript examples run, ${skipped.length} skipped by design`, () => {
  it('every shell block is runnable (```console) or marked <!-- test: skip REASON --> with a reason', () => {
    expect(unmarked.map((b) => `${b.file}:${b.line} (${b.lang})`)).toEqual([]);
    expect(skipped.filter((b) => b.skip!.trim().length < 8).map((b) => `${b.file}:${b.line}`)).toEqual([]);
    expect(existsSync(cliPath)).toBe(true);
    expect(strayOutputs.map((b) => `${b.file}:${b.line}: <!-- test: output --> must follow a TypeScript example`)).toEqual([]);
  });

  it(`every relative link of the ${pages.length} pages points at a file (and heading) that exists`, () => {
    const broken: string[] = [];
    let count = 0;
    for (const page of pages) {
      for (const { line, target } of relativeLinks(readFileSync(path.join(repoRoot, page), 'utf8'))) {
        count++;
        const [file, anchor] = target.split('#') as [string, string | undefined];
        const resolved = file === '' ? path.join(repoRoot, page) : path.resolve(repoRoot, path.dirname(page), file);
        if (!existsSync(resolved)) broken.push(`${page}:${line}: ${target}: no such file`);
        else if (anchor && statSync(resolved).isFile() && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) broken.push(`${page}:${line}: ${target}: no such heading`);
      }
    }
    expect(broken).toEqual([]);
    expect(count).toBeGreaterThan(20);
  });

  for (const block of skipped) {
    it(`skipped by design: ${block.file}:${block.line}: ${block.skip}`, () => {
      // Not run: listed here so every marker shows in the count. A skipped block still has to be
      // a real shell example (non-empty).
      expect(block.body.some((l) => l.trim() !== '')).toBe(true);
    });
  }

  const byPage = new Map<string, DocBlock[]>();
  for (const b of runnable) byPage.set(b.file, [...(byPage.get(b.file) ?? []), b]);
  for (const [page, blocks] of byPage) {
    describe(page, () => {
      let session: Session;
      beforeAll(() => {
        session = makeWorkspace();
      });
      for (const block of blocks) {
        it(`${page}:${block.line}`, async () => {
          const n = await runBlock(block, session);
          expect(n).toBeGreaterThan(0);
        }, 240_000);
      }
    });
  }

  describe('TypeScript examples (type-checked against the built library, then run)', () => {
    let session: Session;
    beforeAll(() => {
      session = makeWorkspace();
    });
    it(`type-check: ${tsBlocks.map((b) => `${b.file}:${b.line}`).join(', ')}`, async () => {
      expect(tsBlocks.length).toBeGreaterThan(0);
      expect(await typecheckExamples(tsBlocks, session.stateDir)).toEqual([]);
    }, 120_000);
    for (const block of tsBlocks) {
      it(`run: ${block.file}:${block.line}`, async () => {
        const output = await runTsExample(block, session.stateDir, session.cwd, session.env);
        const expected = outputOf(block);
        if (expected) expect(findMismatch(expected.body, output), `${expected.file}:${expected.line}: not in the output:\n${output}`).toBeUndefined();
        else expect(typeof output).toBe('string');
      }, 90_000);
    }
  });
});
