// A consumer group rebalanced under traffic: a second replica of invoicing and of statistics joins
// while a station desk keeps recording intakes, the partitions of their topics are shared between
// the two processes of each service, then the replicas leave again (SIGTERM, a scale-down) and the
// first processes take every partition back. Every purchase must be invoiced exactly once with a
// number of its own, the totals per seller must equal what the station paid, and statistics must
// equal the station's records: a partition that changed hands lost and doubled nothing.
import type { RunningService } from '@recycling/testkit';
import { Desk, expectBooksBalance, sellers, setUpStation } from './support/books';
import { startE2e, waitFor, type E2e } from './support/network';

jest.setTimeout(600_000);

let e: E2e;

beforeAll(async () => {
  e = await startE2e(['sorting', 'invoicing', 'statistics']);
  await setUpStation(e);
});

afterAll(async () => {
  await e?.stop();
});

/** Every JSON log line a process writes, from its start (testkit keeps only the recent output). */
function logOf(svc: RunningService) {
  let text = svc.output.join('');
  const more = (chunk: Buffer) => (text += chunk.toString());
  svc.process.stdout?.on('data', more);
  svc.process.stderr?.on('data', more);
  return () =>
    text
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return {};
        }
      });
}

type Lines = ReturnType<typeof logOf>;

/** The assignments a process logged for a consumer group whose id ends with `group`. */
const joinsOf = (lines: Lines, group: RegExp) =>
  lines()
    .filter((l) => l.msg === 'consumer joined its group' && group.test(String(l.groupId)))
    .map((l) => l.assignment as Record<string, number[]>);

const partitionsOf = (assignment: Record<string, number[]> | undefined, topic: string) =>
  assignment?.[topic] ?? [];

const decidedBy = (lines: Lines) =>
  new Set(
    lines()
      .filter((l) => l.msg === 'purchase decided')
      .map((l) => String(l.purchaseId)),
  );

describe('a consumer group rebalanced by a second replica', () => {
  it('shares the partitions while both run and applies every event exactly once', async () => {
    const desk = new Desk(e, sellers(12));
    const invoicing = logOf(e.net.services.invoicing);
    const statistics = logOf(e.net.services.statistics);
    await desk.recordMany(0, 6);

    // A desk that keeps recording, about one intake a second, until told to stop.
    let n = 6;
    let flowing = true;
    const traffic = (async () => {
      while (flowing && n < 150) {
        await desk.record(n++);
        await new Promise((resolve) => setTimeout(resolve, 600));
      }
    })();
    traffic.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile

    const [invoicingReplica, statisticsReplica] = await Promise.all([
      e.net.addReplica('invoicing'),
      e.net.addReplica('statistics'),
    ]);
    const invoicing2 = logOf(invoicingReplica);
    const statistics2 = logOf(statisticsReplica);

    // Both members of each group hold partitions of their topic, and no partition is held twice.
    const purchases = 'recycling.purchases.v1';
    const shared = await waitFor(
      () => {
        const mine = partitionsOf(joinsOf(invoicing, /\.invoicing\.purchases$/).at(-1), purchases);
        const theirs = partitionsOf(joinsOf(invoicing2, /\.invoicing\.purchases$/).at(-1), purchases);
        return mine.length > 0 && theirs.length > 0 && mine.length + theirs.length === 6 && { mine, theirs };
      },
      { what: 'the purchases partitions shared by both invoicing processes', timeoutMs: 60_000 },
    );
    expect([...shared.mine, ...shared.theirs].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const intakes = 'recycling.intakes.v1';
    await waitFor(
      () => {
        const mine = partitionsOf(joinsOf(statistics, /\.statistics\.rollups-g\d+$/).at(-1), intakes);
        const theirs = partitionsOf(joinsOf(statistics2, /\.statistics\.rollups-g\d+$/).at(-1), intakes);
        return mine.length > 0 && theirs.length > 0 && mine.length + theirs.length === 6;
      },
      { what: 'the counted topics shared by both statistics processes', timeoutMs: 60_000 },
    );

    // Both invoicing processes decide purchases while they share the work.
    const sharedSince = new Set(decidedBy(invoicing));
    await waitFor(
      () =>
        decidedBy(invoicing2).size >= 3 &&
        [...decidedBy(invoicing)].some((p) => !sharedSince.has(p)) && { n },
      { what: 'purchases decided by both invoicing processes', timeoutMs: 90_000 },
    );

    // Scale down again: the replicas leave their groups and the first processes take over.
    await Promise.all([e.net.stopReplica(invoicingReplica), e.net.stopReplica(statisticsReplica)]);
    await waitFor(
      () => partitionsOf(joinsOf(invoicing, /\.invoicing\.purchases$/).at(-1), purchases).length === 6,
      { what: 'every purchases partition back with the first invoicing process', timeoutMs: 60_000 },
    );
    const after = n;
    await waitFor(() => n >= after + 5, {
      what: 'five more intakes after the scale-down',
      timeoutMs: 60_000,
    });
    flowing = false;
    await traffic;

    await expectBooksBalance(e, desk.recorded).catch((error: unknown) => {
      // What the consumers did, for the failure message: joins, crashes, warnings and errors.
      const notable = (name: string, lines: Lines) =>
        lines()
          .filter(
            (l) =>
              l.msg === 'consumer joined its group' || ['warn', 'error', 'fatal'].includes(String(l.level)),
          )
          .map(
            (l) =>
              `${name} ${String(l.time)} ${String(l.msg)} ${JSON.stringify(l.assignment ?? l.err ?? '')}`,
          )
          .slice(-40);
      const trail = [
        ...notable('invoicing', invoicing),
        ...notable('invoicing#2', invoicing2),
        ...notable('statistics', statistics),
        ...notable('statistics#2', statistics2),
      ];
      throw new Error(`${String(error)}\n${trail.join('\n')}`, { cause: error });
    });
    const byReplica = decidedBy(invoicing2);
    console.log(
      `[rebalance] ${desk.recorded.length} intakes; purchases partitions ${JSON.stringify(shared)}; ` +
        `invoicing replica decided ${byReplica.size}, first process ${decidedBy(invoicing).size}`,
    );
  });
});
