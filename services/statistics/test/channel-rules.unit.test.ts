// The two channels plan section 5 adds, in the rollups: public institutions' disposals (metric
// `disposals`: assets registered, received and handed over, by district, kind, category and mode)
// and remanufacturing (metric `remanufacturing`: cores received and products started and released,
// by product line), each once per record and step, in the Asia/Shanghai month of the step.
import { fixtures } from '@recycling/contracts/fixtures';
import { expandFacts } from '../src/domain/facts';
import {
  allFacts,
  COUNTED_TOPICS,
  disposalKindOf,
  Metrics,
  recordRules,
  type RecordState,
} from '../src/domain/record-rules';
import { countedByDistrict } from '../src/domain/districts';

const TZ = 'Asia/Shanghai';
const apply = (type: string, prev: RecordState | undefined, data: unknown, eventId = 'e1') =>
  recordRules[type]!.apply(prev, data, TZ, eventId) as RecordState | undefined;
const cells = (r: RecordState | undefined) => Object.fromEntries(expandFacts(allFacts(r)));

describe('public institutions’ disposals', () => {
  const registered = fixtures['recycling.disposal.batch-registered.v1'];
  const received = fixtures['recycling.disposal.batch-received.v1'];
  const handedOver = fixtures['recycling.disposal.assets-handed-over.v1'];

  it('reads the disposals topic into a metric of its own, counted by district', () => {
    expect(COUNTED_TOPICS).toContain('recycling.disposals.v1');
    expect(Metrics.disposals).toBe('disposals');
    expect(countedByDistrict('disposals')).toBe(true);
    expect(recordRules['recycling.disposal.batch-received.v1']!.recordId(received)).toBe(
      `disposal:${received.batchId}`,
    );
  });

  it('counts catalogue appliances as appliances, everything else as equipment', () => {
    expect(disposalKindOf('microcomputer')).toBe('appliances');
    expect(disposalKindOf('copier')).toBe('appliances');
    expect(disposalKindOf('air-conditioner')).toBe('appliances');
    // Production equipment is never an appliance, whoever disposes of it.
    expect(disposalKindOf('pv-inverter')).toBe('equipment');
    expect(disposalKindOf('textile-machinery')).toBe('equipment');
    // No appliance category: a server, office furniture.
    expect(disposalKindOf(undefined)).toBe('equipment');
  });

  it('counts a batch registered, received and handed over, each step once, in its own month', () => {
    let r = apply('recycling.disposal.batch-registered.v1', undefined, registered);
    r = apply('recycling.disposal.batch-received.v1', r, received, 'e2');
    r = apply('recycling.disposal.assets-handed-over.v1', r, handedOver, 'e3');
    // Each step again changes nothing (the same batch received twice, the same handover).
    expect(apply('recycling.disposal.batch-registered.v1', r, registered, 'e4')).toBeUndefined();
    expect(apply('recycling.disposal.batch-received.v1', r, received, 'e5')).toBeUndefined();
    expect(apply('recycling.disposal.assets-handed-over.v1', r, handedOver, 'e6')).toBeUndefined();
    const c = cells(r);
    // All in April 2025 (Asia/Shanghai): registered 2 April, received 8 April, handed over 10 April.
    expect(c['disposals|2025-04|all|all']).toEqual({
      registered: 3,
      originalValueFen: 2_768_000,
      batches: 1,
      received: 2,
      receivedGrams: 68_300,
      handedOver: 1,
      handedOverGrams: 9_800,
    });
    expect(c['disposals|2025-04|kind|appliances']).toEqual({
      registered: 2,
      originalValueFen: 498_000 + 2_150_000,
      received: 2,
      receivedGrams: 68_300,
      handedOver: 1,
      handedOverGrams: 9_800,
    });
    // The desk: registered, never received (a difference the institution accounted for).
    expect(c['disposals|2025-04|kind|equipment']).toEqual({ registered: 1, originalValueFen: 120_000 });
    expect(c['disposals|2025-04|category|desktop-computer']).toMatchObject({ received: 1, handedOver: 1 });
    expect(c['disposals|2025-04|mode|reallocation']).toEqual({ registered: 1, originalValueFen: 120_000 });
    // The handover names no district: the batch's, from its registration and receipt.
    expect(c['disposals|2025-04|district|s-jinyinchuanlu']).toMatchObject({ batches: 1, handedOver: 1 });
    // Never in the intakes' metrics.
    expect(Object.keys(c).every((k) => k.startsWith('disposals|'))).toBe(true);
  });

  it('takes a withdrawn batch’s registration back, in the month it was counted', () => {
    let r = apply('recycling.disposal.batch-registered.v1', undefined, registered);
    r = apply(
      'recycling.disposal.batch-cancelled.v1',
      r,
      fixtures['recycling.disposal.batch-cancelled.v1'],
      'e2',
    );
    expect(cells(r)).toEqual({});
    // Its registration redelivered after the cancel stays taken back.
    expect(apply('recycling.disposal.batch-registered.v1', r, registered, 'e3')).toBeUndefined();
  });

  it('counts each handover of a batch, and the district as unknown when nothing named it', () => {
    let r = apply('recycling.disposal.assets-handed-over.v1', undefined, handedOver);
    r = apply(
      'recycling.disposal.assets-handed-over.v1',
      r,
      { ...handedOver, handoverId: 'ho-2', occurredAt: '2025-04-30T17:00:00Z' },
      'e2',
    );
    const c = cells(r);
    expect(c['disposals|2025-04|district|unknown']).toEqual({ handedOver: 1, handedOverGrams: 9_800 });
    // 17:00 UTC on 30 April is 1 May in Shanghai.
    expect(c['disposals|2025-05|all|all']).toEqual({ handedOver: 1, handedOverGrams: 9_800 });
  });
});

