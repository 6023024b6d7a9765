import type { CityProfile, TradeInSubsidies } from '@recycling/contracts';
import type { EventFactory } from '@recycling/messaging';
import type { Logger } from '@recycling/observability';
import { localDateOf, type WorkingCalendar } from '../domain/calendar';
import type { BudgetLedger } from '../store/budget-ledger';
import type { ClaimRepository, ReimbursementRepository } from '../store/claim-repository';
import type { EvidenceStore } from '../store/evidence-store';
import type { WorkLists } from '../store/lists';
import type { PaymentStore } from '../store/payment-store';
import type { RetailerRepository } from '../store/retailer-repository';
import type { SignalStore } from '../store/signal-store';
import type { UniqueKeys } from '../store/unique-keys';

/** What the use cases work with; built once by the service definition. */
export interface SubsidyContext {
  claims: ClaimRepository;
  reimbursements: ReimbursementRepository;
  uniqueKeys: UniqueKeys;
  evidence: EvidenceStore;
  lists: WorkLists;
  budgets: BudgetLedger;
  payments: PaymentStore;
  retailers: RetailerRepository;
  signals: SignalStore;
  events: EventFactory;
  profile: CityProfile;
  /** The profile's programmes (the service does not start without them). */
  tradeIn: TradeInSubsidies;
  /** SELLER_KEY_SECRET: person keys and contact hashes. */
  personKeySecret: string;
  /** SUBSIDY_DATA_KEY: AES-256-GCM key of personal data at rest. */
  dataKey: Buffer;
  logger: Logger;
  now: () => Date;
}

export const todayOf = (ctx: SubsidyContext): string => localDateOf(ctx.now(), ctx.profile.timezone);

export const calendarOf = (ctx: SubsidyContext): WorkingCalendar => ({
  nonWorkingDays: ctx.tradeIn.nonWorkingDays,
  workingWeekendDays: ctx.tradeIn.workingWeekendDays,
});

/** Ids of the lists that stand in for queries (store/lists.ts). */
export const listIds = {
  awaiting: (programmeCode: string, year: number) => `awaiting:${programmeCode}:${year}`,
  review: (programmeCode: string, year: number) => `review:${programmeCode}:${year}`,
  payable: (programmeCode: string, year: number) => `payable:${programmeCode}:${year}`,
  ready: (retailerId: string, programmeCode: string, year: number) =>
    `ready:${retailerId}:${programmeCode}:${year}`,
  resident: (residentId: string) => `resident:${residentId}`,
  retailerSales: (retailerId: string, month: string) => `retailer-sales:${retailerId}:${month}`,
  payments: (month: string) => `payments:${month}`,
  batches: (programmeCode: string, year: number) => `batches:${programmeCode}:${year}`,
  reimbursements: (retailerId: string) => `reimbursements:${retailerId}`,
  /** Claims waiting for the evidence under this key. */
  waits: (evidenceKey: string) => `waits:${evidenceKey}`,
};

/** The list a claim of this status is indexed in, if any. */
export function listOfStatus(
  claim: { status: string; programmeCode: string; programmeYear: number; sale?: { retailerId: string } },
  status = claim.status,
): string | undefined {
  const { programmeCode: p, programmeYear: y } = claim;
  switch (status) {
    case 'awaiting-evidence':
      return listIds.awaiting(p, y);
    case 'ready':
      return claim.sale ? listIds.ready(claim.sale.retailerId, p, y) : undefined;
    case 'in-review':
      return listIds.review(p, y);
    case 'approved':
      return listIds.payable(p, y);
    default:
      return undefined;
  }
}
