import { DomainError } from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import { AggregateRepository, type RepositoryDeps } from '@recycling/store';
import type { HydratedDocument } from 'mongoose';
import type { ClaimDoc, Models, ReimbursementDoc } from './models';

export const claimNotFound = (claimId: string) =>
  DomainError.notFound('claim-not-found', `未找到申请 ${claimId} / Claim ${claimId} not found.`);

/** Claims (a counter sale is one): one writer per claim (lock `claim:<id>`), events saved with each change. */
export class ClaimRepository extends AggregateRepository<ClaimDoc, PendingEvent> {
  constructor(models: Pick<Models, 'Claim'>, deps: RepositoryDeps) {
    super(models.Claim, deps, { lockPrefix: 'claim', notFound: claimNotFound });
  }

  /** Applies a consumed fact once per event id, under the claim's lock (HTTP use cases write it too). */
  async applyOnce(
    claimId: string,
    eventId: string,
    apply: (doc: HydratedDocument<ClaimDoc>) => { events?: PendingEvent[] } | void,
  ): Promise<'applied' | 'duplicate' | 'unknown-claim'> {
    if (!(await this.find(claimId))) return 'unknown-claim';
    const { result } = await this.update(claimId, (doc) => {
      if (doc.appliedEvents.includes(eventId)) return { result: 'duplicate' as const };
      const outcome = apply(doc);
      doc.appliedEvents.push(eventId);
      return { events: outcome?.events ?? [], result: 'applied' as const };
    });
    return result;
  }
}

export const reimbursementNotFound = (id: string) =>
  DomainError.notFound('reimbursement-not-found', `未找到结算申请 ${id} / Reimbursement ${id} not found.`);

/** A retailer's reimbursement claims, created once with their event. */
export class ReimbursementRepository extends AggregateRepository<ReimbursementDoc, PendingEvent> {
  constructor(models: Pick<Models, 'Reimbursement'>, deps: RepositoryDeps) {
    super(models.Reimbursement, deps, { lockPrefix: 'reimbursement', notFound: reimbursementNotFound });
  }
}
