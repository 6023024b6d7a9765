// The HTTP API: used-car transactions from markets; targets, progress, rollups, exports, rebuilds and
// reconciliation for administrators (the commerce bureau and the development commission).
import type { CityProfile, MetricCode } from '@recycling/contracts';
import type { Messaging } from '@recycling/messaging';
import { HttpProblem, idempotent, principalOf, type IdempotencyGuard } from '@recycling/service-kit';
import type { Response } from 'express';
import type { Connection, Model } from 'mongoose';
import { counterKeyString, type Fields } from '../domain/facts';
import { addMonths, monthOf } from '../domain/months';
import { compareCells } from '../domain/reconcile';
import { decodeCursor, listUsedCarTransactions } from '../app/list-used-cars';
import { progressReport, type ProgressReport } from '../app/progress';
import { recordUsedCarTransaction } from '../app/record-used-car';
import type { RollupGenerations } from '../app/rollup-generations';
import type { CounterStore } from '../store/counters';
import type { GenerationStore } from '../store/generations';
import type { MarketMonthStore } from '../store/market-months';
import type { TargetStore, TargetDoc } from '../store/targets';
import type { UsedCarTransactionDoc } from '../store/used-car-transactions';
import { toCsv } from './csv';
import { route, type RouteSpec } from './route-spec';
import {
  AsOfQuery,
  GenerationParams,
  MetricParams,
  OwnerCountsBody,
  RebuildBody,
  RebuildIdempotencyHeader,
  ReconciliationQuery,
  RollupQuery,
  TargetBody,
  UsedCarBody,
  UsedCarListQuery,
} from './schemas';

export interface RouteContext {
  profile: CityProfile;
  counters: CounterStore;
  targets: TargetStore;
  generationStore: GenerationStore;
  generations: RollupGenerations;
  usedCars: Model<UsedCarTransactionDoc>;
  marketMonths: MarketMonthStore;
  messaging: Pick<Messaging, 'events' | 'relay'>;
  /** Where Idempotency-Key claims are kept. */
  connection: Connection;
  now?: () => Date;
}

const targetView = (t: TargetDoc) => ({
  metric: t._id,
  name: t.name,
  unit: t.unit,
  baseline: t.baseline,
  baselineAssumed: t.baselineAssumed,
  baselineYear: t.baselineYear,
  targetYear: t.targetYear,
  growthBp: t.growthBp,
  source: t.source,
  updatedAt: t.updatedAt.toISOString(),
  updatedBy: t.updatedBy,
});

const sendCsv = (res: Response, filename: string, csv: string) => {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.send(csv);
};

