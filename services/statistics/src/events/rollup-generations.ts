// Runs one consumer group per live generation of rollups (the active one, and a rebuild while it
// builds), starts rebuilds, reports how far a rebuild has come and promotes it. Every replica syncs
// its consumers with the generations in the store, so a rebuild started on one replica is built by
// the group, and a promotion stops the retired group everywhere. A generation that no longer answers
// reads (retired or discarded) has its counters and records deleted once every replica has had time
// to stop its consumer: they would otherwise grow by a whole copy of the history with every rebuild.
import { ConsumerRunner, physicalTopic, registryCatalog, type Messaging } from '@recycling/messaging';
import { HttpProblem } from '@recycling/service-kit';
import type { Logger } from 'pino';
import { COUNTED_TOPICS } from '../domain/record-rules';
import { rollupHandlers } from '../events/rollup-handler';
import type { CounterStore } from '../store/counters';
import type { GenerationDoc, GenerationStore } from '../store/generations';
import type { RecordStore } from '../store/records';

export interface RollupGenerationsDeps {
  messaging: Pick<Messaging, 'kafka' | 'admin' | 'publisher' | 'locks'>;
  generations: GenerationStore;
  counters: CounterStore;
  records: RecordStore;
  logger: Logger;
  timeZone: string;
  topicPrefix?: string;
  syncIntervalMs?: number;
  /**
   * How long after a generation stopped answering reads its data is deleted; default three sync
   * intervals and at least a minute, so that every replica has stopped its consumer first.
   */
  purgeAfterMs?: number;
}

/** Serialises changes of the generations (start, promote, discard) across requests and replicas. */
const GENERATIONS_LOCK = 'rollup-generations';

export interface RebuildStart {
  generation: number;
  /** false when a rebuild was already running: that one is answered instead of starting another. */
  created: boolean;
}

export interface GroupPosition {
  /** Committed offset (next to read) per `topic~partition`. */
  committed: Record<string, string>;
}

