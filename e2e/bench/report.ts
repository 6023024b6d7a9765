// What the load benchmark found, as data (written whole by --json) and as the summary it prints at
// the end of every run, also a failed or interrupted one.
import type { Accounting } from './accounting';
import type { workJson } from './metrics';

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(samples: readonly number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1] ?? NaN };
}

/** Requests that did not get a 201, by kind; the run goes on after each. */
export interface Failures {
  /** No answer within --timeout-ms (undici TimeoutError). */
  timeout: number;
  /** Connection refused or reset, or any other network error. */
  network: number;
  /** 5xx (503 when the store or broker is unavailable). */
  http5xx: number;
  /** 429 Too Many Requests. */
  http429: number;
  /** Any other status (a 4xx is a bug of the benchmark or the service). */
  other: number;
  /** The first few, as `<kind> <detail>`. */
  examples: string[];
}

export const noFailures = (): Failures => ({
  timeout: 0,
  network: 0,
  http5xx: 0,
  http429: 0,
  other: 0,
  examples: [],
});
export const failureCount = (f: Failures) => f.timeout + f.network + f.http5xx + f.http429 + f.other;

export type Ceiling =
  | {
      what: string;
      recordsPerSec: number;
      mbPerSec?: number;
      p50Ms?: number;
      p99Ms?: number;
      records: number;
      detail?: string;
    }
  | { what: string; error: string };

export interface MemoryReading {
  /** When it was read: after which step, or at the end. */
  at: string;
  services: Record<string, number>;
  broker?: number;
  store?: number;
  total: number;
  notes: string[];
}

/** CPU time per accepted intake during a step, by who spent it (ms). */
export interface StepCpu {
  services: number;
  store?: number;
  broker?: number;
  /** The benchmark's own process (sending, polling, checking). */
  bench: number;
}

export interface StepReport {
  step: number;
  rate: number;
  seconds: number;
  /** Intakes offered (rate × seconds). */
  offered: number;
  /** Where the CPU went, per accepted intake: the services, the store, the broker, the benchmark. */
  cpuPerIntake?: StepCpu;
  /** Requests sent before the step ended or was interrupted. */
  sent: number;
  /** Seconds from the first request to the last answer. */
  sendSeconds: number;
  /** Requests that started more than 100 ms after their time because --concurrency were in flight. */
  heldBack: number;
  /** 201 at the first attempt. */
  accepted: number;
  /** Requests that failed (timeout, 5xx, ...) but whose retry with the same Idempotency-Key answered 201. */
  acceptedLate: number;
  /** Failed requests whose outcome stayed unknown or refused after the retries. */
  notAccepted: number;
  failures: Failures;
  /** Accepted at the first attempt ÷ seconds from the first request to the last answer. */
  acceptedPerSec: number;
  /** Intakes invoiced ÷ seconds from the first request to the last invoice seen: the end-to-end rate. */
  invoicedPerSec: number;
  /** Every accepted intake invoiced (or refused) and counted before --drain-s ran out. */
  drained: boolean;
  /** Seconds from the last answer until drained (or given up). */
  drainSeconds: number;
  /** Milliseconds, of intakes accepted at the first attempt, from when their request was sent. */
  latency: {
    /** Request sent → 201 received. */
    http: Latency;
    /** Request sent → invoice.issued seen on the invoices topic. */
    invoice: Latency;
    /** Request sent → purchase.recorded seen on the purchases topic (sorting's outbox relay). */
    toPurchase: Latency;
    /** purchase.recorded seen → invoice.issued seen (invoicing's consumer and relay). */
    purchaseToInvoice: Latency;
    /** Request sent → statistics' count includes it (read every --poll-ms: late by up to that). */
    statistics: Latency;
  };
  /** Reads of /rollups the benchmark made during the step (they are in statistics' figures). */
  benchReads: number;
  work?: ReturnType<typeof workJson>;
  accounting?: Omit<Accounting, 'doubled'> & { doubled: Array<{ intakeId: string; invoiceIds: string[] }> };
  memory?: MemoryReading;
  /** Ctrl-C came before the step drained: its figures are partial and it was not checked. */
  interrupted?: boolean;
  error?: string;
}

