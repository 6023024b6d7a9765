// The messaging layer does not know the domain: it asks a catalog which topic an event type
// belongs to, how to key it, and whether its data is valid. @recycling/contracts provides the
// catalog built from the topic registry; tests may provide a small one of their own.
import {
  TOPICS,
  formatIssues,
  keyForEvent,
  parseEvent,
  topicForType,
  type DlqErrorKind,
  type EventType,
} from '@recycling/contracts';

export type DecodeResult =
  | { ok: true; data: unknown }
  | { ok: false; kind: Extract<DlqErrorKind, 'unknown-type' | 'invalid-data'>; reason: string };

export interface EventCatalog {
  /** Logical topic name (without deployment prefix) of an event type, or undefined if unknown. */
  topicOf(type: string): string | undefined;
  /** Kafka key of an event: every event of one aggregate (or seller) lands on one partition. */
  keyOf(type: string, data: unknown): string;
  /** Validates and normalises the data of an event type. */
  decode(type: string, data: unknown): DecodeResult;
  /** Every logical topic with its partition count, for topic creation. */
  topics(): Array<{ name: string; partitions: number }>;
}

export { dlqTopicOf } from '@recycling/contracts';

/**
 * A deployment prefix lets several networks (cities, test runs) share one cluster without their
 * topics meeting: `alar.recycling.pickups.v1`. Empty in a dedicated cluster.
 */
export const physicalTopic = (prefix: string | undefined, topic: string): string =>
  prefix ? `${prefix}.${topic}` : topic;

export const logicalTopic = (prefix: string | undefined, topic: string): string =>
  prefix && topic.startsWith(`${prefix}.`) ? topic.slice(prefix.length + 1) : topic;

/** The catalog of the recycling network, built from the topic registry of @recycling/contracts. */
export const registryCatalog: EventCatalog = {
  topicOf: (type) => topicForType(type)?.name,
  keyOf: (type, data) => keyForEvent(type as EventType, data as never),
  decode: (type, data) => {
    const parsed = parseEvent(type, data);
    if (parsed.ok) return { ok: true, data: parsed.data };
    return parsed.reason === 'unknown-type'
      ? { ok: false, kind: 'unknown-type', reason: `unknown event type ${type}` }
      : { ok: false, kind: 'invalid-data', reason: formatIssues(parsed.issues) };
  },
  topics: () => TOPICS.map((t) => ({ name: t.name, partitions: t.partitions })),
};
