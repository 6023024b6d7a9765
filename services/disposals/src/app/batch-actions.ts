import {
  DisposalEventTypes,
  DomainError,
  type DisposalAssetsHandedOverData,
  type DisposalBatchCancelledData,
  type DisposalBatchClosedData,
  type DisposalBatchCollectedData,
  type DisposalBatchReceivedData,
  type DisposalDifferencesAcknowledgedData,
  type DisposalProceedsPaidData,
  type DisposalSanitisationCertifiedData,
  type DomainFieldError,
  type Principal,
  type SanitisationKind,
} from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import type { HydratedDocument } from 'mongoose';
import { assertViewer, type Viewer } from '../domain/access';
import { assertAction, assertCanClose, type BatchAction } from '../domain/batch-lifecycle';
import { receiverRefusal, receiverRefusalText } from '../domain/licensing';
import { localDateOf } from '../domain/local-dates';
import { compareReceipt, type FoundItem } from '../domain/receipt';
import { batchNotFound } from '../store/batch-repository';
import type { BatchAsset, BatchDoc } from '../store/models';
import { receiverOf, todayOf, type AppContext } from './context';
import { batchAtClose, batchView, type BatchView } from './views';

interface Changed {
  events: PendingEvent[];
  afterSave?: () => Promise<void>;
}

/**
 * Load, check who acts and whether the status allows it, decide, save with the events (under the
 * batch's lock, in one write), answer the batch as the caller sees it.
 */
async function changeBatch(
  ctx: AppContext,
  principal: Principal,
  batchId: string,
  who: readonly Viewer[],
  action: BatchAction,
  change: (doc: HydratedDocument<BatchDoc>, now: Date) => Promise<Changed> | Changed,
): Promise<BatchView> {
  const { doc } = await ctx.batches.update(batchId, async (doc) => {
    assertViewer(
      principal,
      { institutionCreditCode: doc.institution.creditCode, stationId: doc.handover.stationId },
      who,
    );
    assertAction(doc.status, action, doc.handover.method);
    const now = ctx.now();
    const { events, afterSave } = await change(doc, now);
    doc.history.push({ event: action, at: now, by: { role: principal.role, id: principal.sub } });
    return { events, afterSave };
  });
  return batchView(ctx, doc);
}

const batchFields = (doc: BatchDoc, now: Date) => ({
  batchId: doc._id,
  institutionCreditCode: doc.institution.creditCode,
  occurredAt: now.toISOString(),
});

/** The institution withdraws the batch before the station received it; its cards are freed. */
export function cancelBatch(
  ctx: AppContext,
  principal: Principal,
  batchId: string,
  input: { reason: string },
) {
  return changeBatch(ctx, principal, batchId, ['institution'], 'cancel', (doc, now) => {
    doc.status = 'cancelled';
    const data: DisposalBatchCancelledData = { ...batchFields(doc, now), reason: input.reason };
    const cards = doc.assets.map((a) => a.assetCardNo);
    return {
      events: [ctx.events(DisposalEventTypes.batchCancelled, data, { subject: doc._id })],
      afterSave: () => ctx.batches.releaseAssets(doc.institution.creditCode, cards, doc._id),
    };
  });
}

/** The station's crew collected the batch at the institution (handover method collection). */
export function collectBatch(ctx: AppContext, principal: Principal, batchId: string) {
  return changeBatch(ctx, principal, batchId, ['station'], 'collect', (doc, now) => {
    doc.status = 'collected';
    const data: DisposalBatchCollectedData = { ...batchFields(doc, now), stationId: doc.handover.stationId };
    return { events: [ctx.events(DisposalEventTypes.batchCollected, data, { subject: doc._id })] };
  });
}

/**
 * The station receives the batch asset by asset: what it found is compared with the register and
 * every difference recorded (missing, extra, another serial or category).
 */
