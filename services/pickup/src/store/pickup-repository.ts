import { DomainError, type PickupStatus } from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import { AggregateRepository, type RepositoryDeps } from '@recycling/store';
import type { HydratedDocument } from 'mongoose';
import type { PickupDoc, PickupModels } from './models';

export const pickupNotFound = (pickupId: string) =>
  DomainError.notFound('pickup-not-found', `未找到预约 ${pickupId} / Pickup ${pickupId} not found.`);

/** Filters a listing may combine (the caller's visibility first). */
export interface PickupListFilter {
  residentId?: string;
  siteId?: string;
  siteKind?: 'station' | 'dismantler';
  enterpriseOrSite?: string;
  status?: string;
  districtCode?: string;
  date?: string;
}

const OPEN_STATUSES: PickupStatus[] = ['requested', 'scheduled'];

/** Pickups: one writer per pickup (its lock), created by insert, events saved with each change. */
export class PickupRepository extends AggregateRepository<PickupDoc, PendingEvent> {
  constructor(models: PickupModels, deps: RepositoryDeps) {
    super(models.Pickup, deps, { lockPrefix: 'pickup', notFound: pickupNotFound });
  }

  /**
   * Applies a downstream fact (the station's intake, the dismantler's certificate) once per event
   * id, under the pickup's lock because HTTP use cases write the same document. `apply` changes the
   * document; the event id is recorded with the change in the same write.
   */
  async applyOnce(
    pickupId: string,
    eventId: string,
    apply: (doc: HydratedDocument<PickupDoc>) => void,
  ): Promise<'applied' | 'duplicate' | 'unknown-pickup'> {
    if (!(await this.find(pickupId))) return 'unknown-pickup';
    const { result } = await this.update(pickupId, (doc) => {
      if (doc.appliedEvents.includes(eventId)) return { result: 'duplicate' as const };
      apply(doc);
      doc.appliedEvents.push(eventId);
      return { result: 'applied' as const };
    });
    return result;
  }

  /**
   * Pickups matching the filter, newest first. A filter on fields other than `_id`: on FerretDB it
   * reads the collection (docs/conventions.md, reads on the store); the desks' work lists of issue
   * 16 replace it with lists addressed by `_id`.
   */
  async list(filter: PickupListFilter, page: { limit: number; offset: number }): Promise<PickupDoc[]> {
    const query: Record<string, unknown> = {};
    if (filter.residentId) query.residentId = filter.residentId;
    if (filter.siteKind) query['assignedSite.kind'] = filter.siteKind;
    if (filter.enterpriseOrSite) {
      query.$or = [
        { 'assignedSite.siteId': filter.enterpriseOrSite },
        { 'assignedSite.enterpriseId': filter.enterpriseOrSite },
      ];
    }
    if (filter.status) query.status = filter.status;
    if (filter.districtCode) query['address.districtCode'] = filter.districtCode;
    if (filter.date) query['slot.date'] = filter.date;
    if (filter.siteId) query['assignedSite.siteId'] = filter.siteId;
    return (await this.model
      .find(query, { outbox: 0, appliedEvents: 0 })
      .sort({ createdAt: -1, _id: 1 })
      .skip(page.offset)
      .limit(page.limit)
      .lean()) as unknown as PickupDoc[];
  }

  /** Open pickups of a site: the load that breaks ties between sites serving one district. */
  countOpenAt(siteId: string): Promise<number> {
    return this.model.countDocuments({ 'assignedSite.siteId': siteId, status: { $in: OPEN_STATUSES } });
  }
}
