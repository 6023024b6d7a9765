// Resident memory of the local network's processes: what a laptop gives to the broker, the store
// and the services. Read from /proc (Linux) or `ps` (macOS), so it costs nothing to ask.
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

export const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** One line per process and the total, for the summary of `npm start`. */
export function memoryLines(processes: ReadonlyArray<{ name: string; pid: number | undefined }>): string[] {
  const rows = processes.map((p) => ({ name: p.name, bytes: p.pid ? residentBytes(p.pid) : undefined }));
  const total = rows.reduce((sum, r) => sum + (r.bytes ?? 0), 0);
  return [
    ...rows.map(
      (r) => `  ${r.name.padEnd(13)} ${r.bytes === undefined ? '?' : megabytes(r.bytes).padStart(7)}`,
    ),
    `  ${'total'.padEnd(13)} ${megabytes(total).padStart(7)}`,
  ];
}