export class RollupGenerations {
  private readonly runners = new Map<number, ConsumerRunner>();
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private purging: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: RollupGenerationsDeps) {}

  groupId(gen: number): string {
    return [this.deps.topicPrefix, 'statistics', `rollups-g${gen}`].filter(Boolean).join('.');
  }

  async start(): Promise<void> {
    await this.deps.generations.ensureFirst();
    await this.sync();
    const every = this.deps.syncIntervalMs ?? 10_000;
    this.timer = setInterval(
      () =>
        void this.sync().catch((err: unknown) => this.deps.logger.warn({ err }, 'generation sync failed')),
      every,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.syncing.catch(() => undefined);
    await this.purging?.catch(() => undefined);
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    this.runners.clear();
  }

  /** Starts consumers of active and building generations, stops the others. Serialised. */
  sync(): Promise<void> {
    this.syncing = this.syncing.catch(() => undefined).then(() => this.syncOnce());
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    if (this.stopped) return;
    const all = await this.deps.generations.list();
    const live = all.filter((g) => g.status === 'active' || g.status === 'building');
    const wanted = new Set(live.map((g) => g._id));
    for (const [gen, runner] of this.runners) {
      if (!wanted.has(gen)) {
        this.runners.delete(gen);
        await runner.stop();
        this.deps.logger.info({ gen }, 'stopped the consumer of a retired rollup generation');
      }
    }
    for (const gen of wanted) {
      if (this.runners.has(gen)) continue;
      const runner = new ConsumerRunner({
        kafka: this.deps.messaging.kafka,
        groupId: this.groupId(gen),
        topics: [...COUNTED_TOPICS],
        handlers: rollupHandlers({
          gen,
          counters: this.deps.counters,
          records: this.deps.records,
          timeZone: this.deps.timeZone,
        }),
        catalog: registryCatalog,
        dlqProducer: this.deps.messaging.publisher.rawProducer,
        logger: this.deps.logger.child({ component: `rollups-g${gen}` }),
        topicPrefix: this.deps.topicPrefix,
        fromBeginning: true,
        partitionsConsumedConcurrently: 3,
      });
      this.runners.set(gen, runner);
      await runner.start();
      this.deps.logger.info({ gen, groupId: this.groupId(gen) }, 'consuming into rollup generation');
    }
    // In the background: deleting a whole generation can take a while and must not hold up consumers.
    if (!this.purging && all.some((g) => this.purgeDue(g, new Date()))) {
      this.purging = this.purgeEnded(new Date())
        .then(() => undefined)
        .catch((err: unknown) => this.deps.logger.warn({ err }, 'purging ended rollup generations failed'))
        .finally(() => (this.purging = undefined));
    }
  }

  private purgeDue(g: GenerationDoc, now: Date): boolean {
    if (g.status !== 'retired' && g.status !== 'discarded') return false;
    if (g.purgedAt) return false;
    const grace = this.deps.purgeAfterMs ?? Math.max(60_000, 3 * (this.deps.syncIntervalMs ?? 10_000));
    // Generations ended before `endedAt` was recorded have no date: they are long over.
    return !g.endedAt || now.getTime() - g.endedAt.getTime() >= grace;
  }

  /** Deletes the counters and records of generations that ended long enough ago. */
  async purgeEnded(now = new Date()): Promise<number[]> {
    const purged: number[] = [];
    for (const g of await this.deps.generations.list()) {
      if (!this.purgeDue(g, now)) continue;
      const counters = await this.deps.counters.purge(g._id);
      const records = await this.deps.records.purge(g._id);
      await this.deps.generations.setStatus(g._id, g.status, { purgedAt: new Date() });
      this.deps.logger.info({ gen: g._id, counters, records }, 'purged an ended rollup generation');
      purged.push(g._id);
    }
    return purged;
  }

  /** High watermarks of every counted partition now. */
  async endOffsets(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const topic of COUNTED_TOPICS) {
      const offsets = await this.deps.messaging.admin.fetchTopicOffsets(
        physicalTopic(this.deps.topicPrefix, topic),
      );
      for (const p of offsets) out[`${topic}~${p.partition}`] = p.high;
    }
    return out;
  }

  /** Where a generation's consumer group stands, per partition ('-1' or absent: nothing committed). */
  async position(gen: number): Promise<Record<string, string>> {
    const result = await this.deps.messaging.admin.fetchOffsets({
      groupId: this.groupId(gen),
      topics: COUNTED_TOPICS.map((t) => physicalTopic(this.deps.topicPrefix, t)),
    });
    const out: Record<string, string> = {};
    for (const t of result) {
      const logical =
        COUNTED_TOPICS.find((c) => physicalTopic(this.deps.topicPrefix, c) === t.topic) ?? t.topic;
      for (const p of t.partitions) out[`${logical}~${p.partition}`] = p.offset;
    }
    return out;
  }

  /**
   * Starts a rebuild: a new generation consuming every counted topic from its beginning. While one is
   * building, that one is answered instead: a second would only read the same topics again.
   */
  async startRebuild(about: { reason?: string; requestedBy?: string } = {}): Promise<RebuildStart> {
    const started = await this.deps.messaging.locks.withLock(GENERATIONS_LOCK, async () => {
      const running = await this.deps.generations.building();
      if (running) return { generation: running._id, created: false };
      const end = Object.entries(await this.endOffsets()).map(([part, offset]) => ({ part, offset }));
      return { generation: await this.deps.generations.claimNext(end, about), created: true };
    });
    if (started.created) await this.sync();
    return started;
  }

  async rebuildStatus(gen: number) {
    const doc = await this.deps.generations.get(gen);
    if (!doc) throw HttpProblem.notFound(`没有第 ${gen} 代统计 / No rollup generation ${gen}.`);
    const position = await this.position(gen);
    const endOffsets = Object.fromEntries((doc.endOffsets ?? []).map((e) => [e.part, e.offset]));
    const behind = Object.entries(endOffsets)
      .map(([part, end]) => ({ part, end: Number(end), at: Math.max(0, Number(position[part] ?? '-1')) }))
      .filter((p) => p.at < p.end);
    return {
      generation: gen,
      status: doc.status,
      createdAt: doc.createdAt.toISOString(),
      ...(doc.reason ? { reason: doc.reason } : {}),
      ...(doc.requestedBy ? { requestedBy: doc.requestedBy } : {}),
      caughtUp: behind.length === 0,
      remaining: behind.reduce((n, p) => n + (p.end - p.at), 0),
      endOffsets,
      position,
    };
  }

  /** Makes a caught-up rebuild the generation that answers reads; the previous one is retired. */
  async promote(gen: number): Promise<void> {
    await this.deps.messaging.locks.withLock(GENERATIONS_LOCK, async () => {
      const status = await this.rebuildStatus(gen);
      if (status.status !== 'building') {
        throw HttpProblem.conflict(
          `第 ${gen} 代不在重建中 / Generation ${gen} is not a rebuild in progress.`,
        );
      }
      if (!status.caughtUp) {
        throw HttpProblem.conflict(
          `重建尚未追平 / The rebuild has not caught up yet (${status.remaining} events left).`,
        );
      }
      const previous = await this.deps.generations.active();
      await this.deps.generations.setStatus(gen, 'active', { promotedAt: new Date() });
      if (previous !== gen) {
        await this.deps.generations.setStatus(previous, 'retired', { endedAt: new Date() });
      }
    });
    await this.sync();
  }

  async discard(gen: number): Promise<void> {
    await this.deps.messaging.locks.withLock(GENERATIONS_LOCK, async () => {
      const doc = await this.deps.generations.get(gen);
      if (!doc) throw HttpProblem.notFound(`没有第 ${gen} 代统计 / No rollup generation ${gen}.`);
      if (doc.status === 'active')
        throw HttpProblem.conflict('不能丢弃正在使用的统计 / The active generation cannot be discarded.');
      await this.deps.generations.setStatus(gen, 'discarded', { endedAt: new Date() });
    });
    await this.sync();
  }
}
