import type { Models } from './models';

const isDuplicateKey = (error: unknown) => (error as { code?: number } | null)?.code === 11000;

/**
 * The issuer's next sequence number for `invoiceId`, claimed by inserting `<issuer>#<n>`: inserts
 * under a unique key are atomic even on FerretDB, where a counter update is not. The invoice id is
 * unique too, so a retried allocation for the same invoice returns the number it already holds and
 * every number names the invoice it went to (no unexplained gap).
 */
export async function allocateSequence(
  { InvoiceNumber }: Pick<Models, 'InvoiceNumber'>,
  issuerId: string,
  invoiceId: string,
): Promise<number> {
  for (;;) {
    const held = await InvoiceNumber.findOne({ invoiceId }).lean();
    if (held) return held.sequence;
    const last = await InvoiceNumber.findOne({ issuerId }).sort({ sequence: -1 }).lean();
    const sequence = (last?.sequence ?? 0) + 1;
    try {
      await InvoiceNumber.collection.insertOne({
        _id: `${issuerId}#${sequence}` as never,
        issuerId,
        sequence,
        invoiceId,
        allocatedAt: new Date(),
      });
      return sequence;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
}
