// How each event restates what its business record contributes to the statistics. Pure: given the
// record's previous state and the event, the record's next state (or `undefined` when the event
// changes nothing, e.g. an older revision arriving late). The consumer turns the change of facts
// into counter increments.
import type {
  DeclarationPreparedData,
  DisposalAssetsHandedOverData,
  DisposalBatchCancelledData,
  DisposalBatchReceivedData,
  DisposalBatchRegisteredData,
  IntakeBatchDispatchedData,
  IntakeContents,
  IntakeCorrectedData,
  IntakeItemsSortedData,
  IntakeRecordedData,
  InvoiceIssuedData,
  InvoiceRefusedData,
  InvoiceReversedData,
  ClaimApprovedData,
  ClaimPaidData,
  ClaimRejectedData,
  ClaimReversedData,
  ClaimSubmittedData,
  CounterSaleRecordedData,
  PickupCancelledData,
  PickupCollectedData,
  PickupFailedData,
  PickupRequestedData,
  PickupScheduledData,
  RemanufacturingCoreReceivedData,
  RemanufacturingProductReleasedData,
  RemanufacturingProductStartedData,
  UsedCarTransactionRecordedData,
  VehicleCertificateIssuedData,
  VehicleDeregistrationRequestedData,
  VehicleDismantledData,
  VehicleIntakeVoidedData,
  VehicleReceivedData,
} from '@recycling/contracts';
import { applianceCategories, type ApplianceCategory } from '@recycling/contracts';
import type { Fact } from './facts';
import { monthOf, secondsBetween } from './months';

export type Attr = string | number | boolean;

/** What one business record currently contributes, by the event kind that stated it (its slot). */
export interface RecordState {
  slots: Record<string, Fact[]>;
  attrs: Record<string, Attr>;
  revision: number;
}

export const emptyRecord = (): RecordState => ({ slots: {}, attrs: {}, revision: 0 });

export const allFacts = (r: RecordState | undefined): Fact[] => (r ? Object.values(r.slots).flat() : []);

/** The district used when the event that names it was never seen (a dead-lettered predecessor). */
export const UNKNOWN = 'unknown';

/** Metric names of the rollups (the targets' metrics map onto three of them). */
export const Metrics = {
  appliances: 'appliances',
  sorting: 'sorting-outcomes',
  dispatched: 'dispatched',
  vehicles: 'vehicles',
  certificates: 'vehicle-certificates',
  deregistrations: 'vehicle-deregistrations',
  dismantled: 'vehicles-dismantled',
  materials: 'dismantled-materials',
  usedCars: 'used-cars',
  pickups: 'pickups',
  invoices: 'invoices',
  refusals: 'invoice-refusals',
  declarations: 'declarations',
  subsidies: 'subsidies',
  equipment: 'equipment',
  disposals: 'disposals',
  remanufacturing: 'remanufacturing',
} as const;

interface Rule<T> {
  recordId(data: T): string;
  apply(prev: RecordState | undefined, data: T, timeZone: string, eventId: string): RecordState | undefined;
}

const withSlot = (prev: RecordState | undefined, slot: string, facts: Fact[]): RecordState => {
  const base = prev ?? emptyRecord();
  return { ...base, slots: { ...base.slots, [slot]: facts } };
};

const str = (v: Attr | undefined, fallback = UNKNOWN): string => (v === undefined ? fallback : String(v));

// --- pickups ----------------------------------------------------------------------------------

const pickupRequested: Rule<PickupRequestedData> = {
  recordId: (d) => `pickup:${d.pickupId}`,
  apply(prev, d, tz) {
    if (prev?.attrs.requestedAt !== undefined) return undefined;
    const next = withSlot(prev, 'requested', [
      {
        metric: Metrics.pickups,
        month: monthOf(d.occurredAt, tz),
        dims: { district: d.districtCode, kind: d.kind },
        fields: { requested: 1 },
      },
    ]);
    next.attrs = { ...next.attrs, requestedAt: d.occurredAt, district: d.districtCode, kind: d.kind };
    return next;
  },
};

