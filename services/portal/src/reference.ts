// What the web app needs to draw its forms and labels: the city's districts, targets and default
// weights, and the national code lists with zh/en names. Served from the profile the portal runs
// with, so a second city changes data, not the web app.
import {
  applianceCategories,
  emissionStandards,
  fuelTypes,
  idDocumentTypes,
  majorAssemblies,
  pickupStatuses,
  sortingOutcomes,
  targetValue,
  vehicleTypes,
  type CityProfile,
  type Label,
} from '@recycling/contracts';

export interface CodeLabel {
  code: string;
  name: Label;
}

export interface PortalReference {
  city: { code: string; name: Label; timezone: string };
  districts: Array<CodeLabel & { kind: string }>;
  applianceCategories: Array<CodeLabel & { defaultWeightGrams: number }>;
  vehicleTypes: CodeLabel[];
  fuelTypes: CodeLabel[];
  emissionStandards: CodeLabel[];
  idDocumentTypes: CodeLabel[];
  sortingOutcomes: CodeLabel[];
  majorAssemblies: CodeLabel[];
  pickupStatuses: CodeLabel[];
  targets: {
    baselineYear: number;
    targetYear: number;
    assumed: boolean;
    metrics: Array<CodeLabel & { unit: Label; baseline: number; target: number; growthBp: number }>;
  };
}

const list = <T extends { code: string; name: Label }>(rec: Readonly<Record<string, T>>): CodeLabel[] =>
  Object.values(rec).map(({ code, name }) => ({ code, name }));

export function portalReference(profile: CityProfile): PortalReference {
  return {
    city: { code: profile.code, name: profile.name, timezone: profile.timezone },
    districts: profile.districts.map((d) => ({ code: d.code, name: d.name, kind: d.kind })),
    applianceCategories: Object.values(applianceCategories).map((c) => ({
      code: c.code,
      name: c.name,
      defaultWeightGrams: profile.appliances.defaultWeightGrams[c.code] ?? 0,
    })),
    vehicleTypes: list(vehicleTypes),
    fuelTypes: list(fuelTypes),
    emissionStandards: list(emissionStandards),
    idDocumentTypes: list(idDocumentTypes),
    sortingOutcomes: list(sortingOutcomes),
    majorAssemblies: list(majorAssemblies),
    pickupStatuses: list(pickupStatuses),
    targets: {
      baselineYear: profile.targets.baselineYear,
      targetYear: profile.targets.targetYear,
      assumed: profile.targets.assumed,
      metrics: Object.entries(profile.targets.metrics).map(([code, m]) => ({
        code,
        name: m.name,
        unit: m.unit,
        baseline: m.baseline,
        growthBp: m.growthBp,
        target: targetValue(m),
      })),
    },
  };
}
