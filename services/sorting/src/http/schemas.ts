import {
  ApplianceCategory,
  BatchItem,
  DistrictCode,
  Fen,
  freeText,
  Id,
  IdDocumentType,
  InputFen,
  InputUnits,
  IntakeContents,
  IntakeLine,
  IntakeLineCondition,
  IntakeSource,
  IsoUtc,
  LocalDate,
  Note,
  PickupAppliance,
  PositiveGrams,
  SellerKey,
  Slot,
  SortingOutcome,
  Units,
  validateResidentIdNumber,
} from '@recycling/contracts';
import { idempotencyKeyHeader } from '@recycling/service-kit';
import { z } from 'zod';
import { ARRIVAL_STATUSES } from '../domain/arrivals';

// Request schemas: the endpoints validate with these and the OpenAPI document is generated from
// them, so the two cannot drift. Strict objects refuse unknown keys (a misspelt field is a 400, not
// a silently dropped value). Response schemas below document what the use cases answer.

export const StationParams = z.strictObject({ stationId: Id });
export const IntakeParams = z.strictObject({ intakeId: Id });
export const LineParams = z.strictObject({ intakeId: Id, lineId: Id });
export const BatchParams = z.strictObject({ batchId: Id });

export const PutStationBody = z
  .strictObject({
    name: freeText({ max: 200 }),
    districtCode: DistrictCode,
    enterpriseId: Id.describe('Enterprise that operates the station and pays sellers'),
    active: z.boolean().default(true),
  })
  .meta({ id: 'PutStation' });

const LineFields = {
  category: ApplianceCategory,
  units: InputUnits,
  weightGrams: PositiveGrams.optional().describe(
    "Weighed weight of the line; when absent the city profile's default weight x units is used and marked estimated",
  ),
  condition: IntakeLineCondition,
  priceFen: InputFen.describe('Paid for the whole line, a whole number of fen per unit'),
};

const wholeFenPerUnit = (l: { units: number; priceFen: number }) => l.priceFen % l.units === 0;
const perUnitMessage = { message: 'must be a whole number of fen per unit', path: ['priceFen'] };

export const IntakeLineInput = z.strictObject(LineFields).refine(wholeFenPerUnit, perUnitMessage);
export const CorrectedLineInput = z
  .strictObject({
    lineId: Id.optional().describe('A line of the current revision to restate; absent for a new line'),
    ...LineFields,
  })
  .refine(wholeFenPerUnit, perUnitMessage);

export const PersonSellerInput = z
  .strictObject({
    kind: z.literal('person'),
    name: freeText({ max: 100 }),
    idType: IdDocumentType,
    idNumber: freeText({ max: 40 }),
    consentToReverseInvoicing: z
      .literal(true, { error: 'the seller must consent to reverse invoicing' })
      .describe('The seller agreed that the enterprise issues the invoice for this sale (反向开票)'),
    consentRecordedAt: IsoUtc.optional().describe('When consent was given; default the time of recording'),
  })
  .superRefine((s, ctx) => {
    if (s.idType !== 'resident-id-card') return;
    const check = validateResidentIdNumber(s.idNumber);
    if (!check.valid) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: check.message });
  });

export const OrganisationSellerInput = z.strictObject({
  kind: z.literal('organisation'),
  organisationName: freeText({ max: 200 }),
  taxpayerId: freeText({ max: 40 }).optional(),
});

const ORGANISATION_SOURCES = new Set(['public-institution', 'enterprise']);

