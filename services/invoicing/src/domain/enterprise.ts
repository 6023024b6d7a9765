import type { Issuer, QualificationType, VatMethod } from '@recycling/contracts';

// An enterprise that buys scrap from natural persons and may issue reverse invoices for them, when it
// holds a qualification (STA Announcement 2024 No. 5) and its right is not suspended.

export type EnterpriseStatus = 'active' | 'suspended';

export interface Qualification {
  type: QualificationType;
  number: string;
  /** Last day the qualification is valid (local date); open-ended when absent. */
  validUntil?: string;
}

export interface Enterprise {
  enterpriseId: string;
  name: string;
  taxpayerId: string;
  qualification: Qualification | null;
  vatMethod: VatMethod;
  status: EnterpriseStatus;
  /** Stations or dismantling sites run by the enterprise: their operators may read its invoices. */
  siteIds: string[];
}

export const issuerOf = (e: Enterprise): Issuer => ({
  enterpriseId: e.enterpriseId,
  name: e.name,
  taxpayerId: e.taxpayerId,
  vatMethod: e.vatMethod,
});

export type IssuerCheck =
  { ok: true } | { ok: false; reasonCode: 'unknown-issuer' | 'issuer-not-qualified' | 'issuer-suspended' };

/** May this enterprise issue a reverse invoice on `localDate`? */
export const checkIssuer = (e: Enterprise | undefined, localDate: string): IssuerCheck => {
  if (!e) return { ok: false, reasonCode: 'unknown-issuer' };
  if (e.status === 'suspended') return { ok: false, reasonCode: 'issuer-suspended' };
  const q = e.qualification;
  if (!q || (q.validUntil !== undefined && q.validUntil < localDate)) {
    return { ok: false, reasonCode: 'issuer-not-qualified' };
  }
  return { ok: true };
};

/** Whether a scope (an operator's station or enterprise id) belongs to this enterprise. */
export const enterpriseCovers = (e: Pick<Enterprise, 'enterpriseId' | 'siteIds'>, scope: string): boolean =>
  e.enterpriseId === scope || e.siteIds.includes(scope);
