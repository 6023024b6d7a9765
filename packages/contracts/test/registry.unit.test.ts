import {
  EVENT_TYPES,
  EVENT_TYPE_PATTERN,
  TOPICS,
  eventSchemas,
  eventTypeVersion,
  formatIssues,
  keyForEvent,
  parseEvent,
  schemaForType,
  topicForType,
  topics,
} from '../src';
import { fixtures, people, vins } from '../src/fixtures';

describe('topic registry', () => {
  it('has the ten topics of the architecture, each with a DLQ', () => {
    expect(TOPICS.map((t) => t.name)).toEqual([
      'recycling.pickups.v1',
      'recycling.intakes.v1',
      'recycling.vehicles.v1',
      'recycling.purchases.v1',
      'recycling.invoices.v1',
      'recycling.declarations.v1',
      'recycling.used-cars.v1',
      'recycling.subsidies.v1',
      'recycling.disposals.v1',
      'recycling.remanufacturing.v1',
    ]);
    for (const t of TOPICS) {
      expect(t.dlq).toBe(`${t.name}.dlq`);
      expect(t.partitions).toBeGreaterThan(0);
      expect(t.producers.length).toBeGreaterThan(0);
    }
  });

  it('puts every event type on exactly one topic and follows the naming rule', () => {
    const all = TOPICS.flatMap((t) => Object.keys(t.events));
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...EVENT_TYPES].sort());
    for (const type of all) {
      expect(type).toMatch(EVENT_TYPE_PATTERN);
      expect(eventTypeVersion(type)).toBe(1);
      expect(Object.keys(topicForType(type)?.events ?? {})).toContain(type);
    }
  });

  it('finds schemas and topics by type, and nothing for unknown types', () => {
    expect(schemaForType('recycling.pickup.requested.v1')).toBe(
      eventSchemas['recycling.pickup.requested.v1'],
    );
    expect(topicForType('recycling.invoice.refused.v1')).toBe(topics.invoices);
    expect(schemaForType('recycling.pickup.requested.v9')).toBeUndefined();
    expect(topicForType('cn.alar.recycling.pickup.requested.v1')).toBeUndefined();
  });
});

describe('key functions', () => {
  it('derive the documented key from every fixture', () => {
    const expected: Record<string, string> = {
      'recycling.pickups.v1': 'pickupId',
      'recycling.vehicles.v1': 'vin',
      'recycling.used-cars.v1': 'vin',
      'recycling.declarations.v1': 'enterpriseId',
      'recycling.disposals.v1': 'batchId',
    };
    for (const type of EVENT_TYPES) {
      const data = fixtures[type] as Record<string, unknown>;
      const key = keyForEvent(type, fixtures[type] as never);
      expect(typeof key).toBe('string');
      expect(key.length).toBeGreaterThan(0);
      const field = expected[topicForType(type).name];
      if (field) expect(key).toBe(data[field]);
    }
  });

  it('key intakes by intake id, batches by batch id', () => {
    expect(keyForEvent('recycling.intake.recorded.v1', fixtures['recycling.intake.recorded.v1'])).toBe(
      'in-20250301-0007',
    );
    expect(
      keyForEvent('recycling.intake.batch-dispatched.v1', fixtures['recycling.intake.batch-dispatched.v1']),
    ).toBe('bt-20250305-01');
  });

  it('key purchases and invoices, refusals included, by seller key', () => {
    const wang = people.wangJianxin.sellerKey;
    expect(keyForEvent('recycling.purchase.recorded.v1', fixtures['recycling.purchase.recorded.v1'])).toBe(
      wang,
    );
    expect(keyForEvent('recycling.purchase.corrected.v1', fixtures['recycling.purchase.corrected.v1'])).toBe(
      wang,
    );
    expect(keyForEvent('recycling.invoice.issued.v1', fixtures['recycling.invoice.issued.v1'])).toBe(wang);
    expect(keyForEvent('recycling.invoice.reversed.v1', fixtures['recycling.invoice.reversed.v1'])).toBe(
      wang,
    );
    expect(keyForEvent('recycling.invoice.refused.v1', fixtures['recycling.invoice.refused.v1'])).toBe(
      people.liXiulan.sellerKey,
    );
    expect(keyForEvent('recycling.vehicle.received.v1', fixtures['recycling.vehicle.received.v1'])).toBe(
      vins.petrolCar,
    );
  });
});

describe('parseEvent', () => {
  it('returns typed data for a valid event', () => {
    const result = parseEvent('recycling.pickup.requested.v1', fixtures['recycling.pickup.requested.v1']);
    expect(result.ok).toBe(true);
    if (result.ok && result.type === 'recycling.pickup.requested.v1') {
      expect(result.data.pickupId).toBe('pk-20250228-0042');
    }
  });

  it('names an unknown type', () => {
    expect(parseEvent('recycling.pickup.teleported.v1', {})).toEqual({
      ok: false,
      reason: 'unknown-type',
      type: 'recycling.pickup.teleported.v1',
      issues: [],
    });
  });

  it('returns zod issues with paths for invalid data', () => {
    const bad = { ...fixtures['recycling.pickup.scheduled.v1'], occurredAt: '2025-03-01 10:00' };
    const result = parseEvent('recycling.pickup.scheduled.v1', bad);
    expect(result).toMatchObject({ ok: false, reason: 'invalid-data' });
    if (!result.ok) expect(formatIssues(result.issues)).toMatch(/^occurredAt: /);
  });

  it('drops unknown fields, so optional fields added later stay compatible', () => {
    const newer = { ...fixtures['recycling.pickup.cancelled.v1'], addedInALaterRelease: true };
    const result = parseEvent('recycling.pickup.cancelled.v1', newer);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.data).not.toHaveProperty('addedInALaterRelease');
  });
});
