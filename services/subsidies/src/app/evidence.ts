import { SubsidyEventTypes, type SubsidyEvidenceRef } from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import type { HydratedDocument } from 'mongoose';
import { localDateOf } from '../domain/calendar';
import { reviewDeadline } from '../domain/claim-lifecycle';
import {
  evidenceKeys,
  matchOldItem,
  matchReplaceClaim,
  matchScrapClaim,
  type CertificateEvidence,
  type DeregistrationEvidence,
  type MatchOutcome,
  type OldItemEvidence,
  type UsedCarEvidence,
  type VehicleEvidence,
} from '../domain/evidence';
import { programmeYear } from '../domain/programmes';
import type { ClaimDoc } from '../store/models';
import { calendarOf, listIds, listOfStatus, type SubsidyContext } from './context';

// A claim and its evidence meet in either order. A claim registers in the wait list of every piece of
// evidence it needs BEFORE it reads the evidence; the consumer stores the evidence BEFORE it reads the
// wait list. Whichever comes second sees the other, so no claim waits for evidence that has arrived.

/** The evidence keys a claim needs, to wait on them. */
export function neededEvidence(claim: Pick<ClaimDoc, '_id' | 'kind' | 'car' | 'sale'>): string[] {
  if (claim.kind === 'car-scrap' && claim.car) {
    return [
      evidenceKeys.certificate(claim.car.oldCar.certificateNo!),
      evidenceKeys.deregistration(claim.car.oldCar.vin),
      evidenceKeys.vehicle(claim.car.oldCar.vin),
    ];
  }
  if (claim.kind === 'car-replace' && claim.car) return [evidenceKeys.usedCar(claim.car.oldCar.vin)];
  if (claim.kind === 'counter-sale' && claim.sale?.requiresOldItemIntake)
    return [evidenceKeys.oldItem(claim._id)];
  return [];
}

export async function waitForEvidence(
  ctx: SubsidyContext,
  claim: Pick<ClaimDoc, '_id' | 'kind' | 'car' | 'sale'>,
) {
  for (const key of neededEvidence(claim)) await ctx.lists.add(listIds.waits(key), [claim._id]);
}

async function match(ctx: SubsidyContext, doc: ClaimDoc): Promise<MatchOutcome> {
  const found = await ctx.evidence.getMany(neededEvidence(doc));
  const car = doc.car;
  if (doc.kind === 'car-scrap' && car) {
    return matchScrapClaim(
      {
        oldVin: car.oldCar.vin,
        certificateNo: car.oldCar.certificateNo!,
        declared: {
          registrationDate: car.oldCar.registrationDate,
          fuelType: car.oldCar.fuelType as never,
        },
      },
      {
        certificate: found.get(evidenceKeys.certificate(car.oldCar.certificateNo!)) as CertificateEvidence,
        deregistration: found.get(evidenceKeys.deregistration(car.oldCar.vin)) as DeregistrationEvidence,
        vehicle: found.get(evidenceKeys.vehicle(car.oldCar.vin)) as VehicleEvidence,
      },
    );
  }
  if (doc.kind === 'car-replace' && car) {
    return matchReplaceClaim(
      {
        oldVin: car.oldCar.vin,
        usedCarTransactionId: car.oldCar.usedCarTransactionId,
        ownedSince: car.oldCar.ownedSince,
      },
      found.get(evidenceKeys.usedCar(car.oldCar.vin)) as UsedCarEvidence,
    );
  }
  return matchOldItem(doc._id, found.get(evidenceKeys.oldItem(doc._id)) as OldItemEvidence);
}

/**
 * Decides a waiting claim if its evidence is complete: matched (or not, with flags) and accepted
 * into review, or, for a counter sale, ready for the retailer's reimbursement. Under the claim's
 * lock; a claim no longer waiting is left as it is.
 */
export async function reconsiderClaim(ctx: SubsidyContext, claimId: string): Promise<void> {
  const current = await ctx.claims.find(claimId);
  if (current?.status !== 'awaiting-evidence') return;
  let moved: { from?: string; to?: string } = {};
  await ctx.claims.update(claimId, async (doc) => {
    if (doc.status !== 'awaiting-evidence') return {};
    const outcome = await match(ctx, doc);
    if (!outcome.complete) {
      doc.evidence.waitingFor = outcome.waitingFor;
      doc.markModified('evidence');
      return {};
    }
    const now = ctx.now();
    const next = doc.kind === 'counter-sale' ? ('ready' as const) : ('in-review' as const);
    const to = listOfStatus(doc, next);
    if (to) await ctx.lists.add(to, [doc._id]);
    moved = { from: listOfStatus(doc), to };
    doc.evidence = {
      refs: mergeRefs(doc.evidence.refs, outcome.evidence),
      matched: outcome.matched,
      waitingFor: [],
      checkedAt: now,
    };
    for (const f of outcome.flags) doc.flags.push({ code: f.code, note: f.note, at: now });
    doc.status = next;
    if (next === 'in-review') {
      const { year } = programmeYear(ctx.tradeIn, doc.programmeCode, doc.programmeYear);
      doc.acceptedAt = now;
      doc.deadlines = {
        ...doc.deadlines,
        reviewBy: reviewDeadline(localDateOf(now, ctx.profile.timezone), year.deadlines, calendarOf(ctx)),
      };
    }
    const event = evidenceMatchedEvent(
      ctx,
      doc,
      outcome.matched,
      outcome.evidence,
      outcome.flags.map((f) => f.code),
    );
    doc.history.push({
      at: now,
      action: outcome.matched ? 'evidence-matched' : 'evidence-flagged',
      by: { role: 'system' },
      note: outcome.flags.map((f) => f.note).join('; ') || undefined,
      eventId: event.id,
    });
    doc.markModified('evidence');
    return { events: [event] };
  });
  if (moved.from && moved.from !== moved.to) await ctx.lists.remove(moved.from, [claimId]);
  if (moved.to !== undefined || moved.from !== undefined) {
    for (const key of neededEvidence(current)) await ctx.lists.remove(listIds.waits(key), [claimId]);
  }
}

const mergeRefs = (a: SubsidyEvidenceRef[], b: SubsidyEvidenceRef[]) => [
  ...a,
  ...b.filter((r) => !a.some((x) => x.eventId === r.eventId)),
];

function evidenceMatchedEvent(
  ctx: SubsidyContext,
  doc: HydratedDocument<ClaimDoc>,
  matched: boolean,
  evidence: SubsidyEvidenceRef[],
  flags: string[],
): PendingEvent {
  return ctx.events(
    SubsidyEventTypes.evidenceMatched,
    {
      claimId: doc._id,
      programmeCode: doc.programmeCode,
      programmeKind: doc.kind,
      programmeYear: doc.programmeYear,
      districtCode: doc.districtCode,
      matched,
      evidence,
      flags,
      occurredAt: ctx.now().toISOString(),
    },
    { subject: doc._id },
  );
}

/** Evidence under `key` arrived: every claim waiting for it is reconsidered. */
export async function wakeClaims(ctx: SubsidyContext, key: string): Promise<number> {
  const waiting = await ctx.lists.ids(listIds.waits(key));
  for (const claimId of waiting) await reconsiderClaim(ctx, claimId);
  return waiting.length;
}
