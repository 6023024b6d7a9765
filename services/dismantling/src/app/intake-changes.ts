// The changes of an intake after it was taken in. Each loads the intake under its lock (the
// repository's), checks the caller's site, decides with the domain rules, and saves the change
// together with its events (the outbox) in one write.
import {
  PurchaseEventTypes,
  VehicleDeregistrationEventTypes,
  VehicleEventTypes,
  type Principal,
} from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import type { HydratedDocument } from 'mongoose';
import { assertActsFor } from '../domain/access';
import { localDate, localYear } from '../domain/calendar';
import { vehiclePurchaseWithdrawn } from '../domain/purchase';
import {
  assertDeregistrationDate,
  assertMayRecordDeregistrationOutcome,
  assertMayRecordDismantling,
  assertMayRequestDeregistration,
  assertMayVoid,
  needsCertificate,
  type DismantlingRecord,
} from '../domain/vehicle-intake';
import type { IntakeRecord, VehicleIntakeDoc } from '../store/models';
import { compact, withoutUndefined, type AppContext } from './context';
import { lifecycle, withoutOutbox } from './intake-common';
import { noteIntakeChanged } from './work-list';

export type RecordDismantlingInput = DismantlingRecord & { photoIds: string[] };

export interface DeregistrationOutcomeInput {
  state: 'completed' | 'rejected';
  deregistrationCertificateNo?: string;
  /** YYYY-MM-DD on the deregistration certificate; default the city's date of recording. */
  deregisteredOn?: string;
  reason?: string;
}

type IntakeDocument = HydratedDocument<VehicleIntakeDoc>;

/** Load, check the site, decide and save one intake under its lock, with the change's events. */
async function changeIntake(
  ctx: AppContext,
  principal: Principal,
  vehicleIntakeId: string,
  decide: (doc: IntakeDocument, now: Date) => Promise<PendingEvent[]> | PendingEvent[],
  afterSave?: (doc: IntakeDocument) => Promise<void>,
): Promise<IntakeRecord> {
  const { doc } = await ctx.intakes.update(vehicleIntakeId, async (doc) => {
    assertActsFor(principal, doc.dismantlerId);
    return {
      events: await decide(doc, ctx.now()),
      ...(afterSave ? { afterSave: () => afterSave(doc) } : {}),
    };
  });
  const record = withoutOutbox(doc);
  // Voided, or dismantled and deregistered: off the desk's open list (should a crash come first,
  // the list's reader skips an intake with nothing left to do).
  await noteIntakeChanged(ctx, record);
  return record;
}

export function voidIntake(
  ctx: AppContext,
  principal: Principal,
  vehicleIntakeId: string,
  reason: string,
): Promise<IntakeRecord> {
  return changeIntake(
    ctx,
    principal,
    vehicleIntakeId,
    (doc, now) => {
      assertMayVoid(lifecycle(doc));
      const occurredAt = now.toISOString();
      doc.status = 'voided';
      doc.voided = { reason, at: now };
      const events = [
        ctx.events(
          VehicleEventTypes.intakeVoided,
          { vin: doc.vin, vehicleIntakeId: doc._id, dismantlerId: doc.dismantlerId, reason, occurredAt },
          { subject: doc.vin },
        ),
      ];
      if (doc.purchase) {
        const withdrawn = vehiclePurchaseWithdrawn(doc.purchase, reason, occurredAt);
        events.push(ctx.events(PurchaseEventTypes.corrected, withdrawn, { subject: withdrawn.purchaseId }));
      }
      return events;
    },
    // Released once the void is saved: a crash in between leaves a claim that a new intake of the
    // VIN sees as stale.
    (doc) => ctx.vinClaims.release(doc.vin, doc._id),
  );
}

export function issueCertificate(
  ctx: AppContext,
  principal: Principal,
  vehicleIntakeId: string,
): Promise<IntakeRecord> {
  return changeIntake(ctx, principal, vehicleIntakeId, async (doc, now) => {
    if (!needsCertificate(lifecycle(doc))) return [];
    // Held by the intake: a retry after a crash gets the same number.
    const certificateNo = await ctx.certificateNumbers.allocate(
      doc.dismantlerId,
      localYear(now, ctx.profile.timezone),
      doc._id,
    );
    doc.certificate = { certificateNo, issuedAt: now };
    return [
      ctx.events(
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
  principal: Principal,
  vehicleIntakeId: string,
  input: { trafficPoliceOffice?: string },
): Promise<IntakeRecord> {
  return changeIntake(ctx, principal, vehicleIntakeId, (doc, now) => {
    assertMayRequestDeregistration(lifecycle(doc));
    doc.deregistration = compact({
      state: 'requested' as const,
      requestedAt: now,
      trafficPoliceOffice: input.trafficPoliceOffice,
    });
    return [
      ctx.events(
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
  principal: Principal,
  vehicleIntakeId: string,
  input: DeregistrationOutcomeInput,
): Promise<IntakeRecord> {
  // The outcome is evidence for a scrap-and-buy subsidy claim: published as vehicle.deregistered or
  // vehicle.deregistration-refused, keyed by VIN like the request before it.
  return changeIntake(ctx, principal, vehicleIntakeId, (doc, now) => {
    assertMayRecordDeregistrationOutcome(lifecycle(doc));
    const deregisteredOn =
      input.state === 'completed'
        ? (input.deregisteredOn ?? localDate(now, ctx.profile.timezone))
        : undefined;
    assertDeregistrationDate(deregisteredOn, localDate(now, ctx.profile.timezone));
    doc.deregistration = compact({ ...doc.deregistration!, ...input, deregisteredOn, outcomeAt: now });
    const common = {
      vin: doc.vin,
      vehicleIntakeId: doc._id,
      dismantlerId: doc.dismantlerId,
      certificateNo: doc.certificate!.certificateNo,
      occurredAt: now.toISOString(),
    };
    return [
      input.state === 'completed'
        ? ctx.events(
            VehicleDeregistrationEventTypes.deregistered,
            {
              ...common,
              deregistrationCertificateNo: input.deregistrationCertificateNo!,
              deregisteredOn: deregisteredOn!,
            },
            { subject: doc.vin },
          )
        : ctx.events(
            VehicleDeregistrationEventTypes.deregistrationRefused,
            { ...common, reason: input.reason! },
            { subject: doc.vin },
          ),
    ];
  });
}

export function recordDismantling(
  ctx: AppContext,
  principal: Principal,
  vehicleIntakeId: string,
  input: RecordDismantlingInput,
): Promise<IntakeRecord> {
  return changeIntake(ctx, principal, vehicleIntakeId, (doc, now) => {
    const record = withoutUndefined({
      assemblies: input.assemblies,
      reusedParts: input.reusedParts,
      materials: input.materials,
      tractionBattery: input.tractionBattery,
    });
    assertMayRecordDismantling(lifecycle(doc), record);
    doc.dismantling = { ...record, dismantledAt: now, photoIds: input.photoIds };
    return [
      ctx.events(
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
