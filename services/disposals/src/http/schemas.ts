import {
  ApplianceCategory,
  AssetCardNo,
  DisposalMode,
  Fen,
  InputFen,
  Id,
  Label,
  LocalDate,
  MinimumServiceLife,
  Note,
  PositiveGrams,
  ReceiptDifference,
  ReceiverLicenceKind,
  SanitisationKind,
  TaxpayerId,
  freeText,
  type CityProfile,
} from '@recycling/contracts';
import { z } from 'zod';

// Request and response bodies. The routes validate with these schemas and the OpenAPI document is
// generated from the same objects, so the two cannot drift. Category codes come from the city profile.

export const CreditCodeParams = z.object({
  creditCode: TaxpayerId.describe('Unified social credit code of the institution'),
});
export const BatchParams = z.object({ batchId: Id.describe('Disposal batch id, e.g. dp-20250402-a1b2c3d4') });
export const StationParams = z.object({ stationId: Id.describe('The receiving station') });
export const AssetParams = CreditCodeParams.extend({ assetCardNo: AssetCardNo });

const Approval = z.object({
  documentNo: freeText({ max: 80 }).describe('Approval document number (批复文号), e.g. 阿财资〔2025〕12号'),
  authority: freeText({ max: 200 }).describe('Who approved: the finance bureau, the supervising department'),
});
const Serial = freeText({ max: 64 }).regex(
  /^[A-Za-z0-9][A-Za-z0-9._/-]*$/,
  'letters, digits and . _ / - only',
);

export function httpSchemas(profile: CityProfile) {
  const districts = profile.districts.map((d) => d.code) as [string, ...string[]];
  const categoryCodes = (profile.publicInstitutions?.assetCategories ?? []).map((c) => c.code);
  const Category =
    categoryCodes.length > 0
      ? z.enum(categoryCodes as [string, ...string[]]).describe('Asset category of the city profile')
      : freeText({ max: 48 });

  const InstitutionBody = z.object({
    name: freeText({ max: 200 }),
    districtCode: z.enum(districts),
    supervisor: freeText({ max: 200 }).describe('The supervising department (主管部门)'),
    active: z.boolean(),
  });

  const AssetBody = z.object({
    assetCardNo: AssetCardNo,
    category: Category,
    model: freeText({ max: 100 }).optional(),
    serialNo: Serial.optional(),
    acquisitionDate: LocalDate,
    originalValueFen: Fen.describe('Original book value (原值) in fen'),
    mode: DisposalMode,
    classified: z.boolean().describe('涉密: needs a licensed receiver and a wipe or destruction certificate'),
    pageCount: z
      .int()
      .min(0)
      .max(100_000_000)
      .optional()
      .describe('Copier or printer page counter, where read'),
    earlyScrapApproval: Approval.optional().describe(
      'Needed to scrap an asset before its minimum service life (400 names this field otherwise)',
    ),
  });

  const RegisterBatchBody = z.object({
    approval: Approval.describe('The disposal approval covering the batch'),
    handover: z.object({
      method: z
        .enum(['collection', 'delivery'])
        .describe('collection = the station collects; delivery = the institution brings it'),
      stationId: Id.describe('The receiving station'),
      date: LocalDate.describe('Collection or delivery day (city date)'),
      address: freeText({ max: 200 })
        .optional()
        .describe('Where the crew collects: the institution’s address'),
    }),
    assets: z.array(AssetBody).min(1).max(500),
  });

  const ReceiptBody = z.object({
    items: z
      .array(
        z.object({
          assetCardNo: AssetCardNo.optional().describe(
            'As read on the asset’s label; absent when it has none',
          ),
          category: Category,
          serialNo: Serial.optional(),
          weightGrams: PositiveGrams,
        }),
      )
      .max(1000)
      .describe('Every item found in the batch, one per asset'),
  });

  return { InstitutionBody, RegisterBatchBody, ReceiptBody };
}

export const CancelBody = z.object({ reason: Note });
export const AcknowledgeBody = z.object({ note: Note.describe('How each difference is accounted for') });
export const HandoverBody = z.object({
  receiverCode: freeText({ max: 48 }).describe('Licensed receiver code of the city profile'),
  assetCardNos: z.array(AssetCardNo).min(1).max(500),
});
export const CertificateBody = z.object({
  kind: SanitisationKind,
  certificateNo: freeText({ max: 64 }),
  issuedOn: LocalDate,
  assetCardNos: z.array(AssetCardNo).min(1).max(500),
});
export const ProceedsBody = z.object({
  amountFen: InputFen.min(1),
  voucherNo: freeText({ max: 64 }).describe('Non-tax revenue payment voucher (非税收入缴款书) number'),
  paidOn: LocalDate,
});

