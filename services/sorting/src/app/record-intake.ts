import {
  IntakeEventTypes,
  PurchaseEventTypes,
  maskIdNumber,
  maskName,
  normaliseIdNumber,
  sellerKeyOf,
  type IntakeRecordedData,
} from '@recycling/contracts';
import { enqueue, type PendingEvent } from '@recycling/messaging';
import { newIntakeId } from '../domain/intake-ids';
import { newContents } from '../domain/intake-lines';
import { purchaseLines, purchaseRecorded } from '../domain/purchase';
import { RuleError } from '../domain/rule-error';
import type { RecordIntakeBody } from '../http/schemas';
import type { ArrivalDoc, IntakeDoc, StoredSeller } from '../store/models';
import type { Actor, SortingContext } from './context';
import { intakeView, partyRefOf, purchaseFactsOf } from './intake-views';
import { activeStation } from './stations';

// Recording an intake: one insert of the intake document with its events in the outbox, so that
// intake.recorded and (for a natural person) purchase.recorded reach their topics even if the
// process dies right after the write. A pickup intake also closes the pickup's expected arrival.

export async function recordIntake(
  ctx: SortingContext,
  actor: Actor,
  stationId: string,
  body: RecordIntakeBody,
  reservedIntakeId?: string,
) {
  actor.assertStation(stationId);
  const station = await activeStation(ctx, stationId);
  const pickupId = body.source.pickupId;
  const record = async () => {
    // A retry (same Idempotency-Key) after a crash finds the intake the crashed attempt saved.
    if (reservedIntakeId) {
      const saved = await ctx.models.Intake.findById(reservedIntakeId).lean();
      if (saved) return saved;
    }
    const arrival = pickupId ? await checkPickup(ctx, stationId, pickupId) : null;
    const districtCode = arrival?.districtCode ?? station.districtCode;
    const doc = await save(ctx, actor, station, districtCode, body, reservedIntakeId);
    if (arrival) await ctx.models.Arrival.updateOne({ _id: arrival._id }, { $set: { intakeId: doc._id } });
    return doc;
  };
  // One pickup, one intake: recordings of the same pickup (and its consumer) take turns.
  const doc = pickupId ? await ctx.messaging.locks.withLock(`arrival:${pickupId}`, record) : await record();
  ctx.messaging.relay.nudge(ctx.models.Intake, [doc._id]);
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

async function checkPickup(
  ctx: SortingContext,
  stationId: string,
  pickupId: string,
): Promise<ArrivalDoc | null> {
  const earlier = await ctx.models.Intake.findOne({ 'source.pickupId': pickupId }, { _id: 1 }).lean();
  if (earlier) {
    throw new RuleError(
      'conflict',
      `该上门回收单已入库 (${earlier._id}) / Pickup ${pickupId} was already received as ${earlier._id}`,
      'source.pickupId',
    );
  }
  // The pickup's events may not have reached us yet; the intake is recorded all the same and the
  // difference against the booking shows once they do.
  const arrival = await ctx.models.Arrival.findById(pickupId).lean();
  if (!arrival) return null;
  if (arrival.stationId !== stationId) {
    throw new RuleError(
      'conflict',
      `该上门回收单分配给其他回收站 / Pickup ${pickupId} is assigned to another station`,
      'source.pickupId',
    );
  }
  if (arrival.status === 'cancelled' || arrival.status === 'failed') {
    throw new RuleError(
      'conflict',
      `该上门回收单已${arrival.status === 'cancelled' ? '取消' : '失败关闭'} / Pickup ${pickupId} is ${arrival.status}`,
      'source.pickupId',
    );
  }
  return arrival;
}

function sellerOf(ctx: SortingContext, seller: RecordIntakeBody['seller'], now: Date): StoredSeller {
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

async function save(
  ctx: SortingContext,
  actor: Actor,
  station: { _id: string; enterpriseId: string },
  districtCode: string,
  body: RecordIntakeBody,
  reservedIntakeId: string | undefined,
): Promise<IntakeDoc> {
  const now = ctx.now();
  const receivedAt = body.receivedAt ? new Date(body.receivedAt) : now;
  if (receivedAt.getTime() > now.getTime() + 60_000) {
    throw new RuleError('invalid', '收货时间不能晚于现在 / receivedAt is in the future', 'receivedAt');
  }
  const intakeId = reservedIntakeId ?? newIntakeId(receivedAt, ctx.profile.timezone);
  const contents = newContents(body.lines, ctx.profile.appliances.defaultWeightGrams);
  const seller = sellerOf(ctx, body.seller, now);
  const weighed = contents.lines.some((l) => !l.weightEstimated);
  const doc: IntakeDoc = {
    _id: intakeId,
    stationId: station._id,
    enterpriseId: station.enterpriseId,
    districtCode,
    source: body.source,
    seller,
    revision: 1,
    contents,
    revisions: [{ revision: 1, contents, recordedAt: now, recordedBy: actor.sub }],
    sorted: [],
    purchaseRevision: 0,
    receivedAt,
    paidAt: body.paidAt ? new Date(body.paidAt) : now,
    ...(body.weighingRecordId || weighed
      ? { weighingRecordId: body.weighingRecordId ?? `wr-${intakeId}` }
      : {}),
    paymentRecordId: body.paymentRecordId ?? `pay-${intakeId}`,
    recordedBy: actor.sub,
    outbox: [],
    outboxUpdatedAt: null,
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
  const events: PendingEvent[] = [
    ctx.messaging.events(IntakeEventTypes.recorded, recorded, { subject: intakeId }),
  ];
  if (seller.kind === 'person') {
    const lines = purchaseLines(contents, ctx.scrapTaxCategoryCode);
    if (lines.length > 0) {
      const data = purchaseRecorded(purchaseFactsOf(doc, seller), lines, doc.paidAt.toISOString());
      events.push(ctx.messaging.events(PurchaseEventTypes.recorded, data, { subject: intakeId }));
      doc.purchaseRevision = 1;
    }
  }
  const model = new ctx.models.Intake(doc);
  enqueue(model, events);
  await model.save();
  return model.toObject();
}
