// The city dashboard: each of the three targets with this year's months against the required
// trajectory, the path from the baseline year to the target year with the projection, breakdowns by
// district, category and month, and the pickup funnel. Figures come from the statistics service.
import { useMemo } from 'react';
import { Chart, type ChartOption } from '../components/Chart';
import { ProblemView } from '../components/ProblemView';
import { api, asList } from '../lib/api';
import { useApp, type Label } from '../lib/context';
import { requiredTrajectory } from '../lib/trajectory';
import { localMonth } from '../lib/units';
import { useLoad } from '../lib/use-load';

interface BreakdownRow {
  value: string;
  yearToDate: number;
  baselineSamePeriod: number;
  growthVsBaseline: number | null;
  lagging: boolean | null;
}

interface ProgressReport {
  metric: string;
  asOf: string;
  year: number;
  name: Label;
  unit: Label;
  baselineAssumed: boolean;
  target: {
    baseline: number;
    baselineYear: number;
    targetYear: number;
    growthBp: number;
    targetValue: number;
  };
  yearToDate: number;
  requiredYearToDate: number;
  requiredForYear: number;
  projectedCurrentYear: number;
  projectedTargetYear: number;
  aheadOfTrajectory: boolean;
  onTrack: boolean;
  byMonth: Array<{ month: string; actual: number; baselineYearSameMonth: number; required: number }>;
  byDistrict?: BreakdownRow[];
  byCategory?: BreakdownRow[];
}

