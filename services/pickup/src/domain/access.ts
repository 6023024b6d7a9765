import type { Principal } from '@recycling/contracts';

// Who may see or act on a pickup. A resident: their own (token scope = their account id). An
// operator: pickups assigned to their site; the scope may name the site or the enterprise that runs
// it (service-kit documents a dismantler operator's scope as the enterprise id). Administrators: all.

export interface AssignedSiteRef {
  kind: 'station' | 'dismantler';
  siteId: string;
  enterpriseId: string;
}

export interface Owned {
  residentId: string;
  assignedSite: AssignedSiteRef;
}

export type Viewer = 'resident' | 'operator' | 'administrator';

const operatorSiteKind = { 'station-operator': 'station', 'dismantler-operator': 'dismantler' } as const;

/** The resident's account id, as the token scopes it. */
export const residentIdOf = (principal: Principal): string => principal.scope ?? principal.sub;

/** How the principal relates to the pickup, or undefined when it may not see it at all. */
export const viewerOf = (principal: Principal, pickup: Owned): Viewer | undefined => {
  switch (principal.role) {
    case 'administrator':
      return 'administrator';
    case 'resident':
      return pickup.residentId === residentIdOf(principal) ? 'resident' : undefined;
    case 'station-operator':
    case 'dismantler-operator': {
      const site = pickup.assignedSite;
      const sameKind = site.kind === operatorSiteKind[principal.role];
      const sameSite = principal.scope === site.siteId || principal.scope === site.enterpriseId;
      return sameKind && sameSite ? 'operator' : undefined;
    }
    default:
      return undefined;
  }
};

/** Which pickups a listing may show: exactly those `viewerOf` lets the principal see. */
export interface Visibility {
  residentId?: string;
  siteKind?: AssignedSiteRef['kind'];
  /** The operator's scope: the site's id or the enterprise's that runs it. */
  enterpriseOrSite?: string;
}

/** What the principal may list, or undefined when it may list no pickups at all. */
export const visibilityOf = (principal: Principal): Visibility | undefined => {
  switch (principal.role) {
    case 'administrator':
      return {};
    case 'resident':
      return { residentId: residentIdOf(principal) };
    case 'station-operator':
    case 'dismantler-operator':
      return { siteKind: operatorSiteKind[principal.role], enterpriseOrSite: principal.scope };
    default:
      return undefined;
  }
};
