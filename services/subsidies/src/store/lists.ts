import type { DocumentLocks } from '@recycling/store';
import type { mongo } from 'mongoose';
import type { ListDoc } from './models';

// Small lists addressed by `_id` that stand in for queries FerretDB would answer by reading a whole
// collection (decision 12): the claims waiting for a piece of evidence, a programme year's review
// queue and payable claims, a resident's claims, a retailer's sales of a month, a month's payments.
// A list only indexes: the claim's own status is the truth, so a reader skips an entry whose claim
// has moved on, and a writer adds to the new list before the claim changes and removes from the old
// one after. Each list is changed under its own lock (FerretDB updates are not atomic).

export class WorkLists {
  constructor(
    private readonly lists: mongo.Collection<ListDoc>,
    private readonly locks: DocumentLocks,
    private readonly now: () => Date,
  ) {}

  async ids(listId: string): Promise<string[]> {
    return (await this.lists.findOne({ _id: listId }))?.ids ?? [];
  }

  async add(listId: string, ids: readonly string[]): Promise<void> {
    await this.change(listId, (current) => [...current, ...ids.filter((id) => !current.includes(id))]);
  }

  async remove(listId: string, ids: readonly string[]): Promise<void> {
    await this.change(listId, (current) => current.filter((id) => !ids.includes(id)));
  }

  private async change(listId: string, next: (current: string[]) => string[]): Promise<void> {
    await this.locks.withLock(`list:${listId}`, async () => {
      const current = await this.ids(listId);
      const ids = next(current);
      if (ids.length === current.length && ids.every((id, i) => id === current[i])) return;
      await this.lists.replaceOne({ _id: listId }, { ids, updatedAt: this.now() }, { upsert: true });
    });
  }
}
