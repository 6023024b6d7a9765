// The books of the fault tests: a station desk that records intakes the way a careful client does
// (an Idempotency-Key per intake, retried after a 503 or an in-progress 409 until accepted), and the
// check that the tax office's invoices and the statistics equal the station's own records —
// nothing lost, nothing doubled.
import { residentIdCheckCharacter } from '@recycling/contracts';
import {
  PEOPLE,
  STATION,
  applianceIntakeLines,
  expectOk,
  personSeller,
  readFeed,
  statCell,
  waitFor,
  type E2e,
} from './network';

export interface Person {
  name: string;
  idNumber: string;
}

/**
 * `count` sellers with well-formed, distinct id numbers (region 659002): their seller keys spread
 * over the partitions of the purchases topic, so every consumer replica gets work.
 */
export function sellers(count: number): Person[] {
  const names = [PEOPLE.wang, PEOPLE.ayigul, PEOPLE.li];
  return Array.from({ length: count }, (_, i) => {
    const birth = new Date(Date.UTC(1960, 0, 1) + i * 97 * 86_400_000).toISOString().slice(0, 10);
    const first17 = `659002${birth.replace(/-/g, '')}${String(100 + i).slice(-3)}`;
    return {
      name: names[i % names.length]!.name,
      idNumber: `${first17}${residentIdCheckCharacter(first17)}`,
    };
  });
}

/** The station and its enterprise, in sorting and invoicing (all the fault tests need). */
export async function setUpStation(e: E2e): Promise<void> {
  const admin = await e.token('administrator');
  expectOk(
    'sorting station',
    await e.call('sorting', 'PUT', `/stations/${STATION.siteId}`, admin, {
      name: '幸福路回收站',
      districtCode: 's-xingfulu',
      enterpriseId: STATION.enterpriseId,
      active: true,
    }),
  );
  expectOk(
    'enterprise',
    await e.call('invoicing', 'PUT', `/enterprises/${STATION.enterpriseId}`, admin, {
      name: '阿拉尔市绿源再生资源回收有限公司',
      taxpayerId: '91659002MA7A2B3C4D',
      vatMethod: 'general',
      qualification: { type: 'recycler-filing', number: 'BA-659002-0042' },
      status: 'active',
      siteIds: [STATION.siteId],
    }),
  );
}

export interface Recorded {
  key: string;
  intakeId: string;
  seller: Person;
  fen: number;
}

/** Every answer the desk got, for assertions on how the services failed. */
export interface Answer {
  key: string;
  status: number | 'no answer';
  contentType?: string;
  retryAfter?: string;
  ms: number;
  detail?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A station desk: each intake carries an Idempotency-Key and is sent again, with the same key and
 * body, after a 503, an in-progress 409 or no answer at all, until the station accepts it.
 */
export class Desk {
  readonly recorded: Recorded[] = [];
  readonly answers: Answer[] = [];
  private readonly run = Math.random().toString(36).slice(2, 8);

  constructor(
    private readonly e: E2e,
    private readonly people: readonly Person[],
  ) {}

