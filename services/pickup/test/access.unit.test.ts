import type { Principal } from '@recycling/service-kit';
import { viewerOf, visibilityOf } from '../src/domain/access';
import { residentKeyOf } from '@recycling/contracts';
import { chooseSite } from '../src/domain/site-assignment';

const principal = (role: Principal['role'], scope?: string): Principal => ({
  sub: `${role}-1`,
  role,
  scope,
  expiresAt: new Date(Date.now() + 60_000),
});

const pickup = {
  residentId: 'r-1001',
  assignedSite: { kind: 'station' as const, siteId: 'st-xingfulu-01', enterpriseId: 'ent-lvyuan' },
};

describe('who sees a pickup', () => {
  it('a resident sees only their own', () => {
    expect(viewerOf(principal('resident', 'r-1001'), pickup)).toBe('resident');
    expect(viewerOf(principal('resident', 'r-2002'), pickup)).toBeUndefined();
  });

  it('an operator sees pickups of their site (by site or enterprise id) and of their kind only', () => {
    expect(viewerOf(principal('station-operator', 'st-xingfulu-01'), pickup)).toBe('operator');
    expect(viewerOf(principal('station-operator', 'ent-lvyuan'), pickup)).toBe('operator');
    expect(viewerOf(principal('station-operator', 'st-other'), pickup)).toBeUndefined();
    expect(viewerOf(principal('dismantler-operator', 'st-xingfulu-01'), pickup)).toBeUndefined();
  });

  it('administrators see all; other roles none', () => {
    expect(viewerOf(principal('administrator'), pickup)).toBe('administrator');
    expect(viewerOf(principal('tax-officer'), pickup)).toBeUndefined();
    expect(visibilityOf(principal('tax-officer'))).toBeUndefined();
    expect(visibilityOf(principal('resident', 'r-1001'))).toEqual({ residentId: 'r-1001' });
    expect(visibilityOf(principal('station-operator', 'ent-lvyuan'))).toEqual({
      siteKind: 'station',
      enterpriseOrSite: 'ent-lvyuan',
    });
  });
});

describe('resident key', () => {
  it('is stable per account, differs between accounts and secrets, and does not contain the id', () => {
    const a = residentKeyOf('r-1001', 'secret-one-0123456789');
    expect(residentKeyOf('r-1001', 'secret-one-0123456789')).toBe(a);
    expect(residentKeyOf('r-1002', 'secret-one-0123456789')).not.toBe(a);
    expect(residentKeyOf('r-1001', 'secret-two-0123456789')).not.toBe(a);
    expect(a).toMatch(/^res-[0-9a-f]{24}$/);
  });
});

describe('site assignment', () => {
  const site = (siteId: string, kind: 'station' | 'dismantler', districts: string[], active = true) => ({
    siteId,
    kind,
    enterpriseId: 'e',
    districts,
    active,
  });
  const sites = [
    site('st-b', 'station', ['t01', 's-xingfulu']),
    site('st-a', 'station', ['t01']),
    site('st-c', 'station', ['t02'], false),
    site('dm-a', 'dismantler', ['t01', 't02']),
  ];

  it('sends appliances to an active station serving the district, vehicles to a dismantler', () => {
    expect(chooseSite(sites, 'appliances', 's-xingfulu')?.siteId).toBe('st-b');
    expect(chooseSite(sites, 'vehicle', 't02')?.siteId).toBe('dm-a');
    expect(chooseSite(sites, 'appliances', 't02')).toBeUndefined(); // only an inactive station
  });

  it('prefers the least loaded site, then the lowest id', () => {
    expect(chooseSite(sites, 'appliances', 't01')?.siteId).toBe('st-a');
    expect(chooseSite(sites, 'appliances', 't01', new Map([['st-a', 3]]))?.siteId).toBe('st-b');
  });
});