export const RecordIntakeBody = z
  .strictObject({
    source: z
      .strictObject({
        kind: z.enum(['pickup', 'walk-in', 'retailer-trade-in', 'public-institution', 'enterprise']),
        pickupId: Id.optional(),
        counterSaleId: Id.optional().describe(
          'The trade-in counter sale the old appliance was handed over at (subsidies service)',
        ),
      })
      .refine((s) => (s.kind === 'pickup') === (s.pickupId !== undefined), {
        message: 'pickupId is required for, and only for, kind pickup',
        path: ['pickupId'],
      })
      .refine((s) => s.counterSaleId === undefined || s.kind === 'retailer-trade-in', {
        message: 'counterSaleId is for kind retailer-trade-in only',
        path: ['counterSaleId'],
      }),
    seller: z.discriminatedUnion('kind', [PersonSellerInput, OrganisationSellerInput]),
    lines: z.array(IntakeLineInput).min(1).max(200),
    receivedAt: IsoUtc.optional().describe('When the goods were received and weighed; default now'),
    paidAt: IsoUtc.optional().describe('When the seller was paid; default the time of recording'),
    weighingRecordId: Id.optional(),
    paymentRecordId: Id.optional().describe('Receipt or transfer reference; default pay-<intakeId>'),
  })
  .refine((b) => !ORGANISATION_SOURCES.has(b.source.kind) || b.seller.kind === 'organisation', {
    message: 'a public institution or enterprise sells as an organisation',
    path: ['seller', 'kind'],
  })
  .meta({
    id: 'RecordIntake',
    description:
      "Rules across fields: `source.pickupId` is required for, and only for, `source.kind` pickup; `source.counterSaleId` only for retailer-trade-in; a public institution or an enterprise sells as an organisation (`seller.kind`); a person with a resident ID card gives a number whose check digit holds; each line's `priceFen` is a whole number of fen per unit (`priceFen` divisible by `units`); `paidAt` may not be more than five minutes ahead of the server's clock (400 `paid-in-future`).",
  });

export const CorrectIntakeBody = z
  .strictObject({
    reason: Note,
    lines: z
      .array(CorrectedLineInput)
      .max(200)
      .describe('The complete lines from now on; an empty list withdraws the intake'),
    paymentRecordId: Id.optional().describe('Receipt of the additional payment or refund, if any'),
  })
  .meta({
    id: 'CorrectIntake',
    description:
      "Rules across fields: each corrected line's `priceFen` is a whole number of fen per unit; the lines replace the intake's lines (an empty list withdraws it); a `lineId` must be of the current revision and appear once; a correction that changes nothing is a 400; one that leaves fewer units than were already sorted is refused (409).",
  });

export const SortItemsBody = z
  .strictObject({
    outcomes: z
      .array(z.strictObject({ lineId: Id, outcome: SortingOutcome, units: InputUnits }))
      .min(1)
      .max(200),
  })
  .meta({ id: 'SortItems' });

export const DispatchBatchBody = z
  .strictObject({
    processor: z.strictObject({
      name: freeText({ max: 200 }),
      licenceNo: freeText({ max: 64 }),
    }),
    items: z
      .array(z.strictObject({ intakeId: Id, lineId: Id, units: InputUnits }))
      .min(1)
      .max(500),
    dispatchedAt: IsoUtc.optional(),
  })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.items.forEach((item, i) => {
      const key = `${item.intakeId}/${item.lineId}`;
      if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: ['items', i], message: `${key} appears twice` });
      seen.add(key);
    });
  })
  .meta({ id: 'DispatchBatch' });

/** The intake's Idempotency-Key, documented with what a desk's retry gets. */
export const IntakeIdempotencyHeader = idempotencyKeyHeader(
  'A desk retrying after a timeout sends the same key: it gets the first answer, and the intake and ' +
    'its purchase are recorded once / 超时重试时使用同一键，只入库、只付款一次',
);

export const ArrivalsQuery = z.strictObject({
  date: LocalDate.optional().describe('Only visits on this local date'),
});

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

// ---- responses (documented; the integration tests parse answers with them) ----------------------

export const StationView = z
  .object({
    stationId: Id,
    name: z.string(),
    districtCode: DistrictCode,
    enterpriseId: Id,
    active: z.boolean(),
    updatedAt: IsoUtc,
  })
  .meta({ id: 'Station' });

