import { CITY_WIDE_ROLES, DomainError, type Principal } from '@recycling/contracts';

// Who may see or act on a disposal batch: the institution that owns the assets (token scope = its
// unified social credit code), the station that receives them (scope = station id), and, city-wide
// and read only, the finance bureau that oversees state assets and administrators.

export type Viewer = 'institution' | 'station' | 'overseer';

export interface BatchParties {
  institutionCreditCode: string;
  stationId: string;
}

export function viewerOf(principal: Principal, batch: BatchParties): Viewer | undefined {
  if (CITY_WIDE_ROLES.includes(principal.role)) return 'overseer';
  if (principal.role === 'public-institution' && principal.scope === batch.institutionCreditCode) {
    return 'institution';
  }
  if (principal.role === 'station-operator' && principal.scope === batch.stationId) return 'station';
  return undefined;
}

/** The principal's relation to the batch, or 403 when it has none or not one of `allowed`. */
export function assertViewer(principal: Principal, batch: BatchParties, allowed: readonly Viewer[]): Viewer {
  const viewer = viewerOf(principal, batch);
  if (!viewer || !allowed.includes(viewer)) {
    throw DomainError.forbidden(
      'outside-scope',
      '该批次不在您的权限范围内 / This batch is outside your scope.',
      {
        title: { zh: '无权访问该数据', en: 'Forbidden' },
      },
    );
  }
  return viewer;
}