// The first visit planned counts the pickup as scheduled, in that month; a later pickup.scheduled
// replaces the plan (rescheduling) and counts as a reschedule, so `scheduled` stays one per pickup.
const pickupScheduled: Rule<PickupScheduledData> = {
  recordId: (d) => `pickup:${d.pickupId}`,
  apply(prev, d, tz, eventId) {
    const again = Boolean(prev?.slots.scheduled?.length);
    return withSlot(prev, again ? `rescheduled:${eventId}` : 'scheduled', [
      {
        metric: Metrics.pickups,
        month: monthOf(d.occurredAt, tz),
        dims: { district: str(prev?.attrs.district), kind: str(prev?.attrs.kind) },
        fields: again ? { rescheduled: 1 } : { scheduled: 1 },
      },
    ]);
  },
};

const pickupCollected: Rule<PickupCollectedData> = {
  recordId: (d) => `pickup:${d.pickupId}`,
  apply(prev, d, tz) {
    if (prev?.slots.collected?.length) return undefined;
    const requestedAt = prev?.attrs.requestedAt;
    const fields: Record<string, number> = { collected: 1 };
    // Time to collect is only known when the request was seen; `timed` counts those collections.
    if (typeof requestedAt === 'string') {
      fields.collectSeconds = secondsBetween(requestedAt, d.occurredAt);
      fields.timed = 1;
    }
    if (d.kind === 'appliances') fields.appliances = d.appliances.reduce((n, a) => n + a.count, 0);
    return withSlot(prev, 'collected', [
      {
        metric: Metrics.pickups,
        month: monthOf(d.occurredAt, tz),
        dims: { district: str(prev?.attrs.district), kind: d.kind },
        fields,
      },
    ]);
  },
};

const pickupClosed =
  (slot: 'cancelled' | 'failed') =>
  (prev: RecordState | undefined, d: PickupCancelledData | PickupFailedData, tz: string) => {
    if (prev?.slots[slot]?.length) return undefined;
    const dims: Record<string, string> = {
      district: str(prev?.attrs.district),
      kind: str(prev?.attrs.kind),
    };
    if ('reasonCode' in d) dims.reason = d.reasonCode;
    return withSlot(prev, slot, [
      { metric: Metrics.pickups, month: monthOf(d.occurredAt, tz), dims, fields: { [slot]: 1 } },
    ]);
  };

// --- intakes ----------------------------------------------------------------------------------

/**
 * Household appliances count towards the appliances target; production equipment taken in at a
 * station (textile machinery, PV inverters: remanufacturing cores, `householdAppliance: false` in the
 * catalogue) is counted apart, in `equipment`, so that it never counts as an appliance recovered.
 */
export const metricOfIntakeLine = (category: keyof typeof applianceCategories): string =>
  applianceCategories[category]?.householdAppliance === false ? Metrics.equipment : Metrics.appliances;

const contentFacts = (contents: IntakeContents, attrs: Record<string, Attr>): Fact[] =>
  contents.lines.map((l) => ({
    metric: metricOfIntakeLine(l.category),
    month: str(attrs.month),
    dims: { district: str(attrs.district), category: l.category, source: str(attrs.source) },
    fields: { units: l.units, grams: l.weightGrams, fen: l.priceFen },
  }));

/**
 * A pickup is delivered when the station records the intake that names it (the pickup topic has no
 * such event: the pickup service closes the loop the same way). Counted on the intake's partition,
 * in the month of the intake, once per intake; a correction keeps it.
 */
const deliveredFacts = (month: string, district: string, kind: string): Fact[] => [
  { metric: Metrics.pickups, month, dims: { district, kind }, fields: { delivered: 1 } },
];

