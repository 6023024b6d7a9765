// The city dashboard for the commerce bureau and the development commission: each 2027 target as
// progress against this year's trajectory (done, needed by now, needed this year, at this pace),
// month by month, the path to the target year, by area and kind, the pickups from booking to
// delivery in the order of the steps, and the trade-in subsidies per programme. A year, a month and
// an area are picked above; they are in the address, so a reload or a shared link shows the same.
// Figures come from the statistics service; months are calendar months in Beijing time.
import { useMemo, useState, type ChangeEvent } from 'react';
import { useSearchParams } from 'react-router';
import { Chart, type ChartOption } from '../components/Chart';
import { Field } from '../components/Field';
import { ProblemView } from '../components/ProblemView';
import { api } from '../lib/api';
import { useApp, type Label } from '../lib/context';
import { requiredTrajectory } from '../lib/trajectory';
import { fenToYuan, localDateTime, localMonth } from '../lib/units';
import { useLoad } from '../lib/use-load';
import './desks.css';

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
  projectedTargetYear: number;
  projectedCurrentYear: number;
  aheadOfTrajectory: boolean;
  onTrack: boolean;
  byMonth: Array<{ month: string; actual: number; baselineYearSameMonth: number; required: number }>;
  byDistrict?: BreakdownRow[];
  byCategory?: BreakdownRow[];
  district?: { code: string; share: number; source: 'counted-baseline-year' | 'last-12-months' | 'none' };
}

interface RollupTable {
  rows: Array<{ month: string; value: string; fields: Record<string, number> }>;
}

interface SubsidyFigures {
  claims: number;
  approved: number;
  paid: number;
  paidFen: number;
}
interface SubsidySummary {
  runsSubsidies: boolean;
  district?: string;
  total: SubsidyFigures;
  programmes?: Array<SubsidyFigures & { code: string; name: Label }>;
}

interface DisposalFigures {
  registered: number;
  received: number;
  handedOver: number;
}
interface RemanufacturingFigures {
  cores: number;
  coresRejected: number;
  released: number;
}
interface ChannelSummary {
  district?: string;
  publicInstitutions: {
    runsDisposals: boolean;
    total: DisposalFigures;
    byKind?: { appliances: DisposalFigures; equipment: DisposalFigures };
  };
  remanufacturing?: {
    runsRemanufacturing: boolean;
    total: RemanufacturingFigures;
    lines: Array<RemanufacturingFigures & { code: string; name: Label }>;
  };
}

/** The pickups' steps in their order, then the two ways a pickup ends without delivery. */
const STAGES = ['requested', 'scheduled', 'collected', 'delivered'] as const;
const ENDS = ['cancelled', 'failed'] as const;

const GREEN = '#1f6f43';
const BLUE = '#1a5fb4';
const GREY = '#6b7479';
const RED = '#a12a1e';

const fill = (text: string, vars: Record<string, string | number>) =>
  Object.entries(vars).reduce((s, [k, v]) => s.replace(`{${k}}`, String(v)), text);

/** Whole numbers as counted; a required share of a small target keeps one decimal. */
const fmt = (n: number) =>
  Math.abs(n) < 10 && !Number.isInteger(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: 1 })
    : Math.round(n).toLocaleString('en-US');

/** Words in brackets, as each language writes them. */
const paren = (text: string, lang: 'zh' | 'en') => (lang === 'zh' ? `（${text}）` : ` (${text})`);

/** Bars show their value above them; a month with nothing has no bar rather than a sliver. */
const barValue = (n: number) => (n === 0 ? '-' : n);

const monthName = (month: number, lang: 'zh' | 'en') =>
  lang === 'zh'
    ? `${month}月`
    : new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }).format(
        Date.UTC(2000, month - 1, 1),
      );

