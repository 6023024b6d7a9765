import type { Principal } from '@recycling/contracts';
import { CLAIM_STATUS_NAMES, overdueSteps, rejectionOutcome } from '../domain/claim-lifecycle';
import { findProgramme, yearNumbered, type ProgrammeYear } from '../domain/programmes';
import type { ClaimDoc } from '../store/models';
import { claimNotFound } from '../store/claim-repository';
import { listIds, todayOf, type SubsidyContext } from './context';

// What a claim looks like to those who may see it: personal data only masked, bank card masked,
// deadlines with the steps overdue today. A resident sees who decided by role, not by account.

export type Audience = 'applicant' | 'retailer' | 'official';

const iso = (d?: Date | string) => (d ? new Date(d).toISOString() : undefined);

export function claimView(ctx: SubsidyContext, doc: ClaimDoc, audience: Audience) {
  const programme = findProgramme(ctx.tradeIn, doc.programmeCode);
  const year = programme && yearNumbered(programme.years as readonly ProgrammeYear[], doc.programmeYear);
  const cap = year?.resubmissionCap ?? 0;
  const car = doc.car && {
    oldCar: doc.car.oldCar,
    newCar: {
      ...doc.car.newCar,
    },
  };
  return {
    claimId: doc._id,
    kind: doc.kind,
    programmeCode: doc.programmeCode,
    programmeName: programme?.name ?? { zh: doc.programmeCode, en: doc.programmeCode },
    programmeYear: doc.programmeYear,
    status: doc.status,
    statusName: CLAIM_STATUS_NAMES[doc.status],
    amountFen: doc.amountFen,
    purchaseDate: doc.purchaseDate,
    districtCode: doc.districtCode,
    ...(doc.applicant
      ? {
          applicant: {
            nameMasked: doc.applicant.nameMasked,
            idNumberMasked: doc.applicant.idNumberMasked,
            phoneMasked: doc.applicant.phoneMasked,
            bankCardMasked: doc.applicant.bankCardMasked,
            bankName: doc.applicant.bankName,
          },
        }
      : {}),
    ...(car ? { car } : {}),
    ...(doc.sale
      ? {
          sale: {
            retailerId: doc.sale.retailerId,
            category: doc.sale.category,
            categoryName: doc.sale.categoryName,
            gtin: doc.sale.gtin,
            model: doc.sale.model,
            ...(doc.sale.energyGrade !== undefined ? { energyGrade: doc.sale.energyGrade } : {}),
            serialNo: doc.sale.serialNo,
            priceFen: doc.sale.priceFen,
            subsidyFen: doc.amountFen,
            buyerPaysFen: doc.sale.priceFen - doc.amountFen,
            invoiceNo: doc.sale.invoiceNo,
            soldOn: doc.sale.soldOn,
            requiresOldItemIntake: doc.sale.requiresOldItemIntake,
            buyer: {
              ...(doc.sale.buyer.nameMasked ? { nameMasked: doc.sale.buyer.nameMasked } : {}),
              phoneMasked: doc.sale.buyer.phoneMasked,
              addressMasked: doc.sale.buyer.addressMasked,
            },
            ...(doc.sale.reimbursementId ? { reimbursementId: doc.sale.reimbursementId } : {}),
          },
        }
      : {}),
    evidence: {
      refs: doc.evidence.refs,
      waitingFor: doc.evidence.waitingFor,
      ...(doc.evidence.matched !== undefined ? { matched: doc.evidence.matched } : {}),
    },
    flags: (audience === 'official' ? doc.flags : []).map((f) => ({
      code: f.code,
      note: f.note,
      at: iso(f.at)!,
    })),
    overdue: overdueSteps(doc.status, doc.deadlines, todayOf(ctx)),
    deadlines: doc.deadlines,
    resubmissions: doc.resubmissions,
    resubmissionsLeft: rejectionOutcome(doc, cap).resubmissionsLeft,
    ...(doc.lastRejection
      ? {
          lastRejection: {
            reasons: doc.lastRejection.reasons,
            at: iso(doc.lastRejection.at)!,
          },
        }
      : {}),
    submittedAt: iso(doc.submittedAt)!,
    ...(doc.acceptedAt ? { acceptedAt: iso(doc.acceptedAt) } : {}),
    ...(doc.approvedAt ? { approvedAt: iso(doc.approvedAt) } : {}),
    ...(doc.paidAt ? { paidAt: iso(doc.paidAt) } : {}),
    ...(doc.reversedAt ? { reversedAt: iso(doc.reversedAt) } : {}),
    ...(doc.payment ? { payment: doc.payment } : {}),
    history: doc.history.map((h) => ({
      at: iso(h.at)!,
      action: h.action,
      by: audience === 'official' || h.by.role === 'resident' ? h.by : { role: h.by.role },
      ...(h.note ? { note: h.note } : {}),
      ...(h.eventId && audience === 'official' ? { eventId: h.eventId } : {}),
    })),
  };
}
export type ClaimView = ReturnType<typeof claimView>;

export const OFFICIAL_ROLES = ['commerce-reviewer', 'finance-officer', 'city-official', 'administrator'];

/** The resident's account id, as the token scopes it. */
export const residentIdOf = (principal: Principal): string => principal.scope ?? principal.sub;

/** The claim as the caller may see it; 404 for one that is not theirs (its existence stays hidden). */
export async function getClaim(
  ctx: SubsidyContext,
  principal: Principal,
  claimId: string,
): Promise<ClaimView> {
  const doc = await ctx.claims.find(claimId);
  if (!doc) throw claimNotFound(claimId);
  if (OFFICIAL_ROLES.includes(principal.role)) return claimView(ctx, doc, 'official');
  if (principal.role === 'resident' && doc.applicant?.residentId === residentIdOf(principal)) {
    return claimView(ctx, doc, 'applicant');
  }
  if (principal.role === 'retailer-operator' && doc.sale && doc.sale.retailerId === principal.scope) {
    return claimView(ctx, doc, 'retailer');
  }
  throw claimNotFound(claimId);
}

/** A resident's own claims, newest first (a list by `_id`, then each claim by `_id`). */
export async function listOwnClaims(ctx: SubsidyContext, principal: Principal): Promise<ClaimView[]> {
  const ids = await ctx.lists.ids(listIds.resident(residentIdOf(principal)));
  const docs = await ctx.claims.findMany([...ids].reverse());
  return docs.map((d) => claimView(ctx, d, 'applicant'));
}
