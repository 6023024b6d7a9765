import { assertScope, DomainError, type Principal } from '@recycling/contracts';

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

/** Refuses (403) a caller whose token does not cover the station: the network's one scope refusal. */
export const assertStation = (principal: Principal, stationId: string): void =>
  assertScope(principal, stationId);
