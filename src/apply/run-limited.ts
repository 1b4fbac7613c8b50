/** Run `work` over `items` with at most `limit` in flight; resolves when all have settled. */
export async function runLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const n = Math.max(1, Math.min(limit, items.length));
  const lanes: Promise<void>[] = [];
  for (let l = 0; l < n; l++) {
    lanes.push(
      (async () => {
        while (next < items.length) {
          const i = next++;
          await work(items[i]!, i);
        }
      })(),
    );
  }
  await Promise.all(lanes);
}
