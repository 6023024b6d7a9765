import type { DocumentLocks } from '@recycling/store';
import type { mongo } from 'mongoose';
import type { SignalDoc } from './models';

// What fraud signals remember, by `_id`: recent prices of a GTIN, the sales to one contact in a year,
// every sale of a serial number, a person's quick returns. Small lists, each changed under its lock.

export class SignalStore {
  constructor(
    private readonly signals: mongo.Collection<SignalDoc>,
    private readonly locks: DocumentLocks,
    private readonly now: () => Date,
  ) {}

  async values(key: string): Promise<Array<string | number>> {
    return (await this.signals.findOne({ _id: key }))?.values ?? [];
  }

  /** Appends `value`, keeping the last `keep`; answers the values before it. */
  async push(key: string, value: string | number, keep: number): Promise<Array<string | number>> {
    return this.change(key, (before) => [...before, value].slice(-keep));
  }

  /** Adds `value` unless present; answers the values before. */
  async addUnique(key: string, value: string | number): Promise<Array<string | number>> {
    return this.change(key, (before) => (before.includes(value) ? before : [...before, value]));
  }

  private async change(
    key: string,
    next: (before: Array<string | number>) => Array<string | number>,
  ): Promise<Array<string | number>> {
    return this.locks.withLock(`signal:${key}`, async () => {
      const before = await this.values(key);
      const values = next(before);
      if (values !== before) {
        await this.signals.replaceOne({ _id: key }, { values, updatedAt: this.now() }, { upsert: true });
      }
      return before;
    });
  }
}
