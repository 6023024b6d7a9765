import { DomainError } from '@recycling/contracts';
import { dropTestDatabase, openTestDatabase, uniqueName } from '@recycling/testkit';
import { Schema, type Connection } from 'mongoose';
import {
  AggregateRepository,
  DocumentLocks,
  GroupedEdits,
  NumberSequences,
  claim,
  insertManyOnce,
  insertOnce,
  type OutboxFields,
  type OutboxPort,
} from '../src';

let db: Connection;
let other: Connection;

beforeAll(async () => {
  db = await openTestDatabase('store-rules');
  // A second connection to the same database stands for a second replica of the service.
  other = db.useDb(db.name, { useCache: false });
});

afterAll(() => dropTestDatabase(db));

describe('numbered sequences', () => {
  it('hands out consecutive numbers, once each, to concurrent allocators on two replicas', async () => {
    const name = uniqueName('seq');
    const replicas = [new NumberSequences(db), new NumberSequences(other)];
    const numbers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => replicas[i % 2]!.next(name, `holder-${i}`)),
    );
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });

  it('answers a holder the numbers it already holds, whatever it asks for the second time', async () => {
    const sequences = new NumberSequences(db);
    const name = uniqueName('seq');
    const first = await sequences.take(name, 'batch-1', 5);
    expect(first).toEqual({ first: 1, last: 5 });
    expect(await sequences.take(name, 'batch-1', 2)).toEqual(first);
    expect(await sequences.take(name, 'batch-2', 2)).toEqual({ first: 6, last: 7 });
    expect(await sequences.next(name, 'one')).toBe(8);
  });

  it('walks past claims a stale head does not know of, and explains every number', async () => {
    const name = uniqueName('seq');
    const sequences = new NumberSequences(db);
    await sequences.take(name, 'a', 3);
    // A head that lags (its $max is not atomic on FerretDB): the walk finds the free start anyway.
    await db.collection('sequence_numbers_heads').updateOne({ _id: name as never }, { $set: { last: 0 } });
    expect(await sequences.take(name, 'b', 2)).toEqual({ first: 4, last: 5 });
    const claims = await sequences.explain(name);
    expect(claims.map((c) => [c.holder, c.first, c.last])).toEqual([
      ['a', 1, 3],
      ['b', 4, 5],
    ]);
  });

  it('keeps sequences apart and refuses names that would break the keys', async () => {
    const sequences = new NumberSequences(db);
    const [a, b] = [uniqueName('seq-a'), uniqueName('seq-b')];
    expect(await sequences.next(a, 'x')).toBe(1);
    expect(await sequences.next(b, 'x')).toBe(1);
    await expect(sequences.next('bad#name', 'x')).rejects.toThrow(/# or @/);
  });
});

describe('claims by unique insert', () => {
  it('lets exactly one of many racing claimants win, and tells the others who holds it', async () => {
    const seats = db.collection<{ _id: string; by: string }>(uniqueName('seats'));
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        claim(i % 2 ? seats : (other.collection(seats.collectionName) as never), {
          _id: 'seat-1',
          by: `r${i}`,
        }),
      ),
    );
    const winners = outcomes.filter((o) => o.claimed);
    expect(winners).toHaveLength(1);
    const winner = (winners[0] as { doc: { by: string } }).doc.by;
    for (const o of outcomes.filter((o) => !o.claimed))
      expect(o).toEqual({ claimed: false, holder: { _id: 'seat-1', by: winner } });
  });

  it('inserts once, and in bulk skips the ids that exist', async () => {
    const markers = db.collection<{ _id: string }>(uniqueName('markers'));
    expect(await insertOnce(markers, { _id: 'm1' })).toBe(true);
    expect(await insertOnce(markers, { _id: 'm1' })).toBe(false);
    const fresh = await insertManyOnce(markers, [{ _id: 'm0' }, { _id: 'm1' }, { _id: 'm2' }]);
    expect([...fresh].sort()).toEqual(['m0', 'm2']);
    expect(await markers.countDocuments()).toBe(3);
  });
});