export function Dashboard() {
  const { t, l, lang, reference, codeName } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const current = localMonth(tz);
  const [search, setSearch] = useSearchParams();
  const firstYear = Math.min(
    reference?.targets.baselineYear ?? Number(current.slice(0, 4)),
    Number(current.slice(0, 4)),
  );
  const districts = reference?.districts ?? [];

  // The pickers' values, from the address; anything not offered falls back to now and the whole city.
  const asked = search.get('asOf') ?? '';
  const asOf =
    /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) && asked <= current && asked.slice(0, 4) >= String(firstYear)
      ? asked
      : current;
  const askedDistrict = search.get('district') ?? '';
  const district = districts.some((d) => d.code === askedDistrict) ? askedDistrict : '';
  const year = Number(asOf.slice(0, 4));
  const month = Number(asOf.slice(5, 7));
  const pick = (next: { asOf?: string; district?: string }) => {
    const a = next.asOf ?? asOf;
    const d = next.district ?? district;
    setSearch({ ...(a !== current ? { asOf: a } : {}), ...(d ? { district: d } : {}) }, { replace: true });
  };
  const years = Array.from({ length: Number(current.slice(0, 4)) - firstYear + 1 }, (_, i) => firstYear + i);
  const months = Array.from(
    { length: year === Number(current.slice(0, 4)) ? Number(current.slice(5, 7)) : 12 },
    (_, i) => i + 1,
  );
  const onYear = (e: ChangeEvent<HTMLSelectElement>) => {
    const y = Number(e.target.value);
    const lastMonth = y === Number(current.slice(0, 4)) ? Number(current.slice(5, 7)) : 12;
    pick({ asOf: `${y}-${String(Math.min(month, lastMonth)).padStart(2, '0')}` });
  };

  const metrics = reference?.targets.metrics ?? [];
  const query = { asOf, ...(district ? { district } : {}) };
  const range = { from: `${year}-01`, to: asOf, ...(district ? { district } : {}) };
  const [readAt, setReadAt] = useState(() => new Date().toISOString());
  const reports = useLoad(
    (signal) =>
      Promise.all(
        metrics.map((m) =>
          api<ProgressReport>('statistics', `progress/${encodeURIComponent(m.code)}`, { query, signal }),
        ),
      ).then((r) => {
        setReadAt(new Date().toISOString());
        return r;
      }),
    [metrics.map((m) => m.code).join(','), asOf, district],
  );
  const funnel = useLoad(
    (signal) => api<RollupTable>('statistics', 'rollups', { query: { metric: 'pickups', ...range }, signal }),
    [asOf, district],
  );
  const subsidies = useLoad(
    (signal) => api<SubsidySummary>('statistics', 'subsidies', { query: range, signal }),
    [asOf, district],
  );
  const channels = useLoad(
    (signal) => api<ChannelSummary>('statistics', 'channels', { query: range, signal }),
    [asOf, district],
  );

  const totals = useMemo(() => {
    const out: Record<string, number> = {};
    for (const row of funnel.data?.rows ?? [])
      for (const [k, v] of Object.entries(row.fields)) out[k] = (out[k] ?? 0) + v;
    return out;
  }, [funnel.data]);

  const period =
    month === 1
      ? fill(t('dash.periodOne'), { year })
      : fill(t('dash.period'), { year, month: lang === 'zh' ? month : monthName(month, lang) });
  const areaName = district ? codeName('districts', district) : t('dash.wholeCity');
  const appliances = reports.data?.find((r) => r.metric === 'appliances-recovered');

  return (
    <div className="dashboard">
      <div className="card-head">
        <h1 data-testid="dashboard-title">
          {t('nav.dashboard')} · {areaName} · {period}
        </h1>
        <button
          type="button"
          className="link"
          onClick={() => (reports.reload(), funnel.reload(), subsidies.reload(), channels.reload())}
          data-testid="dashboard-refresh"
        >
          {t('refresh')}
        </button>
      </div>
      <fieldset className="dash-pickers" data-testid="dashboard-pickers">
        <legend className="sr-only">{t('dash.pickers')}</legend>
        <Field label={t('dash.year')}>
          <select name="year" value={year} onChange={onYear}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('dash.upToMonth')}>
          <select
            name="month"
            value={month}
            onChange={(e) => pick({ asOf: `${year}-${e.target.value.padStart(2, '0')}` })}
          >
            {months.map((m) => (
              <option key={m} value={m}>
                {monthName(m, lang)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('dash.area')}>
          <select name="district" value={district} onChange={(e) => pick({ district: e.target.value })}>
            <option value="">{t('dash.wholeCity')}</option>
            {districts.map((d) => (
              <option key={d.code} value={d.code}>
                {l(d.name, d.code)}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>
      <p className="dash-note" data-testid="dashboard-note">
        {fill(t('dash.asOfNote'), { time: localDateTime(readAt, tz) })}
      </p>

      <ProblemView error={reports.error} />
      <div className="grid three">
        {(reports.data ?? []).map((r) => (
          <TargetCard key={r.metric} report={r} />
        ))}
      </div>

      {appliances && !district ? (
        <div className="grid two">
          <section className="card">
            <h2>
              {l(appliances.name)} · {t('dash.byArea')}
            </h2>
            <Breakdown
              report={appliances}
              rows={appliances.byDistrict ?? []}
              list="districts"
              testId="chart-district"
            />
          </section>
          <section className="card">
            <h2>
              {l(appliances.name)} · {t('dash.byKind')}
            </h2>
            <Breakdown
              report={appliances}
              rows={appliances.byCategory ?? []}
              list="applianceCategories"
              testId="chart-category"
            />
          </section>
        </div>
      ) : null}
      {district && reports.data ? <p className="dash-note">{t('dash.noBreakdown')}</p> : null}

      <div className="grid two">
        <section className="card" aria-labelledby="funnel-title">
          <h2 id="funnel-title">{t('dash.funnel')}</h2>
          <p className="dash-note">{t('dash.funnelNote')}</p>
          <ProblemView error={funnel.error} />
          <Funnel totals={totals} />
        </section>
        <Subsidies summary={subsidies.data} error={subsidies.error} />
      </div>
      <Channels summary={channels.data} error={channels.error} />
    </div>
  );
}

function TargetCard({ report: r }: { report: ProgressReport }) {
  const { t, l, lang } = useApp();
  const unit = l(r.unit);
  const monthly: ChartOption = useMemo(() => {
    const series = [
      {
        name: t('dash.monthDone'),
        type: 'bar',
        data: r.byMonth.map((m) => barValue(m.actual)),
        itemStyle: { color: GREEN },
        barMaxWidth: 28,
        label: { show: true, position: 'top', color: '#1d2327' },
      },
      {
        name: t('dash.monthNeeded'),
        type: 'line',
        data: r.byMonth.map((m) => m.required),
        lineStyle: { type: 'dashed' },
        itemStyle: { color: BLUE },
        symbolSize: 6,
      },
      // The same months of the baseline year, only where that year was counted.
      ...(r.byMonth.some((m) => m.baselineYearSameMonth > 0)
        ? [
            {
              name: fill(t('dash.sameMonthOf'), { year: r.target.baselineYear }),
              type: 'line',
              data: r.byMonth.map((m) => m.baselineYearSameMonth),
              symbol: 'none',
              itemStyle: { color: GREY },
            },
          ]
        : []),
    ];
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v === '-' ? '0' : fmt(Number(v))) },
      legend: { data: series.map((s) => s.name), bottom: 0 },
      grid: { left: 8, right: 8, top: 24, bottom: 36, containLabel: true },
      xAxis: {
        type: 'category',
        data: r.byMonth.map((m) => monthName(Number(m.month.slice(5)), lang).slice(0, 3)),
        axisLabel: { interval: 0, hideOverlap: true },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series,
    };
  }, [r, t, lang]);
  const path: ChartOption = useMemo(() => {
    const required = requiredTrajectory(
      r.target.baseline,
      r.target.targetValue,
      r.target.baselineYear,
      r.target.targetYear,
    );
    const projection = required.map((p) =>
      p.year === r.year
        ? r.projectedCurrentYear
        : p.year === r.target.targetYear
          ? r.projectedTargetYear
          : null,
    );
    const series = [
      {
        name: t('dash.planned'),
        type: 'line',
        data: required.map((p) => p.value),
        itemStyle: { color: BLUE },
        markLine: {
          symbol: 'none',
          label: {
            position: 'insideStartTop',
            formatter: `${fill(t('dash.targetFor'), { year: r.target.targetYear })} ${fmt(r.target.targetValue)}`,
          },
          data: [{ yAxis: r.target.targetValue }],
        },
      },
      {
        name: t('dash.expected'),
        type: 'line',
        connectNulls: true,
        data: projection,
        lineStyle: { type: 'dotted' },
        itemStyle: { color: '#b35900' },
        label: {
          show: true,
          formatter: (p: { value: number | null }) => (p.value === null ? '' : fmt(p.value)),
        },
      },
    ];
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: series.map((s) => s.name), bottom: 0 },
      grid: { left: 8, right: 16, top: 28, bottom: 36, containLabel: true },
      xAxis: { type: 'category', data: required.map((p) => String(p.year)), axisLabel: { interval: 0 } },
      yAxis: { type: 'value' },
      series,
    };
  }, [r, t]);

  const ofYear = (n: number) => (r.requiredForYear > 0 ? Math.round((n / r.requiredForYear) * 100) : 0);
  const done = ofYear(r.yearToDate);
  const due = ofYear(r.requiredYearToDate);
  const ahead = r.aheadOfTrajectory;
  // Nothing counted and nothing required (an area whose city has no figures yet): no plan to measure.
  if (r.requiredForYear === 0 && r.yearToDate === 0 && r.target.targetValue === 0) {
    return (
      <section
        className="card target"
        data-testid={`target-${r.metric}`}
        aria-labelledby={`title-${r.metric}`}
      >
        <h2 id={`title-${r.metric}`}>{l(r.name)}</h2>
        <p className="figure">
          <span className="figure-value" data-testid={`ytd-${r.metric}`} data-value={0}>
            0
          </span>
          <span className="figure-label">
            {t('dash.soFar')}
            {paren(l(r.unit), lang)}
          </span>
        </p>
        <p className="muted">{t('dash.nothingYet')}</p>
        {r.district ? <ShareNote share={r.district} baselineYear={r.target.baselineYear} /> : null}
      </section>
    );
  }
  return (
    <section className="card target" data-testid={`target-${r.metric}`} aria-labelledby={`title-${r.metric}`}>
      <h2 id={`title-${r.metric}`}>{l(r.name)}</h2>
      <p className={`target-status ${ahead ? 'good' : 'bad'}`} data-testid={`status-${r.metric}`}>
        {ahead ? t('dash.ahead') : t('dash.behind')}
      </p>
      <div className="figures">
        <div className="figure">
          <span className="figure-value" data-testid={`ytd-${r.metric}`} data-value={r.yearToDate}>
            {fmt(r.yearToDate)}
          </span>
          <span className="figure-label">
            {t('dash.soFar')}
            {paren(l(r.unit), lang)}
          </span>
        </div>
        <div className="figure">
          <span className="figure-value" data-testid={`due-${r.metric}`} data-value={r.requiredYearToDate}>
            {fmt(r.requiredYearToDate)}
          </span>
          <span className="figure-label">{t('dash.neededByNow')}</span>
        </div>
        <div className="figure">
          <span className="figure-value">{fmt(r.requiredForYear)}</span>
          <span className="figure-label">{t('dash.yearNeeds')}</span>
        </div>
      </div>
      <div
        className="target-meter"
        role="img"
        aria-label={fill(t('dash.progressText'), { done, due })}
        data-testid={`meter-${r.metric}`}
        data-done={done}
        data-due={due}
      >
        <span className={`done${ahead ? '' : ' behind'}`} style={{ width: `${Math.min(done, 100)}%` }} />
        <span className="due" style={{ left: `calc(${Math.min(due, 100)}% - 1px)` }} />
      </div>
      <p className="muted">
        {fill(t('dash.progressText'), { done, due })} {r.baselineAssumed ? t('assumedNote') : ''}
      </p>
      <p className="muted">
        {fill(t('dash.atThisPace'), { year: r.target.targetYear })} {fmt(r.projectedTargetYear)} {unit} ·{' '}
        {fill(t('dash.targetFor'), { year: r.target.targetYear })} {fmt(r.target.targetValue)} {unit} ·{' '}
        <span className={r.onTrack ? 'target-status good' : 'target-status bad'}>
          {r.onTrack ? t('dash.onCourse') : t('dash.offCourse')}
        </span>
      </p>
      {r.district ? <ShareNote share={r.district} baselineYear={r.target.baselineYear} /> : null}
      <h3>{t('dash.monthly')}</h3>
      <Chart
        option={monthly}
        height={240}
        testId={`chart-month-${r.metric}`}
        label={`${l(r.name)} · ${t('dash.monthly')}`}
      />
      <h3>{fill(t('dash.path'), { from: r.target.baselineYear, to: r.target.targetYear })}</h3>
      <Chart
        option={path}
        height={220}
        testId={`chart-path-${r.metric}`}
        label={`${l(r.name)} · ${t('dash.planned')}`}
      />
    </section>
  );
}

