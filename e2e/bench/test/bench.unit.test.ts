// The load benchmark's arithmetic, without a network: /metrics parsing and the work table, the
// nothing-lost-or-doubled check, the seeds' shape, ProducerPerformance's summary and the targets.
import { parseProducerPerfSummary } from '../../../infra/local/src/producer-perf';
import { checkStep, type InvoiceSightings } from '../accounting';
import { delta, parsePrometheus, renderWorkTable, stepWork, workFigure, workSubFigure } from '../metrics';
import { judgeTargets, percentiles, summaryLines, type BenchReport, type StepReport } from '../report';
import { seededIntake, seededInvoice, shiftDates } from '../seed';

const scrape = (find: number, produce: number, cpu: number, published = 4) =>
  parsePrometheus(
    [
      '# HELP store_commands_total Commands sent to the store',
      '# TYPE store_commands_total counter',
      `store_commands_total{command="find"} ${find}`,
      'store_commands_total{command="insert"} 3',
      `kafka_requests_total{api="Produce",client="producer"} ${produce}`,
      'kafka_requests_total{api="Fetch",client="consumer"} 7',
      `events_published_total{topic="e2e-abc_123.recycling.purchases.v1"} ${published}`,
      `process_cpu_seconds_total ${cpu}`,
      'process_resident_memory_bytes 104857600',
      'label_escapes_total{note="a \\"quoted\\" value"} 1',
    ].join('\n'),
  );

describe('metrics', () => {
  it('parses series with their labels, sorted, and skips comments', () => {
    const s = scrape(10, 2, 1.5);
    expect(s.get('store_commands_total{command="find"}')).toBe(10);
    expect(s.get('kafka_requests_total{api="Produce",client="producer"}')).toBe(2);
    expect(s.get('process_cpu_seconds_total')).toBe(1.5);
    expect(s.get('label_escapes_total{note="a \\"quoted\\" value"}')).toBe(1);
  });

  it('takes differences, a restarted counter counting from zero', () => {
    const d = delta(scrape(10, 2, 1), scrape(25, 1, 3));
    expect(d.get('store_commands_total{command="find"}')).toBe(15);
    expect(d.get('kafka_requests_total{api="Produce",client="producer"}')).toBe(1);
  });

  it('builds the work table by service and renders it per intake', () => {
    const at = (services: Record<string, ReturnType<typeof scrape>>) => ({ at: 0, services, errors: {} });
    const work = stepWork(
      at({ sorting: scrape(10, 2, 1), invoicing: scrape(0, 0, 0) }),
      at({ sorting: scrape(30, 12, 2, 14), invoicing: scrape(40, 10, 1) }),
      ['sorting', 'invoicing', 'statistics'],
    );
    expect(work.missing).toEqual(['statistics']);
    expect(workFigure(work, 'store round trips')).toBe(20 + 40);
    expect(workFigure(work, 'store round trips', 'sorting')).toBe(20);
    expect(workSubFigure(work, 'kafka requests', 'Produce')).toBe(20);
    expect(workFigure(work, 'cpu ms', 'sorting')).toBeCloseTo(1000);
    const published = work.rows.find((r) => r.label === '  recycling.purchases.v1');
    expect(published?.total).toBe(10);
    const table = renderWorkTable(work, 10).join('\n');
    expect(table).toMatch(/store round trips\s+2\.00\s+4\.00\s+6\.00/);
    expect(table).toContain('no /metrics from statistics');
  });
});

describe('nothing lost or doubled', () => {
  const seen = (issued: string[], refused: string[] = []): InvoiceSightings => ({
    issued: new Set(issued),
    refused: new Set(refused),
    reversed: new Set(),
    refusedReason: refused.length ? 'rolling-cap-exceeded' : undefined,
  });

  it('passes when every intake has one invoice and statistics counted each once', () => {
    const invoices = new Map([
      ['intake:a', seen(['inv-1'])],
      ['intake:b', seen(['inv-2'])],
    ]);
    const result = checkStep(['a', 'b'], invoices, { counted: 4, expected: 4 });
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
  });

  it('names intakes without an invoice, invoiced twice, refused, and what statistics missed', () => {
    const invoices = new Map([
      ['intake:b', seen(['inv-2', 'inv-3'])],
      ['intake:c', seen([], ['ref-1'])],
    ]);
    const result = checkStep(['a', 'b', 'c'], invoices, { counted: 4, expected: 6, missing: ['a'] });
    expect(result.ok).toBe(false);
    expect(result.notInvoiced).toEqual(['a', 'c']);
    expect(result.doubled).toEqual([{ intakeId: 'b', invoiceIds: ['inv-2', 'inv-3'] }]);
    expect(result.refused).toEqual([{ intakeId: 'c', reason: 'rolling-cap-exceeded' }]);
    expect(result.problems.join('\n')).toMatch(/without an invoice: a, c/);
    expect(result.problems.join('\n')).toMatch(/statistics counted 4 of 6 units \(1 intake\(s\) short\): a/);
  });

  it('reports a count above the expected one as doubled', () => {
    const result = checkStep(['a'], new Map([['intake:a', seen(['inv-1'])]]), { counted: 4, expected: 2 });
    expect(result.problems).toEqual([expect.stringMatching(/1 intake\(s\) counted twice/)]);
  });
});