describe('remanufacturing', () => {
  const core = fixtures['recycling.remanufacturing.core-received.v1'];
  const started = fixtures['recycling.remanufacturing.product-started.v1'];
  const released = fixtures['recycling.remanufacturing.product-released.v1'];

  it('reads the remanufacturing topic into a metric of its own, not counted by district', () => {
    expect(COUNTED_TOPICS).toContain('recycling.remanufacturing.v1');
    expect(countedByDistrict('remanufacturing')).toBe(false);
  });

  it('counts a core once by line, source and remanufacturer, and a rejected one apart', () => {
    const r = apply('recycling.remanufacturing.core-received.v1', undefined, core);
    expect(apply('recycling.remanufacturing.core-received.v1', r, core, 'e2')).toBeUndefined();
    const rejected = apply('recycling.remanufacturing.core-received.v1', undefined, {
      ...core,
      coreId: 'core-2',
      intakeCheck: { passed: false },
    });
    expect(cells(r)).toEqual({
      'remanufacturing|2025-03|all|all': { cores: 1 },
      'remanufacturing|2025-03|line|engine': { cores: 1 },
      'remanufacturing|2025-03|source|vehicle-assembly': { cores: 1 },
      'remanufacturing|2025-03|remanufacturer|rm-alar-power': { cores: 1 },
    });
    expect(cells(rejected)['remanufacturing|2025-03|line|engine']).toEqual({ cores: 1, coresRejected: 1 });
  });

  it('counts a product once started and once released, by line, in the month of each', () => {
    let r = apply('recycling.remanufacturing.product-started.v1', undefined, started);
    r = apply('recycling.remanufacturing.product-released.v1', r, released, 'e2');
    expect(apply('recycling.remanufacturing.product-released.v1', r, released, 'e3')).toBeUndefined();
    const c = cells(r);
    expect(c['remanufacturing|2025-03|line|engine']).toEqual({ started: 1 });
    expect(c['remanufacturing|2025-04|line|engine']).toEqual({ released: 1 });
    expect(recordRules['recycling.remanufacturing.product-released.v1']!.recordId(released)).toBe(
      `reman-product:${released.productId}`,
    );
  });
});
