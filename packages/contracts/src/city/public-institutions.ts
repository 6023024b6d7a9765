import { z } from 'zod';
import { Label } from '../labels';
import { ApplianceCategory } from '../reference/appliance-catalogue';
import { DisposalMode, ReceiverLicenceKind } from '../reference/state-asset-disposal';
import { Id, LocalDate, TaxpayerId } from '../scalars';
import { checkUnique } from '../validation';

// Public institutions' office equipment (公共机构办公设备回收, plan section 5; domain.md section 10) as
// data of the city profile: the asset categories an institution may dispose of through the network,
// each with its minimum service life, and the receivers licensed to take disposed assets. A changed
// service life, a new receiver or a lapsed licence is an edit of this data, never code.

/** Codes of data (asset categories, receivers, product lines): lower-case, stable, part of events. */
export const ReferenceCode = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,47}$/, 'lower-case letters, digits and -, 2-48 characters')
  .describe('A stable code, e.g. desktop-computer');

const Provenance = {
  assumed: z.boolean().describe('true when the values are placeholders, not official figures'),
  source: z.string().min(1).describe('Where the values come from'),
};

export const MinimumServiceLife = z
  .strictObject({
    years: z.int().min(1).max(50).describe('Years from acquisition before the asset may be scrapped'),
    orPages: z
      .int()
      .min(1)
      .optional()
      .describe('Or this many pages printed or copied, whichever comes first (copiers)'),
  })
  .describe('最低使用年限: scrapping earlier needs its own approval');
export type MinimumServiceLife = z.infer<typeof MinimumServiceLife>;

export const PublicAssetCategory = z.strictObject({
  code: ReferenceCode,
  name: Label,
  applianceCategory: ApplianceCategory.optional().describe(
    'The appliance category the asset is counted under (microcomputer, copier…); absent: office equipment or furniture',
  ),
  minimumServiceLife: MinimumServiceLife,
  dataBearing: z
    .boolean()
    .describe('Holds storage media (disks, copier drives): a classified one must be wiped or destroyed'),
});
export type PublicAssetCategory = z.infer<typeof PublicAssetCategory>;

export const LicensedReceiver = z.strictObject({
  code: ReferenceCode,
  name: Label,
  creditCode: TaxpayerId.describe('Unified social credit code of the receiver'),
  licence: z.strictObject({
    kind: ReceiverLicenceKind,
    number: z.string().min(1).max(64),
    validUntil: LocalDate.describe('Last day the licence is valid; later handovers are refused'),
  }),
  modes: z.array(DisposalMode).min(1).describe('Disposal modes the receiver may take assets in'),
  assetCategories: z.array(ReferenceCode).min(1).describe('Codes of assetCategories it may take'),
  classified: z.boolean().describe('Licensed to take classified (涉密) assets'),
});
export type LicensedReceiver = z.infer<typeof LicensedReceiver>;

export const PublicInstitutionDisposals = z
  .strictObject({
    ...Provenance,
    assetCategories: z.array(PublicAssetCategory).min(1),
    receivers: z.array(LicensedReceiver).min(1),
    treasury: z
      .strictObject({
        name: Label.describe('Where proceeds are paid, e.g. 第一师阿拉尔市财政局（国库）'),
        accountRef: Id.optional().describe('Treasury account or non-tax revenue code, when published'),
      })
      .describe('Proceeds of disposals go here, never to a person'),
  })
  .superRefine((p, ctx) => {
    checkUnique(ctx, ['assetCategories'], p.assetCategories, (c) => c.code, 'code');
    checkUnique(ctx, ['receivers'], p.receivers, (r) => r.code, 'code');
    const known = new Set(p.assetCategories.map((c) => c.code));
    p.receivers.forEach((r, i) =>
      r.assetCategories.forEach((code, j) => {
        if (!known.has(code)) {
          ctx.addIssue({
            code: 'custom',
            path: ['receivers', i, 'assetCategories', j],
            message: `not an asset category: ${code}`,
          });
        }
      }),
    );
  })
  .describe(
    'Public institutions’ asset disposals (公共机构办公设备回收): asset categories with minimum service lives, licensed receivers, the treasury',
  );
export type PublicInstitutionDisposals = z.infer<typeof PublicInstitutionDisposals>;
