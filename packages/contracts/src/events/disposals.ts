import { z } from 'zod';
import { ReferenceCode } from '../city/public-institutions';
import { ApplianceCategory } from '../reference/appliance-catalogue';
import { DisposalMode, ReceiverLicenceKind, SanitisationKind } from '../reference/state-asset-disposal';
import {
  DistrictCode,
  Fen,
  freeText,
  Grams,
  Id,
  LocalDate,
  Note,
  PositiveGrams,
  TaxpayerId,
} from '../scalars';
import { checkSum, checkUnique } from '../validation';
import { OccurredAt } from './common';

// Topic recycling.disposals.v1, written by the disposals service: a public institution's disposal
// batch of state-owned assets (公共机构办公设备回收, domain.md section 10) from its registration to
// its close. Keyed by batch id, so everything that happens to one batch is read in order.
//
// An institution is an organisation: no personal data, no seller key, and never a purchase or a
// reverse invoice. Proceeds are paid to the treasury (`payee: treasury`), which is the only payee
// these events can name.

export const DisposalEventTypes = {
  batchRegistered: 'recycling.disposal.batch-registered.v1',
  batchCancelled: 'recycling.disposal.batch-cancelled.v1',
  batchCollected: 'recycling.disposal.batch-collected.v1',
  batchReceived: 'recycling.disposal.batch-received.v1',
  differencesAcknowledged: 'recycling.disposal.differences-acknowledged.v1',
  assetsHandedOver: 'recycling.disposal.assets-handed-over.v1',
  sanitisationCertified: 'recycling.disposal.sanitisation-certified.v1',
  proceedsPaid: 'recycling.disposal.proceeds-paid.v1',
  batchClosed: 'recycling.disposal.batch-closed.v1',
} as const;

/** An asset card number (资产卡片编号) of the institution's asset register. */
export const AssetCardNo = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'letters, digits and . _ / - only')
  .describe('Asset card number (资产卡片编号) in the institution’s register');

/** A document that approved something: its number and who issued it. */
export const ApprovalRef = z.object({
  documentNo: freeText({ max: 80 }).describe('Approval document number (批复文号), e.g. 阿财资〔2025〕12号'),
  authority: freeText({ max: 200 }).describe('Who approved: the finance bureau, the supervising department'),
});
export type ApprovalRef = z.infer<typeof ApprovalRef>;

export const InstitutionRef = z.object({
  creditCode: TaxpayerId.describe('Unified social credit code of the institution'),
  name: z.string().min(1).max(200),
});

export const RegisteredAsset = z.object({
  assetCardNo: AssetCardNo,
  category: ReferenceCode.describe('Asset category code of the city profile'),
  applianceCategory: ApplianceCategory.optional().describe(
    'Counted as this appliance category; absent: office equipment or furniture',
  ),
  model: z.string().min(1).max(100).optional(),
  serialNo: z.string().min(1).max(64).optional(),
  acquisitionDate: LocalDate,
  originalValueFen: Fen.describe('Original book value (原值)'),
  mode: DisposalMode,
  classified: z.boolean().describe('涉密: needs a licensed receiver and a wipe or destruction certificate'),
  earlyScrapApproval: ApprovalRef.optional().describe(
    'Set when the asset is scrapped before its minimum service life, which this document approved',
  ),
});
export type RegisteredAsset = z.infer<typeof RegisteredAsset>;

export const HANDOVER_METHOD_CODES = ['collection', 'delivery'] as const;
export const HandoverMethod = z
  .enum(HANDOVER_METHOD_CODES)
  .describe('collection = the station collects at the institution; delivery = the institution brings it');