export const StationList = z.object({ stations: z.array(StationView) });

export const ArrivalView = z
  .object({
    pickupId: Id,
    stationId: Id,
    districtCode: DistrictCode,
    status: z.enum(ARRIVAL_STATUSES),
    slot: Slot,
    crewId: z.string().optional(),
    expected: z.array(PickupAppliance).describe('What the crew reported collecting, else what was booked'),
    booked: z.array(PickupAppliance),
    collected: z.array(PickupAppliance).optional(),
  })
  .meta({ id: 'ExpectedArrival' });

export const ArrivalList = z.object({ arrivals: z.array(ArrivalView) });

const MaskedSeller = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('person'),
    sellerKey: SellerKey,
    nameMasked: z.string(),
    idType: IdDocumentType,
    idNumberMasked: z.string(),
    consentRecordedAt: IsoUtc,
  }),
  z.object({
    kind: z.literal('organisation'),
    organisationName: z.string(),
    taxpayerId: z.string().optional(),
  }),
]);

export const IntakeView = z
  .object({
    intakeId: Id,
    stationId: Id,
    enterpriseId: Id,
    districtCode: DistrictCode,
    source: IntakeSource,
    seller: MaskedSeller.describe("A person's identity masked; organisations by name"),
    revision: z.int().min(1),
    withdrawn: z.boolean().describe('true when a correction left no lines'),
    contents: IntakeContents.describe('The current revision'),
    revisions: z.array(
      z.object({
        revision: z.int().min(1),
        reason: z.string().optional(),
        contents: IntakeContents,
        recordedAt: IsoUtc,
        recordedBy: z.string(),
      }),
    ),
    sorted: z.array(
      z.object({
        sortingId: z.string(),
        lineId: Id,
        outcome: SortingOutcome,
        units: Units,
        sortedAt: IsoUtc,
        sortedBy: z.string(),
      }),
    ),
    purchaseId: z.string().optional().describe('intake:<intakeId> once a purchase was published'),
    purchaseRevision: z.int().min(0),
    receivedAt: IsoUtc,
    paidAt: IsoUtc,
    weighingRecordId: z.string().optional(),
    paymentRecordId: z.string(),
  })
  .meta({ id: 'Intake' });

export const IntakeList = z.object({ intakes: z.array(IntakeView) });

export const BatchView = z
  .object({
    batchId: Id,
    stationId: Id,
    processor: z.object({ name: z.string(), licenceNo: z.string() }),
    items: z.array(BatchItem),
    totalWeightGrams: PositiveGrams,
    dispatchedAt: IsoUtc,
    dispatchedBy: z.string(),
  })
  .meta({ id: 'Batch' });

export const BatchList = z.object({ batches: z.array(BatchView) });

const pickupStep = (steps: readonly [string, ...string[]]) =>
  z.object({ at: IsoUtc, step: z.enum(steps), pickupId: Id });

const CustodyStep = z
  .discriminatedUnion('step', [
    pickupStep([
      'pickup.requested',
      'pickup.scheduled',
      'pickup.collected',
      'pickup.cancelled',
      'pickup.failed',
    ]),
    z.object({
      at: IsoUtc,
      step: z.literal('intake.recorded'),
      intakeId: Id,
      revision: z.literal(1),
      line: IntakeLine,
    }),
    z.object({
      at: IsoUtc,
      step: z.literal('intake.corrected'),
      intakeId: Id,
      revision: z.int(),
      reason: z.string(),
      line: IntakeLine.nullable().describe('null when the correction withdrew the line'),
    }),
    z.object({
      at: IsoUtc,
      step: z.literal('items.sorted'),
      sortingId: z.string(),
      outcome: SortingOutcome,
      units: Units,
    }),
    z.object({
      at: IsoUtc,
      step: z.literal('batch.dispatched'),
      batchId: Id,
      processor: z.object({ name: z.string(), licenceNo: z.string() }),
      units: Units,
      weightGrams: PositiveGrams,
    }),
  ])
  .meta({ id: 'CustodyStep' });

