import {
  DlqHeaders,
  domainEventFrom,
  dlqTopicOf,
  eventSource,
  parseEventSource,
  readCloudEventHeaders,
  toCloudEventHeaders,
} from '../src';
import { fixtureEvent } from '../src/fixtures';

describe('event source', () => {
  it('puts the city and the writing service in a URN', () => {
    expect(eventSource('659002', 'pickup')).toBe('urn:recycling:659002:pickup');
    expect(parseEventSource('urn:recycling:659002:invoicing')).toEqual({
      cityCode: '659002',
      service: 'invoicing',
    });
    expect(parseEventSource('cn.alar.recycling')).toBeUndefined();
    expect(() => eventSource('alar', 'pickup')).toThrow();
  });
});

describe('CloudEvents headers (Kafka binary mode)', () => {
  const event = { ...fixtureEvent('recycling.pickup.requested.v1'), subject: 'pk-20250228-0042' };
  const trace = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };

  it('carry every attribute, the content type and the trace context', () => {
    expect(toCloudEventHeaders(event, trace)).toEqual({
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_type: 'recycling.pickup.requested.v1',
      ce_source: 'urn:recycling:659002:pickup',
      ce_time: event.data.occurredAt,
      ce_subject: 'pk-20250228-0042',
      'content-type': 'application/json',
      traceparent: trace.traceparent,
    });
  });

  it('round-trip through Kafka header values (Buffers) back to the event', () => {
    const raw = Object.fromEntries(
      Object.entries(toCloudEventHeaders(event, trace)).map(([k, v]) => [k, Buffer.from(String(v))]),
    );
    const read = readCloudEventHeaders({ ...raw, 'x-unrelated': Buffer.from('1') });
    expect(read.ok).toBe(true);
    if (read.ok) {
      expect(read.headers.traceparent).toBe(trace.traceparent);
      expect(domainEventFrom(read.headers, event.data)).toEqual(event);
    }
  });

  it('reject a missing id, a non-UTC time and a city-specific type', () => {
    const headers = toCloudEventHeaders(event);
    const { ce_id: _id, ...withoutId } = headers;
    expect(readCloudEventHeaders(withoutId)).toMatchObject({ ok: false });
    expect(readCloudEventHeaders({ ...headers, ce_time: '2025-02-28T11:15:00+08:00' })).toMatchObject({
      ok: false,
    });
    expect(
      readCloudEventHeaders({ ...headers, ce_type: 'cn.alar.recycling.pickup.requested.v1' }),
    ).toMatchObject({ ok: false });
  });
});

describe('dead-letter topics', () => {
  it('are named after their source topic and described by their headers', () => {
    expect(dlqTopicOf('recycling.purchases.v1')).toBe('recycling.purchases.v1.dlq');
    expect(
      DlqHeaders.safeParse({
        'dlq-reason': 'seller.idNumber: check character should be 1',
        'dlq-error-kind': 'invalid-data',
        'dlq-original-topic': 'recycling.purchases.v1',
        'dlq-original-partition': '3',
        'dlq-original-offset': '1042',
        'dlq-failed-at': '2025-03-01T04:12:01Z',
        'dlq-attempts': '1',
        'dlq-consumer-group': 'invoicing',
      }).success,
    ).toBe(true);
  });
});
