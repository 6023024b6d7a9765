import { assertScope, residentKeyOf, type Principal } from '@recycling/contracts';

// Whose records a caller may touch. A dismantler operator's token scope is the site (dismantler)
// id; city-wide roles (administrators) act for every site.

/** Throws (403, `outside-scope`) unless the caller may act for this site. */
export const assertActsFor = (principal: Principal, dismantlerId: string): void =>
  assertScope(principal, dismantlerId);

/** Who may read a certificate: its owner (the resident of the pickup), its site, an administrator. */
export interface CertificateReader {
  role: string;
  scope?: string;
}

export const mayReadCertificate = (
  reader: CertificateReader,
  intake: { dismantlerId: string; residentKey?: string },
  residentKeySecret: string,
): boolean =>
  reader.role === 'administrator' ||
  (reader.role === 'dismantler-operator' && reader.scope === intake.dismantlerId) ||
  // A resident's token names the account (scope = account id); the pickup recorded only its keyed hash.
  (reader.role === 'resident' &&
    intake.residentKey !== undefined &&
    reader.scope !== undefined &&
    residentKeyOf(reader.scope, residentKeySecret) === intake.residentKey);
