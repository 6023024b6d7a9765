import {
  isEquipmentCategory,
  type IntakeContents,
  type IntakeCorrectedData,
  type IntakeItemsSortedData,
  type IntakeRecordedData,
  type VehicleCertificateIssuedData,
  type VehicleDismantledData,
  type VehicleIntakeVoidedData,
  type VehicleReceivedData,
} from '@recycling/contracts';
import type { IntakeRecordDoc } from '../store/models';
import type { AppContext } from './context';

// The lawful sources of cores, as the dismantlers and stations report them. Each effect is applied
// once per event id; every fact lands in a document addressed by what a remanufacturer will name.

export function recordVehicleReceived(ctx: AppContext, eventId: string, d: VehicleReceivedData) {
  return ctx.sources
    .applyToVehicle(d.vehicleIntakeId, eventId, { vin: d.vin, dismantlerId: d.dismantlerId }, (doc) => {
      doc.enterpriseId = d.enterpriseId;
    })
    .then(async (r) => {
      await ctx.sources.indexVin(d.vin, d.vehicleIntakeId);
      return r.outcome;
    });
}

export async function recordCertificate(ctx: AppContext, eventId: string, d: VehicleCertificateIssuedData) {
  const { outcome, record } = await ctx.sources.applyToVehicle(
    d.vehicleIntakeId,
    eventId,
    { vin: d.vin, dismantlerId: d.dismantlerId },
    (doc) => {
      doc.certificateNo = d.certificateNo;
      doc.enterpriseId = d.enterpriseId;
    },
  );
  await ctx.sources.indexVin(d.vin, d.vehicleIntakeId);
  // Assemblies recorded before the certificate (not the law's order, but the topic's to deliver).
  if (record.remanufacturingCodes.length > 0) {
    await ctx.sources.certifyAssemblies(record.remanufacturingCodes, d.vehicleIntakeId, d.certificateNo);
  }
  return outcome;
}

export async function recordVoided(ctx: AppContext, eventId: string, d: VehicleIntakeVoidedData) {
  const { outcome } = await ctx.sources.applyToVehicle(
    d.vehicleIntakeId,
    eventId,
    { vin: d.vin, dismantlerId: d.dismantlerId },
    (doc) => {
      doc.voided = true;
    },
  );
  return outcome;
}

/**
 * A vehicle was dismantled: each assembly marked for remanufacturing becomes a source a
 * remanufacturer may name by its code, with the vehicle's certificate.
 */
export async function recordDismantled(ctx: AppContext, eventId: string, d: VehicleDismantledData) {
  const coded = d.assemblies.filter((a) => a.disposition === 'remanufacturing' && a.remanufacturingCode);
  const { record } = await ctx.sources.applyToVehicle(
    d.vehicleIntakeId,
    eventId,
    { vin: d.vin, dismantlerId: d.dismantlerId },
    (doc) => {
      doc.dismantledAt = new Date(d.occurredAt);
      for (const a of coded) {
        if (!doc.remanufacturingCodes.includes(a.remanufacturingCode!)) {
          doc.remanufacturingCodes.push(a.remanufacturingCode!);
        }
      }
    },
  );
  await ctx.sources.indexVin(d.vin, d.vehicleIntakeId);
  // Recorded on every delivery (inserts under the code are idempotent), so a crash between the
  // record and the sources is repaired by the redelivery.
  const outcomes: Record<string, string> = {};
  for (const a of coded) {
    outcomes[a.remanufacturingCode!] = await ctx.sources.recordAssembly({
      _id: a.remanufacturingCode!,
      assembly: a.assembly,
      vin: d.vin,
      vehicleIntakeId: d.vehicleIntakeId,
      dismantlerId: d.dismantlerId,
      ...(a.serialNo ? { serialNo: a.serialNo } : {}),
      ...(record.certificateNo ? { certificateNo: record.certificateNo } : {}),
      eventId,
      recordedAt: ctx.now(),
    });
  }
  return outcomes;
}

/** The equipment lines of an intake's contents (textile machinery, PV inverters). */
const equipmentLines = (contents: IntakeContents): IntakeRecordDoc['lines'] =>
  contents.lines
    .filter((l) => isEquipmentCategory(l.category))
    .map((l) => ({ lineId: l.lineId, category: l.category, units: l.units }));

/** An intake with equipment lines is kept; one with appliances only is none of this service's. */
export async function recordIntake(ctx: AppContext, eventId: string, d: IntakeRecordedData) {
  const lines = equipmentLines(d.contents);
  // Most intakes are appliances: nothing to keep, and nothing kept before (an intake's first event),
  // so no lock and no read (three store round trips an intake, measured by the load benchmark).
  if (lines.length === 0) return 'not-kept' as const;
  return ctx.sources.applyToIntake(
    d.intakeId,
    eventId,
    lines.length > 0
      ? { stationId: d.stationId, revision: d.revision, lines, sortedForRemanufacturing: [] }
      : undefined,
    () => undefined,
  );
}

/** A correction restates the lines; an older revision than the one kept changes nothing. */
export function recordCorrection(ctx: AppContext, eventId: string, d: IntakeCorrectedData) {
  const lines = equipmentLines(d.after);
  return ctx.sources.applyToIntake(
    d.intakeId,
    eventId,
    lines.length > 0
      ? { stationId: d.stationId, revision: d.revision, lines, sortedForRemanufacturing: [] }
      : undefined,
    (doc) => {
      if (d.revision < doc.revision) return;
      doc.revision = d.revision;
      doc.lines = lines;
    },
  );
}

/** Units of equipment lines the station sorted to remanufacturing: each may become one core. */
export async function recordSorting(ctx: AppContext, eventId: string, d: IntakeItemsSortedData) {
  // Only units sorted to remanufacturing change a kept intake.
  if (!d.outcomes.some((o) => o.outcome === 'remanufacturing')) return 'not-kept' as const;
  return ctx.sources.applyToIntake(d.intakeId, eventId, undefined, (doc) => {
    const sorted = new Map(doc.sortedForRemanufacturing.map((s) => [s.lineId, s.units]));
    for (const o of d.outcomes) {
      if (o.outcome !== 'remanufacturing') continue;
      if (!doc.lines.some((l) => l.lineId === o.lineId)) continue;
      sorted.set(o.lineId, (sorted.get(o.lineId) ?? 0) + o.units);
    }
    doc.sortedForRemanufacturing = [...sorted].map(([lineId, units]) => ({ lineId, units }));
  });
}