export function receiveBatch(
  ctx: AppContext,
  principal: Principal,
  batchId: string,
  input: { items: FoundItem[] },
) {
  return changeBatch(ctx, principal, batchId, ['station'], 'receive', (doc, now) => {
    const outcome = compareReceipt(
      doc.assets.map((a) => ({
        assetCardNo: a.assetCardNo,
        category: a.category,
        ...(a.serialNo ? { serialNo: a.serialNo } : {}),
        physical: a.fate !== 'written-off',
      })),
      input.items,
    );
    const received = new Map(outcome.received.map((r) => [r.assetCardNo, r]));
    const missing = new Set(outcome.missing);
    doc.assets = doc.assets.map((a): BatchAsset => {
      const r = received.get(a.assetCardNo);
      if (r) {
        return {
          ...a,
          fate: 'received',
          received: {
            weightGrams: r.weightGrams,
            categoryFound: r.categoryFound,
            ...(r.serialFound ? { serialFound: r.serialFound } : {}),
          },
        };
      }
      return missing.has(a.assetCardNo) ? { ...a, fate: 'missing' } : a;
    });
    doc.status = 'received';
    doc.receipt = { at: now, by: principal.sub, differences: outcome.differences, extras: outcome.extras };
    const data: DisposalBatchReceivedData = {
      ...batchFields(doc, now),
      stationId: doc.handover.stationId,
      districtCode: doc.districtCode,
      received: doc.assets
        .filter((a) => a.fate === 'received')
        .map((a) => ({
          assetCardNo: a.assetCardNo,
          category: a.category,
          ...(a.applianceCategory ? { applianceCategory: a.applianceCategory } : {}),
          mode: a.mode,
          weightGrams: a.received!.weightGrams,
        })),
      totalWeightGrams: outcome.received.reduce((sum, r) => sum + r.weightGrams, 0),
      differences: outcome.differences,
    };
    return { events: [ctx.events(DisposalEventTypes.batchReceived, data, { subject: doc._id })] };
  });
}

/** The institution accounts for the differences found at receipt (a note the finance bureau reads). */
export function acknowledgeDifferences(
  ctx: AppContext,
  principal: Principal,
  batchId: string,
  input: { note: string },
) {
  return changeBatch(ctx, principal, batchId, ['institution'], 'acknowledge', (doc, now) => {
    const differences = doc.receipt?.differences.length ?? 0;
    if (differences === 0) {
      throw DomainError.conflict('no-differences', '接收时没有差异，无需说明 / Nothing differed at receipt.');
    }
    if (doc.receipt!.acknowledged) {
      throw DomainError.conflict(
        'differences-already-acknowledged',
        '差异已说明 / The differences were accounted for already.',
      );
    }
    doc.receipt = { ...doc.receipt!, acknowledged: { note: input.note, at: now, by: principal.sub } };
    const data: DisposalDifferencesAcknowledgedData = {
      ...batchFields(doc, now),
      differences,
      note: input.note,
    };
    return { events: [ctx.events(DisposalEventTypes.differencesAcknowledged, data, { subject: doc._id })] };
  });
}

/**
 * The station hands received assets to a receiver licensed, on the day, for each asset's mode and
 * category (and for classified carriers when the asset is classified). Nothing leaves before the
 * institution accounted for the differences of the receipt.
 */
export function handOver(
  ctx: AppContext,
  principal: Principal,
  batchId: string,
  input: { receiverCode: string; assetCardNos: string[] },
) {
  return changeBatch(ctx, principal, batchId, ['station'], 'hand-over', (doc, now) => {
    const receiver = receiverOf(ctx, input.receiverCode);
    if ((doc.receipt?.differences.length ?? 0) > 0 && !doc.receipt?.acknowledged) {
      throw DomainError.conflict(
        'differences-not-acknowledged',
        '接收差异尚未由公共机构说明，资产不能交出 / The institution has not accounted for the differences yet: nothing may leave.',
      );
    }
    const today = todayOf(ctx);
    const bad: DomainFieldError[] = [];
    const seen = new Set<string>();
    const assets = input.assetCardNos.map((cardNo, i) => {
      const asset = doc.assets.find((a) => a.assetCardNo === cardNo);
      const field = `assetCardNos.${i}`;
      if (seen.has(cardNo)) bad.push({ field, message: `${cardNo} listed twice`, code: 'duplicate-asset' });
      seen.add(cardNo);
      if (!asset) {
        bad.push({ field, message: `${cardNo} is not in the batch`, code: 'unknown-asset' });
      } else if (asset.fate !== 'received') {
        bad.push({
          field,
          message: `${cardNo} is ${asset.fate}, not waiting at the station`,
          code: 'asset-not-at-station',
        });
      } else {
        const refusal = receiverRefusal(receiver, asset, today);
        if (refusal) bad.push({ field, message: receiverRefusalText[refusal], code: refusal });
      }
      return asset;
    });
    if (bad.length > 0) {
      const licensing = bad.find((b) => b.code in receiverRefusalText);
      throw new DomainError(
        licensing ? 'unprocessable' : 'invalid',
        licensing ? 'receiver-not-licensed' : bad[0]!.code,
        licensing
          ? `资产只能交给具备相应资质的接收单位：${licensing.message} / Assets go only to a receiver licensed for them.`
          : '所列资产不能交出 / Some listed assets cannot be handed over.',
        { fields: bad, details: { receiverCode: receiver.code } },
      );
    }
    const handoverId = `${doc._id}-h${doc.handovers.length + 1}`;
    const cards = new Set(input.assetCardNos);
    doc.assets = doc.assets.map((a) =>
      cards.has(a.assetCardNo)
        ? { ...a, fate: 'handed-over', handover: { handoverId, receiverCode: receiver.code, at: now } }
        : a,
    );
    const moved = assets.map((a) => a!);
    const totalWeightGrams = moved.reduce((sum, a) => sum + a.received!.weightGrams, 0);
    doc.handovers.push({
      handoverId,
      receiverCode: receiver.code,
      assetCardNos: input.assetCardNos,
      totalWeightGrams,
      at: now,
      by: principal.sub,
    });
    const data: DisposalAssetsHandedOverData = {
      ...batchFields(doc, now),
      handoverId,
      stationId: doc.handover.stationId,
      receiver: {
        code: receiver.code,
        name: receiver.name.zh,
        creditCode: receiver.creditCode,
        licenceKind: receiver.licence.kind,
        licenceNo: receiver.licence.number,
      },
      assets: moved.map((a) => ({
        assetCardNo: a.assetCardNo,
        category: a.category,
        ...(a.applianceCategory ? { applianceCategory: a.applianceCategory } : {}),
        mode: a.mode,
        classified: a.classified,
        weightGrams: a.received!.weightGrams,
      })),
      totalWeightGrams,
    };
    return { events: [ctx.events(DisposalEventTypes.assetsHandedOver, data, { subject: doc._id })] };
  });
}

