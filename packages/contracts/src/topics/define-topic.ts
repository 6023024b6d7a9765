import type { z } from 'zod';
import { dlqTopicOf } from '../envelope/dlq';

export type EventSchemas = Readonly<Record<string, z.ZodType>>;

/** One of a topic's events as the key function sees it: the type narrows the data. */
export type TopicEvent<E extends EventSchemas> = {
  [K in keyof E & string]: { readonly type: K; readonly data: z.output<E[K]> };
}[keyof E & string];

export interface TopicDefinition<TName extends string = string, E extends EventSchemas = EventSchemas> {
  readonly name: TName;
  /** Services allowed to write it (the service part of ce_source); everyone else only reads. */
  readonly producers: readonly string[];
  readonly partitions: number;
  /** Time records are kept; -1 keeps them for ever (statistics are rebuilt by replaying topics). */
  readonly retentionMs: number;
  /** What the record key is, in words, for people and for the README. */
  readonly keyDescription: string;
  readonly events: E;
  readonly dlq: `${TName}.dlq`;
  /** Derives the record key from an event; producers must use it, never build keys by hand. */
  keyOf(event: TopicEvent<E>): string;
}

// Six partitions leave room for six consumer replicas per group in one city; more is a config change
// only while keys stay the same.
export const DEFAULT_PARTITIONS = 6;

export const defineTopic = <TName extends string, E extends EventSchemas>(def: {
  name: TName;
  producers: readonly string[];
  keyDescription: string;
  events: E;
  keyOf: (event: TopicEvent<E>) => string;
  partitions?: number;
  retentionMs?: number;
}): TopicDefinition<TName, E> => ({
  name: def.name,
  producers: def.producers,
  partitions: def.partitions ?? DEFAULT_PARTITIONS,
  retentionMs: def.retentionMs ?? -1,
  keyDescription: def.keyDescription,
  events: def.events,
  dlq: dlqTopicOf(def.name) as `${TName}.dlq`,
  keyOf: def.keyOf,
});