const intakeRecorded: Rule<IntakeRecordedData> = {
  recordId: (d) => `intake:${d.intakeId}`,
  apply(prev, d, tz) {
    if (prev && prev.revision >= d.revision) return undefined;
    const attrs = {
      ...prev?.attrs,
      month: monthOf(d.occurredAt, tz),
      district: d.districtCode,
      source: d.source.kind,
    };
    let next = withSlot(prev, 'contents', contentFacts(d.contents, attrs));
    if (d.source.kind === 'pickup' && !prev?.slots.delivered?.length) {
      next = withSlot(next, 'delivered', deliveredFacts(attrs.month, d.districtCode, 'appliances'));
    }
    return { ...next, attrs, revision: d.revision };
  },
};

const intakeCorrected: Rule<IntakeCorrectedData> = {
  recordId: (d) => `intake:${d.intakeId}`,
  apply(prev, d, tz) {
    if (prev && prev.revision >= d.revision) return undefined;
    // A correction counts in the month the goods came in, not the month of the correction.
    const attrs = prev?.attrs.month ? prev.attrs : { ...prev?.attrs, month: monthOf(d.occurredAt, tz) };
    const next = withSlot(prev, 'contents', contentFacts(d.after, attrs));
    return { ...next, attrs, revision: d.revision };
  },
};

const intakeItemsSorted: Rule<IntakeItemsSortedData> = {
  recordId: (d) => `intake:${d.intakeId}`,
  apply(prev, d, tz, eventId) {
    // Several sorting events may split one intake; each is its own slot.
    return withSlot(
      prev,
      `sorted:${eventId}`,
      d.outcomes.map((o) => ({
        metric: Metrics.sorting,
        month: monthOf(d.occurredAt, tz),
        dims: { outcome: o.outcome },
        fields: { units: o.units },
      })),
    );
  },
};

const batchDispatched: Rule<IntakeBatchDispatchedData> = {
  recordId: (d) => `batch:${d.batchId}`,
  apply(prev, d, tz) {
    if (prev) return undefined;
    const month = monthOf(d.occurredAt, tz);
    return withSlot(prev, 'batch', [
      { metric: Metrics.dispatched, month, dims: {}, fields: { batches: 1 } },
      ...d.items.map((i) => ({
        metric: Metrics.dispatched,
        month,
        dims: { category: i.category },
        fields: { units: i.units, grams: i.weightGrams },
      })),
    ]);
  },
};

// --- vehicles ---------------------------------------------------------------------------------

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

const vehicleReceived: Rule<VehicleReceivedData> = {
  recordId: (d) => `vehicle:${d.vehicleIntakeId}`,
  apply(prev, d, tz) {
    if (prev?.attrs.voided || prev?.slots.received?.length) return undefined;
    return withSlot(prev, 'received', [
      {
        metric: Metrics.vehicles,
        month: monthOf(d.occurredAt, tz),
        dims: {
          district: d.districtCode,
          vehicleType: d.vehicleType,
          fuelType: d.fuelType,
          emissionStandard: d.emissionStandard,
          earlyRetiredDieselTruck: yesNo(d.flags.earlyRetiredDieselTruck),
          tradeInSubsidyEligible: yesNo(d.flags.tradeInSubsidyEligible),
        },
        fields: { count: 1, fen: d.priceFen, grams: d.weighedGrams ?? d.curbWeightGrams ?? 0 },
      },
      // A vehicle fetched by the dismantler's pickup is delivered; a void takes it back with the rest.
      ...(d.pickupId ? deliveredFacts(monthOf(d.occurredAt, tz), d.districtCode, 'vehicle') : []),
    ]);
  },
};

const vehicleVoided: Rule<VehicleIntakeVoidedData> = {
  recordId: (d) => `vehicle:${d.vehicleIntakeId}`,
  apply(prev) {
    if (prev?.attrs.voided) return undefined;
    // Everything derived from a void intake is taken back, in the months it was counted.
    return { slots: {}, attrs: { ...prev?.attrs, voided: true }, revision: prev?.revision ?? 0 };
  },
};

