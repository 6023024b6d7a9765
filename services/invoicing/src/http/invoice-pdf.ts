import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { InvoiceDocument } from '../app/invoice-document';
import { yuan } from './csv';

// The printable copy of an invoice (PDF) with the fields of a fully digitalised electronic invoice:
// 发票号码, 开票日期, 购买方 (the recycling enterprise, which issues a reverse invoice) and 销售方 (the
// person, masked), the items, 金额/税率/税额, 价税合计 in words and in figures, and 备注 naming the
// reverse-invoicing basis. Noto Sans SC (OFL, from npm) is embedded as a subset of the glyphs used,
// so a one-page invoice stays a few tens of kilobytes although the font file is 10 MB.

const FONT_FILE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';
let fontBytes: Buffer | undefined;
/** The font, read once per process (fontkit parses its tables lazily per document). */
const font = (): Buffer => (fontBytes ??= readFileSync(require.resolve(FONT_FILE)));

const INK = '#7a3e0e';
const TEXT = '#1a1a1a';
const W = 595.28; // A5 landscape
const H = 419.53;
const M = 24;

const KIND_TITLE = { ordinary: '电子发票（普通发票）', special: '电子发票（增值税专用发票）' } as const;

const rateText = (bp: number, treatment: InvoiceDocument['vatTreatment']) =>
  treatment === 'exempt' || bp === 0 ? '免税' : `${bp / 100}%`;

const REVERSAL_REASONS: Record<string, string> = {
  'purchase-corrected': '收购单更正',
  'purchase-withdrawn': '收购单撤销',
  'issued-in-error': '开票有误',
  other: '其他',
};

/** The remarks (备注): the basis of reverse invoicing, the tax withheld, and for a red-letter invoice what it cancels. */
export function remarksOf(d: InvoiceDocument): string[] {
  const lines = [
    '反向开票：资源回收企业向自然人报废产品出售者收购，依据国家税务总局公告2024年第5号由回收企业（购买方）开具。',
    `代扣代缴个人所得税：¥${yuan(d.incomeTaxWithheldFen)}；所属期 ${d.period}。`,
  ];
  if (d.colour === 'red') {
    const reason = d.reason ? (REVERSAL_REASONS[d.reason.code] ?? d.reason.code) : '';
    lines.push(
      `红字发票，冲销蓝字发票号码 ${d.originalInvoiceNo ?? ''}${reason ? `；原因：${reason}` : ''}${d.reason?.note ? `（${d.reason.note}）` : ''}。`,
    );
  }
  return lines;
}

