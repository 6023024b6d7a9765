import {
  idDocumentTypes,
  maskIdNumber,
  maskName,
  residentKeyOf,
  type InvoiceIssuedData,
  type InvoiceReversedData,
  type Principal,
} from '@recycling/contracts';
import { amountInWords } from '../domain/amount-in-words';
import { localDateOf } from '../domain/months';
import { invoiceNotFound } from '../store/invoice-repository';
import type { InvoicingContext } from './context';
import { assertEnterpriseScope } from './enterprises';

// What an invoice's printable copy (its PDF) shows: the fields of a fully digitalised electronic
// invoice (全电发票) for a reverse invoice. The buyer is the recycling enterprise, which issues it;
// the seller is the individual, shown masked as on the resident's list (the copy may be handed on).

/** Bound on a resident's pickups read to decide whether the invoice is theirs (as in their list). */
const MAX_PICKUPS = 500;

export interface InvoiceDocument {
  invoiceId: string;
  invoiceNo: string;
  /** 'blue': an invoice; 'red': a red-letter invoice cancelling `originalInvoiceNo`. */
  colour: 'blue' | 'red';
  invoiceKind: InvoiceIssuedData['kind'];
  /** 开票日期 in the city's time zone, YYYY-MM-DD. */
  localDate: string;
  period: string;
  buyer: { name: string; taxpayerId: string };
  seller: { nameMasked: string; idTypeName: string; idNumberMasked: string };
  lines: Array<{
    goodsName: string;
    unit: string;
    quantity: string;
    unitPriceFen: number;
    amountFen: number;
    vatRateBp: number;
    vatFen: number;
  }>;
  vatTreatment: InvoiceIssuedData['vatTreatment'];
  amountFen: number;
  vatFen: number;
  totalFen: number;
  totalInWords: string;
  incomeTaxWithheldFen: number;
  originalInvoiceNo?: string;
  reason?: { code: string; note?: string };
}

/**
 * The invoice or red-letter invoice `invoiceId`, if the caller may read it: a resident the invoices
 * of their own pickups (another's answers 404, as an unknown id does: a resident learns nothing of
 * other people's invoices), city-wide roles every one, an operator its enterprise's. A refusal is
 * no invoice (404).
 */
export async function invoiceDocument(
  ctx: InvoicingContext,
  principal: Principal,
  invoiceId: string,
): Promise<InvoiceDocument> {
  const record = await ctx.invoices.find(invoiceId);
  if (!record || record.kind === 'refused') throw invoiceNotFound(invoiceId);
  if (principal.role === 'resident') {
    const residentKey = residentKeyOf(principal.scope ?? principal.sub, ctx.residentKeySecret);
    const pickups = record.pickupId ? await ctx.pickupIndex.pickupsOf(residentKey, MAX_PICKUPS) : [];
    if (!record.pickupId || !pickups.includes(record.pickupId)) throw invoiceNotFound(invoiceId);
  } else {
    await assertEnterpriseScope(ctx, principal, record.issuerId);
  }
  const data = record.data as unknown as InvoiceIssuedData | InvoiceReversedData;
  const red = record.kind === 'reversed' ? (data as InvoiceReversedData) : undefined;
  return {
    invoiceId: record._id,
    invoiceNo: data.invoiceNo,
    colour: red ? 'red' : 'blue',
    invoiceKind: data.kind,
    localDate: localDateOf(data.occurredAt, ctx.profile.timezone),
    period: data.period,
    buyer: { name: data.issuer.name, taxpayerId: data.issuer.taxpayerId },
    seller: {
      nameMasked: maskName(data.seller.name),
      idTypeName: idDocumentTypes[data.seller.idType].name.zh,
      idNumberMasked: maskIdNumber(data.seller.idNumber),
    },
    lines: data.lines.map((l) => ({
      goodsName: l.goodsName,
      unit: l.unit,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
      amountFen: l.amountFen,
      vatRateBp: l.vatRateBp,
      vatFen: l.vatFen,
    })),
    vatTreatment: data.vatTreatment,
    amountFen: data.totals.amountFen,
    vatFen: data.totals.vatFen,
    totalFen: data.totals.totalFen,
    totalInWords: amountInWords(data.totals.totalFen),
    incomeTaxWithheldFen: data.totals.incomeTaxWithheldFen,
    ...(red
      ? {
          originalInvoiceNo: red.originalInvoiceNo,
          reason: { code: red.reason.code, ...(red.reason.note ? { note: red.reason.note } : {}) },
        }
      : {}),
  };
}
