// Compares two sets of summed counter cells (the active rollups and a rebuild from the topics, or
// the rollups and counts an owner reports) and lists every cell and field that differs.
import { parseCounterKey, type Fields } from './facts';

export interface Difference {
  metric: string;
  month: string;
  dim: string;
  value: string;
  field: string;
  expected: number;
  actual: number;
}

/** `expected` is the reference (the rebuild, or the owner's figures); zero and absent are equal. */
export function compareCells(
  expected: ReadonlyMap<string, Fields>,
  actual: ReadonlyMap<string, Fields>,
): Difference[] {
  const out: Difference[] = [];
  const keys = new Set([...expected.keys(), ...actual.keys()]);
  for (const key of [...keys].sort()) {
    const e = expected.get(key) ?? {};
    const a = actual.get(key) ?? {};
    for (const field of [...new Set([...Object.keys(e), ...Object.keys(a)])].sort()) {
      const ev = e[field] ?? 0;
      const av = a[field] ?? 0;
      if (ev !== av) out.push({ ...parseCounterKey(key), field, expected: ev, actual: av });
    }
  }
  return out;
}
