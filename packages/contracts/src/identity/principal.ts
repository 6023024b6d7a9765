import { DomainError } from '../domain-error';

// Who calls: the roles of the network and what a verified token says of its bearer. Kept here, with
// no dependencies, so that domain rules (who may see a pickup) can speak of callers without
// importing the HTTP kit that verifies them.

export const ROLES = [
  'resident',
  'station-operator',
  'dismantler-operator',
  'used-car-market',
  'tax-officer',
  'city-official',
  'administrator',
  'retailer-operator',
  'commerce-reviewer',
  'finance-officer',
  'public-institution',
  'remanufacturer-operator',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * Roles that see the whole city, so carry no scope: the tax office (read only), the city's officials
 * (the commerce bureau and the development commission: read only, the recovery statistics and the
 * dashboard) and administrators; for trade-in subsidies, the commerce bureau's reviewers and the finance
 * bureau's officers (a retailer's operator is scoped to its retailer). The finance bureau's officers
 * also oversee public institutions' asset disposals, read only. A public institution is scoped to its
 * unified social credit code, a remanufacturer's operator to its remanufacturer.
 */
export const CITY_WIDE_ROLES: readonly Role[] = [
  'tax-officer',
  'city-official',
  'administrator',
  'commerce-reviewer',
  'finance-officer',
];

export interface Principal {
  /** Subject: the resident's, operator's or officer's id. */
  sub: string;
  role: Role;
  /** Whose data this principal may touch: resident id, station/enterprise id, market id. */
  scope?: string;
  /** Display name, when the token carries one. Personal data: never log it. */
  name?: string;
  expiresAt: Date;
}

/** Whether the principal may act on data of `scopeId` (a resident, station, enterprise or market). */
export const inScope = (principal: Principal, scopeId: string): boolean =>
  CITY_WIDE_ROLES.includes(principal.role) || (principal.scope !== undefined && principal.scope === scopeId);

/**
 * Refuses (403, code `outside-scope`) a principal whose token does not cover `scopeId`; city-wide
 * roles pass. The one refusal of a wrong scope, whether the kit or a use case checks it.
 */
export function assertScope(principal: Principal, scopeId: string): void {
  if (!inScope(principal, scopeId)) {
    throw new DomainError(
      'forbidden',
      'outside-scope',
      '该数据不在您的权限范围内 / This resource is outside your scope.',
      { title: { zh: '无权访问该数据', en: 'Forbidden' } },
    );
  }
}
