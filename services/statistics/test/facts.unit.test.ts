import { fixtures } from '@recycling/contracts/fixtures';
import { expandFacts, factDelta, type Fact } from '../src/domain/facts';
import { addMonths, monthOf, monthRange, secondsBetween } from '../src/domain/months';
import { allFacts, recordRules, type RecordState } from '../src/domain/record-rules';

const TZ = 'Asia/Shanghai';

const apply = (type: string, prev: RecordState | undefined, data: unknown, eventId = 'e1') =>
  recordRules[type]!.apply(prev, data, TZ, eventId) as RecordState | undefined;

describe('months', () => {
  it('counts an instant in the Asia/Shanghai calendar month', () => {
    expect(monthOf('2025-03-31T15:59:59Z', TZ)).toBe('2025-03');
    expect(monthOf('2025-03-31T16:00:00Z', TZ)).toBe('2025-04');
    expect(monthOf('2024-12-31T16:30:00Z', TZ)).toBe('2025-01');
  });

  it('steps months across years', () => {
    expect(addMonths('2025-01', -1)).toBe('2024-12');
    expect(addMonths('2024-11', 14)).toBe('2026-01');
    expect(monthRange('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(secondsBetween('2025-01-01T00:00:00Z', '2025-01-01T01:00:00Z')).toBe(3600);
  });
});

describe('facts', () => {
  const fact = (fields: Record<string, number>, dims = { district: 't01' }): Fact => ({
    metric: 'appliances',
    month: '2025-03',
    dims,
    fields,
  });

  it('expands a fact into the total and one cell per dimension', () => {
    const cells = expandFacts([fact({ units: 2 }, { district: 't01', category: 'television' } as never)]);
    expect([...cells.keys()].sort()).toEqual([
      'appliances|2025-03|all|all',
      'appliances|2025-03|category|television',
      'appliances|2025-03|district|t01',
    ]);
  });

  it('gives the difference between two statements and drops cells that do not change', () => {
    const delta = factDelta([fact({ units: 2, grams: 100 })], [fact({ units: 2, grams: 80 })]);
    expect(delta.get('appliances|2025-03|all|all')).toEqual({ grams: -20 });
    expect(factDelta([fact({ units: 1 })], [fact({ units: 1 })]).size).toBe(0);
  });
});

describe('record rules', () => {
  it('restates an intake on correction, in the month and district of the intake', () => {
    const recorded = apply(
      'recycling.intake.recorded.v1',
      undefined,
      fixtures['recycling.intake.recorded.v1'],
    )!;
    const corrected = apply(
      'recycling.intake.corrected.v1',
      recorded,
      fixtures['recycling.intake.corrected.v1'],
    )!;
    const delta = factDelta(allFacts(recorded), allFacts(corrected));
    // The washer was weighed at 28.4 kg instead of the 30 kg default and paid 70 instead of 80 yuan.
    expect(delta.get('appliances|2025-03|all|all')).toEqual({ grams: -1600, fen: -1000 });
    expect(delta.get('appliances|2025-03|category|washing-machine')).toEqual({ grams: -1600, fen: -1000 });
    expect(delta.get('appliances|2025-03|district|s-xingfulu')).toEqual({ grams: -1600, fen: -1000 });
    expect(delta.has('appliances|2025-03|category|refrigerator')).toBe(false);
  });

  it('ignores a revision older than the one applied', () => {
    const recorded = apply(
      'recycling.intake.recorded.v1',
      undefined,
      fixtures['recycling.intake.recorded.v1'],
    )!;
    const corrected = apply(
      'recycling.intake.corrected.v1',
      recorded,
      fixtures['recycling.intake.corrected.v1'],
    )!;
    expect(
      apply('recycling.intake.corrected.v1', corrected, fixtures['recycling.intake.corrected.v1']),
    ).toBeUndefined();
    expect(
      apply('recycling.intake.recorded.v1', corrected, fixtures['recycling.intake.recorded.v1']),
    ).toBeUndefined();
  });

  it('takes back everything a voided vehicle intake contributed', () => {
    const received = apply(
      'recycling.vehicle.received.v1',
      undefined,
      fixtures['recycling.vehicle.received.v1'],
    )!;
    const certified = apply(
      'recycling.vehicle.certificate-issued.v1',
      received,
      fixtures['recycling.vehicle.certificate-issued.v1'],
    )!;
    const voided = apply('recycling.vehicle.intake-voided.v1', certified, {
      ...fixtures['recycling.vehicle.intake-voided.v1'],
      vehicleIntakeId: fixtures['recycling.vehicle.received.v1'].vehicleIntakeId,
    })!;
    expect(allFacts(voided)).toEqual([]);
    const delta = factDelta(allFacts(certified), allFacts(voided));
    expect(delta.get('vehicles|2025-02|all|all')).toEqual({
      count: -1,
      fen: -fixtures['recycling.vehicle.received.v1'].priceFen,
      grams: -(
        fixtures['recycling.vehicle.received.v1'].weighedGrams ??
        fixtures['recycling.vehicle.received.v1'].curbWeightGrams ??
        0
      ),
    });
    expect(delta.get('vehicle-certificates|2025-02|all|all')).toEqual({ count: -1 });
    // A received event arriving again after the void counts nothing.
    expect(
      apply('recycling.vehicle.received.v1', voided, fixtures['recycling.vehicle.received.v1']),
    ).toBeUndefined();
  });

  it('measures the time to collect from the request, in the district of the request', () => {
    const requested = apply(
      'recycling.pickup.requested.v1',
      undefined,
      fixtures['recycling.pickup.requested.v1'],
    )!;
    const collected = apply(
      'recycling.pickup.collected.v1',
      requested,
      fixtures['recycling.pickup.collected.v1'],
    )!;
    const [fact] = collected.slots.collected!;
    // requested 2025-02-28T03:15Z, collected 2025-03-01T02:48Z: 23 h 33 min
    expect(fact!.fields).toMatchObject({ collected: 1, timed: 1, collectSeconds: 84_780 });
    expect(fact!.dims.district).toBe('s-xingfulu');
    expect(fact!.month).toBe('2025-03');
  });

  it('counts a pickup scheduled once, in the district of the request, and every later plan as a reschedule', () => {
    const requested = apply(
      'recycling.pickup.requested.v1',
      undefined,
      fixtures['recycling.pickup.requested.v1'],
    )!;
    const scheduled = apply(
      'recycling.pickup.scheduled.v1',
      requested,
      fixtures['recycling.pickup.scheduled.v1'],
      'e-sched-1',
    )!;
    const rescheduled = apply(
      'recycling.pickup.scheduled.v1',
      scheduled,
      { ...fixtures['recycling.pickup.scheduled.v1'], occurredAt: '2025-03-02T01:00:00Z' },
      'e-sched-2',
    )!;
    const first = factDelta(allFacts(requested), allFacts(scheduled));
    expect(first.get('pickups|2025-02|all|all')).toEqual({ scheduled: 1 });
    expect(first.get('pickups|2025-02|district|s-xingfulu')).toEqual({ scheduled: 1 });
    expect(first.get('pickups|2025-02|kind|appliances')).toEqual({ scheduled: 1 });
    const again = factDelta(allFacts(scheduled), allFacts(rescheduled));
    expect(again.get('pickups|2025-03|all|all')).toEqual({ rescheduled: 1 });
    expect(again.has('pickups|2025-02|all|all')).toBe(false);
  });

  it('counts a pickup delivered when an intake or a vehicle reception names it, and not on correction', () => {
    const intake = fixtures['recycling.intake.recorded.v1'];
    const recorded = apply('recycling.intake.recorded.v1', undefined, intake)!;
    const delivered = expandFacts(allFacts(recorded));
    expect(delivered.get('pickups|2025-03|all|all')).toEqual({ delivered: 1 });
    expect(delivered.get('pickups|2025-03|district|s-xingfulu')).toEqual({ delivered: 1 });
    expect(delivered.get('pickups|2025-03|kind|appliances')).toEqual({ delivered: 1 });
    const corrected = apply(
      'recycling.intake.corrected.v1',
      recorded,
      fixtures['recycling.intake.corrected.v1'],
    )!;
    expect(factDelta(allFacts(recorded), allFacts(corrected)).has('pickups|2025-03|all|all')).toBe(false);
    const walkIn = apply('recycling.intake.recorded.v1', undefined, {
      ...intake,
      source: { kind: 'walk-in' },
    })!;
    expect(expandFacts(allFacts(walkIn)).has('pickups|2025-03|all|all')).toBe(false);

    const vehicle = fixtures['recycling.vehicle.received.v1'];
    const received = apply('recycling.vehicle.received.v1', undefined, vehicle)!;
    expect(expandFacts(allFacts(received)).get('pickups|2025-02|kind|vehicle')).toEqual({ delivered: 1 });
    const { pickupId: _pickupId, ...withoutPickup } = vehicle;
    const walkedIn = apply('recycling.vehicle.received.v1', undefined, withoutPickup)!;
    expect(expandFacts(allFacts(walkedIn)).has('pickups|2025-02|all|all')).toBe(false);
  });

  it('nets a red-letter invoice against the issued one in the tax month', () => {
    const issued = apply('recycling.invoice.issued.v1', undefined, fixtures['recycling.invoice.issued.v1'])!;
    const reversed = apply(
      'recycling.invoice.reversed.v1',
      undefined,
      fixtures['recycling.invoice.reversed.v1'],
    )!;
    const cells = expandFacts([...allFacts(issued), ...allFacts(reversed)]);
    expect(cells.get('invoices|2025-03|all|all')).toEqual({
      issued: 1,
      reversed: 1,
      amountFen: 0,
      vatFen: 0,
      incomeTaxFen: 0,
    });
  });
});
