// Trade-in subsidies for the city's officials: per programme of the city profile (its name in both
// languages), the claims, approvals and money paid over a range of months, from the `subsidies`
// rollup. A district's figures are its totals: the rollup does not cross programme and district.
import { ALL, type Fields } from '../domain/facts';
import { Metrics } from '../domain/record-rules';
import type { StatisticsContext } from './context';

const FIELDS = [
  'claims',
  'counterSales',
  'requestedFen',
  'rejected',
  'approved',
  'approvedFen',
  'paid',
  'paidFen',
  'reversed',
  'reversedFen',
] as const;
export type SubsidyFigures = Record<(typeof FIELDS)[number], number>;

export interface SubsidySummary {
  generation: number;
  from: string;
  to: string;
  district?: string;
  /** The city runs trade-in subsidies (its profile has programmes). */
  runsSubsidies: boolean;
  total: SubsidyFigures;
  /** Per programme, city-wide only (absent for a district). */
  programmes?: Array<{ code: string; kind: string; name: { zh: string; en: string } } & SubsidyFigures>;
}

const figures = (rows: ReadonlyArray<{ fields: Fields }>): SubsidyFigures => {
  const out = Object.fromEntries(FIELDS.map((f) => [f, 0])) as SubsidyFigures;
  for (const r of rows) for (const f of FIELDS) out[f] += r.fields[f] ?? 0;
  return out;
};

export async function subsidySummary(
  ctx: Pick<StatisticsContext, 'counters' | 'generations' | 'profile'>,
  query: { from: string; to: string; district?: string },
): Promise<SubsidySummary> {
  const generation = await ctx.generations.active();
  const range = { metric: Metrics.subsidies, from: query.from, to: query.to };
  const programmes = ctx.profile.subsidies.tradeIn?.programmes ?? [];
  const base = { generation, from: query.from, to: query.to, runsSubsidies: programmes.length > 0 };
  if (query.district !== undefined) {
    const rows = await ctx.counters.cells(generation, { ...range, dim: 'district' });
    return {
      ...base,
      district: query.district,
      total: figures(rows.filter((r) => r.value === query.district)),
    };
  }
  const [all, byProgramme] = await Promise.all([
    ctx.counters.cells(generation, { ...range, dim: ALL }),
    ctx.counters.cells(generation, { ...range, dim: 'programme' }),
  ]);
  return {
    ...base,
    total: figures(all),
    programmes: [
      ...programmes.map((p) => ({
        code: p.code,
        kind: p.kind,
        name: p.name,
        ...figures(byProgramme.filter((r) => r.value === p.code)),
      })),
      // A programme counted that the profile no longer names is shown by its code.
      ...[...new Set(byProgramme.map((r) => r.value))]
        .filter((code) => !programmes.some((p) => p.code === code))
        .map((code) => ({
          code,
          kind: 'unknown',
          name: { zh: code, en: code },
          ...figures(byProgramme.filter((r) => r.value === code)),
        })),
    ],
  };
}
