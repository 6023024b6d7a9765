// The signed-in principal and its bearer token, kept for the browser tab (sessionStorage), so a
// shared station computer forgets it when the tab closes.
export type Role =
  | 'resident'
  | 'station-operator'
  | 'dismantler-operator'
  | 'used-car-market'
  | 'tax-officer'
  | 'city-official'
  | 'administrator'
  | 'retailer-operator'
  | 'commerce-reviewer'
  | 'finance-officer'
  | 'public-institution'
  | 'remanufacturer-operator';

export const ROLES: readonly Role[] = [
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
];

export interface Session {
  token: string;
  principal: { sub: string; role: Role; scope?: string; name?: string };
  expiresAt: string;
}

const KEY = 'recycling.session';

export function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return undefined;
    const s = JSON.parse(raw) as Session;
    return Date.parse(s.expiresAt) > Date.now() ? s : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

/** The page a role lands on after signing in. */
export function homeOf(role: Role): string {
  switch (role) {
    case 'resident':
      return '/resident';
    case 'station-operator':
      return '/station';
    case 'dismantler-operator':
      return '/dismantler';
    case 'tax-officer':
      return '/tax';
    case 'city-official':
    case 'administrator':
      return '/dashboard';
    case 'retailer-operator':
      return '/retailer';
    case 'commerce-reviewer':
      return '/review';
    case 'finance-officer':
      return '/finance';
    case 'public-institution':
      return '/institution';
    case 'remanufacturer-operator':
      return '/remanufacturer';
    default:
      return '/signin';
  }
}
