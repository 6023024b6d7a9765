import {
  maskIdNumber,
  maskName,
  residentKeyOf,
  type InvoiceIssuedData,
  type InvoiceReversedData,
  type Principal,
} from '@recycling/contracts';
import type { InvoiceRecordDoc } from '../store/models';
import type { InvoicingContext } from './context';

// A resident's invoices: those of the purchases that came through the pickups they booked. The two
// halves come from different topics (pickups: who booked; purchases: which pickup the goods came
// through), in no guaranteed order, so they are joined here, when read, never when written. Every
// read is by `_id` (resident → pickups → invoices): FerretDB serves no other filter from an index.
//
// The resident who booked is not necessarily the person who sold (a relative may hand the goods
// over), so the seller appears masked: enough to recognise the invoice, not to learn an identity.

/** More than any household books; a bound on the read, not a page size. */
const MAX_PICKUPS = 500;
const MAX_INVOICES = 1_000;

export type ResidentInvoiceStatus = 'issued' | 'reversed' | 'red-letter';

export interface ResidentInvoice {
  invoiceId: string;
  invoiceNo: string;
  /** `issued`: a (blue) invoice in force; `reversed`: one cancelled by a red-letter invoice; `red-letter`: the cancelling invoice. */
  status: ResidentInvoiceStatus;
  invoiceKind: InvoiceIssuedData['kind'];
  /** Invoice date and time (ISO-8601 UTC). */
  date: string;
  period: string;
  pickupId: string;
  purchaseId: string;
  enterprise: { enterpriseId: string; name: string; taxpayerId: string };
  seller: { nameMasked: string; idType: string; idNumberMasked: string };
  vatTreatment: InvoiceIssuedData['vatTreatment'];
  amountFen: number;
  vatFen: number;
  totalFen: number;
  incomeTaxWithheldFen: number;
  lines: Array<{
    goodsName: string;
    unit: string;
    quantity: string;
    unitPriceFen: number;
    amountFen: number;
  }>;
  /** On a red-letter invoice: the invoice it cancels, and why. */
  originalInvoiceNo?: string;
  reason?: { code: string; note?: string };
  /** On a reversed invoice: the red-letter invoice that cancelled it. */
  reversedByInvoiceNo?: string;
}

/** Notes a pickup a resident booked (from pickup.requested); a second delivery changes nothing. */
export const recordResidentPickup = (ctx: InvoicingContext, residentKey: string, pickupId: string) =>
  ctx.pickupIndex.addPickups(residentKey, [pickupId]);

/**
 * The invoices of the caller's pickups, newest first. As pickup and dismantling do, the token names
 * the account and the pickup events its keyed hash.
 */
export async function myInvoices(ctx: InvoicingContext, principal: Principal): Promise<ResidentInvoice[]> {
  return residentInvoices(ctx, residentKeyOf(principal.scope ?? principal.sub, ctx.residentKeySecret));
}

export async function residentInvoices(
  ctx: InvoicingContext,
  residentKey: string,
): Promise<ResidentInvoice[]> {
  const pickupIds = await ctx.pickupIndex.pickupsOf(residentKey, MAX_PICKUPS);
  if (pickupIds.length === 0) return [];
  const invoiceIds = await ctx.pickupIndex.invoicesOf(pickupIds, MAX_INVOICES);
  const records = (await ctx.invoices.findMany(invoiceIds)).filter(
    (r) => r.kind === 'issued' || r.kind === 'reversed',
  );

  const reversedBy = new Map<string, string>();
  for (const r of records) {
    if (r.kind === 'reversed' && r.invoiceNo) {
      reversedBy.set((r.data as unknown as InvoiceReversedData).originalInvoiceId, r.invoiceNo);
    }
  }
  return records
    .map((r) => residentView(r, reversedBy.get(r._id)))
    .sort((a, b) => b.date.localeCompare(a.date) || b.invoiceNo.localeCompare(a.invoiceNo));
}

function residentView(record: InvoiceRecordDoc, reversedByInvoiceNo: string | undefined): ResidentInvoice {
  const data = record.data as unknown as InvoiceIssuedData | InvoiceReversedData;
  const red = record.kind === 'reversed' ? (data as InvoiceReversedData) : undefined;
  return {
    invoiceId: record._id,
    invoiceNo: data.invoiceNo,
    status: red ? 'red-letter' : reversedByInvoiceNo ? 'reversed' : 'issued',
    invoiceKind: data.kind,
    date: data.occurredAt,
    period: data.period,
    pickupId: record.pickupId!,
    purchaseId: data.purchaseId,
    enterprise: {
      enterpriseId: data.issuer.enterpriseId,
      name: data.issuer.name,
      taxpayerId: data.issuer.taxpayerId,
    },
    seller: {
      nameMasked: maskName(data.seller.name),
      idType: data.seller.idType,
      idNumberMasked: maskIdNumber(data.seller.idNumber),
    },
    vatTreatment: data.vatTreatment,
    amountFen: data.totals.amountFen,
    vatFen: data.totals.vatFen,
    totalFen: data.totals.totalFen,
    incomeTaxWithheldFen: data.totals.incomeTaxWithheldFen,
    lines: data.lines.map((l) => ({
      goodsName: l.goodsName,
      unit: l.unit,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
      amountFen: l.amountFen,
    })),
    ...(red
      ? {
          originalInvoiceNo: red.originalInvoiceNo,
          reason: { code: red.reason.code, ...(red.reason.note ? { note: red.reason.note } : {}) },
        }
      : {}),
    ...(reversedByInvoiceNo ? { reversedByInvoiceNo } : {}),
  };
}
