import {
  assertScope,
  DisposalEventTypes,
  disposalModes,
  DomainError,
  type DisposalBatchRegisteredData,
  type DisposalMode,
  type DomainFieldError,
  type Principal,
} from '@recycling/contracts';
import { licensedReceivers } from '../domain/licensing';
import { checkServiceLives } from '../domain/service-life';
import type { Approval, BatchAsset, BatchDoc } from '../store/models';
import { categoryOf, todayOf, type AppContext } from './context';
import { activeInstitution } from './institutions';
import { batchView, type BatchView } from './views';

export interface AssetInput {
  assetCardNo: string;
  category: string;
  model?: string;
  serialNo?: string;
  acquisitionDate: string;
  originalValueFen: number;
  mode: DisposalMode;
  classified: boolean;
  pageCount?: number;
  earlyScrapApproval?: Approval;
}

export interface RegisterBatchInput {
  approval: Approval;
  handover: { method: 'collection' | 'delivery'; stationId: string; date: string; address?: string };
  assets: AssetInput[];
}

/**
 * An institution registers a disposal batch of its state assets: every asset of a category of the
 * profile, acquired before today, past its minimum service life when scrapped (or with the approval
 * of its early scrapping), with at least one receiver licensed for it in the city, and disposed of
 * once (its card claimed by insert). Write-offs have no handover: their fate is set now.
 */
export async function registerBatch(
  ctx: AppContext,
  principal: Principal,
  creditCode: string,
  input: RegisterBatchInput,
  batchId: string,
): Promise<{ view: BatchView; created: boolean }> {
  assertScope(principal, creditCode);
  const existing = await ctx.batches.find(batchId);
  if (existing) return { view: batchView(ctx, existing), created: false }; // a retry with the same key
  const institution = await activeInstitution(ctx, creditCode);
  const today = todayOf(ctx);
  if (input.handover.date < today) {
    throw DomainError.invalid(
      'handover-date-past',
      'handover.date',
      `交接日期不能早于今天 / The handover date is in the past.`,
    );
  }

  const repeated = new Set<string>();
  const bad: DomainFieldError[] = [];
  input.assets.forEach((a, i) => {
    if (repeated.has(a.assetCardNo)) {
      bad.push({
        field: `assets.${i}.assetCardNo`,
        message: `${a.assetCardNo} listed twice`,
        code: 'duplicate-asset',
      });
    }
    repeated.add(a.assetCardNo);
  });
  if (bad.length > 0) {
    throw new DomainError(
      'invalid',
      'duplicate-asset',
      '同一资产卡片号只能登记一次 / An asset card may be listed once.',
      {
        fields: bad,
      },
    );
  }
  const lives = checkServiceLives(input.assets, ctx.rules.assetCategories, today);
  // Refused now rather than at the station: an asset no licensed receiver may take has nowhere to go.
  input.assets.forEach((a, i) => {
    if (!disposalModes[a.mode].physicalHandover) return;
    if (licensedReceivers(ctx.rules.receivers, a, today).length === 0) {
      bad.push({
        field: `assets.${i}.mode`,
        message: `no licensed receiver takes ${a.category} by ${a.mode}${a.classified ? ' (classified)' : ''}`,
        code: 'no-licensed-receiver',
      });
    }
  });
  if (bad.length > 0) {
    throw new DomainError(
      'unprocessable',
      'no-licensed-receiver',
      '本市没有具备相应资质的接收单位可接收这些资产 / No receiver in the city is licensed to take these assets so.',
      { fields: bad },
    );
  }

  const claimed = await ctx.batches.claimAssets(
    creditCode,
    input.assets.map((a) => a.assetCardNo),
    batchId,
  );
  if (!claimed.ok) {
    const cardNo = input.assets[claimed.index]!.assetCardNo;
    throw DomainError.conflict(
      'asset-already-in-disposal',
      `资产 ${cardNo} 已在处置批次 ${claimed.holder ?? ''} 中 / Asset ${cardNo} is already in disposal batch ${claimed.holder ?? ''}.`,
      {
        fields: [
          {
            field: `assets.${claimed.index}.assetCardNo`,
            message: 'already in a disposal',
            code: 'asset-already-in-disposal',
          },
        ],
        details: claimed.holder ? { batchId: claimed.holder } : {},
      },
    );
  }

  const assets: BatchAsset[] = input.assets.map((a, i) => {
    const applianceCategory = categoryOf(ctx, a.category)?.applianceCategory;
    const { earlyScrapApproval, ...rest } = a;
    return {
      ...rest,
      ...(applianceCategory ? { applianceCategory } : {}),
      // Kept only where it was needed: the asset is scrapped before its minimum life.
      ...(lives[i]!.early && earlyScrapApproval ? { earlyScrapApproval } : {}),
      fate: disposalModes[a.mode].physicalHandover ? 'registered' : 'written-off',
    };
  });
  const now = ctx.now();
  const data: DisposalBatchRegisteredData = {
    batchId,
    institution: { creditCode, name: institution.name },
    districtCode: institution.districtCode,
    approval: input.approval,
    handover: {
      method: input.handover.method,
      stationId: input.handover.stationId,
      date: input.handover.date,
    },
    assets: assets.map((a) => ({
      assetCardNo: a.assetCardNo,
      category: a.category,
      ...(a.applianceCategory ? { applianceCategory: a.applianceCategory } : {}),
      ...(a.model ? { model: a.model } : {}),
      ...(a.serialNo ? { serialNo: a.serialNo } : {}),
      acquisitionDate: a.acquisitionDate,
      originalValueFen: a.originalValueFen,
      mode: a.mode,
      classified: a.classified,
      ...(a.earlyScrapApproval ? { earlyScrapApproval: a.earlyScrapApproval } : {}),
    })),
    totalOriginalValueFen: assets.reduce((sum, a) => sum + a.originalValueFen, 0),
    occurredAt: now.toISOString(),
  };
  const fields: Omit<BatchDoc, 'outbox' | 'outboxUpdatedAt' | 'createdAt' | 'updatedAt'> = {
    _id: batchId,
    institution: { creditCode, name: institution.name },
    districtCode: institution.districtCode,
    approval: input.approval,
    handover: input.handover,
    assets,
    status: 'registered',
    handovers: [],
    proceeds: [],
    history: [{ event: 'registered', at: now, by: { role: principal.role, id: principal.sub } }],
  };
  const saved =
    (await ctx.batches.create(fields, [
      ctx.events(DisposalEventTypes.batchRegistered, data, { subject: batchId }),
    ])) ?? (await ctx.batches.get(batchId));
  await ctx.batches.addToList(`institution:${creditCode}`, batchId);
  await ctx.batches.addToList(`station:${input.handover.stationId}`, batchId);
  ctx.logger.info(
    {
      batchId,
      creditCode,
      stationId: input.handover.stationId,
      assets: assets.length,
      categories: [...new Set(assets.map((a) => a.category))],
    },
    'disposal batch registered',
  );
  return { view: batchView(ctx, saved), created: true };
}
