import type { Model } from 'mongoose';
import { seatIdOf, slotKeyOf, type SlotRef } from '../domain/slots';
import { findByIds, insertOnce } from '@recycling/store';
import type { SeatDoc } from './models';

// Capacity is claimed by insert (docs/conventions.md, "Concurrency on the store"): seat n of a slot
// is the document `<slot>#<n>`, and whoever inserts it first has it. FerretDB makes inserts under a
// unique _id atomic, while conditional counter updates let several writers win.

export class SeatRepository {
  constructor(private readonly Seat: Model<SeatDoc>) {}

  /** Claims a free seat of the slot for the pickup; undefined when the slot is full. */
  async claim(
    districtCode: string,
    slot: SlotRef,
    capacity: number,
    pickupId: string,
  ): Promise<SeatDoc | undefined> {
    const slotKey = slotKeyOf(districtCode, slot);
    // A retried booking (same idempotency key) may already hold a seat here.
    const held = await this.Seat.findOne({ slotKey, pickupId }).lean();
    if (held) return held;
    const taken = await this.Seat.find({ slotKey }, { seatNo: 1 }).lean();
    // Capacity lowered below the seats already taken: the slot is full even if low numbers are free.
    if (taken.length >= capacity) return undefined;
    const takenNos = new Set(taken.map((s) => s.seatNo));
    for (let seatNo = 1; seatNo <= capacity; seatNo++) {
      if (takenNos.has(seatNo)) continue;
      const seat: SeatDoc = {
        _id: seatIdOf(slotKey, seatNo),
        slotKey,
        districtCode,
        date: slot.date,
        window: slot.window,
        seatNo,
        pickupId,
        claimedAt: new Date(),
      };
      if (await insertOnce(this.Seat.collection as never, seat)) return seat;
    }
    return undefined;
  }

  /** Frees the pickup's seat (only if it is still the pickup's). */
  async release(seatId: string, pickupId: string): Promise<void> {
    await this.Seat.deleteOne({ _id: seatId, pickupId });
  }

  /**
   * Whether the slot has a free seat, read by `_id` (seat 1, 2 … until one is missing): the
   * served-area answer looks at a few slots this way instead of reading the seats collection.
   */
  async hasRoom(districtCode: string, slot: SlotRef, capacity: number): Promise<boolean> {
    const slotKey = slotKeyOf(districtCode, slot);
    const ids = Array.from({ length: capacity }, (_, i) => seatIdOf(slotKey, i + 1));
    for (let at = 0; at < ids.length; at += 5) {
      const batch = ids.slice(at, at + 5);
      const found = await findByIds(this.Seat.collection as never, batch);
      if (found.length < batch.length) return true;
    }
    return false;
  }

  /** Seats taken per slot key in a district between two dates (inclusive). */
  async bookedBySlot(districtCode: string, from: string, to: string): Promise<Map<string, number>> {
    const seats = await this.Seat.find(
      { districtCode, date: { $gte: from, $lte: to } },
      { slotKey: 1 },
    ).lean();
    const counts = new Map<string, number>();
    for (const s of seats) counts.set(s.slotKey, (counts.get(s.slotKey) ?? 0) + 1);
    return counts;
  }
}