export const DisposalBatchRegisteredData = z
  .object({
    batchId: Id,
    institution: InstitutionRef,
    districtCode: DistrictCode.describe('The institution’s district'),
    approval: ApprovalRef.describe('The disposal approval covering the batch'),
    handover: z.object({ method: HandoverMethod, stationId: Id, date: LocalDate }),
    assets: z.array(RegisteredAsset).min(1),
    totalOriginalValueFen: Fen.describe('Sum of originalValueFen'),
    occurredAt: OccurredAt,
  })
  .superRefine((d, ctx) => {
    checkUnique(ctx, ['assets'], d.assets, (a) => a.assetCardNo, 'assetCardNo');
    checkSum(
      ctx,
      ['totalOriginalValueFen'],
      d.totalOriginalValueFen,
      d.assets.map((a) => a.originalValueFen),
    );
  })
  .describe('A public institution registered a disposal batch of state-owned assets');
export type DisposalBatchRegisteredData = z.infer<typeof DisposalBatchRegisteredData>;

const batchFields = {
  batchId: Id,
  institutionCreditCode: TaxpayerId,
  occurredAt: OccurredAt,
};

export const DisposalBatchCancelledData = z
  .object({ ...batchFields, reason: Note })
  .describe('The institution withdrew the batch before it was received; its assets may be registered again');
export type DisposalBatchCancelledData = z.infer<typeof DisposalBatchCancelledData>;

export const DisposalBatchCollectedData = z
  .object({ ...batchFields, stationId: Id })
  .describe('The station’s crew collected the batch at the institution');
export type DisposalBatchCollectedData = z.infer<typeof DisposalBatchCollectedData>;

export const DIFFERENCE_KIND_CODES = ['missing', 'extra', 'serial-mismatch', 'category-mismatch'] as const;
export const DifferenceKind = z
  .enum(DIFFERENCE_KIND_CODES)
  .describe(
    'missing = registered but not received; extra = received but not registered; serial-mismatch, category-mismatch = received under the card with another serial or category',
  );
export type DifferenceKind = z.infer<typeof DifferenceKind>;

export const ReceiptDifference = z.object({
  kind: DifferenceKind,
  assetCardNo: AssetCardNo.optional().describe('Absent for an extra item without a card label'),
  expected: z.string().min(1).max(100).optional().describe('What the register says'),
  found: z.string().min(1).max(100).optional().describe('What the station found'),
});
export type ReceiptDifference = z.infer<typeof ReceiptDifference>;

export const ReceivedAsset = z.object({
  assetCardNo: AssetCardNo,
  category: ReferenceCode,
  applianceCategory: ApplianceCategory.optional(),
  mode: DisposalMode,
  weightGrams: PositiveGrams,
});

export const DisposalBatchReceivedData = z
  .object({
    ...batchFields,
    stationId: Id,
    districtCode: DistrictCode.describe('The institution’s district'),
    received: z.array(ReceivedAsset).describe('Registered assets the station received, with weights'),
    totalWeightGrams: Grams.describe('Sum of weightGrams over the received assets'),
    differences: z.array(ReceiptDifference),
  })
  .superRefine((d, ctx) => {
    checkUnique(ctx, ['received'], d.received, (a) => a.assetCardNo, 'assetCardNo');
    checkSum(
      ctx,
      ['totalWeightGrams'],
      d.totalWeightGrams,
      d.received.map((a) => a.weightGrams),
    );
  })
  .describe('A station received the batch asset by asset; differences from the register are listed');
export type DisposalBatchReceivedData = z.infer<typeof DisposalBatchReceivedData>;

export const DisposalDifferencesAcknowledgedData = z
  .object({ ...batchFields, differences: z.int().min(1), note: Note })
  .describe('The institution accounted for the differences found at receipt');
export type DisposalDifferencesAcknowledgedData = z.infer<typeof DisposalDifferencesAcknowledgedData>;

export const ReceiverRef = z.object({
  code: ReferenceCode.describe('Licensed receiver code of the city profile'),
  name: z.string().min(1).max(200),
  creditCode: TaxpayerId,
  licenceKind: ReceiverLicenceKind,
  licenceNo: z.string().min(1).max(64),
});

