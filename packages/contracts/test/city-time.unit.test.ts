import { localDateTime, zoneOffsetMinutes } from '../src';

describe('times as the city reads them', () => {
  it('writes the wall clock of the zone with its offset, across the UTC date line', () => {
    expect(localDateTime('2026-02-28T16:30:00Z', 'Asia/Shanghai')).toBe('2026-03-01T00:30:00+08:00');
    expect(localDateTime(new Date('2025-07-01T12:00:00.900Z'), 'UTC')).toBe('2025-07-01T12:00:00+00:00');
  });

  it('follows a zone with daylight saving and one behind UTC', () => {
    expect(zoneOffsetMinutes(new Date('2026-07-01T00:00:00Z'), 'Europe/Berlin')).toBe(120);
    expect(zoneOffsetMinutes(new Date('2026-01-01T00:00:00Z'), 'Europe/Berlin')).toBe(60);
    expect(localDateTime('2026-01-01T03:00:00Z', 'America/Sao_Paulo')).toBe('2026-01-01T00:00:00-03:00');
  });
});
