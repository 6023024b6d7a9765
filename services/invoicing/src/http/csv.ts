import type {
  DeclarationPreparedData,
  InvoiceIssuedData,
  InvoiceRefusedData,
  InvoiceReversedData,
} from '@recycling/contracts';
import { idDocumentTypes, localDateTime } from '@recycling/contracts';
import { stringify } from 'csv-stringify/sync';
import type { FeedEntry } from '../app/invoice-feed';

// Downloadable files for people at the tax office and the enterprises: headers Chinese first, money
// in yuan with two decimals, formatted from integer fen without floating point, times in the city's
// time zone with the offset written (2026-03-01T10:00:00+08:00): the tax office works in local time.

export const yuan = (fen: number): string => {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
};

const percent = (bp: number) => `${bp / 100}%`;

// A byte-order mark lets spreadsheet programs read the Chinese headers as UTF-8.
const BOM = '\ufeff';

const KIND_LABEL = { issued: '蓝字发票 Issued', reversed: '红字发票 Reversal', refused: '不予开具 Refused' };

export function invoicesCsv(entries: readonly FeedEntry[], timeZone: string): string {
  const time = (instant: string | Date | undefined) => (instant ? localDateTime(instant, timeZone) : '');
  const rows = entries.map((e) => {
    if (e.kind === 'refused') {
      const d = e.data as unknown as InvoiceRefusedData;
      return [
        e.id,
        KIND_LABEL.refused,
        '',
        '',
        time(d.occurredAt),
        '',
        '',
        d.issuer.enterpriseId,
        '',
        '',
        '',
        '',
        '',
        yuan(d.cap?.requestedFen ?? 0),
        '',
        '',
        '',
        '',
        d.purchaseId,
        d.purchaseRevision,
        `${d.reasonCode}: ${d.message.zh}`,
        time(e.recordedAt),
      ];
    }
    const d = e.data as unknown as InvoiceIssuedData | InvoiceReversedData;
    const original = 'originalInvoiceNo' in d ? d.originalInvoiceNo : '';
    const rate = d.lines[0]?.vatRateBp ?? 0;
    return [
      e.id,
      KIND_LABEL[e.kind],
      d.invoiceNo,
      original,
      time(d.occurredAt),
      time(d.saleOccurredAt),
      d.period,
      d.issuer.enterpriseId,
      d.issuer.name,
      d.issuer.taxpayerId,
      d.seller.name,
      idDocumentTypes[d.seller.idType].name.zh,
      d.seller.idNumber,
      yuan(d.totals.amountFen),
      percent(rate),
      yuan(d.totals.vatFen),
      yuan(d.totals.totalFen),
      yuan(d.totals.incomeTaxWithheldFen),
      d.purchaseId,
      d.purchaseRevision,
      'reason' in d ? `${d.reason.code}${d.reason.note ? `: ${d.reason.note}` : ''}` : '',
      time(e.recordedAt),
    ];
  });
  return (
    BOM +
    stringify(rows, {
      header: true,
      columns: [
        '记录编号 Record id',
        '类型 Kind',
        '发票号码 Invoice no.',
        '原发票号码 Original invoice no.',
        '开票时间 Invoice time',
        '销售时间（所属期已申报的补开）Sale time (late sale of a filed month)',
        '所属期 Period',
        '开票企业编号 Issuer id',
        '开票企业 Issuer',
        '纳税人识别号 Taxpayer id',
        '销售方 Seller',
        '证件类型 Id document',
        '证件号码 Id number',
        '金额 Amount (yuan)',
        '征收率 Rate',
        '税额 VAT (yuan)',
        '价税合计 Total (yuan)',
        '代扣个人所得税 Income tax withheld (yuan)',
        '收购单 Purchase',
        '版本 Revision',
        '原因 Reason',
        '记录时间 Recorded at',
      ],
    })
  );
}

/** The detail report (明细报告表), one row per seller, followed by the summary (报告表) as a total row. */
export function declarationCsv(d: DeclarationPreparedData): string {
  const amounts = (a: DeclarationPreparedData['summary'] | DeclarationPreparedData['details'][number]) => [
    yuan(a.salesFen),
    yuan(a.exemptSalesFen),
    yuan(a.vatFen),
    yuan(a.incomeTaxFen),
    a.invoiceCount,
    a.reversalCount,
  ];
  const head = [d.declarationId, d.period, d.revision, d.issuer.name, d.issuer.taxpayerId];
  const rows = [
    ...d.details.map((x) => [
      ...head,
      x.seller.name,
      idDocumentTypes[x.seller.idType].name.zh,
      x.seller.idNumber,
      ...amounts(x),
    ]),
    [...head, `合计 Total (${d.summary.sellerCount})`, '', '', ...amounts(d.summary)],
  ];
  return (
    BOM +
    stringify(rows, {
      header: true,
      columns: [
        '申报编号 Declaration id',
        '所属期 Period',
        '版本 Revision',
        '扣缴义务人 Withholding agent',
        '纳税人识别号 Taxpayer id',
        '销售方 Seller',
        '证件类型 Id document',
        '证件号码 Id number',
        '销售额 Sales (yuan)',
        '其中免税销售额 Exempt sales (yuan)',
        '增值税 VAT (yuan)',
        '代扣个人所得税 Income tax withheld (yuan)',
        '发票份数 Invoices',
        '红字发票份数 Reversals',
      ],
    })
  );
}