export const InstitutionView = z
  .object({
    creditCode: TaxpayerId,
    name: z.string(),
    districtCode: z.string(),
    supervisor: z.string(),
    active: z.boolean(),
    updatedAt: z.string(),
  })
  .meta({ id: 'PublicInstitution' });

const AssetFate = z.enum(['registered', 'received', 'missing', 'handed-over', 'written-off']);
const ApprovalView = z.object({ documentNo: z.string(), authority: z.string() });

const AssetView = z.object({
  assetCardNo: z.string(),
  category: z.string(),
  categoryName: Label,
  applianceCategory: ApplianceCategory.optional(),
  model: z.string().optional(),
  serialNo: z.string().optional(),
  acquisitionDate: LocalDate,
  originalValueFen: z.int(),
  mode: DisposalMode,
  modeName: Label,
  classified: z.boolean(),
  pageCount: z.int().optional(),
  earlyScrapApproval: ApprovalView.optional(),
  fate: AssetFate,
  received: z
    .object({ weightGrams: z.int(), serialFound: z.string().optional(), categoryFound: z.string() })
    .optional(),
  handover: z
    .object({ handoverId: z.string(), receiverCode: z.string(), receiverName: Label, at: z.string() })
    .optional(),
  certificate: z
    .object({
      kind: SanitisationKind,
      certificateNo: z.string(),
      issuedOn: LocalDate,
      receiverCode: z.string(),
    })
    .optional(),
});

export const BatchView = z
  .object({
    batchId: Id,
    institution: z.object({ creditCode: TaxpayerId, name: z.string() }),
    districtCode: z.string(),
    approval: ApprovalView,
    handover: z.object({
      method: z.enum(['collection', 'delivery']),
      stationId: Id,
      date: LocalDate,
      address: z.string().optional(),
    }),
    status: z.enum(['registered', 'collected', 'received', 'closed', 'cancelled']),
    assets: z.array(AssetView),
    receipt: z
      .object({
        at: z.string(),
        differences: z.array(ReceiptDifference),
        extras: z.array(
          z.object({
            assetCardNo: z.string().optional(),
            category: z.string(),
            serialNo: z.string().optional(),
            weightGrams: z.int(),
          }),
        ),
        acknowledged: z.object({ note: z.string(), at: z.string() }).optional(),
      })
      .optional(),
    handovers: z.array(
      z.object({
        handoverId: z.string(),
        receiverCode: z.string(),
        receiverName: Label,
        assetCardNos: z.array(z.string()),
        totalWeightGrams: z.int(),
        at: z.string(),
      }),
    ),
    proceeds: z.object({
      payee: z.literal('treasury'),
      payeeName: Label,
      totalFen: z.int(),
      entries: z.array(
        z.object({ amountFen: z.int(), voucherNo: z.string(), paidOn: LocalDate, at: z.string() }),
      ),
    }),
    history: z.array(
      z.object({
        event: z.string(),
        at: z.string(),
        by: z.object({ role: z.string(), id: z.string() }),
        note: z.string().optional(),
      }),
    ),
    closeBlockers: z
      .array(
        z.object({
          code: z.enum([
            'not-received',
            'differences-not-acknowledged',
            'assets-not-handed-over',
            'classified-certificate-missing',
            'proceeds-missing',
          ]),
          assetCardNos: z.array(z.string()).optional(),
        }),
      )
      .describe(
        'What still stands between the batch and its close (empty once it may close, or when closed)',
      ),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'DisposalBatch' });

export const AssetFateView = z
  .object({ batchId: Id, batchStatus: z.string(), stationId: Id, asset: AssetView })
  .meta({ id: 'DisposedAsset' });

export const DisposalRulesView = z
  .object({
    assumed: z.boolean(),
    source: z.string(),
    modes: z.array(
      z.object({
        code: DisposalMode,
        name: Label,
        physicalHandover: z.boolean(),
        proceedsToTreasury: z.boolean(),
        minimumLifeApplies: z.boolean(),
      }),
    ),
    assetCategories: z.array(
      z.object({
        code: z.string(),
        name: Label,
        applianceCategory: ApplianceCategory.optional(),
        minimumServiceLife: MinimumServiceLife,
        dataBearing: z.boolean(),
      }),
    ),
    receivers: z.array(
      z.object({
        code: z.string(),
        name: Label,
        creditCode: z.string(),
        licence: z.object({ kind: ReceiverLicenceKind, number: z.string(), validUntil: LocalDate }),
        modes: z.array(DisposalMode),
        assetCategories: z.array(z.string()),
        classified: z.boolean(),
      }),
    ),
    treasury: z.object({ name: Label, accountRef: z.string().optional() }),
  })
  .meta({ id: 'DisposalRules' });
