import {
  EmissionStandard,
  EnergyGrade,
  Fen,
  freeText,
  FuelType,
  Gtin13,
  Id,
  IdDocumentType,
  InvoiceNo,
  Label,
  LocalDate,
  Month,
  Note,
  ProgrammeCode,
  SUBSIDY_EVIDENCE_KINDS,
  SUBSIDY_FLAG_CODES,
  TradeInKind,
  validateResidentIdNumber,
  validateVin,
  VehicleType,
  type CityProfile,
} from '@recycling/contracts';
import { z } from 'zod';
import 'zod-openapi';
import { CLAIM_STATUSES } from '../domain/claim-lifecycle';
import { luhnValid } from '../domain/references';
import { QUEUE_STAGES } from '../app/review';

// Request and response bodies. The kit validates with these and generates the OpenAPI document from
// the same objects. Personal data enters here and is answered only masked.

export const Phone = z
  .string()
  .trim()
  .regex(/^(\+86[ -]?)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, 'a mainland mobile or landline number')
  .describe('Phone, e.g. 13912345678');

/** A VIN as typed: trimmed and upper-cased, then checked, with the reason when it fails. */
export const VinInput = z
  .string()
  .transform((s, ctx) => {
    const check = validateVin(s);
    if (check.valid) return check.vin;
    ctx.addIssue({ code: 'custom', message: `车架号无效 / Invalid VIN (${check.reason}): ${check.message}` });
    return z.NEVER;
  })
  .meta({ description: 'VIN (GB 16735), 17 characters, check digit enforced', override: { type: 'string' } });

const PersonName = freeText({ max: 50 }).describe('As on the id document');

const IdDocument = {
  idType: IdDocumentType,
  idNumber: freeText({ max: 40 }).describe(
    'Id document number; a resident id card’s check character is enforced',
  ),
};
const checkIdNumber = (p: { idType: string; idNumber: string }, ctx: z.core.$RefinementCtx) => {
  if (p.idType !== 'resident-id-card') return;
  const check = validateResidentIdNumber(p.idNumber);
  if (!check.valid) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: check.message });
};
/** Checked even when other fields of the object fail, so a 400 names every bad field at once. */
const idNumberChecked = {
  when: (payload: z.core.ParsePayload) => {
    const v = payload.value as { idType?: unknown; idNumber?: unknown } | undefined;
    return typeof v?.idNumber === 'string' && v.idType === 'resident-id-card';
  },
};

export const BankCard = z.strictObject({
  cardNo: z
    .string()
    .trim()
    .regex(/^\d{16,19}$/, '16-19 digits')
    .refine(luhnValid, 'not a valid card number (check digit)')
    .describe('Debit card number in the applicant’s name; stored encrypted, shown masked'),
  bankName: freeText({ max: 100 }).describe('Bank of the card, e.g. 中国农业银行阿拉尔分行'),
  holderName: PersonName.describe('Name on the card: must be the applicant’s'),
});

export const ClaimIdParams = z.strictObject({ claimId: Id });
export const RetailerParams = z.strictObject({ retailerId: Id.max(48) });
export const SaleParams = z.strictObject({ retailerId: Id.max(48), claimId: Id });
export const ReimbursementParams = z.strictObject({ retailerId: Id.max(48), reimbursementId: Id });
export const PaymentParams = z.strictObject({ paymentId: Id });
export const BatchParams = z.strictObject({ batchId: Id });
export const ProgrammeYearParams = z.strictObject({
  programmeCode: ProgrammeCode,
  year: z.coerce.number().int().min(2000).max(2100),
});

