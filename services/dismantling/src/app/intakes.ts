import { randomBytes } from 'node:crypto';
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
import type { HydratedDocument } from 'mongoose';
import { localDate, localYear } from '../domain/calendar';
import { assertMayTakeIn } from '../domain/dismantler';
import { RuleViolation } from '../domain/errors';
import { isInvoiceablePurchase, vehiclePurchaseRecorded, vehiclePurchaseWithdrawn } from '../domain/purchase';
import {
  assertMayRecordDeregistrationOutcome,
  assertMayRecordDismantling,
  assertMayRequestDeregistration,
  assertMayVoid,
  needsCertificate,
  type IntakeLifecycle,
} from '../domain/vehicle-intake';
import type { RecordDismantlingBody, RecordIntakeBody } from '../http/schemas';
import { allocateCertificateNo } from '../store/certificate-numbers';
import type { IntakeRecord, OwnerRecord, VehicleIntakeDoc } from '../store/models';
import { claimVin, releaseVin } from '../store/vin-claims';
import { compact, withoutUndefined, type AppContext } from './context';

/** Throws (403) unless the caller may act for this site. */
export type SiteAccess = (dismantlerId: string) => void;

type IntakeDocument = HydratedDocument<VehicleIntakeDoc>;

const newIntakeId = (now: Date, timeZone: string) =>
  `vi-${localDate(now, timeZone).replace(/-/g, '')}-${randomBytes(5).toString('hex')}`;

const lifecycle = (doc: VehicleIntakeDoc): IntakeLifecycle => ({
  vehicleIntakeId: doc._id,
  status: doc.status,
  fuelType: doc.fuelType as IntakeLifecycle['fuelType'],
  certificate: doc.certificate,
  deregistration: doc.deregistration,
  dismantling: doc.dismantling,
});

const withoutOutbox = ({ outbox: _outbox, outboxUpdatedAt: _at, ...rest }: VehicleIntakeDoc): IntakeRecord =>
  rest;

const notFound = (vehicleIntakeId: string) =>
  new RuleViolation(
    'not-found',
    'intake-not-found',
    `未找到接收记录 ${vehicleIntakeId} / Vehicle intake ${vehicleIntakeId} not found.`,
  );

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
      },
      ctx.purchaseTerms,
    );
    events.push(
      ctx.messaging.events(PurchaseEventTypes.recorded, purchase, { subject: purchase.purchaseId }),
    );
  }

  // The claim comes first: once the intake (with its events) is saved, the relay may publish it.
  await claimVin(ctx.models, input.vin, vehicleIntakeId, now);
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
  ctx.messaging.relay.nudge();
  ctx.logger.info({ vehicleIntakeId, dismantlerId: dismantler.dismantlerId }, 'vehicle taken in');
  return withoutOutbox(doc.toObject());
}

export async function getIntake(
  ctx: AppContext,
  vehicleIntakeId: string,
  access: SiteAccess,
): Promise<IntakeRecord> {
  const doc = await ctx.models.VehicleIntake.findById(vehicleIntakeId, {
    outbox: 0,
    outboxUpdatedAt: 0,
  }).lean();
  if (!doc) throw notFound(vehicleIntakeId);
  access(doc.dismantlerId);
  return doc;
}

/** A site's intakes, newest first. */
export async function listIntakes(
  ctx: AppContext,
  query: { dismantlerId: string; status?: 'received' | 'voided'; limit: number },
  access: SiteAccess,
): Promise<IntakeRecord[]> {
  access(query.dismantlerId);
  return ctx.models.VehicleIntake.find(
    { dismantlerId: query.dismantlerId, ...(query.status ? { status: query.status } : {}) },
    { outbox: 0, outboxUpdatedAt: 0 },
  )
    .sort({ receivedAt: -1 })
    .limit(query.limit)
    .lean();
}

/** Load, decide and save one intake under its lock, with the events of the change in its outbox. */
async function changeIntake(
  ctx: AppContext,
  vehicleIntakeId: string,
  access: SiteAccess,
  decide: (doc: IntakeDocument, now: Date) => Promise<PendingEvent[]>,
): Promise<IntakeRecord> {
  const saved = await ctx.messaging.locks.withLock(`vehicle-intake:${vehicleIntakeId}`, async () => {
    const doc = await ctx.models.VehicleIntake.findById(vehicleIntakeId);
    if (!doc) throw notFound(vehicleIntakeId);
    access(doc.dismantlerId);
    const events = await decide(doc, ctx.now());
    if (events.length === 0 && !doc.isModified()) return doc;
    if (events.length > 0) {
      enqueue(doc, events, await ctx.messaging.relay.publishedAmong(doc.outbox.map((e) => e.id)));
    }
    await doc.save();
    return doc;
  });
  ctx.messaging.relay.nudge();
  return withoutOutbox(saved.toObject());
}

