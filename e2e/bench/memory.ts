// Resident memory (and CPU time) of what the benchmark ran on: each service from its own /metrics
// (process_resident_memory_bytes), the broker and the store from /proc/<pid>/status and /stat. Their pids come
// from the pid files infra/local writes under infra/.data/run (the shared local infrastructure and
// every private instance), matched to the broker and store in use by their ports.
import fs from 'node:fs';
import { residentBytes } from '../../infra/local/src/memory';
import { commandLine, listPidRecords, pidAlive } from '../../infra/local/src/process-control';
import type { MemoryReading } from './report';

/**
 * CPU time a process has used so far (user + system), in ms; undefined when unknown. /proc/<pid>/stat
 * counts it in clock ticks, 100 a second on Linux builds for every common architecture.
 */
export function cpuMsOf(pid: number): number | undefined {
  try {
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14 and 15)
  } catch {
    return undefined;
  }
}

const portOf = (address: string) => Number(/:(\d+)(?:[/?,]|$)/.exec(address)?.[1] ?? NaN);

/** The pid of the local broker listening on `kafkaBrokers`' port and of the store on `mongoUrl`'s. */
export function infraPids(kafkaBrokers: string, mongoUrl: string): { broker?: number; store?: number } {
  const kafkaPort = portOf(kafkaBrokers.split(',')[0] ?? '');
  const mongoPort = portOf(mongoUrl.replace(/^mongodb:\/\/([^/]*@)?/, '').split('/')[0] ?? '');
  const found: { broker?: number; store?: number } = {};
  for (const record of listPidRecords()) {
    // Alive and still ours (a pid reused by the system runs another command line); read only.
    if (!pidAlive(record.pid) || !(commandLine(record.pid) ?? record.marker).includes(record.marker))
      continue;
    if (record.marker.endsWith('server.properties')) {
      try {
        const props = fs.readFileSync(record.marker, 'utf8');
        const listeners = /^listeners=(.*)$/m.exec(props)?.[1] ?? '';
        if (listeners.split(',').some((l) => portOf(l) === kafkaPort)) found.broker = record.pid;
      } catch {
        // a broker being set up again: not ours to read
      }
    } else if (/ferretdb/.test(record.command)) {
      const listen = /-listen-addr[ =](\S+)/.exec(record.command)?.[1] ?? '';
      if (portOf(listen) === mongoPort) found.store = record.pid;
    }
  }
  return found;
}

export function memoryReading(
  at: string,
  services: Record<string, number>,
  infra: { kafkaBrokers: string; mongoUrl: string; origin: string },
): MemoryReading {
  const notes: string[] = [];
  const pids = infraPids(infra.kafkaBrokers, infra.mongoUrl);
  const broker = pids.broker === undefined ? undefined : residentBytes(pids.broker);
  const store = pids.store === undefined ? undefined : residentBytes(pids.store);
  if (broker === undefined)
    notes.push(
      `broker: no pid file of infra/local listens on ${infra.kafkaBrokers} (${infra.origin}; containers are not measured)`,
    );
  if (store === undefined)
    notes.push(`store: no pid file of infra/local listens on the store's port (${infra.origin})`);
  const total = Object.values(services).reduce((a, b) => a + b, 0) + (broker ?? 0) + (store ?? 0);
  return { at, services, broker, store, total, notes };
}