const vehicleStep =
  (slot: string, metric: string) =>
  (prev: RecordState | undefined, d: { occurredAt: string }, tz: string): RecordState | undefined => {
    if (prev?.attrs.voided || prev?.slots[slot]?.length) return undefined;
    return withSlot(prev, slot, [
      { metric, month: monthOf(d.occurredAt, tz), dims: {}, fields: { count: 1 } },
    ]);
  };

const vehicleDismantled: Rule<VehicleDismantledData> = {
  recordId: (d) => `vehicle:${d.vehicleIntakeId}`,
  apply(prev, d, tz) {
    if (prev?.attrs.voided || prev?.slots.dismantled?.length) return undefined;
    const month = monthOf(d.occurredAt, tz);
    return withSlot(prev, 'dismantled', [
      { metric: Metrics.dismantled, month, dims: {}, fields: { count: 1 } },
      ...d.materials.map((m) => ({
        metric: Metrics.materials,
        month,
        dims: { material: m.material },
        fields: { grams: m.weightGrams },
      })),
    ]);
  },
};

// --- used cars --------------------------------------------------------------------------------

const usedCarRecorded: Rule<UsedCarTransactionRecordedData> = {
  recordId: (d) => `used-car:${d.marketId}:${d.transactionId}`,
  apply(prev, d) {
    if (prev) return undefined;
    // Counted in the month of the sale (a local date already), not of its recording.
    return withSlot(prev, 'transaction', [
      {
        metric: Metrics.usedCars,
        month: d.transactedOn.slice(0, 7),
        dims: { district: d.districtCode, vehicleType: d.vehicleType, fuelType: d.fuelType },
        fields: { count: 1, fen: d.priceFen },
      },
    ]);
  },
};

// --- invoices and declarations ----------------------------------------------------------------

const invoiceIssued: Rule<InvoiceIssuedData> = {
  recordId: (d) => `invoice:${d.invoiceId}`,
  apply(prev, d) {
    if (prev) return undefined;
    return withSlot(prev, 'invoice', [
      {
        metric: Metrics.invoices,
        month: d.period,
        dims: { vatTreatment: d.vatTreatment, enterprise: d.issuer.enterpriseId },
        fields: {
          issued: 1,
          amountFen: d.totals.amountFen,
          vatFen: d.totals.vatFen,
          incomeTaxFen: d.totals.incomeTaxWithheldFen,
        },
      },
    ]);
  },
};

const invoiceReversed: Rule<InvoiceReversedData> = {
  recordId: (d) => `invoice:${d.invoiceId}`,
  apply(prev, d) {
    if (prev) return undefined;
    // Red-letter amounts are negative, so the net amounts of the month go down by themselves.
    return withSlot(prev, 'invoice', [
      {
        metric: Metrics.invoices,
        month: d.period,
        dims: { vatTreatment: d.vatTreatment, enterprise: d.issuer.enterpriseId },
        fields: {
          reversed: 1,
          amountFen: d.totals.amountFen,
          vatFen: d.totals.vatFen,
          incomeTaxFen: d.totals.incomeTaxWithheldFen,
        },
      },
    ]);
  },
};

const invoiceRefused: Rule<InvoiceRefusedData> = {
  recordId: (d) => `refusal:${d.purchaseId}#${d.purchaseRevision}`,
  apply(prev, d, tz) {
    if (prev) return undefined;
    return withSlot(prev, 'refusal', [
      {
        metric: Metrics.refusals,
        month: monthOf(d.occurredAt, tz),
        dims: { reason: d.reasonCode },
        fields: { count: 1 },
      },
    ]);
  },
};

