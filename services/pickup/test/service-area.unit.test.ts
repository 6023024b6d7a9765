import { alarProfile, PICKUP_STATUS_CODES } from '@recycling/contracts';
import { cancelPermission, decideAction, reschedulePermission } from '../src/domain/pickup-lifecycle';
import { coverageOf, districtDistance, nearestDropOffs, type CoverageSite } from '../src/domain/service-area';

const d = (code: string) => alarProfile.districts.find((x) => x.code === code)!;

describe('rescheduling by the resident', () => {
  it('moves only an open pickup, to a scheduled visit', () => {
    expect(PICKUP_STATUS_CODES.filter((s) => decideAction(s, 'reschedule').ok)).toEqual([
      'requested',
      'scheduled',
    ]);
    expect(decideAction('requested', 'reschedule')).toEqual({ ok: true, to: 'scheduled' });
  });

  it('is allowed until the day before the visit, and says what to do on the day', () => {
    expect(reschedulePermission('requested', '2026-03-10', '2026-03-08')).toEqual({
      allowed: true,
      until: '2026-03-09',
    });
    expect(reschedulePermission('scheduled', '2026-03-10', '2026-03-09').allowed).toBe(true);
    const onTheDay = reschedulePermission('scheduled', '2026-03-10', '2026-03-10');
    expect(onTheDay).toMatchObject({ allowed: false, code: 'reschedule-too-late' });
    if (!onTheDay.allowed) expect(onTheDay.reason_zh).toContain('联系回收员');
    expect(reschedulePermission('collected', '2026-03-10', '2026-03-01')).toMatchObject({
      allowed: false,
      code: 'invalid-status',
    });
  });

  it('lets the resident cancel until collection', () => {
    expect(cancelPermission('scheduled')).toEqual({ allowed: true });
    expect(cancelPermission('delivered').allowed).toBe(false);
  });
});

describe('the served-area check', () => {
  const site = (siteId: string, kind: CoverageSite['kind'], districts: string[], dropOff?: string) => ({
    siteId,
    kind,
    districts,
    active: true,
    ...(dropOff ? { dropOff: { districtCode: dropOff } } : {}),
  });
  const sites = [
    site('st-a', 'station', ['s-xingfulu', 't01'], 's-xingfulu'),
    site('st-b', 'station', ['t10'], 't10'),
    site('st-c', 'station', ['t12'], 't12'),
    site('st-d', 'station', ['t05']), // takes nothing brought in
    site('dm-a', 'dismantler', ['t10']),
    { ...site('st-off', 'station', ['t07'], 't07'), active: false },
  ];

  it('tells which kinds are served in a district and by whom', () => {
    const t10 = coverageOf(sites, 't10');
    expect(t10.stations.map((s) => s.siteId)).toEqual(['st-b']);
    expect(t10.dismantlers.map((s) => s.siteId)).toEqual(['dm-a']);
    expect(coverageOf(sites, 't07')).toEqual({ stations: [], dismantlers: [] }); // inactive
  });

  it('orders drop-off stations by district: same, neighbouring regiments, then the city centre', () => {
    expect(districtDistance(d('t10'), d('t10'))).toBe(0);
    expect(districtDistance(d('t11'), d('t10'))).toBe(1);
    expect(districtDistance(d('s-nankou'), d('s-xingfulu'))).toBe(1);
    const near11 = nearestDropOffs(sites, d('t11'), alarProfile.districts).map((s) => s.siteId);
    expect(near11).toEqual(['st-b', 'st-c', 'st-a']);
    const nearNankou = nearestDropOffs(sites, d('s-nankou'), alarProfile.districts).map((s) => s.siteId);
    expect(nearNankou[0]).toBe('st-a');
    expect(nearestDropOffs(sites, d('t11'), alarProfile.districts, 1)).toHaveLength(1);
  });
});
