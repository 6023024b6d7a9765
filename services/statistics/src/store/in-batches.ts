// Runs an async step over a list with at most `inFlight` steps pending at a time: separate store
// commands for many documents, without flooding the connection pool.

export async function inBatches<T>(
  items: readonly T[],
  inFlight: number,
  step: (item: T) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += inFlight) {
    await Promise.all(items.slice(i, i + inFlight).map(step));
  }
}