export interface CertificateInput {
  kind: SanitisationKind;
  certificateNo: string;
  issuedOn: string;
  assetCardNos: string[];
}

/**
 * A wipe or destruction certificate of the receiver the assets went to. One certificate may cover
 * several assets of the batch, never another batch (claimed by insert under the receiver's number).
 */
export function recordCertificate(
  ctx: AppContext,
  principal: Principal,
  batchId: string,
  input: CertificateInput,
) {
  return changeBatch(ctx, principal, batchId, ['station', 'institution'], 'certify', async (doc, now) => {
    const bad: DomainFieldError[] = [];
    const receivers = new Set<string>();
    input.assetCardNos.forEach((cardNo, i) => {
      const asset = doc.assets.find((a) => a.assetCardNo === cardNo);
      const field = `assetCardNos.${i}`;
      if (!asset) bad.push({ field, message: `${cardNo} is not in the batch`, code: 'unknown-asset' });
      else if (asset.fate !== 'handed-over' || !asset.handover) {
        bad.push({ field, message: `${cardNo} has not gone to a receiver`, code: 'asset-not-handed-over' });
      } else if (asset.certificate) {
        bad.push({
          field,
          message: `${cardNo} has certificate ${asset.certificate.certificateNo}`,
          code: 'asset-already-certified',
        });
      } else {
        receivers.add(asset.handover.receiverCode);
        if (localDateOf(new Date(asset.handover.at), ctx.profile.timezone) > input.issuedOn) {
          bad.push({
            field: 'issuedOn',
            message: 'before the asset was handed over',
            code: 'issued-before-handover',
          });
        }
      }
    });
    if (input.issuedOn > todayOf(ctx)) {
      bad.push({ field: 'issuedOn', message: 'in the future', code: 'issued-in-the-future' });
    }
    if (receivers.size > 1) {
      bad.push({
        field: 'assetCardNos',
        message: 'the assets went to different receivers',
        code: 'several-receivers',
      });
    }
    if (bad.length > 0) {
      throw new DomainError(
        'invalid',
        bad[0]!.code,
        '证明所列资产有误 / The certificate cannot cover these assets.',
        {
          fields: bad,
        },
      );
    }
    const receiverCode = [...receivers][0]!;
    const holder = await ctx.batches.claimCertificate(receiverCode, input.certificateNo, doc._id);
    if (holder) {
      throw DomainError.conflict(
        'certificate-used-elsewhere',
        `证明 ${input.certificateNo} 已用于其他批次 / Certificate ${input.certificateNo} certifies another batch.`,
        {
          fields: [
            { field: 'certificateNo', message: 'used by another batch', code: 'certificate-used-elsewhere' },
          ],
        },
      );
    }
    const cards = new Set(input.assetCardNos);
    doc.assets = doc.assets.map((a) =>
      cards.has(a.assetCardNo)
        ? {
            ...a,
            certificate: {
              kind: input.kind,
              certificateNo: input.certificateNo,
              issuedOn: input.issuedOn,
              receiverCode,
            },
          }
        : a,
    );
    const data: DisposalSanitisationCertifiedData = {
      ...batchFields(doc, now),
      receiverCode,
      kind: input.kind,
      certificateNo: input.certificateNo,
      issuedOn: input.issuedOn,
      assetCardNos: input.assetCardNos,
    };
    return { events: [ctx.events(DisposalEventTypes.sanitisationCertified, data, { subject: doc._id })] };
  });
}

