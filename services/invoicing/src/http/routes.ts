import { residentKeyOf, type DeclarationPreparedData } from '@recycling/contracts';
import { HttpProblem, ROLES, authorize, principalOf, validated } from '@recycling/service-kit';
import type { Request, Response, Router } from 'express';
import type { AppContext } from '../app/context';
import { prepareDeclaration } from '../app/declarations';
import { getEnterprise, listEnterprises, putEnterprise } from '../app/enterprises';
import { residentInvoices } from '../app/resident-invoices';
import {
  InvalidCursorError,
  getInvoiceRecord,
  readFeed,
  toFeedEntry,
  type FeedFilter,
} from '../app/invoice-feed';
import { assertEnterpriseScope } from './access';
import { declarationCsv, invoicesCsv } from './csv';
import { openApiDocument } from './openapi';
import { route, type RouteDef } from './route';
import {
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
  InvoiceParams,
  PrepareDeclarationBody,
  PutEnterpriseBody,
  ResidentInvoiceList,
} from './schemas';

export interface RouteOptions {
  /** How old a feed entry must be before the feed shows it (see app/invoice-feed.ts). */
  feedSettleMs: number;
}

const OPERATORS = ['station-operator', 'dismantler-operator'] as const;
const READERS = ['tax-officer', 'administrator', ...OPERATORS] as const;

const notFound = (what: string) => new HttpProblem(404, undefined, `未找到 / ${what} not found`);

const badCursor = () =>
  new HttpProblem(400, 'Validation failed', 'Invalid field: query.cursor', {
    title_zh: '输入有误',
    errors: [{ field: 'query.cursor', message: 'not a cursor this feed issued', code: 'custom' }],
  });

async function feedOrBadCursor<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw badCursor();
    throw error;
  }
}

const download = (res: Response, name: string, type: string, body: string) => {
  res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
  res.type(type).send(body);
};

