import { refusal } from './errors';

// A dismantling site (报废机动车回收拆解企业的场地). Decree 715 lets only qualified enterprises take
// in scrapped vehicles, so the qualification certificate and the site's status decide intake.

export const DISMANTLER_STATUSES = ['active', 'suspended'] as const;
export type DismantlerStatus = (typeof DISMANTLER_STATUSES)[number];

export interface Dismantler {
  readonly dismantlerId: string;
  readonly name: string;
  readonly enterpriseId: string;
  readonly qualificationCertificateNo: string;
  /** Last day the qualification is valid (YYYY-MM-DD), when it has an end. */
  readonly qualificationValidUntil?: string;
  readonly districtCode: string;
  readonly status: DismantlerStatus;
}

/** Throws unless the site may take in vehicles on `today` (YYYY-MM-DD in the city's time zone). */
export const assertMayTakeIn = (
  dismantler: Dismantler | null,
  dismantlerId: string,
  today: string,
): Dismantler => {
  if (!dismantler) {
    throw refusal(
      'forbidden',
      'dismantler-not-qualified',
      `拆解企业 ${dismantlerId} 未登记资质，不能接收报废车辆 / Dismantler ${dismantlerId} has no recorded qualification and may not take in vehicles.`,
      'dismantlerId',
    );
  }
  if (dismantler.status === 'suspended') {
    throw refusal(
      'forbidden',
      'dismantler-suspended',
      `拆解企业 ${dismantlerId} 已被暂停，不能接收报废车辆 / Dismantler ${dismantlerId} is suspended and may not take in vehicles.`,
      'dismantlerId',
    );
  }
  if (dismantler.qualificationValidUntil !== undefined && dismantler.qualificationValidUntil < today) {
    throw refusal(
      'forbidden',
      'dismantler-qualification-expired',
      `拆解企业 ${dismantlerId} 的资质已于 ${dismantler.qualificationValidUntil} 过期 / The qualification of dismantler ${dismantlerId} expired on ${dismantler.qualificationValidUntil}.`,
      'dismantlerId',
    );
  }
  return dismantler;
};