export interface BenchReport {
  version: 1;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  /** ok: every step checked out; failed: an intake lost or doubled; error: the run broke off. */
  status: 'running' | 'ok' | 'failed' | 'interrupted' | 'error';
  exitCode?: number;
  machine: { cores: number; loadavgStart: number; loadavgEnd?: number; node: string; platform: string };
  infra?: { origin: string; kafkaBrokers: string; mongoUrl: string; topicPrefix?: string };
  options: Record<string, unknown>;
  ceilings: {
    producerPerfBatched?: Ceiling;
    producerPerfUnbatched?: Ceiling;
    rawKafkajs?: Ceiling;
  };
  warmup?: { intakes: number; ms: number; storeRoundTripsPerRollupRead?: number };
  seed?: { intakes: number; invoices: number; ms: number; error?: string };
  idle?: { seconds: number; perSecond: Record<string, number> };
  steps: StepReport[];
  memory?: MemoryReading;
  targets?: Array<{ target: string; verdict: 'met' | 'not met' | 'not measured'; detail: string }>;
  errors: string[];
}

const int = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? String(Math.round(x)) : '–');
export const ms = (x: number) => (Number.isFinite(x) ? `${int(x)} ms` : '–');
const num = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
export const mb = (bytes: number | undefined) =>
  bytes === undefined ? '?' : `${int(bytes / 1024 / 1024)} MB`;

export const latencyLine = (what: string, s: Latency) =>
  `${what.padEnd(36)} n=${String(s.n).padEnd(6)} p50 ${ms(s.p50).padStart(8)}  p95 ${ms(s.p95).padStart(8)}  p99 ${ms(s.p99).padStart(8)}  max ${ms(s.max).padStart(8)}`;

