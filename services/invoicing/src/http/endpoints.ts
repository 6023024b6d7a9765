import { endpoint, problemResponse, reply, type Endpoint } from '@recycling/service-kit';
import type { Response } from 'express';
import type { z } from 'zod';
import { getDeclaration, listDeclarations, prepareDeclaration } from '../app/declarations';
import { getEnterprise, listEnterprises, putEnterprise } from '../app/enterprises';
import type { InvoicingContext } from '../app/context';
import { invoiceDocument } from '../app/invoice-document';
import { feedTotals, getInvoice, readEnterpriseInvoices, readFeed } from '../app/invoice-feed';
import { myInvoices } from '../app/resident-invoices';
import { declarationCsv, invoicesCsv } from './csv';
import { invoicePdf } from './invoice-pdf';
import {
  CsvFile,
  DeclarationExportQuery,
  DeclarationList,
  DeclarationParams,
  DeclarationView,
  DeclarationsQuery,
  EnterpriseInvoicesQuery,
  EnterpriseList,
  EnterpriseParams,
  EnterpriseView,
  ExportQuery,
  FeedEntry,
  FeedPage,
  FeedQuery,
  FeedTotalsQuery,
  FeedTotalsView,
  InvoiceParams,
  PdfFile,
  PrepareDeclarationBody,
  PutEnterpriseBody,
  ResidentInvoiceList,
} from './schemas';

const OPERATORS = ['station-operator', 'dismantler-operator'] as const;
const CITY = ['tax-officer', 'administrator'] as const;
const READERS = [...CITY, ...OPERATORS] as const;

/** Operators read what belongs to their enterprise; the kit cannot check it from the path alone. */
const ownEnterprise = {
  rule: 'an operator only the enterprise whose id, or one of whose siteIds, is its token scope',
};
const notFound = (what: string) => problemResponse(`未找到 / No such ${what}`);

/** Answers with a file to download, `<name>.csv` or `<name>.json`: the handler writes `res` itself. */
function download(res: Response, name: string, format: 'csv' | 'json', json: unknown, csv: () => string) {
  res.setHeader('Content-Disposition', `attachment; filename="${name}.${format}"`);
  if (format === 'json') res.type('application/json').send(JSON.stringify(json));
  else res.type('text/csv; charset=utf-8').send(csv());
}

const csvDownload = (description: string, json: z.ZodType) => ({
  description: `${description}（format=json 时为 JSON / JSON with format=json）`,
  schema: CsvFile,
  contentType: 'text/csv',
  alternatives: { 'application/json': json },
});

