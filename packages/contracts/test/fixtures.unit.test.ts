import {
  EVENT_TYPES,
  alarProfile,
  districtByCode,
  readCloudEventHeaders,
  schemaForType,
  toCloudEventHeaders,
  vehicleFlags,
} from '../src';
import { fixtureEvent, fixtures } from '../src/fixtures';

describe('fixtures', () => {
  it('exist for every registered type and nothing else', () => {
    expect(Object.keys(fixtures).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(EVENT_TYPES.map((t) => [t]))('%s is valid against its schema', (type) => {
    const result = schemaForType(type).safeParse(fixtures[type]);
    if (!result.success) throw new Error(JSON.stringify(result.error.issues, null, 2));
    // Parsing keeps everything: fixtures use no field the schema does not know.
    expect(result.data).toEqual(fixtures[type]);
  });

  it('use Alar districts', () => {
    for (const type of EVENT_TYPES) {
      const code = (fixtures[type] as { districtCode?: string }).districtCode;
      if (code !== undefined) expect(districtByCode(alarProfile, code)).toBeDefined();
    }
  });

  it('carry the vehicle flags the Alar rules give', () => {
    const received = fixtures['recycling.vehicle.received.v1'];
    expect(received.flags).toEqual(vehicleFlags(received, alarProfile.subsidies));
  });

  it('name the pickup the purchased goods came through, as the intake does', () => {
    const intake = fixtures['recycling.intake.recorded.v1'];
    expect(intake.source.pickupId).toBeDefined();
    for (const type of ['recycling.purchase.recorded.v1', 'recycling.purchase.corrected.v1'] as const) {
      expect(fixtures[type].pickupId).toBe(intake.source.pickupId);
    }
    expect(fixtures['recycling.pickup.requested.v1'].pickupId).toBe(intake.source.pickupId);
  });

  it('wrap into envelopes whose headers are valid, with stable ids', () => {
    for (const type of EVENT_TYPES) {
      const event = fixtureEvent(type);
      expect(event.id).toBe(fixtureEvent(type).id);
      expect(event.source).toMatch(/^urn:recycling:659002:[a-z]+$/);
      expect(readCloudEventHeaders(toCloudEventHeaders(event))).toMatchObject({ ok: true });
    }
    expect(new Set(EVENT_TYPES.map((t) => fixtureEvent(t).id)).size).toBe(EVENT_TYPES.length);
  });

  it('accept shallow data overrides', () => {
    const event = fixtureEvent('recycling.pickup.cancelled.v1', { data: { by: 'operator' } });
    expect(event.data.by).toBe('operator');
    expect(event.data.pickupId).toBe(fixtures['recycling.pickup.cancelled.v1'].pickupId);
  });
});