  /** Records intake number `n`; resolves once accepted (201), throws on any other answer. */
  async record(n: number, { giveUpAfterMs = 180_000, requestTimeoutMs = 60_000 } = {}): Promise<Recorded> {
    const seller = this.people[n % this.people.length]!;
    const fen = { fridge: 10_000 + n * 100, washer: 5_000 + n * 10 };
    const key = `desk-${this.run}-${n}`;
    const operator = await this.e.token('station-operator', STATION.siteId, 'op-e2e-1');
    const body = JSON.stringify({
      source: { kind: 'walk-in' },
      seller: personSeller(seller),
      lines: applianceIntakeLines(fen),
    });
    const deadline = Date.now() + giveUpAfterMs;
    for (;;) {
      const began = Date.now();
      let answer: Answer;
      let json: { intakeId?: string } | undefined;
      try {
        const res = await fetch(`${this.e.net.services.sorting.url}/stations/${STATION.siteId}/intakes`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${operator}`,
            'idempotency-key': key,
          },
          body,
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        const text = await res.text();
        try {
          json = JSON.parse(text) as { intakeId?: string };
        } catch {
          json = undefined;
        }
        answer = {
          key,
          status: res.status,
          contentType: res.headers.get('content-type') ?? undefined,
          retryAfter: res.headers.get('retry-after') ?? undefined,
          ms: Date.now() - began,
          detail: res.status >= 300 ? text.slice(0, 300) : undefined,
        };
      } catch (error) {
        answer = { key, status: 'no answer', ms: Date.now() - began, detail: String(error) };
      }
      this.answers.push(answer);
      if (answer.status === 201 && json?.intakeId) {
        const recorded = { key, intakeId: json.intakeId, seller, fen: fen.fridge + fen.washer };
        this.recorded.push(recorded);
        return recorded;
      }
      const retriable = answer.status === 503 || answer.status === 409 || answer.status === 'no answer';
      if (!retriable || Date.now() > deadline) {
        throw new Error(`intake ${key} not accepted: ${JSON.stringify(answer)}`);
      }
      await sleep(Math.min(Number(answer.retryAfter ?? 1) * 1_000 || 1_000, 5_000));
    }
  }

  /** Records intakes `from`..`to-1`, `concurrency` at a time. */
  async recordMany(from: number, to: number, concurrency = 2, options?: Parameters<Desk['record']>[1]) {
    let next = from;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < to) await this.record(next++, options);
      }),
    );
  }
}

/**
 * What a failed wait for invoices prints: the intakes with no invoice, and the services' warnings
 * and errors (the last of them), so a run that fails far away (CI) says where the chain stopped.
 */
async function whyInvoicesAreMissing(e: E2e, recorded: readonly Recorded[]): Promise<string> {
  const feed = await readFeed(e);
  const invoiced = new Set(feed.filter((i) => i.kind === 'issued').map((i) => i.data.purchaseId as string));
  const others = feed.filter((i) => i.kind !== 'issued').map((i) => JSON.stringify(i).slice(0, 600));
  const missing = recorded.filter((r) => !invoiced.has(`intake:${r.intakeId}`));
  const trouble = e
    .output()
    .split('\n')
    .filter((l) => /"level":"(warn|error|fatal)"/.test(l))
    .slice(-25)
    .map((l) => l.slice(0, 1_200));
  return [
    `invoiced ${invoiced.size} of ${recorded.length}; no invoice for intakes ${missing.map((m) => m.intakeId).join(', ')}`,
    ...(others.length > 0 ? ['entries of the feed that are not invoices:', ...others] : []),
    'the last warnings and errors of the services:',
    ...trouble,
  ].join('\n');
}

interface OwnerIntake {
  intakeId: string;
  totalFen: number;
  units: number;
  grams: number;
}

/** The station's own record of its intakes: what the invoices and statistics must agree with. */
export async function stationRecords(e: E2e): Promise<OwnerIntake[]> {
  const admin = await e.token('administrator');
  const list = await e.call('sorting', 'GET', `/stations/${STATION.siteId}/intakes?limit=200`, admin);
  expectOk('station intakes', list);
  const intakes = list.body.intakes as {
    intakeId: string;
    contents: { lines: { units: number; weightGrams: number; priceFen: number }[] };
  }[];
  return intakes.map(({ intakeId, contents: { lines } }) => ({
    intakeId,
    totalFen: lines.reduce((s, l) => s + l.priceFen, 0),
    units: lines.reduce((s, l) => s + l.units, 0),
    grams: lines.reduce((s, l) => s + l.weightGrams, 0),
  }));
}

/**
 * Exactly one invoice per intake with a number of its own, the totals invoiced to each seller equal
 * to what the station paid them, and statistics equal to the station's records.
 */
export async function expectBooksBalance(
  e: E2e,
  recorded: readonly Recorded[],
  { timeoutMs = 180_000, statistics = true } = {},
): Promise<void> {
  const owners = await stationRecords(e);
  expect(owners.map((o) => o.intakeId).sort()).toEqual(recorded.map((r) => r.intakeId).sort());
  const expectedFen = owners.reduce((s, o) => s + o.totalFen, 0);
  expect(expectedFen).toBe(recorded.reduce((s, r) => s + r.fen, 0));

  await waitFor(
    async () => (await readFeed(e)).filter((i) => i.kind === 'issued').length >= recorded.length,
    { what: `${recorded.length} invoices in the feed`, timeoutMs, intervalMs: 500 },
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}\n${await whyInvoicesAreMissing(e, recorded)}`);
  });
  // Let anything late (a redelivered event) arrive before counting.
  await sleep(3_000);
  const feed = await readFeed(e);
  const issued = feed.filter((i) => i.kind === 'issued');
  expect(feed.filter((i) => i.kind !== 'issued')).toEqual([]);
  expect(issued).toHaveLength(recorded.length);
  expect(new Set(issued.map((i) => i.data.purchaseId)).size).toBe(recorded.length);
  expect(new Set(issued.map((i) => i.data.invoiceNo)).size).toBe(recorded.length);
  expect(new Set(issued.map((i) => i.data.purchaseId))).toEqual(
    new Set(recorded.map((r) => `intake:${r.intakeId}`)),
  );

  // Totals per seller: the feed against what the station paid each of them.
  const byPaid = new Map<string, number>();
  for (const r of recorded) byPaid.set(r.seller.idNumber, (byPaid.get(r.seller.idNumber) ?? 0) + r.fen);
  const byInvoiced = new Map<string, number>();
  for (const i of issued) {
    const id = i.data.seller.idNumber as string;
    byInvoiced.set(id, (byInvoiced.get(id) ?? 0) + (i.data.totals.amountFen as number));
  }
  expect(Object.fromEntries(byInvoiced)).toEqual(Object.fromEntries(byPaid));

  if (!statistics) return;
  const units = owners.reduce((s, o) => s + o.units, 0);
  const grams = owners.reduce((s, o) => s + o.grams, 0);
  const cells = async () => ({
    invoicesIssued: await statCell(e, 'invoices', 'issued'),
    invoicedFen: await statCell(e, 'invoices', 'amountFen'),
    appliances: await statCell(e, 'appliances', 'units'),
    grams: await statCell(e, 'appliances', 'grams'),
  });
  const expected = { invoicesIssued: recorded.length, invoicedFen: expectedFen, appliances: units, grams };
  let seen: Awaited<ReturnType<typeof cells>> | undefined;
  await waitFor(
    async () => {
      seen = await cells();
      return JSON.stringify(seen) === JSON.stringify(expected);
    },
    { what: 'statistics to equal the station records', timeoutMs, intervalMs: 500 },
  ).catch(() => undefined);
  // Compared after a pause as well: a count that overshoots would pass the wait above for a moment.
  await sleep(1_000);
  expect(await cells()).toEqual(expected);
  expect(seen).toEqual(expected);
}