/** Renders the invoice as a one-page PDF (A5 landscape). */
export function invoicePdf(d: InvoiceDocument): Promise<Buffer> {
  const [year, month, day] = d.localDate.split('-');
  const doc = new PDFDocument({
    size: [W, H],
    margin: M,
    pdfVersion: '1.7',
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: `电子发票 ${d.invoiceNo}`,
      Subject: `Reverse invoice ${d.invoiceNo}`,
      Keywords: d.invoiceNo,
      Author: d.buyer.name,
      Creator: 'recycling invoicing',
      CreationDate: new Date(`${d.localDate}T00:00:00+08:00`),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.registerFont('cjk', font());
  doc.font('cjk');
  const text = (s: string, x: number, y: number, options: PDFKit.Mixins.TextOptions = {}) =>
    doc.text(s, x, y, { lineBreak: options.width !== undefined, ...options });

  // Heading: the title centred over the page's left part, number and date at the right.
  doc.fillColor(INK).fontSize(16);
  const title = KIND_TITLE[d.invoiceKind] + (d.colour === 'red' ? '（红字）' : '');
  text(title, M + 60, M + 6, { width: W - 2 * M - 250, align: 'center' });
  const titleMid = M + 60 + (W - 2 * M - 250) / 2;
  doc
    .moveTo(titleMid - 100, M + 30)
    .lineTo(titleMid + 100, M + 30)
    .lineWidth(0.8)
    .strokeColor(INK)
    .stroke();
  doc.fontSize(8.5);
  text(`发票号码：${d.invoiceNo}`, W - M - 170, M + 4, { width: 170 });
  text(`开票日期：${year}年${month}月${day}日`, W - M - 170, M + 18, { width: 170 });

  // Parties.
  const top = M + 40;
  const partyH = 62;
  const half = (W - 2 * M) / 2;
  doc.lineWidth(0.8).strokeColor(INK);
  doc.rect(M, top, W - 2 * M, partyH).stroke();
  doc
    .moveTo(M + half, top)
    .lineTo(M + half, top + partyH)
    .stroke();
  for (const [x, label] of [
    [M, '购买方'],
    [M + half, '销售方'],
  ] as const) {
    doc
      .moveTo(x + 18, top)
      .lineTo(x + 18, top + partyH)
      .stroke();
    doc.fillColor(INK).fontSize(8);
    [...label].forEach((ch, i) => text(ch, x + 5, top + 12 + i * 14));
  }
  const party = (x: number, rows: [string, string][]) => {
    rows.forEach(([label, value], i) => {
      doc.fillColor(INK).fontSize(8);
      text(`${label}：`, x + 24, top + 8 + i * 17);
      doc.fillColor(TEXT).fontSize(9);
      const offset = 24 + doc.widthOfString(`${label}：`) + 6;
      text(value, x + offset, top + 7.5 + i * 17, { width: half - offset - 4, height: 12, ellipsis: true });
    });
  };
  party(M, [
    ['名称', d.buyer.name],
    ['统一社会信用代码/纳税人识别号', d.buyer.taxpayerId],
  ]);
  party(M + half, [
    ['名称', `${d.seller.nameMasked}（个人）`],
    ['证件类型', d.seller.idTypeName],
    ['证件号码', d.seller.idNumberMasked],
  ]);

  // Items.
  const cols = [
    { head: '项目名称', w: 146, align: 'left' as const },
    { head: '单位', w: 36, align: 'center' as const },
    { head: '数量', w: 60, align: 'right' as const },
    { head: '单价', w: 70, align: 'right' as const },
    { head: '金额', w: 80, align: 'right' as const },
    { head: '税率/征收率', w: 62, align: 'center' as const },
    { head: '税额', w: W - 2 * M - 454, align: 'right' as const },
  ];
  const itemsTop = top + partyH;
  const rowH = 15;
  const maxRows = 8;
  const shown = d.lines.slice(0, maxRows);
  const itemsH = rowH * (shown.length + 2) + 6;
  doc.rect(M, itemsTop, W - 2 * M, itemsH).stroke();
  const row = (cells: string[], y: number, colour: string) => {
    let x = M;
    cells.forEach((cell, i) => {
      const c = cols[i]!;
      doc.fillColor(colour);
      text(cell, x + 4, y, { width: c.w - 8, align: c.align, height: rowH, ellipsis: true });
      x += c.w;
    });
  };
  doc.fontSize(8);
  row(
    cols.map((c) => c.head),
    itemsTop + 4,
    INK,
  );
  doc.fontSize(8.5);
  shown.forEach((l, i) =>
    row(
      [
        l.goodsName,
        l.unit,
        l.quantity,
        yuan(l.unitPriceFen),
        yuan(l.amountFen),
        rateText(l.vatRateBp, d.vatTreatment),
        d.vatTreatment === 'exempt' ? '***' : yuan(l.vatFen),
      ],
      itemsTop + 4 + rowH * (i + 1),
      TEXT,
    ),
  );
  const sumY = itemsTop + 4 + rowH * (shown.length + 1) + 2;
  doc.fillColor(INK);
  text('合　计', M + 24, sumY);
  row(['', '', '', '', `¥${yuan(d.amountFen)}`, '', `¥${yuan(d.vatFen)}`], sumY, TEXT);
  if (d.lines.length > maxRows) {
    doc.fillColor(INK).fontSize(7.5);
    text(`（另有 ${d.lines.length - maxRows} 行，见销货清单）`, M + 60, sumY);
  }

  // 价税合计.
  const totalTop = itemsTop + itemsH;
  doc.rect(M, totalTop, W - 2 * M, 22).stroke();
  doc.fillColor(INK).fontSize(8.5);
  text('价税合计（大写）', M + 6, totalTop + 6.5);
  doc.fillColor(TEXT).fontSize(10);
  text(`⊗ ${d.totalInWords}`, M + 90, totalTop + 5.5);
  doc.fillColor(INK).fontSize(8.5);
  text('（小写）', M + 360, totalTop + 6.5);
  doc.fillColor(TEXT).fontSize(10);
  text(`¥${yuan(d.totalFen)}`, M + 400, totalTop + 5.5);

  // 备注.
  const remarksTop = totalTop + 22;
  const remarksH = Math.max(56, H - M - 14 - remarksTop);
  doc.rect(M, remarksTop, W - 2 * M, remarksH).stroke();
  doc
    .moveTo(M + 18, remarksTop)
    .lineTo(M + 18, remarksTop + remarksH)
    .stroke();
  doc.fillColor(INK).fontSize(8);
  text('备', M + 5, remarksTop + 12);
  text('注', M + 5, remarksTop + 34);
  doc.fillColor(TEXT).fontSize(8);
  text(remarksOf(d).join('\n'), M + 24, remarksTop + 6, { width: W - 2 * M - 32, lineGap: 2 });

  doc.page.margins.bottom = 0; // the footer sits in the margin, on the same page
  doc.fillColor('#555555').fontSize(7);
  text(
    '本文件为依据发票数据生成的版式文件，供查阅与打印；发票信息以税务机关电子发票服务平台为准。',
    M,
    H - M - 8,
    { width: W - 2 * M, align: 'center' },
  );
  doc.end();
  return done;
}