interface RollupRow {
  month: string;
  value: string;
  fields: Record<string, number>;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export function Dashboard() {
  const { t, l, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const asOf = localMonth(tz);
  const metrics = reference?.targets.metrics ?? [];

  const reports = useLoad(
    (signal) =>
      Promise.all(
        metrics.map((m) =>
          api<ProgressReport>('statistics', `progress/${encodeURIComponent(m.code)}`, {
            query: { asOf },
            signal,
          }),
        ),
      ),
    [metrics.map((m) => m.code).join(','), asOf],
  );
  const funnel = useLoad(
    (signal) =>
      api<unknown>('statistics', 'rollups', {
        query: { metric: 'pickups', dim: 'all', from: `${asOf.slice(0, 4)}-01`, to: asOf },
        signal,
      }).then((r) => asList<RollupRow>(r, 'rows')),
    [asOf],
  );

  const funnelTotals = useMemo(() => {
    const totals: Record<string, number> = {
      requested: 0,
      scheduled: 0,
      collected: 0,
      delivered: 0,
      cancelled: 0,
      failed: 0,
    };
    for (const row of funnel.data ?? [])
      for (const [k, v] of Object.entries(row.fields)) totals[k] = (totals[k] ?? 0) + v;
    return totals;
  }, [funnel.data]);

  const appliances = reports.data?.find((r) => r.metric === 'appliances-recovered');

  return (
    <div className="dashboard">
      <div className="card-head">
        <h1>
          {t('nav.dashboard')} · {asOf}
        </h1>
        <button
          type="button"
          className="link"
          onClick={() => (reports.reload(), funnel.reload())}
          data-testid="dashboard-refresh"
        >
          {t('refresh')}
        </button>
      </div>
      <ProblemView error={reports.error} />
      <div className="grid three">
        {(reports.data ?? []).map((r) => (
          <TargetCard key={r.metric} report={r} />
        ))}
      </div>

      {appliances ? (
        <div className="grid two">
          <section className="card">
            <h2>
              {l(appliances.name)} · {t('byDistrict')}
            </h2>
            <Breakdown rows={appliances.byDistrict ?? []} list="districts" testId="chart-district" />
          </section>
          <section className="card">
            <h2>
              {l(appliances.name)} · {t('byCategory')}
            </h2>
            <Breakdown
              rows={appliances.byCategory ?? []}
              list="applianceCategories"
              testId="chart-category"
            />
          </section>
        </div>
      ) : null}

      <section className="card">
        <h2>{t('funnel')}</h2>
        <ProblemView error={funnel.error} />
        <div className="funnel-figures" data-testid="funnel">
          {(['requested', 'scheduled', 'collected', 'delivered', 'cancelled', 'failed'] as const).map((k) => (
            <div key={k} className="figure" data-testid={`funnel-${k}`} data-value={funnelTotals[k] ?? 0}>
              <span className="figure-value">{fmt(funnelTotals[k] ?? 0)}</span>
              <span className="figure-label">
                {reference ? l(reference.pickupStatuses.find((s) => s.code === k)?.name, k) : k}
              </span>
            </div>
          ))}
        </div>
        <Chart
          testId="chart-funnel"
          height={220}
          option={{
            tooltip: { trigger: 'item' },
            series: [
              {
                type: 'funnel',
                sort: 'descending',
                left: '10%',
                width: '80%',
                label: { formatter: '{b}: {c}' },
                data: (['requested', 'scheduled', 'collected', 'delivered'] as const).map((k) => ({
                  name: reference ? l(reference.pickupStatuses.find((s) => s.code === k)?.name, k) : k,
                  value: funnelTotals[k] ?? 0,
                })),
              },
            ],
          }}
        />
      </section>
    </div>
  );
}

function TargetCard({ report: r }: { report: ProgressReport }) {
  const { t, l } = useApp();
  const monthly: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: [t('actual'), t('required'), t('baseline')], bottom: 0 },
      grid: { left: 40, right: 10, top: 20, bottom: 50 },
      xAxis: { type: 'category', data: r.byMonth.map((m) => m.month.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('actual'),
          type: 'bar',
          data: r.byMonth.map((m) => m.actual),
          itemStyle: { color: '#1f6f43' },
        },
        {
          name: t('required'),
          type: 'line',
          data: r.byMonth.map((m) => m.required),
          lineStyle: { type: 'dashed' },
          itemStyle: { color: '#2f6fb0' },
        },
        // The baseline year's months are drawn only where they were counted (not for assumed baselines).
        ...(r.byMonth.some((m) => m.baselineYearSameMonth > 0)
          ? [
              {
                name: t('baseline'),
                type: 'line',
                data: r.byMonth.map((m) => m.baselineYearSameMonth),
                symbol: 'none',
                itemStyle: { color: '#9aa5ab' },
              },
            ]
          : []),
      ],
    }),
    [r, t],
  );
  const path: ChartOption = useMemo(() => {
    const required = requiredTrajectory(
      r.target.baseline,
      r.target.targetValue,
      r.target.baselineYear,
      r.target.targetYear,
    );
    const years = required.map((p) => String(p.year));
    const projection = required.map((p) =>
      p.year === r.year
        ? r.projectedCurrentYear
        : p.year === r.target.targetYear
          ? r.projectedTargetYear
          : null,
    );
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [t('required'), t('projection')], bottom: 0 },
      grid: { left: 50, right: 10, top: 20, bottom: 50 },
      xAxis: { type: 'category', data: years },
      yAxis: { type: 'value' },
      series: [
        {
          name: t('required'),
          type: 'line',
          data: required.map((p) => p.value),
          itemStyle: { color: '#2f6fb0' },
          markLine: { symbol: 'none', data: [{ yAxis: r.target.targetValue, name: t('target') }] },
        },
        {
          name: t('projection'),
          type: 'line',
          connectNulls: true,
          data: projection,
          lineStyle: { type: 'dotted' },
          itemStyle: { color: '#d35400' },
        },
      ],
    };
  }, [r, t]);
  const share = r.requiredYearToDate > 0 ? Math.round((r.yearToDate / r.requiredYearToDate) * 100) : 0;
  return (
    <section className="card target" data-testid={`target-${r.metric}`}>
      <h2>{l(r.name)}</h2>
      <div className="figures">
        <div className="figure">
          <span className="figure-value" data-testid={`ytd-${r.metric}`} data-value={r.yearToDate}>
            {fmt(r.yearToDate)}
          </span>
          <span className="figure-label">
            {t('actual')} ({l(r.unit)})
          </span>
        </div>
        <div className="figure">
          <span className="figure-value">{fmt(r.requiredYearToDate)}</span>
          <span className="figure-label">{t('required')}</span>
        </div>
        <div className="figure">
          <span className={`figure-value ${r.onTrack ? 'good' : 'bad'}`}>{fmt(r.projectedTargetYear)}</span>
          <span className="figure-label">
            {t('projection')} {r.target.targetYear} / {t('target')} {fmt(r.target.targetValue)}
          </span>
        </div>
      </div>
      <div className="progress-bar" title={`${share}%`}>
        <span style={{ width: `${Math.min(share, 100)}%` }} />
      </div>
      <div className="muted">
        {t('progress')}: {share}% {r.baselineAssumed ? t('assumedNote') : ''}
      </div>
      <h3>{t('byMonth')}</h3>
      <Chart option={monthly} height={220} testId={`chart-month-${r.metric}`} />
      <h3>
        {r.target.baselineYear}–{r.target.targetYear}
      </h3>
      <Chart option={path} height={200} testId={`chart-path-${r.metric}`} />
    </section>
  );
}

function Breakdown({
  rows,
  list,
  testId,
}: {
  rows: BreakdownRow[];
  list: 'districts' | 'applianceCategories';
  testId: string;
}) {
  const { t, codeName } = useApp();
  const option: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: [t('actual'), t('baseline')], bottom: 0 },
      grid: { left: 90, right: 10, top: 10, bottom: 40 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map((r) => codeName(list, r.value)) },
      series: [
        {
          name: t('actual'),
          type: 'bar',
          itemStyle: { color: '#1f6f43' },
          // A district or category growing slower than the whole city needs is drawn red.
          data: rows.map((r) => ({
            value: r.yearToDate,
            ...(r.lagging ? { itemStyle: { color: '#c0392b' } } : {}),
          })),
        },
        {
          name: t('baseline'),
          type: 'bar',
          itemStyle: { color: '#9aa5ab' },
          data: rows.map((r) => r.baselineSamePeriod),
        },
      ],
    }),
    [rows, list, t, codeName],
  );
  if (rows.length === 0) return <p className="muted">{t('empty')}</p>;
  return <Chart option={option} height={Math.max(160, rows.length * 36)} testId={testId} />;
}
