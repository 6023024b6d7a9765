import { z } from 'zod';
import type { Label } from '../labels';

// New-energy status decides trade-in subsidy rules, so it is a property of the fuel type rather than
// something each service re-derives. A conventional hybrid (HEV) is not a new-energy vehicle in China;
// plug-in hybrids (including range extenders), battery-electric and fuel-cell vehicles are.

export const FUEL_TYPE_CODES = [
  'gasoline',
  'diesel',
  'hybrid',
  'bev',
  'phev',
  'fcev',
  'lpg-cng',
  'other',
] as const;

export const FuelType = z.enum(FUEL_TYPE_CODES).describe('Fuel type code');
export type FuelType = z.infer<typeof FuelType>;

export interface FuelTypeInfo {
  readonly code: FuelType;
  readonly name: Label;
  readonly isNewEnergy: boolean;
}

export const fuelTypes: Readonly<Record<FuelType, FuelTypeInfo>> = {
  gasoline: { code: 'gasoline', name: { zh: '汽油', en: 'Gasoline' }, isNewEnergy: false },
  diesel: { code: 'diesel', name: { zh: '柴油', en: 'Diesel' }, isNewEnergy: false },
  hybrid: { code: 'hybrid', name: { zh: '油电混合动力', en: 'Hybrid (non plug-in)' }, isNewEnergy: false },
  bev: { code: 'bev', name: { zh: '纯电动', en: 'Battery electric' }, isNewEnergy: true },
  phev: {
    code: 'phev',
    name: { zh: '插电式混合动力（含增程式）', en: 'Plug-in hybrid (incl. range extender)' },
    isNewEnergy: true,
  },
  fcev: { code: 'fcev', name: { zh: '燃料电池', en: 'Fuel cell' }, isNewEnergy: true },
  'lpg-cng': { code: 'lpg-cng', name: { zh: '液化石油气/天然气', en: 'LPG / CNG' }, isNewEnergy: false },
  other: { code: 'other', name: { zh: '其他', en: 'Other' }, isNewEnergy: false },
};

export const isNewEnergy = (fuel: FuelType): boolean => fuelTypes[fuel].isNewEnergy;