export function httpSchemas(profile: CityProfile) {
  const codes = profile.districts.map((d) => d.code) as [string, ...string[]];
  const DistrictCode = z.enum(codes).describe(`District code of ${profile.name.en} (city profile)`);
  const programmes = profile.subsidies.tradeIn?.programmes ?? [];
  const carCodes = programmes.filter((p) => p.kind !== 'counter-sale').map((p) => p.code);
  const saleCodes = programmes.filter((p) => p.kind === 'counter-sale').map((p) => p.code);
  const enumOf = (values: string[], what: string) =>
    values.length > 0 ? z.enum(values as [string, ...string[]]).describe(what) : ProgrammeCode.describe(what);
  const CarProgramme = enumOf(
    carCodes,
    'Car programme of the city profile (car-scrap = 报废更新, car-replace = 置换更新)',
  );
  const SaleProgramme = enumOf(saleCodes, 'Counter-sale programme of the city profile');

  const CarClaimBody = z
    .strictObject({
      programmeCode: CarProgramme,
      applicant: z
        .strictObject({
          name: PersonName,
          ...IdDocument,
          phone: Phone,
          districtCode: DistrictCode.describe('Where the applicant lives'),
        })
        .superRefine(checkIdNumber, idNumberChecked),
      bankCard: BankCard,
      oldCar: z.strictObject({
        vin: VinInput,
        vehicleType: VehicleType,
        fuelType: FuelType,
        emissionStandard: EmissionStandard,
        registrationDate: LocalDate.describe('First registration (初次登记) on the registration certificate'),
        ownedSince: LocalDate.describe('In the applicant’s name since (registration certificate)'),
        certificateNo: freeText({ max: 40 }).optional().describe('报废机动车回收证明 number (scrap-and-buy)'),
        usedCarTransactionId: Id.optional().describe('The used-car sale, if known (sell-and-buy)'),
      }),
      newCar: z.strictObject({
        vin: VinInput,
        vehicleType: VehicleType,
        fuelType: FuelType,
        displacementMl: z.int().min(50).max(10_000).optional().describe('Fuel cars: displacement in ml'),
        priceFen: Fen.min(1).describe('Price on the unified motor-vehicle sales invoice, fen'),
        invoiceNo: InvoiceNo.describe('机动车销售统一发票 number'),
        purchaseDate: LocalDate.describe('Date of the sales invoice: chooses the rule in force'),
        registrationDate: LocalDate.describe('Registration of the new car'),
        registration: z.strictObject({
          certificateNo: freeText({ max: 40 }).describe('机动车登记证书 number'),
          ownerIdNumber: freeText({ max: 40 }).describe('Owner’s id number on it: must be the applicant’s'),
        }),
        dealer: z.strictObject({
          name: freeText({ max: 200 }),
          districtCode: DistrictCode.describe('Where the dealer is: the car must be bought in the city'),
        }),
      }),
    })
    .meta({ id: 'CarClaimInput' });

  const ResubmitBody = z
    .strictObject({
      oldCar: z
        .strictObject({
          registrationDate: LocalDate.optional(),
          ownedSince: LocalDate.optional(),
          fuelType: FuelType.optional(),
          emissionStandard: EmissionStandard.optional(),
        })
        .optional(),
      newCar: z
        .strictObject({
          registrationDate: LocalDate.optional(),
          registrationCertificateNo: freeText({ max: 40 }).optional(),
        })
        .optional(),
      bankCard: BankCard.optional(),
      note: Note.optional(),
    })
    .meta({ id: 'ClaimResubmission' });

  const CounterSaleBody = z
    .strictObject({
      programmeCode: SaleProgramme,
      category: ProgrammeCode.describe(
        'Category code of the rule in force, e.g. air-conditioner (GET /programmes)',
      ),
      gtin: Gtin13,
      model: freeText({ max: 100 }).describe('Model on the energy label'),
      energyGrade: EnergyGrade.optional().describe('Required for categories with an energy label'),
      serialNo: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9][A-Za-z0-9\-/.]{2,63}$/, '3-64 letters, digits, - / .')
        .describe('Serial number (or IMEI) of the unit'),
      priceFen: Fen.min(1).describe('Invoice total: what the buyer pays plus the subsidy, fen'),
      invoiceNo: InvoiceNo.describe('Invoice made out to the buyer'),
      soldOn: LocalDate.optional().describe('Default today; chooses the rule in force'),
      buyer: z
        .strictObject({
          name: PersonName.optional(),
          ...IdDocument,
          phone: Phone,
          address: z.strictObject({ districtCode: DistrictCode, detail: freeText({ min: 2, max: 200 }) }),
        })
        .superRefine(checkIdNumber, idNumberChecked),
    })
    .meta({ id: 'CounterSaleInput' });

  const RetailerBody = z
    .strictObject({
      name: freeText({ max: 200 }),
      districtCode: DistrictCode,
      programmeCodes: z.array(SaleProgramme).min(1).max(20),
      active: z.boolean(),
    })
    .meta({ id: 'RetailerInput' });

  return { CarClaimBody, ResubmitBody, CounterSaleBody, RetailerBody };
}

export const ReturnBody = z.strictObject({ reason: Note.optional() }).meta({ id: 'SaleReturn' });

