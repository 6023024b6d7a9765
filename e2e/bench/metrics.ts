// The services' own counters (GET /metrics, Prometheus text format), read before and after a step:
// their difference divided by the intakes accepted is the work each intake costs, per service, on
// the path HTTP intake → outbox → relay → invoicing → statistics (issue 17, "where the time goes").

/** One scrape: series key (`name{label="value",...}`, labels sorted) → value. */
export type Scrape = Map<string, number>;

/** Parses the Prometheus text exposition format (comments skipped, label values unescaped). */
export function parsePrometheus(text: string): Scrape {
  const out: Scrape = new Map();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const value = Number(m[4]);
    if (!Number.isFinite(value)) continue;
    const labels = m[3] ? parseLabels(m[3]) : {};
    out.set(seriesKey(m[1]!, labels), value);
  }
  return out;
}

function parseLabels(body: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (const m of body.matchAll(re)) {
    labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

export function seriesKey(name: string, labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}

export function splitKey(key: string): { name: string; labels: Record<string, string> } {
  const brace = key.indexOf('{');
  if (brace < 0) return { name: key, labels: {} };
  return { name: key.slice(0, brace), labels: parseLabels(key.slice(brace + 1, -1)) };
}

/** after − before for every series of `after` (a counter that restarted counts from zero). */
export function delta(before: Scrape | undefined, after: Scrape): Scrape {
  const out: Scrape = new Map();
  for (const [key, value] of after) {
    const was = before?.get(key) ?? 0;
    out.set(key, value >= was ? value - was : value);
  }
  return out;
}

/** A scrape of every service; a service that did not answer is missing (and named in `errors`). */
export interface NetworkScrape {
  at: number;
  services: Record<string, Scrape>;
  errors: Record<string, string>;
}

export async function scrapeAll(
  urls: Record<string, string>,
  timeoutMs = 5_000,
  now: () => number = () => performance.now(),
): Promise<NetworkScrape> {
  const services: Record<string, Scrape> = {};
  const errors: Record<string, string> = {};
  await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      try {
        const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        services[name] = parsePrometheus(await res.text());
      } catch (error) {
        errors[name] = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }),
  );
  return { at: now(), services, errors };
}

/**
 * One row of the work table: a figure of every service (absolute, for the step), e.g. the store
 * round trips of `find` commands. `group` rows sum the rows under them.
 */
export interface WorkRow {
  label: string;
  group: boolean;
  byService: Record<string, number>;
  total: number;
}

/** Work of one step: Δ of every counter of interest, by service. */
export interface StepWork {
  services: string[];
  rows: WorkRow[];
  /** Services whose /metrics did not answer before or after. */
  missing: string[];
}

/** Strips the network's topic prefix (`e2e-xyz.recycling.invoices.v1` → `recycling.invoices.v1`). */
export const logicalTopic = (topic: string) => topic.replace(/^.*?(recycling\.)/, '$1');

interface Section {
  label: string;
  metric: string;
  /** Which label names a row, or none for the section's single total row. */
  by?: (labels: Record<string, string>) => string;
  scale?: number;
}

const SECTIONS: Section[] = [
  { label: 'cpu ms', metric: 'process_cpu_seconds_total', scale: 1000 },
  { label: 'store round trips', metric: 'store_commands_total', by: (l) => l.command ?? '?' },
  { label: 'kafka requests', metric: 'kafka_requests_total', by: (l) => l.api ?? '?' },
  { label: 'events published', metric: 'events_published_total', by: (l) => logicalTopic(l.topic ?? '?') },
  {
    label: 'events consumed',
    metric: 'events_consumed_total',
    by: (l) => `${logicalTopic(l.topic ?? '?')}${l.mode ? ` (${l.mode})` : ''}`,
  },
  { label: 'events dead-lettered', metric: 'events_dead_lettered_total' },
];

