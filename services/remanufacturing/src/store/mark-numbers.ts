import { NumberSequences } from '@recycling/store';
import type { Connection } from 'mongoose';

/**
 * Numbers of the permanent 再制造 mark: one sequence per remanufacturer and year, never reused, a
 * product's retry gets the number it already holds (the store's NumberSequences).
 */
export class MarkNumbers {
  private readonly sequences: NumberSequences;

  constructor(connection: Connection) {
    this.sequences = new NumberSequences(connection, { collection: 'mark_numbers' });
  }

  /** `ZZZ-<remanufacturerId>-<year>-<000001>` for the product. */
  async next(remanufacturerId: string, year: string, productId: string): Promise<string> {
    const n = await this.sequences.next(`mark-${remanufacturerId}-${year}`, productId);
    return `ZZZ-${remanufacturerId}-${year}-${String(n).padStart(6, '0')}`;
  }
}