export const HandedOverAsset = z.object({
  assetCardNo: AssetCardNo,
  category: ReferenceCode,
  applianceCategory: ApplianceCategory.optional(),
  mode: DisposalMode,
  classified: z.boolean(),
  weightGrams: PositiveGrams,
});

export const DisposalAssetsHandedOverData = z
  .object({
    ...batchFields,
    handoverId: Id,
    stationId: Id,
    receiver: ReceiverRef,
    assets: z.array(HandedOverAsset).min(1),
    totalWeightGrams: PositiveGrams.describe('Sum of weightGrams'),
  })
  .superRefine((d, ctx) => {
    checkUnique(ctx, ['assets'], d.assets, (a) => a.assetCardNo, 'assetCardNo');
    checkSum(
      ctx,
      ['totalWeightGrams'],
      d.totalWeightGrams,
      d.assets.map((a) => a.weightGrams),
    );
  })
  .describe('The station handed assets to a receiver licensed for their category, mode and classification');
export type DisposalAssetsHandedOverData = z.infer<typeof DisposalAssetsHandedOverData>;

export const DisposalSanitisationCertifiedData = z
  .object({
    ...batchFields,
    receiverCode: ReferenceCode.describe('The receiver that wiped or destroyed them'),
    kind: SanitisationKind,
    certificateNo: z.string().min(1).max(64),
    issuedOn: LocalDate,
    assetCardNos: z.array(AssetCardNo).min(1),
  })
  .describe('A wipe or destruction certificate covers these assets');
export type DisposalSanitisationCertifiedData = z.infer<typeof DisposalSanitisationCertifiedData>;

export const DisposalProceedsPaidData = z
  .object({
    ...batchFields,
    amountFen: Fen,
    payee: z.literal('treasury').describe('Proceeds of state assets go to the treasury, never to a person'),
    voucherNo: z.string().min(1).max(64).describe('Non-tax revenue payment voucher (非税收入缴款书) number'),
    paidOn: LocalDate,
  })
  .describe('Proceeds of the batch were paid to the treasury');
export type DisposalProceedsPaidData = z.infer<typeof DisposalProceedsPaidData>;

export const ASSET_FATE_CODES = ['handed-over', 'missing', 'written-off'] as const;
export const AssetFate = z
  .enum(ASSET_FATE_CODES)
  .describe(
    'handed-over = to a licensed receiver; missing = not received, accounted for; written-off = 核销',
  );

export const DisposalBatchClosedData = z
  .object({
    ...batchFields,
    fates: z
      .array(
        z.object({
          assetCardNo: AssetCardNo,
          fate: AssetFate,
          receiverCode: ReferenceCode.optional(),
          certificateNo: z.string().min(1).max(64).optional(),
        }),
      )
      .min(1),
    proceedsFen: Fen.describe('Total paid to the treasury'),
  })
  .superRefine((d, ctx) => checkUnique(ctx, ['fates'], d.fates, (f) => f.assetCardNo, 'assetCardNo'))
  .describe('Every asset of the batch reached its fate; the batch is closed');
export type DisposalBatchClosedData = z.infer<typeof DisposalBatchClosedData>;

export const disposalEventSchemas = {
  [DisposalEventTypes.batchRegistered]: DisposalBatchRegisteredData,
  [DisposalEventTypes.batchCancelled]: DisposalBatchCancelledData,
  [DisposalEventTypes.batchCollected]: DisposalBatchCollectedData,
  [DisposalEventTypes.batchReceived]: DisposalBatchReceivedData,
  [DisposalEventTypes.differencesAcknowledged]: DisposalDifferencesAcknowledgedData,
  [DisposalEventTypes.assetsHandedOver]: DisposalAssetsHandedOverData,
  [DisposalEventTypes.sanitisationCertified]: DisposalSanitisationCertifiedData,
  [DisposalEventTypes.proceedsPaid]: DisposalProceedsPaidData,
  [DisposalEventTypes.batchClosed]: DisposalBatchClosedData,
} as const;