/** The work table of a step from the scrapes before and after it. */
export function stepWork(before: NetworkScrape, after: NetworkScrape, services: string[]): StepWork {
  const missing = services.filter((s) => !before.services[s] || !after.services[s]);
  const deltas = Object.fromEntries(
    services
      .filter((s) => !missing.includes(s))
      .map((s) => [s, delta(before.services[s], after.services[s]!)] as const),
  );
  const rows: WorkRow[] = [];
  for (const section of SECTIONS) {
    const sub = new Map<string, Record<string, number>>();
    const group: Record<string, number> = {};
    for (const [service, d] of Object.entries(deltas)) {
      for (const [key, value] of d) {
        const { name, labels } = splitKey(key);
        if (name !== section.metric) continue;
        const v = value * (section.scale ?? 1);
        group[service] = (group[service] ?? 0) + v;
        if (section.by) {
          const label = section.by(labels);
          const row = sub.get(label) ?? {};
          row[service] = (row[service] ?? 0) + v;
          sub.set(label, row);
        }
      }
    }
    const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    rows.push({ label: section.label, group: true, byService: group, total: total(group) });
    for (const [label, byService] of [...sub.entries()].sort((a, b) => total(b[1]) - total(a[1]))) {
      if (total(byService) === 0) continue;
      rows.push({ label: `  ${label}`, group: false, byService, total: total(byService) });
    }
  }
  return { services, rows, missing };
}

/** The figure of a group row (`store round trips`, `kafka requests`, ...) for one service or all. */
export function workFigure(work: StepWork, label: string, service?: string): number {
  const row = work.rows.find((r) => r.group && r.label === label);
  if (!row) return 0;
  return service ? (row.byService[service] ?? 0) : row.total;
}

/** A sub-row's figure (`  Produce` under `kafka requests`), total over the services. */
export function workSubFigure(work: StepWork, group: string, label: string): number {
  const start = work.rows.findIndex((r) => r.group && r.label === group);
  if (start < 0) return 0;
  for (const row of work.rows.slice(start + 1)) {
    if (row.group) break;
    if (row.label.trim() === label) return row.total;
  }
  return 0;
}

const fmt = (x: number) => (x === 0 ? '·' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/**
 * The table of a step: per accepted intake, each row by service and in total, then the step's
 * absolute total and, when known, what the network did per second while idle (the background work
 * every figure includes: consumers' fetches, relays' safety nets).
 */
export function renderWorkTable(
  work: StepWork,
  perIntake: number,
  idlePerSecond?: StepWork & { seconds: number },
): string[] {
  const services = work.services.filter((s) => !work.missing.includes(s));
  const width = Math.max(12, ...services.map((s) => s.length + 2));
  const labelWidth = Math.max(34, ...work.rows.map((r) => r.label.length + 2));
  const idle = (row: WorkRow) => {
    if (!idlePerSecond) return '';
    const match = idlePerSecond.rows.find((r) => r.label === row.label);
    return fmt((match?.total ?? 0) / idlePerSecond.seconds).padStart(10);
  };
  const head =
    `${`per intake (÷ ${perIntake})`.padEnd(labelWidth)}` +
    services.map((s) => s.padStart(width)).join('') +
    'total'.padStart(width) +
    'step Δ'.padStart(10) +
    (idlePerSecond ? 'idle/s'.padStart(10) : '');
  const lines = [head];
  for (const row of work.rows) {
    if (!row.group && row.total === 0) continue;
    if (row.group && row.total === 0 && !['store round trips', 'kafka requests'].includes(row.label))
      continue;
    lines.push(
      row.label.padEnd(labelWidth) +
        services.map((s) => fmt((row.byService[s] ?? 0) / Math.max(1, perIntake)).padStart(width)).join('') +
        fmt(row.total / Math.max(1, perIntake)).padStart(width) +
        fmt(row.total).padStart(10) +
        idle(row),
    );
  }
  if (work.missing.length) lines.push(`(no /metrics from ${work.missing.join(', ')}: left out)`);
  return lines;
}

/** process_resident_memory_bytes of each service that answered. */
export function residentBytes(scrape: NetworkScrape): Record<string, number> {
  return Object.fromEntries(
    Object.entries(scrape.services).flatMap(([name, s]) => {
      const v = s.get('process_resident_memory_bytes');
      return v === undefined ? [] : [[name, v] as const];
    }),
  );
}

/** A work table as plain data, for --json. */
export function workJson(work: StepWork, perIntake: number) {
  return {
    perIntakeOf: perIntake,
    missingServices: work.missing,
    rows: work.rows.map((r) => ({
      label: r.label.trim(),
      group: r.group,
      total: r.total,
      perIntake: perIntake > 0 ? r.total / perIntake : null,
      byService: r.byService,
    })),
  };
}