const declarationPrepared: Rule<DeclarationPreparedData> = {
  recordId: (d) => `declaration:${d.enterpriseId}:${d.period}`,
  apply(prev, d) {
    if (prev && prev.revision >= d.revision) return undefined;
    const s = d.summary;
    const next = withSlot(prev, 'declaration', [
      {
        metric: Metrics.declarations,
        month: d.period,
        dims: { enterprise: d.enterpriseId },
        fields: {
          declarations: 1,
          sellers: s.sellerCount,
          salesFen: s.salesFen,
          exemptSalesFen: s.exemptSalesFen,
          vatFen: s.vatFen,
          incomeTaxFen: s.incomeTaxFen,
          invoiceCount: s.invoiceCount,
          reversalCount: s.reversalCount,
        },
      },
    ]);
    return { ...next, revision: d.revision };
  },
};

// --- trade-in subsidies -------------------------------------------------------------------------

// One record per claim (a counter sale is one), on the claim's partition (the topic's key). A claim
// counts once when first submitted (a resubmission is the same claim), then once approved, paid or
// reversed, and each rejection; each in the month it happened, by programme, district and kind.
type ClaimEvent = {
  claimId: string;
  programmeCode: string;
  programmeKind: string;
  districtCode: string;
  occurredAt: string;
};

const subsidyFacts = (d: ClaimEvent, tz: string, fields: Record<string, number>): Fact[] => [
  {
    metric: Metrics.subsidies,
    month: monthOf(d.occurredAt, tz),
    dims: { programme: d.programmeCode, district: d.districtCode, kind: d.programmeKind },
    fields,
  },
];

const subsidyStep = <T extends ClaimEvent>(
  slot: string | ((eventId: string) => string),
  fields: (d: T) => Record<string, number>,
): Rule<T> => ({
  recordId: (d) => `subsidy:${d.claimId}`,
  apply(prev, d, tz, eventId) {
    const name = typeof slot === 'string' ? slot : slot(eventId);
    if (prev?.slots[name]?.length) return undefined;
    return withSlot(prev, name, subsidyFacts(d, tz, fields(d)));
  },
});

// --- public institutions' disposals (the public-institution channel) -----------------------------

/**
 * What a disposed asset counts as: `appliances` when the asset names an appliance category that the
 * catalogue marks `householdAppliance` (computers, copiers, air conditioners...), else `equipment`
 * (office equipment without a catalogue category, servers, furniture, and production equipment such
 * as PV inverters). The same words as the intake metrics, so the two channels line up.
 */
export const disposalKindOf = (
  applianceCategory: ApplianceCategory | undefined,
): 'appliances' | 'equipment' =>
  applianceCategory !== undefined && applianceCategories[applianceCategory]?.householdAppliance === true
    ? Metrics.appliances
    : Metrics.equipment;

type DisposedAsset = { category: string; applianceCategory?: ApplianceCategory; mode: string };

const disposalFacts = <A extends DisposedAsset>(
  assets: readonly A[],
  month: string,
  district: string,
  fields: (a: A) => Record<string, number>,
): Fact[] =>
  assets.map((a) => ({
    metric: Metrics.disposals,
    month,
    dims: { district, kind: disposalKindOf(a.applianceCategory), category: a.category, mode: a.mode },
    fields: fields(a),
  }));

// One record per batch, on the batch's partition (the topic's key). A batch's assets count when
// registered (taken back if the batch is withdrawn before receipt), when the station receives them
// (with their weight) and when they are handed to a licensed receiver, each in its own month, by
// district, kind (appliances or equipment), asset category and disposal mode. Never counted in the
// `appliances` or `equipment` metrics of the stations' intakes (README, "Public institutions").
const disposalRegistered: Rule<DisposalBatchRegisteredData> = {
  recordId: (d) => `disposal:${d.batchId}`,
  apply(prev, d, tz) {
    if (prev?.attrs.registered) return undefined;
    const next = withSlot(
      prev,
      'registered',
      disposalFacts(d.assets, monthOf(d.occurredAt, tz), d.districtCode, (a) => ({
        registered: 1,
        originalValueFen: a.originalValueFen,
      })),
    );
    return { ...next, attrs: { ...next.attrs, registered: true, district: d.districtCode } };
  },
};

