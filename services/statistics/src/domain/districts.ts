// Which rollups can be read for one district: those whose facts carry a `district` dimension.
// Dimensions are not crossed (a cell is one metric, month, dimension and value), so a district's
// figures are its `district` cells, and no other breakdown exists within one district.
import { Metrics } from './record-rules';

export const DISTRICT_METRICS: readonly string[] = [
  Metrics.appliances,
  Metrics.equipment,
  Metrics.vehicles,
  Metrics.usedCars,
  Metrics.pickups,
  Metrics.subsidies,
  Metrics.disposals,
];

export const countedByDistrict = (metric: string): boolean => DISTRICT_METRICS.includes(metric);
