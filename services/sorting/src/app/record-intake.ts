import {
  assertPaidNotInFuture,
  DomainError,
  IntakeEventTypes,
  PurchaseEventTypes,
  maskIdNumber,
  maskName,
  normaliseIdNumber,
  sellerKeyOf,
  type IdDocumentType,
  type IntakeRecordedData,
  type IntakeSource,
  type Principal,
} from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import { checkReceivable } from '../domain/arrivals';
import { intakeIdReceivedAt, newIntakeId } from '../domain/intake-ids';
import { newContents, type LineInput } from '../domain/intake-lines';
import { purchaseLines, purchaseRecorded } from '../domain/purchase';
import type { NewIntake } from '../store/intake-repository';
import type { StationDoc, StoredSeller } from '../store/models';
import type { SortingContext } from './context';
import { intakeView, partyRefOf, purchaseFactsOf } from './intake-views';
import { activeStation } from './stations';
import { noteIntakeReceived } from './work-list';

export type SellerInput =
  | {
      kind: 'person';
      name: string;
      idType: IdDocumentType;
      idNumber: string;
      consentToReverseInvoicing: true;
      consentRecordedAt?: string;
    }
  | { kind: 'organisation'; organisationName: string; taxpayerId?: string };

/** What the desk enters (http/schemas.ts validates it). */
export interface RecordIntakeInput {
  source: IntakeSource;
  seller: SellerInput;
  lines: LineInput[];
  receivedAt?: string;
  paidAt?: string;
  weighingRecordId?: string;
  paymentRecordId?: string;
}

// Recording an intake: one insert of the intake document with its events in the outbox, so that
// intake.recorded and (for a natural person) purchase.recorded reach their topics even if the
// process dies right after the write. A pickup intake also closes the pickup's expected arrival.

/**
 * Records an intake at the station (the endpoint has checked the caller's station). `reservedId`
 * is the intake id reserved with the request's Idempotency-Key: a retry that takes over a claim
 * left by a crash finds the intake the crashed attempt saved instead of recording a second one.
 */
export async function recordIntake(
  ctx: SortingContext,
  principal: Principal,
  stationId: string,
  input: RecordIntakeInput,
  reservedId: string,
) {
  const station = await activeStation(ctx, stationId);
  const pickupId = input.source.pickupId;
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : undefined;
  const intakeId = receivedAt ? intakeIdReceivedAt(reservedId, receivedAt, ctx.profile.timezone) : reservedId;
  const doc = await ctx.intakes.record(intakeId, pickupId, (pickup) => {
    // The pickup's events may not have reached us yet; the intake is recorded all the same and the
    // difference against the booking shows once they do.
    if (pickupId) checkReceivable(pickupId, stationId, pickup?.arrival ?? null, pickup?.earlierIntakeId);
    const districtCode = pickup?.arrival?.districtCode ?? station.districtCode;
    return newIntake(ctx, principal, station, districtCode, input, intakeId);
  });
  await noteIntakeReceived(ctx, doc);
  ctx.logger.info(
    {
      intakeId: doc._id,
      stationId,
      seller:
        doc.seller.kind === 'person'
          ? { name: maskName(doc.seller.name), idNumber: maskIdNumber(doc.seller.idNumber) }
          : { organisation: doc.seller.organisationName },
      totalFen: doc.contents.totalFen,
    },
    'intake recorded',
  );
  return intakeView(doc);
}

function sellerOf(ctx: SortingContext, seller: SellerInput, now: Date): StoredSeller {
  if (seller.kind === 'organisation') {
    return {
      kind: 'organisation',
      organisationName: seller.organisationName,
      ...(seller.taxpayerId ? { taxpayerId: seller.taxpayerId } : {}),
    };
  }
  const idNumber = normaliseIdNumber(seller.idNumber);
  return {
    kind: 'person',
    sellerKey: sellerKeyOf(seller.idType, idNumber, ctx.sellerKeySecret),
    name: seller.name,
    idType: seller.idType,
    idNumber,
    consentRecordedAt: seller.consentRecordedAt ? new Date(seller.consentRecordedAt) : now,
  };
}

/** The intake document and its events (intake.recorded, and purchase.recorded for a person's sale). */
function newIntake(
  ctx: SortingContext,
  principal: Principal,
  station: StationDoc,
  districtCode: string,
  body: RecordIntakeInput,
  intakeId: string,
): { intake: NewIntake; events: PendingEvent[] } {
  const now = ctx.now();
  const receivedAt = body.receivedAt ? new Date(body.receivedAt) : now;
  if (receivedAt.getTime() > now.getTime() + 60_000) {
    throw DomainError.invalid(
      'received-in-future',
      'receivedAt',
      '收货时间不能晚于现在 / receivedAt is in the future',
    );
  }
  if (body.paidAt) assertPaidNotInFuture(new Date(body.paidAt), now, 'paidAt');
  const contents = newContents(body.lines, ctx.profile.appliances.defaultWeightGrams);
  const seller = sellerOf(ctx, body.seller, now);
  const weighed = contents.lines.some((l) => !l.weightEstimated);
  const doc: NewIntake = {
    _id: intakeId,
    stationId: station._id,
    enterpriseId: station.enterpriseId,
    districtCode,
    source: body.source,
    seller,
    revision: 1,
    contents,
    revisions: [{ revision: 1, contents, recordedAt: now, recordedBy: principal.sub }],
    sorted: [],
    purchaseRevision: 0,
    receivedAt,
    paidAt: body.paidAt ? new Date(body.paidAt) : now,
    ...(body.weighingRecordId || weighed
      ? { weighingRecordId: body.weighingRecordId ?? `wr-${intakeId}` }
      : {}),
    paymentRecordId: body.paymentRecordId ?? `pay-${intakeId}`,
    recordedBy: principal.sub,
  };

  const recorded: IntakeRecordedData = {
    intakeId,
    stationId: station._id,
    enterpriseId: station.enterpriseId,
    districtCode,
    source: body.source,
    seller: partyRefOf(seller),
    contents,
    revision: 1,
    occurredAt: receivedAt.toISOString(),
  };
  const events: PendingEvent[] = [ctx.events(IntakeEventTypes.recorded, recorded, { subject: intakeId })];
  if (seller.kind === 'person') {
    const lines = purchaseLines(contents, ctx.scrapTaxCategoryCode);
    if (lines.length > 0) {
      const data = purchaseRecorded(purchaseFactsOf(doc, seller), lines, doc.paidAt.toISOString());
      events.push(ctx.events(PurchaseEventTypes.recorded, data, { subject: intakeId }));
      doc.purchaseRevision = 1;
    }
  }
  return { intake: doc, events };
}

/** A fresh intake id, reserved with the request's Idempotency-Key before the intake is recorded. */
export const reserveIntakeId = (ctx: SortingContext): string => newIntakeId(ctx.now(), ctx.profile.timezone);
