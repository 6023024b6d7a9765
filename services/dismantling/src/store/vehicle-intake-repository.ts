import { DomainError } from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import { AggregateRepository, findByIds, type RepositoryDeps } from '@recycling/store';
import type { mongo } from 'mongoose';
import type { IntakeRecord, Models, VehicleIntakeDoc } from './models';

export const intakeNotFound = (vehicleIntakeId: string) =>
  DomainError.notFound(
    'intake-not-found',
    `未找到接收记录 ${vehicleIntakeId} / Vehicle intake ${vehicleIntakeId} not found.`,
  );

const WITHOUT_OUTBOX = { outbox: 0, outboxUpdatedAt: 0 } as const;

/**
 * Vehicle intakes: one writer per intake (the lock `vehicle-intake:<id>`), created by insert, the
 * events of every change saved in the intake's own document and the relay nudged by id.
 */
export class VehicleIntakeRepository extends AggregateRepository<VehicleIntakeDoc, PendingEvent> {
  constructor(models: Pick<Models, 'VehicleIntake'>, deps: RepositoryDeps) {
    super(models.VehicleIntake, deps, { lockPrefix: 'vehicle-intake', notFound: intakeNotFound });
  }

  /** The intake without its outbox, by `_id`. */
  async record(vehicleIntakeId: string): Promise<IntakeRecord | null> {
    return this.model.findById(vehicleIntakeId, WITHOUT_OUTBOX).lean();
  }

  /** Several intakes without their outbox, by `_id` (one lookup each); missing ones are left out. */
  async records(vehicleIntakeIds: readonly string[]): Promise<IntakeRecord[]> {
    return findByIds(
      this.model.collection as unknown as mongo.Collection<IntakeRecord>,
      vehicleIntakeIds,
      WITHOUT_OUTBOX,
    );
  }

  /**
   * A site's intakes, newest first. A filter on fields other than `_id`, which FerretDB answers by
   * reading the collection: an operator's list, asked for by hand (docs/conventions.md, reads on the
   * store, rule 3).
   */
  async list(query: {
    dismantlerId: string;
    status?: VehicleIntakeDoc['status'];
    limit: number;
  }): Promise<IntakeRecord[]> {
    return this.model
      .find(
        { dismantlerId: query.dismantlerId, ...(query.status ? { status: query.status } : {}) },
        WITHOUT_OUTBOX,
      )
      .sort({ receivedAt: -1 })
      .limit(query.limit)
      .lean();
  }

  /**
   * Which of these pickups have a live intake. A filter on `pickupId`, read with the operator's list
   * of expected vehicles only (the same rule 3 as `list`).
   */
  async pickupsTakenIn(pickupIds: readonly string[]): Promise<Set<string>> {
    if (pickupIds.length === 0) return new Set();
    const taken = await this.model
      .find({ pickupId: { $in: [...pickupIds] }, status: 'received' }, { pickupId: 1 })
      .lean();
    return new Set(taken.map((i) => i.pickupId).filter((id): id is string => id !== undefined));
  }
}
