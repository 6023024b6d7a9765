import { dropTestDatabase, openTestDatabase, uniqueName } from '@recycling/testkit';
import type { Connection, mongo } from 'mongoose';
import { GroupedWriteError, GroupedWrites, groupedWrites, isDuplicateKey } from '../src';

let db: Connection;

beforeAll(async () => {
  db = await openTestDatabase('grouped-writes');
});

afterAll(() => dropTestDatabase(db));

type Item = { _id: string; n: number; code?: string };

/** The collection, with its bulk writes counted (each is what the store sees as one command per kind). */
function counted(name: string) {
  const collection = db.collection<Item>(name);
  const groups: number[] = [];
  const proxy = new Proxy(collection, {
    get: (target, key, receiver) =>
      key === 'bulkWrite'
        ? (ops: unknown[], options: unknown) => {
            groups.push(ops.length);
            return target.bulkWrite(ops as mongo.AnyBulkWriteOperation<Item>[], options as never);
          }
        : Reflect.get(target, key, receiver),
  });
  return { collection, writes: new GroupedWrites<Item>(proxy), groups };
}

describe('grouped writes', () => {
  it('writes what many callers send at once in few bulk writes, each with its own outcome', async () => {
    const { collection, writes, groups } = counted(uniqueName('items'));
    // 60 inserts of 40 ids: each id is stored once; its first caller hears true, the others false.
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) => writes.insert({ _id: `i-${i % 40}`, n: i })),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(40);
    expect(outcomes.slice(0, 40).every(Boolean)).toBe(true);
    expect(outcomes.slice(40).some(Boolean)).toBe(false);
    expect(await collection.countDocuments()).toBe(40);
    // The first insert left alone, the rest waited for it and went together.
    expect(groups.length).toBeLessThanOrEqual(3);
    expect(groups.reduce((a, b) => a + b, 0)).toBe(60);

    // Updates and deletes go at most 16 to a bulk write (FerretDB slows down with each statement).
    const before = groups.length;
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => writes.updateOne({ _id: `i-${i}` }, { $set: { n: -1 } })),
      ...Array.from({ length: 10 }, (_, i) => writes.deleteOne({ _id: `i-${30 + i}` })),
    ]);
    expect(await collection.countDocuments()).toBe(30);
    expect(await collection.countDocuments({ n: -1 })).toBe(20);
    const filteredGroups = groups.slice(before);
    expect(filteredGroups.reduce((a, b) => a + b, 0)).toBe(30);
    expect(Math.max(...filteredGroups)).toBeLessThanOrEqual(16);
  });

  it('refuses only the write the store refused, and fails the whole group when the command fails', async () => {
    const { collection, writes } = counted(uniqueName('items'));
    await writes.insert({ _id: 'a', n: 1, code: 'X' });
    // One update the store refuses (a number added to a text) beside one it takes: only the first
    // caller hears of it.
    const [refused, fine] = await Promise.allSettled([
      writes.updateOne({ _id: 'a' }, { $inc: { code: 1 } as never }),
      writes.insert({ _id: 'c', n: 3, code: 'Y' }),
    ]);
    expect(refused.status).toBe('rejected');
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(GroupedWriteError);
    expect(isDuplicateKey((refused as PromiseRejectedResult).reason)).toBe(false);
    expect(fine).toEqual({ status: 'fulfilled', value: true });
    expect(await collection.findOne({ _id: 'a' })).toMatchObject({ code: 'X' });

    // A store that does not answer fails every write of the group, and the next group goes on.
    const failing = new GroupedWrites<Item>(
      new Proxy(collection, {
        get: (target, key, receiver) =>
          key === 'bulkWrite'
            ? () =>
                Promise.reject(Object.assign(new Error('connection closed'), { name: 'MongoNetworkError' }))
            : Reflect.get(target, key, receiver),
      }),
    );
    const all = await Promise.allSettled([
      failing.insert({ _id: 'd', n: 4 }),
      failing.deleteOne({ _id: 'a' }),
    ]);
    expect(all.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    // The driver wraps a lost connection in a bulk write error without write errors: each caller
    // gets the connection's own error, as a lone write would have thrown it.
    const lost = Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoNetworkError' });
    const wrapping = new GroupedWrites<Item>(
      new Proxy(collection, {
        get: (target, key, receiver) =>
          key === 'bulkWrite'
            ? () =>
                Promise.reject(
                  Object.assign(new Error(lost.message), {
                    name: 'MongoBulkWriteError',
                    errorResponse: lost,
                    writeErrors: [],
                  }),
                )
            : Reflect.get(target, key, receiver),
      }),
    );
    await expect(wrapping.insert({ _id: 'e', n: 5 })).rejects.toBe(lost);
    expect(await collection.countDocuments()).toBe(2);
    expect(await writes.insert({ _id: 'd', n: 4 })).toBe(true);
  });

  it('is shared by every writer of a collection in the process', () => {
    const name = uniqueName('items');
    expect(groupedWrites(db.collection(name))).toBe(groupedWrites(db.collection(name)));
    expect(groupedWrites(db.collection(name))).not.toBe(groupedWrites(db.collection(`${name}-other`)));
  });
});
