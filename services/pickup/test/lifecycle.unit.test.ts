import { PICKUP_STATUS_CODES, type PickupStatus } from '@recycling/contracts';
import { decideAction, statusAfterDownstream, type PickupAction } from '../src/domain/pickup-lifecycle';

const allowed = (action: PickupAction) => PICKUP_STATUS_CODES.filter((s) => decideAction(s, action).ok);

describe('pickup lifecycle', () => {
  it('lets residents cancel only before collection', () => {
    expect(allowed('cancel')).toEqual(['requested', 'scheduled']);
    const refused = decideAction('collected', 'cancel');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reason_zh).toContain('已取走');
  });

  it('collects only a scheduled pickup; schedules (and reschedules) only open ones', () => {
    expect(allowed('collect')).toEqual(['scheduled']);
    expect(allowed('schedule')).toEqual(['requested', 'scheduled']);
    expect(allowed('fail')).toEqual(['requested', 'scheduled']);
    expect(decideAction('scheduled', 'collect')).toEqual({ ok: true, to: 'collected' });
  });

  it('moves forward on downstream facts, never back, and never reopens a closed pickup', () => {
    const cases: Array<[PickupStatus, 'delivered' | 'certified', PickupStatus | undefined]> = [
      ['collected', 'delivered', 'delivered'],
      ['scheduled', 'delivered', 'delivered'], // the crew forgot to mark it collected
      ['delivered', 'certified', 'certified'],
      ['collected', 'certified', 'certified'],
      ['delivered', 'delivered', undefined],
      ['certified', 'delivered', undefined],
      ['cancelled', 'delivered', undefined],
      ['failed', 'certified', undefined],
    ];
    for (const [from, fact, to] of cases)
      expect([from, fact, statusAfterDownstream(from, fact)]).toEqual([from, fact, to]);
  });
});
