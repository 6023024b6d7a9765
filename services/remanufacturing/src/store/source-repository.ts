import type { DocumentLocks } from '@recycling/store';
import { findByIds, insertOnce } from '@recycling/store';
import type { HydratedDocument, mongo } from 'mongoose';
import type { AssemblySourceDoc, IntakeRecordDoc, Models, VehicleRecordDoc, VinIndexDoc } from './models';

// What the vehicles and intakes topics told us: the lawful sources of cores. Only the consumers
// write these documents, one partition (one VIN, one intake) at a time; they still take a lock per
// document, so that a rebalance that briefly gives a partition to two members cannot interleave
// FerretDB's read-modify-write updates (decision 8). Each effect is recorded once per event id.

export type Applied = 'applied' | 'duplicate';

export class SourceRepository {
  constructor(
    private readonly models: Pick<Models, 'VehicleRecord' | 'VinIndex' | 'AssemblySource' | 'IntakeRecord'>,
    private readonly locks: DocumentLocks,
  ) {}

  /**
   * Applies a vehicle event to the record of its vehicle intake once per event id, creating the
   * record from `base` when it is the first event seen of that intake.
   */
  applyToVehicle(
    vehicleIntakeId: string,
    eventId: string,
    base: Pick<VehicleRecordDoc, 'vin' | 'dismantlerId'>,
    change: (doc: HydratedDocument<VehicleRecordDoc>) => void,
  ): Promise<{ outcome: Applied; record: VehicleRecordDoc }> {
    return this.locks.withLock(`vehicle:${vehicleIntakeId}`, async () => {
      const doc =
        (await this.models.VehicleRecord.findById(vehicleIntakeId)) ??
        new this.models.VehicleRecord({
          _id: vehicleIntakeId,
          ...base,
          voided: false,
          remanufacturingCodes: [],
          appliedEvents: [],
        });
      if (doc.appliedEvents.includes(eventId)) return { outcome: 'duplicate', record: doc.toObject() };
      change(doc);
      doc.appliedEvents.push(eventId);
      await doc.save();
      return { outcome: 'applied', record: doc.toObject() };
    });
  }

  findVehicles(vehicleIntakeIds: readonly string[]): Promise<VehicleRecordDoc[]> {
    return findByIds(this.models.VehicleRecord.collection as unknown as mongo.Collection<VehicleRecordDoc>, [
      ...vehicleIntakeIds,
    ]) as Promise<VehicleRecordDoc[]>;
  }

  async findVin(vin: string): Promise<VinIndexDoc | null> {
    return this.models.VinIndex.findById(vin).lean();
  }

  /** Adds a vehicle intake to its VIN's list (once). */
  indexVin(vin: string, vehicleIntakeId: string): Promise<void> {
    return this.locks.withLock(`vin:${vin}`, async () => {
      const doc = (await this.models.VinIndex.findById(vin)) ?? new this.models.VinIndex({ _id: vin });
      if (doc.vehicleIntakeIds.includes(vehicleIntakeId)) return;
      doc.vehicleIntakeIds.push(vehicleIntakeId);
      await doc.save();
    });
  }

  async findAssembly(code: string): Promise<AssemblySourceDoc | null> {
    return this.models.AssemblySource.findById(code).lean();
  }

  findAssemblies(codes: readonly string[]): Promise<AssemblySourceDoc[]> {
    return findByIds(
      this.models.AssemblySource.collection as unknown as mongo.Collection<AssemblySourceDoc>,
      [...codes],
    ) as Promise<AssemblySourceDoc[]>;
  }

  /**
   * Records a coded assembly by inserting it under its code. The same code reported again for the
   * same vehicle intake changes nothing; for another one, the code is marked disputed (answers
   * 'disputed'), and no remanufacturer may take it in until the dismantler settles it.
   */
  async recordAssembly(source: AssemblySourceDoc): Promise<'recorded' | 'known' | 'disputed'> {
    if (await insertOnce(this.models.AssemblySource.collection as never, source)) return 'recorded';
    return this.locks.withLock(`assembly:${source._id}`, async () => {
      const existing = await this.models.AssemblySource.findById(source._id);
      if (!existing || existing.vehicleIntakeId === source.vehicleIntakeId) return 'known';
      if (!existing.disputedBy) {
        existing.disputedBy = source.vehicleIntakeId;
        await existing.save();
      }
      return 'disputed';
    });
  }

  /** Sets the certificate on coded assemblies recorded before it arrived. */
  async certifyAssemblies(
    codes: readonly string[],
    vehicleIntakeId: string,
    certificateNo: string,
  ): Promise<void> {
    for (const code of codes) {
      await this.locks.withLock(`assembly:${code}`, async () => {
        const doc = await this.models.AssemblySource.findById(code);
        if (!doc || doc.vehicleIntakeId !== vehicleIntakeId || doc.certificateNo) return;
        doc.certificateNo = certificateNo;
        await doc.save();
      });
    }
  }

  async findIntake(intakeId: string): Promise<IntakeRecordDoc | null> {
    return this.models.IntakeRecord.findById(intakeId).lean();
  }

  /**
   * Applies an intake event once per event id. `create` gives the record when the intake is not
   * known yet (undefined: an intake without equipment lines, which is not kept).
   */
  applyToIntake(
    intakeId: string,
    eventId: string,
    create: Omit<IntakeRecordDoc, '_id' | 'appliedEvents'> | undefined,
    change: (doc: HydratedDocument<IntakeRecordDoc>) => void,
  ): Promise<Applied | 'not-kept'> {
    return this.locks.withLock(`intake:${intakeId}`, async () => {
      const existing = await this.models.IntakeRecord.findById(intakeId);
      const doc =
        existing ??
        (create ? new this.models.IntakeRecord({ _id: intakeId, ...create, appliedEvents: [] }) : null);
      if (!doc) return 'not-kept';
      if (doc.appliedEvents.includes(eventId)) return 'duplicate';
      change(doc);
      doc.markModified('sortedForRemanufacturing');
      doc.markModified('lines');
      doc.appliedEvents.push(eventId);
      await doc.save();
      return 'applied';
    });
  }
}
