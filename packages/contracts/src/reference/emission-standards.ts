import { z } from 'zod';
import type { Label } from '../labels';

// Rules are phrased as "China III or older", so each standard has a rank to compare. Vehicles built
// before China I (before about 2000) had no national standard at all; they are the oldest of all and
// must not be confused with "unknown", which has no rank and never satisfies an "or older" rule.

export const EMISSION_STANDARD_CODES = [
  'pre-china-1',
  'china-1',
  'china-2',
  'china-3',
  'china-4',
  'china-5',
  'china-6',
  'unknown',
] as const;

export const EmissionStandard = z.enum(EMISSION_STANDARD_CODES).describe('Emission standard code');
export type EmissionStandard = z.infer<typeof EmissionStandard>;

/** A standard with a known rank. */
export type RankedEmissionStandard = Exclude<EmissionStandard, 'unknown'>;

export interface EmissionStandardInfo {
  readonly code: EmissionStandard;
  readonly name: Label;
  /** 0 for pre-China-1, 1..6 for China 1..6, null when unknown. */
  readonly rank: number | null;
}

export const emissionStandards: Readonly<Record<EmissionStandard, EmissionStandardInfo>> = {
  'pre-china-1': { code: 'pre-china-1', name: { zh: '国一以前', en: 'Before China 1' }, rank: 0 },
  'china-1': { code: 'china-1', name: { zh: '国一', en: 'China 1' }, rank: 1 },
  'china-2': { code: 'china-2', name: { zh: '国二', en: 'China 2' }, rank: 2 },
  'china-3': { code: 'china-3', name: { zh: '国三', en: 'China 3' }, rank: 3 },
  'china-4': { code: 'china-4', name: { zh: '国四', en: 'China 4' }, rank: 4 },
  'china-5': { code: 'china-5', name: { zh: '国五', en: 'China 5' }, rank: 5 },
  'china-6': { code: 'china-6', name: { zh: '国六', en: 'China 6' }, rank: 6 },
  unknown: { code: 'unknown', name: { zh: '未知', en: 'Unknown' }, rank: null },
};

/** True when `standard` is known and no newer than `limit`; unknown is never "or older". */
export const isAtOrOlderThan = (standard: EmissionStandard, limit: RankedEmissionStandard): boolean => {
  const rank = emissionStandards[standard].rank;
  const limitRank = emissionStandards[limit].rank;
  return rank !== null && limitRank !== null && rank <= limitRank;
};
