import type { InvoiceIssuedData } from '@recycling/contracts';
import {
  decidePurchase,
  type ActiveInvoice,
  type Decision,
  type DecisionInput,
  type PlannedDocument,
  type PurchaseRevision,
} from '../domain/decide-purchase';
import { planIdFor } from '../domain/ids';
import type { LedgerDoc } from '../store/models';
import type { LedgerPlan } from '../store/seller-ledger-repository';
import type { InvoicingContext } from './context';
import {
  createInlineDocuments,
  createPlannedDocuments,
  numberDocuments,
  unnumbered,
} from './create-documents';

export type PurchaseOutcome = 'issued' | 'refused' | 'withdrawn' | 'duplicate';

/** Purchases of a run that could not be decided; everything else of the run was applied. */
export class UndecidedPurchasesError extends Error {
  constructor(readonly failures: ReadonlyArray<{ purchase: PurchaseRevision; error: unknown }>) {
    super(
      `${failures.length} purchase(s) could not be decided: ${failures
        .map(({ purchase, error }) => `${purchase.purchaseId} r${purchase.revision}: ${String(error)}`)
        .join('; ')}`,
      { cause: failures[0]?.error },
    );
    this.name = 'UndecidedPurchasesError';
  }
}

/** Decides and records one purchase revision for its seller (a run of one; see processPurchases). */
export async function processPurchase(
  ctx: InvoicingContext,
  purchase: PurchaseRevision,
): Promise<PurchaseOutcome> {
  try {
    return (await processPurchases(ctx, [purchase]))[0]!;
  } catch (error) {
    if (error instanceof UndecidedPurchasesError) throw error.failures[0]!.error;
    throw error;
  }
}

/**
 * Decides and records a run of purchase revisions (consecutive events of one partition, in order)
 * with a few bulk operations, whatever the number of purchases:
 *
 * 1. the ledgers of the run's sellers are locked and read at once (by `_id`);
 * 2. a plan an interrupted run left (a ledger names a plan that still exists) is carried out
 *    first: its documents are created with the numbers it holds, then it is removed;
 * 3. each seller's purchases are decided in order, in memory, with the rules of decide-purchase.ts;
 *    a revision at or below the ledger's marker is a duplicate and changes nothing;
 * 4. the documents are numbered, one claim per issuer, and the run's plan (its documents per
 *    seller, numbered) is stored, one insert;
 * 5. each ledger saves its new totals, markers and the name of the plan in one write;
 * 6. the documents are created (one bulk insert) and listed under their pickups;
 * 7. the plan is removed (one delete).
 *
 * A crash anywhere is repaired by the redelivery: before 5 nothing the ledgers know of was saved (a
 * number claim and a plan nobody names at most, which the same run finds again), after it step 2
 * finishes the plan and the revisions are duplicates. A purchase whose decision fails leaves its
 * seller's later purchases of the run undecided; the rest of the run is applied, then
 * `UndecidedPurchasesError` names them, so that the consumer applies the run again one event at a
 * time and only the bad one is dead-lettered.
 *
 * The plan is a document of its own, not the ledger's: FerretDB writes every updated document in a
 * transaction of its own, so clearing a plan kept in each ledger cost one more write per seller and
 * run (about half of the run's time, measured), where removing the run's plan is one delete.
 */
