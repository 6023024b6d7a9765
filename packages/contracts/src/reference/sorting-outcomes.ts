import { z } from 'zod';
import type { Label } from '../labels';

// Where a station sends an appliance after inspection; statistics report reuse against disposal.

export const SORTING_OUTCOME_CODES = [
  'resale',
  'refurbishment',
  'dismantling',
  'remanufacturing',
  'hazardous-disposal',
] as const;

export const SortingOutcome = z.enum(SORTING_OUTCOME_CODES).describe('Sorting outcome code');
export type SortingOutcome = z.infer<typeof SortingOutcome>;

export interface SortingOutcomeInfo {
  readonly code: SortingOutcome;
  readonly name: Label;
  /** The item keeps its function (counted as reuse rather than material recovery). */
  readonly reuse: boolean;
}

export const sortingOutcomes: Readonly<Record<SortingOutcome, SortingOutcomeInfo>> = {
  resale: { code: 'resale', name: { zh: '二手再销售', en: 'Resale' }, reuse: true },
  refurbishment: { code: 'refurbishment', name: { zh: '翻新再利用', en: 'Refurbishment' }, reuse: true },
  dismantling: { code: 'dismantling', name: { zh: '拆解处理', en: 'Dismantling' }, reuse: false },
  remanufacturing: { code: 'remanufacturing', name: { zh: '再制造', en: 'Remanufacturing' }, reuse: true },
  'hazardous-disposal': {
    code: 'hazardous-disposal',
    name: { zh: '危险废物处置', en: 'Hazardous waste disposal' },
    reuse: false,
  },
};
