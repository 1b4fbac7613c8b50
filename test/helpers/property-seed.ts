import fc from 'fast-check';

/**
 * Differential and property tests run with a fresh seed each time (so every run checks new cases);
 * `JOBSMITH_SEED=<n>` replays one. A failure names the seed and the command line that replays it.
 */
export function propertySeed(): number {
  const fixed = process.env.JOBSMITH_SEED;
  if (fixed !== undefined && fixed !== '') {
    const n = Number(fixed);
    if (!Number.isSafeInteger(n)) throw new Error(`JOBSMITH_SEED must be an integer, got ${JSON.stringify(fixed)}`);
    return n;
  }
  return (Math.random() * 0x7fffffff) | 0;
}

export function replayHint(seed: number): string {
  return `seed ${seed} (replay: JOBSMITH_SEED=${seed} npx vitest run <this test file>)`;
}

/** `fc.assert` with a fresh (or replayed) seed; the seed is in the error and in `onSeed`'s hands for later checks. */
export function assertWithSeed<Ts>(property: fc.IProperty<Ts>, params: { numRuns: number }): number {
  const seed = propertySeed();
  try {
    fc.assert(property, { ...params, seed });
  } catch (err) {
    const e = err as Error;
    e.message = `${replayHint(seed)}\n${e.message}`;
    throw e;
  }
  return seed;
}
