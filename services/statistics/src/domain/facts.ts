// A fact is what one business record (an intake, a vehicle, a pickup, an invoice...) contributes to
// the statistics: a metric, a month, the dimensions it can be broken down by, and numeric fields.
// Each record's current facts are kept; a new event restates them, and the counters move by the
// difference. Corrections, voids and reversals are therefore just restatements.

export type Fields = Record<string, number>;

export interface Fact {
  metric: string;
  month: string;
  /** Breakdown values, e.g. { district: 't01', category: 'refrigerator' }. */
  dims: Record<string, string>;
  fields: Fields;
}

/** A counter is a (metric, month, dimension, value) cell; dim 'all' holds the metric's total. */
export interface CounterKey {
  metric: string;
  month: string;
  dim: string;
  value: string;
}

export const ALL = 'all';

export const counterKeyString = (k: CounterKey): string => `${k.metric}|${k.month}|${k.dim}|${k.value}`;

export const parseCounterKey = (s: string): CounterKey => {
  const [metric = '', month = '', dim = '', value = ''] = s.split('|');
  return { metric, month, dim, value };
};

const addInto = (target: Map<string, Fields>, key: string, fields: Fields, sign: 1 | -1): void => {
  const row = target.get(key) ?? {};
  for (const [name, v] of Object.entries(fields)) row[name] = (row[name] ?? 0) + sign * v;
  target.set(key, row);
};

/** The counter cells a set of facts adds to: the total and one cell per dimension. */
export function expandFacts(facts: readonly Fact[], sign: 1 | -1 = 1): Map<string, Fields> {
  const cells = new Map<string, Fields>();
  for (const f of facts) {
    addInto(
      cells,
      counterKeyString({ metric: f.metric, month: f.month, dim: ALL, value: ALL }),
      f.fields,
      sign,
    );
    for (const [dim, value] of Object.entries(f.dims)) {
      addInto(cells, counterKeyString({ metric: f.metric, month: f.month, dim, value }), f.fields, sign);
    }
  }
  return cells;
}

/** What the counters must change by when a record's facts go from `before` to `after`; zeros dropped. */
export function factDelta(before: readonly Fact[], after: readonly Fact[]): Map<string, Fields> {
  const delta = expandFacts(after, 1);
  for (const [key, fields] of expandFacts(before, -1)) addInto(delta, key, fields, 1);
  for (const [key, fields] of delta) {
    for (const [name, v] of Object.entries(fields)) if (v === 0) delete fields[name];
    if (Object.keys(fields).length === 0) delta.delete(key);
  }
  return delta;
}