const disposalCancelled: Rule<DisposalBatchCancelledData> = {
  recordId: (d) => `disposal:${d.batchId}`,
  apply(prev) {
    if (prev?.attrs.cancelled) return undefined;
    // Withdrawn before receipt: its registration is taken back, in the month it was counted.
    const next = withSlot(prev, 'registered', []);
    return { ...next, attrs: { ...next.attrs, cancelled: true } };
  },
};

const disposalReceived: Rule<DisposalBatchReceivedData> = {
  recordId: (d) => `disposal:${d.batchId}`,
  apply(prev, d, tz) {
    if (prev?.slots.received?.length) return undefined;
    const month = monthOf(d.occurredAt, tz);
    const next = withSlot(prev, 'received', [
      { metric: Metrics.disposals, month, dims: { district: d.districtCode }, fields: { batches: 1 } },
      ...disposalFacts(d.received, month, d.districtCode, (a) => ({
        received: 1,
        receivedGrams: a.weightGrams,
      })),
    ]);
    return { ...next, attrs: { ...next.attrs, district: d.districtCode } };
  },
};

const disposalHandedOver: Rule<DisposalAssetsHandedOverData> = {
  recordId: (d) => `disposal:${d.batchId}`,
  apply(prev, d, tz) {
    // A batch goes to its receivers in several handovers; each is its own slot.
    const slot = `handover:${d.handoverId}`;
    if (prev?.slots[slot]?.length) return undefined;
    return withSlot(
      prev,
      slot,
      disposalFacts(d.assets, monthOf(d.occurredAt, tz), str(prev?.attrs.district), (a) => ({
        handedOver: 1,
        handedOverGrams: a.weightGrams,
      })),
    );
  },
};

// --- remanufacturing ------------------------------------------------------------------------------

// A core counts once, in the month it was received, by product line, source (a vehicle's assembly
// or a station's intake) and remanufacturer; one the intake check rejected counts in coresRejected as
// well. A product counts once when started and once when released, by line and remanufacturer.
// Keyed by core and product id (the topic's keys); the events name no district.
const coreReceived: Rule<RemanufacturingCoreReceivedData> = {
  recordId: (d) => `reman-core:${d.coreId}`,
  apply(prev, d, tz) {
    if (prev?.slots.received?.length) return undefined;
    return withSlot(prev, 'received', [
      {
        metric: Metrics.remanufacturing,
        month: monthOf(d.occurredAt, tz),
        dims: { line: d.productLine, source: d.source.kind, remanufacturer: d.remanufacturerId },
        fields: d.intakeCheck.passed ? { cores: 1 } : { cores: 1, coresRejected: 1 },
      },
    ]);
  },
};

const productStep = <T extends RemanufacturingProductStartedData | RemanufacturingProductReleasedData>(
  slot: 'started' | 'released',
): Rule<T> => ({
  recordId: (d) => `reman-product:${d.productId}`,
  apply(prev, d, tz) {
    if (prev?.slots[slot]?.length) return undefined;
    return withSlot(prev, slot, [
      {
        metric: Metrics.remanufacturing,
        month: monthOf(d.occurredAt, tz),
        dims: { line: d.productLine, remanufacturer: d.remanufacturerId },
        fields: { [slot]: 1 },
      },
    ]);
  },
});

const pickupRule = <T extends PickupCancelledData | PickupFailedData>(
  slot: 'cancelled' | 'failed',
): Rule<T> => ({
  recordId: (d) => `pickup:${d.pickupId}`,
  apply: (prev, d, tz) => pickupClosed(slot)(prev, d, tz),
});

