// Trade-in subsidies in the rollups (metric `subsidies`): a claim counts once when first submitted,
// once approved, paid or reversed, and once per rejection, by programme, district and kind, in the
// Asia/Shanghai month of each step.
import { fixtures } from '@recycling/contracts/fixtures';
import { expandFacts } from '../src/domain/facts';
import { allFacts, COUNTED_TOPICS, Metrics, recordRules, type RecordState } from '../src/domain/record-rules';

const TZ = 'Asia/Shanghai';
const apply = (type: string, prev: RecordState | undefined, data: unknown, eventId = 'e1') =>
  recordRules[type]!.apply(prev, data, TZ, eventId) as RecordState | undefined;

const cells = (r: RecordState | undefined) => Object.fromEntries(expandFacts(allFacts(r)));

describe('subsidy rollups', () => {
  it('reads the subsidies topic into the subsidies metric', () => {
    expect(COUNTED_TOPICS).toContain('recycling.subsidies.v1');
    expect(Metrics.subsidies).toBe('subsidies');
  });

  it('counts a car claim submitted, rejected, resubmitted, approved and paid, each once, by programme and district', () => {
    const submitted = fixtures['recycling.subsidy.claim-submitted.v1'];
    let r = apply('recycling.subsidy.claim-submitted.v1', undefined, submitted);
    expect(recordRules['recycling.subsidy.claim-submitted.v1']!.recordId(submitted)).toBe(
      `subsidy:${submitted.claimId}`,
    );
    r = apply(
      'recycling.subsidy.claim-rejected.v1',
      r,
      fixtures['recycling.subsidy.claim-rejected.v1'],
      'e2',
    );
    // The resubmission is the same claim: not counted again.
    expect(
      apply('recycling.subsidy.claim-submitted.v1', r, { ...submitted, resubmission: 1 }, 'e3'),
    ).toBeUndefined();
    r = apply(
      'recycling.subsidy.claim-approved.v1',
      r,
      fixtures['recycling.subsidy.claim-approved.v1'],
      'e4',
    );
    r = apply('recycling.subsidy.claim-paid.v1', r, fixtures['recycling.subsidy.claim-paid.v1'], 'e5');
    expect(
      apply('recycling.subsidy.claim-paid.v1', r, fixtures['recycling.subsidy.claim-paid.v1'], 'e6'),
    ).toBeUndefined();
    const c = cells(r);
    expect(c['subsidies|2025-03|all|all']).toEqual({
      claims: 1,
      requestedFen: 2_000_000,
      rejected: 1,
      approved: 1,
      approvedFen: 2_000_000,
      paid: 1,
      paidFen: 2_000_000,
    });
    expect(c['subsidies|2025-03|programme|car-scrap']).toMatchObject({ claims: 1, paidFen: 2_000_000 });
    expect(c['subsidies|2025-03|district|t10']).toMatchObject({ approved: 1 });
    expect(c['subsidies|2025-03|kind|car-scrap']).toMatchObject({ paid: 1 });
  });

  it('counts a counter sale as a claim, and its reversal', () => {
    let r = apply(
      'recycling.subsidy.counter-sale-recorded.v1',
      undefined,
      fixtures['recycling.subsidy.counter-sale-recorded.v1'],
    );
    r = apply(
      'recycling.subsidy.claim-reversed.v1',
      r,
      fixtures['recycling.subsidy.claim-reversed.v1'],
      'e2',
    );
    expect(cells(r)['subsidies|2025-03|programme|appliance-trade-in']).toEqual({
      claims: 1,
      counterSales: 1,
      requestedFen: 91_980,
      reversed: 1,
      reversedFen: 91_980,
    });
  });
});
