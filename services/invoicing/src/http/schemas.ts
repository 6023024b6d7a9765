import {
  DeclarationPreparedData,
  freeText,
  Id,
  InvoiceKind,
  InvoiceNo,
  IsoUtc,
  LocalDate,
  Month,
  QualificationType,
  SellerKey,
  TaxpayerId,
  VatMethod,
  VatTreatment,
} from '@recycling/contracts';
import { z } from 'zod';

// The bodies, queries, parameters and answers of the HTTP API: the endpoints validate with these,
// and the kit makes the OpenAPI document from these same objects.

export const EnterpriseParams = z.object({ enterpriseId: Id });
export const InvoiceParams = z.object({ invoiceId: Id });
export const DeclarationParams = z.object({ declarationId: Id });

export const Qualification = z.strictObject({
  type: QualificationType,
  number: freeText({ max: 60 }).describe('Licence, certificate or filing number'),
  validUntil: LocalDate.optional().describe('Last valid day; open-ended when absent'),
});

export const PutEnterpriseBody = z
  .strictObject({
    name: freeText({ max: 200 }),
    taxpayerId: TaxpayerId,
    qualification: Qualification.nullable().describe('null: the enterprise holds no qualification'),
    vatMethod: VatMethod,
    status: z.enum(['active', 'suspended']).describe('suspended: may not issue (e.g. late tax payment)'),
    siteIds: z
      .array(Id)
      .max(200)
      .default([])
      .describe('Stations or dismantling sites of the enterprise: their operators read its invoices'),
  })
  .meta({ id: 'PutEnterpriseBody' });

export const EnterpriseView = z
  .object({
    enterpriseId: Id,
    name: z.string(),
    taxpayerId: z.string(),
    qualification: Qualification.nullable(),
    vatMethod: VatMethod,
    status: z.enum(['active', 'suspended']),
    siteIds: z.array(Id),
  })
  .meta({ id: 'Enterprise' });

export const EnterpriseList = z.object({ items: z.array(EnterpriseView) }).meta({ id: 'EnterpriseList' });

const RecordKind = z.enum(['issued', 'reversed', 'refused']);

const feedFilters = {
  period: Month.optional().describe('Tax month of the document'),
  kind: RecordKind.optional(),
  sellerKey: SellerKey.optional(),
  since: IsoUtc.optional().describe('Start at this instant (when no cursor is given)'),
};

/**
 * The tax desk names an enterprise by name or credit code; both are checked by the use case, which
 * refuses a bad one in Chinese first naming the field (domain/enterprise-filter.ts).
 */
const enterpriseByName = {
  enterpriseName: z
    .string()
    .optional()
    .describe(
      "Part of the issuer's name (case, spaces and full-width forms ignored); at most 100 characters",
    ),
  creditCode: z
    .string()
    .optional()
    .describe("The issuer's unified social credit code (统一社会信用代码, 18 characters)"),
};

export const FeedQuery = z.object({
  cursor: freeText({ max: 200 }).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  enterpriseId: Id.optional(),
  ...enterpriseByName,
  ...feedFilters,
});

export const EnterpriseInvoicesQuery = z.object({
  cursor: FeedQuery.shape.cursor,
  limit: FeedQuery.shape.limit,
  ...feedFilters,
});

export const ExportQuery = z.object({
  format: z.enum(['csv', 'json']).default('csv'),
  limit: z.coerce.number().int().min(1).max(10_000).default(10_000),
  enterpriseId: Id.optional(),
  ...enterpriseByName,
  ...feedFilters,
});

export const FeedTotalsQuery = z.object({
  enterpriseId: Id.optional(),
  ...enterpriseByName,
  ...feedFilters,
});

export const FeedTotalsView = z
  .object({
    count: z.int().describe('Entries of the filter: invoices, red-letter invoices and refusals'),
    issued: z.int(),
    reversed: z.int().describe('Red-letter invoices'),
    refused: z.int(),
    amountFen: z.int().describe('Sum of amounts excluding VAT, in fen, net of red-letter invoices'),
    vatFen: z.int().describe('Sum of VAT, in fen, net of red-letter invoices'),
    totalFen: z.int().describe('amountFen + vatFen'),
    enterprises: z
      .array(z.object({ enterpriseId: Id, name: z.string(), taxpayerId: z.string() }))
      .describe('The enterprises the filter names (by id, name or credit code); empty without one'),
  })
  .meta({ id: 'FeedTotals' });

