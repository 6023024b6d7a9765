import type { Logger } from '@recycling/observability';
import { NumberSequences, type SequenceClaim } from '@recycling/store';
import type { Connection, mongo } from 'mongoose';
import { formatCertificateNo, parseCertificateNo } from '../domain/certificate-number';

// Certificate numbers come from NumberSequences (@recycling/store): one sequence per site and year,
// each number claimed by unique insert for its holder, the vehicle intake, so a retry after a crash
// gets the number it already has: no number is given to two vehicles, and none is skipped. Every
// read is by `_id`, also the lookup of the intake a number went to.
//
// Numbers given out before (one document per number in `certificate_numbers`, `_id` the number,
// naming its intake) stay valid: at start-up each site's and year's highest is claimed as one range
// in its sequence, so numbering goes on after it, and such a number still finds its intake by `_id`.

const LEGACY_COLLECTION = 'certificate_numbers';
/** Holder of the numbers the earlier allocator gave out (an intake id never looks like this). */
const LEGACY_HOLDER = 'numbers-before-sequences';

interface LegacyNumberDoc {
  _id: string;
  dismantlerId: string;
  year: number;
  sequence: number;
  vehicleIntakeId: string;
}

export const certificateSequenceOf = (dismantlerId: string, year: number): string =>
  `certificate:${dismantlerId}:${year}`;

export class CertificateNumbers {
  private readonly sequences: NumberSequences;
  private readonly legacy: mongo.Collection<LegacyNumberDoc>;

  constructor(connection: Connection) {
    this.sequences = new NumberSequences(connection, { collection: 'certificate_sequences' });
    this.legacy = connection.collection(LEGACY_COLLECTION) as unknown as mongo.Collection<LegacyNumberDoc>;
  }

  /** The number of the intake's certificate: the one it holds, or the next of its site and year. */
  async allocate(dismantlerId: string, year: number, vehicleIntakeId: string): Promise<string> {
    const sequence = await this.sequences.next(certificateSequenceOf(dismantlerId, year), vehicleIntakeId);
    return formatCertificateNo(dismantlerId, year, sequence);
  }

  /** The intake a number was given to, or undefined when the number was never given out. */
  async holderOf(certificateNo: string): Promise<string | undefined> {
    const parts = parseCertificateNo(certificateNo);
    if (!parts) return undefined;
    const [claim] = await this.sequences.explain(
      certificateSequenceOf(parts.dismantlerId, parts.year),
      parts.sequence,
      1,
    );
    if (claim && claim.holder !== LEGACY_HOLDER && claim.last === parts.sequence) return claim.holder;
    return (await this.legacy.findOne({ _id: certificateNo }))?.vehicleIntakeId;
  }

  /** Every allocation of a site's year, in order: what each number went to. */
  allocations(dismantlerId: string, year: number): Promise<SequenceClaim[]> {
    return this.sequences.explain(certificateSequenceOf(dismantlerId, year));
  }

  /**
   * Continues each site's and year's numbering after the numbers the earlier allocator gave out.
   * At start-up only: it reads that collection whole (it no longer grows; docs/conventions.md, reads
   * on the store, rule 3). Idempotent: the range is claimed once, by its holder.
   */
  async continueAfterLegacyNumbers(logger: Logger): Promise<void> {
    const highest = new Map<string, number>();
    for await (const doc of this.legacy.find({}, { projection: { dismantlerId: 1, year: 1, sequence: 1 } })) {
      const sequence = certificateSequenceOf(doc.dismantlerId, doc.year);
      highest.set(sequence, Math.max(highest.get(sequence) ?? 0, doc.sequence));
    }
    for (const [sequence, last] of highest) {
      const range = await this.sequences.take(sequence, LEGACY_HOLDER, last);
      if (range.first !== 1 || range.last < last) {
        // Numbers were given out by both allocators (an older replica still running): say so loudly.
        logger.error(
          { sequence, legacyLast: last, range },
          'certificate numbers of the earlier allocator fall outside the range kept for them',
        );
      }
    }
  }
}
