import { CITY_WIDE_ROLES, residentKeyOf, type Principal } from '@recycling/contracts';
import { refusal } from './errors';

// Whose records a caller may touch. A dismantler operator's token scope is the site (dismantler)
// id; city-wide roles (administrators) act for every site.

/** Throws unless the caller may act for this site. */
export const assertActsFor = (principal: Principal, dismantlerId: string): void => {
  if (CITY_WIDE_ROLES.includes(principal.role) || principal.scope === dismantlerId) return;
  throw refusal(
    'forbidden',
    'outside-scope',
    `无权访问拆解企业 ${dismantlerId} 的数据 / The records of dismantler ${dismantlerId} are outside your scope.`,
  );
};

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
