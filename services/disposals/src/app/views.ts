import { disposalModes } from '@recycling/contracts';
import { closeBlockers, type BatchAtClose } from '../domain/batch-lifecycle';
import type { BatchDoc } from '../store/models';
import { categoryOf, type AppContext } from './context';

// What the API answers: a batch with each asset's fate, names in Chinese and English beside the
// codes, instants as ISO UTC strings (the portal shows them in Asia/Shanghai), local dates as they
// are. Proceeds are always shown with their payee, the treasury.

const iso = (d: Date | string) => new Date(d).toISOString();

/** What the close rule reads of a batch (the same for the close itself and for the view). */
export function batchAtClose(doc: BatchDoc): BatchAtClose {
  return {
    status: doc.status,
    assets: doc.assets.map((a) => ({
      assetCardNo: a.assetCardNo,
      mode: a.mode,
      classified: a.classified,
      fate: a.fate,
      ...(a.certificate ? { certificateNo: a.certificate.certificateNo } : {}),
    })),
    differences: doc.receipt?.differences.length ?? 0,
    differencesAcknowledged: doc.receipt?.acknowledged !== undefined,
    proceedsFen: doc.proceeds.reduce((sum, p) => sum + p.amountFen, 0),
    proceedsRecorded: doc.proceeds.length > 0,
  };
}

export function batchView(ctx: Pick<AppContext, 'rules'>, b: BatchDoc) {
  const receiverName = (code: string) =>
    ctx.rules.receivers.find((r) => r.code === code)?.name ?? { zh: code, en: code };
  return {
    batchId: b._id,
    institution: b.institution,
    districtCode: b.districtCode,
    approval: b.approval,
    handover: b.handover,
    status: b.status,
    assets: b.assets.map((a) => ({
      assetCardNo: a.assetCardNo,
      category: a.category,
      categoryName: categoryOf(ctx, a.category)?.name ?? { zh: a.category, en: a.category },
      ...(a.applianceCategory ? { applianceCategory: a.applianceCategory } : {}),
      ...(a.model ? { model: a.model } : {}),
      ...(a.serialNo ? { serialNo: a.serialNo } : {}),
      acquisitionDate: a.acquisitionDate,
      originalValueFen: a.originalValueFen,
      mode: a.mode,
      modeName: disposalModes[a.mode].name,
      classified: a.classified,
      ...(a.pageCount !== undefined ? { pageCount: a.pageCount } : {}),
      ...(a.earlyScrapApproval ? { earlyScrapApproval: a.earlyScrapApproval } : {}),
      fate: a.fate,
      ...(a.received ? { received: a.received } : {}),
      ...(a.handover
        ? {
            handover: {
              handoverId: a.handover.handoverId,
              receiverCode: a.handover.receiverCode,
              receiverName: receiverName(a.handover.receiverCode),
              at: iso(a.handover.at),
            },
          }
        : {}),
      ...(a.certificate ? { certificate: a.certificate } : {}),
    })),
    ...(b.receipt
      ? {
          receipt: {
            at: iso(b.receipt.at),
            differences: b.receipt.differences,
            extras: b.receipt.extras,
            ...(b.receipt.acknowledged
              ? { acknowledged: { note: b.receipt.acknowledged.note, at: iso(b.receipt.acknowledged.at) } }
              : {}),
          },
        }
      : {}),
    handovers: b.handovers.map((h) => ({
      handoverId: h.handoverId,
      receiverCode: h.receiverCode,
      receiverName: receiverName(h.receiverCode),
      assetCardNos: h.assetCardNos,
      totalWeightGrams: h.totalWeightGrams,
      at: iso(h.at),
    })),
    proceeds: {
      payee: 'treasury' as const,
      payeeName: ctx.rules.treasury.name,
      totalFen: b.proceeds.reduce((sum, p) => sum + p.amountFen, 0),
      entries: b.proceeds.map((p) => ({
        amountFen: p.amountFen,
        voucherNo: p.voucherNo,
        paidOn: p.paidOn,
        at: iso(p.at),
      })),
    },
    history: b.history.map((h) => ({
      event: h.event,
      at: iso(h.at),
      by: h.by,
      ...(h.note ? { note: h.note } : {}),
    })),
    // What still stands between the batch and its close, so the institution sees it before trying.
    closeBlockers: b.status === 'closed' || b.status === 'cancelled' ? [] : closeBlockers(batchAtClose(b)),
    createdAt: iso(b.createdAt),
    updatedAt: iso(b.updatedAt),
  };
}
export type BatchView = ReturnType<typeof batchView>;
