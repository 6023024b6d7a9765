// Numbered sequences (invoice numbers, recycling-certificate numbers): numbers that are unique,
// never reused, and whose gaps can each be explained.
//
// A range of numbers is claimed by inserting one document under `<sequence>#<first>`. Inserts under
// a unique key are atomic on FerretDB v1 as on MongoDB, where a counter `$inc` is not (decision 8),
// so two allocators that pick the same next number collide and the loser walks on. Every claim
// names its holder (what the numbers went to), and a second document `<sequence>@<holder>` lets a
// retry of the same holder (after a crash, or a redelivered event) get the numbers it already has.
//
// Reads are by `_id` only (FerretDB serves nothing else from an index, decision 12). A head document
// per sequence says where the last claim ended; it is a hint (its `$max` is not atomic on FerretDB),
// so an allocator starts there and walks over the claims above it, which are consecutive ranges.
//
// Gaps: none are left by a claim, since a range starts where the previous one ended. Numbers of a
// range that the holder did not use (a crash between claiming and recording the holder, a batch
// that needed fewer), are still claimed and named in `explain()`: never reused, never unaccounted.
import type { Connection, mongo } from 'mongoose';
import { isDuplicateId } from './duplicate-key';

/** A claimed range, as stored under `<sequence>#<first>`. */
export interface SequenceClaim {
  _id: string;
  sequence: string;
  first: number;
  last: number;
  holder: string;
  claimedAt: Date;
}

/** `<sequence>@<holder>`: the range a holder got, so that its retries get the same one. */
interface HolderDoc {
  _id: string;
  first: number;
  last: number;
}

interface HeadDoc {
  _id: string;
  last: number;
}

export interface NumberRange {
  first: number;
  last: number;
}

export interface NumberSequencesOptions {
  /** Collection of claims and holders; default `sequence_numbers`. */
  collection?: string;
  now?: () => Date;
}

const SEPARATORS = /[#@]/;

export class NumberSequences {
  private readonly claims: mongo.Collection<SequenceClaim | HolderDoc>;
  private readonly heads: mongo.Collection<HeadDoc>;
  private readonly now: () => Date;

  constructor(connection: Connection, options: NumberSequencesOptions = {}) {
    const name = options.collection ?? 'sequence_numbers';
    this.claims = connection.collection(name) as never;
    this.heads = connection.collection(`${name}_heads`) as never;
    this.now = options.now ?? (() => new Date());
  }

  /** The one number `holder` holds in `sequence`, claimed now if it holds none. */
  async next(sequence: string, holder: string): Promise<number> {
    return (await this.take(sequence, holder, 1)).first;
  }

  /**
   * `count` consecutive numbers for `holder`, claimed now, or the range it already holds (whatever
   * its size: a retry must not claim more). Holders are unique within a sequence.
   */
  async take(sequence: string, holder: string, count: number): Promise<NumberRange> {
    if (SEPARATORS.test(sequence) || SEPARATORS.test(holder)) {
      throw new Error(`sequence and holder names may not contain # or @ (${sequence}, ${holder})`);
    }
    if (!Number.isInteger(count) || count < 1) throw new Error(`cannot take ${count} numbers`);
    const held = await this.claims.findOne({ _id: `${sequence}@${holder}` });
    if (held) return { first: held.first, last: (held as HolderDoc).last };

    let first = ((await this.heads.findOne({ _id: sequence }))?.last ?? 0) + 1;
    for (;;) {
      const range = { first, last: first + count - 1 };
      try {
        await this.claims.insertOne({
          _id: `${sequence}#${first}`,
          sequence,
          ...range,
          holder,
          claimedAt: this.now(),
        });
      } catch (error) {
        if (!isDuplicateId(error)) throw error;
        const taken = (await this.claims.findOne({ _id: `${sequence}#${first}` })) as SequenceClaim | null;
        if (taken?.holder === holder) return this.record(sequence, holder, taken);
        // Taken by another holder: the next free number is after its range.
        first = (taken?.last ?? first) + 1;
        continue;
      }
      // No claim can start inside this range: every claim starts right after an existing one, and
      // this one started at the first free start after the chain from 1.
      return this.record(sequence, holder, range);
    }
  }

  /**
   * Every claim of `sequence` in order, from number 1: what each range went to. `from` skips the
   * walk to a known claim start (a head, or a number seen on a document).
   */
  async explain(sequence: string, from = 1, limit = 1_000): Promise<SequenceClaim[]> {
    const found: SequenceClaim[] = [];
    for (let n = from; found.length < limit;) {
      const claim = (await this.claims.findOne({ _id: `${sequence}#${n}` })) as SequenceClaim | null;
      if (!claim) break;
      found.push(claim);
      n = claim.last + 1;
    }
    return found;
  }

  private async record(sequence: string, holder: string, range: NumberRange): Promise<NumberRange> {
    try {
      await this.claims.insertOne({ _id: `${sequence}@${holder}`, first: range.first, last: range.last });
    } catch (error) {
      if (!isDuplicateId(error)) throw error;
      // Two racing retries of one holder: the first record stands, and both answer it.
      const held = (await this.claims.findOne({ _id: `${sequence}@${holder}` })) as HolderDoc | null;
      if (held) return { first: held.first, last: held.last };
    }
    await this.heads
      .updateOne({ _id: sequence }, { $max: { last: range.last } }, { upsert: true })
      .catch(() => undefined); // a hint only: the next allocation walks past a stale head
    return range;
  }
}
