import { DomainError, PurchaseCorrectedData, PurchaseRecordedData, alarProfile } from '@recycling/contracts';
import { intakeRecorded, purchaseRecorded as purchaseFixture } from '@recycling/contracts/fixtures';
import { checkReceivable } from '../src/domain/arrivals';
import { inTimeOrder, lineLocation, type CustodyStep } from '../src/domain/custody';
import { checkDispatchable, partWeightGrams } from '../src/domain/dispatch';
import { intakeIdReceivedAt, localDay, newIntakeId } from '../src/domain/intake-ids';
import { correctedContents, newContents, sameContents } from '../src/domain/intake-lines';
import { pickupDifference } from '../src/domain/pickup-difference';
import {
  goodsNameOf,
  purchaseChangeFor,
  purchaseCorrected,
  purchaseLines,
  purchaseRecorded,
  type PurchaseFacts,
} from '../src/domain/purchase';
import { checkCorrectionKeepsSorted, checkSorting } from '../src/domain/sorting';

const defaults = alarProfile.appliances.defaultWeightGrams;
const TAX = '1090501010000000000';

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
};

describe('intake lines', () => {
  it('uses the profile default weight x units when the scale was not used, and marks it estimated', () => {
    const c = newContents(
      [
        { category: 'television', units: 2, condition: 'for-dismantling', priceFen: 3000 },
        { category: 'refrigerator', units: 1, weightGrams: 52_300, condition: 'reusable', priceFen: 12_000 },
      ],
      defaults,
    );
    expect(c.lines[0]).toMatchObject({
      lineId: 'l1',
      weightGrams: 2 * defaults.television,
      weightEstimated: true,
    });
    expect(c.lines[1]).toMatchObject({ lineId: 'l2', weightGrams: 52_300, weightEstimated: false });
    expect(c.totalFen).toBe(15_000);
    expect(c.totalWeightGrams).toBe(2 * defaults.television + 52_300);
  });

  it('keeps line ids across a correction and never reuses the id of a withdrawn line', () => {
    const first = newContents(
      [
        { category: 'television', units: 1, condition: 'reusable', priceFen: 1000 },
        { category: 'laptop', units: 1, condition: 'reusable', priceFen: 500 },
      ],
      defaults,
    );
    const after = correctedContents(
      [
        {
          lineId: 'l1',
          category: 'television',
          units: 1,
          weightGrams: 18_000,
          condition: 'reusable',
          priceFen: 900,
        },
        { category: 'monitor', units: 1, condition: 'for-dismantling', priceFen: 200 },
      ],
      first,
      ['l1', 'l2', 'l3'],
      defaults,
    );
    expect(after.lines.map((l) => l.lineId)).toEqual(['l1', 'l4']);
    expect(after.totalFen).toBe(1100);
    expect(sameContents(first, after)).toBe(false);
    expect(sameContents(first, structuredClone(first))).toBe(true);
  });

  it('refuses a correction naming a line the current revision does not have, naming the field', () => {
    const first = newContents([{ category: 'fax', units: 1, condition: 'reusable', priceFen: 0 }], defaults);
    const error = refusal(() =>
      correctedContents(
        [{ lineId: 'l9', category: 'fax', units: 1, condition: 'reusable', priceFen: 0 }],
        first,
        ['l1'],
        defaults,
      ),
    );
    expect(error).toMatchObject({ kind: 'invalid', fields: [{ field: 'lines.0.lineId' }] });
  });
});