const vehicleRule = <T extends { vehicleIntakeId: string; occurredAt: string }>(
  slot: string,
  metric: string,
): Rule<T> => ({
  recordId: (d) => `vehicle:${d.vehicleIntakeId}`,
  apply: (prev, d, tz) => vehicleStep(slot, metric)(prev, d, tz),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const recordRules: Record<string, Rule<any>> = {
  'recycling.pickup.requested.v1': pickupRequested,
  'recycling.pickup.scheduled.v1': pickupScheduled,
  'recycling.pickup.collected.v1': pickupCollected,
  'recycling.pickup.cancelled.v1': pickupRule<PickupCancelledData>('cancelled'),
  'recycling.pickup.failed.v1': pickupRule<PickupFailedData>('failed'),
  'recycling.intake.recorded.v1': intakeRecorded,
  'recycling.intake.corrected.v1': intakeCorrected,
  'recycling.intake.items-sorted.v1': intakeItemsSorted,
  'recycling.intake.batch-dispatched.v1': batchDispatched,
  'recycling.vehicle.received.v1': vehicleReceived,
  'recycling.vehicle.intake-voided.v1': vehicleVoided,
  'recycling.vehicle.certificate-issued.v1': vehicleRule<VehicleCertificateIssuedData>(
    'certificate',
    Metrics.certificates,
  ),
  'recycling.vehicle.deregistration-requested.v1': vehicleRule<VehicleDeregistrationRequestedData>(
    'deregistration',
    Metrics.deregistrations,
  ),
  'recycling.vehicle.dismantled.v1': vehicleDismantled,
  'recycling.used-car.transaction-recorded.v1': usedCarRecorded,
  'recycling.invoice.issued.v1': invoiceIssued,
  'recycling.invoice.reversed.v1': invoiceReversed,
  'recycling.invoice.refused.v1': invoiceRefused,
  'recycling.declaration.prepared.v1': declarationPrepared,
  'recycling.subsidy.claim-submitted.v1': subsidyStep<ClaimSubmittedData>('submitted', (d) => ({
    claims: 1,
    requestedFen: d.amountFen,
  })),
  'recycling.subsidy.counter-sale-recorded.v1': subsidyStep<CounterSaleRecordedData>('submitted', (d) => ({
    claims: 1,
    counterSales: 1,
    requestedFen: d.subsidyFen,
  })),
  'recycling.subsidy.claim-approved.v1': subsidyStep<ClaimApprovedData>('approved', (d) => ({
    approved: 1,
    approvedFen: d.amountFen,
  })),
  'recycling.subsidy.claim-rejected.v1': subsidyStep<ClaimRejectedData>(
    (eventId) => `rejected:${eventId}`,
    () => ({ rejected: 1 }),
  ),
  'recycling.subsidy.claim-paid.v1': subsidyStep<ClaimPaidData>('paid', (d) => ({
    paid: 1,
    paidFen: d.amountFen,
  })),
  'recycling.subsidy.claim-reversed.v1': subsidyStep<ClaimReversedData>('reversed', (d) => ({
    reversed: 1,
    reversedFen: d.amountFen,
  })),
  'recycling.disposal.batch-registered.v1': disposalRegistered,
  'recycling.disposal.batch-cancelled.v1': disposalCancelled,
  'recycling.disposal.batch-received.v1': disposalReceived,
  'recycling.disposal.assets-handed-over.v1': disposalHandedOver,
  'recycling.remanufacturing.core-received.v1': coreReceived,
  'recycling.remanufacturing.product-started.v1': productStep<RemanufacturingProductStartedData>('started'),
  'recycling.remanufacturing.product-released.v1':
    productStep<RemanufacturingProductReleasedData>('released'),
};

/** Topics statistics reads. Purchases are left out: they carry identities and add nothing here. */
export const COUNTED_TOPICS = [
  'recycling.pickups.v1',
  'recycling.intakes.v1',
  'recycling.vehicles.v1',
  'recycling.invoices.v1',
  'recycling.declarations.v1',
  'recycling.used-cars.v1',
  'recycling.subsidies.v1',
  'recycling.disposals.v1',
  'recycling.remanufacturing.v1',
] as const;
