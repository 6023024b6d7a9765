// Taking a vehicle in: the site's qualification, the pickup it came from, the owner's seller key,
// the plan's flags, and the purchase to invoice when a natural person was paid.
import {
  maskPlate,
  normaliseIdNumber,
  PurchaseEventTypes,
  sellerKeyOf,
  vehicleFlags,
  VehicleEventTypes,
  type IdDocumentType,
  type PartyRef,
  type Principal,
  type SellerIdentity,
  type VehicleFacts,
  assertPaidNotInFuture,
} from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import { assertActsFor } from '../domain/access';
import { localDate } from '../domain/calendar';
import { assertMayTakeIn } from '../domain/dismantler';
import { refusal } from '../domain/errors';
import { isInvoiceablePurchase, vehiclePurchaseRecorded } from '../domain/purchase';
import type { IntakeRecord, OwnerRecord } from '../store/models';
import { withoutUndefined, type AppContext } from './context';
import { newIntakeId, withoutOutbox } from './intake-common';
import { backfillIntake } from './pickup-backfill';
import { noteIntakeTakenIn } from './work-list';

export type OwnerInput =
  | { kind: 'person'; name: string; idType: IdDocumentType; idNumber: string }
  | { kind: 'organisation'; organisationName: string; taxpayerId?: string };

/** A vehicle as the gate records it (the VIN already checked and normalised). */
export interface RecordIntakeInput extends VehicleFacts {
  dismantlerId: string;
  pickupId?: string;
  vin: string;
  plate: string;
  engineNo?: string;
  brandModel?: string;
  curbWeightGrams?: number;
  weighedGrams?: number;
  documentsReceived: { registrationCertificate: boolean; drivingLicence: boolean; plates: number };
  photoIds: string[];
  priceFen: number;
  owner: OwnerInput;
  payment?: { paidAt: string; paymentRecordId: string; consentRecordedAt: string };
}

/** The district and resident of the pickup the vehicle came through, if this service knows it. */
async function pickupFacts(
  ctx: AppContext,
  input: RecordIntakeInput,
): Promise<{ districtCode: string; residentKey: string } | undefined> {
  if (!input.pickupId) return undefined;
  const expected = await ctx.expectedVehicles.find(input.pickupId);
  if (!expected) return undefined;
  if (expected.dismantlerId !== input.dismantlerId) {
    throw refusal(
      'conflict',
      'pickup-assigned-elsewhere',
      `上门取车单 ${input.pickupId} 指派给了其他拆解企业 / Pickup ${input.pickupId} is assigned to another dismantler.`,
      'pickupId',
    );
  }
  if (expected.status === 'cancelled' || expected.status === 'failed') {
    throw refusal(
      'conflict',
      'pickup-closed',
      `上门取车单 ${input.pickupId} 已${expected.status === 'cancelled' ? '取消' : '失败关闭'} / Pickup ${input.pickupId} is ${expected.status}.`,
      'pickupId',
    );
  }
  return { districtCode: expected.districtCode, residentKey: expected.residentKey };
}

const ownerRecordOf = (owner: OwnerInput, sellerKeySecret: string): OwnerRecord =>
  owner.kind === 'person'
    ? {
        kind: 'person',
        name: owner.name,
        idType: owner.idType,
        idNumber: normaliseIdNumber(owner.idNumber),
        sellerKey: sellerKeyOf(owner.idType, owner.idNumber, sellerKeySecret),
      }
    : {
        kind: 'organisation',
        organisationName: owner.organisationName,
        ...(owner.taxpayerId ? { taxpayerId: owner.taxpayerId } : {}),
      };

export async function recordIntake(
  ctx: AppContext,
  principal: Principal,
  input: RecordIntakeInput,
): Promise<IntakeRecord> {
  assertActsFor(principal, input.dismantlerId);
  const now = ctx.now();
  if (input.payment) assertPaidNotInFuture(new Date(input.payment.paidAt), now, 'payment.paidAt');
  const site = await ctx.dismantlers.find(input.dismantlerId);
  const dismantler = assertMayTakeIn(
    site ? { ...site, dismantlerId: site._id } : null,
    input.dismantlerId,
    localDate(now, ctx.profile.timezone),
  );
  const pickup = await pickupFacts(ctx, input);
  const districtCode = pickup?.districtCode ?? dismantler.districtCode;
  const residentKey = pickup?.residentKey;

  const owner = ownerRecordOf(input.owner, ctx.sellerKeySecret);
  const partyRef: PartyRef =
    owner.kind === 'person'
      ? { kind: 'person', sellerKey: owner.sellerKey }
      : { kind: 'organisation', organisationName: owner.organisationName, taxpayerId: owner.taxpayerId };

  const flags = vehicleFlags(input, ctx.profile.subsidies);
  const vehicleIntakeId = newIntakeId(now, ctx.profile.timezone);
  const plateMasked = maskPlate(input.plate);
  const occurredAt = now.toISOString();
  const events: PendingEvent[] = [
    ctx.events(
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
    events.push(ctx.events(PurchaseEventTypes.recorded, purchase, { subject: purchase.purchaseId }));
  }

  // The claim comes first: once the intake (with its events) is saved, the relay may publish it.
  await ctx.vinClaims.claim(input.vin, vehicleIntakeId, now);
  // A pickup we have not heard of: noted before the save, so a crash cannot leave it unnoted.
  const early = input.pickupId !== undefined && residentKey === undefined;
  if (early) await ctx.earlyIntakes.note(input.pickupId!, vehicleIntakeId, now);
  // On the desk's work list before the save too (an id whose intake was never saved is ignored).
  await noteIntakeTakenIn(ctx, {
    vehicleIntakeId,
    dismantlerId: dismantler.dismantlerId,
    receivedAt: now,
    pickupId: input.pickupId,
  });
  try {
    const created = await ctx.intakes.create(
      {
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
      },
      events,
    );
    if (!created) throw new Error(`vehicle intake id ${vehicleIntakeId} was taken already`);
  } catch (error) {
    await ctx.vinClaims.release(input.vin, vehicleIntakeId).catch(() => undefined);
    throw error;
  }
  ctx.logger.info({ vehicleIntakeId, dismantlerId: dismantler.dismantlerId }, 'vehicle taken in');
  // The pickup was unknown when we looked; if its event was recorded since, link it now (the pickups
  // consumer links it when the event comes later).
  if (early) await backfillIntake(ctx, vehicleIntakeId);
  return withoutOutbox(await ctx.intakes.get(vehicleIntakeId));
}
