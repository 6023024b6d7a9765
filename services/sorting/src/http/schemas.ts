import {
  ApplianceCategory,
  DistrictCode,
  Fen,
  Id,
  IdDocumentType,
  IntakeLineCondition,
  IsoUtc,
  LocalDate,
  Note,
  PositiveGrams,
  SortingOutcome,
  Units,
  validateResidentIdNumber,
} from '@recycling/contracts';
import { z } from 'zod';

// Request schemas: the routes validate with these and the OpenAPI document is generated from them,
// so the two cannot drift. Strict objects refuse unknown keys (a misspelt field is a 400, not a
// silently dropped value).

export const StationParams = z.strictObject({ stationId: Id });
export const IntakeParams = z.strictObject({ intakeId: Id });
export const LineParams = z.strictObject({ intakeId: Id, lineId: Id });
export const BatchParams = z.strictObject({ batchId: Id });

export const PutStationBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    districtCode: DistrictCode,
    enterpriseId: Id.describe('Enterprise that operates the station and pays sellers'),
    active: z.boolean().default(true),
  })
  .meta({ id: 'PutStation' });

const LineFields = {
  category: ApplianceCategory,
  units: Units,
  weightGrams: PositiveGrams.optional().describe(
    "Weighed weight of the line; when absent the city profile's default weight x units is used and marked estimated",
  ),
  condition: IntakeLineCondition,
  priceFen: Fen.describe('Paid for the whole line, a whole number of fen per unit'),
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
    name: z.string().trim().min(1).max(100),
    idType: IdDocumentType,
    idNumber: z.string().trim().min(1).max(40),
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
  organisationName: z.string().trim().min(1).max(200),
  taxpayerId: z.string().trim().min(1).max(40).optional(),
});

const ORGANISATION_SOURCES = new Set(['public-institution', 'enterprise']);

export const RecordIntakeBody = z
  .strictObject({
    source: z
      .strictObject({
        kind: z.enum(['pickup', 'walk-in', 'retailer-trade-in', 'public-institution', 'enterprise']),
        pickupId: Id.optional(),
      })
      .refine((s) => (s.kind === 'pickup') === (s.pickupId !== undefined), {
        message: 'pickupId is required for, and only for, kind pickup',
        path: ['pickupId'],
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
  .meta({ id: 'RecordIntake' });
export type RecordIntakeBody = z.infer<typeof RecordIntakeBody>;

export const CorrectIntakeBody = z
  .strictObject({
    reason: Note,
    lines: z
      .array(CorrectedLineInput)
      .max(200)
      .describe('The complete lines from now on; an empty list withdraws the intake'),
    paymentRecordId: Id.optional().describe('Receipt of the additional payment or refund, if any'),
  })
  .meta({ id: 'CorrectIntake' });
export type CorrectIntakeBody = z.infer<typeof CorrectIntakeBody>;

export const SortItemsBody = z
  .strictObject({
    outcomes: z
      .array(z.strictObject({ lineId: Id, outcome: SortingOutcome, units: Units }))
      .min(1)
      .max(200),
  })
  .meta({ id: 'SortItems' });
export type SortItemsBody = z.infer<typeof SortItemsBody>;

export const DispatchBatchBody = z
  .strictObject({
    processor: z.strictObject({
      name: z.string().trim().min(1).max(200),
      licenceNo: z.string().trim().min(1).max(64),
    }),
    items: z
      .array(z.strictObject({ intakeId: Id, lineId: Id, units: Units }))
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
export type DispatchBatchBody = z.infer<typeof DispatchBatchBody>;

export const ArrivalsQuery = z.strictObject({
  date: LocalDate.optional().describe('Only visits on this local date'),
});

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
