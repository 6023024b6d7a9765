import { claim, insertOnce, findByIds, type ClaimOutcome, type DocumentLocks } from '@recycling/store';
import type { mongo } from 'mongoose';
import type { PaymentBatchDoc, PaymentDoc } from './models';

// One payment per claim: its `_id` is the claim's (`pay-<claimId>`), claimed by insert before
// anything is paid, so two batches, two replicas or a retry after a crash can never make a second
// one. A payment left `initiated` by a crash is completed by a later batch, never paid again.

export class PaymentStore {
  constructor(
    private readonly payments: mongo.Collection<PaymentDoc>,
    private readonly batches: mongo.Collection<PaymentBatchDoc>,
    private readonly locks: DocumentLocks,
  ) {}

  /** Completes a payment one writer at a time (two batches may take over the same abandoned one). */
  oneCompleterAtATime<T>(paymentId: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.withLock(`payment:${paymentId}`, fn);
  }

  claimPayment(doc: PaymentDoc): Promise<ClaimOutcome<PaymentDoc>> {
    return claim(this.payments, doc);
  }

  get(paymentId: string): Promise<PaymentDoc | null> {
    return this.payments.findOne({ _id: paymentId });
  }

  many(paymentIds: readonly string[]): Promise<PaymentDoc[]> {
    return findByIds(this.payments, paymentIds);
  }

  /** Removes an `initiated` payment of a claim that can no longer be paid (returned meanwhile). */
  async withdraw(paymentId: string, claimId: string): Promise<void> {
    const held = await this.get(paymentId);
    if (held?.claimId === claimId && held.status === 'initiated')
      await this.payments.deleteOne({ _id: paymentId });
  }

  async complete(paymentId: string, at: Date): Promise<void> {
    await this.payments.updateOne({ _id: paymentId }, { $set: { status: 'completed', completedAt: at } });
  }

  /** Records a batch once (a retry of the same batch finds the first record). */
  async saveBatch(batch: PaymentBatchDoc): Promise<PaymentBatchDoc> {
    if (await insertOnce(this.batches, batch)) return batch;
    return (await this.batch(batch._id))!;
  }

  batch(batchId: string): Promise<PaymentBatchDoc | null> {
    return this.batches.findOne({ _id: batchId });
  }
}