export async function processPurchases(
  ctx: InvoicingContext,
  purchases: readonly PurchaseRevision[],
): Promise<PurchaseOutcome[]> {
  if (purchases.length === 0) return [];
  const started = Date.now();
  /** Where the run's time went (ms per step, in the run's log line). */
  const steps: Record<string, number> = {};
  let last = started;
  const step = (name: string) => {
    const now = Date.now();
    steps[name] = now - last;
    last = now;
  };
  const bySeller = new Map<string, number[]>();
  purchases.forEach((p, i) => {
    const indices = bySeller.get(p.seller.sellerKey) ?? [];
    indices.push(i);
    bySeller.set(p.seller.sellerKey, indices);
  });

  return ctx.ledgers.withSellers([...bySeller.keys()], async () => {
    step('lock');
    const ledgers = await ctx.ledgers.load([...bySeller.keys()]);
    step('read');
    const resumed = await resumeInterrupted(ctx, ledgers);
    step('resume');

    const enterprises = await ctx.enterprises.lookup(purchases.map((p) => p.buyerId));
    // One instant for the run: which months are closed, and the date of late sales' invoices.
    const decidedAt = ctx.now().toISOString();
    const known: KnownInvoices = { invoices: new Map(), pickups: new Map() };
    const outcomes: Array<PurchaseOutcome | undefined> = purchases.map(() => undefined);
    const documents: PlannedDocument[][] = purchases.map(() => []);
    const failures: Array<{ purchase: PurchaseRevision; error: unknown }> = [];
    const decided: Array<{
      sellerKey: string;
      active: ActiveInvoice[];
      applied: Map<string, number>;
      indices: number[];
    }> = [];

    await Promise.all(
      [...bySeller].map(async ([sellerKey, indices]) => {
        const ledger = ledgers.get(sellerKey);
        let active = ledger?.active ?? [];
        const applied = new Map((ledger?.applied ?? []).map((a) => [a.purchaseId, a.revision]));
        const mine: number[] = [];
        for (const i of indices) {
          const purchase = purchases[i]!;
          const marker = applied.get(purchase.purchaseId);
          if (marker !== undefined && marker >= purchase.revision) {
            outcomes[i] = 'duplicate';
            continue;
          }
          const decision = await decide(ctx, known, {
            purchase,
            active,
            enterprise: enterprises.get(purchase.buyerId),
            rules: ctx.profile.tax.reverseInvoicing,
            timeZone: ctx.profile.timezone,
            decidedAt,
          });
          if (decision instanceof DecisionFailed) {
            // The seller's later purchases wait for the one-at-a-time retry, so they stay in order.
            failures.push({ purchase, error: decision.error });
            break;
          }
          active = decision.active;
          applied.delete(purchase.purchaseId);
          applied.set(purchase.purchaseId, purchase.revision);
          outcomes[i] = decision.outcome;
          documents[i] = decision.documents;
          mine.push(i);
          remember(known, decision.documents);
        }
        if (mine.length > 0) decided.push({ sellerKey, active, applied, indices: mine });
      }),
    );
    step('decide');

    const numbered = await numberDocuments(ctx, documents.flat());
    const entries = new Map(numbered.map((entry) => [entry.invoiceId, entry]));
    const plan: LedgerPlan = {
      planId: planIdFor(numbered.map((d) => d.invoiceId)),
      sellers: decided.flatMap(({ sellerKey, indices }) => {
        const mine = indices.flatMap((i) => documents[i]!.map((d) => entries.get(d.invoiceId)!));
        return mine.length > 0 ? [{ sellerKey, entries: mine }] : [];
      }),
    };
    const planned = new Set(plan.sellers.map((s) => s.sellerKey));
    if (numbered.length > 0) await ctx.ledgers.insertPlan(plan, ctx.now());
    step('number');
    await ctx.ledgers.save(
      decided.map(({ sellerKey, active, applied }) => ({
        sellerKey,
        active,
        applied: [...applied].map(([purchaseId, revision]) => ({ purchaseId, revision })),
        plan: planned.has(sellerKey) ? plan.planId : null,
      })),
    );
    step('save');
    await createPlannedDocuments(ctx, plan.planId, numbered, { afterCrash: false });
    step('create');
    if (numbered.length > 0) await ctx.ledgers.removePlan(plan.planId);
    // Inline plans of ledgers this run did not write again (save clears the others').
    const rewritten = new Set(decided.map((d) => d.sellerKey));
    const inline = resumed.inline.filter((sellerKey) => !rewritten.has(sellerKey));
    if (inline.length > 0) await ctx.ledgers.clearPending(inline);
    step('clear');

    const counts: Record<string, number> = {};
    purchases.forEach((purchase, i) => {
      const outcome = outcomes[i];
      if (!outcome) return;
      counts[outcome] = (counts[outcome] ?? 0) + 1;
      ctx.logger.info(
        {
          purchaseId: purchase.purchaseId,
          revision: purchase.revision,
          outcome,
          documents: documents[i]!.map((d) => d.kind),
        },
        'purchase decided',
      );
    });
    ctx.logger.info(
      {
        purchases: purchases.length,
        sellers: bySeller.size,
        outcomes: counts,
        documents: numbered.length,
        resumedPlans: resumed.plans + resumed.inline.length,
        undecided: failures.length,
        ms: Date.now() - started,
        steps,
      },
      'purchases applied',
    );
    if (failures.length > 0) throw new UndecidedPurchasesError(failures);
    return outcomes as PurchaseOutcome[];
  });
}

/**
 * Carries out what interrupted runs left for these ledgers: a plan a ledger names that still exists
 * (its documents, for every seller whose ledger names it, also sellers not in this run: they are of
 * the same partition, and a plan's documents are created the same way by whoever gets there), then
 * removes it; and the inline plans (`pending`) of ledgers written before plans had documents of
 * their own, cleared by the caller. Documents that exist are skipped and keep their numbers.
 */
