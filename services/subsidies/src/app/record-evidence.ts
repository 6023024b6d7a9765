import type {
  IntakeRecordedData,
  UsedCarTransactionRecordedData,
  VehicleCertificateIssuedData,
  VehicleDeregisteredData,
  VehicleDeregistrationRefusedData,
  VehicleIntakeVoidedData,
  VehicleReceivedData,
} from '@recycling/contracts';
import { localDateOf } from '../domain/calendar';
import {
  evidenceKeys,
  type CertificateEvidence,
  type DeregistrationEvidence,
  type OldItemEvidence,
  type UsedCarEvidence,
  type VehicleEvidence,
} from '../domain/evidence';
import { leftSoonAfterRegistration } from '../domain/fraud';
import { uniqueKeys } from '../domain/uniqueness';
import type { SubsidyContext } from './context';
import { wakeClaims } from './evidence';

// The network's own events kept as evidence, by the `_id` a claim will name, then the claims waiting
// for them are reconsidered. Each effect is once per event id (the store keeps the ids it applied).

interface Consumed<T> {
  id: string;
  data: T;
}

const dateOf = (ctx: SubsidyContext, iso: string) => localDateOf(new Date(iso), ctx.profile.timezone);

export async function recordCertificate(ctx: SubsidyContext, e: Consumed<VehicleCertificateIssuedData>) {
  const key = evidenceKeys.certificate(e.data.certificateNo);
  await ctx.evidence.record<CertificateEvidence>(key, 'recycling-certificate', e.id, () => ({
    vin: e.data.vin,
    certificateNo: e.data.certificateNo,
    dismantlerId: e.data.dismantlerId,
    enterpriseId: e.data.enterpriseId,
    eventId: e.id,
    issuedOn: dateOf(ctx, e.data.occurredAt),
  }));
  await wakeClaims(ctx, key);
}

export async function recordDeregistration(
  ctx: SubsidyContext,
  e: Consumed<VehicleDeregisteredData | VehicleDeregistrationRefusedData>,
  state: 'completed' | 'refused',
) {
  const key = evidenceKeys.deregistration(e.data.vin);
  const d = e.data as Partial<VehicleDeregisteredData> & Partial<VehicleDeregistrationRefusedData>;
  await ctx.evidence.record<DeregistrationEvidence>(key, 'deregistration', e.id, (current) => ({
    vin: e.data.vin,
    outcomes: [
      ...(current?.outcomes ?? []),
      {
        state,
        certificateNo: e.data.certificateNo,
        ...(d.deregistrationCertificateNo
          ? { deregistrationCertificateNo: d.deregistrationCertificateNo }
          : {}),
        ...(d.deregisteredOn ? { deregisteredOn: d.deregisteredOn } : {}),
        ...(d.reason ? { reason: d.reason } : {}),
        eventId: e.id,
        occurredAt: e.data.occurredAt,
      },
    ].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt)),
  }));
  await wakeClaims(ctx, key);
  if (state === 'completed') {
    await flagNewCarLeaving(ctx, e.data.vin, d.deregisteredOn!, e.id, 'new-car-deregistered-soon');
  }
}

export async function recordVehicleReceived(ctx: SubsidyContext, e: Consumed<VehicleReceivedData>) {
  const key = evidenceKeys.vehicle(e.data.vin);
  const receivedOn = dateOf(ctx, e.data.occurredAt);
  await ctx.evidence.record<VehicleEvidence>(key, 'vehicle-intake', e.id, () => ({
    vin: e.data.vin,
    registrationDate: e.data.registrationDate,
    fuelType: e.data.fuelType,
    emissionStandard: e.data.emissionStandard,
    vehicleType: e.data.vehicleType,
    dismantlerId: e.data.dismantlerId,
    voided: false,
    eventId: e.id,
    receivedOn,
  }));
  await wakeClaims(ctx, key);
  await flagNewCarLeaving(ctx, e.data.vin, receivedOn, e.id, 'new-car-deregistered-soon');
}

export async function recordVehicleVoided(ctx: SubsidyContext, e: Consumed<VehicleIntakeVoidedData>) {
  const key = evidenceKeys.vehicle(e.data.vin);
  // Same partition as the intake (keyed by VIN): an intake never seen here has nothing to void.
  if (!(await ctx.evidence.get<VehicleEvidence>(key))) return;
  await ctx.evidence.record<VehicleEvidence>(key, 'vehicle-intake', e.id, (current) => ({
    ...current!,
    voided: true,
  }));
}

export async function recordUsedCarSale(ctx: SubsidyContext, e: Consumed<UsedCarTransactionRecordedData>) {
  const key = evidenceKeys.usedCar(e.data.vin);
  await ctx.evidence.record<UsedCarEvidence>(key, 'used-car-sale', e.id, (current) => ({
    vin: e.data.vin,
    sales: [
      ...(current?.sales ?? []).filter((s) => s.transactionId !== e.data.transactionId),
      {
        transactionId: e.data.transactionId,
        transactedOn: e.data.transactedOn,
        priceFen: e.data.priceFen,
        invoiceNo: e.data.invoiceNo,
        marketId: e.data.marketId,
        eventId: e.id,
      },
    ].sort((a, b) => a.transactedOn.localeCompare(b.transactedOn)),
  }));
  await wakeClaims(ctx, key);
  await flagNewCarLeaving(ctx, e.data.vin, e.data.transactedOn, e.id, 'new-car-resold-soon');
}

/** The old appliance of a counter sale, taken in at a sorting station naming the sale. */
export async function recordOldItemIntake(ctx: SubsidyContext, e: Consumed<IntakeRecordedData>) {
  const saleId = e.data.source.kind === 'retailer-trade-in' ? e.data.source.counterSaleId : undefined;
  if (!saleId) return false;
  const key = evidenceKeys.oldItem(saleId);
  await ctx.evidence.record<OldItemEvidence>(key, 'old-item-intake', e.id, (current) => ({
    saleId,
    intakes: [
      ...(current?.intakes ?? []),
      {
        intakeId: e.data.intakeId,
        stationId: e.data.stationId,
        eventId: e.id,
        occurredAt: e.data.occurredAt,
      },
    ],
  }));
  await wakeClaims(ctx, key);
  return true;
}

/**
 * A car that backs a subsidy as the NEW car is sold or scrapped soon after its registration (a
 * "zero-mileage used car"): its claim is flagged for the reviewer, once per event.
 */
async function flagNewCarLeaving(
  ctx: SubsidyContext,
  vin: string,
  eventDate: string,
  eventId: string,
  code: 'new-car-resold-soon' | 'new-car-deregistered-soon',
) {
  const held = await ctx.uniqueKeys.holderOf(uniqueKeys.newVin(vin));
  if (!held) return;
  const days = ctx.tradeIn.fraudSignals.newCarResoldWithinDays;
  await ctx.claims.applyOnce(held.claimId, eventId, (doc) => {
    const registered = doc.car?.newCar.registrationDate;
    if (!registered || !leftSoonAfterRegistration(registered, eventDate, days)) return;
    doc.flags.push({
      code,
      note:
        code === 'new-car-resold-soon'
          ? `新车于 ${eventDate} 作为二手车交易，距注册登记不足 ${days} 天 / The new car was sold as a used car on ${eventDate}, within ${days} days of its registration.`
          : `新车于 ${eventDate} 报废或注销，距注册登记不足 ${days} 天 / The new car was scrapped on ${eventDate}, within ${days} days of its registration.`,
      at: ctx.now(),
      eventId,
    });
  });
}
