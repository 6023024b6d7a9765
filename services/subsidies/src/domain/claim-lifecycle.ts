import { DomainError, type ProgrammeDeadlines, type TradeInKind } from '@recycling/contracts';
import { addDays, addWorkingDays, type WorkingCalendar } from './calendar';
import { maskReference } from './references';

// The life of a claim. A car claim waits for the network's evidence, is reviewed, approved (its
// amount committed from the budget) or rejected (resubmitted up to the programme's cap, then
// closed), and paid once. A counter sale is a claim of the retailer's: it waits for the old item's
// intake where the programme asks for one, is `ready` for reimbursement, enters review when the
// retailer claims it, and is paid to the retailer; a return reverses it.

export const CLAIM_STATUSES = [
  'awaiting-evidence',
  'ready',
  'in-review',
  'rejected',
  'approved',
  'paid',
  'reversed',
  'closed',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const CLAIM_STATUS_NAMES: Record<ClaimStatus, string> = {
  'awaiting-evidence': '等待证明材料 / Awaiting evidence',
  ready: '待申请结算 / Ready for reimbursement',
  'in-review': '审核中 / In review',
  rejected: '已退回，可补正后重新提交 / Rejected, may be resubmitted',
  approved: '已通过，待拨付 / Approved, awaiting payment',
  paid: '已拨付 / Paid',
  reversed: '已冲回 / Reversed',
  closed: '已终止 / Closed',
};

export interface ClaimState {
  /** The claim id. */
  _id: string;
  kind: TradeInKind;
  status: ClaimStatus;
  resubmissions: number;
}

const notNow = (claim: ClaimState, doing: string, code = 'invalid-claim-status') =>
  DomainError.conflict(
    code,
    `申请 ${claim._id} 当前状态为「${CLAIM_STATUS_NAMES[claim.status].split(' / ')[0]}」，不能${doing.split(' / ')[0]} / Claim ${claim._id} is ${claim.status}: cannot ${doing.split(' / ')[1]}.`,
    { details: { claimStatus: claim.status } },
  );

export function assertMayDecide(claim: ClaimState): void {
  if (claim.status !== 'in-review') throw notNow(claim, '审核 / decide it', 'not-in-review');
}

export interface RejectionOutcome {
  resubmissionsLeft: number;
  final: boolean;
}

/** After a rejection: how many resubmissions are left under the programme's cap. */
export function rejectionOutcome(claim: ClaimState, cap: number): RejectionOutcome {
  const left = claim.kind === 'counter-sale' ? 0 : Math.max(cap - claim.resubmissions, 0);
  return { resubmissionsLeft: left, final: left === 0 };
}

export function assertMayResubmit(claim: ClaimState, cap: number): void {
  if (claim.kind === 'counter-sale') throw notNow(claim, '重新提交 / resubmit it');
  if (claim.status !== 'rejected') throw notNow(claim, '重新提交 / resubmit it');
  if (claim.resubmissions >= cap) {
    throw DomainError.conflict(
      'resubmission-cap-reached',
      `已重新提交 ${claim.resubmissions} 次，达到上限 / Resubmitted ${claim.resubmissions} times: the programme allows no more.`,
    );
  }
}

/** Whether a claim is payable now; false when it was paid already (a retry pays nothing). */
export function needsPayment(claim: ClaimState): boolean {
  if (claim.status === 'paid') return false;
  if (claim.status !== 'approved') throw notNow(claim, '拨付 / pay it', 'not-approved');
  return true;
}

export function assertMayReturn(claim: ClaimState): void {
  if (claim.kind !== 'counter-sale') throw notNow(claim, '退货 / return it');
  if (claim.status === 'reversed' || claim.status === 'closed') {
    throw DomainError.conflict(
      'already-reversed',
      `销售 ${claim._id} 已退货或已终止 / Sale ${claim._id} was already returned or closed.`,
    );
  }
}

export function assertMayClaimReimbursement(claim: ClaimState): void {
  if (claim.status !== 'ready') {
    throw DomainError.conflict(
      'sale-not-ready',
      `销售 ${maskReference(claim._id)} 不能申请结算（${CLAIM_STATUS_NAMES[claim.status]}）/ Sale ${claim._id} cannot be claimed for reimbursement (${claim.status}).`,
      { details: { claimId: claim._id, claimStatus: claim.status } },
    );
  }
}

/** Local dates by which each step is due, from the programme's deadlines. */
export interface ClaimDeadlines {
  acceptBy?: string;
  reviewBy?: string;
  payBy?: string;
}

export const acceptDeadline = (submittedOn: string, d: ProgrammeDeadlines): string =>
  addDays(submittedOn, d.acceptDays);

export const reviewDeadline = (
  acceptedOn: string,
  d: ProgrammeDeadlines,
  calendar: WorkingCalendar,
): string => addWorkingDays(acceptedOn, d.reviewWorkingDays, calendar);

export const payDeadline = (approvedOn: string, d: ProgrammeDeadlines): string =>
  addDays(approvedOn, d.payDays);

export type OverdueStep = 'overdue-accept' | 'overdue-review' | 'overdue-payment';

/** The steps past their deadline on `today` (a deadline is the whole of its day). */
export function overdueSteps(status: ClaimStatus, deadlines: ClaimDeadlines, today: string): OverdueStep[] {
  const late = (by?: string) => by !== undefined && today > by;
  if (status === 'awaiting-evidence' && late(deadlines.acceptBy)) return ['overdue-accept'];
  if (status === 'in-review' && late(deadlines.reviewBy)) return ['overdue-review'];
  if (status === 'approved' && late(deadlines.payBy)) return ['overdue-payment'];
  return [];
}
