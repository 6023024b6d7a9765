import { claim as claimByInsert } from '@recycling/store';
import type { mongo } from 'mongoose';
import { alreadyClaimed, type UniquenessRule } from '../domain/uniqueness';
import type { UniqueKeyDoc } from './models';

// Uniqueness by insert (docs/conventions.md, "Concurrency on the store"): a key is held by the
// document `_id = <key>` naming its claim, and whoever inserts it first holds it, on every replica,
// whatever the order of racing requests. A key left by a claim that was never saved (a crash between
// the keys and the claim) is taken over once it is older than `staleAfterMs` and its claim does not
// exist. Keys are released only by their own claim (a return, a final rejection), under its lock.

export interface KeyRequest {
  key: string;
  rule: UniquenessRule;
  /** The input field the key comes from (named in a refusal). */
  field: string;
}

export type TakeOutcome = { taken: true; fresh: boolean } | { taken: false; holder: string };

export class UniqueKeys {
  constructor(
    private readonly keys: mongo.Collection<UniqueKeyDoc>,
    private readonly claimExists: (claimId: string) => Promise<boolean>,
    private readonly now: () => Date,
    private readonly staleAfterMs = 120_000,
  ) {}

  async holderOf(key: string): Promise<UniqueKeyDoc | null> {
    return this.keys.findOne({ _id: key });
  }

  /** Takes `key` for `holder`; answers who holds it when someone else does. */
  async take(key: string, holder: string, rule: string): Promise<TakeOutcome> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const outcome = await claimByInsert(this.keys, {
        _id: key,
        claimId: holder,
        rule,
        claimedAt: this.now(),
      });
      if (outcome.claimed) return { taken: true, fresh: true };
      const held = outcome.holder;
      if (!held) continue; // released between our insert and our read
      if (held.claimId === holder) return { taken: true, fresh: false }; // a retry of the same claim
      const stale = this.now().getTime() - new Date(held.claimedAt).getTime() > this.staleAfterMs;
      if (stale && !(await this.claimExists(held.claimId))) {
        // Left by a claim that was never saved. A filter beside `_id` reads the collection on
        // FerretDB: acceptable on this rare path, and it removes only that holder's key.
        await this.keys.deleteOne({ _id: key, claimId: held.claimId });
        continue;
      }
      return { taken: false, holder: held.claimId };
    }
    const held = await this.holderOf(key);
    return { taken: false, holder: held?.claimId ?? '?' };
  }

  /**
   * Takes every key for `holder`, in order; on the first one held by another claim, gives back the
   * keys this call took and refuses naming the rule and the earlier claim.
   */
  async takeAll(requests: readonly KeyRequest[], holder: string): Promise<string[]> {
    const fresh: string[] = [];
    for (const r of requests) {
      const outcome = await this.take(r.key, holder, r.rule);
      if (!outcome.taken) {
        await this.releaseAll(fresh, holder);
        throw alreadyClaimed(r.rule, r.field, [outcome.holder]);
      }
      if (outcome.fresh) fresh.push(r.key);
    }
    return requests.map((r) => r.key);
  }

  /**
   * Takes one of the seats `<prefix>#1..limit` (a person's quota per category and year): the seat it
   * already holds, or the first free one; refuses naming the claims that hold them all.
   */
  async takeSeat(prefix: string, limit: number, holder: string, field: string): Promise<string> {
    const holders: string[] = [];
    for (let n = 1; n <= limit; n++) {
      const key = `${prefix}#${n}`;
      const outcome = await this.take(key, holder, 'quota');
      if (outcome.taken) return key;
      holders.push(outcome.holder);
    }
    throw alreadyClaimed('quota', field, holders, { limit });
  }

  /** Gives a key back, if `holder` still holds it (read by `_id`, then removed by `_id`). */
  async release(key: string, holder: string): Promise<void> {
    const held = await this.holderOf(key);
    if (held?.claimId === holder) await this.keys.deleteOne({ _id: key });
  }

  async releaseAll(keys: readonly string[], holder: string): Promise<void> {
    for (const key of keys) await this.release(key, holder);
  }
}
