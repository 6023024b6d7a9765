import { DomainError } from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import { AggregateRepository, type RepositoryDeps } from '@recycling/store';
import type { ArrivalRepository } from './arrival-repository';
import type { ArrivalDoc, IntakeDoc, SortingModels } from './models';

export const intakeNotFound = (intakeId: string) =>
  DomainError.notFound('intake-not-found', `没有该入库单 / No intake ${intakeId}`);

/** An intake as a use case builds it; the repository adds its outbox. */
export type NewIntake = Omit<IntakeDoc, 'outbox' | 'outboxUpdatedAt'>;

/** What the desk knows of the pickup whose goods it receives, read under the pickup's lock. */
export interface PickupReceipt {
  /** The pickup as its events described it; null when none has arrived yet. */
  arrival: ArrivalDoc | null;
  /** An intake that already received this pickup. */
  earlierIntakeId?: string;
}

/**
 * Intakes: one writer per intake (`intake:<id>`), created by insert under their id, their events
 * saved in the same write (AggregateRepository).
 */
export class IntakeRepository extends AggregateRepository<IntakeDoc, PendingEvent> {
  constructor(
    models: Pick<SortingModels, 'Intake'>,
    deps: RepositoryDeps,
    private readonly arrivals: ArrivalRepository,
  ) {
    super(models.Intake, deps, { lockPrefix: 'intake', notFound: intakeNotFound });
  }

  /**
   * Records the intake `intakeId` once. An intake of that id saved already (a retry of the same
   * Idempotency-Key after a crash) is answered as it is. Otherwise `make` builds the intake and its
   * events from what is known of its pickup, and they are inserted in one write. An intake of a
   * pickup is recorded holding the pickup's lock, which its consumer also takes, so that two
   * recordings of one pickup take turns and the second sees the first; its arrival is then marked
   * received.
   */
  async record(
    intakeId: string,
    pickupId: string | undefined,
    make: (pickup: PickupReceipt | undefined) => { intake: NewIntake; events: PendingEvent[] },
  ): Promise<IntakeDoc> {
    const run = async () => {
      // A pickup's intake reads what is known of the pickup anyway, and a retry must find itself
      // before the pickup's rules would refuse it as received twice: look for it first.
      const saved = pickupId ? await this.find(intakeId) : null;
      if (saved) return this.resumed(saved);
      const pickup = pickupId
        ? { arrival: await this.arrivals.find(pickupId), earlierIntakeId: await this.receivedFor(pickupId) }
        : undefined;
      const { intake, events } = make(pickup);
      // Nearly every intake is new, so it is inserted without a read first. null: an intake of this
      // id was saved already (the retry of a crashed attempt, or a racing retry), and it stands.
      const created = await this.create(intake, events);
      if (!created) return this.resumed(await this.get(intakeId));
      if (pickup?.arrival) await this.arrivals.markReceived(pickup.arrival._id, intakeId);
      return created;
    };
    return pickupId ? this.arrivals.withLock(pickupId, run) : run();
  }

  /** An intake saved by an earlier attempt: it may have died before its events were published. */
  private resumed(saved: IntakeDoc): IntakeDoc {
    if (saved.outbox.length > 0) this.deps.outbox.nudge(this.model, [saved._id]);
    return saved;
  }

  /**
   * The intake that received a pickup, if any. A filter on `source.pickupId`: indexed on MongoDB;
   * FerretDB reads the collection (docs/conventions.md, reads on the store), as before the kit.
   */
  async receivedFor(pickupId: string): Promise<string | undefined> {
    const doc = await this.model.findOne({ 'source.pickupId': pickupId }, { _id: 1 }).lean();
    return doc?._id;
  }

  /** Which of these pickups an intake received (the same filter, for the desk's list). */
  async receivedAmong(pickupIds: readonly string[]): Promise<Set<string>> {
    if (pickupIds.length === 0) return new Set();
    const docs = await this.model
      .find({ 'source.pickupId': { $in: [...pickupIds] } }, { 'source.pickupId': 1 })
      .lean<Array<Pick<IntakeDoc, 'source'>>>();
    return new Set(docs.map((d) => d.source.pickupId).filter((id): id is string => id !== undefined));
  }

  /** The intakes among `ids` that the station received, read by `_id`. */
  async atStation(ids: readonly string[], stationId: string): Promise<IntakeDoc[]> {
    return (await this.findMany(ids)).filter((doc) => doc.stationId === stationId);
  }

  /** A station's latest intakes: indexed on MongoDB; FerretDB reads the collection (an operator's listing). */
  async latestAt(stationId: string, limit: number): Promise<IntakeDoc[]> {
    return (await this.model.find({ stationId }).sort({ receivedAt: -1 }).limit(limit).lean()) as IntakeDoc[];
  }
}