export const ReimbursementBody = z
  .strictObject({
    programmeCode: ProgrammeCode,
    year: z.int().min(2000).max(2100),
    claimIds: z.array(Id).min(1).max(500).optional().describe('Default: every sale ready for reimbursement'),
  })
  .meta({ id: 'ReimbursementInput' });

export const ApproveBody = z.strictObject({ note: Note.optional() }).meta({ id: 'Approval' });

export const RejectBody = z
  .strictObject({
    reasons: z
      .array(
        z.strictObject({
          code: z
            .string()
            .regex(/^[a-z][a-z0-9-]{1,63}$/, 'a kebab-case code')
            .describe('e.g. deregistration-date-mismatch, id-mismatch, new-car-not-registered-to-applicant'),
          note: Note.optional(),
        }),
      )
      .min(1)
      .max(10),
  })
  .meta({ id: 'Rejection' });

export const PaymentBatchBody = z
  .strictObject({
    programmeCode: ProgrammeCode,
    year: z.int().min(2000).max(2100),
    claimIds: z.array(Id).min(1).max(200).optional().describe('Default: the approved claims, oldest first'),
    limit: z.int().min(1).max(200).default(100),
  })
  .meta({ id: 'PaymentBatchInput' });

export const BatchesQuery = z.strictObject({
  programmeCode: ProgrammeCode,
  year: z.coerce.number().int().min(2000).max(2100),
});

