import type { CityProfile } from '@recycling/contracts';
import { endpoint, problemResponse, reply, ROLES, type Endpoint } from '@recycling/service-kit';
import { z } from 'zod';
import {
  submitCarClaim,
  resubmitCarClaim,
  type CarClaimInput,
  type ResubmissionInput,
} from '../app/car-claims';
import { getClaim, listOwnClaims } from '../app/claim-view';
import { todayOf, type SubsidyContext } from '../app/context';
import {
  listRetailerSales,
  recordCounterSale,
  returnCounterSale,
  type CounterSaleInput,
} from '../app/counter-sales';
import { fundOverview, monthlySpending, paymentChain, paymentsCsvRows, toCsv } from '../app/funds';
import { bankFileRows, getPaymentBatch, listPaymentBatches, releasePayments } from '../app/payments';
import { claimReimbursement, getReimbursement } from '../app/reimbursements';
import { getRetailer, listRetailers, putRetailer, type RetailerInput } from '../app/retailers';
import { approveClaim, rejectClaim, reviewQueue } from '../app/review';
import { newCarClaimId, newCounterSaleId, newPaymentBatchId, newReimbursementId } from '../domain/references';
import {
  ApproveBody,
  BatchesQuery,
  BatchParams,
  ClaimIdParams,
  ClaimList,
  ClaimView,
  CsvText,
  FundRow,
  FundsQuery,
  httpSchemas,
  MonthlyView,
  MonthQuery,
  PaymentBatchBody,
  PaymentBatchView,
  PaymentChainView,
  PaymentParams,
  ProgrammesView,
  ProgrammeYearParams,
  QueueQuery,
  QueueView,
  ReimbursementBody,
  ReimbursementParams,
  ReimbursementView,
  RejectBody,
  RetailerParams,
  RetailerView,
  ReturnBody,
  SaleParams,
  SalesQuery,
} from './schemas';

const REVIEWER = 'commerce-reviewer' as const;
const FINANCE = 'finance-officer' as const;
const ADMIN = 'administrator' as const;
const CITY = 'city-official' as const;
const RETAILER = 'retailer-operator' as const;

