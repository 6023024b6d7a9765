import { CITY_WIDE_ROLES, DomainError, type Principal } from '@recycling/contracts';

// How the station's rules refuse: DomainErrors with stable codes (service-kit answers them as
// problem+json). A refusal of the current state may still name the input field it concerns, so the
// desk can highlight it, as a 400 does.

/** A 409 that names the input field at fault (`errors[]`), like a 400 does. */
export const conflictOn = (
  code: string,
  field: string,
  detail: string,
  details?: Record<string, unknown>,
): DomainError =>
  new DomainError('conflict', code, detail, { fields: [{ field, message: detail, code }], details });

/** Whether the caller may see or act on the station's data: its own operators and city-wide roles. */
export const mayActAt = (principal: Principal, stationId: string): boolean =>
  CITY_WIDE_ROLES.includes(principal.role) ||
  (principal.scope !== undefined && principal.scope === stationId);

/** Refuses (403) a caller whose token does not cover the station. */
export function assertStation(principal: Principal, stationId: string): void {
  if (!mayActAt(principal, stationId)) {
    throw new DomainError(
      'forbidden',
      'outside-station-scope',
      '该数据属于其他回收站 / This resource is outside your scope.',
      { title: { zh: '无权访问该数据', en: 'Forbidden' } },
    );
  }
}
