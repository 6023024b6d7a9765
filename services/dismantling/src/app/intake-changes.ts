// The changes of an intake after it was taken in. Each runs under the intake's lock, decides with the
// domain rules, and saves the change together with its events (the outbox) in one write.
import { PurchaseEventTypes, VehicleEventTypes } from '@recycling/contracts';
import { enqueue, type PendingEvent } from '@recycling/messaging';
import { localYear } from '../domain/calendar';
import { vehiclePurchaseWithdrawn } from '../domain/purchase';
import {
  assertMayRecordDeregistrationOutcome,
  assertMayRecordDismantling,
  assertMayRequestDeregistration,
  assertMayVoid,
  needsCertificate,
} from '../domain/vehicle-intake';
import type { RecordDismantlingBody } from '../http/schemas';
import { allocateCertificateNo } from '../store/certificate-numbers';
import type { IntakeRecord } from '../store/models';
import { releaseVin } from '../store/vin-claims';
import { compact, withoutUndefined, type AppContext } from './context';
import { lifecycle, notFound, withoutOutbox, type IntakeDocument, type SiteAccess } from './intake-common';

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
  ctx.messaging.relay.nudge(ctx.models.VehicleIntake, [vehicleIntakeId]);
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
