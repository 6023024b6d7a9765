// Memory of the local network's processes: what a laptop gives to the broker, the store and the
// services. Read from /proc (Linux) or `ps` (macOS), so it costs nothing to ask.
//
// Two figures per process. Resident (RSS) counts every page a process maps, including pages it
// shares with others: the node binary's code and the libraries it maps are one copy in memory for
// all nine node processes, yet each RSS counts them again (about 45 MB each). Proportional (PSS,
// Linux) splits every shared page between the processes that share it, so the sum of PSS is the
// memory the network takes from the machine. The total is the sum of PSS where /proc gives it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Resident set size of a process in bytes, or undefined when it cannot be read. */
export function residentBytes(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux, or the process is gone
  }
  try {
    const kb = execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Proportional set size in bytes (shared pages split between their sharers); undefined off Linux. */
export function proportionalBytes(pid: number): number | undefined {
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = /^Pss:\s+(\d+)\s+kB/m.exec(rollup)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** A heading, one line per process and the total, for the summary of `npm start`. */
export function memoryLines(processes: ReadonlyArray<{ name: string; pid: number | undefined }>): string[] {
  const rows = processes.map((p) => ({
    name: p.name,
    rss: p.pid ? residentBytes(p.pid) : undefined,
    pss: p.pid ? proportionalBytes(p.pid) : undefined,
  }));
  const sum = (pick: (r: (typeof rows)[number]) => number | undefined) =>
    rows.reduce((total, r) => total + (pick(r) ?? 0), 0);
  const proportional = rows.every((r) => r.rss === undefined || r.pss !== undefined);
  const cell = (bytes: number | undefined) => (bytes === undefined ? '?' : megabytes(bytes)).padStart(8);
  if (!proportional) {
    return [
      'memory (resident, at rest):',
      ...rows.map((r) => `  ${r.name.padEnd(16)}${cell(r.rss)}`),
      `  ${'total'.padEnd(16)}${cell(sum((r) => r.rss))}`,
    ];
  }
  return [
    'memory at rest (proportional: pages shared between processes, such as node’s code, counted once):',
    `  ${''.padEnd(16)}${'PSS'.padStart(8)}${'RSS'.padStart(8)}`,
    ...rows.map((r) => `  ${r.name.padEnd(16)}${cell(r.pss)}${cell(r.rss)}`),
    `  ${'total'.padEnd(16)}${cell(sum((r) => r.pss))}${cell(sum((r) => r.rss))}  (the RSS sum counts shared pages once per process)`,
  ];
}
