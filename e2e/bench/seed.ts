// --seed N: a history of N intakes (sorting's database) and N invoices (invoicing's) inserted in bulk
// before the first step, so a run on a grown store can be set beside one on an empty store ("flat as
// data grows"). The documents are copies of a real intake and a real invoice the warm-up created,
// with new `_id`s, their dates moved back over the past year and no outbox (nothing to publish).

/** A stored document, read loosely: only `_id`, the dates and a few ids are changed. */
export type Doc = Record<string, unknown> & { _id: string };

/** The part of a driver collection seeding uses (a mongoose connection's `db.collection(name)`). */
export interface SeedCollection {
  findOne(filter: Record<string, unknown>): Promise<unknown>;
  find(filter: Record<string, unknown>): { toArray(): Promise<unknown[]> };
  insertMany(docs: Doc[], options: { ordered: boolean }): Promise<unknown>;
}

const DAY_MS = 86_400_000;

/** Every Date in `value` moved back by `ms` (strings, such as an event's occurredAt, are kept). */
export function shiftDates<T>(value: T, ms: number): T {
  if (value instanceof Date) return new Date(value.getTime() - ms) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => shiftDates(v, ms)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftDates(v, ms)])) as T;
  }
  return value;
}

const localDay = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(at)
    .replace(/-/g, '');

/**
 * Seeded intake `i`: the template's fields, received `1 + i mod 365` days earlier. Its id keeps the
 * form `in-<day>-<tail>` with a tail that is not hex (`seed…`), so it can never meet a real intake's
 * random tail.
 */
export function seededIntake(template: Doc, i: number, timeZone: string): Doc {
  const shift = (1 + (i % 365)) * DAY_MS;
  const doc = shiftDates(template, shift);
  const receivedAt = doc.receivedAt instanceof Date ? doc.receivedAt : new Date(Date.now() - shift);
  return {
    ...doc,
    _id: `in-${localDay(receivedAt, timeZone)}-seed${String(i).padStart(7, '0')}`,
    outbox: [],
    outboxUpdatedAt: null,
  };
}

/**
 * Seeded invoice `i`, for seeded intake `intakeId`: the template's fields and dates moved back the
 * same way, an id and number that no real invoice can have (real ids are `inv-` + 32 hex, real
 * numbers count up from 1 after the city code; these count from 9·10¹³).
 */
export function seededInvoice(template: Doc, i: number, intakeId: string): Doc {
  const shift = (1 + (i % 365)) * DAY_MS;
  const doc = shiftDates(template, shift);
  const _id = `inv-seed${String(i).padStart(10, '0')}`;
  const purchaseId = `intake:${intakeId}`;
  const cityCode = typeof template.invoiceNo === 'string' ? template.invoiceNo.slice(0, 6) : '659002';
  const invoiceNo = `${cityCode}9${String(i).padStart(13, '0')}`;
  const data = (doc.data && typeof doc.data === 'object' ? doc.data : {}) as Record<string, unknown>;
  return {
    ...doc,
    _id,
    purchaseId,
    invoiceNo,
    data: {
      ...data,
      ...('invoiceId' in data ? { invoiceId: _id } : {}),
      ...('purchaseId' in data ? { purchaseId } : {}),
      ...('invoiceNo' in data ? { invoiceNo } : {}),
    },
    outbox: [],
    outboxUpdatedAt: null,
  };
}

export interface SeedTemplates {
  intake: Doc;
  invoice: Doc;
}

/** The intake the warm-up recorded and its issued invoice, as stored. */
export async function readTemplates(
  intakes: SeedCollection,
  invoices: SeedCollection,
  intakeId: string,
): Promise<SeedTemplates> {
  const intake = (await intakes.findOne({ _id: intakeId })) as Doc | null;
  if (!intake) throw new Error(`the warm-up intake ${intakeId} is not in sorting's intakes collection`);
  const candidates = (await invoices.find({ purchaseId: `intake:${intakeId}` }).toArray()) as Doc[];
  const invoice = candidates.find((d) => d.eventType === 'recycling.invoice.issued.v1') ?? candidates[0];
  if (!invoice) throw new Error(`no invoice of intake:${intakeId} in invoicing's invoices collection`);
  return { intake, invoice };
}

export interface SeedResult {
  intakes: number;
  invoices: number;
  ms: number;
}

/**
 * Inserts `n` intakes and `n` invoices in chunks of `chunk` (unordered insertMany, the two
 * collections in turn), reporting progress through `progress` every few seconds. Stops early (and
 * says how far it got) when `stopped()` turns true.
 */
export async function seedHistory(options: {
  n: number;
  chunk?: number;
  templates: SeedTemplates;
  intakes: SeedCollection;
  invoices: SeedCollection;
  timeZone: string;
  progress: (line: string) => void;
  stopped?: () => boolean;
}): Promise<SeedResult> {
  const { n, templates, timeZone, progress } = options;
  const chunk = options.chunk ?? 1_000;
  const began = performance.now();
  let done = 0;
  let lastReport = began;
  while (done < n && !options.stopped?.()) {
    const size = Math.min(chunk, n - done);
    const intakeDocs = Array.from({ length: size }, (_, k) =>
      seededIntake(templates.intake, done + k, timeZone),
    );
    const invoiceDocs = intakeDocs.map((intake, k) => seededInvoice(templates.invoice, done + k, intake._id));
    await options.intakes.insertMany(intakeDocs, { ordered: false });
    await options.invoices.insertMany(invoiceDocs, { ordered: false });
    done += size;
    const now = performance.now();
    if (now - lastReport > 5_000 || done === n) {
      lastReport = now;
      const rate = done / ((now - began) / 1000);
      const eta = rate > 0 ? (n - done) / rate : NaN;
      progress(
        `seeding: ${done}/${n} intakes and invoices (${Math.round((done / n) * 100)} %, ${Math.round(rate)} pairs/s` +
          `${done < n ? `, about ${Math.ceil(eta)} s to go` : ''})`,
      );
    }
  }
  return { intakes: done, invoices: done, ms: performance.now() - began };
}
