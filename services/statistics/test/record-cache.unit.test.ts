import { RecordCache } from '../src/events/record-cache';
import type { RecordDoc } from '../src/store/records';

const doc = (id: string): RecordDoc => ({
  _id: id,
  gen: 2,
  slots: {},
  attrs: {},
  revision: 0,
  appliedEvents: [`e-${id}`],
});
const held = (...ids: string[]) => new Map(ids.map((id) => [id, doc(id)]));

describe('the record cache of a consumer', () => {
  it('is complete from offset 0 and goes on only with a run that continues the last', () => {
    const cache = new RecordCache();
    const first = cache.begin('p~0', 0);
    expect(first.complete).toBe(true);
    cache.commit('p~0', 9, held('a', 'b'));
    const next = cache.begin('p~0', 10);
    expect(next.complete).toBe(true);
    expect(next.get('a')?.appliedEvents).toEqual(['e-a']);
    // A gap (another consumer committed meanwhile, a dead letter): afresh, and not complete.
    cache.commit('p~0', 19, held('c'));
    const afterGap = cache.begin('p~0', 25);
    expect(afterGap.complete).toBe(false);
    expect(afterGap.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('is not complete from offset 0 a second time, nor after a failed run', () => {
    const cache = new RecordCache();
    cache.begin('p~1', 0);
    cache.commit('p~1', 4, held('a'));
    cache.drop('p~1'); // the next run failed
    const again = cache.begin('p~1', 0);
    expect(again.complete).toBe(false);
    expect(again.get('a')).toBeUndefined();
    // Other partitions are their own.
    expect(cache.begin('p~2', 0).complete).toBe(true);
  });

  it('keeps the most recently used records of all partitions up to its limit', () => {
    const cache = new RecordCache(3);
    cache.begin('p~0', 0);
    cache.begin('p~1', 0);
    cache.commit('p~0', 0, held('a', 'b'));
    cache.commit('p~1', 0, held('x'));
    cache.commit('p~0', 1, held('a')); // used again: b is now the least recently used
    cache.commit('p~1', 1, held('y'));
    expect(cache.size).toBe(3);
    const p0 = cache.begin('p~0', 2);
    expect(p0.get('b')).toBeUndefined();
    expect(p0.get('a')).toBeDefined();
    expect(p0.complete).toBe(false); // b was evicted: a record not held may exist
    const p1 = cache.begin('p~1', 2);
    expect(p1.get('x')).toBeDefined();
    expect(p1.complete).toBe(true);
  });
});
