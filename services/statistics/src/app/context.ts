import type { CityProfile } from '@recycling/contracts';
import type { EventFactory } from '@recycling/messaging';
import { monthOf } from '../domain/months';
import type { CounterStore } from '../store/counters';
import type { GenerationStore } from '../store/generations';
import type { MarketMonthStore } from '../store/market-months';
import type { TargetStore } from '../store/targets';
import type { UsedCarTransactionRepository } from '../store/used-car-transactions';

/** The consumer groups of the rollup generations, as the use cases see them. */
export interface RollupGroups {
  /** High watermarks of every counted partition now, per `topic~partition`. */
  endOffsets(): Promise<Record<string, string>>;
  /** Where a generation's consumer group stands, per partition ('-1' or absent: nothing committed). */
  position(gen: number): Promise<Record<string, string>>;
  /** Starts consumers of the active and building generations, stops the others. */
  sync(): Promise<void>;
}

/** What the use cases work with; built once by the service definition. */
export interface StatisticsContext {
  profile: CityProfile;
  counters: CounterStore;
  targets: TargetStore;
  generations: GenerationStore;
  rollups: RollupGroups;
  usedCars: UsedCarTransactionRepository;
  marketMonths: MarketMonthStore;
  events: EventFactory;
  now: () => Date;
}

/** The current month in the city's time zone (the default of every `asOf` and `to`). */
export const currentMonthOf = (ctx: Pick<StatisticsContext, 'now' | 'profile'>): string =>
  monthOf(ctx.now(), ctx.profile.timezone);
