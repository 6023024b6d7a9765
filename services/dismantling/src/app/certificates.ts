import { residentKeyOf } from '@recycling/contracts';
import { RuleViolation } from '../domain/errors';
import type { DismantlerDoc, IntakeRecord } from '../store/models';
import type { AppContext } from './context';

/** Who may read a certificate: its owner (the resident of the pickup), its site, an administrator. */
export interface CertificateReader {
  role: string;
  scope?: string;
}

export const mayReadCertificate = (
  reader: CertificateReader,
  intake: Pick<IntakeRecord, 'dismantlerId' | 'residentKey'>,
  residentKeySecret: string,
) =>
  reader.role === 'administrator' ||
  (reader.role === 'dismantler-operator' && reader.scope === intake.dismantlerId) ||
  // A resident's token names the account (scope = account id); the pickup recorded only its keyed hash.
  (reader.role === 'resident' &&
    intake.residentKey !== undefined &&
    reader.scope !== undefined &&
    residentKeyOf(reader.scope, residentKeySecret) === intake.residentKey);

export async function findCertificate(
  ctx: AppContext,
  certificateNo: string,
  reader: CertificateReader,
): Promise<{ intake: IntakeRecord; dismantler: DismantlerDoc | null }> {
  const intake = await ctx.models.VehicleIntake.findOne(
    { 'certificate.certificateNo': certificateNo },
    { outbox: 0, outboxUpdatedAt: 0 },
  ).lean();
  if (!intake || !intake.certificate) {
    throw new RuleViolation(
      'not-found',
      'certificate-not-found',
      `未找到回收证明 ${certificateNo} / Certificate ${certificateNo} not found.`,
    );
  }
  if (!mayReadCertificate(reader, intake, ctx.sellerKeySecret)) {
    throw new RuleViolation(
      'forbidden',
      'certificate-not-yours',
      '只有车主、出具证明的拆解企业和管理员可以查看此证明 / Only the owner, the issuing dismantler and administrators may read this certificate.',
    );
  }
  const dismantler = await ctx.models.Dismantler.findById(intake.dismantlerId).lean();
  return { intake, dismantler };
}
