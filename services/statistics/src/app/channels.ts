// The two channels plan section 5 adds, for the city dashboard: public institutions' disposals
// (assets registered, received and handed over, appliances and equipment apart) and remanufacturing
// (cores received and products released per product line of the city profile, with its name), over
// a range of months, from the `disposals` and `remanufacturing` rollups. A district gets its
// disposals only: remanufacturing events name no district, and dimensions are not crossed.
import { ALL, type Fields } from '../domain/facts';
import { Metrics } from '../domain/record-rules';
import type { StatisticsContext } from './context';

const DISPOSAL_FIELDS = [
  'registered',
  'originalValueFen',
  'batches',
  'received',
  'receivedGrams',
  'handedOver',
  'handedOverGrams',
] as const;
const REMANUFACTURING_FIELDS = ['cores', 'coresRejected', 'started', 'released'] as const;

type Figures<F extends readonly string[]> = Record<F[number], number>;
export type DisposalFigures = Figures<typeof DISPOSAL_FIELDS>;
export type RemanufacturingFigures = Figures<typeof REMANUFACTURING_FIELDS>;

export interface ChannelSummary {
  generation: number;
  from: string;
  to: string;
  district?: string;
  publicInstitutions: {
    /** The city profile has the public institutions' section (it runs the disposals service). */
    runsDisposals: boolean;
    total: DisposalFigures;
    /** Appliances (catalogue categories) and equipment; city-wide only. */
    byKind?: { appliances: DisposalFigures; equipment: DisposalFigures };
  };
  /** City-wide only (absent for a district). */
  remanufacturing?: {
    runsRemanufacturing: boolean;
    total: RemanufacturingFigures;
    lines: Array<{ code: string; name: { zh: string; en: string } } & RemanufacturingFigures>;
  };
}

const figures = <F extends readonly string[]>(
  fields: F,
  rows: ReadonlyArray<{ fields: Fields }>,
): Figures<F> => {
  const out = Object.fromEntries(fields.map((f) => [f, 0])) as Figures<F>;
  for (const r of rows) for (const f of fields) out[f as F[number]] += r.fields[f] ?? 0;
  return out;
};

export async function channelSummary(
  ctx: Pick<StatisticsContext, 'counters' | 'generations' | 'profile'>,
  query: { from: string; to: string; district?: string },
): Promise<ChannelSummary> {
  const generation = await ctx.generations.active();
  const disposals = { metric: Metrics.disposals, from: query.from, to: query.to };
  const base = { generation, from: query.from, to: query.to };
  const runsDisposals = ctx.profile.publicInstitutions !== undefined;
  if (query.district !== undefined) {
    const rows = await ctx.counters.cells(generation, { ...disposals, dim: 'district' });
    return {
      ...base,
      district: query.district,
      publicInstitutions: {
        runsDisposals,
        total: figures(
          DISPOSAL_FIELDS,
          rows.filter((r) => r.value === query.district),
        ),
      },
    };
  }
  const reman = { metric: Metrics.remanufacturing, from: query.from, to: query.to };
  const [all, byKind, remanAll, byLine] = await Promise.all([
    ctx.counters.cells(generation, { ...disposals, dim: ALL }),
    ctx.counters.cells(generation, { ...disposals, dim: 'kind' }),
    ctx.counters.cells(generation, { ...reman, dim: ALL }),
    ctx.counters.cells(generation, { ...reman, dim: 'line' }),
  ]);
  const lines = ctx.profile.remanufacturing?.productLines ?? [];
  const ofLine = (code: string) =>
    figures(
      REMANUFACTURING_FIELDS,
      byLine.filter((r) => r.value === code),
    );
  return {
    ...base,
    publicInstitutions: {
      runsDisposals,
      total: figures(DISPOSAL_FIELDS, all),
      byKind: {
        appliances: figures(
          DISPOSAL_FIELDS,
          byKind.filter((r) => r.value === Metrics.appliances),
        ),
        equipment: figures(
          DISPOSAL_FIELDS,
          byKind.filter((r) => r.value === Metrics.equipment),
        ),
      },
    },
    remanufacturing: {
      runsRemanufacturing: lines.length > 0,
      total: figures(REMANUFACTURING_FIELDS, remanAll),
      lines: [
        ...lines.map((l) => ({ code: l.code, name: l.name, ...ofLine(l.code) })),
        // A line counted that the profile no longer names is shown by its code.
        ...[...new Set(byLine.map((r) => r.value))]
          .filter((code) => !lines.some((l) => l.code === code))
          .map((code) => ({ code, name: { zh: code, en: code }, ...ofLine(code) })),
      ],
    },
  };
}
