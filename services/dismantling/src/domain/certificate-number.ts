// Certificate numbers run per site and per year, so each site's sequence is short and readable, and
// the number names its issuer. The store allocates the sequence numbers (store/certificate-numbers.ts):
// a number once taken is never handed to another vehicle.

/** The longest site id that keeps a certificate number within the 40 characters events allow. */
export const MAX_DISMANTLER_ID_LENGTH = 24;
const SEQUENCE_DIGITS = 6;

export const formatCertificateNo = (dismantlerId: string, year: number, sequence: number): string =>
  `${dismantlerId}-${year}-${String(sequence).padStart(SEQUENCE_DIGITS, '0')}`;

/** The parts of a number `formatCertificateNo` made; undefined for anything else. */
export const parseCertificateNo = (
  certificateNo: string,
): { dismantlerId: string; year: number; sequence: number } | undefined => {
  const match = /^(.+)-(\d{4})-(\d{6,})$/.exec(certificateNo);
  if (!match) return undefined;
  return { dismantlerId: match[1]!, year: Number(match[2]), sequence: Number(match[3]) };
};
