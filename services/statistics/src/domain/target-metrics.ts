// Which rollup counts each target: the metric, its field, and the dimension shown as "category".
import type { MetricCode } from '@recycling/contracts';
import { Metrics } from './record-rules';

export interface TargetRollup {
  metric: string;
  field: string;
  categoryDim: string;
}

export const targetRollups: Record<MetricCode, TargetRollup> = {
  'scrapped-vehicles': { metric: Metrics.vehicles, field: 'count', categoryDim: 'vehicleType' },
  'used-car-transactions': { metric: Metrics.usedCars, field: 'count', categoryDim: 'vehicleType' },
  'appliances-recovered': { metric: Metrics.appliances, field: 'units', categoryDim: 'category' },
};
