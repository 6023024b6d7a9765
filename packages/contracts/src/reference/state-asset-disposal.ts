import { z } from 'zod';
import type { Label } from '../labels';

// How a public institution's state-owned assets may leave it (财资〔2021〕127号 and the state-asset
// rules it implements; domain.md section 10). The modes are the law's; which receiver may take an
// asset in which mode, and how long an asset must have served before it may be scrapped, are data of
// the city profile (`publicInstitutions`).

export const DISPOSAL_MODE_CODES = [
  'reallocation',
  'free-transfer',
  'donation',
  'sale',
  'exchange',
  'scrapping',
  'write-off',
] as const;

export const DisposalMode = z
  .enum(DISPOSAL_MODE_CODES)
  .describe(
    'reallocation = 调剂, free-transfer = 无偿划转, donation = 捐赠, sale = 出售, exchange = 置换, scrapping = 报废, write-off = 核销',
  );
export type DisposalMode = z.infer<typeof DisposalMode>;

export interface DisposalModeInfo {
  readonly code: DisposalMode;
  readonly name: Label;
  /** The asset is handed over physically (to a station, then a receiver); a write-off is not. */
  readonly physicalHandover: boolean;
  /** The mode brings money in, which is paid to the treasury (非税收入上缴国库), never to a person. */
  readonly proceedsToTreasury: boolean;
  /** The minimum service life applies (an earlier scrapping needs its own approval). */
  readonly minimumLifeApplies: boolean;
}

const mode = (
  code: DisposalMode,
  zh: string,
  en: string,
  flags: Omit<DisposalModeInfo, 'code' | 'name'>,
): DisposalModeInfo => ({ code, name: { zh, en }, ...flags });

export const disposalModes: Readonly<Record<DisposalMode, DisposalModeInfo>> = {
  reallocation: mode('reallocation', '调剂', 'Reallocation', {
    physicalHandover: true,
    proceedsToTreasury: false,
    minimumLifeApplies: false,
  }),
  'free-transfer': mode('free-transfer', '无偿划转', 'Free transfer', {
    physicalHandover: true,
    proceedsToTreasury: false,
    minimumLifeApplies: false,
  }),
  donation: mode('donation', '捐赠', 'Donation', {
    physicalHandover: true,
    proceedsToTreasury: false,
    minimumLifeApplies: false,
  }),
  sale: mode('sale', '出售', 'Sale', {
    physicalHandover: true,
    proceedsToTreasury: true,
    minimumLifeApplies: false,
  }),
  exchange: mode('exchange', '置换', 'Exchange', {
    physicalHandover: true,
    proceedsToTreasury: true,
    minimumLifeApplies: false,
  }),
  scrapping: mode('scrapping', '报废', 'Scrapping', {
    physicalHandover: true,
    proceedsToTreasury: true,
    minimumLifeApplies: true,
  }),
  'write-off': mode('write-off', '核销', 'Write-off', {
    physicalHandover: false,
    proceedsToTreasury: false,
    minimumLifeApplies: false,
  }),
};

/** Licences a receiver of disposed assets may hold; which ones a city accepts is profile data. */
export const RECEIVER_LICENCE_KIND_CODES = [
  'weee-processing',
  'classified-carrier-destruction',
  'recycler-filing',
  'public-asset-warehouse',
  'charity-registration',
] as const;

export const ReceiverLicenceKind = z
  .enum(RECEIVER_LICENCE_KIND_CODES)
  .describe(
    'weee-processing = 废弃电器电子产品处理资格, classified-carrier-destruction = 涉密载体销毁资质, recycler-filing = 再生资源回收经营者备案, public-asset-warehouse = 公物仓, charity-registration = 慈善组织登记',
  );
export type ReceiverLicenceKind = z.infer<typeof ReceiverLicenceKind>;

export const receiverLicenceKinds: Readonly<Record<ReceiverLicenceKind, { readonly name: Label }>> = {
  'weee-processing': {
    name: { zh: '废弃电器电子产品处理资格证书', en: 'WEEE processing qualification' },
  },
  'classified-carrier-destruction': {
    name: { zh: '涉密载体销毁资质', en: 'Classified carrier destruction qualification' },
  },
  'recycler-filing': { name: { zh: '再生资源回收经营者备案', en: 'Renewable resource recycler filing' } },
  'public-asset-warehouse': { name: { zh: '公物仓', en: 'Public asset warehouse' } },
  'charity-registration': { name: { zh: '慈善组织登记证书', en: 'Charity registration' } },
};

/** What proves a classified (涉密) asset's data is gone: a wipe or a physical destruction. */
export const SANITISATION_KIND_CODES = ['wipe', 'destruction'] as const;
export const SanitisationKind = z
  .enum(SANITISATION_KIND_CODES)
  .describe('wipe = 数据清除证明, destruction = 销毁证明');
export type SanitisationKind = z.infer<typeof SanitisationKind>;

export const sanitisationKinds: Readonly<Record<SanitisationKind, { readonly name: Label }>> = {
  wipe: { name: { zh: '数据清除证明', en: 'Data wipe certificate' } },
  destruction: { name: { zh: '销毁证明', en: 'Destruction certificate' } },
};
