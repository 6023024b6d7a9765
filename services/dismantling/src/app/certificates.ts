import { DomainError } from '@recycling/contracts';
import { mayReadCertificate, type CertificateReader } from '../domain/access';
import type { DismantlerDoc, IntakeRecord } from '../store/models';
import type { AppContext } from './context';

/** The certified intake and its site, for the printable certificate; read by `_id` only. */
export async function findCertificate(
  ctx: AppContext,
  certificateNo: string,
  reader: CertificateReader,
): Promise<{ intake: IntakeRecord; dismantler: DismantlerDoc | null }> {
  const holder = await ctx.certificateNumbers.holderOf(certificateNo);
  const intake = holder ? await ctx.intakes.record(holder) : null;
  // A number allocated to an intake whose certificate was not saved (a crash) is not a certificate.
  if (intake?.certificate?.certificateNo !== certificateNo) {
    throw DomainError.notFound(
      'certificate-not-found',
      `未找到回收证明 ${certificateNo} / Certificate ${certificateNo} not found.`,
    );
  }
  if (!mayReadCertificate(reader, intake, ctx.sellerKeySecret)) {
    throw DomainError.forbidden(
      'certificate-not-yours',
      '只有车主、出具证明的拆解企业和管理员可以查看此证明 / Only the owner, the issuing dismantler and administrators may read this certificate.',
    );
  }
  return { intake, dismantler: await ctx.dismantlers.find(intake.dismantlerId) };
}
