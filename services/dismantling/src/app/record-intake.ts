// Taking a vehicle in: the site's qualification, the pickup it came from, the owner's seller key,
// the plan's flags, and the purchase to invoice when a natural person was paid.
import {
  maskPlate,
  normaliseIdNumber,
  PurchaseEventTypes,
  sellerKeyOf,
  vehicleFlags,
  VehicleEventTypes,
  type PartyRef,
  type SellerIdentity,
} from '@recycling/contracts';
import { enqueue, type PendingEvent } from '@recycling/messaging';
import { localDate } from '../domain/calendar';
import { assertMayTakeIn } from '../domain/dismantler';
import { RuleViolation } from '../domain/errors';
import { isInvoiceablePurchase, vehiclePurchaseRecorded } from '../domain/purchase';
import type { RecordIntakeBody } from '../http/schemas';
import type { IntakeRecord, OwnerRecord } from '../store/models';
import { claimVin, releaseVin } from '../store/vin-claims';
import { withoutUndefined, type AppContext } from './context';
import { newIntakeId, withoutOutbox, type SiteAccess } from './intake-common';
import { backfillIntake, noteEarlyIntake } from './pickup-backfill';

export async function recordIntake(
  ctx: AppContext,
  input: RecordIntakeBody,
  access: SiteAccess,
): Promise<IntakeRecord> {
  access(input.dismantlerId);
  const now = ctx.now();
  const dismantler = assertMayTakeIn(
    await ctx.models.Dismantler.findById(input.dismantlerId)
      .lean()
      .then((d) => (d ? { ...d, dismantlerId: d._id } : null)),
    input.dismantlerId,
    localDate(now, ctx.profile.timezone),
  );

  let districtCode = dismantler.districtCode;
  let residentKey: string | undefined;
  if (input.pickupId) {
    const expected = await ctx.models.ExpectedVehicle.findById(input.pickupId).lean();
    if (expected && expected.dismantlerId !== input.dismantlerId) {
      throw new RuleViolation(
        'conflict',
        'pickup-assigned-elsewhere',
        `上门取车单 ${input.pickupId} 指派给了其他拆解企业 / Pickup ${input.pickupId} is assigned to another dismantler.`,
        'pickupId',
      );
    }
    if (expected && (expected.status === 'cancelled' || expected.status === 'failed')) {
      throw new RuleViolation(
        'conflict',
        'pickup-closed',
        `上门取车单 ${input.pickupId} 已${expected.status === 'cancelled' ? '取消' : '失败关闭'} / Pickup ${input.pickupId} is ${expected.status}.`,
        'pickupId',
      );
    }
    if (expected) {
      districtCode = expected.districtCode;
      residentKey = expected.residentKey;
    }
  }

  const owner: OwnerRecord =
    input.owner.kind === 'person'
      ? {
          kind: 'person',
          name: input.owner.name,
          idType: input.owner.idType,
          idNumber: normaliseIdNumber(input.owner.idNumber),
          sellerKey: sellerKeyOf(input.owner.idType, input.owner.idNumber, ctx.sellerKeySecret),
        }
      : {
          kind: 'organisation',
          organisationName: input.owner.organisationName,
          ...(input.owner.taxpayerId ? { taxpayerId: input.owner.taxpayerId } : {}),
        };
  const partyRef: PartyRef =
    owner.kind === 'person'
      ? { kind: 'person', sellerKey: owner.sellerKey }
      : { kind: 'organisation', organisationName: owner.organisationName, taxpayerId: owner.taxpayerId };

  const flags = vehicleFlags(input, ctx.profile.subsidies);
  const vehicleIntakeId = newIntakeId(now, ctx.profile.timezone);
  const plateMasked = maskPlate(input.plate);
  const occurredAt = now.toISOString();
  const events: PendingEvent[] = [
    ctx.messaging.events(
      VehicleEventTypes.received,
      withoutUndefined({
        vin: input.vin,
        plateMasked,
        vehicleType: input.vehicleType,
        fuelType: input.fuelType,
        emissionStandard: input.emissionStandard,
        registrationDate: input.registrationDate,
        vehicleIntakeId,
        dismantlerId: dismantler.dismantlerId,
        enterpriseId: dismantler.enterpriseId,
        districtCode,
        pickupId: input.pickupId,
        owner: partyRef,
        engineNo: input.engineNo,
        curbWeightGrams: input.curbWeightGrams,
        weighedGrams: input.weighedGrams,
        documentsReceived: input.documentsReceived,
        priceFen: input.priceFen,
        flags,
        occurredAt,
      }),
      { subject: input.vin },
    ),
  ];
  let purchase = null;
  if (owner.kind === 'person' && isInvoiceablePurchase(owner, input.priceFen) && input.payment) {
    const seller: SellerIdentity = {
      sellerKey: owner.sellerKey,
      name: owner.name,
      idType: owner.idType as SellerIdentity['idType'],
      idNumber: owner.idNumber,
    };
    purchase = vehiclePurchaseRecorded(
      {
        vehicleIntakeId,
        enterpriseId: dismantler.enterpriseId,
        dismantlerId: dismantler.dismantlerId,
        seller,
        priceFen: input.priceFen,
        paidAt: input.payment.paidAt,
        paymentRecordId: input.payment.paymentRecordId,
        consentRecordedAt: input.payment.consentRecordedAt,
        occurredAt,
        pickupId: input.pickupId,
      },
      ctx.purchaseTerms,
    );
    events.push(
      ctx.messaging.events(PurchaseEventTypes.recorded, purchase, { subject: purchase.purchaseId }),
    );
  }

  // The claim comes first: once the intake (with its events) is saved, the relay may publish it.
  await claimVin(ctx.models, input.vin, vehicleIntakeId, now);
  // A pickup we have not heard of: noted before the save, so a crash cannot leave it unnoted.
  const early = input.pickupId !== undefined && residentKey === undefined;
  if (early) await noteEarlyIntake({ ...ctx, locks: ctx.messaging.locks }, input.pickupId!, vehicleIntakeId);
  const doc = new ctx.models.VehicleIntake({
    _id: vehicleIntakeId,
    vin: input.vin,
    dismantlerId: dismantler.dismantlerId,
    enterpriseId: dismantler.enterpriseId,
    districtCode,
    pickupId: input.pickupId,
    residentKey,
    status: 'received',
    owner,
    plate: input.plate,
    plateMasked,
    engineNo: input.engineNo,
    brandModel: input.brandModel,
    vehicleType: input.vehicleType,
    fuelType: input.fuelType,
    emissionStandard: input.emissionStandard,
    registrationDate: input.registrationDate,
    curbWeightGrams: input.curbWeightGrams,
    weighedGrams: input.weighedGrams,
    documentsReceived: input.documentsReceived,
    photoIds: input.photoIds,
    priceFen: input.priceFen,
    flags,
    receivedAt: now,
    purchase,
  });
  enqueue(doc, events);
  try {
    await doc.save();
  } catch (error) {
    await releaseVin(ctx.models, input.vin, vehicleIntakeId).catch(() => undefined);
    throw error;
  }
  ctx.messaging.relay.nudge(ctx.models.VehicleIntake, [doc._id]);
  ctx.logger.info({ vehicleIntakeId, dismantlerId: dismantler.dismantlerId }, 'vehicle taken in');
  if (early) {
    // The pickup was unknown when we looked; if its event was recorded since, link it now (the
    // pickups consumer links it when the event comes later).
    const linked = await backfillIntake({ ...ctx, locks: ctx.messaging.locks }, vehicleIntakeId);
    if (linked === 'filled') {
      const fresh = await ctx.models.VehicleIntake.findById(vehicleIntakeId, {
        outbox: 0,
        outboxUpdatedAt: 0,
      }).lean();
      if (fresh) return fresh;
    }
  }
  return withoutOutbox(doc.toObject());
}
