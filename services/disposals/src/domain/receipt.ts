import { DomainError, type DomainFieldError, type ReceiptDifference } from '@recycling/contracts';

// The station receives a batch asset by asset, reading each asset's card label, category and serial,
// and weighing it. What it found is compared with the register: an asset registered but not found is
// missing, an item found but not registered (or without a card label) is extra, and an asset found
// under its card with another serial or category is received with that difference. The institution
// must account for every difference before anything leaves the station.

export interface ExpectedAsset {
  assetCardNo: string;
  category: string;
  serialNo?: string;
  /** Handed over physically (a write-off is not). */
  physical: boolean;
}

export interface FoundItem {
  assetCardNo?: string;
  category: string;
  serialNo?: string;
  weightGrams: number;
}

export interface ReceivedAsset {
  assetCardNo: string;
  weightGrams: number;
  serialFound?: string;
  categoryFound: string;
}

export interface ReceiptOutcome {
  received: ReceivedAsset[];
  missing: string[];
  extras: FoundItem[];
  differences: ReceiptDifference[];
}

/** Compares what the station found with the register; refuses an item listed twice (400). */
export function compareReceipt(
  expected: readonly ExpectedAsset[],
  items: readonly FoundItem[],
): ReceiptOutcome {
  const seen = new Set<string>();
  const repeated: DomainFieldError[] = [];
  items.forEach((item, i) => {
    if (!item.assetCardNo) return;
    if (seen.has(item.assetCardNo)) {
      repeated.push({
        field: `items.${i}.assetCardNo`,
        message: `${item.assetCardNo} listed twice`,
        code: 'duplicate-item',
      });
    }
    seen.add(item.assetCardNo);
  });
  if (repeated.length > 0) {
    throw new DomainError(
      'invalid',
      'duplicate-item',
      '同一资产卡片号只能登记一次 / An asset card may be listed once.',
      {
        fields: repeated,
      },
    );
  }

  const physical = new Map(expected.filter((a) => a.physical).map((a) => [a.assetCardNo, a]));
  const received: ReceivedAsset[] = [];
  const extras: FoundItem[] = [];
  const differences: ReceiptDifference[] = [];
  for (const item of items) {
    const asset = item.assetCardNo ? physical.get(item.assetCardNo) : undefined;
    if (!asset) {
      extras.push(item);
      differences.push({
        kind: 'extra',
        ...(item.assetCardNo ? { assetCardNo: item.assetCardNo } : {}),
        found: item.serialNo ? `${item.category} ${item.serialNo}` : item.category,
      });
      continue;
    }
    received.push({
      assetCardNo: asset.assetCardNo,
      weightGrams: item.weightGrams,
      ...(item.serialNo ? { serialFound: item.serialNo } : {}),
      categoryFound: item.category,
    });
    if (item.category !== asset.category) {
      differences.push({
        kind: 'category-mismatch',
        assetCardNo: asset.assetCardNo,
        expected: asset.category,
        found: item.category,
      });
    }
    if (asset.serialNo && item.serialNo && item.serialNo !== asset.serialNo) {
      differences.push({
        kind: 'serial-mismatch',
        assetCardNo: asset.assetCardNo,
        expected: asset.serialNo,
        found: item.serialNo,
      });
    }
  }
  const found = new Set(received.map((r) => r.assetCardNo));
  const missing = [...physical.values()].filter((a) => !found.has(a.assetCardNo)).map((a) => a.assetCardNo);
  for (const assetCardNo of missing) {
    differences.push({ kind: 'missing', assetCardNo, expected: physical.get(assetCardNo)!.category });
  }
  return { received, missing, extras, differences };
}