const notFound = problemResponse('未找到（或无权查看）/ Not found, or not visible to the caller');
const conflict = problemResponse(
  '与当前状态冲突或已被占用，code 与 details 说明原因 / Conflict: see code and details',
);
const ownRetailer = {
  rule: 'a retailer operator only its own retailer (scope = retailerId)',
  param: 'retailerId',
};
const csvOf = (
  res: { type(t: string): unknown; setHeader(n: string, v: string): unknown; send(b: string): unknown },
  name: string,
  body: string,
) => {
  res.type('text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
  res.send(body);
};

export function subsidyEndpoints(ctx: SubsidyContext, profile: CityProfile): Endpoint[] {
  const s = httpSchemas(profile);
  return [
    // ---- programmes (the rules as data) ------------------------------------------------------
    endpoint({
      method: 'get',
      path: '/programmes',
      operationId: 'listProgrammes',
      summary: { zh: '以旧换新补贴项目与年度规则', en: 'Trade-in programmes and their dated rules' },
      roles: [...ROLES],
      responses: {
        200: { description: '城市配置中的项目 / As in the city profile', schema: ProgrammesView },
      },
      handler: async () => ({ items: ctx.tradeIn.programmes as unknown as Record<string, unknown>[] }),
    }),

    // ---- residents' car claims ---------------------------------------------------------------
    endpoint({
      method: 'post',
      path: '/claims',
      operationId: 'submitCarClaim',
      summary: { zh: '提交汽车以旧换新补贴申请', en: 'Submit a car trade-in claim' },
      description:
        'The rule in force on the new car’s invoice date decides. 400 names every rule not met; 409 names the earlier claim (masked) that holds the old car, certificate, new car, invoice or the yearly seat. The claim then waits for its evidence (certificate and deregistration, or the used-car sale).',
      roles: ['resident'],
      scope: { rule: 'the claim is made by the resident of the token' },
      idempotency: { reserve: () => newCarClaimId(todayOf(ctx)) },
      request: { body: s.CarClaimBody },
      responses: {
        201: { description: '已受理，等待证明或进入审核 / Accepted', schema: ClaimView },
        409: conflict,
      },
      handler: async ({ body, principal, reserved }) => {
        const view = await submitCarClaim(ctx, principal, body as CarClaimInput, reserved!);
        return reply(201, view, { Location: `/claims/${view.claimId}` });
      },
    }),
    endpoint({
      method: 'get',
      path: '/claims/mine',
      operationId: 'listOwnClaims',
      summary: { zh: '我的补贴申请', en: 'The resident’s own claims' },
      roles: ['resident'],
      scope: { rule: 'the resident of the token' },
      responses: { 200: { description: '最新的在前 / Newest first', schema: ClaimList } },
      handler: async ({ principal }) => ({ items: await listOwnClaims(ctx, principal) }),
    }),
    endpoint({
      method: 'get',
      path: '/claims/:claimId',
      operationId: 'getClaim',
      summary: { zh: '查看申请', en: 'A claim with its evidence, flags and history' },
      roles: ['resident', RETAILER, REVIEWER, FINANCE, CITY, ADMIN],
      scope: { rule: 'a resident only their own claims; a retailer only its own sales; officials all' },
      request: { params: ClaimIdParams },
      responses: { 200: { description: '申请 / The claim', schema: ClaimView }, 404: notFound },
      handler: async ({ params, principal }) => getClaim(ctx, principal, params.claimId),
    }),
    endpoint({
      method: 'post',
      path: '/claims/:claimId/resubmit',
      operationId: 'resubmitClaim',
      summary: { zh: '补正后重新提交', en: 'Correct and resubmit a rejected claim' },
      description: 'Up to the programme year’s resubmission cap (409 resubmission-cap-reached).',
      roles: ['resident'],
      scope: { rule: 'a resident only their own claims' },
      request: { params: ClaimIdParams, body: s.ResubmitBody },
      responses: {
        200: { description: '已重新提交 / Resubmitted', schema: ClaimView },
        404: notFound,
        409: conflict,
      },
      handler: async ({ params, body, principal }) =>
        resubmitCarClaim(ctx, principal, params.claimId, body as ResubmissionInput),
    }),

    // ---- review --------------------------------------------------------------------------------
    endpoint({
      method: 'get',
      path: '/review-queue',
      operationId: 'reviewQueue',
      summary: { zh: '审核队列', en: 'A programme year’s queue, with evidence, flags and overdue claims' },
      roles: [REVIEWER, FINANCE, ADMIN],
      request: { query: QueueQuery },
      responses: { 200: { description: '逾期的在前 / Overdue first', schema: QueueView } },
      handler: async ({ query }) => reviewQueue(ctx, query),
    }),
    endpoint({
      method: 'post',
      path: '/claims/:claimId/approve',
      operationId: 'approveClaim',
      summary: { zh: '审核通过', en: 'Approve: commit the amount from the budget' },
      description: '409 budget-exhausted when the programme year’s budget has no room; never overspends.',
      roles: [REVIEWER],
      request: { params: ClaimIdParams, body: ApproveBody },
      responses: {
        200: { description: '已通过 / Approved', schema: ClaimView },
        404: notFound,
        409: conflict,
      },
      handler: async ({ params, body, principal }) => approveClaim(ctx, principal, params.claimId, body.note),
    }),
    endpoint({
      method: 'post',
      path: '/claims/:claimId/reject',
      operationId: 'rejectClaim',
      summary: { zh: '审核不通过（附原因）', en: 'Reject with reasons' },
      roles: [REVIEWER],
      request: { params: ClaimIdParams, body: RejectBody },
      responses: {
        200: { description: '已退回 / Rejected', schema: ClaimView },
        404: notFound,
        409: conflict,
      },
      handler: async ({ params, body, principal }) => rejectClaim(ctx, principal, params.claimId, body),
    }),

    // ---- retailers and their counter sales -------------------------------------------------
    endpoint({
      method: 'put',
      path: '/retailers/:retailerId',
      operationId: 'putRetailer',
      summary: { zh: '登记参与以旧换新的零售商', en: 'Register a participating retailer' },
      roles: [ADMIN],
      request: { params: RetailerParams, body: s.RetailerBody },
      responses: {
        200: { description: '已更新 / Updated', schema: RetailerView },
        201: { description: '已登记 / Registered', schema: RetailerView },
      },
      handler: async ({ params, body, principal }) => {
        const { retailer, created } = await putRetailer(
          ctx,
          principal,
          params.retailerId,
          body as RetailerInput,
        );
        return reply(created ? 201 : 200, retailer);
      },
    }),
    endpoint({
      method: 'get',
      path: '/retailers',
      operationId: 'listRetailers',
      summary: { zh: '参与的零售商', en: 'Participating retailers' },
      roles: [ADMIN, REVIEWER, FINANCE, CITY],
      responses: {
        200: { description: '按编号 / By id', schema: z.object({ items: z.array(RetailerView) }) },
      },
      handler: async () => ({ items: await listRetailers(ctx) }),
    }),
    endpoint({
      method: 'get',
      path: '/retailers/:retailerId',
      operationId: 'getRetailer',
      summary: { zh: '查看零售商', en: 'A retailer' },
      roles: [RETAILER, ADMIN, REVIEWER, FINANCE, CITY],
      scope: ownRetailer,
      request: { params: RetailerParams },
      responses: { 200: { description: '零售商 / The retailer', schema: RetailerView }, 404: notFound },
      handler: async ({ params }) => getRetailer(ctx, params.retailerId),
    }),
    endpoint({
      method: 'post',
      path: '/retailers/:retailerId/sales',
      operationId: 'recordCounterSale',
      summary: { zh: '柜台以旧换新销售', en: 'Record a trade-in sale at the counter' },
      description:
        'The subsidy of the rule in force on the sale date is taken off the price and committed from the budget (409 budget-exhausted). 409 names the earlier sale holding the unit, the invoice, or the buyer’s seats of the category this year.',
      roles: [RETAILER],
      scope: ownRetailer,
      idempotency: { reserve: () => newCounterSaleId(todayOf(ctx)) },
      request: { params: RetailerParams, body: s.CounterSaleBody },
      responses: {
        201: { description: '已登记，买方实付 buyerPaysFen / Recorded', schema: ClaimView },
        403: problemResponse('零售商未参加该项目 / The retailer does not take part'),
        409: conflict,
      },
      handler: async ({ params, body, principal, reserved }) => {
        const view = await recordCounterSale(
          ctx,
          principal,
          params.retailerId,
          body as CounterSaleInput,
          reserved!,
        );
        return reply(201, view, { Location: `/claims/${view.claimId}` });
      },
    }),
    endpoint({
      method: 'get',
      path: '/retailers/:retailerId/sales',
      operationId: 'listRetailerSales',
      summary: { zh: '零售商某月的以旧换新销售', en: 'A retailer’s sales of a month' },
      roles: [RETAILER, ADMIN, REVIEWER, FINANCE],
      scope: ownRetailer,
      request: { params: RetailerParams, query: SalesQuery },
      responses: { 200: { description: '最新的在前 / Newest first', schema: ClaimList } },
      handler: async ({ params, query }) => ({
        items: await listRetailerSales(ctx, params.retailerId, query.month ?? todayOf(ctx).slice(0, 7)),
      }),
    }),
    endpoint({
      method: 'post',
      path: '/retailers/:retailerId/sales/:claimId/return',
      operationId: 'returnCounterSale',
      summary: {
        zh: '退货：冲回补贴、恢复名额',
        en: 'Return: reverse the subsidy, restore the buyer’s quota',
      },
      roles: [RETAILER],
      scope: ownRetailer,
      request: { params: SaleParams, body: ReturnBody },
      responses: {
        200: { description: '已退货 / Returned', schema: ClaimView },
        404: notFound,
        409: conflict,
      },
      handler: async ({ params, body, principal }) =>
        returnCounterSale(ctx, principal, params.retailerId, params.claimId, body.reason),
    }),
    endpoint({
      method: 'post',
      path: '/retailers/:retailerId/reimbursements',
      operationId: 'claimReimbursement',
      summary: { zh: '申请结算垫付的补贴', en: 'Claim reimbursement of advanced discounts' },
      roles: [RETAILER],
      scope: ownRetailer,
      idempotency: { reserve: () => newReimbursementId(todayOf(ctx)) },
      request: { params: RetailerParams, body: ReimbursementBody },
      responses: {
        201: { description: '已提交审核 / Submitted for review', schema: ReimbursementView },
        409: conflict,
      },
      handler: async ({ params, body, principal, reserved }) => {
        const view = await claimReimbursement(ctx, principal, params.retailerId, body, reserved!);
        return reply(201, view);
      },
    }),
    endpoint({
      method: 'get',
      path: '/retailers/:retailerId/reimbursements/:reimbursementId',
      operationId: 'getReimbursement',
      summary: { zh: '查看结算申请', en: 'A reimbursement claim' },
      roles: [RETAILER, ADMIN, REVIEWER, FINANCE],
      scope: ownRetailer,
      request: { params: ReimbursementParams },
      responses: {
        200: { description: '结算申请 / The reimbursement', schema: ReimbursementView },
        404: notFound,
      },
      handler: async ({ params }) => getReimbursement(ctx, params.retailerId, params.reimbursementId),
    }),

    // ---- payment ----------------------------------------------------------------------------
    endpoint({
      method: 'post',
      path: '/payment-batches',
      operationId: 'releasePayments',
      summary: { zh: '批量拨付已通过的申请', en: 'Release payment of approved claims in a batch' },
      description:
        'Each claim is paid at most once (its payment id is claimed by insert); a retry completes the same batch.',
      roles: [FINANCE],
      idempotency: { reserve: () => newPaymentBatchId(todayOf(ctx)) },
      request: { body: PaymentBatchBody },
      responses: { 201: { description: '已拨付 / Released', schema: PaymentBatchView } },
      handler: async ({ body, principal, reserved }) =>
        reply(201, await releasePayments(ctx, principal, body, reserved!)),
    }),
    endpoint({
      method: 'get',
      path: '/payment-batches',
      operationId: 'listPaymentBatches',
      summary: { zh: '某项目年度的拨付批次', en: 'A programme year’s payment batches' },
      description: 'Newest first, the last 50.',
      roles: [FINANCE, CITY, ADMIN],
      request: { query: BatchesQuery },
      responses: {
        200: {
          description: '最新的在前 / Newest first',
          schema: z.object({ items: z.array(PaymentBatchView) }),
        },
      },
      handler: async ({ query }) => ({
        items: await listPaymentBatches(ctx, query.programmeCode, query.year),
      }),
    }),
    endpoint({
      method: 'get',
      path: '/payment-batches/:batchId',
      operationId: 'getPaymentBatch',
      summary: { zh: '查看拨付批次', en: 'A payment batch' },
      roles: [FINANCE, CITY, ADMIN],
      request: { params: BatchParams },
      responses: { 200: { description: '拨付批次 / The batch', schema: PaymentBatchView }, 404: notFound },
      handler: async ({ params }) => getPaymentBatch(ctx, params.batchId),
    }),
    endpoint({
      method: 'get',
      path: '/payment-batches/:batchId/bank-file',
      operationId: 'bankFile',
      summary: { zh: '银行代发文件（含完整卡号）', en: 'The bank transfer file (full card numbers)' },
      description: 'The only answer with full card numbers: finance officers only, never cached.',
      roles: [FINANCE],
      request: { params: BatchParams },
      responses: {
        200: { description: 'CSV', schema: CsvText, contentType: 'text/csv' },
        404: notFound,
      },
      handler: async ({ params, res }) => {
        const rows = await bankFileRows(ctx, params.batchId);
        res.setHeader('Cache-Control', 'no-store');
        csvOf(res, `bank-file-${params.batchId}.csv`, toCsv(rows));
      },
    }),

    // ---- oversight of the fund ----------------------------------------------------------------
    endpoint({
      method: 'get',
      path: '/funds',
      operationId: 'fundOverview',
      summary: {
        zh: '资金总览：预算、已承诺、已拨付、已冲回、余额',
        en: 'Budget, committed, paid, reversed, remaining',
      },
      roles: [FINANCE, CITY, ADMIN, REVIEWER],
      request: { query: FundsQuery },
      responses: {
        200: {
          description: '按项目年度 / Per programme year',
          schema: z.object({ items: z.array(FundRow) }),
        },
      },
      handler: async ({ query }) => ({ items: await fundOverview(ctx, query.year) }),
    }),
    endpoint({
      method: 'get',
      path: '/funds/:programmeCode/:year/monthly',
      operationId: 'monthlySpending',
      summary: { zh: '月度支出（北京时间自然月）', en: 'Monthly spending (Asia/Shanghai months)' },
      roles: [FINANCE, CITY, ADMIN],
      request: { params: ProgrammeYearParams },
      responses: { 200: { description: '按月 / By month', schema: MonthlyView } },
      handler: async ({ params }) => monthlySpending(ctx, params.programmeCode, params.year),
    }),
    endpoint({
      method: 'get',
      path: '/payments/:paymentId/chain',
      operationId: 'paymentChain',
      summary: {
        zh: '支付全链条：申请、证明事件、审核、拨付',
        en: 'A payment’s whole chain: claim, evidence, decisions, money',
      },
      roles: [FINANCE, CITY, ADMIN],
      request: { params: PaymentParams },
      responses: { 200: { description: '全链条 / The chain', schema: PaymentChainView }, 404: notFound },
      handler: async ({ params }) => paymentChain(ctx, params.paymentId),
    }),
    endpoint({
      method: 'get',
      path: '/exports/payments.csv',
      operationId: 'exportPayments',
      summary: {
        zh: '导出某月支付（CSV，北京时间）',
        en: 'A month’s payments as CSV (local times with offset)',
      },
      roles: [FINANCE, CITY, ADMIN],
      request: { query: MonthQuery },
      responses: { 200: { description: 'CSV', schema: CsvText, contentType: 'text/csv' } },
      handler: async ({ query, res }) => {
        csvOf(res, `subsidy-payments-${query.month}.csv`, toCsv(await paymentsCsvRows(ctx, query.month)));
      },
    }),
  ];
}
