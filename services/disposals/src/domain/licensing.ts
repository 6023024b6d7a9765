import type { DisposalMode, LicensedReceiver } from '@recycling/contracts';

// A disposed asset goes only to a receiver licensed for it (domain.md section 10): a licence valid on
// the day, for the asset's disposal mode and category, and, for a classified (涉密) asset, a licence
// for classified carriers. The receivers and their licences are data of the city profile.

export interface AssetForReceiver {
  category: string;
  mode: DisposalMode;
  classified: boolean;
}

export const RECEIVER_REFUSAL_CODES = [
  'licence-expired',
  'mode-not-licensed',
  'category-not-licensed',
  'classified-not-licensed',
] as const;
export type ReceiverRefusal = (typeof RECEIVER_REFUSAL_CODES)[number];

export const receiverRefusalText: Record<ReceiverRefusal, string> = {
  'licence-expired': '接收单位资质已过期 / the receiver’s licence has expired',
  'mode-not-licensed': '接收单位无此处置方式的资质 / the receiver is not licensed for this disposal mode',
  'category-not-licensed': '接收单位无此类资产的资质 / the receiver is not licensed for this asset category',
  'classified-not-licensed':
    '涉密资产须交具备涉密载体销毁资质的单位 / a classified asset needs a receiver licensed for classified carriers',
};

/** Why the receiver may not take the asset on `today`, or undefined when it may. */
export function receiverRefusal(
  receiver: LicensedReceiver,
  asset: AssetForReceiver,
  today: string,
): ReceiverRefusal | undefined {
  if (receiver.licence.validUntil < today) return 'licence-expired';
  if (!receiver.modes.includes(asset.mode)) return 'mode-not-licensed';
  if (!receiver.assetCategories.includes(asset.category)) return 'category-not-licensed';
  if (asset.classified && !receiver.classified) return 'classified-not-licensed';
  return undefined;
}

/** The receivers that may take the asset on `today`. */
export const licensedReceivers = (
  receivers: readonly LicensedReceiver[],
  asset: AssetForReceiver,
  today: string,
): LicensedReceiver[] => receivers.filter((r) => receiverRefusal(r, asset, today) === undefined);