function ShareNote({
  share,
  baselineYear,
}: {
  share: NonNullable<ProgressReport['district']>;
  baselineYear: number;
}) {
  const { t } = useApp();
  const pct = Math.round(share.share * 1000) / 10;
  const text =
    share.source === 'counted-baseline-year'
      ? fill(t('dash.shareBase'), { year: baselineYear, share: pct })
      : share.source === 'last-12-months'
        ? fill(t('dash.shareRecent'), { share: pct })
        : t('dash.shareNone');
  return (
    <p className="muted" data-testid="district-share">
      {text}
    </p>
  );
}

function Breakdown({
  report,
  rows,
  list,
  testId,
}: {
  report: ProgressReport;
  rows: BreakdownRow[];
  list: 'districts' | 'applianceCategories';
  testId: string;
}) {
  const { t, codeName, lang } = useApp();
  const sorted = useMemo(() => [...rows].sort((a, b) => a.yearToDate - b.yearToDate), [rows]);
  const option: ChartOption = useMemo(() => {
    const series = [
      {
        name: t('dash.thisYear'),
        type: 'bar',
        barMaxWidth: 18,
        // A district or category growing slower than the whole city needs is drawn red (and said so
        // in the table below the chart).
        data: sorted.map((r) => ({
          value: barValue(r.yearToDate),
          itemStyle: { color: r.lagging ? RED : GREEN },
        })),
        label: { show: true, position: 'right', color: '#1d2327' },
      },
      ...(sorted.some((r) => r.baselineSamePeriod > 0)
        ? [
            {
              name: fill(t('dash.samePeriodOf'), { year: report.target.baselineYear }),
              type: 'bar',
              barMaxWidth: 18,
              itemStyle: { color: GREY },
              data: sorted.map((r) => barValue(r.baselineSamePeriod)),
              label: { show: true, position: 'right', color: '#586065' },
            },
          ]
        : []),
    ];
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: series.map((s) => s.name), bottom: 0 },
      grid: { left: 8, right: 40, top: 8, bottom: 36, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        data: sorted.map((r) => codeName(list, r.value)),
        axisLabel: { interval: 0 },
      },
      series,
    };
  }, [sorted, list, t, codeName, report.target.baselineYear]);
  if (rows.length === 0) return <p className="muted">{t('dash.nothingYet')}</p>;
  return (
    <>
      <Chart
        option={option}
        height={Math.max(160, sorted.length * 44 + 60)}
        testId={testId}
        label={t('dash.thisYear')}
      />
      {sorted.some((r) => r.lagging) ? <p className="muted">{t('dash.slowerNote')}</p> : null}
      <details className="chart-table">
        <summary>{t('dash.asTable')}</summary>
        <table className="dash-table">
          <thead>
            <tr>
              <th scope="col">{list === 'districts' ? t('dash.area') : t('category')}</th>
              <th scope="col" className="num">
                {t('dash.thisYear')}
              </th>
              <th scope="col" className="num">
                {fill(t('dash.samePeriodOf'), { year: report.target.baselineYear })}
              </th>
            </tr>
          </thead>
          <tbody>
            {[...sorted].reverse().map((r) => (
              <tr key={r.value}>
                <th scope="row">
                  {codeName(list, r.value)}
                  {r.lagging ? paren(t('dash.slower'), lang) : ''}
                </th>
                <td className="num">{fmt(r.yearToDate)}</td>
                <td className="num">{fmt(r.baselineSamePeriod)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}

/** The pickups in the order of their steps (never sorted by value), and how many ended otherwise. */
function Funnel({ totals }: { totals: Record<string, number> }) {
  const { t, lang } = useApp();
  const requested = totals.requested ?? 0;
  const share = (n: number) => (requested > 0 ? `${Math.round((n / requested) * 100)}%` : '—');
  const option: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 72, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      // The first step on top.
      yAxis: {
        type: 'category',
        inverse: true,
        data: STAGES.map((k) => t(`dash.stage.${k}`)),
        axisLabel: { interval: 0 },
      },
      series: [
        {
          name: t('dash.count'),
          type: 'bar',
          barMaxWidth: 22,
          itemStyle: { color: GREEN },
          data: STAGES.map((k) => barValue(totals[k] ?? 0)),
          label: {
            show: true,
            position: 'right',
            color: '#1d2327',
            formatter: (p: { value: number }) => `${fmt(p.value)}${paren(share(p.value), lang)}`,
          },
        },
      ],
    }),
    [totals, t, lang],
  );
  return (
    <>
      <ol className="funnel-figures" data-testid="funnel">
        {[...STAGES, ...ENDS].map((k) => (
          <li key={k} className="figure" data-testid={`funnel-${k}`} data-value={totals[k] ?? 0}>
            <span className="figure-value">{fmt(totals[k] ?? 0)}</span>
            <span className="figure-label">{t(`dash.stage.${k}`)}</span>
          </li>
        ))}
      </ol>
      <Chart option={option} height={200} testId="chart-funnel" label={t('dash.funnel')} />
    </>
  );
}

function Subsidies({ summary, error }: { summary: SubsidySummary | undefined; error: unknown }) {
  const { t, l } = useApp();
  return (
    <section className="card" data-testid="subsidies" aria-labelledby="subsidies-title">
      <h2 id="subsidies-title">{t('dash.subsidies')}</h2>
      <ProblemView error={error} />
      {summary && !summary.runsSubsidies ? <p className="muted">{t('dash.noSubsidies')}</p> : null}
      {summary?.runsSubsidies ? (
        <>
          {summary.district ? <p className="dash-note">{t('dash.programmesCityOnly')}</p> : null}
          <div className="table-wrap">
            <table className="dash-table">
              <thead>
                <tr>
                  <th scope="col">{t('dash.programme')}</th>
                  <th scope="col" className="num">
                    {t('dash.claims')}
                  </th>
                  <th scope="col" className="num">
                    {t('dash.approved')}
                  </th>
                  <th scope="col" className="num">
                    {t('dash.payments')}
                  </th>
                  <th scope="col" className="num">
                    {t('dash.paidYuan')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {(summary.programmes ?? []).map((p) => (
                  <tr key={p.code} data-testid={`subsidy-${p.code}`}>
                    <th scope="row">{l(p.name, p.code)}</th>
                    <td className="num">{fmt(p.claims)}</td>
                    <td className="num">{fmt(p.approved)}</td>
                    <td className="num">{fmt(p.paid)}</td>
                    <td className="num">{fenToYuan(p.paidFen)}</td>
                  </tr>
                ))}
                <tr data-testid="subsidy-total">
                  <th scope="row">{t('total')}</th>
                  <td className="num">{fmt(summary.total.claims)}</td>
                  <td className="num">{fmt(summary.total.approved)}</td>
                  <td className="num">{fmt(summary.total.paid)}</td>
                  <td className="num">{fenToYuan(summary.total.paidFen)}</td>
                </tr>
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}

/** The plan's two added channels: what public institutions handed back, and what was remanufactured. */
function Channels({ summary, error }: { summary: ChannelSummary | undefined; error: unknown }) {
  const { t, l } = useApp();
  const pi = summary?.publicInstitutions;
  const reman = summary?.remanufacturing;
  const disposalRow = (key: string, label: string, f: DisposalFigures) => (
    <tr key={key} data-testid={`disposals-${key}`}>
      <th scope="row">{label}</th>
      <td className="num">{fmt(f.registered)}</td>
      <td className="num">{fmt(f.received)}</td>
      <td className="num">{fmt(f.handedOver)}</td>
    </tr>
  );
  return (
    <section className="card" data-testid="channels" aria-labelledby="channels-title">
      <h2 id="channels-title">{t('dash.channels')}</h2>
      <ProblemView error={error} />
      {pi ? (
        <>
          <h3>{t('dash.disposals')}</h3>
          <p className="dash-note">{t('dash.channelsNote')}</p>
          {pi.runsDisposals ? (
            <div className="table-wrap">
              <table className="dash-table">
                <thead>
                  <tr>
                    <th scope="col">{t('dash.disposalKind')}</th>
                    <th scope="col" className="num">
                      {t('dash.registered')}
                    </th>
                    <th scope="col" className="num">
                      {t('dash.received')}
                    </th>
                    <th scope="col" className="num">
                      {t('dash.handedOver')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {pi.byKind
                    ? (['appliances', 'equipment'] as const).map((k) =>
                        disposalRow(k, t(`dash.disposalKind.${k}`), pi.byKind![k]),
                      )
                    : null}
                  {disposalRow('total', t('total'), pi.total)}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="muted">{t('dash.noDisposals')}</p>
          )}
        </>
      ) : null}
      {summary ? <h3>{t('dash.remanufacturing')}</h3> : null}
      {summary && !reman ? <p className="dash-note">{t('dash.remanCityOnly')}</p> : null}
      {reman && !reman.runsRemanufacturing ? <p className="muted">{t('dash.noRemanufacturing')}</p> : null}
      {reman?.runsRemanufacturing ? (
        <div className="table-wrap">
          <table className="dash-table">
            <thead>
              <tr>
                <th scope="col">{t('dash.line')}</th>
                <th scope="col" className="num">
                  {t('dash.cores')}
                </th>
                <th scope="col" className="num">
                  {t('dash.coresRejected')}
                </th>
                <th scope="col" className="num">
                  {t('dash.released')}
                </th>
              </tr>
            </thead>
            <tbody>
              {[...reman.lines, { ...reman.total, code: 'total', name: undefined }].map((line) => (
                <tr key={line.code} data-testid={`reman-${line.code}`}>
                  <th scope="row">{line.name ? l(line.name, line.code) : t('total')}</th>
                  <td className="num">{fmt(line.cores)}</td>
                  <td className="num">{fmt(line.coresRejected)}</td>
                  <td className="num">{fmt(line.released)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