export function invoicingEndpoints(ctx: InvoicingContext): Endpoint[] {
  return [
    endpoint({
      method: 'put',
      path: '/enterprises/:enterpriseId',
      operationId: 'putEnterprise',
      summary: { zh: '登记或更新开票企业', en: 'Create or replace an issuing enterprise' },
      roles: ['administrator'],
      request: { params: EnterpriseParams, body: PutEnterpriseBody },
      responses: {
        200: { description: '已更新 / Replaced', schema: EnterpriseView },
        201: { description: '已登记 / Created', schema: EnterpriseView },
      },
      handler: async ({ params, body }) => {
        const { enterprise, created } = await putEnterprise(ctx, params.enterpriseId, body);
        return reply(created ? 201 : 200, enterprise);
      },
    }),
    endpoint({
      method: 'get',
      path: '/enterprises',
      operationId: 'listEnterprises',
      summary: { zh: '开票企业列表', en: 'List issuing enterprises' },
      roles: [...CITY],
      responses: { 200: { description: '按编号 / By id', schema: EnterpriseList } },
      handler: async () => ({ items: await listEnterprises(ctx) }),
    }),
    endpoint({
      method: 'get',
      path: '/enterprises/:enterpriseId',
      operationId: 'getEnterprise',
      summary: { zh: '开票企业', en: 'An issuing enterprise' },
      roles: [...READERS],
      scope: ownEnterprise,
      request: { params: EnterpriseParams },
      responses: {
        200: { description: '企业 / The enterprise', schema: EnterpriseView },
        404: notFound('enterprise'),
      },
      handler: async ({ params, principal }) => getEnterprise(ctx, principal, params.enterpriseId),
    }),
    endpoint({
      method: 'get',
      path: '/enterprises/:enterpriseId/invoices',
      operationId: 'listEnterpriseInvoices',
      summary: { zh: '本企业开具的发票', en: 'Invoices of one enterprise, paged by cursor' },
      roles: [...READERS],
      scope: ownEnterprise,
      request: { params: EnterpriseParams, query: EnterpriseInvoicesQuery },
      responses: { 200: { description: '一页发票 / A page of invoices', schema: FeedPage } },
      handler: async ({ params, query, principal }) => {
        const { cursor, limit, ...filter } = query;
        return readEnterpriseInvoices(ctx, principal, params.enterpriseId, filter, { cursor, limit });
      },
    }),
    endpoint({
      method: 'get',
      path: '/invoices/:invoiceId',
      operationId: 'getInvoice',
      summary: {
        zh: '一张发票（蓝字、红字或不予开具）',
        en: 'One invoice, reversal or refusal',
      },
      roles: [...READERS],
      scope: ownEnterprise,
      request: { params: InvoiceParams },
      responses: {
        200: { description: '发票 / The invoice', schema: FeedEntry },
        404: notFound('invoice'),
      },
      handler: async ({ params, principal }) => getInvoice(ctx, principal, params.invoiceId),
    }),
    endpoint({
      method: 'get',
      path: '/invoices/:invoiceId/pdf',
      operationId: 'downloadInvoicePdf',
      summary: { zh: '下载发票（PDF 版式文件）', en: 'Download an invoice or red-letter invoice as a PDF' },
      description:
        'The fields of a fully digitalised electronic invoice; the seller (a person) masked. A refusal is no invoice (404).',
      roles: ['resident', ...READERS],
      scope: {
        rule: "a resident only the invoices of the pickups they booked (another's answers 404); an operator only its enterprise's",
      },
      request: { params: InvoiceParams },
      responses: {
        200: {
          description: '发票 PDF / The invoice as a PDF',
          schema: PdfFile,
          contentType: 'application/pdf',
        },
        404: notFound('invoice'),
      },
      handler: async ({ params, principal, res }) => {
        const document = await invoiceDocument(ctx, principal, params.invoiceId);
        const pdf = await invoicePdf(document);
        res.setHeader('Content-Disposition', `attachment; filename="invoice-${document.invoiceNo}.pdf"`);
        res.setHeader('Cache-Control', 'private, no-store');
        res.type('application/pdf').send(pdf);
      },
    }),
    endpoint({
      method: 'get',
      path: '/feed/invoices/totals',
      operationId: 'invoiceFeedTotals',
      summary: {
        zh: '发票数据流合计（按筛选条件）',
        en: 'Totals of the feed for a filter: counts, amount, VAT',
      },
      roles: [...CITY],
      request: { query: FeedTotalsQuery },
      responses: { 200: { description: '合计 / The totals', schema: FeedTotalsView } },
      handler: async ({ query }) => feedTotals(ctx, query),
    }),
    endpoint({
      method: 'get',
      path: '/feed/invoices',
      operationId: 'readInvoiceFeed',
      summary: {
        zh: '税务机关发票数据流',
        en: 'The tax office feed of invoice events, paged by cursor',
      },
      roles: [...CITY],
      request: { query: FeedQuery },
      responses: { 200: { description: '数据流的一页 / A page of the feed', schema: FeedPage } },
      handler: async ({ query }) => {
        const { cursor, limit, ...filter } = query;
        return readFeed(ctx, filter, { cursor, limit });
      },
    }),
    endpoint({
      method: 'get',
      path: '/feed/invoices/export',
      operationId: 'exportInvoiceFeed',
      summary: { zh: '导出发票数据（CSV 或 JSON）', en: 'Export the feed as CSV or JSON' },
      roles: [...CITY],
      request: { query: ExportQuery },
      responses: { 200: csvDownload('invoices.csv', FeedPage.shape.items) },
      handler: async ({ query, res }) => {
        const { format, limit, ...filter } = query;
        const page = await readFeed(ctx, filter, { limit });
        download(res, 'invoices', format, page.items, () => invoicesCsv(page.items, ctx.profile.timezone));
      },
    }),
    endpoint({
      method: 'get',
      path: '/residents/me/invoices',
      operationId: 'listMyInvoices',
      summary: {
        zh: '我的发票：经我预约的上门回收所开具的反向发票（含红冲）',
        en: 'My invoices: reverse invoices of the purchases that came through my pickups, red-letter ones included',
      },
      roles: ['resident'],
      scope: { rule: "the invoices of the token's resident's pickups only" },
      responses: {
        200: { description: '最新在前 / The invoices, newest first', schema: ResidentInvoiceList },
      },
      handler: async ({ principal }) => ({ items: await myInvoices(ctx, principal) }),
    }),
    endpoint({
      method: 'post',
      path: '/declarations',
      operationId: 'prepareDeclaration',
      summary: { zh: '生成代办税费报告表及明细', en: 'Prepare a monthly withholding declaration' },
      description:
        'An unchanged declaration is answered as it is (200, no new revision, no event); a changed one gets the next revision (201) and a declaration.prepared event.',
      roles: ['administrator'],
      request: { body: PrepareDeclarationBody },
      responses: {
        200: { description: '无变化：当前版本 / Unchanged: the current revision', schema: DeclarationView },
        201: { description: '已生成新版本 / Prepared: a new revision', schema: DeclarationView },
        404: notFound('enterprise'),
      },
      handler: async ({ body }) => {
        const { declaration, changed } = await prepareDeclaration(ctx, body.enterpriseId, body.period);
        return reply(changed ? 201 : 200, declaration);
      },
    }),
    endpoint({
      method: 'get',
      path: '/declarations',
      operationId: 'listDeclarations',
      summary: { zh: '申报列表', en: 'Declarations, by enterprise and period' },
      description: 'Operators must name their enterprise (enterpriseId); city-wide roles need not.',
      roles: [...READERS],
      scope: ownEnterprise,
      request: { query: DeclarationsQuery },
      responses: { 200: { description: '最新期间在前 / Newest period first', schema: DeclarationList } },
      handler: async ({ query, principal }) => ({ items: await listDeclarations(ctx, principal, query) }),
    }),
    endpoint({
      method: 'get',
      path: '/declarations/:declarationId',
      operationId: 'getDeclaration',
      summary: { zh: '一份申报', en: 'One declaration (latest revision)' },
      roles: [...READERS],
      scope: ownEnterprise,
      request: { params: DeclarationParams },
      responses: {
        200: { description: '申报 / The declaration', schema: DeclarationView },
        404: notFound('declaration'),
      },
      handler: async ({ params, principal }) => getDeclaration(ctx, principal, params.declarationId),
    }),
    endpoint({
      method: 'get',
      path: '/declarations/:declarationId/export',
      operationId: 'exportDeclaration',
      summary: { zh: '下载申报（CSV 或 JSON）', en: 'Download a declaration as CSV or JSON' },
      roles: [...READERS],
      scope: ownEnterprise,
      request: { params: DeclarationParams, query: DeclarationExportQuery },
      responses: { 200: csvDownload('<declarationId>.csv', DeclarationView), 404: notFound('declaration') },
      handler: async ({ params, query, principal, res }) => {
        const declaration = await getDeclaration(ctx, principal, params.declarationId);
        download(res, declaration.declarationId, query.format, declaration, () =>
          declarationCsv(declaration),
        );
      },
    }),
  ];
}