export function routeTable(ctx: AppContext, options: RouteOptions): RouteDef[] {
  const routes: RouteDef[] = [
    route({
      method: 'put',
      path: '/enterprises/:enterpriseId',
      summary: '登记或更新开票企业 / Create or replace an issuing enterprise',
      roles: ['administrator'],
      schemas: { params: EnterpriseParams, body: PutEnterpriseBody },
      responses: {
        200: { description: 'Replaced', schema: EnterpriseView },
        201: { description: 'Created', schema: EnterpriseView },
      },
      handler: async ({ params, body }, _req, res) => {
        const enterprise = { enterpriseId: params.enterpriseId, ...body };
        const { created } = await putEnterprise(ctx, enterprise);
        res.status(created ? 201 : 200).json(enterprise);
      },
    }),
    route({
      method: 'get',
      path: '/enterprises',
      summary: '开票企业列表 / List issuing enterprises',
      roles: ['administrator', 'tax-officer'],
      schemas: {},
      responses: { 200: { description: 'Enterprises', schema: EnterpriseList } },
      handler: async (_input, _req, res) => {
        res.json({ items: await listEnterprises(ctx) });
      },
    }),
    route({
      method: 'get',
      path: '/enterprises/:enterpriseId',
      summary: '开票企业 / An issuing enterprise',
      roles: [...READERS],
      schemas: { params: EnterpriseParams },
      responses: { 200: { description: 'The enterprise', schema: EnterpriseView } },
      handler: async ({ params }, req, res) => {
        await assertEnterpriseScope(ctx, principalOf(req), params.enterpriseId);
        const enterprise = await getEnterprise(ctx, params.enterpriseId);
        if (!enterprise) throw notFound('enterprise');
        res.json(enterprise);
      },
    }),
    route({
      method: 'get',
      path: '/enterprises/:enterpriseId/invoices',
      summary: '本企业开具的发票 / Invoices of one enterprise, paged by cursor',
      roles: [...READERS],
      schemas: { params: EnterpriseParams, query: EnterpriseInvoicesQuery },
      responses: { 200: { description: 'A page of invoices', schema: FeedPage } },
      handler: async ({ params, query }, req, res) => {
        await assertEnterpriseScope(ctx, principalOf(req), params.enterpriseId);
        const { cursor, limit, ...filter } = query;
        res.json(
          await feedOrBadCursor(() =>
            readFeed(
              ctx,
              { ...filter, enterpriseId: params.enterpriseId },
              { cursor, limit, settleMs: options.feedSettleMs },
            ),
          ),
        );
      },
    }),
    route({
      method: 'get',
      path: '/invoices/:invoiceId',
      summary: '一张发票（蓝字、红字或不予开具） / One invoice, reversal or refusal',
      roles: [...READERS],
      schemas: { params: InvoiceParams },
      responses: { 200: { description: 'The invoice', schema: FeedEntry } },
      handler: async ({ params }, req, res) => {
        const record = await getInvoiceRecord(ctx, params.invoiceId);
        if (!record) throw notFound('invoice');
        await assertEnterpriseScope(ctx, principalOf(req), record.issuerId);
        res.json(toFeedEntry(record));
      },
    }),
    route({
      method: 'get',
      path: '/feed/invoices',
      summary: '税务机关发票数据流 / The tax office feed of invoice events, paged by cursor',
      roles: ['tax-officer', 'administrator'],
      schemas: { query: FeedQuery },
      responses: { 200: { description: 'A page of the feed', schema: FeedPage } },
      handler: async ({ query }, _req, res) => {
        const { cursor, limit, ...filter } = query;
        res.json(
          await feedOrBadCursor(() =>
            readFeed(ctx, filter as FeedFilter, { cursor, limit, settleMs: options.feedSettleMs }),
          ),
        );
      },
    }),
    route({
      method: 'get',
      path: '/feed/invoices/export',
      summary: '导出发票数据（CSV 或 JSON） / Export the feed as CSV or JSON',
      roles: ['tax-officer', 'administrator'],
      schemas: { query: ExportQuery },
      responses: {
        200: { description: 'invoices.csv or invoices.json', contentType: 'text/csv' },
      },
      handler: async ({ query }, _req, res) => {
        const { format, limit, ...filter } = query;
        const page = await readFeed(ctx, filter, { limit, settleMs: options.feedSettleMs });
        if (format === 'json') {
          download(res, 'invoices.json', 'application/json', JSON.stringify(page.items));
        } else {
          download(res, 'invoices.csv', 'text/csv; charset=utf-8', invoicesCsv(page.items));
        }
      },
    }),
    route({
      method: 'get',
      path: '/residents/me/invoices',
      summary:
        '我的发票：经我预约的上门回收所开具的反向发票（含红冲） / My invoices: reverse invoices of the purchases that came through my pickups, red-letter ones included',
      roles: ['resident'],
      schemas: {},
      responses: { 200: { description: 'The invoices, newest first', schema: ResidentInvoiceList } },
      handler: async (_input, req, res) => {
        // As pickup and dismantling do: the token names the account, pickup events its keyed hash.
        const principal = principalOf(req);
        const residentKey = residentKeyOf(principal.scope ?? principal.sub, ctx.residentKeySecret);
        res.json({ items: await residentInvoices(ctx, residentKey) });
      },
    }),
    route({
      method: 'post',
      path: '/declarations',
      summary: '生成代办税费报告表及明细 / Prepare a monthly withholding declaration',
      roles: ['administrator'],
      schemas: { body: PrepareDeclarationBody },
      responses: {
        200: { description: 'Unchanged: the current revision', schema: DeclarationView },
        201: { description: 'Prepared: a new revision', schema: DeclarationView },
      },
      handler: async ({ body }, _req, res) => {
        const { declaration, changed } = await prepareDeclaration(ctx, body.enterpriseId, body.period);
        res.status(changed ? 201 : 200).json(declaration);
      },
    }),
    route({
      method: 'get',
      path: '/declarations',
      summary: '申报列表 / Declarations, by enterprise and period',
      roles: [...READERS],
      schemas: { query: DeclarationsQuery },
      responses: { 200: { description: 'Declarations', schema: DeclarationList } },
      handler: async ({ query }, req, res) => {
        const principal = principalOf(req);
        if (!query.enterpriseId && !['tax-officer', 'administrator'].includes(principal.role)) {
          throw new HttpProblem(400, 'Validation failed', 'Invalid field: query.enterpriseId', {
            title_zh: '输入有误',
            errors: [
              { field: 'query.enterpriseId', message: 'Required for operators', code: 'invalid_type' },
            ],
          });
        }
        if (query.enterpriseId) await assertEnterpriseScope(ctx, principal, query.enterpriseId);
        const filter: Record<string, string> = {};
        if (query.enterpriseId) filter.enterpriseId = query.enterpriseId;
        if (query.period) filter.period = query.period;
        const docs = await ctx.models.Declaration.find(filter, { data: 1 })
          .sort({ period: -1, enterpriseId: 1 })
          .limit(1_000)
          .lean();
        res.json({ items: docs.map((d) => d.data) });
      },
    }),
    route({
      method: 'get',
      path: '/declarations/:declarationId',
      summary: '一份申报 / One declaration (latest revision)',
      roles: [...READERS],
      schemas: { params: DeclarationParams },
      responses: { 200: { description: 'The declaration', schema: DeclarationView } },
      handler: async ({ params }, req, res) => {
        res.json(await loadDeclaration(params.declarationId, req));
      },
    }),
    route({
      method: 'get',
      path: '/declarations/:declarationId/export',
      summary: '下载申报（CSV 或 JSON） / Download a declaration as CSV or JSON',
      roles: [...READERS],
      schemas: { params: DeclarationParams, query: DeclarationExportQuery },
      responses: { 200: { description: '<declarationId>.csv or .json', contentType: 'text/csv' } },
      handler: async ({ params, query }, req, res) => {
        const declaration = await loadDeclaration(params.declarationId, req);
        if (query.format === 'json') {
          download(res, `${declaration.declarationId}.json`, 'application/json', JSON.stringify(declaration));
        } else {
          download(
            res,
            `${declaration.declarationId}.csv`,
            'text/csv; charset=utf-8',
            declarationCsv(declaration),
          );
        }
      },
    }),
    route({
      method: 'get',
      path: '/openapi.json',
      summary: 'OpenAPI 3.1 文档 / This API as OpenAPI 3.1',
      roles: [...ROLES],
      schemas: {},
      responses: { 200: { description: 'The OpenAPI document' } },
      handler: async (_input, _req, res) => {
        res.json(openApiDocument(routes));
      },
    }),
  ];

  async function loadDeclaration(declarationId: string, req: Request): Promise<DeclarationPreparedData> {
    const doc = await ctx.models.Declaration.findById(declarationId, { data: 1, enterpriseId: 1 }).lean();
    if (!doc) throw notFound('declaration');
    await assertEnterpriseScope(ctx, principalOf(req), doc.enterpriseId);
    return doc.data as unknown as DeclarationPreparedData;
  }

  return routes;
}

export function mountRoutes(router: Router, routes: readonly RouteDef[]): void {
  for (const r of routes) {
    router[r.method](
      r.path,
      authorize(...r.roles),
      validated(r.schemas, (input, req, res) => r.handler(input as never, req, res)),
    );
  }
}