export const LineCustodyView = z
  .object({
    lineId: Id,
    current: IntakeLine.nullable().describe('null when a correction withdrew the line'),
    location: z.object({
      units: z.int(),
      unsorted: z.int(),
      sortedAtStation: z.int(),
      dispatched: z.int(),
    }),
    steps: z.array(CustodyStep).describe('In time order'),
  })
  .meta({ id: 'LineCustody' });

const custodyOf = {
  intakeId: Id,
  stationId: Id,
  revision: z.int().min(1),
  pickup: z
    .object({
      pickupId: Id,
      known: z.boolean().describe("false while the pickup's events have not reached the station"),
      status: z.enum(ARRIVAL_STATUSES).optional(),
      booked: z.array(PickupAppliance).optional(),
      collected: z.array(PickupAppliance).optional(),
      differences: z
        .array(
          z.object({
            category: ApplianceCategory,
            booked: z.int(),
            received: z.int(),
            difference: z.int(),
          }),
        )
        .optional()
        .describe('Per category, received minus booked (or reported collected); only where they differ'),
    })
    .optional()
    .describe('Set when the goods came through a pickup'),
};

export const IntakeCustodyView = z
  .object({ ...custodyOf, lines: z.array(LineCustodyView) })
  .meta({ id: 'IntakeCustody' });

export const OneLineCustodyView = z
  .object({ ...custodyOf, line: LineCustodyView })
  .meta({ id: 'OneLineCustody' });

// ---- the station's day -----------------------------------------------------------------------

export const WorkListQuery = z.strictObject({
  date: LocalDate.optional().describe('The local day (Asia/Shanghai for Alar); default today'),
});

const WorkArrival = z.object({
  pickupId: Id,
  status: z.enum(ARRIVAL_STATUSES),
  districtCode: DistrictCode,
  slot: Slot,
  crewId: z.string().optional(),
  expected: z.array(PickupAppliance),
  units: Units,
  overdue: z.boolean().describe('Due on an earlier day and not received yet'),
});

const WorkLine = z.object({
  lineId: z.string(),
  category: ApplianceCategory,
  units: Units,
  sorted: z.int().min(0),
  dispatched: z.int().min(0),
});

const OpenIntake = z.object({ intakeId: Id, receivedOn: LocalDate, lines: z.array(WorkLine) });

export const WorkListView = z
  .object({
    stationId: Id,
    date: LocalDate,
    due: z.array(WorkArrival).describe('Collections due today (and overdue ones) not yet brought back'),
    toReceive: z
      .array(WorkArrival)
      .describe('Collected by the crew, waiting to be weighed and paid: record their intake'),
    upcoming: z.array(WorkArrival).describe('Collections due in the next 7 days'),
    received: z
      .array(
        z.object({
          intakeId: Id,
          pickupId: Id.optional(),
          sourceKind: z.string(),
          seller: z.string().describe('Masked'),
          receivedAt: IsoUtc,
          units: z.int().min(0).describe('0 once a correction withdrew the intake (no lines left)'),
          weightGrams: z.int(),
          paidFen: Fen,
        }),
      )
      .describe('Intakes received on the day, newest first'),
    toSort: z.array(OpenIntake).describe('Lines with units not sorted yet, whatever day they came in'),
    toDispatch: z.array(OpenIntake).describe('Lines with sorted units that have not left yet'),
    totals: z.object({
      due: z.int(),
      overdue: z.int(),
      toReceive: z.int(),
      upcoming: z.int(),
      received: z.int(),
      receivedUnits: z.int(),
      receivedWeightGrams: z.int(),
      paidFen: Fen,
      unitsToSort: z.int(),
      unitsToDispatch: z.int(),
    }),
  })
  .meta({ id: 'StationWorkList', description: "The station's day, kept on the server" });