async function resumeInterrupted(
  ctx: InvoicingContext,
  ledgers: ReadonlyMap<string, LedgerDoc>,
): Promise<{ plans: number; inline: string[] }> {
  const inline = [...ledgers.values()].filter((l) => (l.pending ?? []).length > 0);
  await createInlineDocuments(
    ctx,
    inline.flatMap((l) => l.pending),
  );
  const names = [...ledgers.values()].flatMap((l) => (l.plan ? [l.plan] : []));
  const plans = await ctx.ledgers.unfinishedPlans(names);
  for (const plan of plans) {
    const others = await ctx.ledgers.load(
      plan.sellers.map((s) => s.sellerKey).filter((k) => !ledgers.has(k)),
    );
    const named = plan.sellers.filter(
      (s) => (ledgers.get(s.sellerKey) ?? others.get(s.sellerKey))?.plan === plan.planId,
    );
    await createPlannedDocuments(
      ctx,
      plan.planId,
      named.flatMap((s) => s.entries),
      { afterCrash: true },
    );
    await ctx.ledgers.removePlan(plan.planId);
  }
  return { plans: plans.length, inline: inline.map((l) => l._id) };
}

/**
 * What the run knows of the invoices its decisions may reverse: those decided earlier in the run
 * (numbered later: `unnumbered(id)` until then), and those read from the store when a decision
 * asked for them. With the pickup of each of their purchases.
 */
interface KnownInvoices {
  invoices: Map<string, InvoiceIssuedData>;
  pickups: Map<string, string>;
}

function remember(known: KnownInvoices, documents: readonly PlannedDocument[]): void {
  for (const doc of documents) {
    if (doc.pickupId) known.pickups.set(doc.data.purchaseId, doc.pickupId);
    if (doc.kind === 'issued') {
      known.invoices.set(doc.invoiceId, { ...doc.data, invoiceNo: unnumbered(doc.invoiceId) });
    }
  }
}

class DecisionFailed {
  constructor(readonly error: unknown) {}
}

/**
 * Decides one purchase. The rules read only the invoices they reverse (a correction's earlier
 * revision, a month whose treatment changes), nearly always none: the decision is made with what
 * the run knows, and when it asks for an invoice the run does not know, that invoice is read and
 * the (pure) decision made again. A failure of the rules is answered, not thrown; a failure to
 * read is thrown (an outage stops the run).
 */
async function decide(
  ctx: InvoicingContext,
  known: KnownInvoices,
  input: Omit<DecisionInput, 'invoices' | 'pickupIds'>,
): Promise<Decision | DecisionFailed> {
  for (;;) {
    const asked = new AskedInvoices(known.invoices);
    try {
      return decidePurchase({ ...input, invoices: asked, pickupIds: known.pickups });
    } catch (error) {
      const unknown = [...asked.missing].filter((id) => !known.invoices.has(id));
      if (unknown.length === 0) return new DecisionFailed(error);
      const records = await ctx.invoices.findMany(unknown, { data: 1, purchaseId: 1, pickupId: 1 });
      if (records.length === 0) return new DecisionFailed(error);
      for (const r of records) {
        known.invoices.set(r._id, r.data as unknown as InvoiceIssuedData);
        if (r.pickupId) known.pickups.set(r.purchaseId, r.pickupId);
      }
    }
  }
}

/** The invoices a decision may read, noting the ones it asked for and did not find. */
class AskedInvoices implements ReadonlyMap<string, InvoiceIssuedData> {
  readonly missing = new Set<string>();

  constructor(private readonly known: ReadonlyMap<string, InvoiceIssuedData>) {}

  get(id: string): InvoiceIssuedData | undefined {
    const invoice = this.known.get(id);
    if (!invoice) this.missing.add(id);
    return invoice;
  }

  has(id: string): boolean {
    return this.known.has(id);
  }

  get size(): number {
    return this.known.size;
  }

  forEach(
    fn: (value: InvoiceIssuedData, key: string, map: ReadonlyMap<string, InvoiceIssuedData>) => void,
    thisArg?: unknown,
  ): void {
    this.known.forEach((value, key) => fn.call(thisArg, value, key, this));
  }

  entries() {
    return this.known.entries();
  }

  keys() {
    return this.known.keys();
  }

  values() {
    return this.known.values();
  }

  [Symbol.iterator]() {
    return this.known.entries();
  }
}