describe('seeds', () => {
  const receivedAt = new Date('2026-06-15T04:00:00Z');
  const intake = {
    _id: 'in-20260615-0a1b2c3d',
    stationId: 'st-1',
    receivedAt,
    revisions: [{ revision: 1, recordedAt: receivedAt }],
    outbox: [{ id: 'e1' }],
    outboxUpdatedAt: receivedAt,
  };
  const invoice = {
    _id: 'inv-0123456789abcdef0123456789abcdef',
    purchaseId: 'intake:in-20260615-0a1b2c3d',
    invoiceNo: '65900200000000000001',
    recordedAt: receivedAt,
    data: {
      invoiceId: 'inv-0123456789abcdef0123456789abcdef',
      invoiceNo: '65900200000000000001',
      period: '2026-06',
    },
    outbox: [{ id: 'e2' }],
    outboxUpdatedAt: receivedAt,
  };

  it('moves every date back, strings kept', () => {
    const shifted = shiftDates({ a: receivedAt, b: [receivedAt], c: '2026-06-15' }, 86_400_000);
    expect(shifted.a.toISOString()).toBe('2026-06-14T04:00:00.000Z');
    expect(shifted.b[0]!.toISOString()).toBe('2026-06-14T04:00:00.000Z');
    expect(shifted.c).toBe('2026-06-15');
  });

  it('copies an intake with a new id of the same form that no real id can take, and no outbox', () => {
    const seeded = seededIntake(intake, 0, 'Asia/Shanghai');
    expect(seeded._id).toBe('in-20260614-seed0000000');
    expect(seeded.outbox).toEqual([]);
    expect(seeded.outboxUpdatedAt).toBeNull();
    expect(seeded.stationId).toBe('st-1');
    expect((seeded.revisions as Array<{ recordedAt: Date }>)[0]!.recordedAt.toISOString()).toBe(
      '2026-06-14T04:00:00.000Z',
    );
    expect(seededIntake(intake, 1, 'Asia/Shanghai')._id).toBe('in-20260613-seed0000001');
  });

  it('copies an invoice for a seeded intake with an id and number of its own', () => {
    const seeded = seededInvoice(invoice, 7, 'in-20260608-seed0000007');
    expect(seeded._id).toBe('inv-seed0000000007');
    expect(seeded.purchaseId).toBe('intake:in-20260608-seed0000007');
    expect(seeded.invoiceNo).toBe('65900290000000000007');
    expect(seeded.data).toEqual({
      invoiceId: 'inv-seed0000000007',
      invoiceNo: '65900290000000000007',
      period: '2026-06',
    });
    expect(seeded.outbox).toEqual([]);
  });
});

describe('ceilings and summary', () => {
  it("reads ProducerPerformance's final summary, not its progress lines", () => {
    const out = [
      '24991 records sent, 4997.2 records/sec (4.88 MB/sec), 12.3 ms avg latency, 230.0 ms max latency.',
      '50000 records sent, 13917.884482 records/sec (13.59 MB/sec), 340.58 ms avg latency, 536.00 ms max latency, 383 ms 50th, 520 ms 95th, 532 ms 99th, 535 ms 99.9th.',
    ].join('\n');
    expect(parseProducerPerfSummary(out)).toEqual({
      records: 50000,
      recordsPerSec: 13917.884482,
      mbPerSec: 13.59,
      avgLatencyMs: 340.58,
      maxLatencyMs: 536,
      p50Ms: 383,
      p95Ms: 520,
      p99Ms: 532,
      p999Ms: 535,
    });
    expect(parseProducerPerfSummary('log4j:WARN nothing')).toBeUndefined();
  });

  const step = (over: Partial<StepReport>): StepReport => ({
    step: 1,
    rate: 50,
    seconds: 20,
    offered: 1000,
    sent: 1000,
    sendSeconds: 20,
    heldBack: 0,
    accepted: 1000,
    acceptedLate: 0,
    notAccepted: 0,
    failures: { timeout: 0, network: 0, http5xx: 0, http429: 0, other: 0, examples: [] },
    acceptedPerSec: 50,
    invoicedPerSec: 49.5,
    drained: true,
    drainSeconds: 1,
    latency: {
      http: percentiles([10, 20]),
      invoice: percentiles([100, 900]),
      toPurchase: percentiles([5]),
      purchaseToInvoice: percentiles([50]),
      statistics: percentiles([500]),
    },
    benchReads: 20,
    accounting: checkStep([], new Map(), { counted: 0, expected: 0 }),
    ...over,
  });

  it('judges the targets only from steps that measure them', () => {
    const [sustained, p99] = judgeTargets([step({})]);
    expect(sustained!.verdict).toBe('not measured');
    expect(p99!.verdict).toBe('met');
    const slow = judgeTargets([
      step({ latency: { ...step({}).latency, invoice: percentiles([100, 1500]) } }),
      step({ step: 2, rate: 100, seconds: 60, acceptedPerSec: 100, invoicedPerSec: 80 }),
    ]);
    expect(slow.map((t) => t.verdict)).toEqual(['not met', 'not met']);
  });

  it('prints a summary for a run that broke off before any step', () => {
    const report: BenchReport = {
      version: 1,
      startedAt: new Date().toISOString(),
      status: 'error',
      exitCode: 1,
      machine: { cores: 2, loadavgStart: 1, node: 'v20', platform: 'linux' },
      options: {},
      ceilings: { rawKafkajs: { what: 'raw kafkajs', error: 'KafkaJSConnectionError: no broker' } },
      steps: [],
      errors: ['broker unreachable'],
    };
    const text = summaryLines(report, 1000).join('\n');
    expect(text).toContain('raw kafkajs');
    expect(text).toContain('failed: KafkaJSConnectionError');
    expect(text).toContain('broker unreachable');
    expect(text).toContain('no step finished');
  });
});
