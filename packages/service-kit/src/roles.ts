// Roles and the local development secret: no dependencies, so scripts can import them cheaply.

export const ROLES = [
  'resident',
  'station-operator',
  'dismantler-operator',
  'used-car-market',
  'tax-officer',
  'city-official',
  'administrator',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * Roles that see the whole city, so carry no scope: the tax office (read only), the city's officials
 * (the commerce bureau and the development commission: read only, the recovery statistics and the
 * dashboard) and administrators.
 */
export const CITY_WIDE_ROLES: readonly Role[] = ['tax-officer', 'city-official', 'administrator'];

/** The one local development secret; documented in the README. Never valid in production. */
export const LOCAL_DEV_JWT_SECRET = 'local-dev-secret-change-me';

/** The realm named in WWW-Authenticate. */
export const AUTH_REALM = 'recycling';
