import { DeclarationPreparedData, InvoiceIssuedData } from '@recycling/contracts';
import { declarationPrepared, invoiceIssued, invoiceReversed, people } from '@recycling/contracts/fixtures';
import { declarationContent, sameContent } from '../src/domain/declaration';
import { formatInvoiceNo, invoiceYearOf, numberSequenceOf } from '../src/domain/invoice-number';
import { addMonths, monthOf, rollingWindow } from '../src/domain/months';
import { declarationCsv, yuan } from '../src/http/csv';

describe('tax months in the city time zone', () => {
  it.each([
    ['2025-03-31T15:59:59Z', '2025-03'],
    ['2025-03-31T16:00:00Z', '2025-04'], // midnight in Alar (UTC+8)
    ['2024-12-31T16:30:00Z', '2025-01'],
  ])('%s is in %s', (instant, month) => {
    expect(monthOf(instant, 'Asia/Shanghai')).toBe(month);
  });

  it('moves across years and spans rolling windows of whole months', () => {
    expect(addMonths('2025-01', -1)).toBe('2024-12');
    expect(addMonths('2024-12', 13)).toBe('2026-01');
    expect(rollingWindow('2025-03', 12)).toEqual({ start: '2024-04', end: '2025-03' });
  });
});

describe('the withholding declaration', () => {
  const blue = (sellerKey: string, amountFen: number, exempt: boolean) => {
    const rate = exempt ? 0 : 100;
    const vat = Math.round((amountFen * rate) / 10_000);
    return {
      kind: 'issued' as const,
      data: InvoiceIssuedData.parse({
        ...invoiceIssued,
        seller: sellerKey === people.liXiulan.sellerKey ? people.liXiulan : people.wangJianxin,
        vatTreatment: exempt ? 'exempt' : 'reduced',
        kind: 'ordinary',
        lines: [
          { ...invoiceIssued.lines[0]!, unitPriceFen: amountFen, amountFen, vatRateBp: rate, vatFen: vat },
        ],
        totals: {
          amountFen,
          vatFen: vat,
          totalFen: amountFen + vat,
          incomeTaxRateBp: 50,
          incomeTaxWithheldFen: Math.round(amountFen * 0.005),
        },
      }),
    };
  };

  it('sums per seller, nets red-letter invoices, and the summary equals the sum of the details', () => {
    const content = declarationContent([
      blue(people.wangJianxin.sellerKey, 20_000, true),
      { kind: 'reversed', data: invoiceReversed },
      blue(people.wangJianxin.sellerKey, 19_000, true),
      blue(people.liXiulan.sellerKey, 12_000_000, false),
    ]);
    const wang = content.details.find((d) => d.seller.sellerKey === people.wangJianxin.sellerKey)!;
    expect(wang).toMatchObject({
      salesFen: 19_000,
      exemptSalesFen: 19_000,
      vatFen: 0,
      incomeTaxFen: 95,
      invoiceCount: 2,
      reversalCount: 1,
    });
    expect(content.summary).toMatchObject({ sellerCount: 2, salesFen: 12_019_000, vatFen: 120_000 });
    // The event schema checks every sum, so a wrong summary would not parse.
    expect(() => DeclarationPreparedData.parse({ ...declarationPrepared, ...content })).not.toThrow();
  });

  it('is the same content whatever the order of invoices and keys', () => {
    const a = declarationContent([
      blue(people.wangJianxin.sellerKey, 100, true),
      blue(people.liXiulan.sellerKey, 200, true),
    ]);
    const b = declarationContent([
      blue(people.liXiulan.sellerKey, 200, true),
      blue(people.wangJianxin.sellerKey, 100, true),
    ]);
    const reordered = JSON.parse(JSON.stringify(b), (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    );
    expect(sameContent(a, reordered)).toBe(true);
    expect(sameContent(a, declarationContent([blue(people.wangJianxin.sellerKey, 101, true)]))).toBe(false);
  });

  it('renders CSV with Chinese-first headers, one row per seller and a total row', () => {
    const csv = declarationCsv(declarationPrepared);
    const lines = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toContain('销售方 Seller');
    expect(lines).toHaveLength(1 + declarationPrepared.details.length + 1);
    expect(lines.at(-1)).toContain('合计 Total (2)');
    expect(lines.at(-1)).toContain('123860.00');
  });
});

describe('formats', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [12_345, '123.45'],
    [-100, '-1.00'],
    [-5, '-0.05'],
  ])('%i fen is %s yuan', (fen, text) => {
    expect(yuan(fen)).toBe(text);
  });

  it('invoice numbers have the 数电票 shape: year, region, channel and an 11-digit sequence (20 digits)', () => {
    expect(formatInvoiceNo('659002', '2026', 137)).toBe('26659002100000000137');
    expect(formatInvoiceNo('659002', '2026', 99_999_999_999)).toMatch(/^\d{20}$/);
    expect(() => formatInvoiceNo('659002', '2026', 100_000_000_000)).toThrow(/11 digits/);
    expect(() => formatInvoiceNo('6590', '2026', 1)).toThrow(/6 digits/);
  });

  it("an invoice's year is its date's year in the city's time zone, and names the city's sequence", () => {
    // 2025-12-31T16:30Z is 00:30 on New Year's Day in Alar.
    expect(invoiceYearOf('2025-12-31T16:30:00Z', 'Asia/Shanghai')).toBe('2026');
    expect(invoiceYearOf('2025-12-31T15:30:00Z', 'Asia/Shanghai')).toBe('2025');
    expect(numberSequenceOf('659002', '2026')).toBe('invoice-no:659002:2026');
  });
});
