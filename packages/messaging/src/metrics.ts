// What the messaging layer does, counted for /metrics: requests to the broker by API (Produce,
// Fetch, OffsetCommit, …), events published per topic, events consumed per topic and how.
import type { Consumer, Producer } from 'kafkajs';
import { Counter, register } from 'prom-client';

function counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
  return (
    (register.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames })
  );
}

export const messagingMetrics = {
  brokerRequests: counter('kafka_requests_total', 'Requests sent to the Kafka broker, by API', [
    'api',
    'client',
  ]),
  published: counter('events_published_total', 'Events published by the outbox relay, by topic', ['topic']),
  consumed: counter('events_consumed_total', 'Events applied by consumers, by topic and how', [
    'topic',
    'mode',
  ]),
  deadLettered: counter('events_dead_lettered_total', 'Events sent to a DLQ, by topic and kind', [
    'topic',
    'kind',
  ]),
};

/** Counts the requests a kafkajs producer or consumer sends (its instrumentation events). */
export function countBrokerRequests(client: Producer | Consumer, name: 'producer' | 'consumer'): void {
  const count = ({ payload }: { payload: { apiName: string } }) =>
    messagingMetrics.brokerRequests.inc({ api: payload.apiName, client: name });
  if (name === 'producer') (client as Producer).on((client as Producer).events.REQUEST, count);
  else (client as Consumer).on((client as Consumer).events.REQUEST, count);
}
