import { dropTestDatabase, openTestDatabase, uniqueName } from '@recycling/testkit';
import type { Connection } from 'mongoose';
import { DocumentLocks } from '../src';

let db: Connection;
let other: Connection;

beforeAll(async () => {
  db = await openTestDatabase('locks');
  // A second connection to the same database stands for a second replica of the service.
  other = db.useDb(db.name, { useCache: false });
});

afterAll(() => dropTestDatabase(db));

it('serialises read-modify-write of one document across two lock holders', async () => {
  const counters = db.collection<{ _id: string; value: number }>(uniqueName('counters'));
  await counters.insertOne({ _id: 'c', value: 0 });
  const replicas = [new DocumentLocks(db), new DocumentLocks(other)];
  await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      replicas[i % 2]!.withLock('counter:c', async () => {
        const current = await counters.findOne({ _id: 'c' });
        await counters.updateOne({ _id: 'c' }, { $set: { value: current!.value + 1 } });
      }),
    ),
  );
  expect((await counters.findOne({ _id: 'c' }))?.value).toBe(30);
});

it('takes over a lock whose holder died', async () => {
  const locks = new DocumentLocks(db, { ttlMs: 50 });
  await db
    .collection('document_locks')
    .insertOne({ _id: 'x' as never, owner: 'dead', expiresAt: new Date(0) });
  await expect(locks.withLock('x', async () => 'ran')).resolves.toBe('ran');
});
