// Nothing lost or doubled: after each step, every accepted intake must have exactly one reverse
// invoice (invoice.issued on the invoices topic for its purchase) and be counted once by statistics
// (its two units in the appliances rollup). The benchmark exits non-zero and names the intakes
// otherwise.

/** What the watcher saw on the invoices topic for one purchase. */
export interface InvoiceSightings {
  /** Distinct invoice ids of invoice.issued events (an event relayed twice has one id). */
  issued: Set<string>;
  refused: Set<string>;
  reversed: Set<string>;
  /** Reason of the first refusal, if any. */
  refusedReason?: string;
}

export interface StatisticsCount {
  /** Units the appliances rollup gained during the step. */
  counted: number;
  /** Units the accepted intakes carry (two each). */
  expected: number;
  /** Intakes statistics has no record of (looked up only when units are missing). */
  missing?: string[];
  /** Why the intakes could not be named, when the lookup failed. */
  lookupError?: string;
}

export interface Accounting {
  ok: boolean;
  accepted: number;
  invoiced: number;
  /** Accepted intakes with no invoice.issued. */
  notInvoiced: string[];
  /** Accepted intakes with more than one distinct invoice.issued. */
  doubled: Array<{ intakeId: string; invoiceIds: string[] }>;
  /** Accepted intakes invoicing refused (each also not invoiced). */
  refused: Array<{ intakeId: string; reason?: string }>;
  /** Accepted intakes whose invoice was reversed (red-letter) during the run. */
  reversed: string[];
  statistics: StatisticsCount;
  /** One line per kind of failure, naming up to ten intakes each. */
  problems: string[];
}

const purchaseOf = (intakeId: string) => `intake:${intakeId}`;
const some = (ids: string[], n = 10) =>
  `${ids.slice(0, n).join(', ')}${ids.length > n ? ` and ${ids.length - n} more` : ''}`;

export function checkStep(
  accepted: readonly string[],
  invoices: ReadonlyMap<string, InvoiceSightings>,
  statistics: StatisticsCount,
): Accounting {
  const notInvoiced: string[] = [];
  const doubled: Accounting['doubled'] = [];
  const refused: Accounting['refused'] = [];
  const reversed: string[] = [];
  for (const intakeId of accepted) {
    const seen = invoices.get(purchaseOf(intakeId));
    const issued = seen?.issued.size ?? 0;
    if (issued === 0) notInvoiced.push(intakeId);
    if (issued > 1) doubled.push({ intakeId, invoiceIds: [...seen!.issued] });
    if (seen && seen.refused.size > 0) refused.push({ intakeId, reason: seen.refusedReason });
    if (seen && seen.reversed.size > 0) reversed.push(intakeId);
  }
  const problems: string[] = [];
  if (notInvoiced.length)
    problems.push(`${notInvoiced.length} accepted intake(s) without an invoice: ${some(notInvoiced)}`);
  if (refused.length)
    problems.push(
      `${refused.length} refused by invoicing (${refused[0]!.reason ?? 'no reason'}): ${some(refused.map((r) => r.intakeId))}`,
    );
  if (doubled.length)
    problems.push(
      `${doubled.length} intake(s) invoiced more than once: ${some(doubled.map((d) => `${d.intakeId} (${d.invoiceIds.length})`))}`,
    );
  if (reversed.length)
    problems.push(`${reversed.length} intake(s) whose invoice was reversed: ${some(reversed)}`);
  if (statistics.counted < statistics.expected) {
    const named = statistics.missing?.length
      ? `: ${some(statistics.missing)}`
      : statistics.lookupError
        ? ` (could not name them: ${statistics.lookupError})`
        : '';
    problems.push(
      `statistics counted ${statistics.counted} of ${statistics.expected} units (${(statistics.expected - statistics.counted) / 2} intake(s) short)${named}`,
    );
  } else if (statistics.counted > statistics.expected) {
    problems.push(
      `statistics counted ${statistics.counted} units for ${statistics.expected} expected: ${(statistics.counted - statistics.expected) / 2} intake(s) counted twice (or late from an earlier step)`,
    );
  }
  return {
    ok: problems.length === 0,
    accepted: accepted.length,
    invoiced: accepted.length - notInvoiced.length,
    notInvoiced,
    doubled,
    refused,
    reversed,
    statistics,
    problems,
  };
}
