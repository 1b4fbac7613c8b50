import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { cliPath, repoRoot } from '../helpers/cli.js';
import { SHELL_LANGS, docPages, readBlocks, type DocBlock } from './doc-examples.js';
import { cleanUpExamples, makeWorkspace, runBlock, type Session } from './run-doc-example.js';

// Runs every `console` example of README.md and docs/*.md as whole processes of the built CLI
// (see doc-examples.ts for the convention), in a temporary copy of the shipped examples.

const pages = docPages(repoRoot);
const allBlocks = pages.flatMap((p) => readBlocks(repoRoot, p)).filter((b) => SHELL_LANGS.has(b.lang));
const runnable = allBlocks.filter((b) => b.lang === 'console' && b.skip === undefined);
const skipped = allBlocks.filter((b) => b.skip !== undefined);
const unmarked = allBlocks.filter((b) => b.lang !== 'console' && b.skip === undefined);

afterAll(cleanUpExamples);

describe(`documentation examples: ${runnable.length} run, ${skipped.length} skipped by design`, () => {
  it('every shell block is runnable (```console) or marked <!-- test: skip REASON --> with a reason', () => {
    expect(unmarked.map((b) => `${b.file}:${b.line} (${b.lang})`)).toEqual([]);
    expect(skipped.filter((b) => b.skip!.trim().length < 8).map((b) => `${b.file}:${b.line}`)).toEqual([]);
    expect(existsSync(cliPath)).toBe(true);
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
});
