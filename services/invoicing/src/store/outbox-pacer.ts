import type { OutboxPort } from '@recycling/store';

// Hands the outbox relay the run outbox documents (`invoice_events`) one at a time.
//
// The relay publishes everything it was told about since its last pass in one producer request,
// and all the events of a run go to one partition of the invoices topic (they are keyed by seller,
// as the purchases are, and the partition counts are the same). Kafka refuses a partition's batch
// over `message.max.bytes` (1 MB by default), and a refused pass is tried again as it was, so two
// runs' outboxes in one pass, or one outbox of ~700 events, would stop publication for good
// (measured: runs of 900 purchases did). Hence outbox documents of at most EVENTS_PER_DOCUMENT
// events, and at most IN_FLIGHT of them named to the relay and not yet published (a document is
// published once its last event's pending marker is gone: a pass publishes and clears all it holds
// at once), so that no pass holds more than IN_FLIGHT × EVENTS_PER_DOCUMENT events of ours. What
// waits here has its pending markers, so the relay's safety net publishes it even if this process
// dies (up to 500 events a pass). When the relay falls behind, `add` waits: the consumer slows to
// the pace of publication instead of piling up outboxes.

/** Events per outbox document: ~1.6 KB each on the wire, so a pass stays far below 1 MB. */
export const EVENTS_PER_DOCUMENT = 250;

/** Outbox documents named to the relay and not yet published: 500 events, ~800 KB at most. */
const IN_FLIGHT = 2;

/** Outbox documents waiting or in flight before `add` makes its caller wait. */
const MAX_WAITING = 6;

/** How long one document may stay unpublished before the next one is named anyway. */
const PUBLISH_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Waiting {
  docId: string;
  lastEventId: string;
}

export class OutboxPacer {
  private readonly queue: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly outbox: OutboxPort,
    private readonly model: { modelName: string },
    private readonly warn: (message: string, fields: Record<string, unknown>) => void,
  ) {}

  /** Queues outbox documents (each with the id of its last event) for the relay, in order. */
  async add(documents: readonly Waiting[]): Promise<void> {
    while (this.queue.length + this.inFlight >= MAX_WAITING) await sleep(20);
    this.queue.push(...documents);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < IN_FLIGHT && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.inFlight += 1;
      void this.publish(next).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async publish({ docId, lastEventId }: Waiting): Promise<void> {
    this.outbox.nudge(this.model, [docId]);
    const deadline = Date.now() + PUBLISH_TIMEOUT_MS;
    for (let wait = 10; Date.now() < deadline; wait = Math.min(wait * 2, 200)) {
      await sleep(wait);
      const published = await this.outbox.publishedAmong([lastEventId]).catch(() => new Set<string>());
      if (published.size > 0) return;
    }
    this.warn('outbox document not published in time; naming the next one', { docId });
  }
}