export function voidIntake(
  ctx: AppContext,
  vehicleIntakeId: string,
  reason: string,
  access: SiteAccess,
): Promise<IntakeRecord> {
  return changeIntake(ctx, vehicleIntakeId, access, async (doc, now) => {
    assertMayVoid(lifecycle(doc));
    const occurredAt = now.toISOString();
    doc.status = 'voided';
    doc.voided = { reason, at: now };
    const events = [
      ctx.messaging.events(
        VehicleEventTypes.intakeVoided,
        { vin: doc.vin, vehicleIntakeId: doc._id, dismantlerId: doc.dismantlerId, reason, occurredAt },
        { subject: doc.vin },
      ),
    ];
    if (doc.purchase) {
      const withdrawn = vehiclePurchaseWithdrawn(doc.purchase, reason, occurredAt);
      events.push(
        ctx.messaging.events(PurchaseEventTypes.corrected, withdrawn, { subject: withdrawn.purchaseId }),
      );
    }
    return events;
  }).then(async (intake) => {
    // Released after the void is saved: a crash in between leaves a claim that claimVin sees as stale.
    await releaseVin(ctx.models, intake.vin, intake._id);
    return intake;
  });
}

export function issueCertificate(
  ctx: AppContext,
  vehicleIntakeId: string,
  access: SiteAccess,
): Promise<IntakeRecord> {
  return changeIntake(ctx, vehicleIntakeId, access, async (doc, now) => {
    if (!needsCertificate(lifecycle(doc))) return [];
    const certificateNo = await allocateCertificateNo(
      ctx.models,
      doc.dismantlerId,
      localYear(now, ctx.profile.timezone),
      doc._id,
      now,
    );
    doc.certificate = { certificateNo, issuedAt: now };
    return [
      ctx.messaging.events(
        VehicleEventTypes.certificateIssued,
        withoutUndefined({
          vin: doc.vin,
          vehicleIntakeId: doc._id,
          certificateNo,
          dismantlerId: doc.dismantlerId,
          enterpriseId: doc.enterpriseId,
          pickupId: doc.pickupId,
          occurredAt: now.toISOString(),
        }),
        { subject: doc.vin },
      ),
    ];
  });
}

export function requestDeregistration(
  ctx: AppContext,
  vehicleIntakeId: string,
  input: { trafficPoliceOffice?: string },
  access: SiteAccess,
): Promise<IntakeRecord> {
  return changeIntake(ctx, vehicleIntakeId, access, async (doc, now) => {
    assertMayRequestDeregistration(lifecycle(doc));
    doc.deregistration = compact({
      state: 'requested' as const,
      requestedAt: now,
      trafficPoliceOffice: input.trafficPoliceOffice,
    });
    return [
      ctx.messaging.events(
        VehicleEventTypes.deregistrationRequested,
        {
          vin: doc.vin,
          vehicleIntakeId: doc._id,
          dismantlerId: doc.dismantlerId,
          certificateNo: doc.certificate!.certificateNo,
          plateMasked: doc.plateMasked,
          occurredAt: now.toISOString(),
        },
        { subject: doc.vin },
      ),
    ];
  });
}

export function recordDeregistrationOutcome(
  ctx: AppContext,
  vehicleIntakeId: string,
  input: { state: 'completed' | 'rejected'; deregistrationCertificateNo?: string; reason?: string },
  access: SiteAccess,
): Promise<IntakeRecord> {
  // No event: the contracts have none for the outcome, and no consumer needs it yet.
  return changeIntake(ctx, vehicleIntakeId, access, async (doc, now) => {
    assertMayRecordDeregistrationOutcome(lifecycle(doc));
    doc.deregistration = compact({ ...doc.deregistration!, ...input, outcomeAt: now });
    return [];
  });
}

export function recordDismantling(
  ctx: AppContext,
  vehicleIntakeId: string,
  input: RecordDismantlingBody,
  access: SiteAccess,
): Promise<IntakeRecord> {
  return changeIntake(ctx, vehicleIntakeId, access, async (doc, now) => {
    const record = withoutUndefined({
      assemblies: input.assemblies,
      reusedParts: input.reusedParts,
      materials: input.materials,
      tractionBattery: input.tractionBattery,
    });
    assertMayRecordDismantling(lifecycle(doc), record);
    doc.dismantling = { ...record, dismantledAt: now, photoIds: input.photoIds };
    return [
      ctx.messaging.events(
        VehicleEventTypes.dismantled,
        {
          vin: doc.vin,
          vehicleIntakeId: doc._id,
          dismantlerId: doc.dismantlerId,
          ...record,
          occurredAt: now.toISOString(),
        },
        { subject: doc.vin },
      ),
    ];
  });
}
