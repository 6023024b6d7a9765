// Benchmark of a statistics rebuild: how fast a new generation of rollups replays the topics.
//
//   cd services/statistics && KAFKA_BROKERS=127.0.0.1:19092 \
//     MONGO_URL='mongodb://127.0.0.1:37017/?directConnection=true' \
//     node_modules/.bin/tsx bench/rebuild.ts [--events 20000] [--partitions 6] [--intakes-per-day 2000]
//
// Publishes a synthetic, time-ordered history of a city to the real broker under a topic prefix of
// its own (intakes with their invoices, sorting, batches and corrections; pickups; scrapped vehicles;
// used-car sales; monthly declarations, in the proportions of the network), starts the service
// in-process, lets the live generation count it, then starts a rebuild as an administrator does
// (`POST /rebuilds`) and prints its rate until it has caught up, the store commands per event
// (`store_commands_total` from /metrics, read before and after) and a summary. It fails unless the
// rebuilt counters equal the live generation's and the totals computed from the published events
// with the pure rules (and, for a few figures, by hand).
//
// A record's later events (a pickup collected, an intake sorted, a vehicle dismantled) come hours or
// days after its first one, as in a real history: with `--intakes-per-day` intakes a day they are
// thousands of events later, so most of them meet a record written by an earlier run, as they would
// in a city's real history.
import {
  alarProfile,
  eventSource,
  residentIdCheckCharacter,
  sellerKeyOf,
  topicForType,
  vinCheckDigit,
} from '@recycling/contracts';
import {
  FIXTURE_PEPPER,
  fixtures,
  issuers,
  sites,
  vehiclePickupRequested,
} from '@recycling/contracts/fixtures';
import { EventPublisher, createEventFactory, registryCatalog, type PendingEvent } from '@recycling/messaging';
import { createLogger } from '@recycling/observability';
import {
  LOCAL_DEV_JWT_SECRET,
  loadConfig,
  mintToken,
  startService,
  type RunningService,
} from '@recycling/service-kit';
import {
  freePort,
  requireEnv,
  testKafka,
  testMongoUrl,
  uniqueName,
  uniqueTopicPrefix,
} from '@recycling/testkit';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import request from 'supertest';
import { rebuildStatus } from '../src/app/rebuilds';
import { factDelta, type Fields } from '../src/domain/facts';
import { allFacts, emptyRecord, recordRules, type RecordState } from '../src/domain/record-rules';
import { StatisticsConfig } from '../src/config';
import { statisticsService, type StatisticsRuntime } from '../src/service';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    partitions: { type: 'string', default: '6' },
    'intakes-per-day': { type: 'string', default: '2000' },
    'timeout-s': { type: 'string', default: '3600' },
    'live-seconds': { type: 'string', default: '30' },
    'live-intakes-per-s': { type: 'string', default: '100' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`rebuild: publishes a synthetic history, then times a rebuild of the rollups from the topics.

  KAFKA_BROKERS=... MONGO_URL=... tsx bench/rebuild.ts [options]

  --events N            events published on the counted topics (default 20000)
  --partitions N        partitions per topic (default 6, as in production)
  --intakes-per-day N   pace of the synthetic city (default 2000); later events of a record come
                        hours or days after its first
  --timeout-s N         give up after this long waiting for a generation (default 3600)
  --live-seconds N      then live traffic for this long, 0 for none (default 30)
  --live-intakes-per-s N  its pace, with the other events in proportion (default 100, the
                        network's target)`);
  process.exit(0);
}
const positive = (name: keyof typeof values, min = 1): number => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be a positive integer (got ${String(values[name])})`);
    process.exit(2);
  }
  return n;
};
const EVENTS = positive('events');
const PARTITIONS = positive('partitions');
const INTAKES_PER_DAY = positive('intakes-per-day');
const TIMEOUT_MS = positive('timeout-s') * 1000;
const LIVE_SECONDS = positive('live-seconds', 0);
const LIVE_RATE = positive('live-intakes-per-s');
const TZ = alarProfile.timezone;

const say = (line: string) => console.log(`[bench] ${line}`);

// --- the synthetic history ----------------------------------------------------------------------

// Deterministic pseudo-random numbers, so two runs publish the same history.
let seed = 20_270_101;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const chance = (p: number) => rand() < p;

const districts = alarProfile.districts.map((d) => d.code);
const categories = Object.keys(alarProfile.appliances.defaultWeightGrams) as Array<
  keyof typeof alarProfile.appliances.defaultWeightGrams
>;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2025-03-30T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
/** The Asia/Shanghai month of an instant (UTC+8 all year). */
const monthAt = (ms: number) => iso(ms + 8 * HOUR).slice(0, 7);

const sellers = Array.from({ length: 300 }, (_, i) => {
  const first17 = `6590021975010${String(1000 + i).slice(-4)}`;
  const idNumber = first17 + residentIdCheckCharacter(first17);
  return {
    sellerKey: sellerKeyOf('resident-id-card', idNumber, FIXTURE_PEPPER),
    name: `卖家${i}`,
    idType: 'resident-id-card' as const,
    idNumber,
  };
});

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const vinOf = (n: number): string => {
  let tail = '';
  for (let i = 0, x = n; i < 8; i++, x = Math.floor(x / VIN_CHARS.length))
    tail += VIN_CHARS[x % VIN_CHARS.length];
  const draft = `LSV${pick(['AG', 'BH', 'CK'])}2188X${tail}`.slice(0, 17);
  return draft.slice(0, 8) + vinCheckDigit(draft) + draft.slice(9);
};

interface Planned {
  at: number;
  type: keyof typeof fixtures;
  data: unknown;
}

/**
 * A city's events from `start` on, in time order, until `count` of them; `tag` keeps the ids of two
 * histories apart (the backlog, then the live traffic).
 */
function history(count: number, start = START, tag = 'b'): Planned[] {
  const vinBase = tag === 'b' ? 0 : 5_000_000;
  const out: Planned[] = [];
  const add = (at: number, type: keyof typeof fixtures, data: unknown) => out.push({ at, type, data });
  const gap = DAY / INTAKES_PER_DAY;
  const batchItems: Array<{
    intakeId: string;
    lineId: string;
    category: string;
    units: number;
    weightGrams: number;
  }> = [];
  let pickups = 0;
  let batches = 0;
  let vehicles = 0;
  let usedCars = 0;
  const declared = new Set<string>();
  // Plan entities until the events planned before the last intake are surely `count`.
  for (let i = 0; ; i++) {
    const t = start + i * gap;
    // Entities planned later still add events up to three days before their intake.
    if (i % 500 === 0 && out.filter((p) => p.at >= start && p.at <= t - 3 * DAY).length >= count) break;
    const district = pick(districts);
    // A quarter of the intakes come from a resident's pickup (requested two days before).
    let source: { kind: 'pickup'; pickupId: string } | { kind: 'walk-in' } = { kind: 'walk-in' };
    if (chance(0.25)) {
      const pickupId = `pk-${tag}${++pickups}`;
      const requested = t - 2 * DAY + rand() * HOUR;
      add(requested, 'recycling.pickup.requested.v1', {
        ...fixtures['recycling.pickup.requested.v1'],
        pickupId,
        districtCode: district,
        occurredAt: iso(requested),
      });
      add(requested + 3 * HOUR, 'recycling.pickup.scheduled.v1', {
        ...fixtures['recycling.pickup.scheduled.v1'],
        pickupId,
        occurredAt: iso(requested + 3 * HOUR),
      });
      if (chance(0.1)) {
        add(requested + 20 * HOUR, 'recycling.pickup.scheduled.v1', {
          ...fixtures['recycling.pickup.scheduled.v1'],
          pickupId,
          occurredAt: iso(requested + 20 * HOUR),
        });
      }
      add(t - HOUR, 'recycling.pickup.collected.v1', {
        ...fixtures['recycling.pickup.collected.v1'],
        pickupId,
        occurredAt: iso(t - HOUR),
      });
      source = { kind: 'pickup', pickupId };
    }
    // One pickup in ten never reaches a station: cancelled or failed.
    if (chance(0.03)) {
      const pickupId = `pk-${tag}${++pickups}`;
      add(t - DAY, 'recycling.pickup.requested.v1', {
        ...fixtures['recycling.pickup.requested.v1'],
        pickupId,
        districtCode: district,
        occurredAt: iso(t - DAY),
      });
      if (chance(0.5)) {
        add(t, 'recycling.pickup.cancelled.v1', {
          ...fixtures['recycling.pickup.cancelled.v1'],
          pickupId,
          occurredAt: iso(t),
        });
      } else {
        add(t, 'recycling.pickup.failed.v1', {
          ...fixtures['recycling.pickup.failed.v1'],
          pickupId,
          occurredAt: iso(t),
        });
      }
    }
    const intakeId = `in-${tag}${i}`;
    const lines = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, l) => {
      const category = pick(categories);
      const units = 1 + Math.floor(rand() * 2);
      return {
        lineId: `l${l + 1}`,
        category,
        units,
        weightGrams: units * alarProfile.appliances.defaultWeightGrams[category],
        weightEstimated: true,
        condition: pick(['reusable', 'for-dismantling', 'hazardous-parts'] as const),
        priceFen: units * (1_000 + Math.floor(rand() * 20_000)),
      };
    });
    const contents = {
      lines,
      totalFen: lines.reduce((s, l) => s + l.priceFen, 0),
      totalWeightGrams: lines.reduce((s, l) => s + l.weightGrams, 0),
    };
    add(t, 'recycling.intake.recorded.v1', {
      ...fixtures['recycling.intake.recorded.v1'],
      intakeId,
      districtCode: district,
      source,
      contents,
      occurredAt: iso(t),
    });
    const seller = pick(sellers);
    const invoice = (at: number, n: string, reversed = false) =>
      add(at, reversed ? 'recycling.invoice.reversed.v1' : 'recycling.invoice.issued.v1', {
        ...(reversed ? fixtures['recycling.invoice.reversed.v1'] : fixtures['recycling.invoice.issued.v1']),
        invoiceId: `inv-${tag}${n}`,
        seller,
        purchaseId: `intake:${intakeId}`,
        period: monthAt(at),
        occurredAt: iso(at),
      });
    if (chance(0.01)) {
      add(t + 5_000, 'recycling.invoice.refused.v1', {
        ...fixtures['recycling.invoice.refused.v1'],
        purchaseId: `intake:${intakeId}`,
        sellerKey: seller.sellerKey,
        occurredAt: iso(t + 5_000),
      });
    } else {
      invoice(t + 5_000, `${i}`);
    }
    // One intake in 25 is corrected after weighing: its invoice is reversed and issued again.
    if (chance(0.04)) {
      const after = { ...contents, lines: contents.lines.map((l) => ({ ...l, priceFen: l.priceFen + 100 })) };
      after.totalFen = after.lines.reduce((s, l) => s + l.priceFen, 0);
      add(t + 2 * HOUR, 'recycling.intake.corrected.v1', {
        ...fixtures['recycling.intake.corrected.v1'],
        intakeId,
        revision: 2,
        before: contents,
        after,
        occurredAt: iso(t + 2 * HOUR),
      });
      invoice(t + 2 * HOUR + 5_000, `${i}r`, true);
      invoice(t + 2 * HOUR + 10_000, `${i}c`);
    }
    if (chance(0.7)) {
      add(t + 20 * HOUR, 'recycling.intake.items-sorted.v1', {
        ...fixtures['recycling.intake.items-sorted.v1'],
        intakeId,
        outcomes: lines.map((l) => ({
          lineId: l.lineId,
          outcome: pick(['dismantling', 'refurbishment', 'resale'] as const),
          units: l.units,
        })),
        occurredAt: iso(t + 20 * HOUR),
      });
    }
    for (const l of lines) {
      batchItems.push({
        intakeId,
        lineId: l.lineId,
        category: l.category,
        units: l.units,
        weightGrams: l.weightGrams,
      });
    }
    if (batchItems.length >= 40) {
      const items = batchItems.splice(0, batchItems.length);
      add(t + DAY, 'recycling.intake.batch-dispatched.v1', {
        ...fixtures['recycling.intake.batch-dispatched.v1'],
        batchId: `bt-${tag}${++batches}`,
        items,
        totalWeightGrams: items.reduce((s, x) => s + x.weightGrams, 0),
        occurredAt: iso(t + DAY),
      });
    }
    // A scrapped vehicle for every twenty intakes, a third of them fetched by the dismantler.
    if (i % 20 === 7) {
      const n = ++vehicles;
      const vin = vinOf(vinBase + n);
      const vehicleIntakeId = `vi-${tag}${n}`;
      const described = {
        vin,
        plateMasked: '新N·***23',
        vehicleType: pick(['passenger-car', 'truck', 'motorcycle'] as const),
        fuelType: pick(['gasoline', 'diesel', 'bev'] as const),
        emissionStandard: pick(['china-3', 'china-4', 'china-5'] as const),
        registrationDate: '2010-06-18',
      };
      let pickupId: string | undefined;
      if (chance(0.3)) {
        pickupId = `pk-${tag}v${n}`;
        add(t - 2 * DAY, 'recycling.pickup.requested.v1', {
          ...vehiclePickupRequested,
          pickupId,
          districtCode: district,
          vehicle: described,
          occurredAt: iso(t - 2 * DAY),
        });
        add(t - DAY, 'recycling.pickup.scheduled.v1', {
          ...fixtures['recycling.pickup.scheduled.v1'],
          pickupId,
          siteId: sites.dismantler.siteId,
          occurredAt: iso(t - DAY),
        });
        add(t - HOUR, 'recycling.pickup.collected.v1', {
          pickupId,
          siteId: sites.dismantler.siteId,
          kind: 'vehicle',
          vehicle: described,
          occurredAt: iso(t - HOUR),
        });
      }
      add(t, 'recycling.vehicle.received.v1', {
        ...fixtures['recycling.vehicle.received.v1'],
        ...described,
        vehicleIntakeId,
        districtCode: district,
        pickupId,
        priceFen: 100_000 + Math.floor(rand() * 100_000),
        occurredAt: iso(t),
      });
      if (chance(0.03)) {
        add(t + 3 * HOUR, 'recycling.vehicle.intake-voided.v1', {
          ...fixtures['recycling.vehicle.intake-voided.v1'],
          vin,
          vehicleIntakeId,
          occurredAt: iso(t + 3 * HOUR),
        });
      } else {
        const step = (at: number, type: keyof typeof fixtures) =>
          add(at, type, { ...fixtures[type], vin, vehicleIntakeId, pickupId, occurredAt: iso(at) });
        step(t + DAY, 'recycling.vehicle.certificate-issued.v1');
        step(t + DAY + HOUR, 'recycling.vehicle.deregistration-requested.v1');
        step(t + 3 * DAY, 'recycling.vehicle.dismantled.v1');
      }
    }
    if (i % 10 === 3) {
      const n = ++usedCars;
      add(t, 'recycling.used-car.transaction-recorded.v1', {
        ...fixtures['recycling.used-car.transaction-recorded.v1'],
        transactionId: `uc-${tag}${n}`,
        vin: vinOf(vinBase + 1_000_000 + n),
        districtCode: district,
        transactedOn: iso(t + 8 * HOUR).slice(0, 10),
        occurredAt: iso(t),
      });
    }
    // Each enterprise declares the previous month as a month begins.
    const month = monthAt(t);
    if (!declared.has(month)) {
      declared.add(month);
      const [y, m] = month.split('-').map(Number) as [number, number];
      const period = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
      for (const issuer of [issuers.lvyuan, issuers.dismantling]) {
        add(t, 'recycling.declaration.prepared.v1', {
          ...fixtures['recycling.declaration.prepared.v1'],
          declarationId: `dec-${issuer.enterpriseId}-${period}`,
          enterpriseId: issuer.enterpriseId,
          issuer: { name: issuer.name, taxpayerId: issuer.taxpayerId },
          period,
          occurredAt: iso(t),
        });
      }
    }
  }
  // The history starts at `start`: what entities planned before it (a pickup requested two days before
  // its intake) is left out, so the events published are a steady state from the first one on.
  return out
    .filter((p) => p.at >= start)
    .sort((a, b) => a.at - b.at)
    .slice(0, count);
}

/** The cells the published events must give, from the pure rules (records by id, in topic order). */
function expectedCells(events: readonly PendingEvent[]): Map<string, Fields> {
  const records = new Map<string, { state: RecordState }>();
  const cells = new Map<string, Fields>();
  for (const e of events) {
    const rule = recordRules[e.type];
    if (!rule) continue;
    const id = rule.recordId(e.data);
    const prev = records.get(id)?.state;
    const next = rule.apply(prev, e.data, TZ, e.id) as RecordState | undefined;
    if (!next) continue;
    for (const [key, fields] of factDelta(allFacts(prev), allFacts(next))) {
      const row = cells.get(key) ?? {};
      for (const [f, v] of Object.entries(fields)) row[f] = (row[f] ?? 0) + v;
      cells.set(key, row);
    }
    records.set(id, { state: next ?? emptyRecord() });
  }
  for (const [key, row] of cells) {
    for (const [f, v] of Object.entries(row)) if (v === 0) delete row[f];
    if (Object.keys(row).length === 0) cells.delete(key);
  }
  return cells;
}

// --- measuring ----------------------------------------------------------------------------------

/** `store_commands_total` by command, as /metrics shows it (prom-client's default register). */
async function storeCommands(service: RunningService<StatisticsRuntime>): Promise<Map<string, number>> {
  const text = (await request(service.app).get('/metrics')).text;
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^store_commands_total\{command="([^"]+)"\} (\d+(?:\.\d+)?)$/gm)) {
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}

const diff = (after: Map<string, number>, before: Map<string, number>) =>
  new Map([...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const).filter(([, v]) => v > 0));

/** Events of the counted partitions a generation's group has committed, of those published. */
async function progressOf(ctx: StatisticsRuntime, gen: number, end: Record<string, string>): Promise<number> {
  const position = await ctx.rollups.position(gen);
  return Object.entries(end).reduce(
    (n, [part, high]) => n + Math.min(Number(high), Math.max(0, Number(position[part] ?? '-1'))),
    0,
  );
}

async function waitForGeneration(
  ctx: StatisticsRuntime,
  gen: number,
  end: Record<string, string>,
  total: number,
  label: string,
): Promise<{ seconds: number; rates: number[] }> {
  const start = performance.now();
  let last = { at: start, done: await progressOf(ctx, gen, end) };
  const rates: number[] = [];
  for (;;) {
    await new Promise((r) => setTimeout(r, 1_000));
    const done = await progressOf(ctx, gen, end);
    const now = performance.now();
    if (now - last.at >= 5_000 || done >= total) {
      const rate = ((done - last.done) * 1000) / (now - last.at);
      rates.push(rate);
      say(
        `  ${label}: ${done}/${total} events, ${rate.toFixed(0)} events/s over the last ${((now - last.at) / 1000).toFixed(1)} s`,
      );
      last = { at: now, done };
    }
    if (done >= total) return { seconds: (now - start) / 1000, rates };
    if (now - start > TIMEOUT_MS) throw new Error(`${label} did not catch up within ${TIMEOUT_MS / 1000} s`);
  }
}

function compare(label: string, got: Map<string, Fields>, want: Map<string, Fields>): string[] {
  const problems: string[] = [];
  for (const key of new Set([...got.keys(), ...want.keys()])) {
    const a = JSON.stringify(Object.entries(got.get(key) ?? {}).sort());
    const b = JSON.stringify(Object.entries(want.get(key) ?? {}).sort());
    if (a !== b) problems.push(`${label} ${key}: ${a} instead of ${b}`);
  }
  return problems;
}

async function main(): Promise<void> {
  const prefix = uniqueTopicPrefix('bench-stat');
  const dbName = uniqueName('bench-stat').replace(/[^a-zA-Z0-9_-]/g, '_');
  const config = loadConfig(StatisticsConfig, {
    PORT: String(await freePort()),
    KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
    MONGO_URL: testMongoUrl(dbName),
    JWT_SECRET: LOCAL_DEV_JWT_SECRET,
    TOPIC_PREFIX: prefix,
    GENERATION_SYNC_MS: '1000',
  });
  const logger = createLogger({ service: 'statistics', level: 'warn' });
  const boot = () => startService(statisticsService, { config, logger, partitions: PARTITIONS });

  say(`planning ${EVENTS} events at ${INTAKES_PER_DAY} intakes a day…`);
  const planned = history(EVENTS);
  const factories = new Map<string, ReturnType<typeof createEventFactory>>();
  const toEvents = (list: Planned[]) =>
    list.map((p) => {
      const producer = topicForType(p.type).producers[0] ?? 'unknown';
      let make = factories.get(producer);
      if (!make) {
        make = createEventFactory({ catalog: registryCatalog, source: eventSource('659002', producer) });
        factories.set(producer, make);
      }
      return make(p.type, p.data);
    });
  const events = toEvents(planned);
  const byType = new Map<string, number>();
  for (const e of events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
  say(
    `  ${[...byType].map(([t, n]) => `${t.replace(/^recycling\.|\.v1$/g, '')} ${n}`).join(', ')}; ` +
      `${iso(planned[0]!.at).slice(0, 10)} to ${iso(planned.at(-1)!.at).slice(0, 10)}`,
  );

  // The topics exist once the service has started; publish with it stopped, so that the consumers
  // meet a backlog and the figures are their own rates, not the publisher's.
  say(`creating the topics (${PARTITIONS} partitions each)…`);
  let service = await boot();
  await service.stop();
  const publisher = new EventPublisher({ kafka: testKafka('bench-stat'), topicPrefix: prefix });
  await publisher.connect();
  say(`publishing ${events.length} events…`);
  for (let i = 0; i < events.length; i += 500) await publisher.publish(events.slice(i, i + 500));
  await publisher.disconnect();

  say('starting the service: the live generation counts the backlog…');
  const liveStart = performance.now();
  service = await boot();
  const { ctx } = service;
  const end = await ctx.rollups.endOffsets();
  const total = Object.values(end).reduce((n, o) => n + Number(o), 0);
  if (total !== events.length)
    throw new Error(`${total} events on the counted topics, ${events.length} published`);
  const live = await waitForGeneration(ctx, 1, end, total, 'live generation 1');
  const liveSeconds = (performance.now() - liveStart) / 1000;

  say('starting a rebuild as an administrator (POST /rebuilds)…');
  const admin = await mintToken({ sub: 'bench-admin', role: 'administrator' });
  const before = await storeCommands(service);
  const rebuildStart = performance.now();
  const started = await request(service.app)
    .post('/rebuilds')
    .set('Authorization', `Bearer ${admin}`)
    .send({ reason: 'benchmark' });
  if (started.status !== 202)
    throw new Error(`POST /rebuilds: ${started.status} ${JSON.stringify(started.body)}`);
  const gen = started.body.generation as number;
  const rebuilt = await waitForGeneration(ctx, gen, end, total, `rebuild generation ${gen}`);
  const rebuildSeconds = (performance.now() - rebuildStart) / 1000;
  const commands = diff(await storeCommands(service), before);
  const status = await rebuildStatus(ctx, gen);

  say('checking the rebuilt counters…');
  const want = expectedCells(events);
  const liveCells = await ctx.counters.allCells(1);
  const rebuiltCells = await ctx.counters.allCells(gen);
  const problems = [
    ...(status.caughtUp ? [] : [`rebuild ${gen} is not caught up: ${status.remaining} left`]),
    ...compare(`rebuild g${gen} vs live g1`, rebuiltCells, liveCells),
    ...compare(`rebuild g${gen} vs the rules`, rebuiltCells, want),
  ];
  // A few totals by hand, from the published events alone.
  const count = (type: string) => byType.get(type) ?? 0;
  const total_ = (metric: string, field: string) =>
    [...rebuiltCells]
      .filter(([k]) => k.startsWith(`${metric}|`) && k.endsWith('|all|all'))
      .reduce((s, [, f]) => s + (f[field] ?? 0), 0);
  const voided = count('recycling.vehicle.intake-voided.v1');
  const byHand: Array<[string, number, number]> = [
    ['used-cars count', total_('used-cars', 'count'), count('recycling.used-car.transaction-recorded.v1')],
    ['invoices issued', total_('invoices', 'issued'), count('recycling.invoice.issued.v1')],
    ['invoices reversed', total_('invoices', 'reversed'), count('recycling.invoice.reversed.v1')],
    ['pickups requested', total_('pickups', 'requested'), count('recycling.pickup.requested.v1')],
    [
      'vehicles received (net of voids)',
      total_('vehicles', 'count'),
      count('recycling.vehicle.received.v1') - voided,
    ],
    ['refusals', total_('invoice-refusals', 'count'), count('recycling.invoice.refused.v1')],
  ];
  for (const [what, got, expected] of byHand) {
    if (got !== expected) problems.push(`${what}: ${got} counted, ${expected} published`);
  }

  // Live traffic at the network's pace, once the rebuild answers reads: promoted as an administrator
  // does, so that its consumer alone counts the traffic (the retired generation's stops).
  let liveLine: string | undefined;
  if (LIVE_SECONDS > 0 && problems.length === 0) {
    const promoted = await request(service.app)
      .post(`/rebuilds/${gen}/promote`)
      .set('Authorization', `Bearer ${admin}`)
      .send({});
    if (promoted.status !== 200) {
      throw new Error(`POST /rebuilds/${gen}/promote: ${promoted.status} ${JSON.stringify(promoted.body)}`);
    }
    const intakeShare = count('recycling.intake.recorded.v1') / events.length;
    const perSecond = LIVE_RATE / intakeShare;
    const liveEvents = toEvents(history(Math.round(perSecond * LIVE_SECONDS), START + 30 * DAY, 'l'));
    say(
      `live traffic: ${LIVE_RATE} intakes/s (${perSecond.toFixed(0)} counted events/s) for ${LIVE_SECONDS} s…`,
    );
    const livePublisher = new EventPublisher({ kafka: testKafka('bench-stat-live'), topicPrefix: prefix });
    await livePublisher.connect();
    const lags: number[] = [];
    const lagNow = async () => {
      const ends = await ctx.rollups.endOffsets();
      const high = Object.values(ends).reduce((n, o) => n + Number(o), 0);
      return high - (await progressOf(ctx, gen, ends));
    };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await new Promise((r) => setTimeout(r, 1_000));
        lags.push(await lagNow());
        if (lags.length % 5 === 0) say(`  generation ${gen} behind by ${lags.at(-1)} events`);
      }
    })();
    const t0 = performance.now();
    for (let sent = 0; sent < liveEvents.length;) {
      const due = Math.min(liveEvents.length, Math.floor(((performance.now() - t0) / 1000) * perSecond));
      if (due > sent) {
        await livePublisher.publish(liveEvents.slice(sent, due));
        sent = due;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const publishedIn = (performance.now() - t0) / 1000;
    await livePublisher.disconnect();
    const lastSent = performance.now();
    while ((await lagNow()) > 0) {
      if (performance.now() - lastSent > TIMEOUT_MS) throw new Error('the live generation did not catch up');
      await new Promise((r) => setTimeout(r, 250));
    }
    const caughtUpAfter = (performance.now() - lastSent) / 1000;
    sampling = false;
    await sampler;
    const sorted = [...lags].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
    liveLine =
      `  live traffic: ${liveEvents.length} events in ${publishedIn.toFixed(1)} s ` +
      `(${(liveEvents.length / publishedIn).toFixed(0)} events/s, ${LIVE_RATE} intakes/s); generation ${gen}, promoted, ` +
      `was behind by ${at(0.5)} events p50, ${at(0.95)} p95, ${sorted.at(-1) ?? 0} at most (committed offsets, ` +
      `once a second), and caught up ${caughtUpAfter.toFixed(1)} s after the last event`;
    const liveWant = expectedCells([...events, ...liveEvents]);
    problems.push(
      ...compare(`g${gen} after the live traffic vs the rules`, await ctx.counters.allCells(gen), liveWant),
    );
  }

  await service.connection.dropDatabase().catch(() => undefined);
  await service.stop();

  const commandTotal = [...commands.values()].reduce((a, b) => a + b, 0);
  const rate = total / rebuilt.seconds;
  console.log('');
  console.log(
    `statistics rebuild: ${total} events on ${PARTITIONS} partitions per topic, ${rebuiltCells.size} cells`,
  );
  console.log(
    `  live generation: caught up in ${live.seconds.toFixed(1)} s (${(total / live.seconds).toFixed(0)} events/s; ${liveSeconds.toFixed(1)} s with the start)`,
  );
  console.log(
    `  rebuild: caught up in ${rebuilt.seconds.toFixed(1)} s: ${rate.toFixed(0)} events/s ` +
      `(${rebuildSeconds.toFixed(1)} s from POST /rebuilds; best 5 s window ${Math.max(...rebuilt.rates).toFixed(0)} events/s)`,
  );
  console.log(
    `  store commands per event: ${(commandTotal / total).toFixed(2)} ` +
      `(${[...commands]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${(v / total).toFixed(2)}`)
        .join(', ')})`,
  );
  if (liveLine) console.log(liveLine);
  console.log(
    `  check: rebuilt = live = rules over ${want.size} cells; ${byHand.length} totals by hand` +
      (liveLine ? '; promoted = rules after the live traffic: ' : ': ') +
      (problems.length === 0 ? 'ok' : `${problems.length} differences`),
  );
  if (problems.length > 0) {
    for (const p of problems.slice(0, 20)) console.log(`    ${p}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  console.error('[bench] failed: is the local infrastructure up? bash infra/bin/workspace infra status');
  process.exit(1);
});