describe('purchase lines', () => {
  it('states paid lines in invoice terms and leaves free ones out', () => {
    const c = newContents(
      [
        { category: 'washing-machine', units: 2, condition: 'reusable', priceFen: 16_000 },
        { category: 'telephone', units: 1, condition: 'for-dismantling', priceFen: 0 },
      ],
      defaults,
    );
    expect(purchaseLines(c, TAX)).toEqual([
      {
        lineId: 'l1',
        goodsName: '*废旧物资*废旧洗衣机',
        taxCategoryCode: TAX,
        unit: '台',
        quantity: '2',
        unitPriceFen: 8000,
        amountFen: 16_000,
      },
    ]);
    expect(goodsNameOf('refrigerator')).toBe('*废旧物资*废旧电冰箱');
  });

  it('records a first purchase when an unpaid intake becomes paid, restates it when payment changed', () => {
    const paid = purchaseLines(
      newContents([{ category: 'fax', units: 1, condition: 'reusable', priceFen: 300 }], defaults),
      TAX,
    );
    const cheaper = [{ ...paid[0]!, unitPriceFen: 200, amountFen: 200 }];
    expect(purchaseChangeFor(0, [], [], false)).toEqual({ kind: 'none' });
    expect(purchaseChangeFor(0, [], paid, false)).toEqual({ kind: 'record' });
    expect(purchaseChangeFor(1, paid, paid, false)).toEqual({ kind: 'none' }); // a weight fix changes no amount
    expect(purchaseChangeFor(1, paid, paid, true)).toEqual({ kind: 'correct', revision: 2 });
    expect(purchaseChangeFor(2, paid, cheaper, false)).toEqual({ kind: 'correct', revision: 3 });
    expect(purchaseChangeFor(3, paid, [], false)).toEqual({ kind: 'correct', revision: 4 }); // withdrawal
    expect(purchaseChangeFor(4, [], [], false)).toEqual({ kind: 'none' }); // already withdrawn
  });
});

describe('purchase events', () => {
  const facts: PurchaseFacts = {
    intakeId: intakeRecorded.intakeId,
    enterpriseId: purchaseFixture.buyer.enterpriseId,
    stationId: purchaseFixture.siteId,
    seller: purchaseFixture.seller,
    paidAt: purchaseFixture.paidAt,
    evidence: purchaseFixture.evidence,
  };
  const lines = purchaseFixture.lines;

  it('name the pickup the goods came through, in the recording and every restatement', () => {
    const withPickup = { ...facts, pickupId: 'pk-20250228-0042' };
    const recorded = PurchaseRecordedData.parse(purchaseRecorded(withPickup, lines, purchaseFixture.paidAt));
    expect(recorded.pickupId).toBe('pk-20250228-0042');
    const corrected = PurchaseCorrectedData.parse(
      purchaseCorrected(withPickup, [], 2, '卖方撤回交易', '2025-03-02T04:00:00Z'),
    );
    expect(corrected).toMatchObject({ pickupId: 'pk-20250228-0042', totalFen: 0, revision: 2 });
  });

  it('carry no pickupId for goods brought to the desk', () => {
    const recorded = purchaseRecorded(facts, lines, purchaseFixture.paidAt);
    expect(PurchaseRecordedData.parse(recorded)).not.toHaveProperty('pickupId');
  });
});

