// Roles (from contracts, where domain rules can use them too) and the local development secret.
export { CITY_WIDE_ROLES, ROLES, type Role } from '@recycling/contracts';

/** The one local development secret; documented in the README. Never valid in production. */
export const LOCAL_DEV_JWT_SECRET = 'local-dev-secret-change-me';

/** The realm named in WWW-Authenticate. */
export const AUTH_REALM = 'recycling';
