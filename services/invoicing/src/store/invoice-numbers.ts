import type { mongo } from 'mongoose';
import type { Models } from './models';

const isDuplicateKey = (error: unknown) => (error as { code?: number } | null)?.code === 11000;

/** The issuer's highest sequence seen so far: a hint of where to start, never the truth. */
interface HeadDoc {
  _id: string;
  sequence: number;
}

const heads = ({ InvoiceNumber }: Pick<Models, 'InvoiceNumber'>) =>
  InvoiceNumber.db.collection('invoice_number_heads') as unknown as mongo.Collection<HeadDoc>;

/**
 * The issuer's next sequence number for `invoiceId`, claimed by inserting `<issuer>#<n>`: inserts
 * under a unique key are atomic even on FerretDB, where a counter update is not. The invoice id is
 * unique too, so a retried allocation for the same invoice returns the number it already holds and
 * every number names the invoice it went to (no unexplained gap).
 *
 * Every read is by `_id`, because FerretDB answers only those from an index (any other filter reads
 * the whole collection, which grew with every invoice ever issued). The head document says where to
 * start; it may lag behind (its update is not atomic on FerretDB), so the claim probes upwards from
 * it: numbers are taken consecutively, so the first free one above a taken one is the next.
 */
export async function allocateSequence(
  models: Pick<Models, 'InvoiceNumber'>,
  issuerId: string,
  invoiceId: string,
): Promise<number> {
  const { InvoiceNumber } = models;
  let sequence = (await startingPoint(models, issuerId)) + 1;
  for (;;) {
    try {
      await InvoiceNumber.collection.insertOne({
        _id: `${issuerId}#${sequence}` as never,
        issuerId,
        sequence,
        invoiceId,
        allocatedAt: new Date(),
      });
      await heads(models)
        .updateOne({ _id: issuerId }, { $max: { sequence } }, { upsert: true })
        .catch(() => undefined); // a hint: the next allocation probes past a stale one
      return sequence;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    // Either the number is taken, or this invoice already holds one (a retry after a crash).
    const taken = await InvoiceNumber.findById(`${issuerId}#${sequence}`).lean();
    if (taken?.invoiceId === invoiceId) return sequence;
    if (taken) {
      sequence += 1;
      continue;
    }
    // Rare: the unique invoice id refused the insert, so an earlier attempt claimed a number.
    const held = await InvoiceNumber.findOne({ invoiceId }).lean();
    if (held) return held.sequence;
  }
}

async function startingPoint(models: Pick<Models, 'InvoiceNumber'>, issuerId: string): Promise<number> {
  const head = await heads(models).findOne({ _id: issuerId });
  if (head) return head.sequence;
  // No head yet (a new issuer, or numbers allocated before heads existed): one scan, then heads.
  const last = await models.InvoiceNumber.findOne({ issuerId }).sort({ sequence: -1 }).lean();
  return last?.sequence ?? 0;
}