describe('sorting and dispatch', () => {
  const contents = intakeRecorded.contents;

  it('refuses to sort more units than a line has, across sortings', () => {
    checkSorting(contents, [], [{ lineId: 'l1', outcome: 'dismantling', units: 1 }]);
    const error = refusal(() =>
      checkSorting(
        contents,
        [{ lineId: 'l1', outcome: 'dismantling', units: 1 }],
        [{ lineId: 'l1', outcome: 'resale', units: 1 }],
      ),
    );
    expect(error).toMatchObject({ kind: 'conflict', fields: [{ field: 'outcomes.0.units' }] });
    expect(
      refusal(() => checkSorting(contents, [], [{ lineId: 'l7', outcome: 'resale', units: 1 }])),
    ).toMatchObject({ kind: 'invalid', fields: [{ field: 'outcomes.0.lineId' }] });
  });

  it('refuses a correction that takes away sorted units', () => {
    const sorted = [{ lineId: 'l2', outcome: 'refurbishment' as const, units: 1 }];
    const withoutWasher = { ...contents, lines: contents.lines.filter((l) => l.lineId !== 'l2') };
    expect(refusal(() => checkCorrectionKeepsSorted(withoutWasher, sorted))).toMatchObject({
      kind: 'conflict',
    });
    expect(() => checkCorrectionKeepsSorted(contents, sorted)).not.toThrow();
  });

  it('splits a line weight so that the parts add up exactly', () => {
    const line = { units: 3, weightGrams: 10_000 };
    const parts = [partWeightGrams(line, 0, 1), partWeightGrams(line, 1, 1), partWeightGrams(line, 2, 1)];
    expect(parts.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(partWeightGrams(line, 0, 3)).toBe(10_000);
  });

  it('lets only sorted units that have not left go into a batch', () => {
    const line = contents.lines[0]!;
    const request = { intakeId: 'in-1', lineId: 'l1', units: 1 };
    expect(refusal(() => checkDispatchable(request, 0, { line, sorted: 0, dispatched: 0 }, 0))).toMatchObject(
      {
        kind: 'conflict',
        fields: [{ field: 'items.0.units' }],
      },
    );
    expect(refusal(() => checkDispatchable(request, 2, undefined, 0))).toMatchObject({
      fields: [{ field: 'items.2.lineId' }],
    });
    expect(() => checkDispatchable(request, 0, { line, sorted: 1, dispatched: 0 }, 0)).not.toThrow();
    expect(lineLocation(3, 2, 1)).toEqual({ units: 3, unsorted: 1, sortedAtStation: 1, dispatched: 1 });
  });
});

describe('receiving a pickup', () => {
  const receivable = (arrival: Parameters<typeof checkReceivable>[2], earlier?: string) => () =>
    checkReceivable('pk-1', 'st-1', arrival, earlier);

  it('takes goods of a pickup not known yet, or open at this station', () => {
    expect(receivable(null)).not.toThrow();
    expect(receivable({ stationId: 'st-1', status: 'collected' })).not.toThrow();
  });

  it('refuses a second intake, another station’s pickup and a closed one, naming source.pickupId', () => {
    for (const [fn, code] of [
      [receivable(null, 'in-1'), 'pickup-already-received'],
      [receivable({ stationId: 'st-2', status: 'scheduled' }), 'pickup-of-another-station'],
      [receivable({ stationId: 'st-1', status: 'cancelled' }), 'pickup-closed'],
      [receivable({ stationId: 'st-1', status: 'failed' }), 'pickup-closed'],
    ] as const) {
      expect(refusal(fn)).toMatchObject({ kind: 'conflict', code, fields: [{ field: 'source.pickupId' }] });
    }
  });
});

describe('pickup difference', () => {
  it('shows per category what was received against what was booked', () => {
    const diff = pickupDifference(
      [
        { category: 'refrigerator', count: 1 },
        { category: 'television', count: 2 },
      ],
      [
        { category: 'refrigerator', units: 1 },
        { category: 'television', units: 1 },
        { category: 'laptop', units: 1 },
      ],
    );
    expect(diff).toEqual([
      { category: 'television', booked: 2, received: 1, difference: -1 },
      { category: 'laptop', booked: 0, received: 1, difference: 1 },
    ]);
  });
});

describe('ids and time order', () => {
  it('names intakes by the local day of the city (Asia/Shanghai), not the UTC day', () => {
    const lateUtc = new Date('2025-03-01T17:30:00Z'); // 01:30 on 2 March in Alar
    expect(localDay(lateUtc, 'Asia/Shanghai')).toBe('20250302');
    expect(newIntakeId(lateUtc, 'Asia/Shanghai')).toMatch(/^in-20250302-[0-9a-f]{8}$/);
  });

  it('dates a reserved intake id by the day the goods were received, keeping its tail', () => {
    const reserved = newIntakeId(new Date('2025-03-05T04:00:00Z'), 'Asia/Shanghai');
    const tail = reserved.slice(-8);
    expect(intakeIdReceivedAt(reserved, new Date('2025-03-01T17:30:00Z'), 'Asia/Shanghai')).toBe(
      `in-20250302-${tail}`,
    );
  });

  it('orders custody steps by time, keeping same-instant steps in their order', () => {
    const steps: CustodyStep[] = [
      { at: '2025-03-02T00:00:00Z', step: 'items.sorted', sortingId: 's', outcome: 'resale', units: 1 },
      { at: '2025-03-01T00:00:00Z', step: 'pickup.requested', pickupId: 'p' },
      { at: '2025-03-01T00:00:00Z', step: 'pickup.scheduled', pickupId: 'p' },
    ];
    expect(inTimeOrder(steps).map((s) => s.step)).toEqual([
      'pickup.requested',
      'pickup.scheduled',
      'items.sorted',
    ]);
  });
});