export const QueueQuery = z.strictObject({
  programmeCode: ProgrammeCode,
  year: z.coerce.number().int().min(2000).max(2100),
  stage: z.enum(QUEUE_STAGES).default('in-review'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const FundsQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() });
export const MonthQuery = z.strictObject({ month: Month });
export const SalesQuery = z.strictObject({ month: Month.optional().describe('Default this month') });

// ---- responses --------------------------------------------------------------------------------

const Instant = z.iso.datetime();

export const ClaimView = z
  .object({
    claimId: Id,
    kind: TradeInKind,
    programmeCode: ProgrammeCode,
    programmeName: Label,
    programmeYear: z.int(),
    status: z.enum(CLAIM_STATUSES),
    statusName: z.string(),
    amountFen: Fen.describe('The subsidy'),
    purchaseDate: LocalDate,
    districtCode: z.string(),
    applicant: z
      .object({
        nameMasked: z.string(),
        idNumberMasked: z.string(),
        phoneMasked: z.string(),
        bankCardMasked: z.string(),
        bankName: z.string(),
      })
      .optional(),
    car: z
      .object({
        oldCar: z.object({
          vin: z.string(),
          vehicleType: z.string(),
          fuelType: z.string(),
          emissionStandard: z.string(),
          registrationDate: LocalDate,
          ownedSince: LocalDate,
          certificateNo: z.string().optional(),
          usedCarTransactionId: z.string().optional(),
        }),
        newCar: z.object({
          vin: z.string(),
          vehicleType: z.string(),
          fuelType: z.string(),
          displacementMl: z.int().optional(),
          priceFen: Fen,
          invoiceNo: z.string(),
          purchaseDate: LocalDate,
          registrationDate: LocalDate,
          registrationCertificateNo: z.string(),
          dealer: z.object({ name: z.string(), districtCode: z.string() }),
        }),
      })
      .optional(),
    sale: z
      .object({
        retailerId: Id,
        category: z.string(),
        categoryName: Label,
        gtin: z.string(),
        model: z.string(),
        energyGrade: z.int().optional(),
        serialNo: z.string(),
        priceFen: Fen,
        subsidyFen: Fen,
        buyerPaysFen: Fen,
        invoiceNo: z.string(),
        soldOn: LocalDate,
        requiresOldItemIntake: z.boolean(),
        buyer: z.object({
          nameMasked: z.string().optional(),
          phoneMasked: z.string(),
          addressMasked: z.string(),
        }),
        reimbursementId: Id.optional(),
      })
      .optional(),
    evidence: z.object({
      refs: z.array(z.object({ kind: z.enum(SUBSIDY_EVIDENCE_KINDS), eventId: z.string(), ref: z.string() })),
      waitingFor: z.array(z.string()).describe('Evidence keys not arrived yet'),
      matched: z.boolean().optional(),
    }),
    flags: z
      .array(z.object({ code: z.enum(SUBSIDY_FLAG_CODES), note: z.string(), at: Instant }))
      .describe('Signals for reviewers (shown to officials only)'),
    overdue: z.array(z.enum(['overdue-accept', 'overdue-review', 'overdue-payment'])),
    deadlines: z.object({
      acceptBy: LocalDate.optional(),
      reviewBy: LocalDate.optional(),
      payBy: LocalDate.optional(),
    }),
    resubmissions: z.int(),
    resubmissionsLeft: z.int(),
    lastRejection: z
      .object({ reasons: z.array(z.object({ code: z.string(), note: z.string().optional() })), at: Instant })
      .optional(),
    submittedAt: Instant,
    acceptedAt: Instant.optional(),
    approvedAt: Instant.optional(),
    paidAt: Instant.optional(),
    reversedAt: Instant.optional(),
    payment: z.object({ paymentId: Id, batchId: Id }).optional(),
    history: z.array(
      z.object({
        at: Instant,
        action: z.string(),
        by: z.object({ role: z.string(), id: z.string().optional() }),
        note: z.string().optional(),
        eventId: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'SubsidyClaim' });
export type ClaimViewBody = z.infer<typeof ClaimView>;

export const ClaimList = z.object({ items: z.array(ClaimView) });

export const QueueView = z.object({
  items: z.array(ClaimView),
  total: z.int().describe('Claims at this stage'),
  overdue: z.int().describe('Of which past their deadline'),
});

export const ReimbursementView = z
  .object({
    reimbursementId: Id,
    retailerId: Id,
    programmeCode: z.string(),
    programmeYear: z.int(),
    claims: z.array(z.object({ claimId: Id, subsidyFen: Fen })),
    refused: z.array(z.object({ claimId: z.string(), code: z.string() })),
    totalFen: Fen,
    claimedAt: Instant,
  })
  .meta({ id: 'Reimbursement' });

export const PaymentBatchView = z
  .object({
    batchId: Id,
    programmeCode: z.string(),
    programmeYear: z.int(),
    paid: z.array(z.object({ claimId: Id, paymentId: Id, amountFen: Fen })),
    skipped: z.array(z.object({ claimId: z.string(), code: z.string() })),
    totalFen: Fen,
    releasedBy: z.string(),
    releasedAt: Instant,
  })
  .meta({ id: 'PaymentBatch' });

export const RetailerView = z
  .object({
    retailerId: Id,
    name: z.string(),
    districtCode: z.string(),
    programmeCodes: z.array(z.string()),
    active: z.boolean(),
    updatedAt: Instant,
  })
  .meta({ id: 'Retailer' });

const Totals = { committedFen: z.int(), paidFen: Fen, reversedFen: Fen };

export const FundRow = z
  .object({
    programmeCode: z.string(),
    programmeName: Label,
    kind: TradeInKind,
    year: z.int(),
    validFrom: LocalDate,
    validTo: LocalDate,
    budgetFen: Fen,
    budgetAssumed: z.boolean(),
    ...Totals,
    remainingFen: z.int(),
  })
  .meta({ id: 'FundRow' });

export const MonthlyView = z
  .object({
    programmeCode: z.string(),
    programmeName: Label,
    year: z.int(),
    budgetFen: Fen,
    months: z.array(z.object({ month: Month, ...Totals })),
  })
  .meta({ id: 'MonthlySpending' });

export const PaymentChainView = z
  .object({
    payment: z.object({
      paymentId: Id,
      claimId: Id,
      batchId: Id,
      amountFen: Fen,
      payee: z.union([
        z.object({ kind: z.literal('applicant') }),
        z.object({ kind: z.literal('retailer'), retailerId: Id }),
      ]),
      status: z.enum(['initiated', 'completed']),
      releasedBy: z.string(),
      releasedAt: Instant,
      completedAt: Instant.optional(),
    }),
    claim: ClaimView,
    evidence: z.object({
      refs: z.array(z.object({ kind: z.string(), eventId: z.string(), ref: z.string() })),
      records: z.array(z.object({ key: z.string(), data: z.record(z.string(), z.unknown()) })),
    }),
    decisions: ClaimView.shape.history,
    budgetEntries: z.array(
      z.object({
        entryId: z.string(),
        kind: z.string(),
        amountFen: Fen,
        at: Instant,
        by: z.string().optional(),
      }),
    ),
    batch: z.object({ batchId: Id, releasedBy: z.string(), releasedAt: Instant }).nullable(),
  })
  .meta({ id: 'PaymentChain' });

export const ProgrammesView = z
  .object({ items: z.array(z.record(z.string(), z.unknown())) })
  .describe(
    'The programmes of the city profile, as data (see the city-profile JSON Schema, subsidies.tradeIn)',
  );

export const CsvText = z.string().describe('CSV, UTF-8 with BOM, Chinese and English headers');