export function routeSpecs(ctx: RouteContext): RouteSpec[] {
  const now = () => (ctx.now ? ctx.now() : new Date());
  const currentMonth = () => monthOf(now(), ctx.profile.timezone);

  const loadTarget = async (metric: MetricCode): Promise<TargetDoc> => {
    const target = await ctx.targets.get(metric);
    if (!target) throw HttpProblem.notFound(`没有该指标的目标 / No target for ${metric}.`);
    return target;
  };

  // Created on first use: the route table is also built without a store (for the OpenAPI document).
  let rebuildGuard: IdempotencyGuard | undefined;
  const rebuildIdempotency: IdempotencyGuard = (req, res, work) => {
    rebuildGuard ??= idempotent({
      connection: ctx.connection,
      scopeOf: (r) => `rebuilds:${principalOf(r).sub}`,
      header: RebuildIdempotencyHeader,
      now,
    });
    return rebuildGuard(req, res, work);
  };

  const allProgress = async (asOf: string, breakdowns: boolean): Promise<ProgressReport[]> => {
    const gen = await ctx.generationStore.active();
    const targets = await ctx.targets.list();
    return Promise.all(targets.map((t) => progressReport(ctx.counters, gen, t, asOf, { breakdowns })));
  };

  return [
    route({
      method: 'post',
      path: '/used-car-transactions',
      summary: '登记二手车交易 / Record a used-car transaction (idempotent by transactionId)',
      roles: ['used-car-market'],
      schemas: { body: UsedCarBody },
      responses: {
        201: { description: '已登记 / Recorded' },
        200: { description: '此前已登记，内容相同 / Already recorded with the same content' },
        409: { description: '交易编号已用于不同内容 / The transaction id was used for different content' },
      },
      handler: async ({ body }, req, res) => {
        const principal = principalOf(req);
        if (!principal.scope) throw HttpProblem.forbidden('令牌缺少市场范围 / The token names no market.');
        const result = await recordUsedCarTransaction(
          {
            model: ctx.usedCars,
            messaging: ctx.messaging,
            profile: ctx.profile,
            marketMonths: ctx.marketMonths,
          },
          body,
          { marketId: principal.scope, by: principal.sub },
          now(),
        );
        res.status(result.created ? 201 : 200).json(result.transaction);
      },
    }),
    route({
      method: 'get',
      path: '/used-car-transactions',
      summary:
        '本市场登记的二手车交易（按成交日期倒序）/ A market\u2019s recorded used-car transactions, newest sale first',
      roles: ['used-car-market', 'administrator'],
      schemas: { query: UsedCarListQuery },
      responses: {
        200: { description: '交易列表，`nextCursor` 取下一页 / The page, and `nextCursor` for the next one' },
      },
      handler: async ({ query }, req, res) => {
        const principal = principalOf(req);
        let marketId: string;
        if (principal.role === 'used-car-market') {
          if (!principal.scope) throw HttpProblem.forbidden('令牌缺少市场范围 / The token names no market.');
          if (query.marketId && query.marketId !== principal.scope) {
            throw HttpProblem.forbidden('只能查看本市场的交易 / A market sees only its own transactions.');
          }
          marketId = principal.scope;
        } else {
          if (!query.marketId) {
            throw HttpProblem.badRequest('请指定市场 / Name the market.', [
              { field: 'query.marketId', message: 'required of administrators', code: 'invalid_type' },
            ]);
          }
          marketId = query.marketId;
        }
        const to =
          query.to ?? [currentMonth(), ...(query.from ? [addMonths(query.from, 59)] : [])].sort()[0]!;
        const from = query.from ?? addMonths(to, -11);
        const page = await listUsedCarTransactions(ctx.marketMonths, marketId, {
          from,
          to,
          limit: query.limit,
          after: query.cursor ? decodeCursor(query.cursor) : undefined,
        });
        res.json({ marketId, from, to, ...page });
      },
    }),
    route({
      method: 'get',
      path: '/targets',
      summary: '目标与基数 / Baselines and targets per metric',
      roles: ['administrator', 'city-official'],
      schemas: {},
      responses: { 200: { description: '目标列表 / The targets' } },
      handler: async (_input, _req, res) => {
        res.json({ targets: (await ctx.targets.list()).map(targetView) });
      },
    }),
    route({
      method: 'put',
      path: '/targets/:metric',
      summary: '设置目标与基数 / Set a metric\u2019s baseline and target',
      roles: ['administrator'],
      schemas: { params: MetricParams, body: TargetBody },
      responses: { 200: { description: '已更新 / Updated' } },
      handler: async ({ params, body }, req, res) => {
        const existing = await loadTarget(params.metric);
        const doc: TargetDoc = {
          ...existing,
          ...body,
          updatedAt: now(),
          updatedBy: principalOf(req).sub,
          source: 'administrator',
        };
        await ctx.targets.put(doc);
        res.json(targetView(doc));
      },
    }),
    route({
      method: 'get',
      path: '/progress',
      summary: '各目标进度 / Progress of every target',
      roles: ['administrator', 'city-official'],
      schemas: { query: AsOfQuery },
      responses: { 200: { description: '进度 / Progress with the monthly trajectory' } },
      handler: async ({ query }, _req, res) => {
        const asOf = query.asOf ?? currentMonth();
        res.json({
          asOf,
          generation: await ctx.generationStore.active(),
          targets: await allProgress(asOf, false),
        });
      },
    }),
    route({
      method: 'get',
      path: '/progress/:metric',
      summary: '单项目标进度（按月、区域、类别）/ Progress of one target by month, district and category',
      roles: ['administrator', 'city-official'],
      schemas: { params: MetricParams, query: AsOfQuery },
      responses: {
        200: { description: '进度 / Progress' },
        404: { description: '无此目标 / No such target' },
      },
      handler: async ({ params, query }, _req, res) => {
        const target = await loadTarget(params.metric);
        const gen = await ctx.generationStore.active();
        res.json(
          await progressReport(ctx.counters, gen, target, query.asOf ?? currentMonth(), { breakdowns: true }),
        );
      },
    }),
    route({
      method: 'get',
      path: '/rollups',
      summary: '统计汇总 / Rollup counters by month and dimension',
      roles: ['administrator', 'city-official'],
      schemas: { query: RollupQuery },
      responses: { 200: { description: '汇总 / Rows of month, value and fields' } },
      handler: async ({ query }, _req, res) => {
        const gen = await ctx.generationStore.active();
        const rows = await ctx.counters.cells(gen, query);
        res.json({ generation: gen, metric: query.metric, dim: query.dim, rows });
      },
    }),
    route({
      method: 'get',
      path: '/exports/rollups.csv',
      summary: '导出统计汇总 / Export rollups as CSV',
      roles: ['administrator', 'city-official'],
      schemas: { query: RollupQuery },
      responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
      handler: async ({ query }, _req, res) => {
        const gen = await ctx.generationStore.active();
        const rows = await ctx.counters.cells(gen, query);
        const fields = [...new Set(rows.flatMap((r) => Object.keys(r.fields)))].sort();
        const csv = toCsv(
          ['月份 month', '指标 metric', '维度 dimension', '取值 value', ...fields],
          rows.map((r) => [
            r.month,
            query.metric,
            query.dim,
            r.value,
            ...fields.map((f) => r.fields[f] ?? 0),
          ]),
        );
        sendCsv(res, `rollups-${query.metric}-${query.dim}-${query.from}-${query.to}.csv`, csv);
      },
    }),
    route({
      method: 'get',
      path: '/exports/progress.csv',
      summary: '导出目标进度 / Export progress of every target as CSV',
      roles: ['administrator', 'city-official'],
      schemas: { query: AsOfQuery },
      responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
      handler: async ({ query }, _req, res) => {
        const asOf = query.asOf ?? currentMonth();
        const reports = await allProgress(asOf, true);
        const rows: Array<Array<string | number | boolean | null>> = [];
        for (const p of reports) {
          rows.push([
            p.metric,
            p.name.zh,
            'total',
            asOf,
            p.yearToDate,
            p.baselineSamePeriod,
            p.growthVsBaseline,
            p.requiredYearToDate,
            p.projectedTargetYear,
            p.target.targetValue,
            p.onTrack,
          ]);
          for (const m of p.byMonth) {
            rows.push([
              p.metric,
              p.name.zh,
              'month',
              m.month,
              m.actual,
              m.baselineYearSameMonth,
              null,
              m.required,
              null,
              null,
              null,
            ]);
          }
          for (const [section, list] of [
            ['district', p.byDistrict ?? []],
            ['category', p.byCategory ?? []],
          ] as const) {
            for (const r of list) {
              rows.push([
                p.metric,
                p.name.zh,
                section,
                r.value,
                r.yearToDate,
                r.baselineSamePeriod,
                r.growthVsBaseline,
                null,
                null,
                null,
                r.lagging === null ? null : !r.lagging,
              ]);
            }
          }
        }
        const csv = toCsv(
          [
            '指标 metric',
            '名称 name',
            '分组 section',
            '键 key',
            '本年累计 year to date',
            '基期同期 baseline same period',
            '同比增长 growth',
            '应达累计 required',
            '预测目标年 projected target year',
            '目标值 target value',
            '达标 on track',
          ],
          rows,
        );
        sendCsv(res, `progress-${asOf}.csv`, csv);
      },
    }),
    route({
      method: 'post',
      path: '/rebuilds',
      summary:
        '从主题重建统计（同时只进行一个）/ Rebuild the rollups from the topics into a new generation (one at a time)',
      roles: ['administrator'],
      schemas: { body: RebuildBody },
      headers: RebuildIdempotencyHeader,
      responses: {
        202: {
          description:
            '已开始；Location 为完整状态（含各分区位置）/ Started: the status without the offsets per partition, which its Location has',
        },
        200: {
          description:
            '已有重建在进行，返回该重建而不另起 / A rebuild is already running: that one, none started',
        },
      },
      handler: async ({ body }, req, res) => {
        await rebuildIdempotency(req, res, async () => {
          const started = await ctx.generations.startRebuild({
            reason: body.reason,
            requestedBy: principalOf(req).sub,
          });
          // Without the offsets per partition: their keys (`recycling.pickups.v1~0`) have dots, which
          // the store refuses in the kept answer. `Location` has them.
          const {
            endOffsets: _end,
            position: _position,
            ...summary
          } = await ctx.generations.rebuildStatus(started.generation);
          return {
            status: started.created ? 202 : 200,
            body: summary,
            headers: { Location: `/rebuilds/${started.generation}` },
          };
        });
      },
    }),
    route({
      method: 'get',
      path: '/rebuilds/:generation',
      summary: '重建进度 / Status of a rebuild',
      roles: ['administrator'],
      schemas: { params: GenerationParams },
      responses: {
        200: { description: '状态 / Status' },
        404: { description: '无此代 / No such generation' },
      },
      handler: async ({ params }, _req, res) => {
        res.json(await ctx.generations.rebuildStatus(params.generation));
      },
    }),
    route({
      method: 'post',
      path: '/rebuilds/:generation/promote',
      summary: '启用重建结果 / Make a caught-up rebuild the active rollups',
      roles: ['administrator'],
      schemas: { params: GenerationParams },
      responses: {
        200: { description: '已启用 / Promoted' },
        409: { description: '尚未追平 / Not caught up' },
      },
      handler: async ({ params }, _req, res) => {
        await ctx.generations.promote(params.generation);
        res.json({ active: await ctx.generationStore.active() });
      },
    }),
    route({
      method: 'get',
      path: '/reconciliation',
      summary: '对账：增量统计与重建结果比较 / Compare the active rollups with a rebuild from the topics',
      roles: ['administrator'],
      schemas: { query: ReconciliationQuery },
      responses: { 200: { description: '差异 / Differences' } },
      handler: async ({ query }, _req, res) => {
        const active = await ctx.generationStore.active();
        if (query.generation === active) {
          throw HttpProblem.badRequest('请指定重建的一代 / Name a rebuild, not the active generation.', [
            { field: 'query.generation', message: 'is the active generation', code: 'invalid_value' },
          ]);
        }
        const rebuild = await ctx.generations.rebuildStatus(query.generation);
        const [activePosition, expected, actual] = await Promise.all([
          ctx.generations.position(active),
          ctx.counters.allCells(query.generation),
          ctx.counters.allCells(active),
        ]);
        const differences = compareCells(expected, actual);
        // Figures are only comparable when both groups have read exactly the same offsets.
        const parts = new Set([...Object.keys(activePosition), ...Object.keys(rebuild.position)]);
        // Negative offsets (-1 nothing committed, -2 reset to earliest) both mean nothing read yet.
        const at = (position: Record<string, string>, p: string) => Math.max(0, Number(position[p] ?? '-1'));
        const comparable = [...parts].every((p) => at(activePosition, p) === at(rebuild.position, p));
        res.json({
          active,
          rebuild: query.generation,
          rebuildCaughtUp: rebuild.caughtUp,
          comparable,
          cellsCompared: new Set([...expected.keys(), ...actual.keys()]).size,
          matches: differences.length === 0,
          differences: differences.slice(0, 1_000),
          differenceCount: differences.length,
          positions: { active: activePosition, rebuild: rebuild.position },
        });
      },
    }),
    route({
      method: 'post',
      path: '/reconciliation/owner-counts',
      summary: '对账：与业务方自报数比较 / Compare owners\u2019 own counts with the active rollups',
      roles: ['administrator'],
      schemas: { body: OwnerCountsBody },
      responses: { 200: { description: '差异 / Differences' } },
      handler: async ({ body }, _req, res) => {
        const gen = await ctx.generationStore.active();
        const expected = new Map<string, Fields>();
        const actual = new Map<string, Fields>();
        const byQuery = new Map<string, { metric: string; dim: string; months: Set<string> }>();
        for (const c of body.counts) {
          const key = counterKeyString(c);
          expected.set(key, { ...expected.get(key), [c.field]: c.count });
          const q = byQuery.get(`${c.metric}|${c.dim}`) ?? {
            metric: c.metric,
            dim: c.dim,
            months: new Set(),
          };
          q.months.add(c.month);
          byQuery.set(`${c.metric}|${c.dim}`, q);
        }
        for (const q of byQuery.values()) {
          const months = [...q.months].sort();
          const rows = await ctx.counters.cells(gen, {
            metric: q.metric,
            dim: q.dim,
            from: months[0] ?? '',
            to: months.at(-1) ?? '',
          });
          for (const r of rows) {
            const key = counterKeyString({ metric: q.metric, month: r.month, dim: q.dim, value: r.value });
            const wanted = expected.get(key);
            if (!wanted) continue;
            // Only the fields the owner reported are compared.
            actual.set(key, Object.fromEntries(Object.keys(wanted).map((f) => [f, r.fields[f] ?? 0])));
          }
        }
        const differences = compareCells(expected, actual);
        res.json({ owner: body.owner, generation: gen, matches: differences.length === 0, differences });
      },
    }),
  ];
}