describe('aggregate repository', () => {
  interface Thing extends OutboxFields {
    _id: string;
    count: number;
  }
  const schema = new Schema<Thing>(
    { _id: String, count: Number, outbox: { type: [Object], default: [] }, outboxUpdatedAt: Date },
    { versionKey: false },
  );
  const nudged: unknown[] = [];
  const expected: string[] = [];
  const withdrawn: string[] = [];
  const outbox: OutboxPort = {
    expect: async (_model, entries) => void expected.push(...entries.flatMap((e) => e.eventIds)),
    withdraw: async (ids) => void withdrawn.push(...ids),
    publishedAmong: async (ids) => new Set(ids.filter((id) => id.startsWith('sent'))),
    nudge: (_model, ids) => nudged.push(...ids),
  };

  it('serialises changes of one aggregate across replicas and saves the events with them', async () => {
    const name = uniqueName('Thing');
    const repos = [db, other].map(
      (c) =>
        new AggregateRepository<Thing>(c.model<Thing>(name, schema, name), {
          locks: new DocumentLocks(c),
          outbox,
        }),
    );
    expect(await repos[0]!.create({ _id: 't1', count: 0 }, [{ id: 'sent-0' }])).toMatchObject({
      _id: 't1',
      count: 0,
    });
    // A creation that finds its id taken writes nothing, and takes back the markers of its events.
    expect(await repos[1]!.create({ _id: 't1', count: 5 }, [{ id: 'lost-0' }])).toBeNull();
    expect(withdrawn).toEqual(['lost-0']);
    expect((await repos[0]!.get('t1')).count).toBe(0);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        repos[i % 2]!.update('t1', (doc) => {
          doc.count += 1;
          return { events: [{ id: `e-${i}` }] };
        }),
      ),
    );
    const saved = await repos[0]!.get('t1');
    expect(saved.count).toBe(20);
    // Published events are pruned on the next write; the 20 new ones wait for the relay.
    expect(saved.outbox.map((e) => e.id).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `e-${i}`).sort(),
    );
    expect(nudged.filter((id) => id === 't1').length).toBeGreaterThanOrEqual(21);
    // Every event was announced to the relay's safety net before its write.
    expect(expected).toEqual(expect.arrayContaining(['sent-0', ...saved.outbox.map((e) => e.id)]));
  });

  it('refuses an unknown id with a not-found domain error and saves nothing for a refused change', async () => {
    const name = uniqueName('Thing');
    const repo = new AggregateRepository<Thing>(db.model<Thing>(name, schema, name), {
      locks: new DocumentLocks(db),
      outbox,
    });
    await expect(repo.update('nope', () => ({}))).rejects.toMatchObject({ kind: 'not-found' });
    await repo.create({ _id: 't2', count: 1 });
    await expect(
      repo.update('t2', (doc) => {
        doc.count = 99;
        throw DomainError.conflict('no', 'refused');
      }),
    ).rejects.toBeInstanceOf(DomainError);
    expect((await repo.get('t2')).count).toBe(1);
  });
});

describe('grouped edits', () => {
  it('stores every change of many callers at once, in fewer writes, across two replicas', async () => {
    type List = { _id: string; ids: string[] };
    const name = uniqueName('lists');
    const writes: string[] = [];
    const replicas = [db, other].map((conn) => {
      const collection = conn.collection<List>(name);
      const counted = new Proxy(collection, {
        get: (target, key, receiver) =>
          key === 'replaceOne'
            ? (...args: unknown[]) => (
                writes.push('w'),
                (target.replaceOne as (...a: unknown[]) => unknown)(...args)
              )
            : Reflect.get(target, key, receiver),
      });
      return new GroupedEdits<List>(() => counted, new DocumentLocks(conn), 'list');
    });
    const add = (id: string) => (doc: List) => (doc.ids.includes(id) ? false : (doc.ids.push(id), true));
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        replicas[i % 2]!.edit('day-1', () => ({ _id: 'day-1', ids: [] }), add(`id-${i % 30}`)),
      ),
    );
    const saved = await db.collection<List>(name).findOne({ _id: 'day-1' });
    expect([...saved!.ids].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `id-${i}`).sort());
    expect(writes.length).toBeLessThan(40);
    // A change that changes nothing writes nothing.
    const before = writes.length;
    await replicas[0]!.edit('day-1', () => ({ _id: 'day-1', ids: [] }), add('id-3'));
    expect(writes.length).toBe(before);
  });
});
