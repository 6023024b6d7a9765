import { formatCertificateNo } from '../domain/certificate-number';
import { isDuplicateKey, rawCollection, type Models } from './models';

// Certificate numbers are allocated by inserting the number as a unique key: concurrent issuers that
// pick the same next number collide on the insert, and the loser tries the following one. Updates of
// a counter document would not do: FerretDB v1 loses concurrent updates (docs/conventions.md).
// The allocation names its vehicle, so a retry after a crash finds the number it already took
// instead of leaving a gap or taking a second one.

const MAX_ATTEMPTS = 1_000;

export async function allocateCertificateNo(
  models: Models,
  dismantlerId: string,
  year: number,
  vehicleIntakeId: string,
  now = new Date(),
): Promise<string> {
  const mine = await models.CertificateNumber.findOne({ vehicleIntakeId }).lean();
  if (mine) return mine._id;
  const last = await models.CertificateNumber.findOne({ dismantlerId, year }, { sequence: 1 })
    .sort({ sequence: -1 })
    .lean();
  let sequence = (last?.sequence ?? 0) + 1;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++, sequence++) {
    const certificateNo = formatCertificateNo(dismantlerId, year, sequence);
    try {
      await rawCollection(models.CertificateNumber).insertOne({
        _id: certificateNo,
        dismantlerId,
        year,
        sequence,
        vehicleIntakeId,
        allocatedAt: now,
      });
      return certificateNo;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  throw new Error(`no certificate number free after ${MAX_ATTEMPTS} attempts for ${dismantlerId} ${year}`);
}