export function failureText(f: Failures): string {
  const parts = (
    [
      ['timeout', f.timeout],
      ['network', f.network],
      ['5xx', f.http5xx],
      ['429', f.http429],
      ['other', f.other],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  return parts.length ? parts.join(', ') : '0';
}

/** The lines a step prints as soon as it ends. */
export function stepLines(r: StepReport, pollMs: number): string[] {
  const lines = [
    `offered ${r.rate}/s × ${r.seconds} s = ${r.offered}: sent ${r.sent} in ${num(r.sendSeconds)} s` +
      `${r.heldBack ? ` (${r.heldBack} held back by --concurrency)` : ''}, accepted ${r.accepted}` +
      `${r.acceptedLate ? ` + ${r.acceptedLate} on retry` : ''}, failed ${failureText(r.failures)}` +
      `${r.notAccepted ? ` (${r.notAccepted} never accepted)` : ''}`,
    `accepted ${num(r.acceptedPerSec)}/s, invoiced ${num(r.invoicedPerSec)}/s end to end` +
      `${r.drained ? '' : ' — NOT DRAINED (gave up waiting)'}, drained ${num(r.drainSeconds)} s after the last request`,
    latencyLine('  intake HTTP latency', r.latency.http),
    latencyLine('  intake sent → invoice issued', r.latency.invoice),
    latencyLine('    sent → purchase on its topic', r.latency.toPurchase),
    latencyLine('    purchase → invoice on its topic', r.latency.purchaseToInvoice),
    latencyLine(`  intake sent → counted (±${pollMs} ms)`, r.latency.statistics),
  ];
  if (r.failures.examples.length)
    lines.push(`  first failures: ${r.failures.examples.slice(0, 3).join(' | ')}`);
  if (r.accounting)
    lines.push(
      r.accounting.ok
        ? `  check: each of ${r.accounting.accepted} accepted intakes invoiced once and counted once by statistics`
        : `  CHECK FAILED: ${r.accounting.problems.join('; ')}`,
    );
  if (r.interrupted) lines.push('  interrupted before it drained: not checked');
  if (r.error) lines.push(`  step broke off: ${r.error}`);
  return lines;
}

const row = (cells: Array<string | number>, widths: number[]) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join(' ');

function ceilingRow(c: Ceiling | undefined, widths: number[]): string {
  if (!c) return '';
  if ('error' in c) return `${c.what.padEnd(widths[0]!)} failed: ${c.error.split('\n')[0]}`;
  return row(
    [
      c.what,
      Math.round(c.recordsPerSec),
      c.mbPerSec === undefined ? '' : num(c.mbPerSec),
      c.p50Ms === undefined ? '' : `${int(c.p50Ms)}/${int(c.p99Ms ?? NaN)} ms`,
      c.records,
    ],
    widths,
  );
}

/** The best end-to-end rate of the steps: invoiced/s of the step that invoiced fastest. */
export function bestStep(steps: readonly StepReport[]): StepReport | undefined {
  return [...steps]
    .filter((s) => s.accounting && Number.isFinite(s.invoicedPerSec))
    .sort((a, b) => b.invoicedPerSec - a.invoicedPerSec)[0];
}

/** The issue's targets, reported against (never asserted). */
export function judgeTargets(steps: readonly StepReport[]): NonNullable<BenchReport['targets']> {
  const sustained = steps.filter((s) => s.rate >= 100 && s.seconds >= 60 && s.accounting);
  const meets = sustained.find(
    (s) => s.acceptedPerSec >= 100 && s.invoicedPerSec >= 100 && s.accounting!.ok && s.drained,
  );
  const at50 = steps.filter((s) => s.rate === 50 && s.latency.invoice.n > 0);
  const p99ok = at50.find((s) => s.latency.invoice.p99 < 1000);
  return [
    {
      target: '100 intakes/s accepted and invoiced, sustained for 60 s',
      verdict: meets ? 'met' : sustained.length ? 'not met' : 'not measured',
      detail: meets
        ? `step ${meets.step}: accepted ${num(meets.acceptedPerSec)}/s, invoiced ${num(meets.invoicedPerSec)}/s for ${meets.seconds} s`
        : sustained.length
          ? sustained
              .map(
                (s) =>
                  `step ${s.step}: accepted ${num(s.acceptedPerSec)}/s, invoiced ${num(s.invoicedPerSec)}/s${s.accounting!.ok ? '' : ', check failed'}`,
              )
              .join('; ')
          : 'needs a step of --rates ≥ 100 with --seconds ≥ 60',
    },
    {
      target: 'p99 intake sent → invoice issued under 1 s at 50 intakes/s',
      verdict: p99ok ? 'met' : at50.length ? 'not met' : 'not measured',
      detail: at50.length
        ? at50.map((s) => `step ${s.step}: p99 ${ms(s.latency.invoice.p99)}`).join('; ')
        : 'needs 50 in --rates',
    },
  ];
}

/** The summary: ceilings side by side, one row per step, work per intake, memory, targets. */
export function summaryLines(report: BenchReport, pollMs: number): string[] {
  const out: string[] = [];
  const rule = (title: string) => out.push('', `── ${title} ${'─'.repeat(Math.max(4, 96 - title.length))}`);
  rule('load benchmark summary');
  out.push(
    `status ${report.status.toUpperCase()}; ${report.machine.cores} cores, load ${num(report.machine.loadavgStart)} → ${num(report.machine.loadavgEnd ?? NaN)}, node ${report.machine.node}` +
      `${report.infra ? `; broker/store: ${report.infra.origin}` : ''}`,
    'figures taken on a shared machine: other work ran at the same time unless the load says otherwise',
  );
  if (report.seed)
    out.push(
      report.seed.error
        ? `seed: failed after ${ms(report.seed.ms)}: ${report.seed.error}`
        : `seeded ${report.seed.intakes} intakes and ${report.seed.invoices} invoices in ${num(report.seed.ms / 1000)} s before the first step`,
    );

  rule('ceilings (same broker)');
  const cw = [50, 10, 7, 15, 9];
  out.push(row(['', 'per sec', 'MB/s', 'p50/p99', 'records'], cw));
  const c = report.ceilings;
  if (report.options.skipCeilings)
    out.push('Kafka ProducerPerformance and raw kafkajs: skipped (--skip-ceilings)');
  for (const line of [
    ceilingRow(c.producerPerfBatched, cw),
    ceilingRow(c.producerPerfUnbatched, cw),
    ceilingRow(c.rawKafkajs, cw),
  ])
    if (line) out.push(line);
  const best = bestStep(report.steps);
  if (best) {
    const ratio = (x: Ceiling | undefined) =>
      x && !('error' in x) && x.recordsPerSec > 0
        ? `${num((best.invoicedPerSec / x.recordsPerSec) * 100, 2)} %`
        : '–';
    out.push(
      row(
        [
          `network end to end (intakes invoiced/s, step ${best.step})`,
          num(best.invoicedPerSec),
          '',
          `${int(best.latency.invoice.p50)}/${int(best.latency.invoice.p99)} ms`,
          best.accepted + best.acceptedLate,
        ],
        cw,
      ),
      `  = ${ratio(c.rawKafkajs)} of raw kafkajs, ${ratio(c.producerPerfUnbatched)} of Kafka unbatched, ${ratio(c.producerPerfBatched)} of Kafka batched`,
    );
    if (best.invoicedPerSec >= best.rate * 0.9)
      out.push(
        `  (the network kept up with every rate offered: its ceiling is higher; offer more with --rates)`,
      );
  } else out.push('network end to end: no step finished');

  if (report.steps.length) {
    rule('steps');
    const w = [9, 7, 9, 14, 9, 9, 13, 22, 13, 6];
    out.push(
      row(
        [
          'offered',
          'sent',
          'accepted',
          'failed',
          'acc./s',
          'inv./s',
          'HTTP p50/p99',
          'invoice p50/p95/p99',
          `stats p50/p99`,
          'check',
        ],
        w,
      ),
    );
    for (const s of report.steps) {
      const l = s.latency;
      out.push(
        row(
          [
            `${s.rate}/s×${s.seconds}`,
            s.sent,
            s.accepted + s.acceptedLate,
            failureText(s.failures),
            num(s.acceptedPerSec),
            num(s.invoicedPerSec) + (s.drained ? '' : '!'),
            `${int(l.http.p50)}/${int(l.http.p99)}`,
            `${int(l.invoice.p50)}/${int(l.invoice.p95)}/${int(l.invoice.p99)}`,
            `${int(l.statistics.p50)}/${int(l.statistics.p99)}`,
            s.error
              ? 'ERROR'
              : s.interrupted
                ? 'stopped'
                : s.accounting
                  ? s.accounting.ok
                    ? 'ok'
                    : 'FAIL'
                  : '–',
          ],
          w,
        ),
      );
    }
    out.push(`latencies in ms; statistics polled every ${pollMs} ms; ! = not drained`);

    const withWork = report.steps.filter(
      (s) => s.work && s.work.perIntakeOf > 0 && s.work.rows.some((r) => Object.keys(r.byService).length > 0),
    );
    if (withWork.length) {
      rule('work per accepted intake (from the services’ /metrics)');
      const services = Object.keys(
        withWork[0]!.work!.rows.find((r) => r.label === 'store round trips')?.byService ?? {},
      );
      const names = ['pickup', 'sorting', 'dismantling', 'invoicing', 'statistics'].filter((n) =>
        withWork.some((s) => s.work!.rows.some((r) => n in r.byService)),
      );
      const order = names.length ? names : services;
      const ww = [9, ...order.map((n) => Math.max(8, n.length)), 8, 8, 8, 8, 10];
      out.push(
        row(['step', ...order.map((n) => `${n}`), 'store', 'kafka', 'Produce', 'Fetch', 'cpu ms'], ww),
      );
      out.push(row(['', ...order.map(() => 'store'), 'total', 'reqs', '', '', 'total'], ww));
      for (const s of withWork) {
        const per = s.work!.perIntakeOf;
        const group = (label: string) => s.work!.rows.find((r) => r.group && r.label === label);
        const sub = (groupLabel: string, label: string) => {
          const rows = s.work!.rows;
          const start = rows.findIndex((r) => r.group && r.label === groupLabel);
          if (start < 0) return 0;
          const end = rows.findIndex((r, k) => k > start && r.group);
          const hit = rows.slice(start + 1, end < 0 ? undefined : end).find((r) => r.label === label);
          return hit?.total ?? 0;
        };
        const store = group('store round trips');
        out.push(
          row(
            [
              `${s.rate}/s`,
              ...order.map((n) => num((store?.byService[n] ?? 0) / per)),
              num((store?.total ?? 0) / per),
              num((group('kafka requests')?.total ?? 0) / per),
              num(sub('kafka requests', 'Produce') / per, 2),
              num(sub('kafka requests', 'Fetch') / per, 2),
              num((group('cpu ms')?.total ?? 0) / per),
            ],
            ww,
          ),
        );
      }
      out.push(
        'each figure includes background work (consumers fetching, relays’ safety nets) and the benchmark’s own /rollups reads: see each step’s table',
      );
    }
  }

  if (report.memory) {
    rule(`memory (resident, ${report.memory.at})`);
    for (const [name, bytes] of Object.entries(report.memory.services))
      out.push(`${name.padEnd(14)} ${mb(bytes).padStart(8)}`);
    out.push(`${'broker'.padEnd(14)} ${mb(report.memory.broker).padStart(8)}`);
    out.push(`${'store'.padEnd(14)} ${mb(report.memory.store).padStart(8)}`);
    out.push(`${'total'.padEnd(14)} ${mb(report.memory.total).padStart(8)}`);
    for (const note of report.memory.notes) out.push(`(${note})`);
  }

  if (report.targets) {
    rule('targets (reported against, not asserted)');
    for (const t of report.targets)
      out.push(`${t.verdict.toUpperCase().padEnd(13)} ${t.target}: ${t.detail}`);
  }

  const problems = report.steps.flatMap((s) =>
    s.accounting && !s.accounting.ok
      ? s.accounting.problems.map((p) => `step ${s.step} (${s.rate}/s): ${p}`)
      : [],
  );
  if (problems.length || report.errors.length) {
    rule('what went wrong');
    out.push(...problems, ...report.errors);
  }
  out.push(
    '',
    `total time ${num((report.durationMs ?? 0) / 1000)} s; status ${report.status}, exit code ${report.exitCode ?? '?'}`,
  );
  return out;
}