/** Proceeds paid to the treasury (非税收入缴款书): never to a person, never a reverse invoice. */
export function recordProceeds(
  ctx: AppContext,
  principal: Principal,
  batchId: string,
  input: { amountFen: number; voucherNo: string; paidOn: string },
) {
  return changeBatch(ctx, principal, batchId, ['institution'], 'pay', (doc, now) => {
    if (input.paidOn > todayOf(ctx)) {
      throw DomainError.invalid(
        'paid-in-the-future',
        'paidOn',
        '缴款日期不能晚于今天 / The payment date is in the future.',
      );
    }
    if (doc.proceeds.some((p) => p.voucherNo === input.voucherNo)) {
      throw DomainError.conflict(
        'voucher-already-recorded',
        `缴款书 ${input.voucherNo} 已登记 / Voucher ${input.voucherNo} is recorded.`,
        {
          fields: [{ field: 'voucherNo', message: 'already recorded', code: 'voucher-already-recorded' }],
        },
      );
    }
    doc.proceeds.push({ ...input, at: now, by: principal.sub });
    const data: DisposalProceedsPaidData = {
      ...batchFields(doc, now),
      amountFen: input.amountFen,
      payee: 'treasury',
      voucherNo: input.voucherNo,
      paidOn: input.paidOn,
    };
    return { events: [ctx.events(DisposalEventTypes.proceedsPaid, data, { subject: doc._id })] };
  });
}

/**
 * The institution closes the batch once every asset reached its fate, every classified asset has
 * its wipe or destruction certificate, and a sale's proceeds were paid to the treasury.
 */
export function closeBatch(ctx: AppContext, principal: Principal, batchId: string) {
  return changeBatch(ctx, principal, batchId, ['institution'], 'close', (doc, now) => {
    const atClose = batchAtClose(doc);
    assertCanClose(atClose);
    doc.status = 'closed';
    const data: DisposalBatchClosedData = {
      ...batchFields(doc, now),
      fates: doc.assets.map((a) => ({
        assetCardNo: a.assetCardNo,
        fate: a.fate as 'handed-over' | 'missing' | 'written-off',
        ...(a.handover ? { receiverCode: a.handover.receiverCode } : {}),
        ...(a.certificate ? { certificateNo: a.certificate.certificateNo } : {}),
      })),
      proceedsFen: atClose.proceedsFen,
    };
    return { events: [ctx.events(DisposalEventTypes.batchClosed, data, { subject: doc._id })] };
  });
}

/** A batch as the principal may see it (its institution, its station, the finance bureau). */
export async function getBatch(ctx: AppContext, principal: Principal, batchId: string): Promise<BatchView> {
  const doc = await ctx.batches.find(batchId);
  if (!doc) throw batchNotFound(batchId);
  assertViewer(
    principal,
    { institutionCreditCode: doc.institution.creditCode, stationId: doc.handover.stationId },
    ['institution', 'station', 'overseer'],
  );
  return batchView(ctx, doc);
}

/** The batches of an institution or a station (newest first), read from their list by `_id`. */
export async function listBatches(ctx: AppContext, listId: string): Promise<BatchView[]> {
  const list = await ctx.batches.list(listId);
  const docs = await ctx.batches.findMany([...(list?.batchIds ?? [])].reverse().slice(0, 200));
  return docs.map((d) => batchView(ctx, d));
}

/** One asset's fate, found by its card through the claim that made it unique. */
export async function assetFate(ctx: AppContext, creditCode: string, assetCardNo: string) {
  const batchId = await ctx.batches.batchOfAsset(creditCode, assetCardNo);
  const doc = batchId ? await ctx.batches.find(batchId) : null;
  const view = doc ? batchView(ctx, doc) : null;
  const asset = view?.assets.find((a) => a.assetCardNo === assetCardNo);
  if (!view || !asset) {
    throw DomainError.notFound(
      'asset-not-found',
      `资产 ${assetCardNo} 不在任何处置批次中 / Asset ${assetCardNo} is in no disposal batch.`,
    );
  }
  return { batchId: view.batchId, batchStatus: view.status, stationId: view.handover.stationId, asset };
}
