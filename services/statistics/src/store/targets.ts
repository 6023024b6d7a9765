// Baselines and targets per metric: data an administrator sets, seeded from the city profile.
import type { CityProfile, Label, MetricCode } from '@recycling/contracts';
import { insertOnce } from '@recycling/store';
import type { Connection, mongo } from 'mongoose';

export const TARGETS_COLLECTION = 'targets';

export interface TargetDoc {
  _id: MetricCode;
  name: Label;
  unit: Label;
  baseline: number;
  baselineAssumed: boolean;
  baselineYear: number;
  targetYear: number;
  growthBp: number;
  source: string;
  updatedAt: Date;
  updatedBy: string;
}

export class TargetStore {
  readonly collection: mongo.Collection<TargetDoc>;

  constructor(connection: Connection) {
    this.collection = connection.collection<TargetDoc>(TARGETS_COLLECTION);
  }

  /** Inserts the profile's targets that are not set yet; never overwrites an administrator's values. */
  async seed(profile: CityProfile): Promise<void> {
    const t = profile.targets;
    for (const [metric, m] of Object.entries(t.metrics) as [MetricCode, (typeof t.metrics)[MetricCode]][]) {
      await insertOnce(this.collection, {
        _id: metric,
        name: m.name,
        unit: m.unit,
        baseline: m.baseline,
        baselineAssumed: m.baselineAssumed,
        baselineYear: t.baselineYear,
        targetYear: t.targetYear,
        growthBp: m.growthBp,
        source: t.source,
        updatedAt: new Date(),
        updatedBy: 'city-profile',
      });
    }
  }

  list(): Promise<TargetDoc[]> {
    return this.collection.find({}).sort({ _id: 1 }).toArray();
  }

  get(metric: MetricCode): Promise<TargetDoc | null> {
    return this.collection.findOne({ _id: metric });
  }

  async put(doc: TargetDoc): Promise<void> {
    await this.collection.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }
}