export const FeedEntry = z
  .object({
    id: Id,
    type: z.string().describe('The event type: recycling.invoice.issued|reversed|refused.v1'),
    kind: RecordKind,
    recordedAt: IsoUtc,
    data: z.record(z.string(), z.unknown()).describe('The event data, as published on recycling.invoices.v1'),
  })
  .meta({ id: 'FeedEntry' });

export const FeedPage = z
  .object({
    items: z.array(FeedEntry),
    nextCursor: z.string().nullable().describe('Continue after the last item; poll with it for more'),
  })
  .meta({ id: 'FeedPage' });

export const PrepareDeclarationBody = z
  .strictObject({
    enterpriseId: Id,
    period: z
      .string()
      .regex(/^20\d{2}-(0[1-9]|1[0-2])$/, 'YYYY-MM, a month of 2000 to 2099')
      .describe(
        'The month declared (YYYY-MM, city time zone): from the month reverse invoicing took effect in the city (its profile; 2024-04 in Alar) to the current month. Another month is 400 naming the field period',
      ),
  })
  .meta({ id: 'PrepareDeclarationBody' });

export const DeclarationsQuery = z.object({
  enterpriseId: Id.optional(),
  period: Month.optional(),
});

export const DeclarationExportQuery = z.object({ format: z.enum(['csv', 'json']).default('csv') });

export const DeclarationView = DeclarationPreparedData.meta({ id: 'Declaration' });
export const DeclarationList = z.object({ items: z.array(DeclarationView) }).meta({ id: 'DeclarationList' });

const Fen = z.int().describe('Integer fen (1 yuan = 100 fen); negative on a red-letter invoice');

export const ResidentInvoiceView = z
  .object({
    invoiceId: Id,
    invoiceNo: InvoiceNo,
    status: z
      .enum(['issued', 'reversed', 'red-letter'])
      .describe(
        'issued: in force; reversed: cancelled by a red-letter invoice (reversedByInvoiceNo); red-letter: the cancelling invoice (originalInvoiceNo)',
      ),
    invoiceKind: InvoiceKind,
    date: IsoUtc.describe('Invoice date and time'),
    period: Month.describe('Tax month of the invoice'),
    pickupId: Id.describe('The pickup the goods came through'),
    purchaseId: z.string(),
    enterprise: z
      .object({ enterpriseId: Id, name: z.string(), taxpayerId: z.string() })
      .describe('The buyer, who issued the invoice'),
    seller: z
      .object({ nameMasked: z.string(), idType: z.string(), idNumberMasked: z.string() })
      .describe('The seller, masked: the person who booked need not be the person who sold'),
    vatTreatment: VatTreatment,
    amountFen: Fen.describe('Amount excluding VAT, in fen'),
    vatFen: Fen.describe('VAT, in fen'),
    totalFen: Fen.describe('amountFen + vatFen'),
    incomeTaxWithheldFen: Fen.describe("The seller's income tax the enterprise withheld, in fen"),
    lines: z.array(
      z.object({
        goodsName: z.string(),
        unit: z.string(),
        quantity: z.string(),
        unitPriceFen: z.int(),
        amountFen: Fen,
      }),
    ),
    originalInvoiceNo: InvoiceNo.optional(),
    reason: z.object({ code: z.string(), note: z.string().optional() }).optional(),
    reversedByInvoiceNo: InvoiceNo.optional(),
  })
  .meta({ id: 'ResidentInvoice' });

export const ResidentInvoiceList = z
  .object({ items: z.array(ResidentInvoiceView).describe('Newest first') })
  .meta({ id: 'ResidentInvoiceList' });

/** A download: CSV (UTF-8 with a byte-order mark, headers Chinese first), or JSON when asked. */
export const CsvFile = z.string().describe('CSV, UTF-8 with BOM; headers Chinese first, amounts in yuan');

/** An invoice's printable copy. */
export const PdfFile = z.string().meta({ format: 'binary' }).describe('PDF, one A5 page');
